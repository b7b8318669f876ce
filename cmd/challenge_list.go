package cmd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
)

// challengeListOptions is what 'challenge list' uses: its dependencies
// (filled from the App by the constructor), then its flags.
type challengeListOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	OpenJournal func(create bool) (*Journal, error)

	Date civil.Date
	JSON bool
}

// newChallengeListCmd is 'challenge list'. runF runs it, given the options
// filled from the flags; nil is runChallengeList (tests pass their own to
// see how flags are read).
func newChallengeListCmd(a *App, runF func(context.Context, *challengeListOptions) error) *cobra.Command {
	if runF == nil {
		runF = runChallengeList
	}
	opts := &challengeListOptions{IO: a.IO, Now: a.clock(), OpenJournal: a.openJournal}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls", "plan"},
		Short:   "The whole 30-day plan",
		Example: `  reconnect challenge list
  reconnect challenge list --json | jq '.[14]'`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day whose run day to mark (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	return c
}

type planDayJSON struct {
	Day       int    `json:"day"`
	Theme     string `json:"theme"`
	Emotional string `json:"emotional"`
	Physical  string `json:"physical"`
	Today     bool   `json:"today"`
}

func runChallengeList(_ context.Context, opts *challengeListOptions) error {
	day := dayOr(opts.Date, opts.Now())
	today := 0
	if j, err := opts.OpenJournal(false); err == nil {
		f, err := readChallenge(j, day, opts.IO.warn)
		if err != nil {
			return err
		}
		today = challenge.StateOn(f.Starts, day).Day(day)
	} else if !errors.Is(err, errNoJournal) {
		return err
	}
	plan := challenge.Plan()
	if opts.JSON {
		out := make([]planDayJSON, len(plan))
		for i, d := range plan {
			out[i] = planDayJSON{Day: d.Day, Theme: d.Theme, Emotional: d.Emotional, Physical: d.Physical, Today: d.Day == today}
		}
		return writeJSONTo(opts.IO.Out, out)
	}
	p := opts.IO.Palette()
	for _, d := range plan {
		mark := " "
		head := fmt.Sprintf("%2d  %s", d.Day, d.Theme)
		if d.Day == today {
			mark = "›"
			head = p.Bold(head) + p.Dim("  (today)")
		}
		opts.IO.Printf("%s %s\n", mark, head)
		opts.IO.Printf("      Emotional  %s\n      Physical   %s\n", d.Emotional, d.Physical)
	}
	return nil
}
