package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// 'reconnect nudge' runs before every shell prompt: issue 13 wants it
// under 5 ms on the generated 25-year journal. Figures: docs/benchmarks.md
// ("nudge").

// BenchmarkCommandNudge is the whole command in-process (the command tree,
// the config, the read), the evening of the journal's last day, when Sam
// has checked in (silent after one folder listing), and the evening after,
// when nothing is written yet and everything is looked at: today's and
// yesterday's folders, the dates, a week of folders for the State of the
// Union.
func BenchmarkCommandNudge(b *testing.B) {
	dir := benchJournal(b)
	last := lastDay(b, dir)
	for _, tc := range []struct {
		name string
		now  time.Time
	}{{"checked-in", last}, {"waiting", last.AddDate(0, 0, 1)}} {
		b.Run(tc.name, func(b *testing.B) {
			if out := nudgeOnce(b, dir, tc.now); (out == "") != (tc.name == "checked-in") {
				b.Fatalf("%s: %q", tc.name, out)
			}
			for b.Loop() {
				benchApp(b, dir, tc.now, "nudge")
			}
		})
	}
}

// BenchmarkStoreTonight is the read alone, the evening after the last day.
func BenchmarkStoreTonight(b *testing.B) {
	dir := benchJournal(b)
	day := civil.Of(lastDay(b, dir)).AddDays(1)
	s := journal.Store{Root: dir}
	for b.Loop() {
		t, err := s.Tonight(day, "sam", 7, func() journal.NewsMark { return journal.NewsMark{} })
		if err != nil || t.CheckedIn {
			b.Fatalf("%+v, %v", t, err)
		}
	}
}

// nudgeOnce is what 'nudge' prints on dir at now, as benchApp runs it.
func nudgeOnce(b *testing.B, dir string, now time.Time) string {
	var out, errOut bytes.Buffer
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Width: 80}, "bench")
	app.Now = func() time.Time { return now }
	cfg := b.TempDir()
	app.Getenv = func(k string) string {
		return map[string]string{"RECONNECT_CONFIG_DIR": cfg, "RECONNECT_AUTHOR": "sam"}[k]
	}
	if code := app.Run([]string{"--journal", dir, "nudge"}); code != 0 || errOut.Len() > 0 {
		b.Fatalf("exit %d: %s", code, errOut.String())
	}
	return out.String()
}

// BenchmarkNudgeProcess is a whole process, as a shell prompt runs it: exec
// of the built binary, 'nudge' on the generated journal. The binary has the
// real clock: nudge.after is set to 00:00 so that it is always evening, and
// it finds everything waiting (the journal ends before today).
func BenchmarkNudgeProcess(b *testing.B) {
	dir := benchJournal(b)
	bin := filepath.Join(b.TempDir(), "reconnect")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatal(err)
	}
	cfg := b.TempDir()
	if err := os.WriteFile(filepath.Join(cfg, "config.yaml"), []byte("nudge:\n  after: \"00:00\"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	run := func() string {
		c := exec.Command(bin, "--journal", dir, "nudge")
		c.Env = append(os.Environ(), "RECONNECT_CONFIG_DIR="+cfg, "RECONNECT_AUTHOR=sam")
		out, err := c.CombinedOutput()
		if err != nil {
			b.Fatalf("%s: %v", out, err)
		}
		return string(out)
	}
	if out := run(); !strings.HasPrefix(out, "♥ ") {
		b.Fatalf("nothing waiting: %q", out)
	}
	for b.Loop() {
		run()
	}
}
