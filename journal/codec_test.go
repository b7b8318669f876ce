package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "entries", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, path string, data []byte) *Entry {
	t.Helper()
	e, err := Parse(path, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return e
}

func TestParseTestdata(t *testing.T) {
	for _, tc := range []struct {
		file     string
		kind     Kind
		author   string
		date     string
		created  string
		fields   map[string]any
		sections []Section
		// render is what Render must write; "" means the file itself.
		render string
	}{
		{
			file: "checkin.md", kind: KindCheckin, author: "sam", date: "2026-11-21",
			created: "2026-11-21T21:14:03+01:00", fields: map[string]any{},
			sections: []Section{{"Rose", "The walk by the river."}, {"Bud", "Hiking on Saturday."}, {"Thorn", "The commute."}},
		},
		{
			file: "crlf.md", kind: KindCheckin, author: "sam", date: "2026-11-21",
			created: "2026-11-21T21:14:03+01:00", fields: map[string]any{},
			sections: []Section{{"Rose", "The walk by the river."}, {"Bud", "Hiking on Saturday."}, {"Thorn", "The commute."}},
			render:   string(readTestdata(t, "checkin.md")),
		},
		{
			file: "comments.md", kind: KindCheckin, author: "alex", date: "2026-11-22",
			created: "2026-11-22T08:00:00-05:00",
			fields: map[string]any{
				"mood": 4, "energy": 2.5, "tags": []any{"tired", "happy"}, "people": []any{"sam", "mum"},
				"place": map[string]any{"city": "Lyon", "indoors": false}, "note": "two lines\nof note\n",
			},
			sections: []Section{{"", "Woke up early."}, {"Rose", "Coffee together."}},
		},
		{
			file: "unknown-sections.md", kind: KindThanks, author: "sam", date: "2026-11-21",
			created: "2026-11-21T21:14:03.5+01:00", fields: map[string]any{"to": "alex"},
			sections: []Section{
				{"", "Thank you for the soup.\nIt was *very* good.\n\n### a small heading stays in the text"},
				{"Why", "You noticed I was tired."},
				{"P.S.", "- one\n- two"},
				{"Empty", ""},
			},
		},
		{
			file: "fence.md", kind: KindCheckin, author: "sam", date: "2026-11-23",
			created: "2026-11-23T22:00:00Z", fields: map[string]any{},
			sections: []Section{
				{"Rose", "Wrote this:\n\n```markdown\n## Not a heading\n---\n```\n\n~~~~\n## Also not a heading\n```\n## still inside the tilde fence\n~~~~"},
				{"Bud", "    ## indented four spaces: code, and still not a heading either way"},
			},
		},
		{
			file: "bom.md", kind: KindBucket, author: "sam", date: "2026-11-21",
			created:  "2026-11-21T21:14:03+01:00",
			fields:   map[string]any{"title": "Try the new ramen place: Ippudo", "status": "open"},
			sections: []Section{{"", "Near the station. Go on a weekday."}},
			render:   string(readTestdata(t, "bucket.md")),
		},
		{
			file: "messy.md", kind: KindCheckin, author: "sam", date: "2026-11-24",
			created: "2026-11-24T07:30:00+01:00", fields: map[string]any{},
			sections: []Section{
				{"", "Free text right under the front matter."},
				{"Rose", "   indented first line kept"},
				{"rose", "a second Rose section"},
			},
			render: "---\nkind: checkin\nauthor: sam\ndate: 2026-11-24\ncreated: 2026-11-24T07:30:00+01:00\n---\n\n" +
				"Free text right under the front matter.\n\n## Rose\n   indented first line kept\n\n## rose\na second Rose section\n",
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := readTestdata(t, tc.file)
			e := mustParse(t, tc.file, data)
			if e.Path != tc.file || e.Kind != tc.kind || e.Author != tc.author || e.Date.String() != tc.date {
				t.Errorf("got path %q kind %q author %q date %s", e.Path, e.Kind, e.Author, e.Date)
			}
			if got := e.Created.Format(time.RFC3339Nano); got != tc.created {
				t.Errorf("created %s, want %s", got, tc.created)
			}
			if got := e.Fields(); !reflect.DeepEqual(got, tc.fields) {
				t.Errorf("fields\n got %#v\nwant %#v", got, tc.fields)
			}
			if got := e.Sections(); !reflect.DeepEqual(got, tc.sections) {
				t.Errorf("sections\n got %q\nwant %q", got, tc.sections)
			}
			want := tc.render
			if want == "" {
				want = string(data)
			}
			if got := string(e.Render()); got != want {
				t.Errorf("render\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const fm = "kind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n"
	for _, tc := range []struct {
		name string
		in   string
		line int
		is   error
		msg  string // the whole Error() text
	}{
		{"empty", "", 1, ErrNoFrontMatter, "x.md:1: " + ErrNoFrontMatter.Error()},
		{"no front matter", "# Title\n\ntext\n", 1, ErrNoFrontMatter, ""},
		{"unclosed", "---\n" + fm + "\n## Rose\n", 1, ErrNoFrontMatter, ""},
		{"conflict start", "---\n" + fm + "---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> theirs\n", 7, ErrConflictMarkers, "x.md:7: unresolved merge conflict markers"},
		{"conflict separator alone", "---\n" + fm + "---\n\n=======\n", 8, ErrConflictMarkers, ""},
		{"conflict in front matter", "---\nkind: checkin\n<<<<<<< ours\n", 3, ErrConflictMarkers, ""},
		{"bad yaml: parser", "---\nkind: checkin\nauthor: [sam\ndate: 2026-11-21\n---\n", 3, ErrBadYAML,
			"x.md:3: bad yaml in front matter: did not find expected ',' or ']'"},
		{"bad yaml: parser at the end", "---\n[kind: checkin\n---\n", 3, ErrBadYAML, ""},
		{"bad yaml: scanner", "---\nkind: checkin\nauthor: sam: x\n---\n", 3, ErrBadYAML,
			"x.md:3: bad yaml in front matter: mapping values are not allowed in this context"},
		{"bad yaml: scanner on the first line", "---\nkind: a: b\n---\n", 2, ErrBadYAML, ""},
		{"bad yaml: tab", "---\nkind: checkin\n\tauthor: sam\n---\n", 3, ErrBadYAML, ""},
		{"bad yaml: unknown anchor", "---\nkind: checkin\nauthor: sam\nx: *nope\n---\n", 4, ErrBadYAML, ""},
		{"yaml not a mapping", "---\n- a\n- b\n---\n", 2, ErrBadYAML, ""},
		{"duplicate key", "---\n" + fm + "kind: thanks\n---\n", 6, ErrBadYAML, `x.md:6: bad yaml in front matter: key "kind" appears twice`},
		{"two documents", "---\n" + fm + "...\n--- x\n---\n", 7, ErrBadYAML, ""},
		{"missing kind", "---\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n---\n", 1, ErrMissingKey, `x.md:1: missing required key "kind"`},
		{"missing created", "---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\n---\n", 1, ErrMissingKey, ""},
		{"unknown kind", "---\nauthor: sam\nkind: diary\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n---\n", 3, ErrUnknownKind,
			`x.md:3: key "kind": unknown kind "diary": want one of checkin, thanks, bucket, `},
		{"bad author", "---\nkind: checkin\nauthor: Sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n---\n", 3, ErrBadAuthor, ""},
		{"author list", "---\nkind: checkin\nauthor: [sam]\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n---\n", 3, ErrBadAuthor, ""},
		{"bad date", "---\nkind: checkin\nauthor: sam\ndate: 2026-02-30\ncreated: 2026-11-21T21:14:03+01:00\n---\n", 4, civil.ErrBadDate, ""},
		{"bad created", "---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21 21:14\n---\n", 5, ErrBadTime, ""},
		{"created without offset", "---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03\n---\n", 5, ErrBadTime, ""},
		{"not utf-8", "---\n" + fm + "---\n\nok\n\xff\n", 9, ErrInvalidUTF8, ""},
		{"crlf line numbers", "---\r\nkind: checkin\r\nauthor: sam\r\ndate: nope\r\n", 4, civil.ErrBadDate, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "crlf line numbers" {
				tc.in += "created: 2026-11-21T21:14:03+01:00\r\n---\r\n"
			}
			_, err := Parse("x.md", []byte(tc.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want *ParseError", err, err)
			}
			if pe.Path != "x.md" {
				t.Errorf("path %q", pe.Path)
			}
			if pe.Line != tc.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tc.line, err)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if tc.msg != "" && err.Error() != tc.msg && !(strings.HasSuffix(tc.msg, ", ") && strings.HasPrefix(err.Error(), tc.msg)) {
				t.Errorf("message\n got %q\nwant %q", err.Error(), tc.msg)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		err  ParseError
		want string
	}{
		{ParseError{"a.md", 3, ErrBadYAML}, "a.md:3: bad yaml in front matter"},
		{ParseError{"a.md", 0, ErrNoFrontMatter}, "a.md: " + ErrNoFrontMatter.Error()},
		{ParseError{"", 0, ErrEmptyText}, "empty text"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

var paris = time.FixedZone("CET", 3600)

func TestNewRender(t *testing.T) {
	created := time.Date(2026, 11, 21, 21, 14, 3, 987654321, paris)
	for _, tc := range []struct {
		name string
		e    func() *Entry
		want string
	}{
		{
			"checkin",
			func() *Entry {
				e := New(KindCheckin, "sam", civil.Date{Year: 2026, Month: 11, Day: 21}, created)
				e.SetSection("Rose", "\r\n\nThe walk.\r\nBy the river.\n\n")
				e.SetSection("Bud", "Saturday")
				e.SetSection("Thorn", "Commute")
				return e
			},
			"---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n---\n\n" +
				"## Rose\nThe walk.\nBy the river.\n\n## Bud\nSaturday\n\n## Thorn\nCommute\n",
		},
		{
			"no body",
			func() *Entry { return New(KindThanks, "alex", civil.Date{Year: 2026, Month: 1, Day: 2}, created.UTC()) },
			"---\nkind: thanks\nauthor: alex\ndate: 2026-01-02\ncreated: 2026-11-21T20:14:03Z\n---\n",
		},
		{
			"free text and fields",
			func() *Entry {
				e := New(KindThanks, "123", civil.Date{Year: 2026, Month: 1, Day: 2}, created)
				e.SetSection("", "For the soup.")
				e.SetField("to", "sam")
				e.SetField("count", "3")
				e.SetField("note", "a: b # not a comment")
				return e
			},
			"---\nkind: thanks\nauthor: \"123\"\ndate: 2026-01-02\ncreated: 2026-11-21T21:14:03+01:00\nto: sam\ncount: \"3\"\nnote: 'a: b # not a comment'\n---\n\nFor the soup.\n",
		},
		{
			"bucket",
			func() *Entry {
				return NewBucketItem("  Try the\tramen place  ", "sam", civil.Date{Year: 2026, Month: 11, Day: 21}, created)
			},
			"---\nkind: bucket\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\ntitle: Try the ramen place\nstatus: open\n---\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.e()
			got := string(e.Render())
			if got != tc.want {
				t.Fatalf("render\n got %q\nwant %q", got, tc.want)
			}
			back := mustParse(t, "x.md", []byte(got))
			if back.Kind != e.Kind || back.Author != e.Author || back.Date != e.Date || !back.Created.Equal(e.Created) {
				t.Errorf("read back %+v, wrote %+v", back, e)
			}
			if !reflect.DeepEqual(back.Sections(), e.Sections()) || !reflect.DeepEqual(back.Fields(), e.Fields()) {
				t.Errorf("read back %q %v, wrote %q %v", back.Sections(), back.Fields(), e.Sections(), e.Fields())
			}
		})
	}
}

// Editing a hand-written front matter touches only the edited key's lines.
func TestEditFrontMatterKeepsText(t *testing.T) {
	orig := string(readTestdata(t, "comments.md"))
	for _, tc := range []struct {
		name string
		edit func(e *Entry)
		old  string // replaced once in orig to give the wanted file
		new  string
	}{
		{"replace number", func(e *Entry) { e.SetField("mood", "5") }, "mood: 4\n", "mood: \"5\"\n"},
		{"replace keeps line comment", func(e *Entry) { e.SetField("energy", "low") }, "energy: 2.5\n", "energy: low\n"},
		{"replace list with scalar", func(e *Entry) { e.SetField("people", "just sam") }, "people:\n  - sam\n  - \"mum\"\n", "people: just sam\n"},
		{"replace block scalar", func(e *Entry) { e.SetField("note", "short") }, "note: |\n  two lines\n  of note\n", "note: short\n"},
		{"add key", func(e *Entry) { e.SetField("weather", "rain") }, "# the end of the front matter\n", "# the end of the front matter\nweather: rain\n"},
		{"add multi-line", func(e *Entry) { e.SetField("poem", "roses\nare red") }, "# the end of the front matter\n", "# the end of the front matter\npoem: |-\n  roses\n  are red\n"},
		{"delete key with its comment", func(e *Entry) { e.DeleteField("mood") }, "# my own keys below\nmood: 4\n", ""},
		{"delete last key keeps foot comment", func(e *Entry) { e.DeleteField("note") }, "note: |\n  two lines\n  of note\n", ""},
		{"delete absent key", func(e *Entry) { e.DeleteField("nothing") }, "", ""},
		{"required fields are not fields", func(e *Entry) { e.SetField("kind", "thanks"); e.DeleteField("author") }, "", ""},
		{"change author field", func(e *Entry) { e.Author = "sam" }, "author: alex   # that's me\n", "author: sam # that's me\n"},
		{"change date field", func(e *Entry) { e.Date = e.Date.AddDays(1) }, "date: 2026-11-22\n", "date: 2026-11-23\n"},
		{"same created in another form", func(e *Entry) { e.Created = e.Created.In(time.FixedZone("", -5*3600)) }, "", ""},
		{"change created", func(e *Entry) { e.Created = e.Created.Add(time.Second) }, "created: \"2026-11-22T08:00:00-05:00\"\n", "created: 2026-11-22T08:00:01-05:00\n"},
		{"change a section", func(e *Entry) { e.SetSection("rose", "Tea.") }, "Coffee together.", "Tea."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustParse(t, "comments.md", []byte(orig))
			tc.edit(e)
			want := strings.Replace(orig, tc.old, tc.new, 1)
			if tc.old == "" && tc.new == "" {
				want = orig
			}
			if got := string(e.Render()); got != want {
				t.Errorf("render\n got %q\nwant %q", got, want)
			}
		})
	}
}

// A front matter too unusual to edit line by line is written anew, with the
// same meaning.
func TestEditUnusualFrontMatter(t *testing.T) {
	for _, tc := range []struct {
		name string
		fm   string
	}{
		{"flow mapping", "{kind: checkin, author: sam, date: 2026-11-21, created: '2026-11-21T21:14:03+01:00', x: 1}\n"},
		{"indented mapping", "  kind: checkin\n  author: sam\n  date: 2026-11-21\n  created: 2026-11-21T21:14:03+01:00\n  x: 1\n"},
		{"alias to a removed anchor", "kind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\nx: &a [1, 2]\ny: *a\n"},
		{"document end marker", "kind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\nx: 1\n...\n"},
		{"sequence at column 0", "kind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\nx:\n- 1\n- 2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustParse(t, "x.md", []byte("---\n"+tc.fm+"---\n\nbody\n"))
			e.DeleteField("x")
			e.SetField("z", "new")
			back := mustParse(t, "x.md", e.Render())
			want := map[string]any{"z": "new"}
			if tc.name == "alias to a removed anchor" {
				want["y"] = []any{1, 2}
			}
			if got := back.Fields(); !reflect.DeepEqual(got, want) {
				t.Errorf("fields %v, want %v\n%s", got, want, e.Render())
			}
			if back.Author != "sam" || back.Kind != KindCheckin {
				t.Errorf("required keys lost:\n%s", e.Render())
			}
		})
	}
}

func TestSections(t *testing.T) {
	e := mustParse(t, "c.md", readTestdata(t, "checkin.md"))
	if got, ok := e.Section("ROSE"); !ok || got != "The walk by the river." {
		t.Errorf("Section(ROSE) = %q, %v", got, ok)
	}
	if _, ok := e.Section(""); ok {
		t.Error("free text reported where there is none")
	}
	if _, ok := e.Section("Petal"); ok {
		t.Error("Section(Petal) found")
	}
	e.SetSection("bud", "Sunday instead.")       // in place, keeping "Bud"
	e.SetSection("Thorn", "")                    // removed
	e.SetSection("Note", "## Sneaky\n<<<<<<< x") // appended, escaped
	e.SetSection("Code", "```go\n## in code\nx") // fence closed
	e.SetSection("  ", "Free text.")
	want := []Section{
		{"", "Free text."},
		{"Rose", "The walk by the river."},
		{"Bud", "Sunday instead."},
		{"Note", "\\## Sneaky\n\\<<<<<<< x"},
		{"Code", "```go\n## in code\nx\n```"},
	}
	if got := e.Sections(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sections\n got %q\nwant %q", got, want)
	}
	back := mustParse(t, "c.md", e.Render())
	if got := back.Sections(); !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n got %q\nwant %q", got, want)
	}
}

func TestField(t *testing.T) {
	e := mustParse(t, "c.md", readTestdata(t, "comments.md"))
	for _, tc := range []struct {
		key  string
		want string
		ok   bool
	}{
		{"mood", "4", true},
		{"people", "", false},
		{"absent", "", false},
		{"kind", "checkin", true},
		{"created", "2026-11-22T08:00:00-05:00", true},
	} {
		if got, ok := e.Field(tc.key); got != tc.want || ok != tc.ok {
			t.Errorf("Field(%q) = %q, %v; want %q, %v", tc.key, got, ok, tc.want, tc.ok)
		}
	}
	e2 := mustParse(t, "n.md", []byte("---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\na:\nb: ~\nc: 'null'\n---\n"))
	for key, want := range map[string]string{"a": "", "b": "", "c": "null"} {
		if got, ok := e2.Field(key); got != want || !ok {
			t.Errorf("Field(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
}

func TestMarshalJSON(t *testing.T) {
	e := mustParse(t, "2026/11/x.md", readTestdata(t, "unknown-sections.md"))
	e.SetSection("why", "You noticed.")
	got, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"path":"2026/11/x.md","kind":"thanks","author":"sam","date":"2026-11-21","created":"2026-11-21T21:14:03.5+01:00",` +
		`"fields":{"to":"alex"},"sections":{"":"Thank you for the soup.\nIt was *very* good.\n\n### a small heading stays in the text",` +
		`"Empty":"","P.S.":"- one\n- two","Why":"You noticed."}}`
	if string(got) != want {
		t.Errorf("json\n got %s\nwant %s", got, want)
	}
	odd := mustParse(t, "o.md", []byte("---\nkind: checkin\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03Z\n"+
		"n: .nan\nm: {1: one, [a]: list}\n---\n## A\none\n\n## a\ntwo\n\n## A\nthree\n"))
	got, err = json.Marshal(odd)
	if err != nil {
		t.Fatal(err)
	}
	want = `{"path":"o.md","kind":"checkin","author":"sam","date":"2026-11-21","created":"2026-11-21T21:14:03Z",` +
		`"fields":{"m":{"1":"one","[a]":"list"},"n":"NaN"},"sections":{"A":"one\n\nthree","a":"two"}}`
	if string(got) != want {
		t.Errorf("json\n got %s\nwant %s", got, want)
	}
}

func TestValidate(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	now := time.Date(2026, 11, 21, 21, 0, 0, 0, paris)
	for _, tc := range []struct {
		e  *Entry
		is error
	}{
		{New(KindCheckin, "sam", day, now), nil},
		{New("diary", "sam", day, now), ErrUnknownKind},
		{New(KindCheckin, "Sam", day, now), ErrBadAuthor},
		{New(KindCheckin, "sam", civil.Date{}, now), civil.ErrBadDate},
		{New(KindCheckin, "sam", day, time.Time{}), ErrBadTime},
	} {
		err := tc.e.Validate()
		if (tc.is == nil) != (err == nil) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("Validate(%s %q %s) = %v, want %v", tc.e.Kind, tc.e.Author, tc.e.Date, err, tc.is)
		}
	}
}

func TestBucketItem(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	e := NewBucketItem("Ramen", "sam", day, time.Date(2026, 11, 21, 21, 0, 0, 0, paris))
	if e.Title() != "Ramen" || e.IsDone() {
		t.Fatalf("new item: title %q done %v", e.Title(), e.IsDone())
	}
	e.MarkDone("alex", day.AddDays(3))
	back := mustParse(t, "bucket/ramen.md", e.Render())
	if !back.IsDone() {
		t.Error("not done after MarkDone")
	}
	if got := back.Fields(); !reflect.DeepEqual(got, map[string]any{"title": "Ramen", "status": "done", "done": "2026-11-24", "done-by": "alex"}) {
		t.Errorf("fields %v", got)
	}
	back.Reopen()
	if got := back.Fields(); !reflect.DeepEqual(got, map[string]any{"title": "Ramen", "status": "open"}) {
		t.Errorf("fields after Reopen %v", got)
	}
	if !bytes.Equal(back.Render(), NewBucketItem("Ramen", "sam", day, time.Date(2026, 11, 21, 21, 0, 0, 0, paris)).Render()) {
		t.Errorf("reopened item differs from a new one:\n%s", back.Render())
	}
}
