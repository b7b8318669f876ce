package prompts

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func date(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// guide is the reconnection guide's text.
func guide(t *testing.T) string {
	t.Helper()
	// A copy of ../shared/seed/reconnection-guide.txt, so that no test
	// reads outside the module.
	b, err := os.ReadFile("../testdata/reconnection-guide.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fromGuide are texts the decks take from the guide word for word.
var fromGuide = []string{
	"What's one small fear you've had on your mind lately?",
	"Tell me about a time this week you felt proud of yourself.",
	"What's something you wish we had more time for, just the two of us?",
	"How are you really doing?",
	"What makes you feel most loved by me?",
	"What's one thing you'd like to do more of with me?",
	"What was the best part of your day?",
	"Is there anything I can do to make your day easier?",
}

func TestQuestionsContent(t *testing.T) {
	qs := Questions()
	if len(qs) < 60 {
		t.Errorf("%d questions, want at least 60", len(qs))
	}
	depths := map[string]int{}
	seen := map[string]int{}
	for i, q := range qs {
		if q.ID != i+1 {
			t.Errorf("question %d has ID %d", i+1, q.ID)
		}
		depths[q.Depth]++
		if q.Text == "" || q.Text != strings.TrimSpace(q.Text) || strings.Contains(q.Text, "\n") {
			t.Errorf("question %d: bad text %q", q.ID, q.Text)
		}
		if !strings.HasSuffix(q.Text, "?") && !strings.HasSuffix(q.Text, ".") {
			t.Errorf("question %d %q does not end like a question", q.ID, q.Text)
		}
		if prev, ok := seen[normal(q.Text)]; ok {
			t.Errorf("question %d repeats question %d", q.ID, prev)
		}
		seen[normal(q.Text)] = q.ID
	}
	for _, d := range []string{Light, Medium, Deep} {
		if depths[d] < 15 {
			t.Errorf("%d %s questions, want at least 15", depths[d], d)
		}
	}
	if len(depths) != 3 {
		t.Errorf("depths %v, want only light, medium and deep", depths)
	}
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = q.Text
	}
	for _, want := range fromGuide {
		if !slices.Contains(texts, want) {
			t.Errorf("the guide's question %q is missing", want)
		}
	}
}

func TestGuideQuestionsAreTheGuides(t *testing.T) {
	g := guide(t)
	for _, q := range fromGuide {
		if !strings.Contains(g, q) {
			t.Errorf("%q is not in the guide", q)
		}
	}
}

func TestQuestionsIsACopy(t *testing.T) {
	Questions()[0].Text = "changed"
	if Questions()[0].Text == "changed" {
		t.Fatal("Questions returns the cached slice")
	}
}

func TestQuestionOfDealsEveryQuestionOncePerCycle(t *testing.T) {
	n := len(Questions())
	epoch := date("2024-01-01")
	for _, cycle := range []int{-3, -1, 0, 1, 2, 9, 40} {
		first := epoch.AddDays(cycle * n)
		count := map[int]int{}
		for i := range n {
			count[QuestionOf(first.AddDays(i)).ID]++
		}
		if len(count) != n {
			t.Errorf("cycle %d from %s: %d distinct questions over %d days, want all %d", cycle, first, len(count), n, n)
		}
	}
}

func TestQuestionOfNeverComesBackSoon(t *testing.T) {
	n := len(Questions())
	last := map[int]int{}
	start := date("2023-02-11")
	minGap := 1 << 30
	for i := range 2000 {
		id := QuestionOf(start.AddDays(i)).ID
		if j, ok := last[id]; ok {
			minGap = min(minGap, i-j)
		}
		last[id] = i
	}
	if minGap <= n/3 {
		t.Errorf("a question came back after %d days, want more than %d", minGap, n/3)
	}
}

// TestQuestionOfIsStable pins the deal: both partners, on any machine and in
// any version with the same deck, get these. Appending questions changes the
// deal (the deck size is part of it); update the table then.
func TestQuestionOfIsStable(t *testing.T) {
	for _, tc := range []struct {
		date string
		id   int
	}{
		{"2024-01-01", 17},
		{"2026-11-21", 66},
		{"2026-11-22", 58},
		{"2019-05-04", 69},
		{"2031-12-31", 37},
	} {
		if got := QuestionOf(date(tc.date)).ID; got != tc.id {
			t.Errorf("QuestionOf(%s).ID = %d, want %d", tc.date, got, tc.id)
		}
	}
}

func TestQuestionOfDependsOnTheDateAlone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	// The same calendar day, reached three ways.
	a := QuestionOf(date("2026-11-21"))
	b := QuestionOf(civil.Of(time.Date(2026, 11, 21, 23, 59, 0, 0, tokyo)))
	c := QuestionOf(date("2026-11-20").AddDays(1))
	if a != b || a != c {
		t.Errorf("same date, different questions: %v %v %v", a, b, c)
	}
	if QuestionOf(date("2026-11-21")) == QuestionOf(date("2026-11-22")) {
		t.Error("two consecutive days got the same question")
	}
}
