package prompts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// ErrUnknownDeck is wrapped by the error [IdeaOf] returns for a deck that is
// not one of [Decks].
var ErrUnknownDeck = errors.New("unknown deck")

// The idea decks.
const (
	DeckDate        = "date"        // things to do together
	DeckTouch       = "touch"       // non-sexual touch
	DeckDestination = "destination" // the at-home destination dinner
	DeckQuestion    = "question"    // the question deck, as ideas
)

// Idea is one card of a deck. Text is the idea itself; Detail is an
// optional line of suggestion (for a destination, what to cook and to put
// on; for a question, its depth).
type Idea struct {
	Deck   string
	Text   string
	Detail string
}

// Decks is the names of the idea decks: date, touch, destination, question.
func Decks() []string {
	return []string{DeckDate, DeckTouch, DeckDestination, DeckQuestion}
}

// IdeaOf is an idea from deck for the date d. It depends only on deck, d and
// seed. Seed 0 is the idea of the day, dealt like [QuestionOf] (each deck in
// its own shuffled cycles, so the daily idea does not repeat until the deck is
// used up); seeds 1, 2, ... give the day's other cards, all different, in an
// order shuffled per date, until the deck comes round again after n seeds.
// For the question deck, seed 0 is the whole deck's card of the day; the
// question of the day itself also weighs the couple's answers
// ([QuestionFor]), so 'idea question' asks cmd for it.
func IdeaOf(deck string, d civil.Date, seed int) (Idea, error) {
	cards, err := deckCards(deck)
	if err != nil {
		return Idea{}, err
	}
	return cards[cardOf(salt(deck), len(cards), d, seed)], nil
}

// cardOf is the card of a deck of n, salted, for day d and seed, as
// [IdeaOf] deals them.
func cardOf(salt string, n int, d civil.Date, seed int) int {
	day := dayIndex(d)
	daily := deal(salt, n, day)
	_, k := floorDiv(seed, n)
	if k == 0 {
		return daily
	}
	// The other cards of the day, in the day's own order, daily left out.
	rest := slices.DeleteFunc(shuffle(salt+"/day", n, day), func(x int) bool { return x == daily })
	return rest[k-1]
}

func salt(deck string) string {
	if deck == DeckQuestion {
		return questionSalt
	}
	return "idea/" + deck
}

// deckCards is the cards of deck, shared, not to be modified.
func deckCards(deck string) ([]Idea, error) {
	if deck == DeckQuestion {
		qs := must(loadQuestions())
		out := make([]Idea, len(qs))
		for i, q := range qs {
			out[i] = Idea{Deck: DeckQuestion, Text: q.Text, Detail: q.Depth}
		}
		return out, nil
	}
	if cards, ok := must(loadIdeas())[deck]; ok {
		return cards, nil
	}
	return nil, fmt.Errorf("deck %q: %w (want one of %s)", deck, ErrUnknownDeck, strings.Join(Decks(), ", "))
}

// Ideas is every card of deck, in file order.
func Ideas(deck string) ([]Idea, error) {
	cards, err := deckCards(deck)
	return slices.Clone(cards), err
}

type ideaCard struct {
	Text   string `yaml:"text"`
	Detail string `yaml:"detail"`
}

type ideasFile struct {
	Date        []ideaCard `yaml:"date"`
	Touch       []ideaCard `yaml:"touch"`
	Destination []struct {
		Text  string `yaml:"text"`
		Dish  string `yaml:"dish"`
		Music string `yaml:"music"`
	} `yaml:"destination"`
}

func parseIdeas(b []byte) (map[string][]Idea, error) {
	var f ideasFile
	if err := decode("ideas.yaml", b, &f); err != nil {
		return nil, err
	}
	out := map[string][]Idea{}
	add := func(deck string, i int, text, detail string, needDetail bool) error {
		if !clean(&text) {
			return fmt.Errorf("parse ideas.yaml: %s %d: empty text", deck, i+1)
		}
		if clean(&detail); needDetail && detail == "" {
			return fmt.Errorf("parse ideas.yaml: %s %d %q: empty detail", deck, i+1, text)
		}
		for _, prev := range out[deck] {
			if normal(prev.Text) == normal(text) {
				return fmt.Errorf("parse ideas.yaml: %s %q is a duplicate", deck, text)
			}
		}
		out[deck] = append(out[deck], Idea{Deck: deck, Text: text, Detail: detail})
		return nil
	}
	for i, c := range f.Date {
		if err := add(DeckDate, i, c.Text, c.Detail, true); err != nil {
			return nil, err
		}
	}
	for i, c := range f.Touch {
		if err := add(DeckTouch, i, c.Text, c.Detail, false); err != nil {
			return nil, err
		}
	}
	for i, c := range f.Destination {
		if !clean(&c.Dish) || !clean(&c.Music) {
			return nil, fmt.Errorf("parse ideas.yaml: destination %d %q: empty dish or music", i+1, c.Text)
		}
		if err := add(DeckDestination, i, c.Text, fmt.Sprintf("Cook %s; put on %s.", c.Dish, c.Music), true); err != nil {
			return nil, err
		}
	}
	for _, deck := range []string{DeckDate, DeckTouch, DeckDestination} {
		if len(out[deck]) == 0 {
			return nil, fmt.Errorf("parse ideas.yaml: deck %s is empty", deck)
		}
	}
	return out, nil
}
