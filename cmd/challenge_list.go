package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
)

type challengeListOptions struct {
	Date civil.Date
	JSON bool
}

func newChallengeListCmd(a *App) *cobra.Command {
	opts := &challengeListOptions{}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls", "plan"},
		Short:   "The whole 30-day plan",
		Example: `  reconnect challenge list
  reconnect challenge list --json | jq '.[14]'`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeList(c.Context(), a, opts) },
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

func runChallengeList(ctx context.Context, a *App, opts *challengeListOptions) error {
	today := 0
	if j, err := a.openJournal(false); err == nil {
		f, err := a.readChallenge(j, a.dateOr(opts.Date))
		if err != nil {
			return err
		}
		if st := challenge.StateOn(f.Starts, a.dateOr(opts.Date)); st.Status == challenge.Active {
			today = st.Run.DayOn(a.dateOr(opts.Date))
		}
	} else if !errors.Is(err, errNoJournal) {
		return err
	}
	plan := challenge.Plan()
	if opts.JSON {
		out := make([]planDayJSON, len(plan))
		for i, d := range plan {
			out[i] = planDayJSON{Day: d.Day, Theme: d.Theme, Emotional: d.Emotional, Physical: d.Physical, Today: d.Day == today}
		}
		return a.writeJSON(out)
	}
	p := a.IO.Palette()
	for _, d := range plan {
		mark := " "
		head := fmt.Sprintf("%2d  %s", d.Day, d.Theme)
		if d.Day == today {
			mark = "›"
			head = p.Bold(head) + p.Dim("  (today)")
		}
		a.IO.Printf("%s %s\n", mark, head)
		a.IO.Printf("      Emotional  %s\n      Physical   %s\n", d.Emotional, d.Physical)
	}
	return nil
}
