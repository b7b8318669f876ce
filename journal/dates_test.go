package journal

import (
	"errors"
	"testing"
	"time"
)

func TestParseEvery(t *testing.T) {
	for _, tc := range []struct {
		in   string
		days int // 0: an error
	}{
		{"14d", 14}, {"7d", 7}, {"1w", 7}, {"2w", 14}, {" 2W ", 14}, {"1d", 1},
		{"365d", 365}, {"52w", 364},
		{"", 0}, {"d", 0}, {"14", 0}, {"0d", 0}, {"-2w", 0}, {"+2w", 0}, {"2 w", 0},
		{"2m", 0}, {"monthly", 0}, {"366d", 0}, {"53w", 0}, {"1.5w", 0}, {"99999999999999999999d", 0},
	} {
		got, err := ParseEvery(tc.in)
		if tc.days == 0 {
			if err == nil {
				t.Errorf("ParseEvery(%q) = %d, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.days {
			t.Errorf("ParseEvery(%q) = %d, %v, want %d", tc.in, got, err, tc.days)
		}
	}
	if _, err := ParseEvery("x"); !errors.Is(err, ErrEvery) {
		t.Errorf("ParseEvery(x) = %v, want ErrEvery", err)
	}
	for days, want := range map[int]string{14: "2w", 7: "1w", 10: "10d", 1: "1d"} {
		if got := FormatEvery(days); got != want {
			t.Errorf("FormatEvery(%d) = %q, want %q", days, got, want)
		}
		if back, err := ParseEvery(FormatEvery(days)); err != nil || back != days {
			t.Errorf("ParseEvery(FormatEvery(%d)) = %d, %v", days, back, err)
		}
	}
}

// plannedDate is a date on on, planned by sam on 2026-11-21, then edit.
func plannedDate(title, on string, edit func(e *Entry)) *Entry {
	e := NewDatePlan(title, "sam", day("2026-11-21"), time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC), day(on))
	if edit != nil {
		edit(e)
	}
	return e
}

func every(days int) func(e *Entry) { return func(e *Entry) { e.SetEvery(days) } }

func TestNextOnAndSoon(t *testing.T) {
	cancelled := func(e *Entry) { e.CancelDate() }
	done := func(e *Entry) { e.MarkDone("alex", day("2026-11-27")) }
	for _, tc := range []struct {
		name  string
		dates []*Entry
		day   string
		next  string // "" when none
		soon  bool
	}{
		{"none", nil, "2026-11-21", "", false},
		{"once, in six days", []*Entry{plannedDate("a", "2026-11-27", nil)}, "2026-11-21", "2026-11-27", true},
		{"once, today", []*Entry{plannedDate("a", "2026-11-21", nil)}, "2026-11-21", "2026-11-21", true},
		{"once, in 13 days", []*Entry{plannedDate("a", "2026-12-04", nil)}, "2026-11-21", "2026-12-04", true},
		{"once, in 14 days", []*Entry{plannedDate("a", "2026-12-05", nil)}, "2026-11-21", "2026-12-05", false},
		{"once, passed", []*Entry{plannedDate("a", "2026-11-20", nil)}, "2026-11-21", "", false},
		{"every 2 weeks, after the first", []*Entry{plannedDate("a", "2026-11-27", every(14))}, "2026-11-28", "2026-12-11", true},
		{"every 2 weeks, years on", []*Entry{plannedDate("a", "2026-11-27", every(14))}, "2030-01-01", "2030-01-04", true},
		{"every 4 weeks, a gap", []*Entry{plannedDate("a", "2026-11-27", every(28))}, "2026-11-28", "2026-12-25", false},
		{"cancelled", []*Entry{plannedDate("a", "2026-11-27", cancelled)}, "2026-11-21", "", false},
		{"cancelled series", []*Entry{plannedDate("a", "2026-11-27", both(every(14), cancelled))}, "2026-11-28", "", false},
		{"done", []*Entry{plannedDate("a", "2026-11-27", done)}, "2026-11-21", "", false},
		{"the soonest of several", []*Entry{
			plannedDate("a", "2026-12-20", nil),
			plannedDate("b", "2026-11-06", every(21)),
			plannedDate("c", "2026-11-29", nil),
		}, "2026-11-21", "2026-11-27", true},
		{"no valid day", []*Entry{plannedDate("a", "2026-11-27", func(e *Entry) { e.SetField(FieldOn, "soon") })}, "2026-11-21", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, on := NextDate(tc.dates, day(tc.day))
			got := ""
			if i >= 0 {
				got = on.String()
				if n, ok := tc.dates[i].NextOn(day(tc.day)); !ok || n != on {
					t.Errorf("NextOn of the next = %s, %v, want %s", n, ok, on)
				}
			}
			if got != tc.next {
				t.Errorf("NextDate = %q, want %q", got, tc.next)
			}
			if soon := !NoDateSoon(tc.dates, day(tc.day)); soon != tc.soon {
				t.Errorf("a date soon = %v, want %v", soon, tc.soon)
			}
		})
	}
}

func TestMoveAndCancelBumpSequence(t *testing.T) {
	e := plannedDate("a", "2026-11-27", nil)
	if e.Sequence() != 0 {
		t.Fatalf("a new date's sequence = %d", e.Sequence())
	}
	e.MoveDate(day("2026-11-28"))
	if on, _ := e.DateField(FieldOn); on != day("2026-11-28") || e.Sequence() != 1 {
		t.Errorf("after a move: on %s, sequence %d", on, e.Sequence())
	}
	e.CancelDate()
	if !e.IsCancelled() || e.IsDone() || e.Sequence() != 2 {
		t.Errorf("after a cancel: cancelled %v, done %v, sequence %d", e.IsCancelled(), e.IsDone(), e.Sequence())
	}
	back, err := Parse("dates/a.md", e.Render())
	if err != nil || back.Sequence() != 2 || !back.IsCancelled() {
		t.Fatalf("read back: %v, sequence %d", err, back.Sequence())
	}
}

// TestMergeDateChanges: a move by one partner and a tick or a cancel by the
// other merge key by key; two different moves are a real clash.
func TestMergeDateChanges(t *testing.T) {
	base := doneItem(t, KindDate, nil)
	moved := doneItem(t, KindDate, func(e *Entry) { e.MoveDate(mustDay(t, "2026-12-05")) })
	movedElse := doneItem(t, KindDate, func(e *Entry) { e.MoveDate(mustDay(t, "2026-12-06")) })
	ticked := doneItem(t, KindDate, tick("alex", "2026-12-05", "Lovely"))
	cancelled := doneItem(t, KindDate, func(e *Entry) { e.CancelDate() })
	recur := doneItem(t, KindDate, every(14))
	movedTwice := doneItem(t, KindDate, func(e *Entry) {
		e.MoveDate(mustDay(t, "2026-12-06"))
		e.MoveDate(mustDay(t, "2026-12-07"))
	})

	for _, tc := range []struct {
		name          string
		ours, theirs  string
		ok            bool
		on, status    string
		seq           int
		recurs, doneN bool
	}{
		{"move and done", moved, ticked, true, "2026-12-05", StatusDone, 1, false, true},
		{"done and move", ticked, moved, true, "2026-12-05", StatusDone, 1, false, true},
		{"move and cancel", moved, cancelled, true, "2026-12-05", StatusCancelled, 2, false, false},
		{"cancel and move", cancelled, moved, true, "2026-12-05", StatusCancelled, 2, false, false},
		{"moved twice and cancel", movedTwice, cancelled, true, "2026-12-07", StatusCancelled, 3, false, false},
		{"move and recur", moved, recur, true, "2026-12-05", StatusPlanned, 1, true, false},
		{"the same move", moved, moved, true, "2026-12-05", StatusPlanned, 1, false, false},
		{"two moves", moved, movedElse, false, "", "", 0, false, false},
		{"cancel and done", cancelled, ticked, false, "", "", 0, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, ok := MergeFiles("dates/ramen-at-ippudo.md", []byte(base), []byte(tc.ours), []byte(tc.theirs))
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v:\n%s", ok, tc.ok, out)
			}
			if !ok {
				return
			}
			e, err := Parse("dates/ramen-at-ippudo.md", out)
			if err != nil {
				t.Fatal(err)
			}
			status, _ := e.Field(FieldStatus)
			if on, _ := e.Field(FieldOn); on != tc.on || status != tc.status || e.Sequence() != tc.seq {
				t.Errorf("on %s, status %s, sequence %d; want %s, %s, %d:\n%s", on, status, e.Sequence(), tc.on, tc.status, tc.seq, out)
			}
			if (e.EveryDays() > 0) != tc.recurs {
				t.Errorf("recurs = %v, want %v", e.EveryDays() > 0, tc.recurs)
			}
			if _, has := e.Field(FieldDoneBy); has != tc.doneN {
				t.Errorf("done-by present = %v, want %v", has, tc.doneN)
			}
		})
	}
}

func TestDateHad(t *testing.T) {
	series := plannedDate("Date night", "2026-11-27", every(14))
	series.Path = "dates/date-night.md"
	for _, tc := range []struct{ day, want string }{
		{"2026-11-26", ""}, {"2026-11-27", "2026-11-27"}, {"2026-12-10", "2026-11-27"}, {"2026-12-11", "2026-12-11"},
	} {
		got, ok := series.LastOn(day(tc.day))
		if (tc.want == "") == ok || (ok && got.String() != tc.want) {
			t.Errorf("LastOn(%s) = %s, %v, want %q", tc.day, got, ok, tc.want)
		}
	}
	had := NewDateHad(series, "alex", time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), day("2026-11-27"), day("2026-11-28"))
	if !had.IsDone() || had.Title() != "Date night" || had.Series() != series.Path || had.Author != "alex" || had.EveryDays() != 0 {
		t.Errorf("NewDateHad = %s", had.Render())
	}
	if on, _ := had.DateField(FieldOn); on != day("2026-11-27") {
		t.Errorf("on = %s", on)
	}
	dates := []*Entry{series, had}
	if HadOn(dates, series.Path, day("2026-11-27")) != had || HadOn(dates, series.Path, day("2026-12-11")) != nil ||
		HadOn(dates, "dates/other.md", day("2026-11-27")) != nil {
		t.Errorf("HadOn finds the wrong date")
	}
	// The series goes on: the next date is its next day, not the one had.
	if i, on := NextDate(dates, day("2026-11-28")); i != 0 || on != day("2026-12-11") {
		t.Errorf("NextDate = %d, %s", i, on)
	}
	// A day ticked off is not next, even seen from that day.
	if i, on := NextDate(dates, day("2026-11-27")); i != 0 || on != day("2026-12-11") {
		t.Errorf("NextDate on the day had = %d, %s", i, on)
	}
	if !NoDateSoon(dates, day("2026-11-27")) {
		t.Errorf("the next, 14 days after the one had, counts as soon")
	}
	if NoDateSoon(dates, day("2026-11-28")) {
		t.Errorf("the next, 13 days away, does not count as soon")
	}
}

// TestSequenceFromAPartnerStaysInRange: a sequence crafted in a partner's
// file (huge, negative, not a number) reads as a count from 0 to
// MaxSequence, and neither a move nor a merge makes it wrap round below
// what a calendar has seen.
func TestSequenceFromAPartnerStaysInRange(t *testing.T) {
	for _, tc := range []struct {
		field string
		want  int
	}{
		{"3", 3},
		{"-5", 0},
		{"x", 0},
		{"2147483647", MaxSequence},
		{"2147483648", MaxSequence},
		{"9223372036854775807", MaxSequence},
		{"99999999999999999999999", 0}, // not an int: absent
	} {
		e := plannedDate("a", "2026-11-27", nil)
		e.SetField(FieldSequence, tc.field)
		if got := e.Sequence(); got != tc.want {
			t.Errorf("sequence: %s reads %d, want %d", tc.field, got, tc.want)
		}
		e.MoveDate(day("2026-11-28"))
		if got := e.Sequence(); got != min(tc.want+1, MaxSequence) {
			t.Errorf("sequence: %s moved is %d, want %d", tc.field, got, min(tc.want+1, MaxSequence))
		}
	}

	huge := func(e *Entry) { e.SetField(FieldSequence, "9223372036854775806") }
	base := doneItem(t, KindDate, nil)
	moved := doneItem(t, KindDate, func(e *Entry) { huge(e); e.MoveDate(mustDay(t, "2026-12-05")) })
	cancelled := doneItem(t, KindDate, func(e *Entry) { huge(e); e.CancelDate() })
	out, ok := MergeFiles("dates/ramen-at-ippudo.md", []byte(base), []byte(moved), []byte(cancelled))
	if !ok {
		t.Fatalf("no merge:\n%s", out)
	}
	e, err := Parse("dates/ramen-at-ippudo.md", out)
	if err != nil {
		t.Fatal(err)
	}
	if e.Sequence() != MaxSequence || !e.IsCancelled() {
		t.Errorf("merged: sequence %d, cancelled %v; want %d, true:\n%s", e.Sequence(), e.IsCancelled(), MaxSequence, out)
	}
}
