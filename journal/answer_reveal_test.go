package journal

import (
	"testing"

	"filippo.io/age"
)

// The check of a revealed answer holds it to the commitment of its first
// sealed version in the history, not to the one the file carries now.
func TestCheckReveal(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	// seal is a sealed version with text; reveal is its reveal.
	seal := func(text string) *Entry { return sealedFixture(t, id, text) }
	reveal := func(sealed *Entry) *Entry {
		e := copyEntry(t, sealed)
		if err := RevealAnswer(e, id); err != nil {
			t.Fatal(err)
		}
		return e
	}
	// rewrite is e with text and, when recompute, a commitment recomputed
	// for it with e's salt, as a hand edit that knows the rule would.
	rewrite := func(e *Entry, text string, recompute bool) *Entry {
		c := copyEntry(t, e)
		c.SetSection("", text)
		if recompute {
			salt, _ := c.Field(FieldSalt)
			c.SetField(FieldCommit, Commitment(salt, text))
		}
		return c
	}
	walk := seal("The walk after dinner")
	walkOpen := reveal(walk)
	cooking := seal("Cooking together") // the same answer sealed again, changed
	cookingOpen := reveal(cooking)
	plain := NewAnswer("sam", walk.Date, walk.Created, 3, "Best part of your day?", "The walk after dinner")

	tests := []struct {
		name    string
		history []*Entry // the versions, oldest first
		now     *Entry   // the file as it is
		want    RevealCheck
	}{
		{"revealed as sealed", []*Entry{walk, walkOpen}, walkOpen, RevealKept},
		{"revealed, not yet committed", []*Entry{walk}, walkOpen, RevealKept},
		{"edited after the reveal through reconnect: sealed again, revealed again",
			[]*Entry{walk, walkOpen, cooking, cookingOpen}, cookingOpen, RevealEdited},
		{"changed after seeing the partner's, before the reveal: sealed again, then revealed",
			[]*Entry{walk, cooking, cookingOpen}, cookingOpen, RevealChanged},
		{"a reveal that changed the text, commitment recomputed in the file",
			[]*Entry{walk, rewrite(walkOpen, "Cooking together", true)}, rewrite(walkOpen, "Cooking together", true), RevealChanged},
		{"revealed, then edited with the commitment recomputed in the file",
			[]*Entry{walk, walkOpen, rewrite(walkOpen, "Cooking together", true)}, rewrite(walkOpen, "Cooking together", true), RevealChanged},
		{"revealed, then edited by hand", []*Entry{walk, walkOpen}, rewrite(walkOpen, "Cooking together", false), RevealChanged},
		{"edited by hand after an edit through reconnect",
			[]*Entry{walk, walkOpen, cooking, cookingOpen}, rewrite(cookingOpen, "Dancing", false), RevealChanged},
		{"back to the first text after an edit", []*Entry{walk, walkOpen, cooking, cookingOpen, walkOpen}, walkOpen, RevealKept},
		{"no seal in the history: its own commitment", nil, walkOpen, RevealKept},
		{"no seal in the history, edited by hand", nil, rewrite(walkOpen, "Cooking together", false), RevealChanged},
		{"no seal in the history, commitment recomputed: nothing to hold it to", nil, rewrite(walkOpen, "Cooking together", true), RevealKept},
		{"first written plain, sealed later, revealed", []*Entry{plain, walk, walkOpen}, walkOpen, RevealKept},
		{"still sealed", []*Entry{walk}, walk, RevealKept},
		{"never sealed", []*Entry{plain}, plain, RevealKept},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h AnswerHistory
			for _, v := range tt.history {
				h.Add(v)
			}
			if got := CheckReveal(tt.now, h); got != tt.want {
				t.Errorf("CheckReveal = %q, want %q (history %+v)", got, tt.want, h)
			}
		})
	}
}

func TestAnswerHistoryAdd(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	first := sealedFixture(t, id, "The walk after dinner")
	second := sealedFixture(t, id, "Cooking together")
	open := copyEntry(t, second)
	if err := RevealAnswer(open, id); err != nil {
		t.Fatal(err)
	}
	var h AnswerHistory
	for _, v := range []*Entry{first, first, second, open} {
		h.Add(v)
	}
	c1, _ := first.Field(FieldCommit)
	c2, _ := second.Field(FieldCommit)
	if h.First != c1 || len(h.Sealed) != 2 || h.Sealed[0] != c1 || h.Sealed[1] != c2 {
		t.Errorf("history = %+v, want first %s, sealed [%s %s]", h, c1, c1, c2)
	}
	if h.Revealed {
		t.Error("a reveal of the second seal counted as one of the first")
	}
}

func copyEntry(t *testing.T, e *Entry) *Entry {
	t.Helper()
	c, err := Parse(e.Path, e.Render())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
