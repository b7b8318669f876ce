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
	entries, warnings, err := j.Store.List(journal.Query{Since: day, Until: day})
	if err != nil {
		return err
	}
	a.warn(warnings)
	if opts.JSON {
		return a.writeJSON(entriesJSON(entries))
	}
	p := a.IO.Palette()
	a.IO.Printf("%s\n", p.Bold(day.In(a.Now().Location()).Format("Monday 2 January 2006")))
	if len(entries) == 0 {
		a.IO.Printf("Nothing written %s.\n", a.relDay(day))
		return nil
	}
	// Oldest first within the day reads like the evening went.
	for i := len(entries) - 1; i >= 0; i-- {
		fmt.Fprintln(a.IO.Out)
		a.renderEntry(a.IO.Out, entries[i])
	}
	return nil
}
