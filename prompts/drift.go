package prompts

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// The texts for when one partner drifts (drift.yaml) and for a beginning
// (begin.yaml), from the guide's FAQ and its opening.

var (
	//go:embed drift.yaml
	driftYAML []byte
	//go:embed begin.yaml
	beginYAML []byte

	loadDrift = sync.OnceValues(func() (Drift, error) { return parseDrift(driftYAML) })
	loadBegin = sync.OnceValues(func() (Begin, error) { return parseBegin(beginYAML) })
)

// Drift is what the evening screen offers when one partner drifts: a
// heading and a note over one of the gestures, and, after three weeks, the
// talk.
type Drift struct {
	Heading  string
	Note     string
	Gestures []string
	Talk     Text
}

// Text is a heading and a paragraph.
type Text struct {
	Heading string
	Text    string
}

type driftFile struct {
	Heading  string   `yaml:"heading"`
	Note     string   `yaml:"note"`
	Gestures []string `yaml:"gestures"`
	Talk     struct {
		Heading string `yaml:"heading"`
		Text    string `yaml:"text"`
	} `yaml:"talk"`
}

func parseDrift(b []byte) (Drift, error) {
	var f driftFile
	if err := decode("drift.yaml", b, &f); err != nil {
		return Drift{}, err
	}
	d := Drift{Heading: f.Heading, Note: f.Note, Gestures: f.Gestures, Talk: Text{f.Talk.Heading, f.Talk.Text}}
	if !clean(&d.Heading) || !clean(&d.Note) || !clean(&d.Talk.Heading) || !clean(&d.Talk.Text) {
		return Drift{}, fmt.Errorf("parse drift.yaml: empty heading, note or talk")
	}
	if len(d.Gestures) == 0 {
		return Drift{}, fmt.Errorf("parse drift.yaml: no gestures")
	}
	seen := map[string]bool{}
	for i := range d.Gestures {
		if !clean(&d.Gestures[i]) {
			return Drift{}, fmt.Errorf("parse drift.yaml: gesture %d is empty", i+1)
		}
		k := normal(d.Gestures[i])
		if seen[k] {
			return Drift{}, fmt.Errorf("parse drift.yaml: gesture %q is a duplicate", d.Gestures[i])
		}
		seen[k] = true
	}
	return d, nil
}

// DriftTexts is the drift texts; the slice is the caller's.
func DriftTexts() Drift {
	d := must(loadDrift())
	d.Gestures = slices.Clone(d.Gestures)
	return d
}

// GestureOf is the gesture of day d: the same all day, on every machine,
// and every gesture once before any comes back.
func GestureOf(d civil.Date) string {
	gs := must(loadDrift()).Gestures
	return gs[deal("drift/gesture", len(gs), dayIndex(d))]
}

// Begin is the guide's opening as a short form: an intro, the steps
// (naming the gap, one small step to close it) and the closing line said
// out loud ("this feels a little weird, but I'm really glad we're trying").
type Begin struct {
	Intro   string
	Steps   []Step
	Closing Text // said out loud, saved under its heading
}

type beginFile struct {
	stepsFile `yaml:",inline"`
	Intro     string `yaml:"intro"`
	Closing   struct {
		Heading string `yaml:"heading"`
		Text    string `yaml:"text"`
	} `yaml:"closing"`
}

func parseBegin(b []byte) (Begin, error) {
	var f beginFile
	if err := decode("begin.yaml", b, &f); err != nil {
		return Begin{}, err
	}
	closing := Text{f.Closing.Heading, f.Closing.Text}
	if !clean(&f.Intro) || !clean(&closing.Heading) || !clean(&closing.Text) {
		return Begin{}, fmt.Errorf("parse begin.yaml: empty intro or closing")
	}
	if len(f.Steps) == 0 {
		return Begin{}, fmt.Errorf("parse begin.yaml: no steps")
	}
	steps := make([]Step, 0, len(f.Steps))
	seen := map[string]bool{strings.ToLower(closing.Heading): true}
	for i, s := range f.Steps {
		st := Step{Heading: s.Heading, Prompt: s.Prompt, Example: s.Example, Hint: s.Hint}
		if !clean(&st.Heading) || !clean(&st.Prompt) || !clean(&st.Example) || !clean(&st.Hint) {
			return Begin{}, fmt.Errorf("parse begin.yaml: step %d: empty heading, prompt, example or hint", i+1)
		}
		if strings.ContainsAny(st.Heading, "#\n") || seen[strings.ToLower(st.Heading)] {
			return Begin{}, fmt.Errorf("parse begin.yaml: step %d: heading %q is a duplicate or not one line without #", i+1, st.Heading)
		}
		seen[strings.ToLower(st.Heading)] = true
		steps = append(steps, st)
	}
	return Begin{Intro: f.Intro, Steps: steps, Closing: closing}, nil
}

// BeginTexts is the texts of a beginning; the slice is the caller's.
func BeginTexts() Begin {
	b := must(loadBegin())
	b.Steps = slices.Clone(b.Steps)
	return b
}
