package cmd

import (
	"slices"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// The union kind's sections in the journal are the agenda's headings.
func TestUnionSectionsAreTheAgenda(t *testing.T) {
	var headings []string
	for _, s := range prompts.UnionAgenda() {
		headings = append(headings, s.Heading)
	}
	info, ok := journal.LookupKind(journal.KindUnion)
	if !ok || !slices.Equal(info.Sections, headings) {
		t.Errorf("union sections %q, want the agenda's %q", info.Sections, headings)
	}
}

// TestUnionWalk: at a terminal, union asks the agenda one step at a time,
// each with its prompt, hint and example; empty answers are skipped, and a
// second walk is prefilled and can clear a section.
func TestUnionWalk(t *testing.T) {
	agenda := prompts.UnionAgenda()
	p := &scriptPrompter{forms: make([]map[string]string, len(agenda))}
	for i := range p.forms {
		p.forms[i] = map[string]string{}
	}
	p.forms[0][agenda[0].Heading] = "  Dinner on Tuesday  "
	p.forms[5][agenda[5].Heading] = "I feel rushed about mornings. I need us to take turns."
	a, out, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"union"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(p.fields) != len(agenda) {
		t.Fatalf("%d forms, want one per step (%d)", len(p.fields), len(agenda))
	}
	for i, s := range agenda {
		f := p.fields[i][0]
		if f.Key != s.Heading || f.Title != s.Prompt || f.Description != s.Hint || f.Placeholder != s.Example {
			t.Errorf("step %d asked %+v, want %+v", i+1, f, s)
		}
		if !strings.Contains(p.titles[i], s.Heading) {
			t.Errorf("step %d title %q", i+1, p.titles[i])
		}
	}
	entries := readEntries(t, a, journal.KindUnion)
	if len(entries) != 1 {
		t.Fatalf("%d union entries", len(entries))
	}
	var got []string
	for _, s := range entries[0].Sections() {
		got = append(got, s.Heading+": "+s.Text)
	}
	want := []string{"Appreciations: Dinner on Tuesday", "One thing, gently: I feel rushed about mornings. I need us to take turns."}
	if !slices.Equal(got, want) {
		t.Errorf("sections %q, want %q", got, want)
	}
	if !strings.Contains(out.String(), "Saved your State of the Union notes for today") {
		t.Errorf("output:\n%s", out)
	}

	// Again: the walk is prefilled; clearing a step removes its section.
	p.fields, p.titles = nil, nil
	p.forms = make([]map[string]string, len(agenda))
	for i := range p.forms {
		p.forms[i] = map[string]string{}
	}
	p.forms[5][agenda[5].Heading] = ""
	p.forms[6][agenda[6].Heading] = "Sit with me before bed"
	if code := a.Run([]string{"union"}); code != 0 {
		t.Fatalf("again: exit %d: %s", code, errOut)
	}
	if p.fields[0][0].Value != "Dinner on Tuesday" {
		t.Errorf("not prefilled: %+v", p.fields[0][0])
	}
	e := readEntries(t, a, journal.KindUnion)[0]
	if _, ok := e.Section(agenda[5].Heading); ok {
		t.Error("a cleared step kept its section")
	}
	if s, _ := e.Section(agenda[6].Heading); s != "Sit with me before bed" {
		t.Errorf("last step %q", s)
	}
}

// An empty walk saves nothing.
func TestUnionWalkEmpty(t *testing.T) {
	p := &scriptPrompter{forms: make([]map[string]string, len(prompts.UnionAgenda()))}
	a, _, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"union"}); code != exitUsage || !strings.Contains(errOut.String(), "empty State of the Union is not saved") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if _, err := a.openJournal(false); err == nil {
		t.Error("an empty walk created the journal")
	}
}
