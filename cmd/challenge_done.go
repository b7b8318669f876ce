package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// challengeDoneOptions is what 'challenge done' uses: its dependencies (filled
// from the App by the constructor), then its flags.
type challengeDoneOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)
	Prompter    Prompter

	Date                civil.Date
	Emotional, Physical bool
	Note                string
}

// newChallengeDoneCmd is 'challenge done'. runF runs it, given the options
// filled from the flags; nil is runChallengeDone (tests pass their own to
// see how flags are read).
func newChallengeDoneCmd(a *App, runF func(context.Context, *challengeDoneOptions) error) *cobra.Command {
	if runF == nil {
		runF = runChallengeDone
	}
	opts := &challengeDoneOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Write: a.write, Prompter: a.Prompter}
	c := &cobra.Command{
		Use:   "done",
		Short: "Mark today's emotional or physical activity (or both) as done",
		Long: `Mark what you did today. At a terminal with no flag, it asks which of the
day's two activities you did; otherwise say it with --emotional, --physical
or both. Running it again the same day adds to what is marked.`,
		Example: `  reconnect challenge done                      # asks which, at a terminal
  reconnect challenge done --emotional
  reconnect challenge done --physical --note "Danced to our wedding song"
  reconnect challenge done --emotional --date 2026-11-20   # a forgotten evening`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day you did it (default today)")
	c.Flags().BoolVar(&opts.Emotional, "emotional", false, "you did the day's emotional activity")
	c.Flags().BoolVar(&opts.Physical, "physical", false, "you did the day's physical activity")
	c.Flags().StringVar(&opts.Note, "note", "", "a few words on how it went")
	return c
}

func runChallengeDone(ctx context.Context, opts *challengeDoneOptions) error {
	day := dayOr(opts.Date, opts.Now())
	if day.After(civil.Of(opts.Now())) {
		return usagef("--date %s is in the future: mark a day once you have done it", day)
	}
	note, err := optionalText("--note", opts.Note)
	if err != nil {
		return err
	}
	if _, err := opts.Author(); err != nil {
		return err
	}
	// Which run and day, from what is here, before asking anything.
	j, err := opts.OpenJournal(false)
	if errors.Is(err, errNoJournal) {
		return withHint(usagef("no 30-day challenge is running"), "start one: reconnect challenge start")
	}
	if err != nil {
		return err
	}
	f, err := readChallenge(j, day, opts.IO.warn)
	if err != nil {
		return err
	}
	st := challenge.StateOn(f.Starts, day)
	if st.Status != challenge.Active {
		return withHint(usagef("no 30-day challenge is running %s", relDayAt(opts.Now(), day)), "%s", challengeNext(st, day))
	}
	n := st.Run.DayOn(day)
	act, _ := challenge.Day(n)
	emotional, physical := opts.Emotional, opts.Physical
	if !emotional && !physical {
		if !opts.IO.CanPrompt() {
			return withHint(usagef("say which activity you did: --emotional, --physical or both"),
				"day %d: emotional %q, physical %q", n, act.Emotional, act.Physical)
		}
		picked, err := opts.Prompter.Choose(ctx, fmt.Sprintf("Day %d of %d · %s: what did you do?", n, challenge.Length, act.Theme),
			[]string{"Emotional: " + act.Emotional, "Physical: " + act.Physical})
		if err != nil {
			return err
		}
		for _, i := range picked {
			emotional = emotional || i == 0
			physical = physical || i == 1
		}
		if !emotional && !physical {
			return usagef("nothing chosen: nothing saved")
		}
	}
	var mark markJSON
	_, err = opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newEntryAt(journal.KindChallenge, who, day, opts.Now())
		e.Path = journal.PathFor(e, nil)
		if old, err := j.Store.Read(e.Path); err == nil {
			e = old
		} else if !errors.Is(err, journal.ErrNotFound) {
			return "", nil, err
		}
		wasE, _ := e.BoolField(journal.FieldEmotional)
		wasP, _ := e.BoolField(journal.FieldPhysical)
		mark = markJSON{Emotional: wasE || emotional, Physical: wasP || physical}
		e.SetChallengeMarks(n, mark.Emotional, mark.Physical)
		if note != "" {
			e.SetSection("", note)
		}
		return fmt.Sprintf("challenge: %s day %d %s", who, n, day), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	p := opts.IO.Palette()
	var did []string
	if mark.Emotional {
		did = append(did, "emotional")
	}
	if mark.Physical {
		did = append(did, "physical")
	}
	opts.IO.Printf("%s Day %d of %d, %s: %s done.\n", p.Green("✓"), n, challenge.Length, dayNameAt(opts.Now(), day), strings.Join(did, " and "))
	if n == challenge.Length {
		opts.IO.Printf("That's the whole challenge. Celebrate the small wins!\n")
	}
	return nil
}
