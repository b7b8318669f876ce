package journal

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search rule: an entry matches a query when every word of the query
// occurs, in any case, in its title, its question or one of its sections.
// Case is folded rune by rune with Unicode's simple folding
// ([unicode.SimpleFold]), so "CAFÉ" finds "café" and "ΣΊΣΥΦΟΣ" finds
// "σίσυφος"; accents are not folded away ("cafe" does not find "café").
// Why it is hand-written rather than golang.org/x/text: docs/benchmarks.md,
// "Search folding".

// Search is a query: words each of which must occur, in any case, in an
// entry for it to match. Build it with [NewSearch]; the zero Search matches
// everything.
type Search struct {
	words []foldWord
}

// NewSearch is the search for every one of words.
func NewSearch(words []string) Search {
	s := Search{words: make([]foldWord, len(words))}
	for i, w := range words {
		s.words[i] = newFoldWord(w)
	}
	return s
}

// Filter is the entries (in their order) that match.
func (q Search) Filter(entries []*Entry) []*Entry {
	var hits []*Entry
	var texts []string
	for _, e := range entries {
		texts = AppendSearchTexts(texts[:0], e)
		if q.In(texts...) {
			hits = append(hits, e)
		}
	}
	return hits
}

// Matches reports whether e matches: each word is in its title, its
// question or one of its sections.
func (q Search) Matches(e *Entry) bool {
	return q.In(AppendSearchTexts(nil, e)...)
}

// In reports whether each word is in one of the texts.
func (q Search) In(texts ...string) bool {
next:
	for _, w := range q.words {
		for _, t := range texts {
			if w.in(t) {
				continue next
			}
		}
		return false
	}
	return true
}

// Index is where the first of the words (in the query's order) that s
// holds occurs in s, as byte offsets; -1, -1 when s holds none.
func (q Search) Index(s string) (start, end int) {
	for _, w := range q.words {
		if i, j := w.index(s); i >= 0 {
			return i, j
		}
	}
	return -1, -1
}

// AppendSearchTexts appends what a search looks in: the title, the
// question, then each section.
func AppendSearchTexts(out []string, e *Entry) []string {
	if t := e.Title(); t != "" {
		out = append(out, t)
	}
	if q, ok := e.Field(FieldQuestion); ok && q != "" {
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
	i, _ := IndexFold(s, w.lower)
	return i >= 0
}

// index is where the word (as the query has it) first occurs in s, in any
// case, as byte offsets into s, like IndexFold; -1 when it does not. An
// ASCII word is looked for byte by byte unless s has a Kelvin sign or a
// long s it could match through, which could come first.
func (w foldWord) index(s string) (start, end int) {
	if !w.rawASCII || w.oddFolds(s) {
		return IndexFold(s, w.raw)
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

// IndexFold is where w first occurs in s, in any case, as byte offsets into
// s; -1 when it does not. An empty w occurs at 0.
func IndexFold(s, w string) (start, end int) {
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
