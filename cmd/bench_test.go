package cmd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/journalgen"
)

// The read commands on the generated 25-year journal (about 50,000
// entries), in-process, as a user runs them: DESIGN §6 wants 'today' and
// 'log' of a month under 50 ms. The journal is generated once into the
// temporary folder and reused. Figures: docs/benchmarks.md.

func benchJournal(b *testing.B) string {
	if testing.Short() {
		b.Skip("generates a 25-year journal")
	}
	return journalgen.Cached(b, journalgen.Options{})
}

// benchApp runs one command line against dir with a fixed clock and no
// network, and fails the benchmark on a non-zero exit.
func benchApp(b *testing.B, dir string, now time.Time, args ...string) {
	b.Helper()
	tuneGC(os.Getenv) // as Main does
	var out, errOut bytes.Buffer
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Width: 80}, "bench")
	app.Now = func() time.Time { return now }
	cfg := b.TempDir()
	app.Getenv = func(k string) string {
		switch k {
		case "RECONNECT_CONFIG_DIR":
			return cfg
		case "RECONNECT_AUTHOR":
			return "sam"
		}
		return ""
	}
	if code := app.Run(append([]string{"--journal", dir, "--no-sync"}, args...)); code != 0 {
		b.Fatalf("%v: exit %d: %s", args, code, errOut.String())
	}
}

// lastDay is the last day the generated journal has entries for.
func lastDay(b *testing.B, dir string) time.Time {
	years, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9][0-9][0-9]"))
	months, _ := filepath.Glob(filepath.Join(years[len(years)-1], "[0-9][0-9]"))
	files, _ := filepath.Glob(filepath.Join(months[len(months)-1], "*.md"))
	name := filepath.Base(files[len(files)-1])
	t, err := time.ParseInLocation("2006-01-02", name[:10], time.Local)
	if err != nil {
		b.Fatal(err)
	}
	return t.Add(21 * time.Hour)
}

func BenchmarkCommandToday(b *testing.B) {
	dir := benchJournal(b)
	now := lastDay(b, dir)
	for b.Loop() {
		benchApp(b, dir, now, "today")
	}
}

func BenchmarkCommandLogMonth(b *testing.B) {
	dir := benchJournal(b)
	now := lastDay(b, dir)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
	for b.Loop() {
		benchApp(b, dir, now, "log", "--since", first.Format("2006-01-02"), "--until", now.Format("2006-01-02"))
	}
}

func BenchmarkCommandShow(b *testing.B) {
	dir := benchJournal(b)
	now := lastDay(b, dir)
	for b.Loop() {
		benchApp(b, dir, now, "show")
	}
}

// BenchmarkStartup measures a whole process: exec of the built binary
// printing its version (DESIGN §6: under 15 ms).
func BenchmarkStartup(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the binary")
	}
	bin := filepath.Join(b.TempDir(), "reconnect")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if out, err := exec.Command(bin, "--version").Output(); err != nil || !bytes.HasPrefix(out, []byte("reconnect ")) {
			b.Fatalf("%s: %v", out, err)
		}
	}
}
