package journal

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Clock
		ok   bool
	}{
		{"19:00", Clock{19, 0}, true},
		{"7:30", Clock{7, 30}, true},
		{"00:00", Clock{0, 0}, true},
		{" 23:59 ", Clock{23, 59}, true},
		{"24:00", Clock{}, false},
		{"19:60", Clock{}, false},
		{"19", Clock{}, false},
		{"19:0", Clock{}, false},
		{"7pm", Clock{}, false},
		{":30", Clock{}, false},
		{"019:00", Clock{}, false},
		{"", Clock{}, false},
	} {
		got, err := ParseClock(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	if s := (Clock{7, 5}).String(); s != "07:05" {
		t.Errorf("String = %q", s)
	}
}

func TestUnionDue(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 25}
	for _, tc := range []struct {
		last  civil.Date
		every int
		want  bool
	}{
		{civil.Date{}, 7, true},
		{day, 7, false},
		{day.AddDays(-6), 7, false},
		{day.AddDays(-7), 7, true},
		{day.AddDays(-30), 7, true},
		{day.AddDays(-13), 14, false},
	} {
		if got := UnionDue(tc.last, day, tc.every); got != tc.want {
			t.Errorf("UnionDue(%v, every %d) = %v, want %v", tc.last, tc.every, got, tc.want)
		}
	}
}

func TestWaitingTonight(t *testing.T) {
	evening := Clock{19, 0}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 25, h, m, 0, 0, time.UTC) }
	reply := &Entry{Kind: KindReply, Author: "alex", Path: "2026/11/2026-11-25-reply-alex-201500.md"}
	date := NewDatePlan("Dinner at Luigi's", "alex", newsDay, at(9, 0), newsDay)
	date.Path = "dates/dinner-at-luigi-s.md"
	kinds := func(w []Waiting) []WaitingKind {
		out := []WaitingKind{}
		for _, x := range w {
			out = append(out, x.What)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		t    Tonight
		now  time.Time
		want []WaitingKind
	}{
		{"before the evening: nothing", Tonight{Partners: []string{"alex"}}, at(18, 59), []WaitingKind{}},
		{"the evening starts on the minute", Tonight{}, at(19, 0), []WaitingKind{WaitCheckin}},
		{"checked in: nothing, whatever waits", Tonight{CheckedIn: true, Partners: []string{"alex"},
			Replies: []*Entry{reply}, Dates: []*Entry{date}, UnionDue: true}, at(21, 0), []WaitingKind{}},
		{"most important first", Tonight{Partners: []string{"alex"}, Replies: []*Entry{reply},
			Dates: []*Entry{date}, UnionDue: true}, at(21, 0),
			[]WaitingKind{WaitPartnerCheckedIn, WaitReply, WaitDate, WaitUnion, WaitCheckin}},
		{"a reply, late", Tonight{Replies: []*Entry{reply}}, at(23, 59), []WaitingKind{WaitReply, WaitCheckin}},
		{"a date and the union", Tonight{Dates: []*Entry{date}, UnionDue: true}, at(20, 0),
			[]WaitingKind{WaitDate, WaitUnion, WaitCheckin}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := WaitingTonight(tc.t, tc.now, evening)
			if !reflect.DeepEqual(kinds(got), tc.want) {
				t.Errorf("got %v, want %v", kinds(got), tc.want)
			}
		})
	}
	w := WaitingTonight(Tonight{Partners: []string{"alex"}, Replies: []*Entry{reply}, Dates: []*Entry{date}}, at(20, 0), evening)
	if w[0].Who != "alex" || w[1].Who != "alex" || w[1].Path != reply.Path || w[2].Title != "Dinner at Luigi's" || w[2].Path != date.Path {
		t.Errorf("details: %+v", w)
	}
}

// noMark is a reader who never looked.
func noMark() NewsMark { return NewsMark{} }

func TestStoreTonight(t *testing.T) {
	dir := t.TempDir()
	s := Store{Root: dir}
	day := newsDay
	write := func(e *Entry) {
		t.Helper()
		if e.Path == "" {
			e.Path = PathFor(e, nil)
		}
		if err := s.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	mineYesterday := newsEntry(KindCheckin, "sam", 1, 21, "a run")
	write(mineYesterday)
	write(newsEntry(KindCheckin, "alex", 0, 20, "lunch"))
	reply := replyTo("alex", 0, 20, mineYesterday, "Sounds lovely")
	write(reply)
	write(replyTo("sam", 0, 20, newsEntry(KindCheckin, "alex", 1, 20, "x"), "my own reply"))
	write(NewDatePlan("Dinner at Luigi's", "alex", day.AddDays(-3), time.Now(), day))
	write(NewDatePlan("Picnic", "alex", day.AddDays(-3), time.Now(), day.AddDays(1)))
	// A date every two weeks that began four weeks ago falls tonight; one
	// every week from two days ago does not.
	series := NewDatePlan("Board games", "sam", day.AddDays(-30), time.Now(), day.AddDays(-28))
	series.SetEvery(14)
	write(series)
	weekly := NewDatePlan("Walk", "sam", day.AddDays(-3), time.Now(), day.AddDays(-2))
	weekly.SetEvery(7)
	write(weekly)
	done := NewDatePlan("Cinema", "alex", day.AddDays(-3), time.Now(), day)
	done.MarkDone("sam", day)
	write(done)
	// A conflict copy of a check-in is nobody's check-in by its name.
	if err := os.WriteFile(filepath.Join(dir, "2026/11/2026-11-25-checkin-sam.conflict-alex-abc.md"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}

	got, err := s.Tonight(day, "sam", 7, noMark)
	if err != nil {
		t.Fatal(err)
	}
	if got.CheckedIn || !reflect.DeepEqual(got.Partners, []string{"alex"}) || !got.UnionDue {
		t.Errorf("got %+v", got)
	}
	if len(got.Replies) != 1 || got.Replies[0].Path != reply.Path {
		t.Errorf("replies %v", got.Replies)
	}
	if len(got.Dates) != 2 || got.Dates[0].Title() != "Board games" || got.Dates[1].Title() != "Dinner at Luigi's" {
		t.Errorf("dates %v", got.Dates)
	}

	// Seen, the reply is no longer waiting; a union six days ago is
	// recent enough.
	write(newsEntry(KindUnion, "alex", 6, 20, "notes"))
	got, _ = s.Tonight(day, "sam", 7, func() NewsMark { return markOf(reply) })
	if len(got.Replies) != 0 || got.UnionDue {
		t.Errorf("after seen: %+v", got)
	}
	got, _ = s.Tonight(day, "sam", 5, func() NewsMark { return markOf(reply) })
	if !got.UnionDue {
		t.Errorf("union.every 5: not due")
	}

	// Checked in: nothing else is read.
	write(newsEntry(KindCheckin, "sam", 0, 21, "home"))
	got, _ = s.Tonight(day, "sam", 7, noMark)
	if !got.CheckedIn || got.Replies != nil || got.Dates != nil {
		t.Errorf("checked in: %+v", got)
	}

	if _, err := (Store{Root: filepath.Join(dir, "absent")}).Tonight(day, "sam", 7, noMark); err == nil {
		t.Errorf("an absent journal is no error")
	}
}

// BenchmarkStoreTonightDates is the read with 25 years of fortnightly
// dates in dates/ (650 files), one of them tonight: each file is read,
// only tonight's is parsed.
func BenchmarkStoreTonightDates(b *testing.B) {
	dir := b.TempDir()
	s := Store{Root: dir}
	day := newsDay
	for i := range 650 {
		on := day.AddDays(-14 * i)
		e := NewDatePlan(fmt.Sprintf("Date night number %d", i), "alex", on.AddDays(-3), time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), on)
		if i > 0 {
			e.MarkDone("sam", on)
		}
		e.Path = PathFor(e, nil)
		if err := s.Write(e); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		t, err := s.Tonight(day, "sam", 7, noMark)
		if err != nil || len(t.Dates) != 1 {
			b.Fatalf("%+v, %v", t, err)
		}
	}
}
