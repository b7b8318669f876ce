package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// beginOffer is the one line a new journal's screens offer 'begin' with.
const beginOffer = "New here together? reconnect begin"

// beginNewDays is how young a journal is, in days, while the evening
// screen still offers 'begin'.
const beginNewDays = 7

// beginOptions is what 'begin' uses: its dependencies (filled from the App
// by the constructor), then its flags.
type beginOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)
	Prompter    Prompter
	OpenDraft   func(ritual, what, who string, day civil.Date) *formDraft

	Date civil.Date
	// Given is heading -> text from --gap, --step and --say.
	Given map[string]string
}

// newBeginCmd is 'begin'. runF runs it, given the options filled from the
// flags; nil is runBegin (tests pass their own to see how flags are read).
func newBeginCmd(a *App, runF func(context.Context, *beginOptions) error) *cobra.Command {
	if runF == nil {
		runF = runBegin
	}
	opts := &beginOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal,
		Write: a.write, Prompter: a.Prompter, OpenDraft: a.openDraft}
	var gap, step, say string
	c := &cobra.Command{
		Use:   "begin",
		Short: "Start together: name the gap between you and one small step to close it",
		Long: `The guide's opening, for each of you: getting back on track "starts with
simply admitting there's a gap between you and agreeing to close it, one
small, deliberate step at a time".

Each partner writes their own beginning: the gap in your own words, one
small step you will take, and something said out loud (the guide's "Okay,
this feels a little weird, but I'm really glad we're trying", unless you
say it your own way). It is saved as an entry you both read with
'reconnect show' and 'reconnect log'.

At a terminal with no flags, a short form asks for each. Otherwise give
--gap and --step (and --say), or pipe Markdown with '## The gap',
'## One small step' and '## Out loud' headings. Running it again the same
day updates that day's beginning.`,
		Example: `  reconnect begin
  reconnect begin --gap "We only talk logistics" --step "Five minutes each evening"
  printf '## The gap\nWe drifted\n\n## One small step\nA walk on Sundays\n' | reconnect begin`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Given = map[string]string{}
			texts := prompts.BeginTexts()
			headings := map[string]string{"gap": texts.Steps[0].Heading, "step": texts.Steps[1].Heading, "say": texts.Closing.Heading}
			values := map[string]string{"gap": gap, "step": step, "say": say}
			for _, flag := range []string{"gap", "step", "say"} {
				if !c.Flags().Changed(flag) {
					continue
				}
				text, err := journal.CleanText(values[flag])
				if err != nil {
					return badInput(fmt.Errorf("--%s: %w", flag, err))
				}
				opts.Given[headings[flag]] = text
			}
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day of the beginning (default today)")
	c.Flags().StringVar(&gap, "gap", "", "the gap between you, in your own words")
	c.Flags().StringVar(&step, "step", "", "one small step you will take to close it")
	c.Flags().StringVar(&say, "say", "", "what you say out loud (default the guide's \"this feels a little weird, but I'm really glad we're trying\")")
	return c
}

func runBegin(ctx context.Context, opts *beginOptions) error {
	day, err := writeDayAt(opts.Date, opts.Now())
	if err != nil {
		return err
	}
	who, err := opts.Author()
	if err != nil {
		return err
	}
	texts := prompts.BeginTexts()
	given := opts.Given
	var draft *formDraft
	if len(given) == 0 {
		switch {
		case !opts.IO.InTTY:
			given, err = readBegin(opts.IO.In, texts)
		case opts.IO.CanPrompt():
			if opts.OpenDraft != nil {
				draft = opts.OpenDraft("begin", "beginning", who, day)
			}
			given, err = beginForm(ctx, opts.Prompter, texts, draft)
		default:
			err = usagef("nothing to save: give --gap and --step, or pipe Markdown in")
		}
		if err != nil {
			return draft.keep(err)
		}
	}
	gapH, stepH, sayH := texts.Steps[0].Heading, texts.Steps[1].Heading, texts.Closing.Heading
	if given[gapH] == "" || given[stepH] == "" {
		return draft.keep(withHint(usagef("a beginning names the gap and one small step to close it"),
			"give both: --gap \"...\" --step \"...\""))
	}
	if given[sayH] == "" {
		given[sayH] = texts.Closing.Text
	}
	var saved *journal.Entry
	j, err := opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newEntryAt(journal.KindBegin, who, day, opts.Now())
		e.Path = journal.PathFor(e, nil)
		if old, err := j.Store.Read(e.Path); err == nil {
			e = old
		} else if !errors.Is(err, journal.ErrNotFound) {
			return "", nil, err
		}
		for _, h := range []string{gapH, stepH, sayH} {
			e.SetSection(h, given[h])
		}
		saved = e
		return fmt.Sprintf("begin: %s %s", who, day), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return draft.keep(err)
	}
	draft.done()
	p := opts.IO.Palette()
	opts.IO.Printf("%s Saved your beginning for %s (%s)\n", p.Green("✓"), dayNameAt(opts.Now(), day), saved.Path)
	opts.IO.Printf("\n  %s\n", oneLine(given[sayH]))
	// The partner's own beginning, when they wrote one this past year.
	theirs, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-366), Until: day, Kinds: []journal.Kind{journal.KindBegin}})
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	for _, e := range latestBeginnings(theirs, who) {
		opts.IO.Printf("\n%s's beginning %s:\n", displayName(e.Author), relDayAt(opts.Now(), e.Date))
		opts.IO.renderSections(opts.IO.Out, e, "  ")
	}
	opts.IO.Printf("\n%s\n", p.Dim("Your partner reads it with 'reconnect log --kind begin'. Consistency over grand gestures: one small step at a time."))
	return nil
}

// latestBeginnings is, of entries, the newest beginning of each author but
// who (by date, then created time; a conflict copy left out), in the
// order of the authors' names: one each, however many a partner's clone
// holds.
func latestBeginnings(entries []*journal.Entry, who string) []*journal.Entry {
	latest := map[string]*journal.Entry{}
	for _, e := range entries {
		if e.Kind != journal.KindBegin || e.Author == who || !isPlainPath(e.Path) {
			continue
		}
		if l := latest[e.Author]; l == nil || l.Date.Before(e.Date) || l.Date == e.Date && l.Created.Before(e.Created) {
			latest[e.Author] = e
		}
	}
	var out []*journal.Entry
	for _, a := range sortedKeys(latest) {
		out = append(out, latest[a])
	}
	return out
}

// beginForm asks the beginning in one form at a terminal, the closing line
// filled in with the guide's words.
func beginForm(ctx context.Context, pr Prompter, texts prompts.Begin, draft *formDraft) (map[string]string, error) {
	var fields []FormField
	for _, s := range texts.Steps {
		fields = append(fields, FormField{Key: s.Heading, Title: s.Prompt, Description: s.Hint, Placeholder: s.Example})
	}
	fields = append(fields, FormField{Key: texts.Closing.Heading, Title: "And out loud, to each other",
		Description: "Acknowledge the awkwardness, and maybe even have a laugh about it.", Value: texts.Closing.Text})
	draft.fill(fields)
	answers, err := pr.Form(ctx, texts.Intro, fields)
	draft.answered(answers)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range fields {
		text, err := journal.CleanText(answers[f.Key])
		switch {
		case err == nil:
			out[f.Key] = text
		case !errors.Is(err, journal.ErrEmptyText):
			return nil, badInput(fmt.Errorf("%s: %w", f.Key, err))
		}
	}
	return out, nil
}

// readBegin reads a piped beginning: Markdown under the begin headings.
func readBegin(r io.Reader, texts prompts.Begin) (map[string]string, error) {
	known := []string{texts.Steps[0].Heading, texts.Steps[1].Heading, texts.Closing.Heading}
	var hs []string
	for _, h := range known {
		hs = append(hs, "'## "+h+"'")
	}
	hint := "write it under " + strings.Join(hs, ", ")
	data, err := readAllText(r)
	if err != nil {
		return nil, err
	}
	secs, err := headedSections(data, "the piped beginning", withHint(usagef("piped beginning has text outside a '## ' heading"), "%s", hint))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, s := range secs {
		h := ""
		for _, k := range known {
			if strings.EqualFold(strings.TrimSpace(s.Heading), k) {
				h = k
			}
		}
		if h == "" {
			return nil, withHint(usagef("piped beginning has '## %s', which is not part of a beginning", oneLine(strings.TrimSpace(s.Heading))), "%s", hint)
		}
		text, err := journal.CleanText(s.Text)
		if err != nil && !errors.Is(err, journal.ErrEmptyText) {
			return nil, badInput(fmt.Errorf("%s: %w", h, err))
		}
		out[h] = text
	}
	return out, nil
}

// beginDue says whether the evening screen offers 'begin' to who on day:
// the journal is new (nothing in recent, every entry of the last weeks up
// to day, is older than beginNewDays) and who has written no beginning.
func beginDue(recent []*journal.Entry, who string, day civil.Date) bool {
	for _, e := range recent {
		if e.Date.Before(day.AddDays(-beginNewDays)) || e.Kind == journal.KindBegin && e.Author == who {
			return false
		}
	}
	return true
}
