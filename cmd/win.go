package cmd

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

type winOptions struct {
	Date civil.Date
	Text string
}

func newWinCmd(a *App) *cobra.Command {
	opts := &winOptions{}
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
			return runWin(c.Context(), a, opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day of the win (default today)")
	return c
}

func runWin(ctx context.Context, a *App, opts *winOptions) error {
	saved, day, err := a.writeNote(ctx, journal.KindWin, opts.Text, opts.Date, "win",
		"What small win would you like to celebrate?", "A shared, easy laugh we haven't had in months.")
	if err != nil {
		return err
	}
	a.IO.Printf("%s Saved a small win for %s (%s). Celebrate it!\n", a.IO.Palette().Green("✓"), a.dayName(day), saved.Path)
	return nil
}
