package cmd

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

func newDateCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "date",
		Short: "Plan date nights together, move them, and tick them off",
		Long: `Put date nights in the calendar and treat them like any other important
appointment, even if it's just takeout on the couch. Planned dates are
shared: each is a file under dates/ that both of you can see, move, cancel
and tick off, and 'reconnect today' shows the next one (and says when none
is planned in the next two weeks).

A date can recur (--every 14d or 2w: the guide's bi-weekly date night);
'date list' then shows its next day, and 'date done' ticks off its last day
while the series goes on. 'export --format ics' puts the dates in
your calendar; a move or a cancel updates the event there.

A date is named by the number 'date list' shows, or by any part of its title
that only it has. For ideas: reconnect idea date.`,
		Example: `  reconnect date plan "Takeout on the couch, phones away" --on 2026-11-27
  reconnect date plan "Date night" --on 2026-11-27 --every 2w
  reconnect date plan "Pottery class" --on 2026-12-05 --note "Both total beginners"
  reconnect date list
  reconnect date move pottery --on 2026-12-12
  reconnect date cancel pottery
  reconnect date done pottery --note "The bowls were lopsided and perfect"`,
		Args: exactArgs(0, "a subcommand: plan, list, move, cancel or done"),
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(newDatePlanCmd(a, nil), newDateListCmd(a, nil), newDateMoveCmd(a, nil), newDateCancelCmd(a, nil),
		newListDoneCmd(a, dateList(), dateDoneText, nil))
	return c
}

// dateDoneText is what 'date done' says.
var dateDoneText = sharedDoneText{
	short: "Tick off a date you had",
	example: `  reconnect date done 2
  reconnect date done pottery --note "The bowls were lopsided and perfect"`,
	ref:     "the date's number or part of its title",
	dayHelp: "the day you had it (default today)",
	cheer:   "Plan the next one while it's fresh: reconnect date plan TITLE --on DAY",
}

// datePlanOptions is what 'date plan' uses: its dependencies (filled from
// the App by the constructor), then its flags.
type datePlanOptions struct {
	IO        *IOStreams
	Now       func() time.Time
	AddShared func(ctx context.Context, rawTitle, rawNote string, date civil.Date,
		newItem func(title, who string, day civil.Date) *journal.Entry, msg func(title string) string) (*journal.Entry, error)

	Date        civil.Date
	On          civil.Date
	Title, Note string
	Every       string // how often it recurs: 14d, 2w; "" is once
}

// newDatePlanCmd is 'date plan'. runF runs it, given the options filled
// from the flags; nil is runDatePlan.
func newDatePlanCmd(a *App, runF func(context.Context, *datePlanOptions) error) *cobra.Command {
	if runF == nil {
		runF = runDatePlan
	}
	opts := &datePlanOptions{IO: a.IO, Now: a.clock(), AddShared: a.addShared}
	c := &cobra.Command{
		Use:   "plan TITLE --on DAY",
		Short: "Plan a date on a day",
		Example: `  reconnect date plan "At-home destination dinner: Japan" --on 2026-11-28
  reconnect date plan "Walk in the park we always drive past" --on 2026-11-29 --note "Bring the thermos"`,
		Args: exactArgs(1, "one TITLE (quote it)"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Title = args[0]
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day it was planned: the day is upcoming or passed as seen from it (default today)")
	c.Flags().Var(dateValue{&opts.On}, "on", "the day of the date (required)")
	c.Flags().StringVar(&opts.Note, "note", "", "a note: where, what to bring, what to cook")
	c.Flags().StringVar(&opts.Every, "every", "", "make it recur: a number of days or weeks, like 14d or 2w")
	return c
}

func runDatePlan(ctx context.Context, opts *datePlanOptions) error {
	if opts.On.IsZero() { // a day given is never the zero day (no year 0000)
		return withHint(usagef("a date needs a day: give --on a day (friday, 2026-12-05)"),
			"put it in the calendar like any other important appointment")
	}
	every := 0
	if opts.Every != "" {
		n, err := journal.ParseEvery(opts.Every)
		if err != nil {
			return withHint(usagef("--every: %v", err), "the guide's bi-weekly date night is --every 2w")
		}
		every = n
	}
	saved, err := opts.AddShared(ctx, opts.Title, opts.Note, opts.Date,
		func(title, who string, day civil.Date) *journal.Entry {
			e := journal.NewDatePlan(title, who, day, opts.Now(), opts.On)
			if every > 0 {
				e.SetEvery(every)
			}
			return e
		},
		func(title string) string { return fmt.Sprintf("date plan: %s %s", title, opts.On) })
	if err != nil {
		return err
	}
	day := dayOr(opts.Date, opts.Now())
	title := oneLine(saved.Title())
	if every > 0 {
		next, _ := civil.NextEvery(opts.On, every, day)
		opts.IO.Printf("%s Planned: %s, %s, next %s (%s)\n", opts.IO.Palette().Green("✓"), title, everyText(every),
			strings.TrimPrefix(relDayFrom(day, next), "on "), saved.Path)
		return nil
	}
	opts.IO.Printf("%s Planned: %s, %s (%s)\n", opts.IO.Palette().Green("✓"), title, strings.TrimPrefix(relDayFrom(day, opts.On), "on "), saved.Path)
	if opts.On.Before(day) {
		opts.IO.Printf("That day has passed; tick it off with: reconnect date done %q\n", title)
	}
	return nil
}

// dateListOptions is what 'date list' uses: its dependencies (filled from
// the App by the constructor), then its flags.
type dateListOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	OpenJournal func(create bool) (*Journal, error)
	Sync        *syncer
	SharedItems func(*Journal, sharedList) ([]sharedItem, error)

	Date      civil.Date
	All, JSON bool
}

// newDateListCmd is 'date list'. runF runs it, given the options filled
// from the flags; nil is runDateList.
func newDateListCmd(a *App, runF func(context.Context, *dateListOptions) error) *cobra.Command {
	if runF == nil {
		runF = runDateList
	}
	opts := &dateListOptions{IO: a.IO, Now: a.clock(), OpenJournal: a.openJournal, Sync: a.syncer(), SharedItems: a.sharedItems}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "Show the planned dates, soonest first",
		Example: `  reconnect date list
  reconnect date list --all      # the dates you already had too
  reconnect date list --date 2026-12-01
  reconnect date list --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day to look from: dates before it have passed (default today)")
	c.Flags().BoolVarP(&opts.All, "all", "a", false, "include dates already done or cancelled")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the dates as JSON")
	return c
}

// dateItem is a planned date with its number and its day.
type dateItem struct {
	sharedItem
	On civil.Date // zero when the file has no valid on; for nextDate, the next occurrence
}

// dateItems is the planned dates among shared, with their days.
func dateItems(shared []sharedItem) []dateItem {
	items := make([]dateItem, len(shared))
	for i, it := range shared {
		on, _ := it.Entry.DateField(journal.FieldOn)
		items[i] = dateItem{sharedItem: it, On: on}
	}
	return items
}

// soonestFirst orders dates by their day, then by number.
func soonestFirst(items []dateItem) {
	slices.SortStableFunc(items, func(x, y dateItem) int {
		return cmp.Or(x.On.Compare(y.On), cmp.Compare(x.N, y.N))
	})
}

// nextDate is the date of items that happens first on or after day
// ([journal.NextDate]: not done, not cancelled, a date that recurs at its
// next occurrence), with On that day; nil when there is none.
func nextDate(items []dateItem, day civil.Date) *dateItem {
	items = slices.Clone(items)
	soonestFirst(items)
	entries := make([]*journal.Entry, len(items))
	for i, it := range items {
		entries[i] = it.Entry
	}
	i, on := journal.NextDate(entries, day)
	if i < 0 {
		return nil
	}
	it := items[i]
	it.On = on
	return &it
}

// shownOn is the day a list shows for a date seen from day: for one that
// recurs, its next occurrence not yet ticked off among all.
func shownOn(it dateItem, all []*journal.Entry, day civil.Date) civil.Date {
	if it.Entry.EveryDays() > 0 {
		if next, ok := it.Entry.NextAmong(all, day); ok {
			return next
		}
	}
	return it.On
}

// everyText says how often a date recurs: every week, every 10 days.
func everyText(days int) string {
	switch {
	case days == 1:
		return "every day"
	case days == 7:
		return "every week"
	case days%7 == 0:
		return fmt.Sprintf("every %d weeks", days/7)
	}
	return fmt.Sprintf("every %d days", days)
}

// printDateGap is the evening screen's line when no date is planned within
// two weeks of day ([journal.IsSoon]); next is the next date, nil when none.
func printDateGap(out *IOStreams, next *todayDate, day civil.Date) {
	if next != nil {
		if on, err := civil.Parse(next.On); err == nil && journal.IsSoon(on, day) {
			return
		}
	}
	out.Printf("\n%s  nothing planned in the next two weeks. Even takeout on the couch counts:\n  reconnect date plan \"Takeout on the couch\" --on %s\n",
		out.Palette().Bold("Date night"), nextFriday(day))
}

func runDateList(ctx context.Context, opts *dateListOptions) error {
	day := dayOr(opts.Date, opts.Now())
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	opts.Sync.freshen(ctx, j)
	shared, err := opts.SharedItems(j, dateList())
	if err != nil {
		return err
	}
	all := make([]*journal.Entry, len(shared))
	for i, it := range shared {
		all[i] = it.Entry
	}
	var shown []dateItem
	for _, it := range dateItems(shared) {
		if opts.All || !(it.Entry.IsDone() || it.Entry.IsCancelled()) {
			it.On = shownOn(it, all, day)
			shown = append(shown, it)
		}
	}
	soonestFirst(shown)
	if opts.JSON {
		out := make([]*journal.Entry, len(shown))
		for i, it := range shown {
			out[i] = it.Entry
		}
		return writeJSONTo(opts.IO.Out, entriesJSON(out))
	}
	if len(shown) == 0 {
		opts.IO.Printf("No dates planned. Put one in the calendar: reconnect date plan \"Takeout on the couch\" --on %s\n",
			nextFriday(day))
		return nil
	}
	printDates(opts.IO, shown, day)
	return nil
}

// nextFriday is the first Friday after day: a date night to suggest.
func nextFriday(day civil.Date) civil.Date {
	n := (int(time.Friday) - int(day.Weekday()) + 7) % 7
	if n == 0 {
		n = 7
	}
	return day.AddDays(n)
}

// printDates lists items (On, for a date that recurs, its next
// occurrence); a date before day, not done, has passed.
func printDates(out *IOStreams, items []dateItem, day civil.Date) {
	p := out.Palette()
	width := 1
	for _, it := range items {
		width = max(width, len(strconv.Itoa(it.N)))
	}
	whenWidth := 0
	when := make([]string, len(items))
	for i, it := range items {
		when[i] = "(no day)"
		if !it.On.IsZero() {
			when[i] = it.On.In(time.UTC).Format("Mon 2 Jan 2006")
		}
		whenWidth = max(whenWidth, len(when[i]))
	}
	for i, it := range items {
		mark := "[ ]"
		extra := p.Dim("planned by " + displayName(it.Entry.Author))
		if every := it.Entry.EveryDays(); every > 0 {
			extra = p.Dim(everyText(every) + ", planned by " + displayName(it.Entry.Author))
		}
		switch {
		case it.Entry.IsDone():
			mark = p.Green("[x]")
			by, _ := it.Entry.Field(journal.FieldDoneBy)
			extra = p.Dim("done, ticked off by " + displayName(by))
		case it.Entry.IsCancelled():
			mark = "[-]"
			extra = p.Dim("cancelled")
		case !it.On.IsZero() && it.On.Before(day):
			extra = p.Yellow("passed: did it happen? reconnect date done " + strconv.Itoa(it.N))
		}
		out.Printf("%*d %s %-*s  %s  %s\n", width, it.N, mark, whenWidth, when[i], oneLine(it.Entry.Title()), extra)
	}
}

// dateChangeOptions is what 'date move' and 'date cancel' use: their
// dependencies (filled from the App by the constructor), then the flags.
type dateChangeOptions struct {
	IO    *IOStreams
	Now   func() time.Time
	Write func(ctx context.Context, fn writeFunc) (*Journal, error)

	Ref string
	On  civil.Date // move: the new day
}

// newDateMoveCmd is 'date move'. runF runs it, given the options filled
// from the flags; nil is runDateMove.
func newDateMoveCmd(a *App, runF func(context.Context, *dateChangeOptions) error) *cobra.Command {
	if runF == nil {
		runF = runDateMove
	}
	opts := &dateChangeOptions{IO: a.IO, Now: a.clock(), Write: a.write}
	c := &cobra.Command{
		Use:   "move REF --on DAY",
		Short: "Move a planned date to another day",
		Long: `Move a planned date to another day: the same date, not a second one. For a
date that recurs, the series starts again from the new day. A calendar that
imported an export updates the event when it imports the next one.`,
		Example: `  reconnect date move 2 --on 2026-12-12
  reconnect date move pottery --on 2026-12-12`,
		Args: exactArgs(1, "one REF: the date's number or part of its title"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Ref = args[0]
			return runF(c.Context(), opts)
		},
		ValidArgsFunction: dateList().complete(a.prepare, a.openJournal),
	}
	c.Flags().Var(dateValue{&opts.On}, "on", "the new day (required)")
	return c
}

// changeDate finds the date REF names and applies change to it, as one
// commit named "date VERB: title"; a date done or cancelled is not changed.
func changeDate(ctx context.Context, opts *dateChangeOptions, verb string, change func(it sharedItem) error) (*journal.Entry, error) {
	var changed *journal.Entry
	_, err := opts.Write(ctx, func(j *Journal, _ string) (string, []gitsync.Change, error) {
		it, err := dateList().find(j, opts.Ref, opts.IO.warn)
		if err != nil {
			return "", nil, err
		}
		title := oneLine(it.Entry.Title())
		switch {
		case it.Entry.IsDone():
			return "", nil, withHint(usagef("%q is done already", title), "plan the next one: reconnect date plan TITLE --on DAY")
		case it.Entry.IsCancelled():
			return "", nil, withHint(usagef("%q was cancelled", title), "plan it again: reconnect date plan TITLE --on DAY")
		}
		if err := change(it); err != nil {
			return "", nil, err
		}
		changed = it.Entry
		return "date " + verb + ": " + it.Entry.Title(), []gitsync.Change{changeFor(it.Entry)}, nil
	})
	return changed, err
}

func runDateMove(ctx context.Context, opts *dateChangeOptions) error {
	if opts.On.IsZero() {
		return usagef("a move needs the new day: give --on a day (friday, 2026-12-05)")
	}
	day := civil.Of(opts.Now())
	var was civil.Date
	e, err := changeDate(ctx, opts, "move", func(it sharedItem) error {
		was, _ = it.Entry.DateField(journal.FieldOn)
		if was == opts.On {
			return usagef("%q is on %s already", oneLine(it.Entry.Title()), opts.On)
		}
		it.Entry.MoveDate(opts.On)
		return nil
	})
	if err != nil {
		return err
	}
	rel := func(d civil.Date) string { return strings.TrimPrefix(relDayFrom(day, d), "on ") }
	opts.IO.Printf("%s Moved: %s, now %s", opts.IO.Palette().Green("✓"), oneLine(e.Title()), rel(opts.On))
	if every := e.EveryDays(); every > 0 {
		opts.IO.Printf(", then %s", everyText(every))
	}
	if !was.IsZero() {
		opts.IO.Printf(" (was %s)", rel(was))
	}
	opts.IO.Printf("\n")
	if opts.On.Before(day) && e.EveryDays() == 0 {
		opts.IO.Printf("That day has passed; tick it off with: reconnect date done %q\n", oneLine(e.Title()))
	}
	return nil
}

// newDateCancelCmd is 'date cancel'. runF runs it, given the options
// filled from the flags; nil is runDateCancel.
func newDateCancelCmd(a *App, runF func(context.Context, *dateChangeOptions) error) *cobra.Command {
	if runF == nil {
		runF = runDateCancel
	}
	opts := &dateChangeOptions{IO: a.IO, Now: a.clock(), Write: a.write}
	c := &cobra.Command{
		Use:   "cancel REF",
		Short: "Call off a planned date (a whole series, for one that recurs)",
		Long: `Call off a planned date. It stays in the journal ('date list --all' shows it,
cancelled) and leaves the evening screen; a calendar that imported an export
drops the event when it imports the next one.`,
		Example: `  reconnect date cancel 2
  reconnect date cancel pottery`,
		Args: exactArgs(1, "one REF: the date's number or part of its title"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Ref = args[0]
			return runF(c.Context(), opts)
		},
		ValidArgsFunction: dateList().complete(a.prepare, a.openJournal),
	}
	return c
}

func runDateCancel(ctx context.Context, opts *dateChangeOptions) error {
	e, err := changeDate(ctx, opts, "cancel", func(it sharedItem) error {
		it.Entry.CancelDate()
		return nil
	})
	if err != nil {
		return err
	}
	opts.IO.Printf("%s Cancelled: %s. It stays in 'reconnect date list --all'.\n", opts.IO.Palette().Green("✓"), oneLine(e.Title()))
	opts.IO.Printf("Another day instead? reconnect date plan %q --on DAY\n", oneLine(e.Title()))
	return nil
}
