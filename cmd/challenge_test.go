package cmd

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// scriptPrompter answers each form and each choice in turn from a script,
// and records what was asked. A form answer missing from the script leaves
// the field's value as it was; a script run out is an error. The form
// numbered interruptAt (from 1) is interrupted, as Ctrl-C would: its
// script is what had been typed, returned with the interruption.
type scriptPrompter struct {
	forms       []map[string]string
	choices     [][]int
	interruptAt int

	titles  []string
	fields  [][]FormField
	options [][]string
}

func (s *scriptPrompter) Form(_ context.Context, title string, fields []FormField) (map[string]string, error) {
	s.titles = append(s.titles, title)
	s.fields = append(s.fields, fields)
	if len(s.forms) == 0 {
		return nil, fmt.Errorf("unexpected form %q", title)
	}
	answers := s.forms[0]
	s.forms = s.forms[1:]
	out := map[string]string{}
	for _, f := range fields {
		out[f.Key] = f.Value
		if v, ok := answers[f.Key]; ok {
			out[f.Key] = v
		}
	}
	if len(s.titles) == s.interruptAt {
		return out, fmt.Errorf("form cancelled: %w", context.Canceled)
	}
	return out, nil
}

func (s *scriptPrompter) Choose(_ context.Context, title string, options []string) ([]int, error) {
	s.titles = append(s.titles, title)
	s.options = append(s.options, options)
	if len(s.choices) == 0 {
		return nil, fmt.Errorf("unexpected choice %q", title)
	}
	c := s.choices[0]
	s.choices = s.choices[1:]
	return c, nil
}

func date(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestRunStateOn(t *testing.T) {
	at := func(author, on string, minute int) challenge.Start {
		return challenge.Start{Author: author, On: date(on), Created: time.Date(2026, 1, 1, 0, minute, 0, 0, time.UTC)}
	}
	for _, tc := range []struct {
		name      string
		starts    []challenge.Start
		day       string
		status    string
		runStart  string
		startedBy string
	}{
		{"nothing started", nil, "2026-11-21", runNone, "", ""},
		{"started today", []challenge.Start{at("sam", "2026-11-21", 0)}, "2026-11-21", runActive, "2026-11-21", "sam"},
		{"day 30", []challenge.Start{at("sam", "2026-10-23", 0)}, "2026-11-21", runActive, "2026-10-23", "sam"},
		{"day 31", []challenge.Start{at("sam", "2026-10-22", 0)}, "2026-11-21", runFinished, "2026-10-22", "sam"},
		{"planned", []challenge.Start{at("alex", "2026-11-23", 0)}, "2026-11-21", runUpcoming, "2026-11-23", "alex"},
		{"two starts before syncing: the earlier wins", []challenge.Start{at("alex", "2026-11-21", 0), at("sam", "2026-11-19", 5)},
			"2026-11-21", runActive, "2026-11-19", "sam"},
		{"finished, and the next one planned", []challenge.Start{at("sam", "2026-09-01", 0), at("alex", "2026-11-25", 0)},
			"2026-11-21", runUpcoming, "2026-11-25", "alex"},
		{"several finished: the last", []challenge.Start{at("sam", "2026-07-01", 0), at("alex", "2026-09-01", 0)},
			"2026-11-21", runFinished, "2026-09-01", "alex"},
	} {
		st := runStateOn(tc.starts, date(tc.day))
		if st.Status != tc.status || st.Run.Start.String() != tc.runStart || st.Run.StartedBy != tc.startedBy {
			t.Errorf("%s: %s run %s by %q, want %s run %s by %q", tc.name, st.Status, st.Run.Start, st.Run.StartedBy,
				tc.status, tc.runStart, tc.startedBy)
		}
	}
}

func TestChallengeGrid(t *testing.T) {
	var days [challenge.Length]challenge.DayMark
	days[0] = challenge.DayMark{Emotional: true, Physical: true}
	days[1] = challenge.DayMark{Emotional: true}
	days[3] = challenge.DayMark{Physical: true}
	days[5] = challenge.DayMark{Emotional: true}
	for _, tc := range []struct {
		t    int
		want string
	}{
		{0, "◆e·p· e···· ····· ····· ····· ·····"},
		{5, "◆e-p· e···· ····· ····· ····· ·····"},
		{8, "◆e-p- e-··· ····· ····· ····· ·····"},
		{31, "◆e-p- e---- ----- ----- ----- -----"},
	} {
		if got := challengeGrid(days, tc.t); got != tc.want {
			t.Errorf("challengeGrid(t=%d) = %q, want %q", tc.t, got, tc.want)
		}
	}
	if h := gridHeader(); h != "1     6     11    16    21    26" {
		t.Errorf("gridHeader() = %q", h)
	}
}

func TestChainCut(t *testing.T) {
	on := func(days ...string) []challenge.Start {
		var out []challenge.Start
		for _, d := range days {
			out = append(out, challenge.Start{Author: "sam", On: date(d)})
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		starts []challenge.Start
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
		got, ok := chainCut(tc.starts, date(tc.from), date(tc.day))
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
		var all []challenge.Start
		for range r.IntN(12) {
			all = append(all, challenge.Start{Author: []string{"sam", "alex"}[r.IntN(2)],
				On: base.AddDays(r.IntN(700)), Created: time.Unix(int64(r.IntN(1000)), 0)})
		}
		day := base.AddDays(200 + r.IntN(500))
		since := day.AddDays(-(30 + r.IntN(200)))
		var known []challenge.Start // what a read back to since finds
		for _, s := range all {
			if !s.On.Before(since) {
				known = append(known, s)
			}
		}
		cut, ok := chainCut(known, since, day)
		if !ok {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(known), func(s challenge.Start) bool { return s.On.Before(cut) })
		want, got := runStateOn(all, day), runStateOn(kept, day)
		if want.Status == runActive || want.Status == runUpcoming {
			compared++
		}
		if (want.Status == runActive || want.Status == runUpcoming) && want != got {
			t.Fatalf("trial %d: day %s since %s cut %s: %+v, want %+v (starts %v)", trial, day, since, cut, got, want, all)
		}
		if want.Status != got.Status && got.Status != runNone {
			t.Fatalf("trial %d: status %s, want %s or none", trial, got.Status, want.Status)
		}
	}
	if compared < 100 {
		t.Errorf("only %d trials had a run to compare", compared)
	}
}

// TestChallengeDoneAsksOnATerminal: with no flag at a terminal, done asks
// which of the day's two activities, and a second run adds to the first.
func TestChallengeDoneAsksOnATerminal(t *testing.T) {
	p := &scriptPrompter{choices: [][]int{{1}, {0, 1}, {}}}
	a, out, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"challenge", "start", "--on", "2026-11-20"}); code != 0 {
		t.Fatalf("start: exit %d: %s", code, errOut)
	}
	if code := a.Run([]string{"challenge", "done"}); code != 0 {
		t.Fatalf("done: exit %d: %s", code, errOut)
	}
	act, _ := challenge.Day(2)
	if len(p.options) != 1 || p.options[0][0] != "Emotional: "+act.Emotional || p.options[0][1] != "Physical: "+act.Physical {
		t.Fatalf("options %q, want day 2's two activities", p.options)
	}
	if !strings.Contains(p.titles[0], "Day 2 of 30") {
		t.Errorf("title %q", p.titles[0])
	}
	if !strings.Contains(out.String(), "Day 2 of 30, today: physical done.") {
		t.Errorf("output:\n%s", out)
	}
	check := func(emotional, physical string) {
		t.Helper()
		entries := readEntries(t, a, journal.KindChallenge)
		if len(entries) != 1 {
			t.Fatalf("%d challenge entries", len(entries))
		}
		for k, want := range map[string]string{journal.FieldDay: "2", journal.FieldEmotional: emotional, journal.FieldPhysical: physical} {
			if got, _ := entries[0].Field(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
	}
	check("false", "true")
	if code := a.Run([]string{"challenge", "done"}); code != 0 {
		t.Fatalf("done again: exit %d: %s", code, errOut)
	}
	check("true", "true")

	// Choosing nothing saves nothing: exit 2.
	errOut.Reset()
	if code := a.Run([]string{"challenge", "done"}); code != exitUsage || !strings.Contains(errOut.String(), "nothing chosen") {
		t.Errorf("nothing chosen: exit %d: %s", code, errOut)
	}
}

// BenchmarkCommandChallengeToday is 'challenge today' on the generated
// 25-year journal (DESIGN §6: under 50 ms). Which run is active is a fold
// over every start in history, so this reads every month folder's names.
func BenchmarkCommandChallengeToday(b *testing.B) {
	dir := benchJournal(b)
	now := lastDay(b, dir)
	for b.Loop() {
		benchApp(b, dir, now, "challenge", "today")
	}
}
