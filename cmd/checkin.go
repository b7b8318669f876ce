package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// checkinOptions is what 'checkin' uses: its dependencies (filled from the
// App by the constructor), then its flags.
type checkinOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)
	Prompter    Prompter
	Editor      Editor
	Getenv      func(string) string // the environment the editor is named in
	OpenDraft   func(ritual, what, who string, day civil.Date) *formDraft

	Date  civil.Date
	Given map[string]string // heading -> text from flags
	Edit  bool
}

// newCheckinCmd is 'checkin'. runF runs it, given the options filled from
// the flags; nil is runCheckin.
func newCheckinCmd(a *App, runF func(context.Context, *checkinOptions) error) *cobra.Command {
	if runF == nil {
		runF = runCheckin
	}
	opts := &checkinOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Write: a.write,
		Prompter: a.Prompter, Editor: a.Editor, Getenv: a.Getenv, OpenDraft: a.openDraft}
	var rose, bud, thorn string
	c := &cobra.Command{
		Use:   "checkin",
		Short: "Share your Rose, Bud and Thorn for the day",
		Long: `Share three small things from your day with your partner:

  Rose   one positive thing that happened today
  Bud    something you are looking forward to
  Thorn  one small challenge you dealt with

With no flags at a terminal, a short form asks for each. Piped input is read
as Markdown with '## Rose', '## Bud' and '## Thorn' headings. Every field is
optional, but a check-in needs at least one.

Running it again the same day updates that day's check-in: the fields you
give replace the old ones, the others stay. After saving, your partner's
check-in for the day is shown when there is one.

If you stop the form (Ctrl-C), or what you typed cannot be saved, it is kept
as a draft on this computer only ($XDG_STATE_HOME/reconnect/drafts, or
~/.local/state/reconnect/drafts): never committed or synced. The next
'reconnect checkin' for that day at a terminal fills the form with it, and
saving removes it; a draft for another day is mentioned once. Flags, piped
input and --edit leave drafts alone. A draft is dropped after 7 days.

Piped text and text from the editor may be up to 1 MiB: more is refused
with exit 2 and nothing is saved, never cut short.`,
		Example: `  reconnect checkin
  reconnect checkin --rose "My boss loved the project" --thorn "The commute"
  reconnect checkin --bud "The hike this weekend"      # add to today's
  reconnect checkin --edit                             # in $EDITOR
  reconnect checkin --date 2026-11-20 --rose "..."     # a forgotten evening
  printf '## Rose\nA long lunch together\n' | reconnect checkin`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			opts.Given = map[string]string{}
			for flag, heading := range map[string]string{"rose": "Rose", "bud": "Bud", "thorn": "Thorn"} {
				if c.Flags().Changed(flag) {
					v := map[string]string{"rose": rose, "bud": bud, "thorn": thorn}[flag]
					text, err := journal.CleanText(v)
					if err != nil {
						return badInput(fmt.Errorf("--%s: %w", flag, err))
					}
					opts.Given[heading] = text
				}
			}
			if opts.Edit && len(opts.Given) > 0 {
				return usagef("--edit cannot be combined with --rose, --bud or --thorn")
			}
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day of the check-in (default today)")
	c.Flags().StringVar(&rose, "rose", "", "one positive thing that happened today")
	c.Flags().StringVar(&bud, "bud", "", "something you are looking forward to")
	c.Flags().StringVar(&thorn, "thorn", "", "one small challenge you dealt with")
	c.Flags().BoolVarP(&opts.Edit, "edit", "e", false, "write the check-in in $VISUAL or $EDITOR")
	return c
}

func runCheckin(ctx context.Context, opts *checkinOptions) error {
	day, err := writeDayAt(opts.Date, opts.Now())
	if err != nil {
		return err
	}
	who, err := opts.Author()
	if err != nil {
		return err
	}
	given := opts.Given
	steps := prompts.CheckinSteps()
	var draft *formDraft
	if len(given) == 0 {
		// No flags: the editor, piped Markdown, or a form, in that order.
		existing, err := readOwn(opts.OpenJournal, journal.KindCheckin, who, day, opts.Now())
		if err != nil {
			return err
		}
		switch {
		case opts.Edit:
			given, err = editSections(ctx, opts.Editor, opts.Getenv, checkinTemplate(day, steps, existing))
		case !opts.IO.InTTY:
			given, err = readSections(opts.IO.In, "check-in")
		case opts.IO.CanPrompt():
			draft = opts.OpenDraft("checkin", "check-in", who, day)
			given, err = opts.form(ctx, day, steps, existing, draft)
		default:
			err = usagef("nothing to save: give --rose, --bud or --thorn, or pipe Markdown in")
		}
		if err != nil {
			return draft.keep(err)
		}
	}
	if !hasText(given) && !opts.Edit {
		return withHint(usagef("an empty check-in is not saved"),
			"give at least one of --rose, --bud or --thorn")
	}
	var saved *journal.Entry
	j, err := opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newEntryAt(journal.KindCheckin, who, day, opts.Now())
		e.Path = journal.PathFor(e, nil)
		if old, err := j.Store.Read(e.Path); err == nil {
			e = old
		} else if !errors.Is(err, journal.ErrNotFound) {
			return "", nil, err
		}
		for _, heading := range sectionOrder(steps, given) {
			e.SetSection(heading, given[heading])
		}
		if len(e.Sections()) == 0 {
			return "", nil, withHint(usagef("an empty check-in is not saved"),
				"give at least one of --rose, --bud or --thorn")
		}
		saved = e
		return fmt.Sprintf("checkin: %s %s", who, day), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return draft.keep(err)
	}
	draft.done()
	p := opts.IO.Palette()
	opts.IO.Printf("%s Saved your check-in for %s (%s)\n", p.Green("✓"), dayNameAt(opts.Now(), day), saved.Path)
	return showPartners(opts.IO, opts.Now(), j, who, day, journal.KindCheckin)
}

// showPartners prints the other partners' entries of kind on day; now is
// the time now.
func showPartners(io *IOStreams, now time.Time, j *Journal, who string, day civil.Date, kind journal.Kind) error {
	entries, warnings, err := j.Store.List(journal.Query{Since: day, Until: day, Kinds: []journal.Kind{kind}})
	if err != nil {
		return err
	}
	io.warn(warnings)
	for _, e := range entries {
		if e.Author == who {
			continue
		}
		io.Printf("\n%s's check-in %s:\n", displayName(e.Author), relDayAt(now, day))
		io.renderSections(io.Out, e, "  ")
	}
	return nil
}

// form asks Rose, Bud and Thorn in one form, filled with the day's
// check-in and then with the draft, if any; what it returns, even
// interrupted, goes to the draft.
func (opts *checkinOptions) form(ctx context.Context, day civil.Date, steps []prompts.Step, existing *journal.Entry, draft *formDraft) (map[string]string, error) {
	var fields []FormField
	for _, s := range steps {
		f := FormField{Key: s.Heading, Title: s.Heading, Description: s.Prompt, Placeholder: s.Example}
		if existing != nil {
			f.Value, _ = existing.Section(s.Heading)
		}
		fields = append(fields, f)
	}
	draft.fill(fields)
	answers, err := opts.Prompter.Form(ctx, "Check-in for "+dayNameAt(opts.Now(), day), fields)
	draft.answered(answers)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range fields {
		v, ok := answers[f.Key]
		if !ok {
			continue
		}
		text, err := journal.CleanText(v)
		switch {
		case err == nil:
			out[f.Key] = text
		case !errors.Is(err, journal.ErrEmptyText):
			return nil, badInput(fmt.Errorf("%s: %w", f.Key, err)) // not dropped without a word
		case existing != nil:
			if _, had := existing.Section(f.Key); had {
				out[f.Key] = "" // cleared in the form: remove it
			}
		}
	}
	return out, nil
}

func checkinTemplate(day civil.Date, steps []prompts.Step, existing *journal.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Your check-in for %s. Write under each heading; leave one empty to skip it.\n", day)
	for _, s := range steps {
		fmt.Fprintf(&b, "     %s: %s (e.g. %s)\n", s.Heading, s.Prompt, s.Example)
	}
	b.WriteString("     This comment is ignored. -->\n")
	for _, s := range steps {
		text := ""
		if existing != nil {
			text, _ = existing.Section(s.Heading)
		}
		fmt.Fprintf(&b, "\n## %s\n%s\n", s.Heading, text)
	}
	return b.String()
}

// editSections opens the editor on template and reads back its sections.
// A section left empty is returned with "" so that it is removed.
func (a *App) editSections(ctx context.Context, template string) (map[string]string, error) {
	return editSections(ctx, a.Editor, a.Getenv, template)
}

// editSections is [App.editSections] with the editor it opens and the
// environment that names it.
func editSections(ctx context.Context, ed Editor, getenv func(string) string, template string) (map[string]string, error) {
	dir, err := os.MkdirTemp("", "reconnect-edit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "entry.md")
	if err := os.WriteFile(path, []byte(template), 0o600); err != nil {
		return nil, err
	}
	if err := ed.Edit(ctx, getenv, path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	data, err := readText(f, "the text from the editor")
	f.Close()
	if err != nil {
		return nil, err
	}
	secs, err := headedSections(data, "the text from the editor",
		usagef("text above the first heading is not part of any section: put it under a '## ' heading"))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, s := range secs {
		text, err := journal.CleanText(s.Text)
		if err != nil && !errors.Is(err, journal.ErrEmptyText) {
			return nil, badInput(fmt.Errorf("%s: %w", s.Heading, err))
		}
		out[s.Heading] = text
	}
	if !hasText(out) {
		return nil, usagef("the editor was closed with nothing written: nothing saved")
	}
	return out, nil
}

// readSections reads piped Markdown: '## Heading' sections.
func readSections(r io.Reader, what string) (map[string]string, error) {
	data, err := readAllText(r)
	if err != nil {
		return nil, err
	}
	secs := journal.ParseSections(data)
	if len(secs) > 0 && secs[0].Heading == "" && strings.TrimSpace(secs[0].Text) != "" {
		return nil, withHint(usagef("piped %s has text outside a '## ' heading", what),
			"write it under '## Rose', '## Bud' or '## Thorn'")
	}
	if secs, err = mergeSections(secs, "the piped "+what); err != nil {
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
		out[s.Heading] = text
	}
	if len(out) == 0 {
		return nil, withHint(usagef("an empty %s is not saved: nothing was piped in", what),
			"pipe Markdown with '## Rose', '## Bud' or '## Thorn' headings, or use flags")
	}
	return out, nil
}

func hasText(m map[string]string) bool {
	for _, v := range m {
		if v != "" {
			return true
		}
	}
	return false
}

// sectionOrder is the order to write given sections in: the steps' order
// (Rose, Bud, Thorn), then any other headings alphabetically, so a new
// file reads the same whichever way it was written.
func sectionOrder(steps []prompts.Step, given map[string]string) []string {
	var out []string
	known := map[string]bool{}
	for _, s := range steps {
		known[strings.ToLower(s.Heading)] = true
		for h := range given {
			if strings.EqualFold(h, s.Heading) {
				out = append(out, h)
			}
		}
	}
	var rest []string
	for h := range given {
		if !known[strings.ToLower(h)] {
			rest = append(rest, h)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
