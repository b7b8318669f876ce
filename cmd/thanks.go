package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

type thanksOptions struct {
	Date civil.Date
	Text string
}

func newThanksCmd(a *App) *cobra.Command {
	opts := &thanksOptions{}
	c := &cobra.Command{
		Use:     "thanks TEXT",
		Aliases: []string{"gratitude"},
		Short:   "Write a gratitude note for your partner",
		Long: `Write down one thing you are grateful for about your partner. Many a day
is fine: each note is its own small file. With no TEXT, piped input is the
note (up to 1 MiB: more is refused, never cut short), or a prompt asks for
it at a terminal.`,
		Example: `  reconnect thanks "You made coffee before I woke up"
  reconnect gratitude "Listening to me vent about work"
  reconnect thanks --date 2026-11-20 "The walk by the river"`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Text = strings.Join(args, " ")
			return runThanks(c.Context(), a, opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day the note is for (default today)")
	return c
}

func runThanks(ctx context.Context, a *App, opts *thanksOptions) error {
	saved, day, err := a.writeNote(ctx, journal.KindThanks, opts.Text, opts.Date, "gratitude note",
		"What are you grateful for today?", "You made coffee before I woke up.")
	if err != nil {
		return err
	}
	a.IO.Printf("%s Saved a gratitude note for %s (%s)\n", a.IO.Palette().Green("✓"), a.dayName(day), saved.Path)
	return nil
}

// writeNote saves a free-text entry of a many-a-day kind (a gratitude note,
// a win): the text given, piped in, or asked for; one commit.
func (a *App) writeNote(ctx context.Context, kind journal.Kind, given string, date civil.Date, what, question, example string) (*journal.Entry, civil.Date, error) {
	text, err := a.textArg(ctx, given, what, question, example)
	if err != nil {
		return nil, date, err
	}
	day, err := a.writeDay(date)
	if err != nil {
		return nil, day, err
	}
	var saved *journal.Entry
	_, err = a.write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := a.newEntry(kind, who, day)
		e.SetSection("", text)
		e.Path = journal.PathFor(e, j.Store.Exists)
		saved = e
		return fmt.Sprintf("%s: %s %s", kind, who, day), []gitsync.Change{changeFor(e)}, nil
	})
	return saved, day, err
}

// textArg is a free-text argument: given, piped in, or asked for at a
// terminal. It is cleaned and refused when empty or holding control
// characters.
func (a *App) textArg(ctx context.Context, given, what, question, example string) (string, error) {
	switch {
	case given != "":
	case !a.IO.InTTY:
		m, err := readAllText(a.IO.In)
		if err != nil {
			return "", err
		}
		given = m
	case a.IO.CanPrompt():
		answers, err := a.Prompter.Form(ctx, "", []FormField{{Key: "text", Title: question, Placeholder: example}})
		if err != nil {
			return "", err
		}
		given = answers["text"]
	}
	text, err := journal.CleanText(given)
	if err != nil {
		return "", badInput(fmt.Errorf("%s: %w", what, err))
	}
	return text, nil
}
