package cmd

import (
	"context"
	"fmt"
	"strings"
	"testing"

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
