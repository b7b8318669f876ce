package cmd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// fakePrompter answers forms from a table and records what it was asked.
type fakePrompter struct {
	answers map[string]string
	asked   []FormField
}

func (f *fakePrompter) Form(_ context.Context, _ string, fields []FormField) (map[string]string, error) {
	f.asked = append(f.asked, fields...)
	out := map[string]string{}
	for _, fl := range fields {
		if v, ok := f.answers[fl.Key]; ok {
			out[fl.Key] = v
		} else {
			out[fl.Key] = fl.Value
		}
	}
	return out, nil
}

func (f *fakePrompter) Choose(context.Context, string, []string) ([]int, error) { return nil, nil }

// testApp is an App on a terminal (or not), with a journal and config in
// temporary folders and a fixed clock.
func testApp(t *testing.T, tty bool) (*App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := NewApp(&IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InTTY: tty, OutTTY: tty, Width: 80}, "test")
	now := time.Date(2026, 11, 21, 21, 14, 3, 0, time.FixedZone("CET", 3600))
	a.Now = func() time.Time { return now }
	env := map[string]string{
		"RECONNECT_CONFIG_DIR": t.TempDir(),
		"RECONNECT_JOURNAL":    filepath.Join(t.TempDir(), "journal"),
		"RECONNECT_AUTHOR":     "sam",
		"XDG_STATE_HOME":       t.TempDir(),
	}
	a.Getenv = func(k string) string { return env[k] }
	return a, &out, &errOut
}

func TestCheckinFormOnATerminal(t *testing.T) {
	a, out, errOut := testApp(t, true)
	p := &fakePrompter{answers: map[string]string{"Rose": "A long lunch", "Thorn": "  "}}
	a.Prompter = p
	if code := a.Run([]string{"checkin"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(p.asked) != 3 || p.asked[0].Placeholder != "My boss actually loved the project I was so worried about." {
		t.Fatalf("the form asked %+v, want Rose, Bud, Thorn with the guide's examples", p.asked)
	}
	j, err := a.openJournal(false)
	if err != nil {
		t.Fatal(err)
	}
	e, err := j.Store.Read("2026/11/2026-11-21-checkin-sam.md")
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := e.Section("Rose"); got != "A long lunch" {
		t.Errorf("Rose = %q", got)
	}
	if _, ok := e.Section("Thorn"); ok {
		t.Error("a blank answer was saved as a Thorn")
	}
	if !strings.Contains(out.String(), "Saved your check-in") {
		t.Errorf("output: %s", out)
	}

	// The second form is prefilled with what was saved.
	p.asked, p.answers = nil, map[string]string{"Bud": "The hike"}
	if code := a.Run([]string{"checkin"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if p.asked[0].Value != "A long lunch" {
		t.Errorf("Rose was not prefilled: %+v", p.asked[0])
	}
	e, _ = j.Store.Read("2026/11/2026-11-21-checkin-sam.md")
	if got, _ := e.Section("Rose"); got != "A long lunch" {
		t.Errorf("Rose after update = %q", got)
	}
	if got, _ := e.Section("Bud"); got != "The hike" {
		t.Errorf("Bud after update = %q", got)
	}
}

func TestLogIsPagedOnATerminal(t *testing.T) {
	a, out, errOut := testApp(t, false)
	for _, args := range [][]string{{"checkin", "--rose", "one"}, {"thanks", "two"}} {
		if code := a.Run(args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	out.Reset()
	a.IO.OutTTY = true
	a.IO.Pager = "sed s/^/paged:/"
	if code := a.Run([]string{"log"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for _, l := range lines {
		if !strings.HasPrefix(l, "paged:") {
			t.Fatalf("line %q did not go through the pager:\n%s", l, out)
		}
	}
	if len(lines) < 4 {
		t.Errorf("log printed too little:\n%s", out)
	}
}

func TestColorOnlyOnATerminal(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if colorOn(colorAuto, true, env(map[string]string{"TERM": "dumb"})) {
		t.Error("colour with TERM=dumb")
	}
	if !colorOn(colorAuto, true, env(map[string]string{"TERM": "xterm"})) {
		t.Error("no colour on a plain terminal")
	}
	if colorOn(colorAuto, false, env(map[string]string{"TERM": "xterm"})) {
		t.Error("colour off a terminal")
	}
	// An empty NO_COLOR is unset (https://no-color.org: "when present and
	// not an empty string"); issue 15.4 changed this on purpose.
	t.Setenv("NO_COLOR", "")
	if !colorOn(colorAuto, true, env(map[string]string{"TERM": "xterm"})) {
		t.Error("no colour with an empty NO_COLOR")
	}
	if colorOn(colorAuto, true, env(map[string]string{"TERM": "xterm", "NO_COLOR": "1"})) {
		t.Error("colour with NO_COLOR=1")
	}
	if got := (Palette{on: false}).Red("x"); got != "x" {
		t.Errorf("palette off still colours: %q", got)
	}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{usagef("bad"), 2},
		{withHint(usagef("bad"), "do this"), 2},
		{journal.ErrBadAuthor, 2},
		{civil.ErrBadDate, 2},
		{context.Canceled, 130},
		{os.ErrPermission, 1},
		{fmt.Errorf("sync: %w", gitsync.ErrOffline), 3},
		{fmt.Errorf("sync: %w", gitsync.ErrAuth), 4},
		{&gitsync.HostKeyError{Host: "h"}, 4},
		{fmt.Errorf("sync: %w", gitsync.ErrCertificate), 4},
		{fmt.Errorf("sync: %w", gitsync.ErrCleartext), 4},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{map[string]string{}, gcPercent},
		{map[string]string{"GOGC": "50"}, 100},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, 100},
	} {
		debug.SetGCPercent(100)
		tuneGC(func(k string) string { return tc.env[k] })
		if got := debug.SetGCPercent(100); got != tc.want {
			t.Errorf("env %v: GC percent %d, want %d", tc.env, got, tc.want)
		}
	}
}
