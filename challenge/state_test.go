package challenge

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestStateOn(t *testing.T) {
	at := func(author, on string, minute int) Start {
		return Start{Author: author, On: date(on), Created: time.Date(2026, 1, 1, 0, minute, 0, 0, time.UTC)}
	}
	for _, tc := range []struct {
		name      string
		starts    []Start
		day       string
		status    Status
		runStart  string
		startedBy string
	}{
		{"nothing started", nil, "2026-11-21", None, "", ""},
		{"started today", []Start{at("sam", "2026-11-21", 0)}, "2026-11-21", Active, "2026-11-21", "sam"},
		{"day 30", []Start{at("sam", "2026-10-23", 0)}, "2026-11-21", Active, "2026-10-23", "sam"},
		{"day 31", []Start{at("sam", "2026-10-22", 0)}, "2026-11-21", Finished, "2026-10-22", "sam"},
		{"planned", []Start{at("alex", "2026-11-23", 0)}, "2026-11-21", Upcoming, "2026-11-23", "alex"},
		{"two starts before syncing: the earlier wins", []Start{at("alex", "2026-11-21", 0), at("sam", "2026-11-19", 5)},
			"2026-11-21", Active, "2026-11-19", "sam"},
		{"finished, and the next one planned", []Start{at("sam", "2026-09-01", 0), at("alex", "2026-11-25", 0)},
			"2026-11-21", Upcoming, "2026-11-25", "alex"},
		{"several finished: the last", []Start{at("sam", "2026-07-01", 0), at("alex", "2026-09-01", 0)},
			"2026-11-21", Finished, "2026-09-01", "alex"},
	} {
		st := StateOn(tc.starts, date(tc.day))
		if st.Status != tc.status || st.Run.Start.String() != tc.runStart || st.Run.StartedBy != tc.startedBy {
			t.Errorf("%s: %s run %s by %q, want %s run %s by %q", tc.name, st.Status, st.Run.Start, st.Run.StartedBy,
				tc.status, tc.runStart, tc.startedBy)
		}
	}
}

func TestChainCut(t *testing.T) {
	on := func(days ...string) []Start {
		var out []Start
		for _, d := range days {
			out = append(out, Start{Author: "sam", On: date(d)})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		starts []Start
		from   string
		day    string
		want   string
		ok     bool
	}{
		{"no starts: cut 30 days after from", nil, "2026-06-01", "2026-11-21", "2026-07-01", true},
		{"one start: cut at it", on("2026-10-01"), "2026-06-01", "2026-11-21", "2026-07-01", true},
		{"a start in the first 30 days moves the cut", on("2026-06-20"), "2026-06-01", "2026-11-21", "2026-07-21", true},
		{"a chain moves it on", on("2026-06-20", "2026-07-15", "2026-08-10"), "2026-06-01", "2026-11-21", "2026-09-10", true},
		{"starts before from do not count", on("2026-05-30"), "2026-06-01", "2026-11-21", "2026-07-01", true},
		{"a chain up to day: no cut", on("2026-06-20", "2026-07-15", "2026-08-10", "2026-09-05", "2026-10-01", "2026-10-30", "2026-11-20"),
			"2026-06-01", "2026-11-21", "2026-12-21", false},
		{"the cut may be day itself", on("2026-10-21"), "2026-09-22", "2026-11-21", "2026-11-21", true},
	} {
		got, ok := ChainCut(tc.starts, date(tc.from), date(tc.day))
		if got.String() != tc.want || ok != tc.ok {
			t.Errorf("%s: chainCut = %s %v, want %s %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// The runs after a chain cut are the runs of all the starts: cutting the
// starts read back to the cut never changes the active or the next run.
func TestChainCutKeepsTheRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base := date("2024-01-01")
	compared := 0
	for trial := range 500 {
		var all []Start
		for range r.IntN(12) {
			all = append(all, Start{Author: []string{"sam", "alex"}[r.IntN(2)],
				On: base.AddDays(r.IntN(700)), Created: time.Unix(int64(r.IntN(1000)), 0)})
		}
		day := base.AddDays(200 + r.IntN(500))
		since := day.AddDays(-(30 + r.IntN(200)))
		var known []Start // what a read back to since finds
		for _, s := range all {
			if !s.On.Before(since) {
				known = append(known, s)
			}
		}
		cut, ok := ChainCut(known, since, day)
		if !ok {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(known), func(s Start) bool { return s.On.Before(cut) })
		want, got := StateOn(all, day), StateOn(kept, day)
		if want.Status == Active || want.Status == Upcoming {
			compared++
		}
		if (want.Status == Active || want.Status == Upcoming) && want != got {
			t.Fatalf("trial %d: day %s since %s cut %s: %+v, want %+v (starts %v)", trial, day, since, cut, got, want, all)
		}
		if want.Status != got.Status && got.Status != None {
			t.Fatalf("trial %d: status %s, want %s or none", trial, got.Status, want.Status)
		}
	}
	if compared < 100 {
		t.Errorf("only %d trials had a run to compare", compared)
	}
}

func TestStateDay(t *testing.T) {
	run := Run{Start: date("2026-11-01"), StartedBy: "sam"}
	for _, tc := range []struct {
		st   State
		day  string
		want int
	}{
		{State{Status: Active, Run: run}, "2026-11-01", 1},
		{State{Status: Active, Run: run}, "2026-11-30", 30},
		{State{Status: Upcoming, Run: run}, "2026-10-30", 0},
		{State{Status: Finished, Run: run}, "2026-12-05", 0},
		{State{Status: None}, "2026-12-05", 0},
	} {
		if got := tc.st.Day(date(tc.day)); got != tc.want {
			t.Errorf("%s on %s: day %d, want %d", tc.st.Status, tc.day, got, tc.want)
		}
	}
}

func TestParticipants(t *testing.T) {
	run := Run{Start: date("2026-11-01"), StartedBy: "sam"}
	starts := []Start{{Author: "sam", On: date("2026-11-01")}, {Author: "old", On: date("2026-06-01")}}
	dones := []Done{{Author: "alex", Date: date("2026-11-03")}, {Author: "gone", Date: date("2026-10-01")}}
	for _, tc := range []struct {
		name   string
		who    string
		recent []string
		want   []string
	}{
		{"you alone, with the run's people", "kim", nil, []string{"alex", "kim", "sam"}},
		{"recent check-ins count", "sam", []string{"robin"}, []string{"alex", "robin", "sam"}},
		{"no repeats", "alex", []string{"alex", "sam"}, []string{"alex", "sam"}},
	} {
		if got := Participants(tc.who, tc.recent, run, starts, dones); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestOpens(t *testing.T) {
	on := func(author, d string) Start { return Start{Author: author, On: date(d)} }
	runs := []Start{on("sam", "2026-11-01")}
	for _, tc := range []struct {
		name   string
		starts []Start
		s      Start
		want   bool
	}{
		{"the first start", nil, on("sam", "2026-11-01"), true},
		{"inside the run", runs, on("alex", "2026-11-20"), false},
		{"on the run's day 30", runs, on("alex", "2026-11-30"), false},
		{"after the run's day 30", runs, on("alex", "2026-12-01"), true},
		{"before the run: it takes the run over", runs, on("alex", "2026-10-25"), true},
		{"no day", runs, Start{Author: "alex"}, false},
	} {
		if got := Opens(tc.starts, tc.s); got != tc.want {
			t.Errorf("%s: Opens = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestStateLookingBack(t *testing.T) {
	on := func(d string) Start { return Start{Author: "sam", On: date(d)} }
	for _, tc := range []struct {
		name     string
		starts   []Start
		day      string
		status   Status
		runStart string
	}{
		{"none", nil, "2026-11-21", None, "0000-00-00"},
		{"active", []Start{on("2026-11-10")}, "2026-11-21", Active, "2026-11-10"},
		{"finished", []Start{on("2026-09-01")}, "2026-11-21", Finished, "2026-09-01"},
		{"only one ahead", []Start{on("2026-11-25")}, "2026-11-21", Upcoming, "2026-11-25"},
		{"one ahead, the last before wins", []Start{on("2026-07-01"), on("2026-09-01"), on("2026-11-25")}, "2026-11-21", Finished, "2026-09-01"},
	} {
		st := StateLookingBack(tc.starts, date(tc.day))
		if st.Status != tc.status || (tc.status != None && st.Run.Start.String() != tc.runStart) {
			t.Errorf("%s: %s from %s, want %s from %s", tc.name, st.Status, st.Run.Start, tc.status, tc.runStart)
		}
	}
}
