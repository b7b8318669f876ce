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
	c.AddCommand(newDatePlanCmd(a), newDateListCmd(a), newSharedDoneCmd(a, dateList(), sharedDoneText{
		short: "Tick off a date you had",
		example: `  reconnect date done 2
  reconnect date done pottery --note "The bowls were lopsided and perfect"`,
		ref:     "the date's number or part of its title",
		dayHelp: "the day you had it (default today)",
		cheer:   "Plan the next one while it's fresh: reconnect date plan TITLE --on DAY",
	}))
	return c
}

type datePlanOptions struct {
	Date        civil.Date
	On          civil.Date
	Title, Note string
}

func newDatePlanCmd(a *App) *cobra.Command {
	opts := &datePlanOptions{}
	c := &cobra.Command{
		Use:   "plan TITLE --on DAY",
		Short: "Plan a date on a day",
		Example: `  reconnect date plan "At-home destination dinner: Japan" --on 2026-11-28
  reconnect date plan "Walk in the park we always drive past" --on 2026-11-29 --note "Bring the thermos"`,
		Args: exactArgs(1, "one TITLE (quote it)"),
		RunE: func(c *cobra.Command, args []string) error {
			if !c.Flags().Changed("on") {
				return withHint(usagef("a date needs a day: give --on YYYY-MM-DD"),
					"put it in the calendar like any other important appointment")
			}
			opts.Title = args[0]
			return runDatePlan(c.Context(), a, opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day it was planned (default today)")
	c.Flags().Var(dateValue{&opts.On}, "on", "the day of the date (required)")
	c.Flags().StringVar(&opts.Note, "note", "", "a note: where, what to bring, what to cook")
	return c
}

func runDatePlan(ctx context.Context, a *App, opts *datePlanOptions) error {
	saved, err := a.addShared(ctx, opts.Title, opts.Note, opts.Date,
		func(title, who string, day civil.Date) *journal.Entry {
			return journal.NewDatePlan(title, who, day, a.Now(), opts.On)
		},
		func(title string) string { return fmt.Sprintf("date plan: %s %s", title, opts.On) })
	if err != nil {
		return err
	}
	title := oneLine(saved.Title())
	a.IO.Printf("%s Planned: %s, %s (%s)\n", a.IO.Palette().Green("✓"), title, strings.TrimPrefix(a.relDay(opts.On), "on "), saved.Path)
	if opts.On.Before(a.today()) {
		a.IO.Printf("That day has passed; tick it off with: reconnect date done %q\n", title)
	}
	return nil
}

type dateListOptions struct {
	All, JSON bool
}

func newDateListCmd(a *App) *cobra.Command {
	opts := &dateListOptions{}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "Show the planned dates, soonest first",
		Example: `  reconnect date list
  reconnect date list --all      # the dates you already had too
  reconnect date list --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runDateList(c.Context(), a, opts) },
	}
	c.Flags().BoolVarP(&opts.All, "all", "a", false, "include dates already done")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the dates as JSON")
	return c
}

// dateItem is a planned date with its number and its day.
type dateItem struct {
	sharedItem
	On civil.Date // zero when the file has no valid on
}

func (a *App) dateItems(j *Journal) ([]dateItem, error) {
	shared, err := a.sharedItems(j, dateList())
	if err != nil {
		return nil, err
	}
	items := make([]dateItem, len(shared))
	for i, it := range shared {
		on, _ := it.Entry.DateField(journal.FieldOn)
		items[i] = dateItem{sharedItem: it, On: on}
	}
	return items, nil
}

// soonestFirst orders dates by their day, then by number.
func soonestFirst(items []dateItem) {
	slices.SortStableFunc(items, func(x, y dateItem) int {
		return cmp.Or(x.On.Compare(y.On), cmp.Compare(x.N, y.N))
	})
}

// nextDate is the first planned date on or after day, or nil.
func (a *App) nextDate(j *Journal, day civil.Date) (*dateItem, error) {
	items, err := a.dateItems(j)
	if err != nil {
		return nil, err
	}
	soonestFirst(items)
	for _, it := range items {
		if !it.Entry.IsDone() && !it.On.IsZero() && !it.On.Before(day) {
			return &it, nil
		}
	}
	return nil, nil
}

func runDateList(ctx context.Context, a *App, opts *dateListOptions) error {
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	items, err := a.dateItems(j)
	if err != nil {
		return err
	}
	var shown []dateItem
	for _, it := range items {
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
		return a.writeJSON(entriesJSON(out))
	}
	if len(shown) == 0 {
		a.IO.Printf("No dates planned. Put one in the calendar: reconnect date plan \"Takeout on the couch\" --on %s\n",
			nextFriday(a.today()))
		return nil
	}
	a.printDates(shown)
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

func (a *App) printDates(items []dateItem) {
	p := a.IO.Palette()
	width := 1
	for _, it := range items {
		width = max(width, len(strconv.Itoa(it.N)))
	}
	whenWidth := 0
	when := make([]string, len(items))
	for i, it := range items {
		when[i] = "(no day)"
		if !it.On.IsZero() {
			when[i] = it.On.In(a.Now().Location()).Format("Mon 2 Jan 2006")
		}
		whenWidth = max(whenWidth, len(when[i]))
	}
	today := a.today()
	for i, it := range items {
		mark := "[ ]"
		extra := p.Dim("planned by " + displayName(it.Entry.Author))
		switch {
		case it.Entry.IsDone():
			mark = p.Green("[x]")
			by, _ := it.Entry.Field(journal.FieldDoneBy)
			extra = p.Dim("done, ticked off by " + displayName(by))
		case !it.On.IsZero() && it.On.Before(today):
			extra = p.Yellow("passed: did it happen? reconnect date done " + strconv.Itoa(it.N))
		}
		a.IO.Printf("%*d %s %-*s  %s  %s\n", width, it.N, mark, whenWidth, when[i], oneLine(it.Entry.Title()), extra)
	}
}
