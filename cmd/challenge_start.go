package cmd

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// challengeStartOptions is what 'challenge start' uses: its dependencies (filled
// from the App by the constructor), then its flags.
type challengeStartOptions struct {
	IO    *IOStreams
	Now   func() time.Time
	Write func(ctx context.Context, fn writeFunc) (*Journal, error)

	Date civil.Date
	On   civil.Date
}

// newChallengeStartCmd is 'challenge start'. runF runs it, given the options
// filled from the flags; nil is runChallengeStart (tests pass their own to
// see how flags are read).
func newChallengeStartCmd(a *App, runF func(context.Context, *challengeStartOptions) error) *cobra.Command {
	if runF == nil {
		runF = runChallengeStart
	}
	opts := &challengeStartOptions{IO: a.IO, Now: a.clock(), Write: a.write}
	c := &cobra.Command{
		Use:   "start",
		Short: "Start the 30-day challenge (today, or on a day you choose)",
		Long: `Start a 30-day run of the challenge for the two of you: day 1 is today, or
the day given with --on (up to 29 days back, or up to 30 days ahead).

Starting while a run is already going changes nothing: there is one run at
a time. Once a run has passed day 30, 'start' begins a fresh one.`,
		Example: `  reconnect challenge start
  reconnect challenge start --on 2026-11-23   # plan it for Monday
  reconnect challenge start --on 2026-11-19   # you began on Thursday`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day you start it from (default today)")
	c.Flags().Var(dateValue{&opts.On}, "on", "day 1 of the run (default: the day it is started)")
	return c
}

func runChallengeStart(ctx context.Context, opts *challengeStartOptions) error {
	day := dayOr(opts.Date, opts.Now())
	on := opts.On
	if on.IsZero() {
		on = day
	}
	switch n := on.DaysSince(day); {
	case n < -challenge.MaxStartBack:
		return withHint(usagef("--on %s is %d days back: a run can be started at most %d days back", on, -n, challenge.MaxStartBack),
			"start a fresh run from today: reconnect challenge start")
	case n > challenge.MaxStartAhead:
		return usagef("--on %s is %d days ahead: plan a run at most %d days ahead", on, n, challenge.MaxStartAhead)
	}
	var st challenge.State
	wrote := false
	_, err := opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		// Facts exact from the earlier of on and day.
		from := day
		if on.Before(day) {
			from = on
		}
		f, err := readChallenge(j, from, opts.IO.warn)
		if err != nil {
			return "", nil, err
		}
		start := challenge.Start{Author: who, On: on, Created: opts.Now()}
		starts := append(slices.Clone(f.Starts), start)
		st = challenge.StateOn(starts, day)
		if !challenge.Opens(f.Starts, start) {
			// Already covered by a run: one run at a time.
			st = challenge.StateOn(starts, on)
			return "", nil, nil
		}
		e := journal.NewChallengeStart(who, day, opts.Now(), on)
		e.Path = journal.PathFor(e, nil)
		wrote = true
		return fmt.Sprintf("challenge start: %s %s", who, on), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	p := opts.IO.Palette()
	r := st.Run
	if !wrote {
		by := "you"
		if r.StartedBy != "" {
			by = displayName(r.StartedBy)
		}
		switch {
		case r.Start.After(day):
			opts.IO.Printf("A 30-day challenge is already planned to start %s (by %s). Nothing to start.\n", dayNameFrom(day, r.Start), by)
		case r.Contains(day):
			opts.IO.Printf("A 30-day challenge is already running: day %d of %d, started %s by %s. Nothing to start.\n",
				r.DayOn(day), challenge.Length, dayNameFrom(day, r.Start), by)
		default:
			opts.IO.Printf("A 30-day challenge that started %s by %s already covers %s. Nothing to start.\n",
				dayNameFrom(day, r.Start), by, on)
		}
		return nil
	}
	if st.Status == challenge.Upcoming {
		opts.IO.Printf("%s The 30-day challenge is planned: day 1 is %s.\n", p.Green("✓"), dayNameFrom(day, r.Start))
		first, _ := challenge.Day(1)
		opts.IO.Printf("\nDay 1 · %s\n  Emotional  %s\n  Physical   %s\n", first.Theme, first.Emotional, first.Physical)
		return nil
	}
	n := r.DayOn(day)
	if r.Start == day {
		opts.IO.Printf("%s The 30-day challenge starts today: day 1 of %d.\n", p.Green("✓"), challenge.Length)
	} else {
		opts.IO.Printf("%s The 30-day challenge started %s: today is day %d of %d.\n", p.Green("✓"), dayNameFrom(day, r.Start), n, challenge.Length)
	}
	act, _ := challenge.Day(n)
	opts.IO.Printf("\nDay %d · %s\n  Emotional  %s\n  Physical   %s\n", n, act.Theme, act.Emotional, act.Physical)
	opts.IO.Printf("\nDon't feel pressured to do both: pick one that feels right. Then: reconnect challenge done\n")
	return nil
}
