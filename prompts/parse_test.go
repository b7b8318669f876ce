package prompts

import (
	"strings"
	"testing"
)

// The embedded files parse; these check that the parsers refuse what the
// files must never contain.
func TestParsersReject(t *testing.T) {
	idea := func(deck, body string) string {
		base := map[string]string{
			"date":        "date:\n  - text: a\n    detail: b\n",
			"touch":       "touch:\n  - text: t\n",
			"destination": "destination:\n  - text: Japan\n    dish: ramen\n    music: city pop\n",
		}
		base[deck] = deck + ":\n" + body
		return base["date"] + base["touch"] + base["destination"]
	}
	for _, tc := range []struct {
		name  string
		parse func([]byte) error
		src   string
		want  string
	}{
		{"questions ok", questionsErr, "questions:\n  - text: Why?\n    depth: light\n", ""},
		{"questions none", questionsErr, "questions: []\n", "no questions"},
		{"questions bad yaml", questionsErr, "questions: [", "parse questions.yaml"},
		{"questions unknown key", questionsErr, "questions:\n  - txt: Why?\n    depth: light\n", "not found"},
		{"questions empty text", questionsErr, "questions:\n  - text: ' '\n    depth: light\n", "question 1 is empty"},
		{"questions bad depth", questionsErr, "questions:\n  - text: Why?\n    depth: heavy\n", `depth "heavy"`},
		{"questions duplicate", questionsErr,
			"questions:\n  - text: Why not?\n    depth: light\n  - text: why NOT\n    depth: deep\n", "question 2 repeats question 1"},

		{"ideas ok", ideasErr, idea("touch", "  - text: t\n"), ""},
		{"ideas empty deck", ideasErr, idea("touch", "  []\n"), "deck touch is empty"},
		{"ideas date without detail", ideasErr, idea("date", "  - text: a\n"), "empty detail"},
		{"ideas empty text", ideasErr, idea("touch", "  - text: ''\n"), "touch 1: empty text"},
		{"ideas duplicate", ideasErr, idea("touch", "  - text: Hug.\n  - text: hug\n"), "duplicate"},
		{"ideas destination without music", ideasErr, idea("destination", "  - text: Peru\n    dish: ceviche\n"), "empty dish or music"},
		{"ideas unknown deck", ideasErr, idea("touch", "  - text: t\n") + "bucket:\n  - text: x\n", "not found"},

		{"union ok", unionErr, "steps:\n  - {heading: H, prompt: P, example: E, hint: I}\n", ""},
		{"union none", unionErr, "steps: []\n", "no steps"},
		{"union empty hint", unionErr, "steps:\n  - {heading: H, prompt: P, example: E}\n", "step 1: empty"},
		{"union heading with #", unionErr, "steps:\n  - {heading: '# H', prompt: P, example: E, hint: I}\n", "one line without #"},
		{"union duplicate heading", unionErr,
			"steps:\n  - {heading: H, prompt: P, example: E, hint: I}\n  - {heading: h, prompt: Q, example: E, hint: I}\n", "duplicate"},

		{"listening ok", listeningErr, "hint: h\nstarters: [a]\n", ""},
		{"listening no hint", listeningErr, "starters: [a]\n", "empty hint"},
		{"listening no starters", listeningErr, "hint: h\n", "no starters"},
		{"listening empty starter", listeningErr, "hint: h\nstarters: [a, '']\n", "starter 2 is empty"},
		{"listening duplicate", listeningErr, "hint: h\nstarters: [Tell me more., tell me more]\n", "duplicate"},
	} {
		err := tc.parse([]byte(tc.src))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

func questionsErr(b []byte) error { _, err := parseQuestions(b); return err }
func ideasErr(b []byte) error     { _, err := parseIdeas(b); return err }
func unionErr(b []byte) error     { _, err := parseUnion(b); return err }
func listeningErr(b []byte) error { _, err := parseListening(b); return err }

func TestEmbeddedContentParses(t *testing.T) {
	for name, err := range map[string]error{
		"questions.yaml": second(loadQuestions()),
		"ideas.yaml":     second(loadIdeas()),
		"union.yaml":     second(loadUnion()),
		"listening.yaml": second(loadListening()),
	} {
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }
