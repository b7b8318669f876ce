package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// The bounds of a phones-away session.
const (
	togetherDefault = 15 * time.Minute
	togetherMax     = 4 * time.Hour
)

// togetherOptions is what 'together' uses: its dependencies (filled from
// the App by the constructor), then its argument.
type togetherOptions struct {
	IO         *IOStreams
	Now        func() time.Time // the day and the entry's time
	Author     func() (string, error)
	JournalDir func() (string, error)
	Write      func(ctx context.Context, fn writeFunc) (*Journal, error)
	// Clock and After drive the countdown; nil means the real clock. Tests
	// put in a fake clock whose timers fire at once.
	Clock func() time.Time
	After func(time.Duration) <-chan time.Time

	Duration time.Duration
}

// newTogetherCmd is 'together'. runF runs it, given the options filled from
// the argument; nil is runTogether.
func newTogetherCmd(a *App, runF func(context.Context, *togetherOptions) error) *cobra.Command {
	if runF == nil {
		runF = runTogether
	}
	opts := &togetherOptions{IO: a.IO, Now: a.clock(), Author: a.author, JournalDir: a.journalDir, Write: a.write}
	c := &cobra.Command{
		Use:   "together [DURATION]",
		Short: "Phones away: a countdown of undivided time together (default 15m)",
		Long: `Put the phones away and give each other your undivided attention: the
ultimate act of connection. It doesn't take hours; start with 15 minutes
before bed, a tech-free conversation.

'together' counts down the time (default 15m; a bare number is minutes) with
a progress bar, and logs it in the journal when it ends. Ctrl-C cuts it
short: what you had is logged as cut short, and it exits 130.`,
		Example: `  reconnect together          # 15 minutes
  reconnect together 30m
  reconnect together 20       # minutes
  reconnect log --kind together`,
		Args: maxArgs(1, "one DURATION, like 15m, 1h or 20"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Duration = togetherDefault
			if len(args) == 1 {
				d, err := parseTogetherDuration(args[0])
				if err != nil {
					return err
				}
				opts.Duration = d
			}
			return runF(c.Context(), opts)
		},
	}
	return c
}

// parseTogetherDuration reads DURATION: a Go duration like 15m, 1h30m or
// 90s, or a bare number of minutes; whole seconds, from 1s to 4h.
func parseTogetherDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	if n, err := strconv.Atoi(s); err == nil {
		d = time.Duration(n) * time.Minute
	} else if d, err = time.ParseDuration(s); err != nil {
		return 0, withHint(usagef("DURATION %q: want a time like 15m, 1h30m or 90s, or a number of minutes", s),
			"reconnect together 15m")
	}
	switch {
	case d < time.Second:
		return 0, usagef("DURATION %q: want at least 1s", s)
	case d > togetherMax:
		return 0, usagef("DURATION %q: want at most %s; take a break and start another", s, journal.FormatDuration(togetherMax))
	case d%time.Second != 0:
		return 0, usagef("DURATION %q: want whole seconds", s)
	}
	return d, nil
}

func runTogether(ctx context.Context, opts *togetherOptions) error {
	// Refuse a bad author or journal now, not after the time together.
	if _, err := opts.Author(); err != nil {
		return err
	}
	dir, err := opts.JournalDir()
	if err != nil {
		return err
	}
	if _, err := journalState(dir); err != nil {
		return err
	}
	clock, after := opts.Clock, opts.After
	if clock == nil {
		clock = time.Now
	}
	if after == nil {
		after = time.After
	}
	total := opts.Duration
	day := civil.Of(opts.Now())
	p := opts.IO.Palette()
	opts.IO.Printf("Phones away: %s just for the two of you. %s\n", spokenDuration(total), p.Dim("(Ctrl-C ends it early.)"))
	tty := opts.IO.OutTTY
	draw := func(elapsed time.Duration) {
		if tty {
			fmt.Fprintf(opts.IO.LiveOut(), "\r%s  %s left ", progressBar(elapsed, total, 30), clockText(total-elapsed))
		}
	}
	spent, cut := countdown(ctx, total, time.Second, clock, after, draw)
	spent = spent.Truncate(time.Second) // the seconds you had in full
	if tty {
		opts.IO.Printf("\n")
	}
	var saved *journal.Entry
	// The session is logged even when Ctrl-C cancelled ctx.
	_, err = opts.Write(context.WithoutCancel(ctx), func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := journal.NewTogether(who, day, opts.Now(), total, spent, cut)
		e.Path = journal.PathFor(e, j.Store.Exists)
		saved = e
		msg := fmt.Sprintf("together: %s %s %s", who, day, journal.FormatDuration(spent))
		if cut {
			msg += " (cut short)"
		}
		return msg, []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	if cut {
		opts.IO.Printf("Cut short after %s of %s; logged (%s). Every minute counts.\n", clockText(spent), clockText(total), saved.Path)
		return cutShortError{spent}
	}
	opts.IO.Printf("%s %s together, phones away. Logged (%s)\n", p.Green("✓"), capitalize(spokenDuration(total)), saved.Path)
	return nil
}

// cutShortError is a session ended by Ctrl-C: it is an interruption (exit
// 130), already logged.
type cutShortError struct{ spent time.Duration }

func (e cutShortError) Error() string {
	return "together: interrupted after " + journal.FormatDuration(e.spent) + " (logged as cut short)"
}

func (e cutShortError) Unwrap() error { return context.Canceled }

// countdown waits total, calling draw with the time elapsed at the start,
// after every step (aligned to whole steps) and at the end. It returns the
// time spent and whether ctx ended it before total. clock tells the time;
// after is time.After or a test's fake.
func countdown(ctx context.Context, total, step time.Duration, clock func() time.Time,
	after func(time.Duration) <-chan time.Time, draw func(elapsed time.Duration)) (spent time.Duration, cut bool) {
	start := clock()
	since := func() time.Duration { return min(max(clock().Sub(start), 0), total) }
	draw(0)
	for {
		if ctx.Err() != nil {
			return since(), true
		}
		elapsed := since()
		if elapsed >= total {
			return total, false
		}
		wait := min(step-elapsed%step, total-elapsed)
		select {
		case <-ctx.Done():
			return since(), true
		case <-after(wait):
		}
		draw(since())
	}
}

// progressBar is elapsed out of total as a bar of width cells.
func progressBar(elapsed, total time.Duration, width int) string {
	filled := width
	if total > 0 && elapsed < total {
		filled = int(int64(max(elapsed, 0)) * int64(width) / int64(total))
	}
	return "[" + strings.Repeat("█", filled) + strings.Repeat("░", width-filled) + "]"
}

// clockText is a duration as a clock shows it: 9:05, 1:02:03.
func clockText(d time.Duration) string {
	s := int(max(d, 0).Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// spokenDuration is a duration in words: 15 minutes, 1 hour 30 minutes, 45 seconds.
func spokenDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d/time.Minute%60), int(d/time.Second%60)
	var parts []string
	if h > 0 {
		parts = append(parts, plural(h, "hour"))
	}
	if m > 0 {
		parts = append(parts, plural(m, "minute"))
	}
	if s > 0 || len(parts) == 0 {
		parts = append(parts, plural(s, "second"))
	}
	return strings.Join(parts, " ")
}
