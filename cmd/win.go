package cmd

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// winOptions is what 'win' uses: its dependencies (filled from the App by
// the constructor), then its flags.
type winOptions struct {
	IO       *IOStreams
	Now      func() time.Time
	Prompter Prompter
	Write    func(ctx context.Context, fn writeFunc) (*Journal, error)

	Date civil.Date
	Text string
}

// newWinCmd is 'win'. runF runs it, given the options filled from the
// flags; nil is runWin.
func newWinCmd(a *App, runF func(context.Context, *winOptions) error) *cobra.Command {
	if runF == nil {
		runF = runWin
	}
	opts := &winOptions{IO: a.IO, Now: a.clock(), Prompter: a.Prompter, Write: a.write}
	c := &cobra.Command{
		Use:   "win TEXT",
		Short: "Celebrate a small win: the signs you're on the right track",
		Long: `Write down a small win. Reconnecting takes weeks and months, not a switch;
the real signs you're on the right track are small: a shared, easy laugh you
haven't had in months, a comfortable silence that doesn't feel heavy, a
disagreement you navigated without a huge fight. Don't forget to celebrate
them. Many a day is fine; 'reconnect log --kind win' reads them back.

With no TEXT, piped input is the win (up to 1 MiB: more is refused, never
cut short), or a prompt asks for it at a terminal.`,
		Example: `  reconnect win "We laughed until we cried over the burnt pancakes"
  reconnect win "Talked about money without a fight"
  reconnect win --date 2026-11-20 "A comfortable silence on the drive home"
  reconnect log --kind win`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Text = strings.Join(args, " ")
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day of the win (default today)")
	return c
}

func runWin(ctx context.Context, opts *winOptions) error {
	n := note{IO: opts.IO, Now: opts.Now, Prompter: opts.Prompter, Write: opts.Write,
		kind: journal.KindWin, what: "win",
		question: "What small win would you like to celebrate?", example: "A shared, easy laugh we haven't had in months."}
	saved, day, err := n.write(ctx, opts.Text, opts.Date)
	if err != nil {
		return err
	}
	opts.IO.Printf("%s Saved a small win for %s (%s). Celebrate it!\n", opts.IO.Palette().Green("✓"), dayNameAt(opts.Now(), day), saved.Path)
	return nil
}
