package cmd

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// searchOptions is what 'search' uses: its dependencies (filled from the
// App by the constructor), then its flags.
type searchOptions struct {
	reader

	Words        []string
	Since, Until civil.Date
	Date         civil.Date
	Kinds        []string
	Authors      []string
	JSON         bool
}

// newSearchCmd is 'search'. runF runs it, given the options filled
// from the flags; nil is runSearch (tests pass their own).
func newSearchCmd(a *App, runF func(context.Context, *searchOptions) error) *cobra.Command {
	if runF == nil {
		runF = runSearch
	}
	opts := &searchOptions{reader: a.reader()}
	c := &cobra.Command{
		Use:   "search QUERY",
		Short: "Find entries by the words in them",
		Long: `Find the entries whose text holds every word of the query, in any
case: the words may be in any section or in the title, in any order.
Hits come newest first, each with the line it was found on; on a terminal
the words found are highlighted. Filters combine like log's.`,
		Example: `  reconnect search ramen
  reconnect search "walk river"            # both words, anywhere in the entry
  reconnect search coffee --author alex --kind thanks
  reconnect search walk --author me
  reconnect search holiday --since 2025-01-01 --json | jq length`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return withHint(usagef("search needs words to look for"), "for example: reconnect search ramen")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Words = strings.Fields(strings.Join(args, " "))
			return runF(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.Var(dateValue{&opts.Since}, "since", "only entries on or after this day")
	f.Var(dateValue{&opts.Until}, "until", "only entries on or before this day")
	addDateFlag(c, &opts.Date, "search as if today were this day: nothing written after it")
	f.StringSliceVar(&opts.Kinds, "kind", nil, "only entries of this `kind` (repeat or comma-separate)")
	addAuthorFilter(c, &opts.Authors)
	f.BoolVar(&opts.JSON, "json", false, "print the entries found as JSON")
	_ = c.RegisterFlagCompletionFunc("kind", completeKinds)
	return c
}

func runSearch(ctx context.Context, opts *searchOptions) error {
	if len(opts.Words) == 0 {
		return withHint(usagef("search needs words to look for, not only spaces"), "for example: reconnect search ramen")
	}
	until := opts.Until
	if !opts.Date.IsZero() && (until.IsZero() || opts.Date.Before(until)) {
		until = opts.Date
	}
	authors, err := authorFilter(opts.Authors, opts.Author)
	if err != nil {
		return err
	}
	q, err := readQuery(opts.Since, until, opts.Kinds, authors)
	if err != nil {
		return err
	}
	if len(q.Kinds) == 0 {
		// The bucket list and the planned dates have words too.
		for _, k := range journal.Kinds() {
			q.Kinds = append(q.Kinds, k.Kind)
		}
	}
	words := journal.NewSearch(opts.Words)
	// An entry whose stored text lacks a word is not even decoded; the
	// texts a search looks in are all in it, so none that matches is lost.
	// A partner's answer may be shown hidden, and searched as its
	// stand-in: its question, author and date are in the stored text, the
	// rest of the stand-in in hiddenNote.
	q.MayHold = func(text string) bool { return words.In(text, hiddenNote) }
	j, err := opts.OpenJournal(ctx)
	if err != nil {
		return err
	}
	entries, warnings, err := listShown(j, q, viewer(opts.Author))
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	hits := words.Filter(entries)
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, entriesJSON(hits))
	}
	query := strings.Join(opts.Words, " ")
	if len(hits) == 0 {
		opts.IO.Printf("Nothing matches %q.\n", query)
		return nil
	}
	opts.IO.StartPager()
	defer opts.IO.StopPager()
	width := viewWidth(opts.IO)
	w := newFitWriter(opts.IO.Out, width)
	p := opts.IO.Palette()
	mark := func(s string) string { return highlight(p, s, opts.Words) }
	for _, e := range hits {
		for _, l := range entryHeader(p, e, e.Title(), false, width, mark) {
			fmt.Fprintln(w, l)
		}
		if s := snippet(e, words, max(width-6, 1)); s != "" { // 4 of indent, 2 for the cuts' ellipses
			fmt.Fprintf(w, "    %s\n", highlight(p, s, opts.Words))
		}
	}
	noun := "entries match"
	if len(hits) == 1 {
		noun = "entry matches"
	}
	fmt.Fprintf(w, "\n%d %s %q.\n", len(hits), noun, query)
	return w.Flush()
}

// snippet is the line of the entry's text where the first word is found
// (or, when only the title holds it, the first line), cut to about width
// characters around the word, with the section's heading before it.
func snippet(e *journal.Entry, words journal.Search, width int) string {
	secs := e.Sections()
	for _, s := range secs {
		for line := range strings.SplitSeq(s.Text, "\n") {
			i, j := words.Index(line)
			if i < 0 {
				continue
			}
			label := ""
			if s.Heading != "" {
				label = s.Heading + ": "
			}
			return label + around(strings.TrimSpace(line), i, j, width-utf8.RuneCountInString(label))
		}
	}
	for _, s := range secs {
		first, _, _ := strings.Cut(s.Text, "\n")
		if line := strings.TrimSpace(first); line != "" {
			return around(line, 0, 0, width)
		}
	}
	return ""
}

// around cuts line to about width runes around the bytes [i, j), marking
// cuts with an ellipsis. Bytes that are not UTF-8 become U+FFFD when the
// line is cut.
func around(line string, i, j, width int) string {
	n := utf8.RuneCountInString(line)
	if n <= width {
		return line
	}
	start := max(utf8.RuneCountInString(line[:min(i, len(line))])-width/3, 0)
	_ = j
	end := min(start+width, n)
	start = max(end-width, 0)
	var out string
	if utf8.ValidString(line) {
		out = line[runeOffset(line, start):runeOffset(line, end)]
	} else {
		out = string([]rune(line)[start:end])
	}
	pre, post := "", ""
	if start > 0 {
		pre = "…"
	}
	if end < n {
		post = "…"
	}
	return pre + out + post
}

// runeOffset is the byte offset in s of its rune number k (counting from
// 0), or len(s) when s has k runes or fewer.
func runeOffset(s string, k int) int {
	for i := range s {
		if k == 0 {
			return i
		}
		k--
	}
	return len(s)
}

// highlight marks every occurrence of the words in s.
func highlight(p Palette, s string, words []string) string {
	if !p.on {
		return s
	}
	var b strings.Builder
	for s != "" {
		bi, bj := -1, -1
		for _, w := range words {
			if i, j := journal.IndexFold(s, w); i >= 0 && (bi < 0 || i < bi) {
				bi, bj = i, j
			}
		}
		if bi < 0 || bj == bi {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:bi])
		b.WriteString(p.wrap("1;33", s[bi:bj]))
		s = s[bj:]
	}
	return b.String()
}
