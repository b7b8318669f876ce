package cmd

import (
	"bytes"
	"crypto/rand"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Terminal safety: the one rule for what reaches a terminal.
//
// What reconnect prints holds text it did not write: entries, titles,
// names and paths from the partner's clone, a remote or a hand edit, and
// the messages of errors that quote them. A terminal obeys the control
// characters in such text: ESC ] 52 writes the clipboard, ESC ] 0 the
// window title, ESC [ 2J clears the screen, C1's CSI (U+009B) starts a
// sequence without an ESC, and a lone CR lets later text hide earlier.
//
// The rule, [appendSafe]: C0 controls but newline and tab, DEL and C1
// controls are made visible as Unicode control pictures (ESC is ␛, BEL ␇,
// CR ␍; C1, which has none, is U+FFFD), so no escape sequence can start;
// bytes that are not UTF-8 are U+FFFD. Everything else passes byte for
// byte.
//
// Where it is applied, so that it cannot be forgotten: [App.Run] wraps
// IOStreams.Out and ErrOut in a [termWriter] before any command runs, and
// nothing in cmd keeps the real stdout or stderr (only the pager's process
// gets them, to draw on the terminal what the filter let through). Every
// Printf, every renderer handed a.IO.Out, cobra's help and errors, --json,
// and exports to standard output pass the rule on their way out. The
// modes say only what else passes:
//
//	text      newline and tab: all of Out and ErrOut
//	line      nothing else: newline and tab shown too (␊, ␉), for the
//	          one-line contexts, names, paths and titles ([oneLine])
//	document  text, and CR before LF: an export to standard output, whose
//	          formats (ics) end lines with CRLF ([IOStreams.WriteDocument])
//	live      text, and CR: a line redrawn in place, a progress counter or
//	          the together timer ([IOStreams.LiveOut], [IOStreams.LiveErr])
//
// reconnect's own colours: the [Palette] never writes ESC. With colour on
// it writes a marker that only a termWriter turns into ESC [; the marker
// holds 26 random characters drawn per process, so no file can hold it,
// and with colour off (NO_COLOR, TERM=dumb, not a terminal) the palette
// writes nothing at all.
//
// --json stays exact: the JSON encoder escapes C0, and [jsonSafe] escapes
// DEL and C1 as \u007f to \u009f, the same strings to any JSON reader; what
// is left is printable, so it passes the filter unchanged. An export
// written to a file with --out is exact (markdown, html and json); ics
// values have control characters shown by the rule in both, as RFC 5545
// text cannot hold them.

// safeMode is what passes besides printable text; see the rule above.
type safeMode uint8

const (
	modeText safeMode = iota
	modeLine
	modeDocument
	modeLive
)

// appendSafe appends src to dst by the rule, in mode m. When mark is not
// empty each occurrence of it in src becomes ESC '[' (the palette's
// colours). With more set, src is not the end of the output: an incomplete
// UTF-8 sequence, a CR in document mode or a prefix of mark at the end of
// src is left; n is how many bytes of src were used.
func appendSafe(dst, src []byte, m safeMode, mark string, more bool) (_ []byte, n int) {
	keepSpace := m != modeLine
	i := 0
	for i < len(src) {
		j := i
		for j < len(src) {
			c := src[j]
			if (c < ' ' || c >= 0x7f) && !(keepSpace && (c == '\n' || c == '\t')) {
				break
			}
			j++
		}
		dst = append(dst, src[i:j]...)
		if i = j; i == len(src) {
			break
		}
		c, rest := src[i], src[i:]
		switch {
		case c == 0x1b && mark != "" && len(rest) >= len(mark) && string(rest[:len(mark)]) == mark:
			dst = append(dst, "\x1b["...)
			i += len(mark)
			continue
		case c == 0x1b && mark != "" && more && len(rest) < len(mark) && strings.HasPrefix(mark, string(rest)):
			return dst, i // perhaps the start of a marker
		case c == '\r' && m == modeLive,
			c == '\r' && m == modeDocument && len(rest) > 1 && rest[1] == '\n':
			dst = append(dst, c)
			i++
			continue
		case c == '\r' && m == modeDocument && len(rest) == 1 && more:
			return dst, i // perhaps a CRLF
		case c < ' ':
			dst = utf8.AppendRune(dst, 0x2400+rune(c)) // ␀ to ␟
			i++
			continue
		case c == 0x7f:
			dst = append(dst, "\u2421"...) // ␡
			i++
			continue
		}
		r, size := utf8.DecodeRune(rest)
		switch {
		case r == utf8.RuneError && size <= 1:
			if more && !utf8.FullRune(rest) {
				return dst, i
			}
			dst = append(dst, "\ufffd"...)
			size = 1
		case r < 0xa0: // C1: U+0080 to U+009F
			dst = append(dst, "\ufffd"...)
		default:
			dst = append(dst, rest[:size]...)
		}
		i += size
	}
	return dst, i
}

// oneLine is s fit for one line of a terminal: a name, a path, a title.
// Newlines and tabs are shown too (␊, ␉), so a file name cannot start a
// line that looks like reconnect's own.
func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f {
			out, _ := appendSafe(make([]byte, 0, len(s)+8), []byte(s), modeLine, "", false)
			return string(out)
		}
	}
	return s
}

// safeText is multi-line text by the rule (newlines and tabs kept), for
// text that leaves reconnect another way than the terminal (a calendar).
func safeText(s string) string {
	out, _ := appendSafe(nil, []byte(s), modeText, "", false)
	return string(out)
}

// jsonSafe escapes, in JSON written by encoding/json, the characters it
// leaves raw that a terminal obeys: DEL and C1 (U+0080 to U+009F, in
// UTF-8 0xC2 0x80 to 0xC2 0x9F). They only occur inside strings, where
// \u007f and \u0080 to \u009f mean the same characters.
func jsonSafe(b []byte) []byte {
	if bytes.IndexByte(b, 0x7f) < 0 && bytes.IndexByte(b, 0xc2) < 0 {
		return b
	}
	const hex = "0123456789abcdef"
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == 0x7f:
			out = append(out, `\u007f`...)
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] < 0xa0:
			out = append(out, '\\', 'u', '0', '0', hex[b[i+1]>>4], hex[b[i+1]&0xf])
			i++
		default:
			out = append(out, c)
		}
	}
	return out
}

// colorMark is the palette's marker for ESC '[', drawn once per process
// when colour is first used.
type colorMark struct {
	mu sync.Mutex
	s  string
}

// get is the marker, drawn now if it was not yet.
func (c *colorMark) get() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s == "" {
		// ESC, then what no text holds by chance or by design: 26
		// characters of crypto/rand, then '[' to end it.
		c.s = "\x1b" + rand.Text() + "["
	}
	return c.s
}

// peek is the marker, or "" while colour has not been used.
func (c *colorMark) peek() string {
	if c == nil {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}

// termWriter passes everything written to it through the rule to w. Safe
// for concurrent use (a progress counter draws from a timer).
type termWriter struct {
	mu      sync.Mutex
	w       io.Writer
	mode    safeMode
	mark    *colorMark
	pending []byte // the end of a write that may continue in the next
	buf     []byte
}

func newTermWriter(w io.Writer, m safeMode, mark *colorMark) *termWriter {
	return &termWriter{w: w, mode: m, mark: mark}
}

func (t *termWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	src := p
	if len(t.pending) > 0 {
		src = append(t.pending, p...)
	}
	out, n := appendSafe(t.buf[:0], src, t.mode, t.mark.peek(), true)
	t.pending = append([]byte(nil), src[n:]...)
	if err := t.emit(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what a last Write held back (a cut UTF-8 sequence shows as
// U+FFFD).
func (t *termWriter) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.pending) == 0 {
		return nil
	}
	out, _ := appendSafe(t.buf[:0], t.pending, t.mode, t.mark.peek(), false)
	t.pending = nil
	return t.emit(out)
}

func (t *termWriter) emit(out []byte) error {
	if cap(out) <= 64<<10 {
		t.buf = out[:0]
	} else {
		t.buf = nil // do not keep a big export's buffer
	}
	if len(out) == 0 {
		return nil
	}
	_, err := t.w.Write(out)
	return err
}
