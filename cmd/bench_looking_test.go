package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/journal"
)

// Reading the whole generated journal, with the read cache in
// .git/reconnect-cache cold (removed before each run) and warm, and the
// looking-back commands the same way, beside rg over the same folder where
// rg is installed. DESIGN §6: search and stats under 150 ms and faster than
// rg; log of a month under 50 ms. Figures: docs/benchmarks.md, "Reading".

// dropCache removes the read cache of the journal at dir, outside the timer.
func dropCache(b *testing.B, dir string) {
	b.Helper()
	b.StopTimer()
	if err := os.RemoveAll(filepath.Join(dir, ".git", "reconnect-cache")); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
}

// warmCache fills the read cache and waits until its shards are old enough
// for their records to be trusted (a record younger than its file's last
// change by less than two seconds is read again).
func warmCache(b *testing.B, dir string) {
	b.Helper()
	if _, _, err := (journal.Store{Root: dir}).List(journal.Query{}); err != nil {
		b.Fatal(err)
	}
}

func benchColdWarm(b *testing.B, run func(b *testing.B, dir string, now time.Time)) {
	dir := benchJournal(b)
	now := lastDay(b, dir)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			dropCache(b, dir)
			run(b, dir, now)
		}
	})
	b.Run("warm", func(b *testing.B) {
		warmCache(b, dir)
		for b.Loop() {
			run(b, dir, now)
		}
	})
}

func BenchmarkListEverything(b *testing.B) {
	benchColdWarm(b, func(b *testing.B, dir string, _ time.Time) {
		entries, _, err := (journal.Store{Root: dir}).List(journal.Query{})
		if err != nil || len(entries) < 40000 {
			b.Fatalf("%d entries, %v", len(entries), err)
		}
	})
}

func BenchmarkReadingLogMonth(b *testing.B) {
	benchColdWarm(b, func(b *testing.B, dir string, now time.Time) {
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local)
		benchApp(b, dir, now, "log", "--since", first.Format("2006-01-02"), "--until", now.Format("2006-01-02"))
	})
}

// benchRg runs rg over the journal's folder, as a person would grep it.
func benchRg(b *testing.B, args ...string) {
	rg, err := exec.LookPath("rg")
	if err != nil {
		b.Skip("rg is not installed")
	}
	dir := benchJournal(b)
	for b.Loop() {
		c := exec.Command(rg, append(args, dir)...)
		if out, err := c.Output(); err != nil && len(out) > 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadingSearch(b *testing.B) {
	benchColdWarm(b, func(b *testing.B, dir string, now time.Time) {
		benchApp(b, dir, now, "search", "walk", "river")
	})
}

// BenchmarkReadingRgSearch is rg finding one of the words, in any case, in
// the same folder (it cannot ask for both words in one file).
func BenchmarkReadingRgSearch(b *testing.B) {
	benchRg(b, "-i", "-l", "--no-messages", "river")
}

func BenchmarkReadingStats(b *testing.B) {
	benchColdWarm(b, func(b *testing.B, dir string, now time.Time) {
		benchApp(b, dir, now, "stats")
	})
}

func BenchmarkReadingMemories(b *testing.B) {
	benchColdWarm(b, func(b *testing.B, dir string, now time.Time) {
		benchApp(b, dir, now, "memories")
	})
}

// BenchmarkReadingProcess runs the built binary over the generated journal
// with a warm cache, as a person runs it: start-up, a fresh heap and its
// page faults included, which the in-process benchmarks above share
// between runs. It reports the process's CPU time (user + system) beside
// the wall time.
func BenchmarkReadingProcess(b *testing.B) {
	dir := benchJournal(b)
	day := lastDay(b, dir).Format("2006-01-02")
	month := day[:8] + "01"
	bin := filepath.Join(b.TempDir(), "reconnect")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	env := []string{"HOME=" + b.TempDir(), "RECONNECT_CONFIG_DIR=" + b.TempDir(), "RECONNECT_AUTHOR=sam", "PATH=" + os.Getenv("PATH")}
	run := func(b *testing.B, args []string) time.Duration {
		c := exec.Command(bin, append([]string{"--journal", dir, "--no-sync"}, args...)...)
		c.Env = env
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
		return c.ProcessState.UserTime() + c.ProcessState.SystemTime()
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"stats", []string{"stats", "--date", day}},
		{"search", []string{"search", "walk", "river", "--date", day}},
		{"memories", []string{"memories", "--date", day}},
		{"log-month", []string{"log", "--since", month, "--until", day}},
		{"version", []string{"--version"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			run(b, tc.args) // the cache, warm
			time.Sleep(2100 * time.Millisecond)
			var cpu time.Duration
			for b.Loop() {
				cpu += run(b, tc.args)
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
