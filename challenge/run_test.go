package challenge

import (
	"fmt"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func date(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// permutations calls f with every ordering of s (Heap's algorithm).
func permutations[T any](s []T, f func([]T)) {
	a := append([]T(nil), s...)
	var gen func(k int)
	gen = func(k int) {
		if k <= 1 {
			f(append([]T(nil), a...))
			return
		}
		for i := 0; i < k; i++ {
			gen(k - 1)
			if k%2 == 0 {
				a[i], a[k-1] = a[k-1], a[i]
			} else {
				a[0], a[k-1] = a[k-1], a[0]
			}
		}
	}
	gen(len(a))
}

func TestRunDayOn(t *testing.T) {
	r := Run{Start: date("2026-11-20"), StartedBy: "sam"}
	for _, tc := range []struct {
		d    string
		want int
		in   bool
	}{
		{"2026-11-19", 0, false},
		{"2026-11-20", 1, true},
		{"2026-12-01", 12, true},
		{"2026-12-19", 30, true},
		{"2026-12-20", 31, false},
	} {
		if got := r.DayOn(date(tc.d)); got != tc.want {
			t.Errorf("DayOn(%s) = %d, want %d", tc.d, got, tc.want)
		}
		if got := r.Contains(date(tc.d)); got != tc.in {
			t.Errorf("Contains(%s) = %v, want %v", tc.d, got, tc.in)
		}
	}
	if got := r.End(); got != date("2026-12-19") {
		t.Errorf("End = %s", got)
	}
}

func TestActiveRun(t *testing.T) {
	sam := func(on, created string) Start { return Start{"sam", date(on), at(created)} }
	alex := func(on, created string) Start { return Start{"alex", date(on), at(created)} }
	for _, tc := range []struct {
		name   string
		starts []Start
		today  string
		want   Run
		ok     bool
	}{
		{"no starts", nil, "2026-11-21", Run{}, false},
		{"one start, day 1", []Start{sam("2026-11-21", "2026-11-21T08:00:00Z")}, "2026-11-21", Run{date("2026-11-21"), "sam"}, true},
		{"one start, day 30", []Start{sam("2026-11-01", "2026-11-01T08:00:00Z")}, "2026-11-30", Run{date("2026-11-01"), "sam"}, true},
		{"one start, after day 30", []Start{sam("2026-11-01", "2026-11-01T08:00:00Z")}, "2026-12-01", Run{}, false},
		{"start in the future", []Start{sam("2026-11-25", "2026-11-20T08:00:00Z")}, "2026-11-21", Run{}, false},
		{"both start before syncing: the earlier wins", []Start{
			sam("2026-11-03", "2026-11-03T21:00:00Z"),
			alex("2026-11-01", "2026-11-01T09:00:00Z"),
		}, "2026-11-05", Run{date("2026-11-01"), "alex"}, true},
		{"same day: the earlier entry wins", []Start{
			sam("2026-11-01", "2026-11-01T21:00:00+01:00"),
			alex("2026-11-01", "2026-11-01T21:30:00+01:00"),
		}, "2026-11-02", Run{date("2026-11-01"), "sam"}, true},
		{"same day and instant: by author", []Start{
			sam("2026-11-01", "2026-11-01T21:00:00+01:00"),
			alex("2026-11-01", "2026-11-01T20:00:00Z"),
		}, "2026-11-02", Run{date("2026-11-01"), "alex"}, true},
		{"a start on day 30 joins the run", []Start{
			sam("2026-11-01", "2026-11-01T08:00:00Z"),
			alex("2026-11-30", "2026-11-30T08:00:00Z"),
		}, "2026-12-05", Run{}, false},
		{"a start after day 30 opens a new run", []Start{
			sam("2026-11-01", "2026-11-01T08:00:00Z"),
			alex("2026-12-01", "2026-12-01T08:00:00Z"),
			sam("2026-12-04", "2026-12-04T08:00:00Z"),
		}, "2026-12-05", Run{date("2026-12-01"), "alex"}, true},
		{"a joining start does not extend the run", []Start{
			sam("2026-11-01", "2026-11-01T08:00:00Z"),
			alex("2026-11-20", "2026-11-20T08:00:00Z"),
			sam("2026-12-10", "2026-12-10T08:00:00Z"),
		}, "2026-12-15", Run{date("2026-12-10"), "sam"}, true},
		{"the earlier run, today inside it", []Start{
			sam("2026-11-01", "2026-11-01T08:00:00Z"),
			alex("2026-12-10", "2026-12-10T08:00:00Z"),
		}, "2026-11-15", Run{date("2026-11-01"), "sam"}, true},
		{"zero dates are ignored", []Start{
			{Author: "sam"},
			alex("2026-11-02", "2026-11-02T08:00:00Z"),
		}, "2026-11-02", Run{date("2026-11-02"), "alex"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			permutations(tc.starts, func(starts []Start) {
				got, ok := ActiveRun(starts, date(tc.today))
				if got != tc.want || ok != tc.ok {
					t.Errorf("ActiveRun(%v, %s) = %+v, %v; want %+v, %v", starts, tc.today, got, ok, tc.want, tc.ok)
				}
			})
		})
	}
}

func TestRunsIndependentOfOrder(t *testing.T) {
	starts := []Start{
		{"sam", date("2026-01-05"), at("2026-01-05T10:00:00Z")},
		{"alex", date("2026-01-03"), at("2026-01-03T10:00:00Z")},
		{"alex", date("2026-02-02"), at("2026-02-02T10:00:00Z")},
		{"sam", date("2026-02-01"), at("2026-02-01T23:00:00-05:00")},
		{"sam", date("2026-03-04"), at("2026-03-04T10:00:00Z")},
	}
	want := fmt.Sprint([]Run{
		{date("2026-01-03"), "alex"},
		{date("2026-02-02"), "alex"}, // 2026-02-01 is day 30 of the first run
		{date("2026-03-04"), "sam"},
	})
	permutations(starts, func(s []Start) {
		if got := fmt.Sprint(Runs(s)); got != want {
			t.Fatalf("Runs(%v) = %s, want %s", s, got, want)
		}
	})
}
