package challenge

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestPlanVerbatim(t *testing.T) {
	for _, tc := range []struct {
		day                 int
		emotional, physical string
	}{
		{1, "Share one thing you appreciated about your partner today.", "Hold hands for 5 minutes while talking."},
		{2, `Ask, "What was the best part of your day?" and truly listen.`, "Give a 20-second hug (it releases oxytocin!)."},
		{14, "Apologize for something small you may have overlooked.", "Wash your hands at the same time and let fingers touch."},
		{16, "Reminisce about your favorite memory together.", "Lie in bed and just hold each other, no talking."},
		{26, `Define what "intimacy" means to each of you now.`, "Lie face-to-face and make eye contact for 2 minutes."},
		{29, "Verbally reaffirm your commitment to each other.", "Recreate your first kiss."},
	} {
		a, err := Day(tc.day)
		if err != nil {
			t.Fatalf("Day(%d): %v", tc.day, err)
		}
		if a.Day != tc.day || a.Emotional != tc.emotional || a.Physical != tc.physical {
			t.Errorf("Day(%d) = %+v\nwant emotional %q\n     physical  %q", tc.day, a, tc.emotional, tc.physical)
		}
	}
}

func TestPlanComplete(t *testing.T) {
	p := Plan()
	if len(p) != Length {
		t.Fatalf("Plan has %d days, want %d", len(p), Length)
	}
	seen := map[string]int{}
	for i, a := range p {
		if a.Day != i+1 {
			t.Errorf("Plan()[%d].Day = %d", i, a.Day)
		}
		for field, s := range map[string]string{"emotional": a.Emotional, "physical": a.Physical, "theme": a.Theme} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("day %d: empty %s", a.Day, field)
			}
			if s != strings.TrimSpace(s) || strings.Contains(s, "\n") {
				t.Errorf("day %d: %s %q has stray whitespace", a.Day, field, s)
			}
		}
		for _, s := range []string{a.Emotional, a.Physical} {
			if prev, ok := seen[s]; ok {
				t.Errorf("day %d repeats day %d: %q", a.Day, prev, s)
			}
			seen[s] = a.Day
		}
	}
	// Days 15 and 30 are ours, between the guide's rows.
	for _, n := range []int{15, 30} {
		a, _ := Day(n)
		if len(a.Emotional) < 40 || len(a.Physical) < 40 {
			t.Errorf("day %d is too thin: %+v", n, a)
		}
	}
}

func TestPlanIsACopy(t *testing.T) {
	p := Plan()
	p[0].Emotional = "changed"
	if Plan()[0].Emotional == "changed" {
		t.Fatal("Plan returns the cached slice; callers can change the plan")
	}
}

// guideRows reads the activity rows of the guide's table, in order.
func guideRows(t *testing.T) [][2]string {
	t.Helper()
	// A copy of ../shared/seed/reconnection-guide.txt, so that no test
	// reads outside the module.
	b, err := os.ReadFile("../testdata/reconnection-guide.txt")
	if err != nil {
		t.Fatal(err)
	}
	rangeCell := regexp.MustCompile(`^\d+-\d+$`)
	var rows [][2]string
	in := false
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, "Day | Emotional") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if !strings.Contains(line, "|") {
			break
		}
		var cells []string
		for c := range strings.SplitSeq(line, "|") {
			if c = strings.TrimSpace(c); c != "" && strings.Trim(c, "-") != "" && !rangeCell.MatchString(c) {
				cells = append(cells, c)
			}
		}
		if len(cells) == 0 {
			continue // the ---|---| separator
		}
		if len(cells) != 2 {
			t.Fatalf("guide row %q has %d cells", line, len(cells))
		}
		rows = append(rows, [2]string{cells[0], cells[1]})
	}
	return rows
}

func TestPlanMatchesGuide(t *testing.T) {
	rows := guideRows(t)
	if len(rows) != 28 {
		t.Fatalf("guide table has %d rows, want 28", len(rows))
	}
	plan := Plan()
	for i, r := range rows {
		// Rows are days 1-14 and 16-29; 15 and 30 sit between them.
		day := i + 1
		if day >= 15 {
			day++
		}
		got := plan[day-1]
		if got.Emotional != r[0] || got.Physical != r[1] {
			t.Errorf("day %d = %q / %q\nguide row %d  %q / %q", day, got.Emotional, got.Physical, i+1, r[0], r[1])
		}
		n := 0
		for _, a := range plan {
			if a.Emotional == r[0] && a.Physical == r[1] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("guide row %d appears %d times in the plan", i+1, n)
		}
	}
}

func TestDay(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{-1, false}, {0, false}, {1, true}, {15, true}, {30, true}, {31, false}} {
		a, err := Day(tc.n)
		if tc.ok {
			if err != nil || a.Day != tc.n {
				t.Errorf("Day(%d) = %+v, %v", tc.n, a, err)
			}
			continue
		}
		if !errors.Is(err, ErrNoSuchDay) {
			t.Errorf("Day(%d) error = %v, want ErrNoSuchDay", tc.n, err)
		}
	}
}

func TestParsePlanRejects(t *testing.T) {
	day := func(n int, e string) string {
		return fmt.Sprintf("  - day: %d\n    theme: t\n    emotional: %s\n    physical: p\n", n, e)
	}
	full := func(edit func(i int) string) string {
		var b strings.Builder
		b.WriteString("days:\n")
		for i := 1; i <= Length; i++ {
			b.WriteString(edit(i))
		}
		return b.String()
	}
	good := full(func(i int) string { return day(i, "e") })
	if _, err := parsePlan([]byte(good)); err != nil {
		t.Fatalf("a well-formed plan is rejected: %v", err)
	}
	for _, tc := range []struct{ name, src, want string }{
		{"not yaml", "days: [", "parse plan"},
		{"29 days", strings.Replace(good, day(30, "e"), "", 1), "29 days"},
		{"out of order", full(func(i int) string {
			swap := map[int]int{3: 4, 4: 3}
			if j, ok := swap[i]; ok {
				return day(j, "e")
			}
			return day(i, "e")
		}), "entry 3 is day 4"},
		{"empty activity", strings.Replace(good, day(7, "e"), day(7, `""`), 1), "day 7: empty"},
		{"empty theme", strings.Replace(good, day(9, "e"), strings.Replace(day(9, "e"), "theme: t", `theme: " "`, 1), 1), "day 9: empty"},
		{"unknown field", strings.Replace(good, "theme: t", "them: t", 1), "not found"},
	} {
		_, err := parsePlan([]byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: parsePlan error = %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
