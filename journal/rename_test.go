package journal

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestRenameAuthor(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 20}
	at := time.Date(2026, 11, 20, 21, 14, 3, 0, time.FixedZone("CET", 3600))
	entry := func(kind Kind, author string) *Entry {
		e := New(kind, author, day, at)
		e.SetSection("", "text of "+author)
		e.Path = PathFor(e, nil)
		return e
	}
	at2 := func(e *Entry, p string) *Entry { e.Path = p; return e }
	bucket := func(author, doneBy string) *Entry {
		e := NewBucketItem("Ramen", author, day, at)
		if doneBy != "" {
			e.MarkDone(doneBy, day)
		}
		e.Path = PathFor(e, nil)
		return e
	}
	copyName := func(p string, n int) string {
		return fmt.Sprintf("%s.conflict-root-x%d.md", strings.TrimSuffix(p, ".md"), n)
	}
	type want struct {
		from, to, author, doneBy string
		copy                     bool
	}
	for _, tc := range []struct {
		name    string
		entries []*Entry
		exists  []string // besides the entries' own paths
		want    []want
	}{
		{"a check-in moves to the new name",
			[]*Entry{entry(KindCheckin, "root")}, nil,
			[]want{{"2026/11/2026-11-20-checkin-root.md", "2026/11/2026-11-20-checkin-sam.md", "sam", "", false}}},
		{"a thanks keeps its time",
			[]*Entry{entry(KindThanks, "root")}, nil,
			[]want{{"2026/11/2026-11-20-thanks-root-211403.md", "2026/11/2026-11-20-thanks-sam-211403.md", "sam", "", false}}},
		{"the partner's entries stay",
			[]*Entry{entry(KindCheckin, "alex"), entry(KindCheckin, "root")}, nil,
			[]want{{"2026/11/2026-11-20-checkin-root.md", "2026/11/2026-11-20-checkin-sam.md", "sam", "", false}}},
		{"both wrote a check-in that day: kept as a copy",
			[]*Entry{entry(KindCheckin, "root"), entry(KindCheckin, "sam")}, nil,
			[]want{{"2026/11/2026-11-20-checkin-root.md", "2026/11/2026-11-20-checkin-sam.conflict-root-x1.md", "sam", "", true}}},
		{"a copy's name taken: the next",
			[]*Entry{entry(KindCheckin, "root"), entry(KindCheckin, "sam")},
			[]string{"2026/11/2026-11-20-checkin-sam.conflict-root-x1.md"},
			[]want{{"2026/11/2026-11-20-checkin-root.md", "2026/11/2026-11-20-checkin-sam.conflict-root-x2.md", "sam", "", true}}},
		{"a thanks at the same second: the next number",
			[]*Entry{entry(KindThanks, "root"), entry(KindThanks, "sam")}, nil,
			[]want{{"2026/11/2026-11-20-thanks-root-211403.md", "2026/11/2026-11-20-thanks-sam-211403-2.md", "sam", "", false}}},
		{"two of the same second moved together do not collide",
			[]*Entry{entry(KindThanks, "root"), at2(entry(KindThanks, "root"), "2026/11/2026-11-20-thanks-root-211403-2.md")}, nil,
			[]want{
				{"2026/11/2026-11-20-thanks-root-211403-2.md", "2026/11/2026-11-20-thanks-sam-211403-2.md", "sam", "", false},
				{"2026/11/2026-11-20-thanks-root-211403.md", "2026/11/2026-11-20-thanks-sam-211403.md", "sam", "", false},
			}},
		{"a conflict copy keeps its tail",
			[]*Entry{at2(entry(KindCheckin, "root"), "2026/11/2026-11-20-checkin-root.conflict-alex-abc1234.md")}, nil,
			[]want{{"2026/11/2026-11-20-checkin-root.conflict-alex-abc1234.md", "2026/11/2026-11-20-checkin-sam.conflict-alex-abc1234.md", "sam", "", false}}},
		{"a file named by hand keeps its name",
			[]*Entry{at2(entry(KindCheckin, "root"), "2026/11/our-evening.md")}, nil,
			[]want{{"2026/11/our-evening.md", "2026/11/our-evening.md", "sam", "", false}}},
		{"a file named by hand at the new name's path stays, and the moved one goes beside it",
			[]*Entry{entry(KindCheckin, "root"), at2(entry(KindCheckin, "root"), "2026/11/2026-11-20-checkin-sam.md")}, nil,
			[]want{
				{"2026/11/2026-11-20-checkin-root.md", "2026/11/2026-11-20-checkin-sam.conflict-root-x1.md", "sam", "", true},
				{"2026/11/2026-11-20-checkin-sam.md", "2026/11/2026-11-20-checkin-sam.md", "sam", "", false},
			}},
		{"an author whose name starts like the old one is not the old one",
			[]*Entry{entry(KindCheckin, "root-2")}, nil, nil},
		{"a shared item keeps its path; author and done-by follow",
			[]*Entry{bucket("root", "root")}, nil,
			[]want{{"bucket/ramen.md", "bucket/ramen.md", "sam", "sam", false}}},
		{"a shared item the old name ticked off",
			[]*Entry{bucket("alex", "root")}, nil,
			[]want{{"bucket/ramen.md", "bucket/ramen.md", "alex", "sam", false}}},
		{"a shared item of the partner's stays",
			[]*Entry{bucket("alex", "alex")}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exists := map[string]bool{}
			for _, e := range tc.entries {
				exists[e.Path] = true
			}
			for _, p := range tc.exists {
				exists[p] = true
			}
			moves, err := RenameAuthor(tc.entries, "root", "sam", func(p string) bool { return exists[p] }, copyName)
			if err != nil {
				t.Fatal(err)
			}
			if len(moves) != len(tc.want) {
				t.Fatalf("got %d moves, want %d: %+v", len(moves), len(tc.want), moves)
			}
			for i, m := range moves {
				w := tc.want[i]
				by, _ := m.Entry.Field(FieldDoneBy)
				if m.From != w.from || m.Entry.Path != w.to || m.Entry.Author != w.author || by != w.doneBy || m.Copy != w.copy {
					t.Errorf("move %d = %s -> %s by %s (done-by %q, copy %v), want %s -> %s by %s (done-by %q, copy %v)",
						i, m.From, m.Entry.Path, m.Entry.Author, by, m.Copy, w.from, w.to, w.author, w.doneBy, w.copy)
				}
				// The file says the new author, and reads back as it.
				back, err := Parse(m.Entry.Path, m.Entry.Render())
				if err != nil || back.Author != w.author {
					t.Errorf("move %d renders as %v, %v", i, back, err)
				}
				if text, _ := back.Section(""); text != "" && !strings.HasPrefix(text, "text of ") {
					t.Errorf("move %d lost its text: %q", i, text)
				}
			}
		})
	}
}

func TestRenameAuthorRefuses(t *testing.T) {
	none := func(string) bool { return false }
	cp := func(p string, _ int) string { return p + ".copy" }
	for _, tc := range []struct{ from, to string }{
		{"root", "root"}, {"root", "Sam"}, {"../x", "sam"}, {"root", ""},
	} {
		_, err := RenameAuthor(nil, tc.from, tc.to, none, cp)
		if err == nil {
			t.Errorf("%s -> %s: no error", tc.from, tc.to)
		}
		if tc.from != tc.to && !errors.Is(err, ErrBadAuthor) {
			t.Errorf("%s -> %s: %v, want ErrBadAuthor", tc.from, tc.to, err)
		}
	}
}
