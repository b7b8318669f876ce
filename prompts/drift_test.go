package prompts

import (
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestDriftTexts(t *testing.T) {
	d := DriftTexts()
	if len(d.Gestures) < 5 {
		t.Errorf("%d gestures, want a handful", len(d.Gestures))
	}
	// The guide's three come first in spirit: a compliment, the chore,
	// asking and listening.
	all := strings.ToLower(strings.Join(d.Gestures, "\n"))
	for _, want := range []string{"genuine compliment", "chore you know they absolutely hate", "actually listen"} {
		if !strings.Contains(all, want) {
			t.Errorf("no gesture says %q", want)
		}
	}
	for _, want := range []string{"calm, honest chat", "professional"} {
		if !strings.Contains(d.Talk.Text, want) {
			t.Errorf("the talk does not say %q: %s", want, d.Talk.Text)
		}
	}
	// Never a guilt trip: no counts, no "has not".
	for _, s := range append(d.Gestures, d.Heading, d.Note, d.Talk.Heading, d.Talk.Text) {
		if strings.ContainsAny(s, "0123456789") || strings.Contains(s, "has not") || strings.Contains(s, "hasn't") {
			t.Errorf("%q counts or blames", s)
		}
	}
}

func TestGestureOf(t *testing.T) {
	gs := DriftTexts().Gestures
	d0 := civil.Date{Year: 2026, Month: time.November, Day: 21}
	tests := []struct {
		name string
		a, b civil.Date
		same bool
	}{
		{"the same day twice", d0, d0, true},
		{"the next day differs", d0, d0.AddDays(1), false},
		{"the day before differs", d0, d0.AddDays(-1), false},
	}
	for _, tc := range tests {
		if got := GestureOf(tc.a) == GestureOf(tc.b); got != tc.same {
			t.Errorf("%s: GestureOf(%s) == GestureOf(%s) is %v, want %v", tc.name, tc.a, tc.b, got, tc.same)
		}
	}
	// Every gesture once in each cycle of len(gs) days.
	start := d0.AddDays(-dayIndex(d0) % len(gs))
	seen := map[string]bool{}
	for i := range gs {
		seen[GestureOf(start.AddDays(i))] = true
	}
	if len(seen) != len(gs) {
		t.Errorf("%d of %d gestures in one cycle", len(seen), len(gs))
	}
}

func TestBeginTexts(t *testing.T) {
	b := BeginTexts()
	if len(b.Steps) != 2 || b.Steps[0].Heading != "The gap" || b.Steps[1].Heading != "One small step" {
		t.Errorf("steps = %+v, want The gap, One small step", b.Steps)
	}
	if !strings.Contains(b.Closing.Text, "this feels a little weird, but I'm really glad we're trying") || b.Closing.Heading != "Out loud" {
		t.Errorf("closing = %+v", b.Closing)
	}
	if !strings.Contains(b.Intro, "one small, deliberate step at a time") {
		t.Errorf("intro = %q", b.Intro)
	}
}

func TestParseDriftRefuses(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"no gestures", "heading: h\nnote: n\ntalk: {heading: t, text: x}\n", "no gestures"},
		{"empty gesture", "heading: h\nnote: n\ngestures: [' ']\ntalk: {heading: t, text: x}\n", "gesture 1 is empty"},
		{"duplicate", "heading: h\nnote: n\ngestures: [Hug., hug]\ntalk: {heading: t, text: x}\n", "duplicate"},
		{"no talk", "heading: h\nnote: n\ngestures: [a]\n", "empty heading"},
		{"unknown key", "heading: h\nnote: n\ngestures: [a]\ntalk: {heading: t, text: x}\nextra: 1\n", "extra"},
	}
	for _, tc := range tests {
		_, err := parseDrift([]byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
