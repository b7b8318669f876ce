package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// displayName turns an author slug into a name for a sentence: "sam" -> "Sam".
// A name read from a front-matter field rather than a checked author may
// hold anything: it is made one line ([oneLine]).
func displayName(slug string) string {
	r, n := utf8.DecodeRuneInString(slug)
	return oneLine(string(unicode.ToUpper(r)) + slug[n:])
}

// dayName is "today", "yesterday" or "Fri 20 Nov 2026".
func (a *App) dayName(d civil.Date) string { return dayNameAt(a.Now(), d) }

// dayNameAt is [App.dayName] with the clock read: now is the time now.
func dayNameAt(now time.Time, d civil.Date) string { return dayNameFrom(civil.Of(now), d) }

// dayNameFrom names d as seen from the day ref: "today" (d is ref),
// "yesterday" (the day before ref) or "Fri 20 Nov 2026". ref is the day
// a command looks from: today, or the day its --date gives.
func dayNameFrom(ref, d civil.Date) string {
	switch ref.DaysSince(d) {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return d.In(time.UTC).Format("Mon 2 Jan 2006")
}

// relDay is "today", "yesterday" or "on Fri 20 Nov 2026".
func (a *App) relDay(d civil.Date) string { return relDayAt(a.Now(), d) }

// relDayAt is [App.relDay] with the clock read: now is the time now.
func relDayAt(now time.Time, d civil.Date) string { return relDayFrom(civil.Of(now), d) }

// relDayFrom is d as seen from the day ref, for after a verb: "today",
// "yesterday" or "on Fri 20 Nov 2026" (see [dayNameFrom]).
func relDayFrom(ref, d civil.Date) string {
	n := dayNameFrom(ref, d)
	if n == "today" || n == "yesterday" {
		return n
	}
	return "on " + n
}

// renderSections prints an entry's text, each section under its heading.
func (a *App) renderSections(w io.Writer, e *journal.Entry, indent string) {
	a.IO.renderSections(w, e, indent)
}

// renderSections prints an entry's text, each section under its heading,
// in the streams' colours.
func (s *IOStreams) renderSections(w io.Writer, e *journal.Entry, indent string) {
	p := s.Palette()
	for _, sec := range e.Sections() {
		if sec.Heading != "" {
			fmt.Fprintf(w, "%s%s\n", indent, p.Bold(sectionLabel(p, sec.Heading)))
		}
		for _, line := range strings.Split(sec.Text, "\n") {
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

// warn reports files that could not be read, once each, and goes on. A
// warning is one line, whatever the file's name holds.
func (a *App) warn(warnings []error) { a.IO.warn(warnings) }

// warn is [App.warn] on the streams s.
func (s *IOStreams) warn(warnings []error) {
	for _, w := range warnings {
		s.Errorf("reconnect: warning: skipped %s\n", oneLine(w.Error()))
	}
}

// writeJSON prints v as indented JSON, exact: every string is the file's,
// with what a terminal would obey escaped ([jsonSafe]).
func (a *App) writeJSON(v any) error { return writeJSONTo(a.IO.Out, v) }

// writeJSONTo is [App.writeJSON] to w.
func writeJSONTo(w io.Writer, v any) error {
	data, err := encodeJSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// encodeJSON is v as indented JSON, HTML left alone, and DEL and C1
// escaped like the other control characters.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return jsonSafe(b.Bytes()), nil
}

// entriesJSON is entries as DESIGN §2's JSON: an array, never null.
func entriesJSON(entries []*journal.Entry) []*journal.Entry {
	if entries == nil {
		return []*journal.Entry{}
	}
	return entries
}
