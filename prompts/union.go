package prompts

import (
	"fmt"
	"slices"
	"strings"
)

// UnionStep is one step of the State of the Union check-in. Heading names
// the "## Heading" section the answer is saved under; Prompt is the question
// asked; Example is a sample answer, shown as a placeholder; Hint is one line
// of coaching.
type UnionStep struct {
	Heading string
	Prompt  string
	Example string
	Hint    string
}

// UnionAgenda is the State of the Union agenda, in order: appreciations,
// what went right, the guide's three questions (what's stressing us out, are
// we still on track, how are we doing), one issue raised gently, and what
// each can do this week to make the other feel more loved.
func UnionAgenda() []UnionStep { return slices.Clone(must(loadUnion())) }

type unionFile struct {
	Steps []struct {
		Heading string `yaml:"heading"`
		Prompt  string `yaml:"prompt"`
		Example string `yaml:"example"`
		Hint    string `yaml:"hint"`
	} `yaml:"steps"`
}

func parseUnion(b []byte) ([]UnionStep, error) {
	var f unionFile
	if err := decode("union.yaml", b, &f); err != nil {
		return nil, err
	}
	if len(f.Steps) == 0 {
		return nil, fmt.Errorf("parse union.yaml: no steps")
	}
	out := make([]UnionStep, 0, len(f.Steps))
	seen := map[string]bool{}
	for i, s := range f.Steps {
		st := UnionStep{Heading: s.Heading, Prompt: s.Prompt, Example: s.Example, Hint: s.Hint}
		if !clean(&st.Heading) || !clean(&st.Prompt) || !clean(&st.Example) || !clean(&st.Hint) {
			return nil, fmt.Errorf("parse union.yaml: step %d: empty heading, prompt, example or hint", i+1)
		}
		if strings.ContainsAny(st.Heading, "#\n") {
			return nil, fmt.Errorf("parse union.yaml: step %d: heading %q must be one line without #", i+1, st.Heading)
		}
		k := strings.ToLower(st.Heading)
		if seen[k] {
			return nil, fmt.Errorf("parse union.yaml: step %d: heading %q is a duplicate", i+1, st.Heading)
		}
		seen[k] = true
		out = append(out, st)
	}
	return out, nil
}
