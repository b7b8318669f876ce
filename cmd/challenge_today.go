package cmd

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
)

// challengeTodayOptions is what 'challenge today' uses: its dependencies (filled
// from the App by the constructor), then its flags.
type challengeTodayOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	ReadJournal func(context.Context) (*Journal, error)

	Date civil.Date
	JSON bool
}

// newChallengeTodayOptions is the options of 'challenge today', flags
// unset; 'challenge' with no subcommand runs it too.
func newChallengeTodayOptions(a *App) *challengeTodayOptions {
	return &challengeTodayOptions{IO: a.IO, Now: a.clock(), Author: a.author, ReadJournal: a.readJournal}
}

// newChallengeTodayCmd is 'challenge today'. runF runs it, given the options
// filled from the flags; nil is runChallengeToday (tests pass their own to
// see how flags are read).
func newChallengeTodayCmd(a *App, runF func(context.Context, *challengeTodayOptions) error) *cobra.Command {
	if runF == nil {
		runF = runChallengeToday
	}
	opts := newChallengeTodayOptions(a)
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
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

func runChallengeToday(ctx context.Context, opts *challengeTodayOptions) error {
	day := dayOr(opts.Date, opts.Now())
	who, err := opts.Author()
	if err != nil {
		return err
	}
	j, err := opts.ReadJournal(ctx)
	if err != nil {
		return err
	}
	v, err := challengeDay(j, who, day, recentAuthors(j, day, opts.IO.warn), opts.IO.warn)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	printChallengeDay(opts.IO, v, who, day, "")
	if v.Status == challenge.Active {
		opts.IO.Printf("\n%s\n", capitalize(v.Next))
	}
	return nil
}

// printTry prints the line that points a challenge day to the command that
// helps with it ("Try        reconnect date plan"), when it has one.
func printTry(out *IOStreams, try, indent string) {
	if try != "" {
		out.Printf("%s  Try        %s\n", indent, out.Palette().Bold(try))
	}
}
