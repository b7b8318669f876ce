package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// thanksOptions is what 'thanks' uses: its dependencies (filled from the
// App by the constructor), then its flags.
type thanksOptions struct {
	IO       *IOStreams
	Now      func() time.Time
	Prompter Prompter
	Write    func(ctx context.Context, fn writeFunc) (*Journal, error)

	Date civil.Date
	Text string
}

// newThanksCmd is 'thanks'. runF runs it, given the options filled from the
// flags; nil is runThanks.
func newThanksCmd(a *App, runF func(context.Context, *thanksOptions) error) *cobra.Command {
	if runF == nil {
		runF = runThanks
	}
	opts := &thanksOptions{IO: a.IO, Now: a.clock(), Prompter: a.Prompter, Write: a.write}
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
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day the note is for (default today)")
	return c
}

func runThanks(ctx context.Context, opts *thanksOptions) error {
	n := note{IO: opts.IO, Now: opts.Now, Prompter: opts.Prompter, Write: opts.Write,
		kind: journal.KindThanks, what: "gratitude note",
		question: "What are you grateful for today?", example: "You made coffee before I woke up."}
	saved, day, err := n.write(ctx, opts.Text, opts.Date)
	if err != nil {
		return err
	}
	opts.IO.Printf("%s Saved a gratitude note for %s (%s)\n", opts.IO.Palette().Green("✓"), dayNameAt(opts.Now(), day), saved.Path)
	return nil
}

// note is a free-text entry of a many-a-day kind (a gratitude note, a win):
// what writing one uses, and how it is asked for.
type note struct {
	IO       *IOStreams
	Now      func() time.Time
	Prompter Prompter
	Write    func(ctx context.Context, fn writeFunc) (*Journal, error)

	kind                    journal.Kind
	what, question, example string
}

// write saves the note: the text given, piped in, or asked for; one commit.
func (n note) write(ctx context.Context, given string, date civil.Date) (*journal.Entry, civil.Date, error) {
	text, err := textInput{n.IO, n.Prompter}.read(ctx, given, n.what, n.question, n.example)
	if err != nil {
		return nil, date, err
	}
	day, err := writeDayAt(date, n.Now())
	if err != nil {
		return nil, day, err
	}
	var saved *journal.Entry
	_, err = n.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newEntryAt(n.kind, who, day, n.Now())
		e.SetSection("", text)
		e.Path = journal.PathFor(e, j.Store.Exists)
		saved = e
		return fmt.Sprintf("%s: %s %s", n.kind, who, day), []gitsync.Change{changeFor(e)}, nil
	})
	return saved, day, err
}

// textInput is where a free-text argument comes from when it is not given:
// piped in, or asked for at a terminal.
type textInput struct {
	IO       *IOStreams
	Prompter Prompter
}

// read is a free-text argument: given, piped in, or asked for at a
// terminal. It is cleaned and refused when empty or holding control
// characters.
func (t textInput) read(ctx context.Context, given, what, question, example string) (string, error) {
	switch {
	case given != "":
	case !t.IO.InTTY:
		m, err := readAllText(t.IO.In)
		if err != nil {
			return "", err
		}
		given = m
	case t.IO.CanPrompt():
		answers, err := t.Prompter.Form(ctx, "", []FormField{{Key: "text", Title: question, Placeholder: example}})
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
