package cmd

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

type searchOptions struct {
	Words        []string
	Since, Until civil.Date
	Date         civil.Date
	Kinds        []string
	Authors      []string
	JSON         bool
}

func newSearchCmd(a *App) *cobra.Command {
	opts := &searchOptions{}
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
  reconnect search holiday --since 2025-01-01 --json | jq length`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return withHint(usagef("search needs words to look for"), "for example: reconnect search ramen")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Words = strings.Fields(strings.Join(args, " "))
			return runSearch(c.Context(), a, opts)
		},
	}
	f := c.Flags()
	f.Var(dateValue{&opts.Since}, "since", "only entries on or after this day")
	f.Var(dateValue{&opts.Until}, "until", "only entries on or before this day")
	addDateFlag(c, &opts.Date, "search as if today were this day: nothing written after it")
	f.StringSliceVar(&opts.Kinds, "kind", nil, "only entries of this `kind` (repeat or comma-separate)")
	f.StringSliceVar(&opts.Authors, "author", nil, "only entries by this `name` (repeat or comma-separate)")
	f.BoolVar(&opts.JSON, "json", false, "print the entries found as JSON")
	_ = c.RegisterFlagCompletionFunc("kind", completeKinds)
	return c
}

func runSearch(ctx context.Context, a *App, opts *searchOptions) error {
	if len(opts.Words) == 0 {
		return withHint(usagef("search needs words to look for, not only spaces"), "for example: reconnect search ramen")
	}
	until := opts.Until
	if !opts.Date.IsZero() && (until.IsZero() || opts.Date.Before(until)) {
		until = opts.Date
	}
	q, err := a.query(opts.Since, until, opts.Kinds, opts.Authors)
	if err != nil {
		return err
	}
	if len(q.Kinds) == 0 {
		// The bucket list and the planned dates have words too.
		for _, k := range journal.Kinds() {
			q.Kinds = append(q.Kinds, k.Kind)
		}
	}
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	entries, warnings, err := j.Store.List(q)
	if err != nil {
		return err
	}
	entries = a.shown(j, entries)
	a.warn(warnings)
	hits := searchEntries(entries, opts.Words)
	if opts.JSON {
		return a.writeJSON(entriesJSON(hits))
	}
	query := strings.Join(opts.Words, " ")
	if len(hits) == 0 {
		a.IO.Printf("Nothing matches %q.\n", query)
		return nil
	}
	a.IO.StartPager()
	defer a.IO.StopPager()
	p := a.IO.Palette()
	for _, e := range hits {
		title := string(e.Kind)
		if t := e.Title(); t != "" {
			title += ": " + highlight(p, t, opts.Words)
		}
		fmt.Fprintf(a.IO.Out, "%s  %s  %s  %s\n", p.Cyan(e.Date.String()), p.Bold(displayName(e.Author)), title, p.Dim(e.Path))
		if s := snippet(e, opts.Words, max(a.IO.Width-4, 40)); s != "" {
			fmt.Fprintf(a.IO.Out, "    %s\n", highlight(p, s, opts.Words))
		}
	}
	noun := "entries match"
	if len(hits) == 1 {
		noun = "entry matches"
	}
	fmt.Fprintf(a.IO.Out, "\n%d %s %q.\n", len(hits), noun, query)
	return nil
}

// searchEntries is the entries (in their order) holding every word, in any
// case, in their title or their sections.
func searchEntries(entries []*journal.Entry, words []string) []*journal.Entry {
	lower := make([]string, len(words))
	for i, w := range words {
		lower[i] = strings.ToLower(w)
	}
	var hits []*journal.Entry
	var texts []string
	for _, e := range entries {
		texts = appendSearchTexts(texts[:0], e)
		all := true
		for _, w := range lower {
			found := false
			for _, t := range texts {
				if containsFold(t, w) {
					found = true
					break
				}
			}
			if !found {
				all = false
				break
			}
		}
		if all {
			hits = append(hits, e)
		}
	}
	return hits
}

// appendSearchTexts appends what a search looks in: the title, the
// question, then each section.
func appendSearchTexts(out []string, e *journal.Entry) []string {
	if t := e.Title(); t != "" {
		out = append(out, t)
	}
	if q, ok := e.Field(journal.FieldQuestion); ok && q != "" {
		out = append(out, q)
	}
	for _, s := range e.Sections() {
		out = append(out, s.Text)
	}
	return out
}

// containsFold reports whether s holds w (already lower-case) in any case.
func containsFold(s, w string) bool {
	if asciiFoldable(s, w) {
		return indexFoldASCII(s, w) >= 0
	}
	i, _ := indexFold(s, w)
	return i >= 0
}

// asciiFoldable reports whether a lower-case w can be looked for in s byte
// by byte, folding only ASCII letters: w is ASCII, and s has none of the two
// non-ASCII letters that fold to ASCII ones (the Kelvin sign to k, the long
// s to s, whose UTF-8 starts with 0xe2 and 0xc5) when w has a k or an s. A byte of a multi-byte letter in s never
// equals an ASCII byte, so no other letter of s can match.
func asciiFoldable(s, w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	if strings.IndexByte(w, 'k') >= 0 && strings.IndexByte(s, 0xe2) >= 0 && strings.Contains(s, "\u212a") {
		return false
	}
	if strings.IndexByte(w, 's') >= 0 && strings.IndexByte(s, 0xc5) >= 0 && strings.Contains(s, "\u017f") {
		return false
	}
	return true
}

// indexFoldASCII is where w (lower-case ASCII) first occurs in s with ASCII
// letters in any case, or -1.
func indexFoldASCII(s, w string) int {
	if w == "" {
		return 0
	}
	lo, up := w[0], w[0]
	if 'a' <= lo && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	last := len(s) - len(w)  // the last place w can start
	nextLo, nextUp := -1, -1 // where lo and up next occur from i; -1 unknown
	for i := 0; i <= last; {
		if nextLo < i {
			if nextLo = strings.IndexByte(s[i:last+1], lo); nextLo < 0 {
				nextLo = len(s)
			} else {
				nextLo += i
			}
		}
		if up == lo {
			nextUp = nextLo
		} else if nextUp < i {
			if nextUp = strings.IndexByte(s[i:last+1], up); nextUp < 0 {
				nextUp = len(s)
			} else {
				nextUp += i
			}
		}
		j := min(nextLo, nextUp)
		if j > last {
			return -1
		}
		if equalFoldASCII(s[j+1:j+len(w)], w[1:]) {
			return j
		}
		i = j + 1
	}
	return -1
}

// equalFoldASCII reports whether s equals w (lower-case ASCII, as long as
// s) with ASCII letters in any case.
func equalFoldASCII(s, w string) bool {
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// indexFold is where w first occurs in s, in any case, as byte offsets into
// s; -1 when it does not.
func indexFold(s, w string) (start, end int) {
	if w == "" {
		return 0, 0
	}
	first, _ := utf8.DecodeRuneInString(w)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if equalFoldRune(r, first) {
			if j, ok := prefixFold(s[i:], w); ok {
				return i, i + j
			}
		}
		i += n
	}
	return -1, -1
}

// prefixFold reports whether s starts with w in any case, and how many
// bytes of s that prefix is.
func prefixFold(s, w string) (int, bool) {
	i := 0
	for _, wr := range w {
		if i >= len(s) {
			return 0, false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !equalFoldRune(r, wr) {
			return 0, false
		}
		i += n
	}
	return i, true
}

func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	if a < utf8.RuneSelf && b < utf8.RuneSelf {
		return 'A' <= a && a <= 'Z' && a+'a'-'A' == b || 'A' <= b && b <= 'Z' && b+'a'-'A' == a
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}

// snippet is the line of the entry's text where the first word is found
// (or, when only the title holds it, the first line), cut to about width
// characters around the word, with the section's heading before it.
func snippet(e *journal.Entry, words []string, width int) string {
	for _, s := range e.Sections() {
		for _, line := range strings.Split(s.Text, "\n") {
			for _, w := range words {
				i, j := indexFold(line, w)
				if i < 0 {
					continue
				}
				label := ""
				if s.Heading != "" {
					label = s.Heading + ": "
				}
				return label + around(strings.TrimSpace(line), i, j, width-len([]rune(label)))
			}
		}
	}
	for _, s := range e.Sections() {
		if line := strings.TrimSpace(strings.SplitN(s.Text, "\n", 2)[0]); line != "" {
			return around(line, 0, 0, width)
		}
	}
	return ""
}

// around cuts line to about width runes around the bytes [i, j), marking
// cuts with an ellipsis.
func around(line string, i, j, width int) string {
	runes := []rune(line)
	if len(runes) <= width {
		return line
	}
	start := max(utf8.RuneCountInString(line[:min(i, len(line))])-width/3, 0)
	_ = j
	end := min(start+width, len(runes))
	start = max(end-width, 0)
	out := string(runes[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(runes) {
		out += "…"
	}
	return out
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
			if i, j := indexFold(s, w); i >= 0 && (bi < 0 || i < bi) {
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
