// Package prompts holds the curated decks behind the rituals: the question
// of the day ([Questions], [QuestionFor]), idea decks for dates, touch and
// at-home destination dinners ([Decks], [IdeaOf]), decks for life's storms
// ([Storms]: a new job, parenting, a health scare, an empty nest,
// retirement), the State of the Union agenda ([UnionAgenda]) and the
// active-listening coach ([ListeningCoach]).
//
// The content lives in YAML files embedded next to this package
// (questions.yaml, ideas.yaml, storms.yaml, union.yaml, listening.yaml),
// parsed once and never modified; callers get copies. Which idea falls on a
// date is computed from the date alone, so both partners see the same one
// without syncing anything. The question of the day deepens with the
// couple: it is dealt from the date, the days both partners answered up to
// two days before, and the questions passed on that day ([QuestionFor],
// [TogetherOn]; depth.go says why both clones agree).
//
// # Errors
//
// [IdeaOf] returns an error wrapping [ErrUnknownDeck] for a deck not in
// [Decks], and [StormNamed] for a name not in [StormNames]. The embedded
// files are checked by the package tests; a malformed file is a build
// defect, and the accessors panic on first use rather than serve partial
// content.
package prompts

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

var (
	//go:embed questions.yaml
	questionsYAML []byte
	//go:embed ideas.yaml
	ideasYAML []byte
	//go:embed union.yaml
	unionYAML []byte
	//go:embed listening.yaml
	listeningYAML []byte
	//go:embed checkin.yaml
	checkinYAML []byte
	//go:embed storms.yaml
	stormsYAML []byte
)

// Each file is parsed once, on first use, so a command that needs only the
// question of the day does not pay for the other decks. The parsed values are
// never modified; accessors hand out copies.
var (
	loadQuestions = sync.OnceValues(func() ([]Question, error) { return parseQuestions(questionsYAML) })
	loadIdeas     = sync.OnceValues(func() (map[string][]Idea, error) { return parseIdeas(ideasYAML) })
	loadUnion     = sync.OnceValues(func() ([]Step, error) { return parseUnion(unionYAML) })
	loadCheckin   = sync.OnceValues(func() ([]Step, error) { return parseSteps("checkin.yaml", checkinYAML) })
	loadListening = sync.OnceValues(func() (listeningFile, error) { return parseListening(listeningYAML) })
	loadStorms    = sync.OnceValues(func() ([]Storm, error) { return parseStorms(stormsYAML) })
)

// must unwraps a loader's result; a parse error in an embedded file is a
// build defect the package tests catch.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("prompts: embedded content: %v", err))
	}
	return v
}

// decode reads one YAML document into v, refusing unknown keys.
func decode(name string, b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}

// clean trims s and reports whether anything is left.
func clean(s *string) bool {
	*s = strings.TrimSpace(*s)
	return *s != ""
}

// normal folds a text for duplicate detection: lower case, letters and
// digits only.
func normal(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

type listeningFile struct {
	Hint     string   `yaml:"hint"`
	Starters []string `yaml:"starters"`
}

func parseListening(b []byte) (listeningFile, error) {
	var f listeningFile
	if err := decode("listening.yaml", b, &f); err != nil {
		return f, err
	}
	if !clean(&f.Hint) {
		return f, fmt.Errorf("parse listening.yaml: empty hint")
	}
	if len(f.Starters) == 0 {
		return f, fmt.Errorf("parse listening.yaml: no starters")
	}
	seen := map[string]bool{}
	for i := range f.Starters {
		if !clean(&f.Starters[i]) {
			return f, fmt.Errorf("parse listening.yaml: starter %d is empty", i+1)
		}
		k := normal(f.Starters[i])
		if seen[k] {
			return f, fmt.Errorf("parse listening.yaml: starter %q is a duplicate", f.Starters[i])
		}
		seen[k] = true
	}
	return f, nil
}

// ListeningCoach is the coaching for active listening: a hint (reflect the
// feeling, don't fix) and sentence starters ("It sounds like you felt...").
func ListeningCoach() (hint string, starters []string) {
	l := must(loadListening())
	return l.Hint, slices.Clone(l.Starters)
}
