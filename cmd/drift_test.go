package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/prompts"
)

// checkinsOf is who checked in on which of the n days before day.
func checkinsOf(day civil.Date, n int, who ...string) map[civil.Date]map[string]bool {
	m := map[civil.Date]map[string]bool{}
	for i := 1; i <= n; i++ {
		d := day.AddDays(-i)
		m[d] = map[string]bool{}
		for _, w := range who {
			m[d][w] = true
		}
	}
	return m
}

func TestDriftOn(t *testing.T) {
	day := date("2026-11-21")
	texts := prompts.DriftTexts()
	for _, tc := range []struct {
		name     string
		checkins map[civil.Date]map[string]bool
		couple   []string
		after    int
		stage    string // "" for nothing
	}{
		{"both checking in", checkinsOf(day, 10, "sam", "alex"), []string{"alex", "sam"}, 5, ""},
		{"only sam, four days", checkinsOf(day, 4, "sam"), []string{"alex", "sam"}, 5, ""},
		{"only sam, five days", checkinsOf(day, 5, "sam"), []string{"alex", "sam"}, 5, "gesture"},
		{"only sam, twenty-one days", checkinsOf(day, 21, "sam"), []string{"alex", "sam"}, 5, "talk"},
		{"drift off", checkinsOf(day, 21, "sam"), []string{"alex", "sam"}, 0, ""},
		{"a journal of one", checkinsOf(day, 21, "sam"), []string{"sam"}, 5, ""},
		{"the partner is here tonight", func() map[civil.Date]map[string]bool {
			m := checkinsOf(day, 8, "sam")
			m[day] = map[string]bool{"alex": true}
			return m
		}(), []string{"alex", "sam"}, 5, ""},
	} {
		got := driftOn(tc.checkins, "sam", tc.couple, day, tc.after)
		switch {
		case tc.stage == "" && got != nil:
			t.Errorf("%s: %+v, want nothing", tc.name, got)
		case tc.stage != "" && (got == nil || got.Stage != tc.stage):
			t.Errorf("%s: %+v, want %s", tc.name, got, tc.stage)
		case tc.stage == "gesture" && (got.Text != prompts.GestureOf(day) || got.Heading != texts.Heading):
			t.Errorf("%s: %+v, want the day's gesture", tc.name, got)
		case tc.stage == "talk" && got.Text != texts.Talk.Text:
			t.Errorf("%s: %+v, want the talk", tc.name, got)
		}
		// Never a guilt trip: no count, no name.
		if got != nil && (strings.ContainsAny(got.Text+got.Heading+got.Note, "0123456789") || strings.Contains(strings.ToLower(got.Text), "alex")) {
			t.Errorf("%s: %+v counts or names", tc.name, got)
		}
	}
}

// The drift mark remembers one day: shown once that day, again the next.
func TestDriftMark(t *testing.T) {
	j := &Journal{Dir: t.TempDir()}
	if err := mkdirGit(j.Dir); err != nil {
		t.Fatal(err)
	}
	day := date("2026-11-21")
	if driftShownOn(j, "sam", day) {
		t.Fatal("shown before any mark")
	}
	markDriftShown(j, "sam", day)
	if !driftShownOn(j, "sam", day) || driftShownOn(j, "alex", day) || driftShownOn(j, "sam", day.AddDays(1)) {
		t.Error("the mark is for sam on the 21st only")
	}
}

func TestDriftConfig(t *testing.T) {
	no, five, nine := false, 5, 9
	for _, tc := range []struct {
		name string
		cfg  *Config
		want int
	}{
		{"unset", &Config{}, 5},
		{"no config", nil, 5},
		{"days 9", &Config{Drift: DriftConfig{Days: &nine}}, 9},
		{"off", &Config{Drift: DriftConfig{Enabled: &no, Days: &five}}, 0},
	} {
		if got := tc.cfg.driftDays(); got != tc.want {
			t.Errorf("%s: driftDays = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// Every challenge day that points somewhere points to a real command.
func TestChallengeTryIsACommand(t *testing.T) {
	a, _, _ := testApp(t, false)
	root := newRootCmd(a)
	n := 0
	for _, act := range challenge.Plan() {
		if act.Try == "" {
			continue
		}
		n++
		args := strings.Fields(strings.TrimPrefix(act.Try, "reconnect "))
		c, rest, err := root.Find(args)
		if err != nil || len(rest) > 0 || c.CommandPath() != act.Try {
			t.Errorf("day %d: try %q is no command (found %v, rest %q, %v)", act.Day, act.Try, c.CommandPath(), rest, err)
		}
	}
	if n != 4 {
		t.Errorf("%d days point to a command, want 4", n)
	}
}

func mkdirGit(dir string) error { return os.MkdirAll(filepath.Join(dir, ".git"), 0o700) }
