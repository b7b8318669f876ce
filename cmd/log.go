package cmd

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

type logOptions struct {
	Since, Until civil.Date
	Kinds        []string
	Authors      []string
	JSON         bool
}

func newLogCmd(a *App) *cobra.Command {
	opts := &logOptions{}
	c := &cobra.Command{
		Use:   "log",
		Short: "Read the journal, newest first",
		Long: `Read what you both wrote, newest first. On a terminal the output is
paged. Filters combine: every one given must match.`,
		Example: `  reconnect log
  reconnect log --since 2026-11-01 --until 2026-11-30
  reconnect log --kind checkin --author alex
  reconnect log --kind thanks --json | jq length`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runLog(c.Context(), a, opts) },
	}
	f := c.Flags()
	f.Var(dateValue{&opts.Since}, "since", "only entries on or after this day")
	f.Var(dateValue{&opts.Until}, "until", "only entries on or before this day")
	f.StringSliceVar(&opts.Kinds, "kind", nil, "only entries of this `kind` (repeat or comma-separate)")
	// A local --author shadows the global one: here it filters by who wrote.
	f.StringSliceVar(&opts.Authors, "author", nil, "only entries by this `name` (repeat or comma-separate)")
	f.BoolVar(&opts.JSON, "json", false, "print the entries as JSON")
	_ = c.RegisterFlagCompletionFunc("kind", completeKinds)
	return c
}

// query turns the filters into a journal.Query, refusing bad ones.
func (a *App) query(since, until civil.Date, kinds, authors []string) (journal.Query, error) {
	q := journal.Query{Since: since, Until: until}
	if !since.IsZero() && !until.IsZero() && until.Before(since) {
		return q, usagef("--until %s is before --since %s", until, since)
	}
	for _, k := range kinds {
		kind, err := journal.ParseKind(k)
		if err != nil {
			return q, badInput(fmt.Errorf("--kind: %w", err))
		}
		q.Kinds = append(q.Kinds, kind)
	}
	for _, who := range authors {
		if err := journal.ValidAuthor(who); err != nil {
			return q, badInput(fmt.Errorf("--author: %w", err))
		}
		q.Authors = append(q.Authors, who)
	}
	return q, nil
}

func runLog(ctx context.Context, a *App, opts *logOptions) error {
	q, err := a.query(opts.Since, opts.Until, opts.Kinds, opts.Authors)
	if err != nil {
		return err
	}
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	entries, warnings, err := a.listShown(j, q)
	if err != nil {
		return err
	}
	a.warn(warnings)
	if opts.JSON {
		return a.writeJSON(entriesJSON(entries))
	}
	if len(entries) == 0 {
		a.IO.Printf("No entries match.\n")
		return nil
	}
	a.IO.StartPager()
	defer a.IO.StopPager()
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(a.IO.Out)
		}
		a.renderEntry(a.IO.Out, e)
	}
	return nil
}

// renderEntry prints one entry: a header line, then its text.
func (a *App) renderEntry(w io.Writer, e *journal.Entry) {
	p := a.IO.Palette()
	title := string(e.Kind)
	if t, ok := e.Field("title"); ok {
		title += ": " + oneLine(t)
	}
	if gitsync.IsConflictCopy(e.Path) {
		title += "  " + p.Yellow("(conflict copy)")
	}
	fmt.Fprintf(w, "%s  %s  %s  %s\n", p.Cyan(e.Date.String()), p.Bold(displayName(e.Author)), title, p.Dim(oneLine(e.Path)))
	a.renderSections(w, e, "  ")
}
