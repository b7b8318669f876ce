package cmd

import (
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// TestAskFormOnATerminal: at a terminal 'ask' takes the answer in a form
// when you have not answered; an empty form saves nothing.
func TestAskFormOnATerminal(t *testing.T) {
	q := prompts.QuestionFor(date("2026-11-21"), prompts.Together{}, nil) // a new couple
	p := &scriptPrompter{forms: []map[string]string{{"answer": ""}, {"answer": " More walks. "}}}
	a, out, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"ask", "--as", "alex", "--answer", "A slow Sunday"}); code != 0 {
		t.Fatalf("alex: exit %d: %s", code, errOut)
	}
	out.Reset()
	if code := a.Run([]string{"ask"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(p.fields) != 1 || p.fields[0][0].Title != q.Text {
		t.Fatalf("asked %+v, want the question of the day %q", p.fields, q.Text)
	}
	if strings.Contains(out.String(), "A slow Sunday") || !strings.Contains(out.String(), "Alex has answered — answer to see it") {
		t.Errorf("before answering:\n%s", out)
	}
	if n := len(readEntries(t, a, journal.KindAnswer)); n != 1 {
		t.Errorf("%d answers after an empty form, want alex's only", n)
	}

	out.Reset()
	if code := a.Run([]string{"ask"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "Saved your answer") || !strings.Contains(out.String(), "A slow Sunday") ||
		!strings.Contains(out.String(), "More walks.") {
		t.Errorf("after answering:\n%s", out)
	}

	// Answered: no more forms.
	if code := a.Run([]string{"ask"}); code != 0 || len(p.fields) != 2 {
		t.Errorf("exit %d, %d forms", code, len(p.fields))
	}
}
