package cmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/journal"
)

// fakeTime is a clock whose timers fire at once, moving the clock on by
// their duration. cancelAt (1-based) cancels the context instead of firing
// that timer, the way Ctrl-C would while it waits.
type fakeTime struct {
	now      time.Time
	waits    []time.Duration
	cancelAt int
	cancel   context.CancelFunc
}

func (f *fakeTime) clock() time.Time { return f.now }

func (f *fakeTime) after(d time.Duration) <-chan time.Time {
	f.waits = append(f.waits, d)
	ch := make(chan time.Time, 1)
	if len(f.waits) == f.cancelAt {
		f.now = f.now.Add(d / 2) // interrupted halfway through the wait
		f.cancel()
		return ch // never fires
	}
	f.now = f.now.Add(d)
	ch <- f.now
	return ch
}

func TestCountdown(t *testing.T) {
	s := time.Second
	for _, tc := range []struct {
		name      string
		total     time.Duration
		step      time.Duration
		cancelAt  int
		wantSpent time.Duration
		wantCut   bool
		wantDraws []time.Duration
		wantWaits []time.Duration
	}{
		{"runs to the end", 3 * s, s, 0, 3 * s, false, []time.Duration{0, s, 2 * s, 3 * s}, []time.Duration{s, s, s}},
		{"one second", s, s, 0, s, false, []time.Duration{0, s}, []time.Duration{s}},
		{"last step is shorter", 2500 * time.Millisecond, s, 0, 2500 * time.Millisecond, false,
			[]time.Duration{0, s, 2 * s, 2500 * time.Millisecond}, []time.Duration{s, s, 500 * time.Millisecond}},
		{"cut short in the third second", 10 * s, s, 3, 2500 * time.Millisecond, true,
			[]time.Duration{0, s, 2 * s}, []time.Duration{s, s, s}},
		{"cut short at once", 10 * s, s, 1, 500 * time.Millisecond, true, []time.Duration{0}, []time.Duration{s}},
		{"steps longer than the total", 2 * s, time.Minute, 0, 2 * s, false, []time.Duration{0, 2 * s}, []time.Duration{2 * s}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ft := &fakeTime{now: time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC), cancelAt: tc.cancelAt, cancel: cancel}
			var draws []time.Duration
			spent, cut := countdown(ctx, tc.total, tc.step, ft.clock, ft.after, func(d time.Duration) { draws = append(draws, d) })
			if spent != tc.wantSpent || cut != tc.wantCut {
				t.Errorf("spent %v cut %v, want %v %v", spent, cut, tc.wantSpent, tc.wantCut)
			}
			if !slices.Equal(draws, tc.wantDraws) {
				t.Errorf("draws %v, want %v", draws, tc.wantDraws)
			}
			if !slices.Equal(ft.waits, tc.wantWaits) {
				t.Errorf("waits %v, want %v", ft.waits, tc.wantWaits)
			}
		})
	}
}

func TestCountdownCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ft := &fakeTime{now: time.Unix(0, 0), cancel: cancel}
	spent, cut := countdown(ctx, time.Minute, time.Second, ft.clock, ft.after, func(time.Duration) {})
	if spent != 0 || !cut || len(ft.waits) != 0 {
		t.Errorf("spent %v cut %v waits %v, want 0 true none", spent, cut, ft.waits)
	}
}

func TestProgressBar(t *testing.T) {
	for _, tc := range []struct {
		elapsed, total time.Duration
		width          int
		want           string
	}{
		{0, time.Minute, 10, "[░░░░░░░░░░]"},
		{30 * time.Second, time.Minute, 10, "[█████░░░░░]"},
		{59 * time.Second, time.Minute, 10, "[█████████░]"},
		{time.Minute, time.Minute, 10, "[██████████]"},
		{2 * time.Minute, time.Minute, 10, "[██████████]"},
		{-time.Second, time.Minute, 4, "[░░░░]"},
		{time.Second, 0, 4, "[████]"},
		{10 * time.Minute, 15 * time.Minute, 30, "[" + strings.Repeat("█", 20) + strings.Repeat("░", 10) + "]"},
	} {
		if got := progressBar(tc.elapsed, tc.total, tc.width); got != tc.want {
			t.Errorf("progressBar(%v, %v, %d) = %q, want %q", tc.elapsed, tc.total, tc.width, got, tc.want)
		}
	}
}

func TestClockAndSpokenDuration(t *testing.T) {
	for _, tc := range []struct {
		d             time.Duration
		clock, spoken string
	}{
		{15 * time.Minute, "15:00", "15 minutes"},
		{9*time.Minute + 5*time.Second, "9:05", "9 minutes 5 seconds"},
		{time.Second, "0:01", "1 second"},
		{0, "0:00", "0 seconds"},
		{-time.Second, "0:00", "0 seconds"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1:02:03", "1 hour 2 minutes 3 seconds"},
		{90 * time.Minute, "1:30:00", "1 hour 30 minutes"},
		{1400 * time.Millisecond, "0:01", "1 second"},
	} {
		if got := clockText(tc.d); got != tc.clock {
			t.Errorf("clockText(%v) = %q, want %q", tc.d, got, tc.clock)
		}
		if tc.d >= 0 {
			if got := spokenDuration(tc.d); got != tc.spoken {
				t.Errorf("spokenDuration(%v) = %q, want %q", tc.d, got, tc.spoken)
			}
		}
	}
}

func TestParseTogetherDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"15m", 15 * time.Minute, ""},
		{"20", 20 * time.Minute, ""},
		{" 1h30m ", 90 * time.Minute, ""},
		{"90s", 90 * time.Second, ""},
		{"1s", time.Second, ""},
		{"4h", 4 * time.Hour, ""},
		{"4h0m1s", 0, "at most 4h"},
		{"0", 0, "at least 1s"},
		{"-5m", 0, "at least 1s"},
		{"500ms", 0, "at least 1s"},
		{"1.5s", 0, "whole seconds"},
		{"soon", 0, "want a time like 15m"},
		{"", 0, "want a time like 15m"},
	} {
		got, err := parseTogetherDuration(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("parseTogetherDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("parseTogetherDuration(%q) error %v, want %q", tc.in, err, tc.err)
		case tc.err != "" && exitCode(err) != exitUsage:
			t.Errorf("parseTogetherDuration(%q): exit %d, want %d", tc.in, exitCode(err), exitUsage)
		}
	}
}

// preparedApp is [testApp] with its config loaded, ready for a runX call.
func preparedApp(t *testing.T, tty bool, p Prompter) (*App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	a, out, errOut := testApp(t, tty)
	if p != nil {
		a.Prompter = p
	}
	if err := a.prepare(); err != nil {
		t.Fatal(err)
	}
	return a, out, errOut
}

// readEntries is every entry of kind in the test app's journal.
func readEntries(t *testing.T, a *App, kind journal.Kind) []*journal.Entry {
	t.Helper()
	dir, err := a.journalDir()
	if err != nil {
		t.Fatal(err)
	}
	entries, warnings, err := journal.Store{Root: dir}.List(journal.Query{Kinds: []journal.Kind{kind}})
	if err != nil || len(warnings) > 0 {
		t.Fatalf("list %s: %v %v", kind, err, warnings)
	}
	return entries
}

func TestRunTogether(t *testing.T) {
	for _, tc := range []struct {
		name         string
		tty          bool
		total        time.Duration
		cancelAt     int
		wantSpent    string
		wantCut      string
		wantExit     int
		wantOut      []string
		wantNotInOut []string
	}{
		{"ends on a terminal", true, 3 * time.Second, 0, "3s", "false", exitOK,
			[]string{"Phones away: 3 seconds", "\r[" + strings.Repeat("█", 30) + "]  0:00 left", "✓ 3 seconds together, phones away. Logged (2026/11/2026-11-21-together-sam-211403.md)"}, nil},
		{"ends off a terminal", false, 2 * time.Second, 0, "2s", "false", exitOK,
			[]string{"✓ 2 seconds together"}, []string{"\r", "█"}},
		{"Ctrl-C cuts it short", true, 15 * time.Minute, 4, "3s", "true", exitInterrupted,
			[]string{"\r[░", "Cut short after 0:03 of 15:00; logged (2026/11/2026-11-21-together-sam-211403.md). Every minute counts."}, []string{"✓"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, out, _ := preparedApp(t, tc.tty, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ft := &fakeTime{now: time.Unix(1_700_000_000, 0), cancelAt: tc.cancelAt, cancel: cancel}
			err := runTogether(ctx, &togetherOptions{IO: a.IO, Now: a.clock(), Author: a.author, JournalDir: a.journalDir, Write: a.write,
				Duration: tc.total, Clock: ft.clock, After: ft.after})
			if got := exitCode(err); got != tc.wantExit {
				t.Fatalf("exit %d (%v), want %d", got, err, tc.wantExit)
			}
			if tc.wantExit == exitInterrupted && (!errors.Is(err, context.Canceled) || err.Error() != "together: interrupted after 3s (logged as cut short)") {
				t.Errorf("error %q: want the time had, wrapping context.Canceled", err)
			}
			for _, s := range tc.wantOut {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.wantNotInOut {
				if strings.Contains(out.String(), s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
			entries := readEntries(t, a, journal.KindTogether)
			if len(entries) != 1 {
				t.Fatalf("%d together entries, want 1", len(entries))
			}
			e := entries[0]
			for k, want := range map[string]string{journal.FieldPlanned: journal.FormatDuration(tc.total), journal.FieldSpent: tc.wantSpent, journal.FieldCutShort: tc.wantCut} {
				if got, _ := e.Field(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestRunTogetherRefusesABadJournalFirst(t *testing.T) {
	a, _, _ := preparedApp(t, false, nil)
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.global.journal = file
	waited := false
	err := runTogether(context.Background(), &togetherOptions{IO: a.IO, Now: a.clock(), Author: a.author, JournalDir: a.journalDir,
		Write: a.write, Duration: time.Second, Clock: time.Now, After: func(time.Duration) <-chan time.Time { waited = true; return time.After(0) }})
	if exitCode(err) != exitUsage || waited {
		t.Errorf("exit %d (%v), waited %v; want exit 2 before any wait", exitCode(err), err, waited)
	}
}
