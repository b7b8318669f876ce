package prompts

import (
	"errors"
	"strings"
	"testing"
)

func TestDecksContent(t *testing.T) {
	if got := strings.Join(Decks(), " "); got != "date touch destination question" {
		t.Fatalf("Decks() = %s", got)
	}
	Decks()[0] = "changed"
	if Decks()[0] != DeckDate {
		t.Fatal("Decks returns shared state")
	}
	for _, tc := range []struct {
		deck       string
		needDetail bool
		contains   []string // texts (or parts of texts) the guide asks for
	}{
		{DeckDate, true, []string{
			"destination dinner", "pottery", "dance class", "park", "museum",
			"one-night getaway", "ramen", "spa day", "takeout",
		}},
		{DeckTouch, false, []string{
			"Let a hug linger for just a few extra seconds.",
			"Rest a hand on their back as you pass each other in the kitchen.",
			"Reach for their hand while you're watching a movie on the couch.",
		}},
		{DeckDestination, true, []string{"Japan", "Italy", "Mexico"}},
		{DeckQuestion, true, fromGuide},
	} {
		t.Run(tc.deck, func(t *testing.T) {
			cards, err := Ideas(tc.deck)
			if err != nil {
				t.Fatal(err)
			}
			if len(cards) < 12 {
				t.Errorf("%d cards, want at least 12", len(cards))
			}
			seen := map[string]bool{}
			var all strings.Builder
			for _, c := range cards {
				if c.Deck != tc.deck || c.Text == "" || c.Text != strings.TrimSpace(c.Text) {
					t.Errorf("bad card %+v", c)
				}
				if tc.needDetail && c.Detail == "" {
					t.Errorf("card %q has no detail", c.Text)
				}
				if seen[normal(c.Text)] {
					t.Errorf("duplicate card %q", c.Text)
				}
				seen[normal(c.Text)] = true
				all.WriteString(c.Text + "\n")
			}
			for _, want := range tc.contains {
				if !strings.Contains(all.String(), want) {
					t.Errorf("no card mentions %q", want)
				}
			}
		})
	}
}

func TestDestinationsSuggestADishAndMusic(t *testing.T) {
	cards, _ := Ideas(DeckDestination)
	for _, c := range cards {
		cook, music, ok := strings.Cut(c.Detail, "; put on ")
		if !ok || len(cook) <= len("Cook ") || len(music) <= len(".") {
			t.Errorf("%s: detail %q lacks a dish or music", c.Text, c.Detail)
		}
	}
}

func TestTouchFromTheGuide(t *testing.T) {
	g := guide(t)
	cards, _ := Ideas(DeckTouch)
	for _, c := range cards[:3] {
		if !strings.Contains(g, c.Text) {
			t.Errorf("touch %q is not the guide's", c.Text)
		}
	}
}

func TestIdeaOf(t *testing.T) {
	d := date("2026-11-21")
	for _, deck := range Decks() {
		t.Run(deck, func(t *testing.T) {
			cards, _ := Ideas(deck)
			n := len(cards)
			seen := map[string]bool{}
			for seed := range n {
				a, err := IdeaOf(deck, d, seed)
				if err != nil {
					t.Fatal(err)
				}
				if b, _ := IdeaOf(deck, d, seed); a != b {
					t.Fatalf("seed %d: %v then %v", seed, a, b)
				}
				if seen[a.Text] {
					t.Errorf("seed %d repeats %q on the same day", seed, a.Text)
				}
				seen[a.Text] = true
			}
			for _, tc := range []struct{ seed, same int }{{n, 0}, {n + 3, 3}, {-1, n - 1}, {-n, 0}} {
				a, _ := IdeaOf(deck, d, tc.seed)
				b, _ := IdeaOf(deck, d, tc.same)
				if a != b {
					t.Errorf("seed %d gives %q, seed %d %q; want the same", tc.seed, a.Text, tc.same, b.Text)
				}
			}
			// The idea of the day (seed 0) goes round the whole deck.
			first := date("2024-01-01").AddDays(5 * n)
			daily := map[string]bool{}
			for i := range n {
				a, _ := IdeaOf(deck, first.AddDays(i), 0)
				daily[a.Text] = true
			}
			if len(daily) != n {
				t.Errorf("%d distinct daily ideas over a cycle of %d days", len(daily), n)
			}
		})
	}
}

func TestIdeaOfVariesWithTheDate(t *testing.T) {
	a, _ := IdeaOf(DeckDate, date("2026-11-21"), 1)
	b, _ := IdeaOf(DeckDate, date("2026-11-22"), 1)
	c, _ := IdeaOf(DeckDate, date("2026-11-23"), 1)
	if a == b && b == c {
		t.Errorf("seed 1 gives %q three days running", a.Text)
	}
}

func TestIdeaOfUnknownDeck(t *testing.T) {
	for _, deck := range []string{"", "dates", "Date", "bucket"} {
		_, err := IdeaOf(deck, date("2026-11-21"), 0)
		if !errors.Is(err, ErrUnknownDeck) {
			t.Errorf("IdeaOf(%q) error = %v, want ErrUnknownDeck", deck, err)
			continue
		}
		for _, name := range Decks() {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not list deck %s", err, name)
			}
		}
	}
	if _, err := Ideas("nope"); !errors.Is(err, ErrUnknownDeck) {
		t.Errorf("Ideas(nope) error = %v", err)
	}
}
