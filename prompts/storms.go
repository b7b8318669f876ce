package prompts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Storm is a deck for one of life's storms (the guide's "Weathering Life's
// Storms as a Team"): a new job, parenting, a health scare, an empty nest,
// retirement. It holds its own questions and ideas, kept in storms.yaml.
type Storm struct {
	Name      string     // what a user types: new-job, parenting...
	Title     string     // a short label
	About     string     // one line: when the deck is for
	Questions []Question // IDs count from 1 within the deck
	Ideas     []Idea     // Deck is Name
}

// Storms is every storm deck, in file order. The slice and its decks are the
// caller's.
func Storms() []Storm {
	decks := must(loadStorms())
	out := make([]Storm, len(decks))
	for i, s := range decks {
		out[i] = s.clone()
	}
	return out
}

// StormNames is the names of the storm decks, in file order.
func StormNames() []string {
	var names []string
	for _, s := range must(loadStorms()) {
		names = append(names, s.Name)
	}
	return names
}

// StormNamed is the storm deck called name (case and surrounding spaces do
// not matter). Another name is an error wrapping [ErrUnknownDeck] that lists
// the known ones.
func StormNamed(name string) (Storm, error) {
	k := strings.ToLower(strings.TrimSpace(name))
	for _, s := range must(loadStorms()) {
		if s.Name == k {
			return s.clone(), nil
		}
	}
	return Storm{}, fmt.Errorf("deck %q: %w (want one of %s)", name, ErrUnknownDeck, strings.Join(StormNames(), ", "))
}

func (s Storm) clone() Storm {
	s.Questions, s.Ideas = slices.Clone(s.Questions), slices.Clone(s.Ideas)
	return s
}

// QuestionOn is the deck's question for day d: like the question of the
// day, dealt from the date alone in shuffled cycles, so two partners who
// both ask from the deck on a day get the same question.
func (s Storm) QuestionOn(d civil.Date) Question {
	return s.Questions[deal("storm/"+s.Name, len(s.Questions), dayIndex(d))]
}

// IdeaOn is an idea from the deck for day d: seed 0 is the deck's idea of
// the day, seeds 1, 2, ... the day's other ideas, as [IdeaOf] deals them.
func (s Storm) IdeaOn(d civil.Date, seed int) Idea {
	return s.Ideas[cardOf("storm/"+s.Name+"/idea", len(s.Ideas), d, seed)]
}

type stormsFile struct {
	Decks []struct {
		Name      string `yaml:"name"`
		Title     string `yaml:"title"`
		About     string `yaml:"about"`
		Questions []struct {
			Text  string `yaml:"text"`
			Depth string `yaml:"depth"`
		} `yaml:"questions"`
		Ideas []ideaCard `yaml:"ideas"`
	} `yaml:"decks"`
}

// parseStorms reads storms.yaml. A deck may not take the name of an idea
// deck, so that 'idea NAME' and 'idea --deck NAME' never mean two things.
func parseStorms(b []byte) ([]Storm, error) {
	var f stormsFile
	if err := decode("storms.yaml", b, &f); err != nil {
		return nil, err
	}
	if len(f.Decks) == 0 {
		return nil, fmt.Errorf("parse storms.yaml: no decks")
	}
	var out []Storm
	names := map[string]bool{}
	for _, d := range f.Decks {
		where := fmt.Sprintf("parse storms.yaml: deck %q", d.Name)
		if !clean(&d.Name) || d.Name != strings.ToLower(d.Name) || strings.ContainsAny(d.Name, " \t") {
			return nil, fmt.Errorf("%s: a name is one lower-case word", where)
		}
		if names[d.Name] || slices.Contains(Decks(), d.Name) {
			return nil, fmt.Errorf("%s: the name is taken", where)
		}
		names[d.Name] = true
		if !clean(&d.Title) || len(d.Title) > 11 || !clean(&d.About) {
			return nil, fmt.Errorf("%s: want a title of at most 11 characters and an about line", where)
		}
		s := Storm{Name: d.Name, Title: d.Title, About: d.About}
		seen := map[string]bool{}
		for i, q := range d.Questions {
			if !clean(&q.Text) {
				return nil, fmt.Errorf("%s: question %d is empty", where, i+1)
			}
			switch q.Depth {
			case Light, Medium, Deep:
			default:
				return nil, fmt.Errorf("%s: question %d: depth %q, want light, medium or deep", where, i+1, q.Depth)
			}
			if seen[normal(q.Text)] {
				return nil, fmt.Errorf("%s: question %q is a duplicate", where, q.Text)
			}
			seen[normal(q.Text)] = true
			s.Questions = append(s.Questions, Question{ID: i + 1, Text: q.Text, Depth: q.Depth})
		}
		for i, c := range d.Ideas {
			if !clean(&c.Text) || !clean(&c.Detail) {
				return nil, fmt.Errorf("%s: idea %d: empty text or detail", where, i+1)
			}
			if seen[normal(c.Text)] {
				return nil, fmt.Errorf("%s: idea %q is a duplicate", where, c.Text)
			}
			seen[normal(c.Text)] = true
			s.Ideas = append(s.Ideas, Idea{Deck: d.Name, Text: c.Text, Detail: c.Detail})
		}
		if len(s.Questions) == 0 || len(s.Ideas) == 0 {
			return nil, fmt.Errorf("%s: want questions and ideas", where)
		}
		out = append(out, s)
	}
	return out, nil
}
