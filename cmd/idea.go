package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// ideaOptions is what 'idea' uses: its dependencies (filled from the App by
// the constructor), then its flags.
type ideaOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	ReadJournal func(ctx context.Context) (*Journal, error)
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)

	Date  civil.Date
	Decks []string
	Storm string     // --deck: a deck for life's storms instead
	Plan  civil.Date // --plan: plan the date idea on this day
	Count int
	JSON  bool
}

// newIdeaCmd is 'idea'. runF runs it, given the options filled from the
// flags; nil is runIdea.
func newIdeaCmd(a *App, runF func(context.Context, *ideaOptions) error) *cobra.Command {
	if runF == nil {
		runF = runIdea
	}
	opts := &ideaOptions{IO: a.IO, Now: a.clock(), ReadJournal: a.readJournal, Write: a.write}
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
day; --count shows more of the day's cards. The question deck's first card
is the question of the day.

--deck NAME draws from a deck for one of life's storms instead: a new job,
parenting, a health scare, an empty nest, retirement ('reconnect ask
--decks' lists them).

--plan DAY puts the date idea in the calendar in one step, as 'date plan'
would: the idea is the title, its suggestion the note.`,
		Example: `  reconnect idea
  reconnect idea date
  reconnect idea date --plan 2026-11-28
  reconnect idea destination --count 3
  reconnect idea --deck parenting
  reconnect idea touch --json`,
		Args:      maxArgs(1, "one deck: date, touch, destination or question"),
		ValidArgs: prompts.Decks(),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Decks = prompts.Decks()
			if len(args) == 1 {
				opts.Decks = []string{strings.ToLower(strings.TrimSpace(args[0]))}
			}
			if c.Flags().Changed("deck") {
				if len(args) == 1 {
					return usagef("give a deck or --deck, not both")
				}
				s, err := prompts.StormNamed(opts.Storm)
				if err != nil {
					return withHint(badInput(err), "see them with 'reconnect ask --decks'")
				}
				opts.Storm, opts.Decks = s.Name, nil
			}
			if c.Flags().Changed("plan") {
				switch {
				case len(opts.Decks) != 1 || opts.Decks[0] != prompts.DeckDate:
					return withHint(usagef("--plan plans a date idea"), "reconnect idea date --plan DAY")
				case opts.Count != 1:
					return usagef("--plan plans the idea of the day: leave out --count")
				case opts.JSON:
					return usagef("--plan says what it planned: leave out --json (see it with 'reconnect date list --json')")
				}
			}
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day whose ideas to show (default today)")
	c.Flags().IntVarP(&opts.Count, "count", "n", 1, "how many ideas from each deck")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the ideas as JSON")
	c.Flags().StringVar(&opts.Storm, "deck", "", "ideas from a deck for life's storms (see 'reconnect ask --decks')")
	c.Flags().Var(dateValue{&opts.Plan}, "plan", "plan the date idea on this `DAY`, in one step")
	_ = c.RegisterFlagCompletionFunc("deck", completeStormDecks)
	return c
}

type ideaJSON struct {
	Deck   string `json:"deck"`
	Text   string `json:"text"`
	Detail string `json:"detail,omitempty"`
}

func runIdea(ctx context.Context, opts *ideaOptions) error {
	day := dayOr(opts.Date, opts.Now())
	if !opts.Plan.IsZero() && opts.Plan.Before(day) {
		return withHint(usagef("--plan %s: that day has passed", opts.Plan),
			"plan it for today or a day to come")
	}
	var out []ideaJSON
	labels := map[string]string{}
	if opts.Storm != "" {
		s, err := prompts.StormNamed(opts.Storm)
		if err != nil {
			return withHint(badInput(err), "see them with 'reconnect ask --decks'")
		}
		if opts.Count < 1 || opts.Count > len(s.Ideas) {
			return usagef("--count %d: want 1 to %d for the %s deck", opts.Count, len(s.Ideas), s.Name)
		}
		for seed := range opts.Count {
			idea := s.IdeaOn(day, seed)
			out = append(out, ideaJSON{Deck: idea.Deck, Text: idea.Text, Detail: idea.Detail})
		}
		labels[s.Name] = s.Title
	}
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
		ideas, err := dayIdeas(ctx, opts, deck, day, len(cards))
		if err != nil {
			return err
		}
		for _, idea := range ideas {
			out = append(out, ideaJSON{Deck: idea.Deck, Text: idea.Text, Detail: idea.Detail})
		}
	}
	if !opts.Plan.IsZero() {
		return planIdea(ctx, opts, out[0], day)
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, out)
	}
	p := opts.IO.Palette()
	for i, idea := range out {
		if i > 0 {
			fmt.Fprintln(opts.IO.Out)
		}
		label := deckLabel(idea.Deck)
		if l, ok := labels[idea.Deck]; ok {
			label = fmt.Sprintf("%-11s", l)
		}
		opts.IO.Printf("%s  %s\n", p.Cyan(label), idea.Text)
		if idea.Detail != "" && idea.Deck != prompts.DeckQuestion {
			opts.IO.Printf("%s  %s\n", strings.Repeat(" ", len(label)), p.Dim(idea.Detail))
		}
	}
	return nil
}

// dayIdeas is the first opts.Count ideas of deck (of n cards) for day. The
// question deck's first is the question of the day, which weighs the
// couple's answers, so it reads the journal; its others are the deck's
// other cards of the day.
func dayIdeas(ctx context.Context, opts *ideaOptions, deck string, day civil.Date, n int) ([]prompts.Idea, error) {
	var out []prompts.Idea
	if deck == prompts.DeckQuestion {
		j, err := opts.ReadJournal(ctx)
		if err != nil {
			return nil, err
		}
		q, err := dealtQuestion(j, day, opts.IO.warn)
		if err != nil {
			return nil, err
		}
		out = append(out, prompts.Idea{Deck: deck, Text: q.Text, Detail: q.Depth})
	}
	for seed := 0; seed < n && len(out) < opts.Count; seed++ {
		idea, err := prompts.IdeaOf(deck, day, seed)
		if err != nil {
			return nil, err
		}
		if deck == prompts.DeckQuestion && idea.Text == out[0].Text {
			continue
		}
		out = append(out, idea)
	}
	return out, nil
}

// planIdea plans the date idea on opts.Plan, as 'date plan' does: the idea
// is the title and its suggestion the note.
func planIdea(ctx context.Context, opts *ideaOptions, idea ideaJSON, day civil.Date) error {
	saved, err := addShared(ctx, opts.Write, opts.Now(), idea.Text, idea.Detail, opts.Date,
		func(title, who string, added civil.Date) *journal.Entry {
			return journal.NewDatePlan(title, who, added, opts.Now(), opts.Plan)
		},
		func(title string) string { return fmt.Sprintf("date plan: %s %s", title, opts.Plan) })
	if err != nil {
		return err
	}
	p := opts.IO.Palette()
	opts.IO.Printf("%s Planned: %s, %s (%s)\n", p.Green("✓"), oneLine(saved.Title()),
		strings.TrimPrefix(relDayFrom(day, opts.Plan), "on "), saved.Path)
	if idea.Detail != "" {
		opts.IO.Printf("  %s\n", p.Dim(idea.Detail))
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
