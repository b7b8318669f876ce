package prompts

import (
	"strings"
	"testing"
)

func TestUnionAgenda(t *testing.T) {
	steps := UnionAgenda()
	want := []struct{ heading, prompt, example string }{
		{"Appreciations", "", ""},
		{"What went right", "", ""},
		{"What's stressing us out", "What's stressing us out?",
			"Work has been brutal lately. What can we do to make sure we're supporting each other this week?"},
		{"Are we still on track", "Are we still on track?",
			"Let's look at our savings goal. Are we still aligned on how we're getting there?"},
		{"How are we doing", "How are we doing?",
			"What's one thing I did this week that really made you feel loved?"},
		{"One thing, gently", "", ""},
		{"Feeling loved this week", "What can I do this week to make you feel more loved?", ""},
	}
	if len(steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(steps), len(want))
	}
	for i, w := range want {
		s := steps[i]
		if s.Heading != w.heading {
			t.Errorf("step %d heading %q, want %q", i+1, s.Heading, w.heading)
		}
		if w.prompt != "" && s.Prompt != w.prompt {
			t.Errorf("step %d prompt %q, want %q", i+1, s.Prompt, w.prompt)
		}
		if w.example != "" && s.Example != w.example {
			t.Errorf("step %d example %q, want %q", i+1, s.Example, w.example)
		}
		for field, v := range map[string]string{"heading": s.Heading, "prompt": s.Prompt, "example": s.Example, "hint": s.Hint} {
			if v == "" || strings.Contains(v, "\n") {
				t.Errorf("step %d: bad %s %q", i+1, field, v)
			}
		}
	}
	if issue := steps[5]; !strings.Contains(issue.Prompt, "I feel ... about ... I need ...") ||
		!strings.HasPrefix(issue.Example, "I feel ") || !strings.Contains(issue.Example, "I need ") {
		t.Errorf("the issue step does not model I feel / I need: %+v", issue)
	}
	steps[0].Heading = "changed"
	if UnionAgenda()[0].Heading == "changed" {
		t.Error("UnionAgenda returns the cached slice")
	}
}

func TestUnionExamplesAreTheGuides(t *testing.T) {
	g := guide(t)
	for _, s := range UnionAgenda()[2:5] {
		if line := "- " + s.Prompt + ` "` + s.Example + `"`; !strings.Contains(g, line) {
			t.Errorf("the guide has no line %q", line)
		}
	}
}

func TestListeningCoach(t *testing.T) {
	hint, starters := ListeningCoach()
	if !strings.Contains(hint, "It sounds like you felt really unappreciated when that happened.") ||
		!strings.Contains(hint, "fix") {
		t.Errorf("hint %q does not coach reflecting over fixing", hint)
	}
	if len(starters) < 5 || starters[0] != "It sounds like you felt..." {
		t.Errorf("starters %q", starters)
	}
	for _, s := range starters {
		if s == "" || strings.Contains(s, "\n") {
			t.Errorf("bad starter %q", s)
		}
	}
	starters[0] = "changed"
	if _, again := ListeningCoach(); again[0] == "changed" {
		t.Error("ListeningCoach returns the cached slice")
	}
}

func TestCheckinSteps(t *testing.T) {
	steps := CheckinSteps()
	want := []struct{ heading, example string }{
		{"Rose", "My boss actually loved the project I was so worried about."},
		{"Bud", "I'm already excited about going for that hike this weekend."},
		{"Thorn", "The morning commute was an absolute nightmare."},
	}
	if len(steps) != len(want) {
		t.Fatalf("got %d steps, want %d", len(steps), len(want))
	}
	for i, w := range want {
		if steps[i].Heading != w.heading || steps[i].Example != w.example {
			t.Errorf("step %d = %q / %q, want %q / %q", i, steps[i].Heading, steps[i].Example, w.heading, w.example)
		}
	}
}
