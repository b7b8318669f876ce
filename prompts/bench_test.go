package prompts

import "testing"

// BenchmarkLoad is the one-time cost of parsing the embedded decks, paid by
// the first command that needs any of them.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parseQuestions(questionsYAML); err != nil {
			b.Fatal(err)
		}
		if _, err := parseIdeas(ideasYAML); err != nil {
			b.Fatal(err)
		}
		if _, err := parseUnion(unionYAML); err != nil {
			b.Fatal(err)
		}
		if _, err := parseListening(listeningYAML); err != nil {
			b.Fatal(err)
		}
		if _, err := parseStorms(stormsYAML); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQuestionFor(b *testing.B) {
	d := date("2026-11-21")
	for b.Loop() {
		QuestionFor(d, Together{Count: 30, Before: 30}, nil)
	}
}

func BenchmarkIdeaOf(b *testing.B) {
	d := date("2026-11-21")
	for b.Loop() {
		if _, err := IdeaOf(DeckDate, d, 3); err != nil {
			b.Fatal(err)
		}
	}
}
