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
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// askOptions is what 'ask' uses: its dependencies (filled from the App by
// the constructor), then its flags.
type askOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	ReadJournal func(ctx context.Context) (*Journal, error)
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)
	Prompter    Prompter
	OpenDraft   func(ritual, what, who string, day civil.Date) *formDraft

	Date      civil.Date
	Answer    string
	Given     bool // --answer was given
	JSON      bool
	Skip      bool   // --skip: pass on the day's question, for both
	Deck      string // --deck: a question from a storm deck instead
	ListDecks bool   // --decks
}

// newAskCmd is 'ask'. runF runs it, given the options filled from the
// flags; nil is runAsk.
func newAskCmd(a *App, runF func(context.Context, *askOptions) error) *cobra.Command {
	if runF == nil {
		runF = runAsk
	}
	opts := &askOptions{IO: a.IO, Now: a.clock(), Author: a.author, ReadJournal: a.readJournal, Write: a.write,
		Prompter: a.Prompter, OpenDraft: a.openDraft}
	c := &cobra.Command{
		Use:     "ask",
		Aliases: []string{"question"},
		Short:   "The question of the day: answer it, then see your partner's answer",
		Long: `Both of you get the same question on the same day, without talking about it
first: from light ("What was the best part of your day?") to vulnerable
("What's one small fear you've had on your mind lately?"). A question does
not come back soon: each depth is dealt in cycles through all its questions.

The deck deepens with you: a new couple's first week draws light questions,
the guide's own three prompts come in the first days, and deeper ones join
as the days on which you both answered add up (the days up to two days
back count, so both of you get the same question even when one has not
synced since yesterday). --skip passes on the day's question for both of
you: the next one takes its place, on both sides after a sync. It is too
late once one of you has answered.

For life's storms there are decks of their own: a new job, parenting, a
health scare, an empty nest, retirement ('ask --decks' lists them). --deck
NAME asks that deck's question of the day instead, for you; your partner
gets the same one when they ask from the same deck that day, and the answer
notes the deck it came from (a plain 'ask --answer' later that day answers
the question of the day in its place).

Your partner's answer stays hidden until you have written yours, so neither
of you answers in the other's shadow. It is sealed for real: the file holds
your answer encrypted to your own key (kept in the config folder, made the
first time), with a commitment to its text, so that your partner cannot read
it with cat or git either. Once their answer for that day has arrived, your
computer reveals yours at its next sync (the plain text and the salt of the
commitment). Their computer checks it against the commitment your answer was
first sealed with, as the journal's history has it: a text that is not the
one first sealed is shown with a warning; an answer changed again after both
were revealed is shown as edited after both answers were revealed. At a
terminal, 'ask' offers to take your answer when you have not given one;
--answer - reads it from stdin (up to 1 MiB: more is refused, never cut
short). Answering again the same day replaces your answer.

If you stop the form (Ctrl-C), or the answer cannot be saved, what you typed
is kept as a draft on this computer only ($XDG_STATE_HOME/reconnect/drafts,
or ~/.local/state/reconnect/drafts): never committed or synced. The next
'reconnect ask' for that day at a terminal fills the form with it; saving
it, or leaving it empty, removes it. A draft is dropped after 7 days.`,
		Example: `  reconnect ask
  reconnect ask --answer "Honestly? Tired, but happy we're doing this."
  echo "The walk after dinner" | reconnect ask --answer -
  reconnect ask --date 2026-11-20          # a day you missed
  reconnect ask --skip                     # not tonight's question: the next one
  reconnect ask --decks
  reconnect ask --deck retirement
  reconnect ask --json | jq -r .depth`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Given = c.Flags().Changed("answer")
			switch {
			case opts.ListDecks && (opts.Given || opts.Skip || opts.Deck != "" || c.Flags().Changed("date")):
				return usagef("--decks lists the decks: give it alone (or with --json)")
			case opts.Skip && opts.Given:
				return usagef("--skip passes on the question: give --skip or --answer, not both")
			case opts.Skip && opts.Deck != "":
				return usagef("--skip passes on the question of the day, not a deck's: leave out --deck")
			}
			if c.Flags().Changed("deck") {
				s, err := prompts.StormNamed(opts.Deck)
				if err != nil {
					return withHint(badInput(err), "see them with 'reconnect ask --decks'")
				}
				opts.Deck = s.Name
			}
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day whose question to show or answer (default today)")
	c.Flags().StringVar(&opts.Answer, "answer", "", "your answer (- reads it from stdin)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the question and the answers you may see as JSON")
	c.Flags().BoolVar(&opts.Skip, "skip", false, "pass on the day's question, for both of you: the next one takes its place")
	c.Flags().StringVar(&opts.Deck, "deck", "", "ask from a deck for life's storms (see --decks)")
	c.Flags().BoolVar(&opts.ListDecks, "decks", false, "list the decks for life's storms")
	_ = c.RegisterFlagCompletionFunc("deck", completeStormDecks)
	return c
}

// completeStormDecks offers the storm decks for --deck.
func completeStormDecks(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, s := range prompts.Storms() {
		out = append(out, fmt.Sprintf("%s\t%s", s.Name, s.About))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// askView is the question of a day and the answers you may see: also the
// JSON of 'ask', and the question part of 'today'.
type askView struct {
	Date       string            `json:"date"`
	Question   string            `json:"question"`
	QuestionID int               `json:"question_id"`
	Depth      string            `json:"depth"`
	Deck       string            `json:"deck,omitempty"` // a storm deck's question, not the question of the day
	You        string            `json:"you"`
	Answered   map[string]bool   `json:"answered"`
	Answers    map[string]string `json:"answers"`
	// Reveal is, for a partner's answer shown whose check against its
	// first seal did not pass, "edited" or "changed" (cmd/reveal_check.go).
	Reveal map[string]string `json:"reveal,omitempty"`

	paths map[string]string // author -> the answer's path
}

// questionDay folds the day's answers into what who may see, by the
// sealed-answer rule [journal.MaySeeAnswer].
// j nil is no journal yet; recent is who checked in lately.
func (a *App) questionDay(j *Journal, who string, day civil.Date, recent []string) (askView, error) {
	return questionDay(j, who, day, recent, a.warn)
}

// questionDay is [App.questionDay], warnings about files that could not be
// read going to warn.
func questionDay(j *Journal, who string, day civil.Date, recent []string, warn func([]error)) (askView, error) {
	return questionDayFrom(j, who, day, recent, warn, "")
}

// questionDayFrom is [questionDay] with the question from the storm deck
// named deck ("": the question of the day).
func questionDayFrom(j *Journal, who string, day civil.Date, recent []string, warn func([]error), deck string) (askView, error) {
	var q prompts.Question
	if deck != "" {
		s, err := prompts.StormNamed(deck)
		if err != nil {
			return askView{}, badInput(err)
		}
		q = s.QuestionOn(day)
	} else {
		var err error
		if q, err = dealtQuestion(j, day, warn); err != nil {
			return askView{}, err
		}
	}
	v := askView{Date: day.String(), Question: q.Text, QuestionID: q.ID, Depth: q.Depth, Deck: deck, You: who,
		Answered: map[string]bool{who: false}, Answers: map[string]string{}, paths: map[string]string{}}
	if j == nil {
		return v, nil
	}
	entries, warnings, err := j.Store.List(journal.Query{Since: day, Until: day, Kinds: []journal.Kind{journal.KindAnswer}})
	if err != nil {
		return v, err
	}
	warn(warnings)
	all := map[string]string{}
	reveal := map[string]journal.RevealCheck{}
	chk := newRevealChecker(context.Background(), j)
	for _, e := range entries {
		text, _ := e.Section("")
		var r journal.RevealCheck
		switch {
		case journal.IsSealed(e):
			var opened bool
			if text, opened = openSealed(j.KeyDir, e); !opened && e.Author == who {
				text = unopenedNote
			} else if !opened {
				text = "" // not this computer's to open: it waits for the reveal
			}
		default:
			if r = chk.check(e); r != journal.RevealKept {
				text = revealNote(e.Author, r) + "\n\n" + text
			}
		}
		if _, seen := all[e.Author]; seen && !isPlainPath(e.Path) {
			continue
		}
		if from, _ := e.Field(journal.FieldDeck); deck != "" && from != deck {
			continue // a deck's view holds the answers to that deck only
		}
		all[e.Author] = text
		reveal[e.Author] = r
		v.paths[e.Author] = e.Path
		v.Answered[e.Author] = true
		if e.Author == who {
			asked, _ := e.Field(journal.FieldQuestion)
			from, _ := e.Field(journal.FieldDeck)
			if asked != "" && asked != q.Text {
				// Answered from another deck, or the deal changed since
				// (a skip synced late, a deck edited): show what was asked.
				v.Question, v.Deck = asked, from
				v.QuestionID, _ = e.IntField(journal.FieldQuestionID)
				v.Depth = askedDepth(from, v.QuestionID, asked)
			}
		}
	}
	for _, n := range recent {
		if _, ok := v.Answered[n]; !ok {
			v.Answered[n] = false
		}
	}
	for n, text := range all {
		if text != "" && journal.MaySeeAnswer(who, n, v.Answered[who]) {
			v.Answers[n] = text
			if r := reveal[n]; r != journal.RevealKept {
				if v.Reveal == nil {
					v.Reveal = map[string]string{}
				}
				v.Reveal[n] = string(r)
			}
		}
	}
	return v, nil
}

// askedDepth is the depth of the question with id and text in the deck
// named from ("": the question deck), or "" when the deck no longer has it.
func askedDepth(from string, id int, text string) string {
	qs := prompts.Questions()
	if from != "" {
		s, err := prompts.StormNamed(from)
		if err != nil {
			return ""
		}
		qs = s.Questions
	}
	for _, q := range qs {
		if q.ID == id && q.Text == text {
			return q.Depth
		}
	}
	return ""
}

// dealtQuestion is the question of the day for the couple in j (nil: no
// journal yet): dealt from the date, the days both answered (as
// [prompts.TogetherOn] counts them) and the questions passed on that day.
func dealtQuestion(j *Journal, day civil.Date, warn func([]error)) (prompts.Question, error) {
	t, err := togetherOn(j, day, warn)
	if err != nil {
		return prompts.Question{}, err
	}
	skipped, err := skippedOn(j, day, warn)
	if err != nil {
		return prompts.Question{}, err
	}
	return prompts.QuestionFor(day, t, skipped), nil
}

// answersFirst is how many days of answers togetherOn reads first.
const answersFirst = 31

// togetherOn reads the answers that [prompts.TogetherOn] counts for day:
// the last month first, and the rest of the span only when that month does
// not already settle the deal, so a couple who answer often costs a month
// of answers, not a year.
func togetherOn(j *Journal, day civil.Date, warn func([]error)) (prompts.Together, error) {
	var t prompts.Together
	if j == nil {
		return t, nil
	}
	first, last := prompts.AnswersSpan(day)
	var answers []prompts.Answered
	read := func(since, until civil.Date) error {
		entries, warnings, err := j.Store.List(journal.Query{Since: since, Until: until, Kinds: []journal.Kind{journal.KindAnswer}})
		if err != nil {
			return err
		}
		warn(warnings)
		for _, e := range entries {
			answers = append(answers, prompts.Answered{Date: e.Date, Author: e.Author})
		}
		t = prompts.TogetherOn(day, answers)
		return nil
	}
	split := last.AddDays(1 - answersFirst)
	if err := read(split, last); err != nil || t.Enough() {
		return t, err
	}
	return t, read(first, split.AddDays(-1))
}

// skippedOn is the IDs of the questions passed on on day, by either partner.
func skippedOn(j *Journal, day civil.Date, warn func([]error)) ([]int, error) {
	if j == nil {
		return nil, nil
	}
	entries, warnings, err := j.Store.List(journal.Query{Since: day, Until: day, Kinds: []journal.Kind{journal.KindSkip}})
	if err != nil {
		return nil, err
	}
	warn(warnings)
	var ids []int
	for _, e := range entries {
		if id, ok := e.IntField(journal.FieldQuestionID); ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func runAsk(ctx context.Context, opts *askOptions) error {
	if opts.ListDecks {
		return listStormDecks(opts.IO, opts.JSON)
	}
	day := dayOr(opts.Date, opts.Now())
	if opts.Skip {
		return runAskSkip(ctx, opts, day)
	}
	if opts.Given {
		if _, err := writeDayAt(opts.Date, opts.Now()); err != nil {
			return err
		}
	}
	who, err := opts.Author()
	if err != nil {
		return err
	}
	answer := ""
	if opts.Given {
		given := opts.Answer
		if given == "-" {
			if given, err = readAllText(opts.IO.In); err != nil {
				return err
			}
		}
		if answer, err = journal.CleanText(given); err != nil {
			return badInput(fmt.Errorf("--answer: %w", err))
		}
	}
	j, err := opts.ReadJournal(ctx)
	if err != nil {
		return err
	}
	v, err := questionDayFrom(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn, opts.Deck)
	if err != nil {
		return err
	}
	var draft *formDraft
	if answer == "" && !opts.Given && !opts.JSON && !v.Answered[who] && opts.IO.CanPrompt() {
		opts.IO.printQuestion(v, dayNameAt(opts.Now(), day))
		draft = opts.OpenDraft("ask", "answer", who, day)
		fields := []FormField{{Key: "answer", Title: v.Question,
			Description: "Your answer (leave it empty to answer later)"}}
		draft.fill(fields)
		answers, err := opts.Prompter.Form(ctx, "", fields)
		draft.answered(answers)
		if err != nil {
			return draft.keep(err)
		}
		answer, err = journal.CleanText(answers["answer"])
		switch {
		case errors.Is(err, journal.ErrEmptyText):
			draft.done() // left empty on purpose: answer later
			opts.IO.printAnswers(v, who, "")
			return nil
		case err != nil:
			return draft.keep(badInput(fmt.Errorf("answer: %w", err))) // not dropped without a word
		}
	}
	if answer != "" {
		q := v
		if opts.Deck == "" && q.Deck != "" {
			// Answered from a deck earlier: a plain 'ask' answers the
			// question of the day, in its place.
			dealt, err := dealtQuestion(j, day, opts.IO.warn)
			if err != nil {
				return err
			}
			q.Question, q.QuestionID, q.Depth, q.Deck = dealt.Text, dealt.ID, dealt.Depth, ""
		}
		var saved *journal.Entry
		j, err = opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
			e := journal.NewAnswer(who, day, opts.Now(), q.QuestionID, q.Question, answer)
			e.Path = journal.PathFor(e, nil)
			if old, err := j.Store.Read(e.Path); err == nil {
				e = old
				e.SetIntField(journal.FieldQuestionID, q.QuestionID)
				e.SetField(journal.FieldQuestion, q.Question)
				e.SetSection("", answer)
			} else if !errors.Is(err, journal.ErrNotFound) {
				return "", nil, err
			}
			if q.Deck != "" {
				e.SetField(journal.FieldDeck, q.Deck)
			} else {
				e.DeleteField(journal.FieldDeck)
			}
			// Sealed to your own key: your partner reads it once they
			// have answered too and your computer has revealed it
			// (cmd/reveal.go). A journal opened without a config
			// folder (KeyDir "") writes it plain.
			if j.KeyDir != "" {
				id, err := sealKey(j.KeyDir)
				if err != nil {
					return "", nil, fmt.Errorf("seal your answer: %w", err)
				}
				if err := journal.SealAnswer(e, id.Recipient()); err != nil {
					return "", nil, err
				}
			}
			saved = e
			return fmt.Sprintf("answer: %s %s", who, day), []gitsync.Change{changeFor(e)}, nil
		})
		if err != nil {
			return draft.keep(err)
		}
		draft.done()
		if v, err = questionDayFrom(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn, opts.Deck); err != nil {
			return err
		}
		if !opts.JSON {
			opts.IO.Printf("%s Saved your answer for %s (%s)\n\n", opts.IO.Palette().Green("✓"), dayNameAt(opts.Now(), day), saved.Path)
		}
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	opts.IO.printQuestion(v, dayNameAt(opts.Now(), day))
	opts.IO.printAnswers(v, who, "")
	return nil
}

// runAskSkip passes on the question of day for both partners: a skip entry
// naming it, after which both clones deal the next question for the day.
// Once someone has answered, the question stays: a skip would leave their
// answer under a question the other never sees.
func runAskSkip(ctx context.Context, opts *askOptions, day civil.Date) error {
	if _, err := writeDayAt(opts.Date, opts.Now()); err != nil {
		return err
	}
	who, err := opts.Author()
	if err != nil {
		return err
	}
	j, err := opts.ReadJournal(ctx)
	if err != nil {
		return err
	}
	v, err := questionDay(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn)
	if err != nil {
		return err
	}
	for _, n := range youFirst(who, sortedKeys(v.Answered)) {
		if v.Answered[n] {
			name := displayName(n) + " has"
			if n == who {
				name = "you have"
			}
			return withHint(usagef("%s already answered %s's question: it stays", name, dayNameAt(opts.Now(), day)),
				"a question you'd rather not answer can wait: leave it for tomorrow")
		}
	}
	passed := v
	j, err = opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := journal.New(journal.KindSkip, who, day, opts.Now())
		e.SetIntField(journal.FieldQuestionID, passed.QuestionID)
		e.SetField(journal.FieldQuestion, passed.Question)
		e.Path = journal.PathFor(e, j.Store.Exists)
		return fmt.Sprintf("skip: %s %s", who, day), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	if v, err = questionDay(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn); err != nil {
		return err
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	opts.IO.Printf("%s Passed on: %s\n  The next question takes its place, for both of you.\n\n",
		opts.IO.Palette().Green("✓"), oneLine(passed.Question))
	opts.IO.printQuestion(v, dayNameAt(opts.Now(), day))
	opts.IO.printAnswers(v, who, "")
	return nil
}

// stormDeckJSON is one deck in 'ask --decks --json'.
type stormDeckJSON struct {
	Name      string `json:"name"`
	Title     string `json:"title"`
	About     string `json:"about"`
	Questions int    `json:"questions"`
	Ideas     int    `json:"ideas"`
}

// listStormDecks prints the decks for life's storms.
func listStormDecks(io *IOStreams, asJSON bool) error {
	var out []stormDeckJSON
	for _, s := range prompts.Storms() {
		out = append(out, stormDeckJSON{s.Name, s.Title, s.About, len(s.Questions), len(s.Ideas)})
	}
	if asJSON {
		return writeJSONTo(io.Out, out)
	}
	p := io.Palette()
	io.Printf("%s\n", p.Bold("Decks for life's storms"))
	for _, d := range out {
		io.Printf("  %-13s %s %s\n", d.Name, d.About, p.Dim(fmt.Sprintf("(%d questions, %d ideas)", d.Questions, d.Ideas)))
	}
	io.Printf("\nreconnect ask --deck NAME · reconnect idea --deck NAME\n")
	return nil
}

// printQuestion prints the question of the day named dayName, or a storm
// deck's question.
func (s *IOStreams) printQuestion(v askView, dayName string) {
	p := s.Palette()
	title := "Question of the day"
	if v.Deck != "" {
		title = "Question from the " + oneLine(v.Deck) + " deck"
		if st, err := prompts.StormNamed(v.Deck); err == nil {
			title = "Question from the " + strings.ToLower(st.Title) + " deck"
		}
	}
	s.Printf("%s %s\n", p.Bold(title), p.Dim("("+dayName+")"))
	s.Printf("  %s\n\n", oneLine(v.Question))
}

// printAnswers prints who has answered, and the answers who may see.
func (a *App) printAnswers(v askView, who, indent string) { a.IO.printAnswers(v, who, indent) }

// printAnswers prints who has answered, and the answers who may see.
func (s *IOStreams) printAnswers(v askView, who, indent string) {
	p := s.Palette()
	for _, n := range youFirst(who, sortedKeys(v.Answered)) {
		label := displayName(n)
		if n == who {
			label = "You"
		}
		text, visible := v.Answers[n]
		switch {
		case visible:
			s.Printf("%s  %s %s:\n", indent, p.Green("✓"), label)
			for _, line := range strings.Split(text, "\n") {
				s.Printf("%s      %s\n", indent, line)
			}
		case v.Answered[n] && v.Answered[who]:
			s.Printf("%s  %s %s has answered — sealed until their computer syncs again and reveals it\n", indent, p.Magenta("?"), label)
		case v.Answered[n]:
			s.Printf("%s  %s %s has answered — answer to see it\n", indent, p.Magenta("?"), label)
		case n == who:
			s.Printf("%s  %s You have not answered yet: reconnect ask --answer \"...\"\n", indent, p.Dim("·"))
		default:
			s.Printf("%s  %s %s has not answered yet\n", indent, p.Dim("·"), label)
		}
	}
}
