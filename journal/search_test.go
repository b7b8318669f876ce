package journal

import (
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// The search rule, on entries: every word, in any case, somewhere in the
// title, the question or a section; accents are not folded away.
func TestSearchMatches(t *testing.T) {
	at := time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	checkin := New(KindCheckin, "sam", day, at)
	checkin.SetSection("Rose", "The walk by the River.")
	checkin.SetSection("Thorn", "Cold tea.")
	bucket := New(KindBucket, "alex", day, at)
	bucket.SetField(FieldTitle, "Café by the lake")
	answer := New(KindAnswer, "alex", day, at)
	answer.SetField(FieldQuestion, "What made you laugh?")
	answer.SetSection("", "The cat.")
	for _, tc := range []struct {
		e     *Entry
		words []string
		want  bool
	}{
		{checkin, []string{"river"}, true},
		{checkin, []string{"WALK", "tea"}, true}, // words in different sections
		{checkin, []string{"tea", "walk"}, true}, // in any order
		{checkin, []string{"walk", "coffee"}, false},
		{checkin, []string{"rose"}, false}, // a heading is not text
		{checkin, nil, true},
		{bucket, []string{"CAFÉ", "lake"}, true},
		{bucket, []string{"cafe"}, false},
		{answer, []string{"laugh", "cat"}, true},
		{answer, []string{"dog"}, false},
	} {
		if got := NewSearch(tc.words).Matches(tc.e); got != tc.want {
			t.Errorf("%s %q: Matches = %v, want %v", tc.e.Kind, tc.words, got, tc.want)
		}
	}
	got := NewSearch([]string{"the"}).Filter([]*Entry{checkin, bucket, answer})
	if len(got) != 3 || got[0] != checkin || got[2] != answer {
		t.Errorf("Filter kept %d entries, or not in order", len(got))
	}
}

func TestSearchIndex(t *testing.T) {
	for _, tc := range []struct {
		words      []string
		s          string
		start, end int
	}{
		{[]string{"river", "walk"}, "a walk by the River", 14, 19}, // the query's first word that occurs
		{[]string{"zzz", "walk"}, "a WALK", 2, 6},
		{[]string{"zzz"}, "a walk", -1, -1},
		{[]string{"été"}, "un ÉTÉ", 3, 8},
	} {
		if i, j := NewSearch(tc.words).Index(tc.s); i != tc.start || j != tc.end {
			t.Errorf("Index(%q, %q) = %d, %d; want %d, %d", tc.words, tc.s, i, j, tc.start, tc.end)
		}
	}
}
