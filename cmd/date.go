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
)

func newDateCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "date",
		Short: "Plan date nights together, and tick them off",
		Long: `Put date nights in the calendar and treat them like any other important
appointment, even if it's just takeout on the couch. Planned dates are
shared: each is a file under dates/ that both of you can see and tick off,
and 'reconnect today' shows the next one.

A date is named by the number 'date list' shows, or by any part of its title
that only it has. For ideas: reconnect idea date.`,
		Example: `  reconnect date plan "Takeout on the couch, phones away" --on 2026-11-27
  reconnect date plan "Pottery class" --on 2026-12-05 --note "Both total beginners"
  reconnect date list
  reconnect date done pottery --note "The bowls were lopsided and perfect"`,
		Args: exactArgs(0, "a subcommand: plan, list or done"),
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(newDatePlanCmd(a, nil), newDateListCmd(a, nil), newSharedDoneCmd(a, dateList(), sharedDoneText{
		short: "Tick off a date you had",
		example: `  reconnect date done 2
  reconnect date done pottery --note "The bowls were lopsided and perfect"`,
		ref:     "the date's number or part of its title",
		dayHelp: "the day you had it (default today)",
		cheer:   "Plan the next one while it's fresh: reconnect date plan TITLE --on DAY",
	}))
	return c
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
	return c
}

func runDatePlan(ctx context.Context, opts *datePlanOptions) error {
	if opts.On.IsZero() { // a day given is never the zero day (no year 0000)
		return withHint(usagef("a date needs a day: give --on YYYY-MM-DD"),
			"put it in the calendar like any other important appointment")
	}
	saved, err := opts.AddShared(ctx, opts.Title, opts.Note, opts.Date,
		func(title, who string, day civil.Date) *journal.Entry {
			return journal.NewDatePlan(title, who, day, opts.Now(), opts.On)
		},
		func(title string) string { return fmt.Sprintf("date plan: %s %s", title, opts.On) })
	if err != nil {
		return err
	}
	day := dayOr(opts.Date, opts.Now())
	title := oneLine(saved.Title())
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
	c.Flags().BoolVarP(&opts.All, "all", "a", false, "include dates already done")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the dates as JSON")
	return c
}

// dateItem is a planned date with its number and its day.
type dateItem struct {
	sharedItem
	On civil.Date // zero when the file has no valid on
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

// nextDate is the first date of items not done on or after day, or nil.
func nextDate(items []dateItem, day civil.Date) *dateItem {
	items = slices.Clone(items)
	soonestFirst(items)
	for _, it := range items {
		if !it.Entry.IsDone() && !it.On.IsZero() && !it.On.Before(day) {
			return &it
		}
	}
	return nil
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
	var shown []dateItem
	for _, it := range dateItems(shared) {
		if opts.All || !it.Entry.IsDone() {
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

// printDates lists items; a date before day, not done, has passed.
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
		switch {
		case it.Entry.IsDone():
			mark = p.Green("[x]")
			by, _ := it.Entry.Field(journal.FieldDoneBy)
			extra = p.Dim("done, ticked off by " + displayName(by))
		case !it.On.IsZero() && it.On.Before(day):
			extra = p.Yellow("passed: did it happen? reconnect date done " + strconv.Itoa(it.N))
		}
		out.Printf("%*d %s %-*s  %s  %s\n", width, it.N, mark, whenWidth, when[i], oneLine(it.Entry.Title()), extra)
	}
}
