package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
)

// challengeShowOptions is what 'challenge show' uses: its dependencies (filled
// from the App by the constructor), then its flags.
type challengeShowOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	ReadJournal func(context.Context) (*Journal, error)

	Date civil.Date
	Day  int
	JSON bool
}

// newChallengeShowCmd is 'challenge show'. runF runs it, given the options
// filled from the flags; nil is runChallengeShow (tests pass their own to
// see how flags are read).
func newChallengeShowCmd(a *App, runF func(context.Context, *challengeShowOptions) error) *cobra.Command {
	if runF == nil {
		runF = runChallengeShow
	}
	opts := &challengeShowOptions{IO: a.IO, Now: a.clock(), ReadJournal: a.readJournal}
	c := &cobra.Command{
		Use:   "show DAY",
		Short: "Show one day of the plan (1 to 30) and who did it",
		Example: `  reconnect challenge show 1
  reconnect challenge show 15 --json`,
		Args: exactArgs(1, "one DAY, a number from 1 to 30"),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := strconv.Atoi(strings.TrimSpace(args[0]))
			if err != nil || n < 1 || n > challenge.Length {
				return withHint(usagef("DAY %q: want a day of the challenge, 1 to %d", args[0], challenge.Length),
					"'reconnect challenge list' shows all %d days", challenge.Length)
			}
			opts.Day = n
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day whose run to look at (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

type challengeShowView struct {
	Day       int                 `json:"day"`
	Theme     string              `json:"theme"`
	Emotional string              `json:"emotional"`
	Physical  string              `json:"physical"`
	Try       string              `json:"try,omitempty"`  // the command that helps with the day's activity
	Date      string              `json:"date,omitempty"` // the calendar day it falls on in the run
	Done      map[string]markJSON `json:"done"`
}

func runChallengeShow(ctx context.Context, opts *challengeShowOptions) error {
	act, err := challenge.Day(opts.Day)
	if err != nil {
		return badInput(err)
	}
	v := challengeShowView{Day: act.Day, Theme: act.Theme, Emotional: act.Emotional, Physical: act.Physical, Try: act.Try, Done: map[string]markJSON{}}
	var st challenge.State
	j, err := opts.ReadJournal(ctx)
	if err != nil {
		return err
	}
	if j != nil {
		day := dayOr(opts.Date, opts.Now())
		f, err := readChallenge(j, day, opts.IO.warn)
		if err != nil {
			return err
		}
		st = challenge.StateOn(f.Starts, day)
		if st.Status != challenge.None {
			on := st.Run.Start.AddDays(opts.Day - 1)
			v.Date = on.String()
			for _, pr := range challenge.ProgressOf(st.Run, f.Dones, nil, day) {
				if m := pr.Days[opts.Day-1]; m.Any() {
					mj := markJSON{Emotional: m.Emotional, Physical: m.Physical}
					if e := f.entry(pr.Author, on); e != nil {
						mj.Note, _ = e.Section("")
					}
					v.Done[pr.Author] = mj
				}
			}
		}
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	p := opts.IO.Palette()
	opts.IO.Printf("%s %s\n", p.Bold(fmt.Sprintf("Day %d of %d", act.Day, challenge.Length)), p.Dim("· "+act.Theme))
	opts.IO.Printf("  Emotional  %s\n  Physical   %s\n", act.Emotional, act.Physical)
	printTry(opts.IO, act.Try, "")
	if v.Date == "" {
		return nil
	}
	on, _ := civil.Parse(v.Date)
	day := dayOr(opts.Date, opts.Now())
	verb := "is"
	if on.Before(day) {
		verb = "was"
	}
	opts.IO.Printf("\nIn your run it %s %s.\n", verb, strings.TrimPrefix(relDayFrom(day, on), "on "))
	for _, n := range sortedKeys(v.Done) {
		m := v.Done[n]
		var did []string
		if m.Emotional {
			did = append(did, "the emotional one")
		}
		if m.Physical {
			did = append(did, "the physical one")
		}
		opts.IO.Printf("  %s %s did %s\n", p.Green("✓"), displayName(n), strings.Join(did, " and "))
		if m.Note != "" {
			for _, line := range strings.Split(m.Note, "\n") {
				opts.IO.Printf("      %s\n", line)
			}
		}
	}
	return nil
}
