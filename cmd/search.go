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
	words := foldWords(opts.Words)
	// An entry whose stored text lacks a word is not even decoded; the
	// texts a search looks in are all in it, so none that matches is lost.
	// A partner's answer may be shown hidden, and searched as its
	// stand-in: its question, author and date are in the stored text, the
	// rest of the stand-in in hiddenNote.
	q.MayHold = func(text string) bool { return allIn(words, []string{text, hiddenNote}) }
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
	hits := searchEntries(entries, words)
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
			title += ": " + highlight(p, oneLine(t), opts.Words)
		}
		fmt.Fprintf(a.IO.Out, "%s  %s  %s  %s\n", p.Cyan(e.Date.String()), p.Bold(displayName(e.Author)), title, p.Dim(oneLine(e.Path)))
		if s := snippet(e, words, max(a.IO.Width-4, 40)); s != "" {
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
func searchEntries(entries []*journal.Entry, words []foldWord) []*journal.Entry {
	var hits []*journal.Entry
	var texts []string
	for _, e := range entries {
		texts = appendSearchTexts(texts[:0], e)
		if allIn(words, texts) {
			hits = append(hits, e)
		}
	}
	return hits
}

// allIn reports whether each word is in one of the texts.
func allIn(words []foldWord, texts []string) bool {
next:
	for _, w := range words {
		for _, t := range texts {
			if w.in(t) {
				continue next
			}
		}
		return false
	}
	return true
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

// foldWord is a word to look for in any case, with what decides how to
// look for it worked out once rather than for every text.
type foldWord struct {
	raw      string // as the query has it
	lower    string // lower-cased, which entries are matched against
	ascii    bool   // lower is all ASCII: look byte by byte
	rawASCII bool   // so is raw
	k, s     bool   // lower holds a k or an s, which non-ASCII letters fold to
}

func foldWords(words []string) []foldWord {
	out := make([]foldWord, len(words))
	for i, w := range words {
		out[i] = newFoldWord(w)
	}
	return out
}

func newFoldWord(raw string) foldWord {
	w := foldWord{raw: raw, lower: strings.ToLower(raw), ascii: true, rawASCII: isASCII(raw)}
	for i := 0; i < len(w.lower); i++ {
		switch c := w.lower[i]; {
		case c >= utf8.RuneSelf:
			w.ascii = false
		case c == 'k':
			w.k = true
		case c == 's':
			w.s = true
		}
	}
	return w
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// oddFolds reports whether s has one of the only two non-ASCII letters
// that fold to ASCII ones and that could match w: the Kelvin sign (to k)
// or the long s (to s).
func (w foldWord) oddFolds(s string) bool {
	return w.k && strings.Contains(s, "\u212a") || w.s && strings.Contains(s, "\u017f")
}

// in reports whether s holds the word (lower-cased) in any case.
//
// An ASCII word is looked for byte by byte, folding only ASCII letters; a
// byte of a multi-byte letter never equals an ASCII byte, so that finds
// every match but those through a Kelvin sign or a long s, which are
// looked for rune by rune only when the byte search found nothing.
func (w foldWord) in(s string) bool {
	if w.ascii {
		if indexFoldASCII(s, w.lower) >= 0 {
			return true
		}
		if !w.oddFolds(s) {
			return false
		}
	}
	i, _ := indexFold(s, w.lower)
	return i >= 0
}

// index is where the word (as the query has it) first occurs in s, in any
// case, as byte offsets into s, like indexFold; -1 when it does not. An
// ASCII word is looked for byte by byte unless s has a Kelvin sign or a
// long s it could match through, which could come first.
func (w foldWord) index(s string) (start, end int) {
	if !w.rawASCII || w.oddFolds(s) {
		return indexFold(s, w.raw)
	}
	if i := indexFoldASCII(s, w.lower); i >= 0 {
		return i, i + len(w.lower)
	}
	return -1, -1
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
func snippet(e *journal.Entry, words []foldWord, width int) string {
	secs := e.Sections()
	for _, s := range secs {
		for line := range strings.SplitSeq(s.Text, "\n") {
			for _, w := range words {
				i, j := w.index(line)
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
