package prompts

import (
	"os"
	"slices"
	"strings"
	"testing"

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
