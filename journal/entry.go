package journal

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Kind names what an entry is; it is the front matter's kind key. The known
// kinds are in the table returned by [Kinds].
type Kind string

// The kinds of entry.
const (
	KindCheckin Kind = "checkin" // Rose, Bud, Thorn: one per author per day
	KindThanks  Kind = "thanks"  // a gratitude note: many per day
	KindBucket  Kind = "bucket"  // a bucket-list item, shared by both partners
)

// The front-matter keys every entry has. They are the fields of [Entry]
// itself; [Entry.SetField] and [Entry.DeleteField] leave them alone.
const (
	KeyKind    = "kind"
	KeyAuthor  = "author"
	KeyDate    = "date"
	KeyCreated = "created"
)

func reserved(key string) bool {
	switch key {
	case KeyKind, KeyAuthor, KeyDate, KeyCreated:
		return true
	}
	return false
}

// Section is one part of an entry's body: the text under a "## Heading"
// line, or, with Heading "", the free text before the first heading.
type Section struct{ Heading, Text string }

// Entry is one journal file.
//
// The four exported fields are the front matter's required keys; Render
// writes them back, leaving the file's text as it was where they did not
// change. Everything else in the file (other keys, sections, free text) is
// reached through methods, so that nothing a person wrote by hand is lost.
//
// An Entry is not safe for concurrent use while it is being changed.
type Entry struct {
	Path    string     // slash-separated, relative to the journal root
	Kind    Kind       // what the entry is
	Author  string     // slug [a-z0-9][a-z0-9-]{0,31}; see ValidAuthor
	Date    civil.Date // the author's local calendar date
	Created time.Time  // when it was written, with the author's UTC offset

	fm   frontMatter
	free string    // text before the first heading
	secs []Section // sections in file order; Heading never ""
}

// New is an entry with just its required keys, written in the order kind,
// author, date, created. created is kept to the second, as the file holds it.
func New(kind Kind, author string, date civil.Date, created time.Time) *Entry {
	e := &Entry{Kind: kind, Author: author, Date: date, Created: created.Round(0).Truncate(time.Second)}
	var text strings.Builder
	for _, key := range []string{KeyKind, KeyAuthor, KeyDate, KeyCreated} {
		line, err := encodePair(keyNode(key), scalarNode(e.requiredText(key)))
		if err != nil {
			break // not for plain strings; the slow path below copes anyway
		}
		text.WriteString(line)
	}
	if fm, yerr := parseFrontMatter(text.String()); yerr == nil && len(fm.keys) == 4 {
		e.fm = fm
		return e
	}
	for _, key := range []string{KeyKind, KeyAuthor, KeyDate, KeyCreated} {
		e.fm = e.fm.with(key, scalarNode(e.requiredText(key)))
	}
	return e
}

// requiredText is how a required key is written for the entry's field.
func (e *Entry) requiredText(key string) string {
	switch key {
	case KeyKind:
		return string(e.Kind)
	case KeyAuthor:
		return e.Author
	case KeyDate:
		return e.Date.String()
	case KeyCreated:
		if e.Created.IsZero() {
			return ""
		}
		return e.Created.Format(time.RFC3339Nano)
	}
	return ""
}

// requiredSame reports whether the front matter already says what the
// entry's field says, so the file's own spelling can stay.
func (e *Entry) requiredSame(fm frontMatter, key string) bool {
	k, ok := fm.get(key)
	if !ok || !k.scalar {
		return false
	}
	if key != KeyCreated {
		return k.value == e.requiredText(key)
	}
	t, err := parseCreated(k.value)
	if err != nil {
		return false
	}
	_, off1 := t.Zone()
	_, off2 := e.Created.Zone()
	return t.Equal(e.Created) && off1 == off2
}

// Validate reports whether the required fields can be written as a valid
// entry: a known kind, a valid author, a date and a creation time.
func (e *Entry) Validate() error {
	if _, ok := lookupKind(e.Kind); !ok {
		_, err := ParseKind(string(e.Kind))
		if err == nil {
			err = fmt.Errorf("%w %q", ErrUnknownKind, e.Kind)
		}
		return err
	}
	if err := ValidAuthor(e.Author); err != nil {
		return err
	}
	if e.Date.IsZero() {
		return fmt.Errorf("%w: the entry has no date", civil.ErrBadDate)
	}
	if e.Created.IsZero() {
		return fmt.Errorf("%w: the entry has no creation time", ErrBadTime)
	}
	return nil
}

// Field is the text of a front-matter key whose value is a single scalar
// ("" for null). It reports false when the key is absent or holds a list or
// a mapping; [Entry.Fields] decodes those. For kind, author, date and
// created it gives the entry's fields as they will be written.
func (e *Entry) Field(key string) (string, bool) {
	if reserved(key) {
		return e.requiredText(key), true
	}
	k, ok := e.fm.get(key)
	if !ok || !k.scalar {
		return "", false
	}
	return k.value, true
}

// SetField sets a front-matter key to a string, in place when the key
// exists (its comments kept), else as a new last key. The rest of the front
// matter keeps its text. The required keys are the entry's fields and are
// not changed here. Bytes that are not UTF-8 become U+FFFD.
func (e *Entry) SetField(key, value string) {
	key = strings.ToValidUTF8(key, "\uFFFD")
	if reserved(key) || key == "" {
		return
	}
	e.fm = e.fm.with(key, scalarNode(strings.ToValidUTF8(value, "\uFFFD")))
}

// SetIntField sets a key to a whole number, written as YAML writes one
// (day: 3), not as a quoted string.
func (e *Entry) SetIntField(key string, n int) { e.setTyped(key, "!!int", strconv.Itoa(n)) }

// SetBoolField sets a key to true or false, written unquoted.
func (e *Entry) SetBoolField(key string, b bool) { e.setTyped(key, "!!bool", strconv.FormatBool(b)) }

func (e *Entry) setTyped(key, tag, value string) {
	if reserved(key) || key == "" {
		return
	}
	e.fm = e.fm.with(key, &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value})
}

// DeleteField removes a front-matter key and the comment lines right above
// it. The required keys are not removed.
func (e *Entry) DeleteField(key string) {
	if reserved(key) {
		return
	}
	e.fm = e.fm.with(key, nil)
}

// Fields is every front-matter key except kind, author, date and created,
// decoded: strings, numbers, bools, nil, []any and map[string]any, ready for
// encoding/json. Timestamps stay strings.
func (e *Entry) Fields() map[string]any {
	out := map[string]any{}
	others := false
	for _, k := range e.fm.keys {
		others = others || !reserved(k.name)
	}
	if !others {
		return out
	}
	for _, p := range e.fm.values() {
		if !reserved(p.key) {
			out[p.key] = p.value
		}
	}
	return out
}

// Section is the text under a heading, matched without regard to case; the
// first one when a heading appears twice. Heading "" is the free text. It
// reports false when there is no such section.
func (e *Entry) Section(heading string) (string, bool) {
	h := cleanHeading(heading)
	if h == "" {
		return e.free, e.free != ""
	}
	for _, s := range e.secs {
		if strings.EqualFold(s.Heading, h) {
			return s.Text, true
		}
	}
	return "", false
}

// SetSection replaces the text under a heading (matched without regard to
// case, keeping the file's spelling of it) or adds the section at the end.
// Empty text removes the section; heading "" is the free text.
//
// The text is stored as [Parse] would read it back: bytes that are not UTF-8
// become U+FFFD, CRLF becomes LF, blank
// lines around it go, a line that would start a new section or look like a
// merge conflict marker is escaped with a backslash (Markdown shows it
// unchanged), and a code fence left open is closed (in the new text, and in
// the section before a new one).
func (e *Entry) SetSection(heading, text string) {
	h := cleanHeading(heading)
	t := normalizeText(text)
	if h == "" {
		e.free = t
		return
	}
	for i, s := range e.secs {
		if !strings.EqualFold(s.Heading, h) {
			continue
		}
		if t == "" {
			e.secs = append(e.secs[:i:i], e.secs[i+1:]...)
		} else {
			e.secs[i].Text = t
		}
		return
	}
	if t != "" {
		// A code fence the last block leaves open would swallow the new
		// section; close it.
		if n := len(e.secs); n > 0 {
			e.secs[n-1].Text = closeFence(e.secs[n-1].Text)
		} else {
			e.free = closeFence(e.free)
		}
		e.secs = append(e.secs, Section{Heading: h, Text: t})
	}
}

// Sections is the body in file order: the free text first (Heading "") when
// there is any, then every section.
func (e *Entry) Sections() []Section {
	out := make([]Section, 0, len(e.secs)+1)
	if e.free != "" {
		out = append(out, Section{Text: e.free})
	}
	return append(out, e.secs...)
}

func cleanHeading(h string) string {
	h = strings.ToValidUTF8(h, "\uFFFD")
	return strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(h))
}

type entryJSON struct {
	Path     string            `json:"path"`
	Kind     Kind              `json:"kind"`
	Author   string            `json:"author"`
	Date     string            `json:"date"`
	Created  string            `json:"created"`
	Fields   map[string]any    `json:"fields"`
	Sections map[string]string `json:"sections"`
}

// MarshalJSON writes the entry as {"path", "kind", "author", "date"
// (YYYY-MM-DD), "created" (RFC 3339), "fields" (the other front-matter
// keys), "sections" (heading -> text, the free text under "")}. A heading
// that appears twice has its texts joined by a blank line.
func (e *Entry) MarshalJSON() ([]byte, error) {
	j := entryJSON{
		Path:     e.Path,
		Kind:     e.Kind,
		Author:   e.Author,
		Date:     e.Date.String(),
		Created:  e.requiredText(KeyCreated),
		Fields:   e.Fields(),
		Sections: map[string]string{},
	}
	for _, s := range e.Sections() {
		if prev, ok := j.Sections[s.Heading]; ok {
			j.Sections[s.Heading] = prev + "\n\n" + s.Text
		} else {
			j.Sections[s.Heading] = s.Text
		}
	}
	b, err := json.Marshal(j)
	if err != nil {
		return nil, fmt.Errorf("entry %s as json: %w", e.Path, err)
	}
	return b, nil
}
