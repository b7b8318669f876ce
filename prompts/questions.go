package prompts

import (
	"fmt"
	"slices"
)

// Depths of a question, lightest first. Medium is the "deeper": the
// name stays, as answers' JSON and questions.yaml already say it.
const (
	Light  = "light"
	Medium = "medium"
	Deep   = "deep"
)

// Question is one question of the deck. ID is its position in
// questions.yaml, counting from 1; the file is append-only, so an ID names
// the same question in every version.
type Question struct {
	ID    int
	Text  string
	Depth string // Light, Medium or Deep
}

// Questions is the whole deck, in ID order.
func Questions() []Question { return slices.Clone(must(loadQuestions())) }

// questionSalt seeds the question deck's shuffles: the "question" idea deck
// with it, each depth's deal with questionSalt + "/" + depth.
const questionSalt = "question"

type questionsFile struct {
	Questions []struct {
		Text  string `yaml:"text"`
		Depth string `yaml:"depth"`
	} `yaml:"questions"`
}

func parseQuestions(b []byte) ([]Question, error) {
	var f questionsFile
	if err := decode("questions.yaml", b, &f); err != nil {
		return nil, err
	}
	if len(f.Questions) == 0 {
		return nil, fmt.Errorf("parse questions.yaml: no questions")
	}
	out := make([]Question, 0, len(f.Questions))
	seen := map[string]int{}
	for i, q := range f.Questions {
		id := i + 1
		if !clean(&q.Text) {
			return nil, fmt.Errorf("parse questions.yaml: question %d is empty", id)
		}
		switch q.Depth {
		case Light, Medium, Deep:
		default:
			return nil, fmt.Errorf("parse questions.yaml: question %d: depth %q, want light, medium or deep", id, q.Depth)
		}
		k := normal(q.Text)
		if prev, ok := seen[k]; ok {
			return nil, fmt.Errorf("parse questions.yaml: question %d repeats question %d: %q", id, prev, q.Text)
		}
		seen[k] = id
		out = append(out, Question{ID: id, Text: q.Text, Depth: q.Depth})
	}
	return out, nil
}
