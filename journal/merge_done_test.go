package journal

import (
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// doneItem is a shared item as 'bucket add' and 'bucket done' (or 'date
// plan' and 'date done') write it: added by sam on 2026-11-21, then edit
// applied to the entry.
func doneItem(t *testing.T, kind Kind, edit func(e *Entry)) string {
	t.Helper()
	created := time.Date(2026, 11, 21, 21, 14, 3, 0, time.FixedZone("", 3600))
	day := civil.Of(created)
	var e *Entry
	switch kind {
	case KindBucket:
		e = NewBucketItem("Ramen at Ippudo", "sam", day, created)
	case KindDate:
		e = NewDatePlan("Ramen at Ippudo", "sam", day, created, mustDay(t, "2026-12-04"))
	default:
		t.Fatalf("no shared item of kind %s", kind)
	}
	e.SetSection("", "Near the station.")
	if edit != nil {
		edit(e)
	}
	return string(e.Render())
}

// tick is 'bucket done' by who on day, with a note when it is not "".
func tick(who, day, note string) func(e *Entry) {
	d, err := civil.Parse(day)
	if err != nil {
		panic(err)
	}
	return func(e *Entry) {
		e.MarkDone(who, d)
		if note != "" {
			e.SetSection(SectionDone, note)
		}
	}
}

func both(edits ...func(e *Entry)) func(e *Entry) {
	return func(e *Entry) {
		for _, f := range edits {
			if f != nil {
				f(e)
			}
		}
	}
}

func mustDay(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func setField(key, value string) func(e *Entry) { return func(e *Entry) { e.SetField(key, value) } }

// The same shared item ticked off on both sides is done once, on the
// earlier day, with both notes kept under the names of who wrote them; the
// same file whichever side is ours. A real clash beside it is a conflict.
func TestMergeFilesDoneBothSides(t *testing.T) {
	type want struct {
		done, by, note string // "" note: no Done section
		title          string // "" means the one from doneItem
	}
	for _, tc := range []struct {
		name         string
		kind         Kind
		base         func(e *Entry) // nil: open
		noBase       bool
		ours, theirs func(e *Entry)
		want         *want // nil: a conflict
	}{
		{
			name:   "both with notes, different days",
			kind:   KindBucket,
			ours:   tick("alex", "2026-12-02", "The broth!"),
			theirs: tick("sam", "2026-12-01", "Loved it."),
			want:   &want{done: "2026-12-01", by: "sam", note: "sam: Loved it.\n\nalex: The broth!"},
		},
		{
			name:   "both with notes, the same day",
			kind:   KindBucket,
			ours:   tick("sam", "2026-12-01", "Loved it."),
			theirs: tick("alex", "2026-12-01", "The broth!"),
			want:   &want{done: "2026-12-01", by: "alex", note: "alex: The broth!\n\nsam: Loved it."},
		},
		{
			name:   "one note only, by the one who was later",
			kind:   KindBucket,
			ours:   tick("sam", "2026-12-01", ""),
			theirs: tick("alex", "2026-12-03", "Worth the queue."),
			want:   &want{done: "2026-12-01", by: "sam", note: "alex: Worth the queue."},
		},
		{
			name:   "no notes",
			kind:   KindBucket,
			ours:   tick("sam", "2026-12-02", ""),
			theirs: tick("alex", "2026-12-01", ""),
			want:   &want{done: "2026-12-01", by: "alex"},
		},
		{
			name:   "the same note the same day",
			kind:   KindBucket,
			ours:   tick("sam", "2026-12-01", "Together!"),
			theirs: tick("alex", "2026-12-01", "Together!"),
			want:   &want{done: "2026-12-01", by: "alex", note: "Together!"},
		},
		{
			name:   "one person on two machines",
			kind:   KindBucket,
			ours:   tick("sam", "2026-12-01", "Loved it."),
			theirs: tick("sam", "2026-12-02", "Went back."),
			want:   &want{done: "2026-12-01", by: "sam", note: "Loved it.\n\nWent back."},
		},
		{
			name:   "a planned date done on both sides",
			kind:   KindDate,
			ours:   tick("alex", "2026-12-04", "Best evening in weeks."),
			theirs: tick("sam", "2026-12-05", "Alex chose well."),
			want:   &want{done: "2026-12-04", by: "alex", note: "alex: Best evening in weeks.\n\nsam: Alex chose well."},
		},
		{
			name:   "a multi-line note keeps its lines",
			kind:   KindBucket,
			ours:   tick("alex", "2026-12-01", "Tonkotsu.\nExtra egg."),
			theirs: tick("sam", "2026-12-01", "Loved it."),
			want:   &want{done: "2026-12-01", by: "alex", note: "alex: Tonkotsu.\nExtra egg.\n\nsam: Loved it."},
		},
		{
			name:   "done on both sides and another key changed on one",
			kind:   KindBucket,
			ours:   both(tick("alex", "2026-12-02", "The broth!"), setField(FieldTitle, "Ramen at Ippudo, Lyon")),
			theirs: tick("sam", "2026-12-01", "Loved it."),
			want:   &want{done: "2026-12-01", by: "sam", note: "sam: Loved it.\n\nalex: The broth!", title: "Ramen at Ippudo, Lyon"},
		},
		{
			name:   "both added it done (no base)",
			kind:   KindBucket,
			noBase: true,
			ours:   tick("alex", "2026-12-02", "The broth!"),
			theirs: tick("sam", "2026-12-01", "Loved it."),
			want:   &want{done: "2026-12-01", by: "sam", note: "sam: Loved it.\n\nalex: The broth!"},
		},
		{
			name:   "a real clash: the title changed both ways",
			kind:   KindBucket,
			ours:   both(tick("alex", "2026-12-02", "The broth!"), setField(FieldTitle, "Ramen in Lyon")),
			theirs: both(tick("sam", "2026-12-01", "Loved it."), setField(FieldTitle, "Ramen in Paris")),
		},
		{
			name:   "done against another status is a clash",
			kind:   KindBucket,
			ours:   tick("alex", "2026-12-02", "The broth!"),
			theirs: setField(FieldStatus, "dropped"),
		},
		{
			name:   "a note of an item already done, changed both ways, is a clash",
			kind:   KindBucket,
			base:   tick("sam", "2026-12-01", "Loved it."),
			ours:   func(e *Entry) { e.SetSection(SectionDone, "Loved it. Twice.") },
			theirs: func(e *Entry) { e.SetSection(SectionDone, "Loved it, said Sam.") },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var base []byte
			if !tc.noBase {
				base = []byte(doneItem(t, tc.kind, tc.base))
			}
			ours := doneItem(t, tc.kind, both(tc.base, tc.ours))
			theirs := doneItem(t, tc.kind, both(tc.base, tc.theirs))
			path := "bucket/ramen-at-ippudo.md"
			got, ok := MergeFiles(path, base, []byte(ours), []byte(theirs))
			rev, revOK := MergeFiles(path, base, []byte(theirs), []byte(ours))
			if tc.want == nil {
				if ok || revOK {
					t.Fatalf("merged, want a conflict:\n%s\n%s", got, rev)
				}
				return
			}
			if !ok || !revOK {
				t.Fatalf("conflict (ours first: %v, theirs first: %v), want a merge", !ok, !revOK)
			}
			if string(got) != string(rev) {
				t.Fatalf("the merge depends on which side is ours:\n%s\nvs\n%s", got, rev)
			}
			e := mustParse(t, path, got)
			if !e.IsDone() {
				t.Errorf("not done:\n%s", got)
			}
			if d, _ := e.Field(FieldDone); d != tc.want.done {
				t.Errorf("done = %q, want %q", d, tc.want.done)
			}
			if by, _ := e.Field(FieldDoneBy); by != tc.want.by {
				t.Errorf("done-by = %q, want %q", by, tc.want.by)
			}
			if n, _ := e.Section(SectionDone); n != tc.want.note {
				t.Errorf("note = %q, want %q", n, tc.want.note)
			}
			if n := strings.Count(string(got), "## "+SectionDone+"\n"); tc.want.note != "" && n != 1 {
				t.Errorf("%d Done sections, want one:\n%s", n, got)
			}
			if n := strings.Count(string(got), "\nstatus: done\n"); n != 1 {
				t.Errorf("status written %d times:\n%s", n, got)
			}
			title := "Ramen at Ippudo"
			if tc.want.title != "" {
				title = tc.want.title
			}
			if e.Title() != title {
				t.Errorf("title = %q, want %q", e.Title(), title)
			}
			if free, _ := e.Section(""); free != "Near the station." {
				t.Errorf("free text = %q", free)
			}
			// Merging the merge with either side again changes nothing:
			// both clones settle on this file.
			for _, side := range []string{ours, theirs} {
				again, ok := MergeFiles(path, []byte(side), got, []byte(side))
				if !ok || string(again) != string(got) {
					t.Errorf("merging again gives another file (ok %v):\n%s", ok, again)
				}
			}
		})
	}
}
