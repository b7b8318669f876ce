package cmd

import (
	"strings"
	"testing"

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
			if code := a.Run([]string{"checkin", "--author", who, "--date", d, "--rose", "x"}); code != 0 {
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
