package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

type unionOptions struct {
	Date civil.Date
	Edit bool
}

func newUnionCmd(a *App) *cobra.Command {
	opts := &unionOptions{}
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
		RunE: func(c *cobra.Command, _ []string) error { return runUnion(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day of the meeting (default today)")
	c.Flags().BoolVarP(&opts.Edit, "edit", "e", false, "write your notes in $VISUAL or $EDITOR")
	return c
}

func runUnion(ctx context.Context, a *App, opts *unionOptions) error {
	day, err := a.writeDay(opts.Date)
	if err != nil {
		return err
	}
	who, err := a.author()
	if err != nil {
		return err
	}
	agenda := prompts.UnionAgenda()
	existing, err := a.readOwn(journal.KindUnion, who, day)
	if err != nil {
		return err
	}
	var given map[string]string
	var draft *formDraft
	switch {
	case opts.Edit:
		given, err = a.editSections(ctx, unionTemplate(day, agenda, existing))
	case !a.IO.InTTY:
		given, err = readAgenda(a.IO.In, agenda)
	case a.IO.CanPrompt():
		draft = a.openDraft("union", "State of the Union notes", who, day)
		given, err = a.unionWalk(ctx, agenda, existing, draft)
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
	j, err := a.write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := a.newEntry(journal.KindUnion, who, day)
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
	p := a.IO.Palette()
	a.IO.Printf("%s Saved your State of the Union notes for %s (%s)\n", p.Green("✓"), a.dayName(day), saved.Path)
	a.IO.Printf("The next one is due %s.\n", strings.TrimPrefix(a.relDay(day.AddDays(a.cfg.unionEvery())), "on "))
	partners, warnings, err := j.Store.List(journal.Query{Since: day, Until: day, Kinds: []journal.Kind{journal.KindUnion}})
	if err != nil {
		return err
	}
	a.warn(warnings)
	for _, e := range partners {
		if e.Author != who {
			a.IO.Printf("\n%s's notes %s:\n", displayName(e.Author), a.relDay(day))
			a.renderSections(a.IO.Out, e, "  ")
		}
	}
	return nil
}

// readOwn is who's entry of a one-per-author-per-day kind on day, or nil.
func (a *App) readOwn(kind journal.Kind, who string, day civil.Date) (*journal.Entry, error) {
	j, err := a.openJournal(false)
	if errors.Is(err, errNoJournal) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	e, err := j.Store.Read(journal.PathFor(journal.New(kind, who, day, a.Now()), nil))
	if errors.Is(err, journal.ErrNotFound) {
		return nil, nil
	}
	return e, err
}

// unionWalk asks the agenda one step at a time, each filled with the day's
// notes and then with the draft, if any. Each step's answer, even
// interrupted, goes to the draft: stopped at a step, the draft holds the
// steps before it and what was typed in it.
func (a *App) unionWalk(ctx context.Context, agenda []prompts.Step, existing *journal.Entry, draft *formDraft) (map[string]string, error) {
	p := a.IO.Palette()
	a.IO.Printf("%s\nNot a time to air every little grievance: dedicated time to connect.\nLeave a question empty to skip it.\n\n",
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
		answers, err := a.Prompter.Form(ctx, fmt.Sprintf("%d of %d · %s", i+1, len(agenda), s.Heading), fields)
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
	every := a.cfg.unionEvery()
	v := unionView{Every: every, DaysSince: -1}
	entries, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-max(every, 366)), Until: day,
		Kinds: []journal.Kind{journal.KindUnion}})
	if err != nil {
		return v, err
	}
	a.warn(warnings)
	if len(entries) > 0 { // newest first
		last := entries[0].Date
		v.Last = last.String()
		v.DaysSince = day.DaysSince(last)
	}
	v.Due = v.DaysSince < 0 || v.DaysSince >= every
	return v, nil
}
