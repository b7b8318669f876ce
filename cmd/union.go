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

// unionOptions is what 'union' uses: its dependencies (filled from the App
// by the constructor), then its flags.
type unionOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)
	Prompter    Prompter
	Editor      Editor
	Getenv      func(string) string // the environment the editor is named in
	OpenDraft   func(ritual, what, who string, day civil.Date) *formDraft
	UnionEvery  func() int // days between two States of the Union (union.every)

	Date civil.Date
	Edit bool
}

// newUnionCmd is 'union'. runF runs it, given the options filled from the
// flags; nil is runUnion.
func newUnionCmd(a *App, runF func(context.Context, *unionOptions) error) *cobra.Command {
	if runF == nil {
		runF = runUnion
	}
	opts := &unionOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Write: a.write,
		Prompter: a.Prompter, Editor: a.Editor, Getenv: a.Getenv, OpenDraft: a.openDraft,
		UnionEvery: func() int { return a.cfg.unionEvery() }}
	c := &cobra.Command{
		Use:   "union",
		Short: "Hold your State of the Union: a weekly check-in on the two of you",
		Long: `The State of the Union is dedicated time to connect on a deeper, more
strategic level; not a time to air every little grievance. At a terminal
'union' walks you through the agenda, one question at a time:

  Appreciations            what your partner did this week that you're grateful for
  What went right          the small wins, for each of you and for the two of you
  What's stressing us out  and how to support each other this week
  Are we still on track    the plans you share: money, home, family, time
  How are we doing         what made you feel loved this week
  One thing, gently        one issue: "I feel ... about ... I need ..."
  Feeling loved this week  what can I do this week to make you feel more loved?

Leave a question empty to skip it. Your notes are saved as one entry; each of
you keeps your own. --edit writes them in $EDITOR, and piped Markdown is read
by the same '## ' headings. 'reconnect today' says when the next one is due
(every 7 days unless 'reconnect config set union.every N').

If you stop the walk (Ctrl-C), or the notes cannot be saved, the answers so
far are kept as a draft on this computer only, never committed or synced
(in $XDG_STATE_HOME/reconnect/drafts or ~/.local/state/reconnect/drafts).
The next 'reconnect union' for that day at a terminal fills the questions
with them, and saving removes the draft; a draft for another day is
mentioned once. Piped input and --edit leave drafts alone. A draft is
dropped after 7 days.

Piped text and text from the editor may be up to 1 MiB: more is refused
with exit 2 and nothing is saved, never cut short.`,
		Example: `  reconnect union
  reconnect union --edit
  reconnect union --date 2026-11-15 --edit        # notes from Sunday's meeting
  printf '## Appreciations\nThe soup on Tuesday\n' | reconnect union`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day of the meeting (default today)")
	c.Flags().BoolVarP(&opts.Edit, "edit", "e", false, "write your notes in $VISUAL or $EDITOR")
	return c
}

func runUnion(ctx context.Context, opts *unionOptions) error {
	day, err := writeDayAt(opts.Date, opts.Now())
	if err != nil {
		return err
	}
	who, err := opts.Author()
	if err != nil {
		return err
	}
	agenda := prompts.UnionAgenda()
	existing, err := readOwn(opts.OpenJournal, journal.KindUnion, who, day, opts.Now())
	if err != nil {
		return err
	}
	var given map[string]string
	var draft *formDraft
	switch {
	case opts.Edit:
		given, err = editSections(ctx, opts.Editor, opts.Getenv, unionTemplate(day, agenda, existing))
	case !opts.IO.InTTY:
		given, err = readAgenda(opts.IO.In, agenda)
	case opts.IO.CanPrompt():
		draft = opts.OpenDraft("union", "State of the Union notes", who, day)
		given, err = opts.walk(ctx, agenda, existing, draft)
	default:
		err = withHint(usagef("nothing to save: pipe Markdown in, or use --edit"),
			"write your notes under the agenda's '## ' headings; see 'reconnect union --help'")
	}
	if err != nil {
		return draft.keep(err)
	}
	if !hasText(given) && !opts.Edit {
		return withHint(usagef("an empty State of the Union is not saved"), "answer at least one question of the agenda")
	}
	var saved *journal.Entry
	j, err := opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newEntryAt(journal.KindUnion, who, day, opts.Now())
		e.Path = journal.PathFor(e, nil)
		if old, err := j.Store.Read(e.Path); err == nil {
			e = old
		} else if !errors.Is(err, journal.ErrNotFound) {
			return "", nil, err
		}
		for _, s := range agenda { // the agenda's order for new sections
			if text, ok := given[s.Heading]; ok {
				e.SetSection(s.Heading, text)
			}
		}
		for heading, text := range given {
			if canonicalHeading(agenda, heading) == "" {
				e.SetSection(heading, text)
			}
		}
		if len(e.Sections()) == 0 {
			return "", nil, usagef("an empty State of the Union is not saved")
		}
		saved = e
		return fmt.Sprintf("union: %s %s", who, day), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return draft.keep(err)
	}
	draft.done()
	p := opts.IO.Palette()
	opts.IO.Printf("%s Saved your State of the Union notes for %s (%s)\n", p.Green("✓"), dayNameAt(opts.Now(), day), saved.Path)
	opts.IO.Printf("The next one is due %s.\n", strings.TrimPrefix(relDayAt(opts.Now(), day.AddDays(opts.UnionEvery())), "on "))
	partners, warnings, err := j.Store.List(journal.Query{Since: day, Until: day, Kinds: []journal.Kind{journal.KindUnion}})
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	for _, e := range partners {
		if e.Author != who {
			opts.IO.Printf("\n%s's notes %s:\n", displayName(e.Author), relDayAt(opts.Now(), day))
			opts.IO.renderSections(opts.IO.Out, e, "  ")
		}
	}
	return nil
}

// readOwn is who's entry of a one-per-author-per-day kind on day, or nil;
// open opens the journal, now is the time now.
func readOwn(open func(create bool) (*Journal, error), kind journal.Kind, who string, day civil.Date, now time.Time) (*journal.Entry, error) {
	j, err := open(false)
	if errors.Is(err, errNoJournal) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e, err := j.Store.Read(journal.PathFor(journal.New(kind, who, day, now), nil))
	if errors.Is(err, journal.ErrNotFound) {
		return nil, nil
	}
	return e, err
}

// walk asks the agenda one step at a time, each filled with the day's
// notes and then with the draft, if any. Each step's answer, even
// interrupted, goes to the draft: stopped at a step, the draft holds the
// steps before it and what was typed in it.
func (opts *unionOptions) walk(ctx context.Context, agenda []prompts.Step, existing *journal.Entry, draft *formDraft) (map[string]string, error) {
	p := opts.IO.Palette()
	opts.IO.Printf("%s\nNot a time to air every little grievance: dedicated time to connect.\nLeave a question empty to skip it.\n\n",
		p.Bold("State of the Union"))
	out := map[string]string{}
	for i, s := range agenda {
		f := FormField{Key: s.Heading, Title: s.Prompt, Description: s.Hint, Placeholder: s.Example}
		if existing != nil {
			f.Value, _ = existing.Section(s.Heading)
		}
		fields := []FormField{f}
		draft.fill(fields)
		f = fields[0]
		answers, err := opts.Prompter.Form(ctx, fmt.Sprintf("%d of %d · %s", i+1, len(agenda), s.Heading), fields)
		draft.answered(answers)
		if err != nil {
			return nil, err
		}
		text, err := journal.CleanText(answers[s.Heading])
		switch {
		case err == nil:
			out[s.Heading] = text
		case errors.Is(err, journal.ErrEmptyText):
			if f.Value != "" {
				out[s.Heading] = "" // cleared: remove it
			}
		default:
			return nil, badInput(fmt.Errorf("%s: %w", s.Heading, err))
		}
	}
	return out, nil
}

func unionTemplate(day civil.Date, agenda []prompts.Step, existing *journal.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Your State of the Union notes for %s. Write under each heading;\n", day)
	b.WriteString("     leave one empty to skip it. This comment is ignored.\n")
	for _, s := range agenda {
		fmt.Fprintf(&b, "     %s: %s\n       %s\n", s.Heading, s.Prompt, s.Hint)
	}
	b.WriteString("-->\n")
	for _, s := range agenda {
		text := ""
		if existing != nil {
			text, _ = existing.Section(s.Heading)
		}
		fmt.Fprintf(&b, "\n## %s\n%s\n", s.Heading, text)
	}
	return b.String()
}

// readAgenda reads piped Markdown by '## ' headings. A heading of the agenda
// is matched without regard to case and saved with the agenda's spelling;
// other headings are kept as they are.
func readAgenda(r io.Reader, agenda []prompts.Step) (map[string]string, error) {
	data, err := readAllText(r)
	if err != nil {
		return nil, err
	}
	secs, err := headedSections(data, "the piped State of the Union",
		withHint(usagef("piped State of the Union has text outside a '## ' heading"),
			"write it under the agenda's headings, like '## Appreciations'; see 'reconnect union --help'"))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, s := range secs {
		if strings.TrimSpace(s.Text) == "" {
			continue
		}
		text, err := journal.CleanText(s.Text)
		if err != nil {
			return nil, badInput(fmt.Errorf("%s: %w", s.Heading, err))
		}
		heading := s.Heading
		if c := canonicalHeading(agenda, heading); c != "" {
			heading = c
		}
		out[heading] = text
	}
	if len(out) == 0 {
		return nil, withHint(usagef("an empty State of the Union is not saved: nothing was piped in"),
			"pipe Markdown with the agenda's '## ' headings, or use --edit")
	}
	return out, nil
}

// canonicalHeading is the agenda's spelling of heading, or "".
func canonicalHeading(agenda []prompts.Step, heading string) string {
	for _, s := range agenda {
		if strings.EqualFold(strings.TrimSpace(heading), s.Heading) {
			return s.Heading
		}
	}
	return ""
}

// unionView is whether a State of the Union is due: part of 'today'.
type unionView struct {
	Due       bool   `json:"due"`
	Every     int    `json:"every"`
	Last      string `json:"last"`       // YYYY-MM-DD of the last one by either of you, "" when none
	DaysSince int    `json:"days_since"` // -1 when none
}

// unionDue looks for the last State of the Union by either partner on or
// before day, within the last union.every days and a year: one is due when
// there was none in the last union.every days.
func (a *App) unionDue(j *Journal, day civil.Date) (unionView, error) {
	return unionDue(j, day, a.cfg.unionEvery(), a.warn)
}

// unionDue is [App.unionDue] with union.every given, warnings about files
// that could not be read going to warn.
func unionDue(j *Journal, day civil.Date, every int, warn func([]error)) (unionView, error) {
	v := unionView{Every: every, DaysSince: -1}
	entries, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-max(every, 366)), Until: day,
		Kinds: []journal.Kind{journal.KindUnion}})
	if err != nil {
		return v, err
	}
	warn(warnings)
	var last civil.Date
	if len(entries) > 0 { // newest first
		last = entries[0].Date
		v.Last = last.String()
		v.DaysSince = day.DaysSince(last)
	}
	v.Due = journal.UnionDue(last, day, every)
	return v, nil
}
