package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/prompts"
)

// ideaOptions is what 'idea' uses: its dependencies (filled from the App by
// the constructor), then its flags.
type ideaOptions struct {
	IO  *IOStreams
	Now func() time.Time

	Date  civil.Date
	Decks []string
	Count int
	JSON  bool
}

// newIdeaCmd is 'idea'. runF runs it, given the options filled from the
// flags; nil is runIdea.
func newIdeaCmd(a *App, runF func(context.Context, *ideaOptions) error) *cobra.Command {
	if runF == nil {
		runF = runIdea
	}
	opts := &ideaOptions{IO: a.IO, Now: a.clock()}
	c := &cobra.Command{
		Use:   "idea [date|touch|destination|question]",
		Short: "A suggestion for tonight: a date, a touch, a destination dinner, a question",
		Long: `A small idea from the decks drawn from the guide:

  date         things to do together: a class where you're both beginners,
               the park you always drive past, a spa day at home...
  touch        non-sexual touch, low pressure: let a hug linger a few seconds
  destination  the at-home destination dinner: a country, a dish, its music
  question     a question that goes beyond who's picking up the kids

With no deck, one idea from each. Both of you get the same idea on the same
day; --count shows more of the day's cards.`,
		Example: `  reconnect idea
  reconnect idea date
  reconnect idea destination --count 3
  reconnect idea touch --json`,
		Args:      maxArgs(1, "one deck: date, touch, destination or question"),
		ValidArgs: prompts.Decks(),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Decks = prompts.Decks()
			if len(args) == 1 {
				opts.Decks = []string{strings.ToLower(strings.TrimSpace(args[0]))}
			}
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day whose ideas to show (default today)")
	c.Flags().IntVarP(&opts.Count, "count", "n", 1, "how many ideas from each deck")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the ideas as JSON")
	return c
}

type ideaJSON struct {
	Deck   string `json:"deck"`
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"`
}

func runIdea(_ context.Context, opts *ideaOptions) error {
	day := dayOr(opts.Date, opts.Now())
	var out []ideaJSON
	for _, deck := range opts.Decks {
		cards, err := prompts.Ideas(deck)
		if errors.Is(err, prompts.ErrUnknownDeck) {
			return withHint(badInput(err), "try 'reconnect idea date'")
		}
		if err != nil {
			return err
		}
		if opts.Count < 1 || opts.Count > len(cards) {
			return usagef("--count %d: want 1 to %d for the %s deck", opts.Count, len(cards), deck)
		}
		for seed := range opts.Count {
			idea, err := prompts.IdeaOf(deck, day, seed)
			if err != nil {
				return err
			}
			out = append(out, ideaJSON{Deck: idea.Deck, Text: idea.Text, Detail: idea.Detail})
		}
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, out)
	}
	p := opts.IO.Palette()
	for i, idea := range out {
		if i > 0 && (len(opts.Decks) > 1 || opts.Count > 1) {
			fmt.Fprintln(opts.IO.Out)
		}
		opts.IO.Printf("%s  %s\n", p.Cyan(deckLabel(idea.Deck)), idea.Text)
		if idea.Detail != "" && idea.Deck != prompts.DeckQuestion {
			opts.IO.Printf("%s  %s\n", strings.Repeat(" ", len(deckLabel(idea.Deck))), p.Dim(idea.Detail))
		}
	}
	return nil
}

// deckLabel names a deck for a line of text, all of one width.
func deckLabel(deck string) string {
	return fmt.Sprintf("%-11s", map[string]string{
		prompts.DeckDate:        "Date",
		prompts.DeckTouch:       "Touch",
		prompts.DeckDestination: "Destination",
		prompts.DeckQuestion:    "Question",
	}[deck])
}
