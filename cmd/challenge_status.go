package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
)

// challengeStatusOptions is what 'challenge status' uses: its dependencies (filled
// from the App by the constructor), then its flags.
type challengeStatusOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	ReadJournal func(context.Context) (*Journal, error)

	Date civil.Date
	JSON bool
}

// newChallengeStatusCmd is 'challenge status'. runF runs it, given the options
// filled from the flags; nil is runChallengeStatus (tests pass their own to
// see how flags are read).
func newChallengeStatusCmd(a *App, runF func(context.Context, *challengeStatusOptions) error) *cobra.Command {
	if runF == nil {
		runF = runChallengeStatus
	}
	opts := &challengeStatusOptions{IO: a.IO, Now: a.clock(), Author: a.author, ReadJournal: a.readJournal}
	c := &cobra.Command{
		Use:   "status",
		Short: "The 30-day grid for each of you: streak and days left",
		Long: `Show the run as a grid of 30 days for each of you, with your streak (days
in a row with at least one activity) and the days left. Without a running
challenge it shows the next one planned, or the last one.

In the grid: ◆ both activities, e emotional, p physical, - none, · ahead.`,
		Example: `  reconnect challenge status
  reconnect challenge status --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day to look from (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the status as JSON")
	return c
}

type dayJSON struct {
	Day       int  `json:"day"`
	Emotional bool `json:"emotional"`
	Physical  bool `json:"physical"`
}

type progressJSON struct {
	Author   string    `json:"author"`
	Streak   int       `json:"streak"`
	DaysDone int       `json:"days_done"`
	DaysLeft int       `json:"days_left"`
	Days     []dayJSON `json:"days"`
}

type challengeStatusView struct {
	Date     string           `json:"date"`
	Status   challenge.Status `json:"status"`
	Day      int              `json:"day"`
	Length   int              `json:"length"`
	DaysLeft int              `json:"days_left"`
	Run      *runJSON         `json:"run"`
	Partners []progressJSON   `json:"partners"`
	Next     string           `json:"next"`
}

func runChallengeStatus(ctx context.Context, opts *challengeStatusOptions) error {
	day := dayOr(opts.Date, opts.Now())
	who, err := opts.Author()
	if err != nil {
		return err
	}
	j, err := opts.ReadJournal(ctx)
	if err != nil {
		return err
	}
	f, err := readChallenge(j, day, opts.IO.warn)
	if err != nil {
		return err
	}
	st := challenge.StateOn(f.Starts, day)
	v := challengeStatusView{Date: day.String(), Status: st.Status, Length: challenge.Length, Run: runOf(st),
		Partners: []progressJSON{}, Next: challengeNext(st, day)}
	var progress []challenge.Progress
	if st.Status != challenge.None {
		v.Day = st.Day(day)
		progress = challenge.ProgressOf(st.Run, f.Dones, youFirst(who, challenge.Participants(who, recentAuthors(j, day, opts.IO.warn), st.Run, f.Starts, f.Dones)), day)
		for _, pr := range progress {
			pj := progressJSON{Author: pr.Author, Streak: pr.Streak, DaysDone: pr.DaysDone, DaysLeft: pr.DaysLeft, Days: make([]dayJSON, challenge.Length)}
			for i, m := range pr.Days {
				pj.Days[i] = dayJSON{Day: i + 1, Emotional: m.Emotional, Physical: m.Physical}
			}
			v.Partners = append(v.Partners, pj)
			v.DaysLeft = pr.DaysLeft
		}
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	p := opts.IO.Palette()
	r := st.Run
	switch st.Status {
	case challenge.None:
		opts.IO.Printf("No 30-day challenge yet. %s.\n", capitalize(v.Next))
		return nil
	case challenge.Active:
		opts.IO.Printf("%s · %s left\n", p.Bold(fmt.Sprintf("30-day challenge: day %d of %d", v.Day, challenge.Length)), plural(v.DaysLeft, "day"))
		opts.IO.Printf("Started %s by %s · ends %s\n", dayNameFrom(day, r.Start), displayName(r.StartedBy), dayNameFrom(day, r.End()))
	case challenge.Upcoming:
		opts.IO.Printf("%s\n", p.Bold(fmt.Sprintf("30-day challenge: starts %s", dayNameFrom(day, r.Start))))
	case challenge.Finished:
		opts.IO.Printf("%s\n", p.Bold(fmt.Sprintf("30-day challenge: ended %s", dayNameFrom(day, r.End()))))
		opts.IO.Printf("Started %s by %s\n", dayNameFrom(day, r.Start), displayName(r.StartedBy))
	}
	width := 3
	for _, pr := range progress {
		width = max(width, len(pr.Author))
	}
	opts.IO.Printf("\n  %-*s %s\n", width, "", gridHeader())
	t := r.DayOn(day)
	for _, pr := range progress {
		label := displayName(pr.Author)
		if pr.Author == who {
			label = "You"
		}
		opts.IO.Printf("  %-*s %s  %s\n", width, label, challengeGrid(pr.Days, t),
			p.Dim(fmt.Sprintf("streak %d · %d of %d days", pr.Streak, pr.DaysDone, challenge.Length)))
	}
	opts.IO.Printf("\n  %s\n", p.Dim("◆ both  e emotional  p physical  - none  · ahead"))
	if st.Status != challenge.Active {
		opts.IO.Printf("\n%s.\n", capitalize(v.Next))
	}
	return nil
}

// gridHeader numbers the columns of [challengeGrid]: the first day of each
// group of five.
func gridHeader() string {
	var b strings.Builder
	for d := 1; d <= challenge.Length; d += 5 {
		fmt.Fprintf(&b, "%-6d", d)
	}
	return strings.TrimRight(b.String(), " ")
}

// challengeGrid draws a run's 30 days as one line, in groups of five: ◆
// both activities, e emotional, p physical, - none on a day gone by, ·
// today with nothing yet and the days ahead. t is today's run day.
func challengeGrid(days [challenge.Length]challenge.DayMark, t int) string {
	var b strings.Builder
	for i, m := range days {
		if i > 0 && i%5 == 0 {
			b.WriteByte(' ')
		}
		switch {
		case m.Emotional && m.Physical:
			b.WriteString("◆")
		case m.Emotional:
			b.WriteString("e")
		case m.Physical:
			b.WriteString("p")
		case i+1 < t:
			b.WriteString("-")
		default:
			b.WriteString("·")
		}
	}
	return b.String()
}
