package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func writeRaw(t testing.TB, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// entryAt writes an entry of kind by author on date, created at hh:mm on
// that date, at rel (or its PathFor path when rel is "").
func entryAt(t testing.TB, root, rel string, kind Kind, author, date string, hh, mm int) {
	t.Helper()
	d := day(date)
	e := New(kind, author, d, time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, time.FixedZone("", 3600)))
	if kind == KindBucket {
		e.SetField(FieldTitle, "item "+date)
	}
	if rel == "" {
		rel = PathFor(e, nil)
	}
	writeRaw(t, root, rel, string(e.Render()))
}

const garbage = "this is not an entry\n"

func testJournal(t testing.TB) string {
	root := t.TempDir()
	entryAt(t, root, "", KindCheckin, "alex", "2025-12-31", 22, 0)
	entryAt(t, root, "", KindThanks, "alex", "2026-10-15", 12, 0)
	entryAt(t, root, "", KindCheckin, "sam", "2026-10-31", 21, 0)
	entryAt(t, root, "", KindCheckin, "sam", "2026-11-01", 21, 0)
	entryAt(t, root, "", KindCheckin, "alex", "2026-11-01", 23, 0)
	entryAt(t, root, "", KindThanks, "sam", "2026-11-21", 21, 14)
	entryAt(t, root, "2026/11/2026-11-21-thanks-sam-211400.conflict-alex-1a2b3c4.md", KindThanks, "sam", "2026-11-21", 21, 14)
	entryAt(t, root, "", KindCheckin, "sam", "2026-12-02", 20, 0)
	entryAt(t, root, "bucket/ramen.md", KindBucket, "sam", "2026-11-03", 10, 0)
	entryAt(t, root, "bucket/hike.md", KindBucket, "alex", "2026-11-02", 10, 0)
	entryAt(t, root, "bucket/bike.md", KindBucket, "sam", "2026-11-02", 9, 0)
	for _, rel := range []string{
		"README.md", "reconnect.yaml", "2026/11/README.md", "2026/11/.draft.md", "2026/11/notes.txt",
		"2026/13/2026-13-01-checkin-sam.md", "notayear/2026-11-01-checkin-sam.md", "2026/11/.2026-11-01-checkin-sam.md.tmp-123",
	} {
		writeRaw(t, root, rel, garbage)
	}
	writeRaw(t, root, "2026/11/broken.md", garbage)                 // read by every query that reads November
	writeRaw(t, root, "2026/11/2026-11-05-checkin-sam.md", garbage) // read only when its name matches
	writeRaw(t, root, "2027/01/2027-01-01-checkin-sam.md", "---\nkind: checkin\n---\n")
	entryAt(t, root, "bucket/odd.md", KindThanks, "sam", "2026-11-04", 9, 0) // not a bucket item
	return root
}

func paths(es []*Entry) []string {
	var ps []string
	for _, e := range es {
		ps = append(ps, e.Path)
	}
	return ps
}

func warningPaths(t *testing.T, ws []error) []string {
	t.Helper()
	var ps []string
	for _, w := range ws {
		var pe *ParseError
		if !errors.As(w, &pe) {
			ps = append(ps, "?"+w.Error())
			continue
		}
		ps = append(ps, pe.Path)
	}
	return ps
}

func TestList(t *testing.T) {
	root := testJournal(t)
	s := Store{Root: root}
	const (
		dec31   = "2025/12/2025-12-31-checkin-alex.md"
		oct15   = "2026/10/2026-10-15-thanks-alex-120000.md"
		oct31   = "2026/10/2026-10-31-checkin-sam.md"
		nov1a   = "2026/11/2026-11-01-checkin-alex.md"
		nov1s   = "2026/11/2026-11-01-checkin-sam.md"
		nov21   = "2026/11/2026-11-21-thanks-sam-211400.md"
		nov21c  = "2026/11/2026-11-21-thanks-sam-211400.conflict-alex-1a2b3c4.md"
		dec2    = "2026/12/2026-12-02-checkin-sam.md"
		broken  = "2026/11/broken.md"
		nov5    = "2026/11/2026-11-05-checkin-sam.md"
		jan1    = "2027/01/2027-01-01-checkin-sam.md"
		ramen   = "bucket/ramen.md"
		hike    = "bucket/hike.md"
		bike    = "bucket/bike.md"
		oddItem = "bucket/odd.md"
	)
	for _, tc := range []struct {
		name     string
		q        Query
		want     []string
		warnings []string
	}{
		{"everything", Query{},
			[]string{dec2, nov21c, nov21, nov1a, nov1s, oct31, oct15, dec31},
			[]string{nov5, broken, jan1}},
		{"one month reads only that month", Query{Since: day("2026-11-01"), Until: day("2026-11-30")},
			[]string{nov21c, nov21, nov1a, nov1s},
			[]string{nov5, broken}},
		{"one day skips files named for other days", Query{Since: day("2026-11-21"), Until: day("2026-11-21")},
			[]string{nov21c, nov21},
			[]string{broken}},
		{"open start", Query{Until: day("2026-10-31")},
			[]string{oct31, oct15, dec31}, nil},
		{"open end", Query{Since: day("2026-11-02")},
			[]string{dec2, nov21c, nov21},
			[]string{nov5, broken, jan1}},
		{"kind skips files named for other kinds", Query{Kinds: []Kind{KindThanks}},
			[]string{nov21c, nov21, oct15},
			[]string{broken}},
		{"author", Query{Authors: []string{"alex"}, Until: day("2026-12-31")},
			[]string{nov1a, oct15, dec31},
			[]string{nov5, broken}},
		{"shared kind named", Query{Kinds: []Kind{KindBucket, KindThanks}, Since: day("2026-11-01"), Until: day("2026-11-30")},
			[]string{nov21c, nov21, oddItem, ramen, hike, bike},
			[]string{broken}},
		{"nothing matches", Query{Since: day("2030-01-01")}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, ws, err := s.List(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := paths(es); !slices.Equal(got, tc.want) {
				t.Errorf("entries\n got %q\nwant %q", got, tc.want)
			}
			got := warningPaths(t, ws)
			slices.Sort(got)
			want := slices.Clone(tc.warnings)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("warnings\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestListErrors(t *testing.T) {
	if _, _, err := (Store{Root: filepath.Join(t.TempDir(), "missing")}).List(Query{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing journal: %v", err)
	}
	root := t.TempDir()
	writeRaw(t, root, "2026", "a file where a year folder would be\n")
	entryAt(t, root, "", KindCheckin, "sam", "2027-01-01", 9, 0)
	es, ws, err := Store{Root: root}.List(Query{})
	if err != nil || len(es) != 1 || len(ws) != 0 {
		t.Errorf("List = %d entries, %v, %v", len(es), ws, err)
	}
}

func TestBucket(t *testing.T) {
	items, ws, err := Store{Root: testJournal(t)}.Bucket()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paths(items), []string{"bucket/bike.md", "bucket/hike.md", "bucket/ramen.md"}; !slices.Equal(got, want) {
		t.Errorf("items %q, want %q", got, want)
	}
	if len(ws) != 1 || !strings.Contains(ws[0].Error(), "bucket/odd.md") {
		t.Errorf("warnings %v", ws)
	}
	items, ws, err = Store{Root: t.TempDir()}.Bucket()
	if len(items) != 0 || len(ws) != 0 || err != nil {
		t.Errorf("empty journal: %v %v %v", items, ws, err)
	}
}

func TestRead(t *testing.T) {
	s := Store{Root: testJournal(t)}
	e, err := s.Read("2026/11/../11/2026-11-01-checkin-sam.md")
	if err != nil || e.Path != "2026/11/2026-11-01-checkin-sam.md" || e.Author != "sam" {
		t.Errorf("Read = %+v, %v", e, err)
	}
	for _, tc := range []struct {
		rel string
		is  error
	}{
		{"2026/11/2026-11-02-checkin-sam.md", ErrNotFound},
		{"../outside.md", ErrBadPath},
		{"/etc/passwd", ErrBadPath},
		{"", ErrBadPath},
		{"2026/11/broken.md", ErrNoFrontMatter},
	} {
		_, err := s.Read(tc.rel)
		if !errors.Is(err, tc.is) {
			t.Errorf("Read(%q) = %v, want %v", tc.rel, err, tc.is)
		}
	}
	_, err = s.Read("2026/11/broken.md")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Path != "2026/11/broken.md" || pe.Line != 1 {
		t.Errorf("Read(broken) = %v", err)
	}
}

// A file whose name the gate for paths from git refuses (one a partner
// could never send, but a person or a program could make) is never read
// as an entry, with or without the read cache; nor reached by Read.
func TestListSkipsBadNames(t *testing.T) {
	for _, cached := range []bool{false, true} {
		root := t.TempDir()
		if cached {
			if err := os.Mkdir(filepath.Join(root, ".git"), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		entryAt(t, root, "", KindCheckin, "sam", "2026-11-21", 21, 0)
		for _, rel := range []string{
			"2026/11/2026-11-21-checkin-alex\x1b]0;pwned\x07.md",
			"2026/11/2026-11-22-checkin-alex\n.md",
			"2026/11/2026-11-23-checkin-alex\u009b2J.md",
			"bucket/ramen\x1b[2J.md",
		} {
			entryAt(t, root, rel, KindCheckin, "alex", "2026-11-21", 21, 0)
		}
		s := Store{Root: root}
		for range 2 { // the second read comes from the cache
			es, ws, err := s.List(Query{})
			if err != nil || len(ws) != 0 || strings.Join(paths(es), ",") != "2026/11/2026-11-21-checkin-sam.md" {
				t.Fatalf("cached %v: List = %q, %v, %v", cached, paths(es), ws, err)
			}
			items, ws, err := s.Bucket()
			if err != nil || len(ws) != 0 || len(items) != 0 {
				t.Fatalf("cached %v: Bucket = %v, %v, %v", cached, items, ws, err)
			}
		}
	}
	s := Store{Root: t.TempDir()}
	for _, rel := range []string{"2026/11/x\x1b.md", ".git/config", ".GIT/config", "git~1/config", "a/.g\u200cit/x"} {
		if _, err := s.Read(rel); !errors.Is(err, ErrBadPath) {
			t.Errorf("Read(%q) = %v, want ErrBadPath", rel, err)
		}
		if s.Exists(rel) {
			t.Errorf("Exists(%q)", rel)
		}
	}
}

func TestWrite(t *testing.T) {
	s := Store{Root: t.TempDir()}
	e := New(KindCheckin, "sam", day("2026-11-21"), time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC))
	e.SetSection("Rose", "Tea.")
	e.Path = PathFor(e, s.Exists)
	if s.Exists(e.Path) {
		t.Fatal("exists before it was written")
	}
	if err := s.Write(e); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(s.Root, "2026", "11", "2026-11-21-checkin-sam.md"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("written file: %v %v", st, err)
	}
	back, err := s.Read(e.Path)
	if err != nil || string(back.Render()) != string(e.Render()) || !s.Exists(e.Path) {
		t.Errorf("read back %v", err)
	}
	bad := New(KindCheckin, "Sam", day("2026-11-21"), time.Now())
	bad.Path = "x.md"
	if err := s.Write(bad); !errors.Is(err, ErrBadAuthor) {
		t.Errorf("Write(bad author) = %v", err)
	}
	e.Path = "../x.md"
	if err := s.Write(e); !errors.Is(err, ErrBadPath) {
		t.Errorf("Write(../x.md) = %v", err)
	}
}

// benchJournal writes years of check-ins and thank-you notes by two authors:
// 2 check-ins and about 1 note a day.
func benchJournal(b *testing.B, years int) (root string, files int) {
	root = b.TempDir()
	start := day("2024-01-01")
	for d := start; d.Before(start.AddMonths(12 * years)); d = d.AddDays(1) {
		for _, who := range []string{"sam", "alex"} {
			e := New(KindCheckin, who, d, d.In(time.UTC).Add(21*time.Hour))
			e.SetSection("Rose", "A good walk by the river, and tea after.")
			e.SetSection("Bud", "The weekend.")
			e.SetSection("Thorn", "The commute was long again today.")
			writeRaw(b, root, PathFor(e, nil), string(e.Render()))
			files++
		}
		if d.Day%2 == 0 {
			for i, who := range []string{"sam", "alex"} {
				e := New(KindThanks, who, d, d.In(time.UTC).Add(time.Duration(8+i)*time.Hour))
				e.SetSection("", fmt.Sprintf("Thank you for day %s.", d))
				writeRaw(b, root, PathFor(e, nil), string(e.Render()))
				files++
			}
		}
	}
	return root, files
}

func BenchmarkList(b *testing.B) {
	root, files := benchJournal(b, 2)
	s := Store{Root: root}
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"month", Query{Since: day("2025-06-01"), Until: day("2025-06-30")}},
		{"day", Query{Since: day("2025-06-15"), Until: day("2025-06-15")}},
		{"everything", Query{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				es, ws, err := s.List(bc.q)
				if err != nil || len(ws) > 0 {
					b.Fatal(err, ws)
				}
				n = len(es)
			}
			b.ReportMetric(float64(n), "entries")
			b.ReportMetric(float64(files), "files")
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"checkin.md", "comments.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", "entries", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Parse(name, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMarshalJSON(b *testing.B) {
	for _, name := range []string{"checkin.md", "comments.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", "entries", name))
		if err != nil {
			b.Fatal(err)
		}
		e, err := Parse(name, data)
		if err != nil {
			b.Fatal(err)
		}
		e.SetField("mood", "4") // a simple front matter with one more key
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
