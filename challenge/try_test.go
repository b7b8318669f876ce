package challenge

import (
	"strconv"
	"strings"
	"testing"
)

// TestPlanTry: the days that name something reconnect does point to it,
// and no other day does.
func TestPlanTry(t *testing.T) {
	want := map[int]string{
		5:  "reconnect date plan",
		7:  "reconnect together",
		23: "reconnect bucket add",
		25: "reconnect memories",
	}
	for _, a := range Plan() {
		if a.Try != want[a.Day] {
			t.Errorf("day %d (%s): try %q, want %q", a.Day, a.Emotional, a.Try, want[a.Day])
		}
	}
}

func TestParsePlanRefusesTry(t *testing.T) {
	var b strings.Builder
	b.WriteString("days:\n")
	for d := 1; d <= Length; d++ {
		b.WriteString("  - {day: " + strconv.Itoa(d) + ", theme: t, emotional: e" + strconv.Itoa(d) + ", physical: p" + strconv.Itoa(d))
		if d == 3 {
			b.WriteString(", try: rm -rf /")
		}
		b.WriteString("}\n")
	}
	_, err := parsePlan([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "day 3: try \"rm -rf /\" is not a reconnect command") {
		t.Errorf("err = %v", err)
	}
}
