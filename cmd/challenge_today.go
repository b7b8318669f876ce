package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
)

type challengeTodayOptions struct {
	Date civil.Date
	JSON bool
}

func newChallengeTodayCmd(a *App) *cobra.Command {
	opts := &challengeTodayOptions{}
	c := &cobra.Command{
		Use:   "today",
		Short: "Today's two activities and who has done them",
		Long: `Show the day of the challenge: which day of 30, its emotional and its
physical activity, and what each of you has done today. Before a run starts
or after its day 30, it says so and what to do next.`,
		Example: `  reconnect challenge today
  reconnect challenge today --date 2026-11-20
  reconnect challenge today --json | jq .day`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeToday(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

func runChallengeToday(ctx context.Context, a *App, opts *challengeTodayOptions) error {
	day := a.dateOr(opts.Date)
	who, err := a.author()
	if err != nil {
		return err
	}
	j, err := a.readJournal(ctx)
	if err != nil {
		return err
	}
	v, err := a.challengeDay(j, who, day, a.recentAuthors(j, day))
	if err != nil {
		return err
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	a.printChallengeDay(v, who, day, "")
	if v.Status == challenge.Active {
		a.IO.Printf("\n%s\n", capitalize(v.Next))
	}
	return nil
}
