package journal

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedEntries adds the hand-edited testdata files and a few odd inputs.
func seedEntries(f *testing.F, add func(data []byte)) {
	files, err := filepath.Glob(filepath.Join("testdata", "entries", "*.md"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		add(data)
	}
	for _, s := range []string{
		"",
		"---\n---\n",
		"---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\nx: &a [1]\ny: *a\n---\n## A\n```\n## B\n",
		"---\n{kind: thanks, author: a, date: 2026-01-01, created: 2026-01-01T00:00:00Z}\n---\n~~~\n",
	} {
		add([]byte(s))
	}
}

func FuzzRoundTrip(f *testing.F) {
	seedEntries(f, func(data []byte) { f.Add(data) })
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse("f.md", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != "f.md" {
				t.Fatalf("error %v (%T) is not a *ParseError for f.md", err, err)
			}
			return
		}
		checkSimpleMatchesYAML(t, e.fm.text)
		r1 := e.Render()
		e2, err := Parse("f.md", r1)
		if err != nil {
			t.Fatalf("rendered entry does not parse: %v\n%q", err, r1)
		}
		if r2 := e2.Render(); string(r1) != string(r2) {
			t.Fatalf("render not stable:\n%q\n%q", r1, r2)
		}
		sameEntry(t, e, e2)
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("json: %v", err)
		}
	})
}

// FuzzEdit edits a parsed entry: the edit reads back, and nothing else
// changes.
func FuzzEdit(f *testing.F) {
	seedEntries(f, func(data []byte) {
		f.Add(data, "status", "done", "Rose", "Tea.\n## Not a section")
		f.Add(data, "mood", "5", "", "free text")
	})
	f.Fuzz(func(t *testing.T, data []byte, key, value, heading, text string) {
		e, err := Parse("f.md", data)
		if err != nil {
			return
		}
		fieldsBefore := e.Fields()
		sectionsBefore := e.Sections()
		e.SetField(key, value)
		e.SetSection(heading, text)
		back, err := Parse("f.md", e.Render())
		if err != nil {
			t.Fatalf("edited entry does not parse: %v\n%q", err, e.Render())
		}
		sameEntry(t, e, back)
		if key != "" && !reserved(key) && utf8.ValidString(key+"\x00"+value) {
			if got, ok := back.Field(key); !ok || got != value {
				t.Fatalf("Field(%q) = %q, %v after setting %q", key, got, ok, value)
			}
		}
		for k, v := range fieldsBefore {
			if k != key && !reflect.DeepEqual(back.Fields()[k], v) {
				t.Fatalf("field %q was %#v, now %#v", k, v, back.Fields()[k])
			}
		}
		// every section but the edited one is as it was, in order (the one
		// before a new section may have had its open code fence closed)
		h := cleanHeading(heading)
		others := func(secs []Section) []Section {
			var out []Section
			for _, s := range secs {
				if !strings.EqualFold(s.Heading, h) {
					out = append(out, Section{s.Heading, closeFence(s.Text)})
				}
			}
			return out
		}
		if a, b := others(sectionsBefore), others(back.Sections()); !reflect.DeepEqual(a, b) {
			t.Fatalf("other sections changed:\n%q\n%q", a, b)
		}
	})
}

func sameEntry(t *testing.T, a, b *Entry) {
	t.Helper()
	_, offA := a.Created.Zone()
	_, offB := b.Created.Zone()
	if a.Kind != b.Kind || a.Author != b.Author || a.Date != b.Date || !a.Created.Equal(b.Created) || offA != offB {
		t.Fatalf("required fields differ: %v %q %v %v / %v %q %v %v", a.Kind, a.Author, a.Date, a.Created, b.Kind, b.Author, b.Date, b.Created)
	}
	if fa, fb := a.Fields(), b.Fields(); !reflect.DeepEqual(fa, fb) {
		t.Fatalf("fields differ:\n%#v\n%#v", fa, fb)
	}
	if sa, sb := a.Sections(), b.Sections(); !reflect.DeepEqual(sa, sb) {
		t.Fatalf("sections differ:\n%q\n%q", sa, sb)
	}
}

// checkSimpleMatchesYAML holds the fast front-matter path to the YAML
// parser: whatever it accepts, YAML reads the same way.
func checkSimpleMatchesYAML(t *testing.T, text string) {
	t.Helper()
	fast, ok := parseSimple(text)
	if !ok {
		return
	}
	root, yerr := parseYAML(text)
	if yerr != nil {
		t.Fatalf("fast path accepted what YAML refuses: %v\n%q", yerr.err, text)
	}
	slow, yerr := indexKeys(root)
	if yerr != nil {
		t.Fatalf("fast path accepted what YAML refuses: %v\n%q", yerr.err, text)
	}
	if len(slow) == 0 {
		slow = nil
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast path %+v, YAML %+v\n%q", fast, slow, text)
	}
	fm := frontMatter{text: text, keys: fast, simple: true}
	if got, want := fm.values(), mappingValues(root); !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
		t.Fatalf("fast values %#v, YAML %#v\n%q", got, want, text)
	}
}
