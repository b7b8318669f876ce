package journal

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reconnect-app/reconnect/internal/civil"
)

const bom = "\uFEFF"

// Parse reads an entry file. path is recorded in the entry and in errors.
//
// CRLF (and lone CR) line endings become LF and a UTF-8 byte-order mark is
// dropped. The
// file must start with a front matter between two "---" lines holding the
// keys kind, author, date and created with valid values. A "## Heading" line
// starts a section unless it is inside a fenced code block; "###" and deeper
// headings stay in the text. Every failure is a [*ParseError] with the line
// it concerns.
func Parse(path string, data []byte) (*Entry, error) {
	s := normalizeNewlines(strings.TrimPrefix(string(data), bom))
	fail := func(line int, err error) (*Entry, error) {
		return nil, &ParseError{Path: path, Line: line, Err: err}
	}
	if line := conflictLine(s); line > 0 {
		return fail(line, ErrConflictMarkers)
	}
	if !utf8.ValidString(s) {
		return fail(invalidUTF8Line(s), ErrInvalidUTF8)
	}
	fmText, body, ok := cutFrontMatter(s)
	if !ok {
		return fail(1, ErrNoFrontMatter)
	}
	fm, yerr := parseFrontMatter(fmText)
	if yerr != nil {
		return fail(yerr.line+1, yerr.err)
	}
	e := &Entry{Path: path, fm: fm}
	if line, err := e.loadRequired(); err != nil {
		return fail(line, err)
	}
	e.free, e.secs = splitBody(body)
	return e, nil
}

// loadRequired fills the entry's fields from its front matter, or says which
// key is wrong and on which file line.
func (e *Entry) loadRequired() (int, error) {
	for _, key := range []string{KeyKind, KeyAuthor, KeyDate, KeyCreated} {
		k, ok := e.fm.get(key)
		if !ok {
			return 1, fmt.Errorf("%w %q", ErrMissingKey, key)
		}
		line := k.line + 1
		if !k.scalar {
			return line, fmt.Errorf("key %q: %w: want a single value", key, sentinelOf(key))
		}
		switch key {
		case KeyKind:
			if _, ok := lookupKind(Kind(k.value)); !ok {
				return line, fmt.Errorf("key %q: %w", key, unknownKind(k.value))
			}
			e.Kind = Kind(k.value)
		case KeyAuthor:
			if err := ValidAuthor(k.value); err != nil {
				return line, fmt.Errorf("key %q: %w", key, err)
			}
			e.Author = k.value
		case KeyDate:
			d, err := civil.Parse(k.value)
			if err != nil {
				return line, fmt.Errorf("key %q: %w", key, err)
			}
			e.Date = d
		case KeyCreated:
			t, err := parseCreated(k.value)
			if err != nil {
				return line, fmt.Errorf("key %q: %w %q: want RFC 3339 with an offset, like 2026-11-21T21:14:03+01:00", key, ErrBadTime, k.value)
			}
			e.Created = t
		}
	}
	return 0, nil
}

// parseCreated reads a creation time in the strict RFC 3339 form
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM); time.Parse alone lets through a
// one-digit hour.
func parseCreated(s string) (time.Time, error) {
	if !strictRFC3339(s) {
		return time.Time{}, errors.New("not rfc 3339")
	}
	return time.Parse(time.RFC3339, s)
}

func strictRFC3339(s string) bool {
	const layout = "dddd-dd-ddTdd:dd:dd"
	if len(s) < len(layout)+1 {
		return false
	}
	for i := 0; i < len(layout); i++ {
		if c := s[i]; layout[i] == 'd' && (c < '0' || c > '9') || layout[i] != 'd' && c != layout[i] {
			return false
		}
	}
	rest := s[len(layout):]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return false
		}
		rest = rest[n:]
	}
	if rest == "Z" {
		return true
	}
	return len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
		isDigits(rest[1:3]) && isDigits(rest[4:6])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func sentinelOf(key string) error {
	switch key {
	case KeyKind:
		return ErrUnknownKind
	case KeyAuthor:
		return ErrBadAuthor
	case KeyDate:
		return civil.ErrBadDate
	}
	return ErrBadTime
}

// Render writes the entry as a file: the front matter, then the free text
// and the sections, one blank line between blocks, ending in a single "\n".
// The front matter keeps its text except for required keys whose field
// changed since it was parsed.
func (e *Entry) Render() []byte {
	fm := e.fm
	for _, key := range []string{KeyKind, KeyAuthor, KeyDate, KeyCreated} {
		if !e.requiredSame(fm, key) {
			fm = fm.with(key, scalarNode(e.requiredText(key)))
		}
	}
	var b strings.Builder
	b.Grow(len(fm.text) + len(e.free) + 64*len(e.secs))
	b.WriteString("---\n")
	b.WriteString(fm.text)
	b.WriteString("---\n")
	sep := "\n"
	if e.free != "" {
		b.WriteString(sep)
		b.WriteString(e.free)
		sep = "\n\n"
	}
	for _, s := range e.secs {
		b.WriteString(sep)
		b.WriteString("## ")
		b.WriteString(s.Heading)
		if s.Text != "" {
			b.WriteString("\n")
			b.WriteString(s.Text)
		}
		sep = "\n\n"
	}
	if sep != "\n" {
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// normalizeNewlines turns CRLF and lone CR line endings into LF. (Leaving a
// lone CR would not survive: one that ends the text meets the LF Render
// writes after it and reads back as a CRLF.)
func normalizeNewlines(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// cutFrontMatter splits s at its front matter: a first line "---" and the
// next line "---" (trailing blanks allowed on both). fm keeps the newline
// of each of its lines.
func cutFrontMatter(s string) (fm, body string, ok bool) {
	first, rest, found := strings.Cut(s, "\n")
	if !found || !isDelimiter(first) {
		return "", "", false
	}
	for i := 0; i < len(rest); {
		j := strings.IndexByte(rest[i:], '\n')
		end := len(rest)
		if j >= 0 {
			end = i + j
		}
		if isDelimiter(rest[i:end]) {
			if end < len(rest) {
				end++
			}
			return rest[:i], rest[end:], true
		}
		i = end + 1
	}
	return "", "", false
}

func isDelimiter(line string) bool {
	return strings.TrimRight(line, " \t") == "---"
}

// conflictLine is the 1-based line of the first merge conflict marker, or 0.
func conflictLine(s string) int {
	line := 1
	for rest := s; ; line++ {
		l, next, more := strings.Cut(rest, "\n")
		if isConflictMarker(l) {
			return line
		}
		if !more {
			return 0
		}
		rest = next
	}
}

func isConflictMarker(l string) bool {
	return strings.HasPrefix(l, "<<<<<<< ") || strings.HasPrefix(l, ">>>>>>> ") || l == "=======" ||
		l == "<<<<<<<" || l == ">>>>>>>"
}

func invalidUTF8Line(s string) int {
	line := 1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line
}

// splitBody cuts the text after the front matter into the free text and the
// sections. Texts are substrings of body, without blank lines at either end.
func splitBody(body string) (string, []Section) {
	var (
		free        string
		secs        []Section
		heading     string
		inSec       bool
		first, last = -1, -1 // the current block's non-blank span in body
		f           fence
	)
	flush := func() {
		t := ""
		if first >= 0 {
			t = body[first:last]
		}
		if inSec {
			secs = append(secs, Section{Heading: heading, Text: t})
		} else {
			free = t
		}
		first, last = -1, -1
	}
	for pos := 0; pos <= len(body); {
		end := strings.IndexByte(body[pos:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += pos
		}
		l := body[pos:end]
		next := end + 1
		if !f.open() {
			if h, ok := headingOf(l); ok {
				flush()
				heading, inSec = h, true
				pos = next
				continue
			}
		}
		f.feed(l)
		if !isBlank(l) {
			if first < 0 {
				first = pos
			}
			last = end
		}
		pos = next
	}
	flush()
	return free, secs
}

// headingOf reports whether l is a "## Heading" line and what it says.
func headingOf(l string) (string, bool) {
	if !strings.HasPrefix(l, "## ") {
		return "", false
	}
	h := strings.TrimSpace(l[3:])
	return h, h != ""
}

func isBlank(l string) bool { return strings.Trim(l, " \t") == "" }

// trimBlankLines joins lines without the blank ones at either end.
func trimBlankLines(lines []string) string {
	i, j := 0, len(lines)
	for i < j && isBlank(lines[i]) {
		i++
	}
	for j > i && isBlank(lines[j-1]) {
		j--
	}
	return strings.Join(lines[i:j], "\n")
}

// fence follows fenced code blocks (``` or ~~~, CommonMark's rules, up to
// three spaces of indent) through a run of lines.
type fence struct {
	ch byte // '`' or '~' while open
	n  int  // length of the opening run, 0 when closed
}

func (f *fence) open() bool { return f.n > 0 }

func (f *fence) feed(l string) {
	indent := 0
	for indent < len(l) && indent < 4 && l[indent] == ' ' {
		indent++
	}
	if indent > 3 {
		return
	}
	rest := l[indent:]
	if rest == "" || (rest[0] != '`' && rest[0] != '~') {
		return
	}
	c := rest[0]
	k := 0
	for k < len(rest) && rest[k] == c {
		k++
	}
	if k < 3 {
		return
	}
	switch {
	case !f.open():
		if c == '`' && strings.IndexByte(rest[k:], '`') >= 0 {
			return // not a fence: an info string may not hold a backtick
		}
		f.ch, f.n = c, k
	case c == f.ch && k >= f.n && isBlank(rest[k:]):
		f.ch, f.n = 0, 0
	}
}

// normalizeText makes text safe to store as the body of one section: what
// Parse reads back from the rendered file is the same text.
func normalizeText(text string) string {
	lines := strings.Split(normalizeNewlines(strings.ToValidUTF8(text, "\uFFFD")), "\n")
	t := trimBlankLines(lines)
	if t == "" {
		return ""
	}
	lines = strings.Split(t, "\n")
	var f fence
	for i, l := range lines {
		if isConflictMarker(l) {
			lines[i] = `\` + l // Parse refuses these anywhere, code blocks included
			continue
		}
		if _, ok := headingOf(l); ok && !f.open() {
			lines[i] = `\` + l
			continue
		}
		f.feed(l)
	}
	if f.open() {
		lines = append(lines, strings.Repeat(string(f.ch), f.n))
	}
	return strings.Join(lines, "\n")
}

// closeFence adds a closing fence line to text that leaves a code fence open.
func closeFence(text string) string {
	var f fence
	for l := range strings.SplitSeq(text, "\n") {
		f.feed(l)
	}
	if !f.open() {
		return text
	}
	return text + "\n" + strings.Repeat(string(f.ch), f.n)
}
