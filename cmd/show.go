package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// showOptions is what 'show' uses: its dependencies (filled from the App
// by the constructor), then its flags.
type showOptions struct {
	reader

	Date    civil.Date
	Authors []string
	JSON    bool
}

// newShowCmd is 'show'. runF runs it, given the options filled from
// the flags; nil is runShow (tests pass their own).
func newShowCmd(a *App, runF func(context.Context, *showOptions) error) *cobra.Command {
	if runF == nil {
		runF = runShow
	}
	opts := &showOptions{reader: a.reader()}
	c := &cobra.Command{
		Use:   "show [DATE]",
		Short: "Show both partners' entries of one day",
		Long: `Show what both of you wrote on one day, oldest first. Replies to a
check-in ('reconnect reply') are shown under the check-in they answer, also
when they were written on a later day. --json prints the day's entries and
then those later replies; a reply names what it answers in fields.to.
--author shows only what that partner wrote (me: you).

DATE, or --date, is a day as you would say it: YYYY-MM-DD, today,
yesterday, a weekday (friday: the last one, today on a Friday; last
friday: the one before today), -3d, 2 weeks ago. A DATE starting with a
dash goes after --, or as --date=-3d.`,
		Example: `  reconnect show              # today
  reconnect show yesterday
  reconnect show last friday
  reconnect show 2026-11-20 --author alex
  reconnect show --date=-3d --json`,
		Args:              maxArgs(maxDayWords, "one DATE (2026-11-20, yesterday, last friday, 3 days ago)"),
		ValidArgsFunction: completeDayArg(opts.Now, civil.Back),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				if c.Flags().Changed("date") {
					return usagef("give the day as DATE or --date, not both")
				}
				day, err := parseDay(strings.Join(args, " "), opts.Now(), civil.Back)
				if err != nil {
					return badInput(fmt.Errorf("DATE: %w", err))
				}
				opts.Date = day
			}
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	addAuthorFilter(c, &opts.Authors)
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the entries as JSON")
	return c
}

func runShow(ctx context.Context, opts *showOptions) error {
	day := dayOr(opts.Date, opts.Now())
	authors, err := authorFilter(opts.Authors, opts.Author)
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(ctx)
	if err != nil {
		return err
	}
	who := viewer(opts.Author)
	entries, warnings, err := listShown(j, journal.Query{Since: day, Until: day, Authors: authors}, who)
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	replies, err := repliesTo(j, day, entries, authors, opts.IO.warn)
	if err != nil {
		return err
	}
	if opts.JSON {
		// The day's entries, then the replies written later to them.
		for _, e := range entries {
			for _, r := range replies[e.Path] {
				if r.Date != day {
					entries = append(entries, r)
				}
			}
		}
		return writeJSONTo(opts.IO.Out, entriesJSON(entries))
	}
	p := opts.IO.Palette()
	now := opts.Now()
	opts.IO.Printf("%s\n", p.Bold(day.In(now.Location()).Format("Monday 2 January 2006")))
	if len(entries) == 0 {
		by := ""
		for i, n := range authors {
			sep := " or "
			if i == 0 {
				sep = " by "
			}
			by += sep + displayName(n)
		}
		opts.IO.Printf("Nothing written%s %s.\n", by, relDayAt(now, day))
		return nil
	}
	answered := map[string]bool{}
	for _, e := range entries {
		for _, r := range replies[e.Path] {
			answered[r.Path] = true
		}
	}
	w := newFitWriter(opts.IO.Out, viewWidth(opts.IO))
	// Oldest first within the day reads like the evening went; replies
	// come under the entry they answer.
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if answered[e.Path] {
			continue
		}
		fmt.Fprintln(w)
		opts.IO.renderEntry(w, e)
		if to, ok := e.Field(journal.FieldTo); ok && e.Kind == journal.KindReply {
			fmt.Fprintf(w, "  %s\n", p.Dim("in reply to "+oneLine(to)))
		}
		for _, r := range replies[e.Path] {
			when := ""
			if r.Date != day {
				when = " " + relDayAt(now, r.Date)
			}
			fmt.Fprintf(w, "  %s %s\n", p.Magenta("↳"), p.Bold(displayName(r.Author)+" replied"+when+":"))
			opts.IO.renderSections(w, r, "    ")
		}
	}
	return w.Flush()
}

// repliesTo finds the replies to entries: written on their day or after,
// oldest first, by the path they answer; with authors, only theirs.
func repliesTo(j *Journal, day civil.Date, entries []*journal.Entry, authors []string, warn func([]error)) (map[string][]*journal.Entry, error) {
	out := map[string][]*journal.Entry{}
	if len(entries) == 0 {
		return out, nil
	}
	replies, warnings, err := j.Store.List(journal.Query{Since: day, Kinds: []journal.Kind{journal.KindReply}, Authors: authors})
	if err != nil {
		return nil, err
	}
	warn(warnings)
	paths := map[string]bool{}
	for _, e := range entries {
		paths[e.Path] = true
	}
	for i := len(replies) - 1; i >= 0; i-- {
		r := replies[i]
		if to, ok := r.Field(journal.FieldTo); ok && paths[to] {
			out[to] = append(out[to], r)
		}
	}
	return out, nil
}
