package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// displayName turns an author slug into a name for a sentence: "sam" -> "Sam".
func displayName(slug string) string {
	r, n := utf8.DecodeRuneInString(slug)
	return string(unicode.ToUpper(r)) + slug[n:]
}

// dayName is "today", "yesterday" or "Fri 20 Nov 2026".
func (a *App) dayName(d civil.Date) string {
	switch a.today().DaysSince(d) {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return d.In(a.Now().Location()).Format("Mon 2 Jan 2006")
}

// relDay is "today", "yesterday" or "on Fri 20 Nov 2026".
func (a *App) relDay(d civil.Date) string {
	n := a.dayName(d)
	if n == "today" || n == "yesterday" {
		return n
	}
	return "on " + n
}

// renderSections prints an entry's text, each section under its heading.
func (a *App) renderSections(w io.Writer, e *journal.Entry, indent string) {
	p := a.IO.Palette()
	for _, s := range e.Sections() {
		if s.Heading != "" {
			fmt.Fprintf(w, "%s%s\n", indent, p.Bold(sectionLabel(p, s.Heading)))
		}
		for _, line := range strings.Split(s.Text, "\n") {
			fmt.Fprintf(w, "%s  %s\n", indent, line)
		}
	}
}

// sectionLabel colours the three check-in headings like the flowers they are.
func sectionLabel(p Palette, heading string) string {
	switch strings.ToLower(heading) {
	case "rose":
		return p.Red(heading)
	case "bud":
		return p.Green(heading)
	case "thorn":
		return p.Yellow(heading)
	}
	return heading
}

// warn reports files that could not be read, once each, and goes on.
func (a *App) warn(warnings []error) {
	for _, w := range warnings {
		a.IO.Errorf("reconnect: warning: skipped %s\n", w)
	}
}

// writeJSON prints v as indented JSON.
func (a *App) writeJSON(v any) error {
	enc := json.NewEncoder(a.IO.Out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// entriesJSON is entries as DESIGN §2's JSON: an array, never null.
func entriesJSON(entries []*journal.Entry) []*journal.Entry {
	if entries == nil {
		return []*journal.Entry{}
	}
	return entries
}

// safeLine is s fit for one line of a terminal: control characters (C0,
// DEL, C1, and so every escape sequence's introducer) become '?'.
func safeLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '?'
		}
		return r
	}, s)
}
