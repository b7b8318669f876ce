package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// The flags of 'begin' land in its options, under the entry's headings.
func TestBeginFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var got *beginOptions
	c := newBeginCmd(a, func(_ context.Context, o *beginOptions) error { got = o; return nil })
	c.SetArgs([]string{"--gap", " We drifted ", "--step", "A walk", "--date", "2026-11-20"})
	c.SetOut(&bytes.Buffer{})
	if err := c.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"The gap": "We drifted", "One small step": "A walk"}
	if len(got.Given) != 2 || got.Given["The gap"] != want["The gap"] || got.Given["One small step"] != want["One small step"] ||
		got.Date != date("2026-11-20") || got.Write == nil || got.Prompter != a.Prompter || got.OpenDraft == nil {
		t.Errorf("options: %+v", got)
	}
	for _, bad := range [][]string{{"--gap", "   "}, {"--gap", "a\x1b[2Jb"}, {"extra"}} {
		got = nil
		c := newBeginCmd(a, func(_ context.Context, o *beginOptions) error { got = o; return nil })
		c.SetArgs(bad)
		c.SetOut(&bytes.Buffer{})
		c.SetErr(&bytes.Buffer{})
		if err := c.ExecuteContext(context.Background()); exitCode(err) != exitUsage || got != nil {
			t.Errorf("begin %q: %v, ran %v", bad, err, got != nil)
		}
	}
}

// At a terminal a form asks the gap, the step and what is said out loud,
// filled with the guide's line; the entry is written through Write.
func TestBeginFormOnATerminal(t *testing.T) {
	a, out, _ := testApp(t, true)
	p := &fakePrompter{answers: map[string]string{"The gap": "We only talk logistics", "One small step": "Ten minutes, no phones"}}
	a.Prompter = p
	if code := a.Run([]string{"begin"}); code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	if len(p.asked) != 3 || p.asked[2].Value != prompts.BeginTexts().Closing.Text {
		t.Errorf("asked %+v", p.asked)
	}
	j, err := a.openJournal(false)
	if err != nil {
		t.Fatal(err)
	}
	e, err := j.Store.Read("2026/11/2026-11-21-begin-sam.md")
	if err != nil {
		t.Fatal(err)
	}
	if gap, _ := e.Section("The gap"); gap != "We only talk logistics" || e.Kind != journal.KindBegin {
		t.Errorf("entry %s: gap %q", e.Path, gap)
	}
	if say, _ := e.Section("Out loud"); !strings.Contains(say, "glad we're trying") {
		t.Errorf("out loud %q", say)
	}
	if !strings.Contains(out.String(), "this feels a little weird") {
		t.Errorf("out: %s", out)
	}
}

// Off a terminal with nothing given, or half of it: exit 2, nothing written.
func TestBeginRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		args     []string
		want     string
	}{
		{"nothing piped", "", nil, "a beginning names the gap"},
		{"only the gap", "", []string{"--gap", "We drifted"}, "a beginning names the gap"},
		{"text outside a heading", "We drifted\n", nil, "outside a '## ' heading"},
		{"another heading", "## Thorn\nx\n", nil, "not part of a beginning"},
		{"the future", "", []string{"--date", "2026-12-01", "--gap", "g", "--step", "s"}, "in the future"},
	} {
		a, _, errOut := testApp(t, false)
		a.IO.In = strings.NewReader(tc.in)
		if code := a.Run(append([]string{"begin"}, tc.args...)); code != exitUsage || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%s: exit %d, %s", tc.name, code, errOut)
		}
		if _, err := a.openJournal(false); err == nil {
			t.Errorf("%s: a journal was written", tc.name)
		}
	}
}

func TestBeginDue(t *testing.T) {
	day := date("2026-11-21")
	e := func(kind journal.Kind, who, on string) *journal.Entry {
		return journal.New(kind, who, date(on), day.In(time.UTC))
	}
	for _, tc := range []struct {
		name   string
		recent []*journal.Entry
		want   bool
	}{
		{"an empty journal", nil, true},
		{"a few days old", []*journal.Entry{e(journal.KindCheckin, "alex", "2026-11-15")}, true},
		{"a week old to the day", []*journal.Entry{e(journal.KindCheckin, "alex", "2026-11-14")}, true},
		{"older than a week", []*journal.Entry{e(journal.KindThanks, "alex", "2026-11-13")}, false},
		{"you began", []*journal.Entry{e(journal.KindBegin, "sam", "2026-11-20")}, false},
		{"only your partner began", []*journal.Entry{e(journal.KindBegin, "alex", "2026-11-20")}, true},
	} {
		if got := beginDue(tc.recent, "sam", day); got != tc.want {
			t.Errorf("%s: beginDue = %v, want %v", tc.name, got, tc.want)
		}
	}
}
