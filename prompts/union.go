package prompts

import (
	"fmt"
	"slices"
	"strings"
)

// Step is one question of a guided ritual (the check-in, the State of the
// Union). Heading names the "## Heading" section the answer is saved under;
// Prompt is the question asked; Example is a sample answer, shown as a
// placeholder; Hint is one line of coaching.
type Step struct {
	Heading string
	Prompt  string
	Example string
	Hint    string
}

// UnionAgenda is the State of the Union agenda, in order: appreciations,
// what went right, the guide's three questions (what's stressing us out, are
// we still on track, how are we doing), one issue raised gently, and what
// each can do this week to make the other feel more loved.
func UnionAgenda() []Step { return slices.Clone(must(loadUnion())) }

// CheckinSteps are the three parts of the evening check-in, Rose, Bud and
// Thorn, with the guide's own examples as placeholders.
func CheckinSteps() []Step { return slices.Clone(must(loadCheckin())) }

type stepsFile struct {
	Steps []struct {
		Heading string `yaml:"heading"`
		Prompt  string `yaml:"prompt"`
		Example string `yaml:"example"`
		Hint    string `yaml:"hint"`
	} `yaml:"steps"`
}

func parseUnion(b []byte) ([]Step, error) { return parseSteps("union.yaml", b) }

// parseSteps reads a file of steps, refusing empty fields and duplicate or
// malformed headings.
func parseSteps(name string, b []byte) ([]Step, error) {
	var f stepsFile
	if err := decode(name, b, &f); err != nil {
		return nil, err
	}
	if len(f.Steps) == 0 {
		return nil, fmt.Errorf("parse %s: no steps", name)
	}
	out := make([]Step, 0, len(f.Steps))
	seen := map[string]bool{}
	for i, s := range f.Steps {
		st := Step{Heading: s.Heading, Prompt: s.Prompt, Example: s.Example, Hint: s.Hint}
		if !clean(&st.Heading) || !clean(&st.Prompt) || !clean(&st.Example) || !clean(&st.Hint) {
			return nil, fmt.Errorf("parse %s: step %d: empty heading, prompt, example or hint", name, i+1)
		}
		if strings.ContainsAny(st.Heading, "#\n") {
			return nil, fmt.Errorf("parse %s: step %d: heading %q must be one line without #", name, i+1, st.Heading)
		}
		k := strings.ToLower(st.Heading)
		if seen[k] {
			return nil, fmt.Errorf("parse %s: step %d: heading %q is a duplicate", name, i+1, st.Heading)
		}
		seen[k] = true
		out = append(out, st)
	}
	return out, nil
}
