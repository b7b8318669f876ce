package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

type showOptions struct {
	Date civil.Date
	JSON bool
}

func newShowCmd(a *App) *cobra.Command {
	opts := &showOptions{}
	c := &cobra.Command{
		Use:   "show [DATE]",
		Short: "Show both partners' entries of one day",
		Long: `Show what both of you wrote on one day, oldest first. Replies to a
check-in ('reconnect reply') are shown under the check-in they answer, also
when they were written on a later day. --json prints the day's entries and
then those later replies; a reply names what it answers in fields.to.`,
		Example: `  reconnect show              # today
  reconnect show 2026-11-20
  reconnect show --date 2026-11-20 --json`,
		Args: maxArgs(1, "one DATE (YYYY-MM-DD)"),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				if c.Flags().Changed("date") {
					return usagef("give the day as DATE or --date, not both")
				}
				if err := (dateValue{&opts.Date}).Set(args[0]); err != nil {
					return badInput(err)
				}
			}
			return runShow(c.Context(), a, opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the entries as JSON")
	return c
}

func runShow(ctx context.Context, a *App, opts *showOptions) error {
	day := a.dateOr(opts.Date)
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	entries, warnings, err := a.listShown(j, journal.Query{Since: day, Until: day})
	if err != nil {
		return err
	}
	a.warn(warnings)
	replies, err := a.repliesTo(j, day, entries)
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
		return a.writeJSON(entriesJSON(entries))
	}
	p := a.IO.Palette()
	a.IO.Printf("%s\n", p.Bold(day.In(a.Now().Location()).Format("Monday 2 January 2006")))
	if len(entries) == 0 {
		a.IO.Printf("Nothing written %s.\n", a.relDay(day))
		return nil
	}
	answered := map[string]bool{}
	for _, e := range entries {
		for _, r := range replies[e.Path] {
			answered[r.Path] = true
		}
	}
	// Oldest first within the day reads like the evening went; replies
	// come under the entry they answer.
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if answered[e.Path] {
			continue
		}
		fmt.Fprintln(a.IO.Out)
		a.renderEntry(a.IO.Out, e)
		if to, ok := e.Field(journal.FieldTo); ok && e.Kind == journal.KindReply {
			a.IO.Printf("  %s\n", p.Dim("in reply to "+oneLine(to)))
		}
		for _, r := range replies[e.Path] {
			when := ""
			if r.Date != day {
				when = " " + a.relDay(r.Date)
			}
			a.IO.Printf("  %s %s\n", p.Magenta("↳"), p.Bold(displayName(r.Author)+" replied"+when+":"))
			a.renderSections(a.IO.Out, r, "    ")
		}
	}
	return nil
}

// repliesTo finds the replies to entries: written on their day or after,
// oldest first, by the path they answer.
func (a *App) repliesTo(j *Journal, day civil.Date, entries []*journal.Entry) (map[string][]*journal.Entry, error) {
	out := map[string][]*journal.Entry{}
	if len(entries) == 0 {
		return out, nil
	}
	replies, warnings, err := j.Store.List(journal.Query{Since: day, Kinds: []journal.Kind{journal.KindReply}})
	if err != nil {
		return nil, err
	}
	a.warn(warnings)
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
