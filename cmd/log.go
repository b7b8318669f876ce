package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// logOptions is what 'log' uses: its dependencies (filled from the App by
// the constructor), then its flags.
type logOptions struct {
	reader

	Since, Until civil.Date
	Kinds        []string
	Authors      []string
	Limit        int // at most this many entries, the newest; 0: all
	JSON         bool
}

// newLogCmd is 'log'. runF runs it, given the options filled from the
// flags; nil is runLog (tests pass their own to see how flags are read).
func newLogCmd(a *App, runF func(context.Context, *logOptions) error) *cobra.Command {
	if runF == nil {
		runF = runLog
	}
	opts := &logOptions{reader: a.reader()}
	c := &cobra.Command{
		Use:   "log",
		Short: "Read the journal, newest first",
		Long: `Read what you both wrote, newest first. On a terminal the output is
paged. Filters combine: every one given must match; -n then keeps the
newest N of what matches. --since and --until take a day as you would
say it: 2026-11-01, yesterday, last friday, -7d, 2 weeks ago.`,
		Example: `  reconnect log
  reconnect log -n 5
  reconnect log --since 2026-11-01 --until 2026-11-30
  reconnect log --since -7d --kind checkin --author alex
  reconnect log --author me --json | jq length`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			if c.Flags().Changed("limit") && opts.Limit < 1 {
				return usagef("-n %d: show at least 1 entry", opts.Limit)
			}
			return runF(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.Var(dateValue{&opts.Since}, "since", "only entries on or after this day")
	f.Var(dateValue{&opts.Until}, "until", "only entries on or before this day")
	f.StringSliceVar(&opts.Kinds, "kind", nil, "only entries of this `kind` (repeat or comma-separate)")
	f.IntVarP(&opts.Limit, "limit", "n", 0, "at most `N` entries, the newest")
	addAuthorFilter(c, &opts.Authors)
	f.BoolVar(&opts.JSON, "json", false, "print the entries as JSON")
	_ = c.RegisterFlagCompletionFunc("kind", completeKinds)
	return c
}

// addAuthorFilter adds --author, the filter every read command has: only
// what these partners wrote, "me" for you.
func addAuthorFilter(c *cobra.Command, authors *[]string) {
	c.Flags().StringSliceVar(authors, "author", nil, "only entries by this `name`, me for yours (repeat or comma-separate)")
}

// authorFilter is the authors --author names: "me" is who is at the
// keyboard, a name is taken in any case; one that cannot be an author's
// name is refused (exit 2), naming it.
func authorFilter(names []string, me func() (string, error)) ([]string, error) {
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "me" {
			who, err := me()
			if err != nil {
				return nil, err
			}
			n = who
		} else if err := journal.ValidAuthor(n); err != nil {
			return nil, badInput(fmt.Errorf("--author: %w", err))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// readQuery turns the filters into a journal.Query, refusing bad ones;
// authors are the names [authorFilter] gave.
func readQuery(since, until civil.Date, kinds, authors []string) (journal.Query, error) {
	q := journal.Query{Since: since, Until: until, Authors: authors}
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
	return q, nil
}

func runLog(ctx context.Context, opts *logOptions) error {
	authors, err := authorFilter(opts.Authors, opts.Author)
	if err != nil {
		return err
	}
	q, err := readQuery(opts.Since, opts.Until, opts.Kinds, authors)
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(ctx)
	if err != nil {
		return err
	}
	entries, warnings, err := listShown(j, q, viewer(opts.Author))
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	if opts.Limit > 0 && len(entries) > opts.Limit {
		entries = entries[:opts.Limit] // newest first
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, entriesJSON(entries))
	}
	if len(entries) == 0 {
		opts.IO.Printf("No entries match.\n")
		return nil
	}
	opts.IO.StartPager()
	defer opts.IO.StopPager()
	w := newFitWriter(opts.IO.Out, viewWidth(opts.IO))
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(w)
		}
		opts.IO.renderEntry(w, e)
	}
	return w.Flush()
}

// renderEntry prints one entry: a header, then its text. The header
// fits the streams' width; w wraps the text ([fitWriter]).
func (s *IOStreams) renderEntry(w io.Writer, e *journal.Entry) {
	p := s.Palette()
	title, _ := e.Field("title")
	for _, l := range entryHeader(p, e, title, gitsync.IsConflictCopy(e.Path), viewWidth(s), nil) {
		fmt.Fprintln(w, l)
	}
	s.renderSections(w, e, "  ")
}

// entryHeader is an entry's header, each line at most width columns: its
// day, author, kind and title, then its path. When the path does not fit
// on the line it goes on a line of its own, under; a title too long for
// the line is cut with an ellipsis. mark, when not nil, colours the
// title's words (search).
func entryHeader(p Palette, e *journal.Entry, title string, conflict bool, width int, mark func(string) string) []string {
	date, name, kind, path := e.Date.String(), displayName(e.Author), string(e.Kind), oneLine(e.Path)
	title = oneLine(title)
	note := ""
	if conflict {
		note = "  (conflict copy)"
	}
	fixed := textWidth(date) + 2 + textWidth(name) + 2 + textWidth(kind) + textWidth(note)
	titleW := 0
	if title != "" {
		titleW = 2 + textWidth(title)
	}
	fits := fixed+titleW+2+textWidth(path) <= width
	if title != "" && fixed+titleW > width {
		title = cut(title, max(width-fixed-2, 1))
	}
	if title != "" {
		if mark != nil {
			title = mark(title)
		}
		kind += ": " + title
	}
	if conflict {
		kind += "  " + p.Yellow("(conflict copy)")
	}
	line := fmt.Sprintf("%s  %s  %s", p.Cyan(date), p.Bold(name), kind)
	if fits {
		return []string{line + "  " + p.Dim(path)}
	}
	return []string{line, "  " + p.Dim(path)}
}
