package cmd

import (
	"context"
	"errors"
	"sort"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

type todayOptions struct {
	Date civil.Date
	JSON bool
}

func newTodayCmd(a *App) *cobra.Command {
	opts := &todayOptions{}
	c := &cobra.Command{
		Use:   "today",
		Short: "The evening screen: who has checked in, what is open",
		Long: `Show the day at a glance: who has checked in, how many gratitude notes
were written, and the bucket list items still open. 'reconnect' with no
command shows the same.`,
		Example: `  reconnect today
  reconnect
  reconnect today --date 2026-11-20 --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runToday(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

// todayView is the evening screen, also its JSON.
type todayView struct {
	Date       string           `json:"date"`
	You        string           `json:"you"`
	CheckedIn  map[string]bool  `json:"checked_in"`
	Thanks     int              `json:"thanks"`
	BucketOpen []*journal.Entry `json:"bucket_open"`
}

// partnerWindow is how far back 'today' looks to know who the partners are.
const partnerWindow = 60

func runToday(ctx context.Context, a *App, opts *todayOptions) error {
	day := a.dateOr(opts.Date)
	who, err := a.author()
	if err != nil {
		return err
	}
	j, err := a.openJournal(false)
	if errors.Is(err, errNoJournal) && !opts.JSON {
		a.IO.Printf("Welcome to reconnect. Start with tonight's check-in:\n\n  reconnect checkin\n\n"+
			"It creates your journal in %s.\n", mustJournalDir(a))
		return nil
	}
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	recent, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-partnerWindow), Until: day})
	if err != nil {
		return err
	}
	a.warn(warnings)
	v := todayView{Date: day.String(), You: who, CheckedIn: map[string]bool{who: false}, BucketOpen: []*journal.Entry{}}
	for _, e := range recent {
		if _, ok := v.CheckedIn[e.Author]; !ok {
			v.CheckedIn[e.Author] = false
		}
		if e.Date != day {
			continue
		}
		switch e.Kind {
		case journal.KindCheckin:
			v.CheckedIn[e.Author] = true
		case journal.KindThanks:
			v.Thanks++
		}
	}
	items, err := a.bucketItems(j)
	if err != nil {
		return err
	}
	var open []bucketItem
	for _, it := range items {
		if !it.done() {
			open = append(open, it)
			v.BucketOpen = append(v.BucketOpen, it.Entry)
		}
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	p := a.IO.Palette()
	a.IO.Printf("%s\n\n", p.Bold(day.In(a.Now().Location()).Format("Monday 2 January 2006")))
	names := make([]string, 0, len(v.CheckedIn))
	for n := range v.CheckedIn {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		label := displayName(n)
		if n == who {
			label = "You"
		}
		if v.CheckedIn[n] {
			a.IO.Printf("  %s %s checked in\n", p.Green("✓"), label)
		} else if n == who {
			a.IO.Printf("  %s %s have not checked in yet: reconnect checkin\n", p.Dim("·"), label)
		} else {
			a.IO.Printf("  %s %s has not checked in yet\n", p.Dim("·"), label)
		}
	}
	if v.Thanks > 0 {
		a.IO.Printf("  %s %d gratitude note(s) written\n", p.Magenta("♥"), v.Thanks)
	}
	if len(open) > 0 {
		a.IO.Printf("\n%s\n", p.Bold("Bucket list"))
		a.printBucket(open)
	}
	return nil
}

func mustJournalDir(a *App) string {
	d, err := a.journalDir()
	if err != nil {
		return a.defaultJournalDir()
	}
	return d
}
