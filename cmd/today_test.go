package cmd

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestCoupleStreak(t *testing.T) {
	both := map[string]bool{"alex": true, "sam": true}
	sam := map[string]bool{"sam": true}
	for _, tc := range []struct {
		name     string
		checkins map[string]map[string]bool // date -> who
		couple   []string
		want     int
	}{
		{"nothing", nil, []string{"alex", "sam"}, 0},
		{"today and two before", map[string]map[string]bool{"2026-11-21": both, "2026-11-20": both, "2026-11-19": both}, []string{"alex", "sam"}, 3},
		{"today not complete yet", map[string]map[string]bool{"2026-11-21": sam, "2026-11-20": both, "2026-11-19": both}, []string{"alex", "sam"}, 2},
		{"yesterday only one", map[string]map[string]bool{"2026-11-21": both, "2026-11-20": sam, "2026-11-19": both}, []string{"alex", "sam"}, 1},
		{"a gap", map[string]map[string]bool{"2026-11-20": both, "2026-11-18": both}, []string{"alex", "sam"}, 1},
		{"neither today nor yesterday", map[string]map[string]bool{"2026-11-19": both}, []string{"alex", "sam"}, 0},
		{"one of you", map[string]map[string]bool{"2026-11-21": sam, "2026-11-20": sam}, []string{"sam"}, 2},
		{"no couple", map[string]map[string]bool{"2026-11-21": sam}, nil, 0},
	} {
		days := map[civil.Date]map[string]bool{}
		for d, who := range tc.checkins {
			days[date(d)] = who
		}
		if got := coupleStreak(days, tc.couple, date("2026-11-21")); got != tc.want {
			t.Errorf("%s: streak %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A streak longer than the window 'today' reads is followed further back.
func TestTodayStreakBeyondTheWindow(t *testing.T) {
	a, out, errOut := preparedApp(t, false, nil)
	day := date("2026-11-21")
	for i := range partnerWindow + 10 {
		d := day.AddDays(-i).String()
		for _, who := range []string{"sam", "alex"} {
			if code := a.Run([]string{"checkin", "--as", who, "--date", d, "--rose", "x"}); code != 0 {
				t.Fatalf("checkin %s %s: exit %d: %s", who, d, code, errOut)
			}
		}
	}
	out.Reset()
	if code := a.Run([]string{"today", "--json"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `"streak": 70,`
	if !strings.Contains(out.String(), want) {
		t.Errorf("today --json lacks %s:\n%s", want, out)
	}
}

// Every ritual command of issue 4 has help with examples, and those that
// show state take --json.
func TestRitualsHaveHelp(t *testing.T) {
	root := RootForDocs()
	withJSON := map[string]bool{
		"challenge today": true, "challenge status": true, "challenge show": true, "challenge list": true,
		"ask": true, "date list": true, "idea": true, "today": true, "show": true,
	}
	var walk func(c *cobra.Command)
	seen := 0
	walk = func(c *cobra.Command) {
		path := commandPath(c)
		if c.Short == "" || c.Example == "" {
			t.Errorf("%s: no short help or no examples", path)
		}
		if withJSON[path] {
			seen++
			if c.Flags().Lookup("json") == nil {
				t.Errorf("%s: no --json", path)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, name := range []string{"challenge", "ask", "reply", "union", "win", "date", "idea", "together", "today", "show"} {
		c, _, err := root.Find([]string{name})
		if err != nil || c.Name() != name {
			t.Fatalf("no command %s: %v", name, err)
		}
		if name != "today" && name != "show" && c.GroupID != "rituals" {
			t.Errorf("%s is in group %q, want rituals", name, c.GroupID)
		}
		walk(c)
	}
	if seen != len(withJSON) {
		t.Errorf("checked --json on %d commands, want %d", seen, len(withJSON))
	}
}
