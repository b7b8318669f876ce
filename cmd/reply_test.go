package cmd

import (
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// TestReplyFormOnATerminal: the partner's check-in and the listening coach
// are shown, then a form takes the reply.
func TestReplyFormOnATerminal(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"text": "It sounds like you felt invisible."}, {"text": "  "}}}
	a, out, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"checkin", "--as", "alex", "--thorn", "My idea was taken"}); code != 0 {
		t.Fatalf("checkin: exit %d: %s", code, errOut)
	}
	out.Reset()
	if code := a.Run([]string{"reply", "today"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	hint, starters := prompts.ListeningCoach()
	for _, s := range []string{"Alex's check-in today:", "My idea was taken", hint, "Saved your reply to Alex's check-in today"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if f := p.fields[0][0]; f.Placeholder != starters[0] || !strings.Contains(f.Description, "don't fix") {
		t.Errorf("form field %+v", f)
	}
	replies := readEntries(t, a, journal.KindReply)
	if len(replies) != 1 {
		t.Fatalf("%d replies", len(replies))
	}
	if to, _ := replies[0].Field(journal.FieldTo); to != "2026/11/2026-11-21-checkin-alex.md" {
		t.Errorf("to = %q", to)
	}

	// An empty reply is not saved.
	errOut.Reset()
	if code := a.Run([]string{"reply", "today"}); code != exitUsage || !strings.Contains(errOut.String(), "empty reply") {
		t.Errorf("empty: exit %d: %s", code, errOut)
	}
	if n := len(readEntries(t, a, journal.KindReply)); n != 1 {
		t.Errorf("%d replies after an empty one", n)
	}
}
