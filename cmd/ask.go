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

	Date   civil.Date
	Answer string
	Given  bool // --answer was given
	JSON   bool
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
("What's one small fear you've had on your mind lately?"). No question comes
back until the whole deck has been asked.

Your partner's answer stays hidden until you have written yours, so neither
of you answers in the other's shadow. At a terminal, 'ask' offers to take
your answer when you have not given one; --answer - reads it from stdin
(up to 1 MiB: more is refused, never cut short). Answering again the same
day replaces your answer.

If you stop the form (Ctrl-C), or the answer cannot be saved, what you typed
is kept as a draft on this computer only ($XDG_STATE_HOME/reconnect/drafts,
or ~/.local/state/reconnect/drafts): never committed or synced. The next
'reconnect ask' for that day at a terminal fills the form with it; saving
it, or leaving it empty, removes it. A draft is dropped after 7 days.`,
		Example: `  reconnect ask
  reconnect ask --answer "Honestly? Tired, but happy we're doing this."
  echo "The walk after dinner" | reconnect ask --answer -
  reconnect ask --date 2026-11-20          # a day you missed
  reconnect ask --json | jq -r .question`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Given = c.Flags().Changed("answer")
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day whose question to show or answer (default today)")
	c.Flags().StringVar(&opts.Answer, "answer", "", "your answer (- reads it from stdin)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the question and the answers you may see as JSON")
	return c
}

// askView is the question of a day and the answers you may see: also the
// JSON of 'ask', and the question part of 'today'.
type askView struct {
	Date       string            `json:"date"`
	Question   string            `json:"question"`
	QuestionID int               `json:"question_id"`
	Depth      string            `json:"depth"`
	You        string            `json:"you"`
	Answered   map[string]bool   `json:"answered"`
	Answers    map[string]string `json:"answers"`

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
	q := prompts.QuestionOf(day)
	v := askView{Date: day.String(), Question: q.Text, QuestionID: q.ID, Depth: q.Depth, You: who,
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
	for _, e := range entries {
		text, _ := e.Section("")
		if _, seen := all[e.Author]; seen && !isPlainPath(e.Path) {
			continue
		}
		all[e.Author] = text
		v.paths[e.Author] = e.Path
		v.Answered[e.Author] = true
		if e.Author == who {
			if asked, ok := e.Field(journal.FieldQuestion); ok && asked != "" && asked != q.Text {
				// The deck changed since it was answered: show what was asked.
				v.Question = asked
				v.QuestionID, _ = e.IntField(journal.FieldQuestionID)
			}
		}
	}
	for _, n := range recent {
		if _, ok := v.Answered[n]; !ok {
			v.Answered[n] = false
		}
	}
	for n, text := range all {
		if journal.MaySeeAnswer(who, n, v.Answered[who]) {
			v.Answers[n] = text
		}
	}
	return v, nil
}

func runAsk(ctx context.Context, opts *askOptions) error {
	day := dayOr(opts.Date, opts.Now())
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
	v, err := questionDay(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn)
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
			saved = e
			return fmt.Sprintf("answer: %s %s", who, day), []gitsync.Change{changeFor(e)}, nil
		})
		if err != nil {
			return draft.keep(err)
		}
		draft.done()
		if v, err = questionDay(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn); err != nil {
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

// printQuestion prints the question of the day named dayName.
func (s *IOStreams) printQuestion(v askView, dayName string) {
	p := s.Palette()
	s.Printf("%s %s\n", p.Bold("Question of the day"), p.Dim("("+dayName+")"))
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
		case v.Answered[n]:
			s.Printf("%s  %s %s has answered — answer to see it\n", indent, p.Magenta("?"), label)
		case n == who:
			s.Printf("%s  %s You have not answered yet: reconnect ask --answer \"...\"\n", indent, p.Dim("·"))
		default:
			s.Printf("%s  %s %s has not answered yet\n", indent, p.Dim("·"), label)
		}
	}
}
