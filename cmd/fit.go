package cmd

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// What a read view does to fit the terminal: every line it prints is at
// most IOStreams.Width columns. Long text is wrapped at spaces under its
// own indent, a line that must stay one line (an entry's header) is cut
// with an ellipsis. This is for display only: --json and export files are
// never fitted.

// viewWidth is the width a view fits: the terminal's, or 80 when unknown.
func viewWidth(s *IOStreams) int {
	if s.Width <= 0 {
		return 80
	}
	return s.Width
}

// textWidth is how many columns s takes on a terminal: the palette's
// colour sequences take none, wide characters two, anything else one (a
// control character is shown as one symbol).
func textWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if j := colorEnd(s[i:]); j > 0 {
				i += j
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n += runeWidth(r)
	}
	return n
}

// colorEnd is the length of the colour sequence s starts with (ESC, a
// marker of letters and digits, '[', numbers and ';', then 'm'), or 0.
func colorEnd(s string) int {
	i := 1
	for i < len(s) && s[i] != '[' {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return 0
		}
		i++
	}
	i++ // '['
	for i < len(s) && ('0' <= s[i] && s[i] <= '9' || s[i] == ';') {
		i++
	}
	if i < len(s) && s[i] == 'm' {
		return i + 1
	}
	return 0
}

func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// cut is plain text s cut to at most w columns, an ellipsis marking the
// cut.
func cut(s string, w int) string {
	if textWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	n := 0
	for i, r := range s {
		if n+runeWidth(r) > w-1 {
			return strings.TrimRight(s[:i], " ") + "…"
		}
		n += runeWidth(r)
	}
	return s
}

// wrapLine breaks one line at spaces into lines of at most w columns; the
// lines after the first start with indent. The spaces within a line are
// kept as they were. Words are kept whole (and any colour in them): only a
// plain word longer than a line is cut at the line's end and goes on in
// the next.
func wrapLine(line string, w int, indent string) []string {
	if textWidth(line) <= w {
		return []string{line}
	}
	var out []string
	cur, curW := "", 0
	fresh := true // nothing on cur but its indent
	flush := func() {
		out = append(out, strings.TrimRight(cur, " "))
		cur, curW, fresh = indent, textWidth(indent), true
	}
	for rest := line; rest != ""; {
		word := strings.TrimLeft(rest, " ")
		gap := rest[:len(rest)-len(word)]
		if k := strings.IndexByte(word, ' '); k >= 0 {
			word, rest = word[:k], word[k:]
		} else {
			rest = ""
		}
		if word == "" {
			break
		}
		ww := textWidth(word)
		switch {
		case len(out) == 0 && fresh:
			cur, curW = gap, len(gap) // the line's own indent
		case !fresh && curW+len(gap)+ww > w:
			flush()
		case !fresh:
			cur, curW = cur+gap, curW+len(gap)
		}
		for curW+ww > w && !strings.Contains(word, "\x1b") {
			// A word longer than the line: as much as fits, then on.
			i, n := 0, 0
			for j, r := range word {
				if curW+n+runeWidth(r) > w {
					i = j
					break
				}
				n += runeWidth(r)
			}
			if i == 0 {
				break
			}
			cur += word[:i]
			word, ww = word[i:], textWidth(word[i:])
			flush()
		}
		cur, curW, fresh = cur+word, curW+ww, false
	}
	if !fresh || len(out) == 0 {
		flush()
	}
	return out
}

// fitWriter wraps every line written through it to width columns (see
// [wrapLine]), each under its own leading spaces. Flush writes a last line
// that has no newline.
type fitWriter struct {
	w     io.Writer
	width int
	buf   []byte
}

func newFitWriter(w io.Writer, width int) *fitWriter { return &fitWriter{w: w, width: width} }

func (f *fitWriter) Write(p []byte) (int, error) {
	f.buf = append(f.buf, p...)
	for {
		i := bytes.IndexByte(f.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if err := f.line(string(f.buf[:i]), "\n"); err != nil {
			return 0, err
		}
		f.buf = f.buf[i+1:]
	}
}

func (f *fitWriter) line(s, end string) error {
	lead := s[:len(s)-len(strings.TrimLeft(s, " "))]
	_, err := io.WriteString(f.w, strings.Join(wrapLine(s, f.width, lead), "\n")+end)
	return err
}

// Flush writes what is left of a line without a newline.
func (f *fitWriter) Flush() error {
	if len(f.buf) == 0 {
		return nil
	}
	err := f.line(string(f.buf), "")
	f.buf = nil
	return err
}
