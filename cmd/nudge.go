package cmd

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// nudgeAfterDefault is when the evening starts unless nudge.after says.
const nudgeAfterDefault = "19:00"

// nudgeAfterKey is the config key nudge.after (listed in config.go).
func nudgeAfterKey() configKey {
	return configKey{name: "nudge.after", help: "when the evening starts for 'nudge' and 'remind', HH:MM", def: nudgeAfterDefault,
		get: func(c *Config) string { return c.Nudge.After },
		set: func(c *Config, v string) error {
			clock, err := journal.ParseClock(v)
			if err != nil {
				return usagef("nudge.after: %q is not a time of day like 19:00", v)
			}
			c.Nudge.After = clock.String()
			return nil
		}}
}

// tonight is what 'nudge' and 'remind' read to know what is waiting: the
// clock, who you are, where the journal is and two settings. It reads only
// what is on this machine: no network, no lock, no read cache.
type tonight struct {
	Now        func() time.Time
	Author     func() (string, error)
	JournalDir func() (string, error)
	After      func() string // nudge.after
	UnionEvery func() int    // union.every
}

// tonightFrom is the App's clock, author, journal and settings.
func tonightFrom(a *App) tonight {
	return tonight{Now: a.clock(), Author: a.author, JournalDir: a.journalDir,
		After:      func() string { return a.setting("nudge.after").value },
		UnionEvery: func() int { return a.cfg.unionEvery() }}
}

// waiting is what waits tonight ([journal.WaitingTonight]), and who for
// and in which journal; nothing before nudge.after, nothing when there is
// no journal yet. A bad nudge.after is exit 2 naming the key.
func (t tonight) waiting() (w []journal.Waiting, who, dir string, err error) {
	w = []journal.Waiting{}
	v := t.After()
	if v == "" {
		v = nudgeAfterDefault
	}
	after, err := journal.ParseClock(v)
	if err != nil {
		return nil, "", "", withHint(usagef("nudge.after: %q is not a time of day like 19:00", v),
			"set it with 'reconnect config set nudge.after 19:00'")
	}
	now := t.Now()
	if !after.Reached(now) {
		return w, "", "", nil // the evening has not started: nothing is read
	}
	if who, err = t.Author(); err != nil {
		return nil, "", "", err
	}
	if dir, err = t.JournalDir(); err != nil {
		return nil, "", "", err
	}
	empty, err := journalState(dir)
	if err != nil || empty {
		return w, who, dir, err
	}
	mark := func() journal.NewsMark { return readNewsState(&Journal{Dir: dir}, who).Seen }
	facts, err := journal.Store{Root: dir}.Tonight(civil.Of(now), who, t.UnionEvery(), mark)
	if err != nil {
		return nil, "", "", err
	}
	return journal.WaitingTonight(facts, now, after), who, dir, nil
}

// nudgeOptions is what 'nudge' uses: its dependencies, then its flags.
type nudgeOptions struct {
	IO      *IOStreams
	Tonight tonight

	JSON bool
}

// newNudgeCmd is 'nudge'. runF runs it, given the options filled from the
// flags; nil is runNudge (tests pass their own to see how flags are read).
func newNudgeCmd(a *App, runF func(context.Context, *nudgeOptions) error) *cobra.Command {
	if runF == nil {
		runF = runNudge
	}
	opts := &nudgeOptions{IO: a.IO, Tonight: tonightFrom(a)}
	c := &cobra.Command{
		Use:   "nudge",
		Short: "One quiet line for your shell prompt when something waits tonight",
		Long: `Print one short line when something is waiting for you this evening, or
nothing at all: made for a shell prompt, it never nags. It stays silent
before nudge.after (19:00 unless 'reconnect config set nudge.after 20:30'),
and silent once you have checked in today.

What it says, most important first: your partner checked in and you have
not; a reply to your check-in you have not seen; a date planned for today;
the State of the Union is due; your check-in, which waits until it is done.
The line names the first; --json lists them all.

It reads only what is on this computer, a few file names and a handful of
small files: no network, no lock, no cache, a few milliseconds however old
the journal. What your partner wrote arrives with your next sync. See the
README ("Staying with it") for bash, zsh, fish and starship.`,
		Example: `  reconnect nudge
  reconnect nudge --json
  PROMPT_COMMAND='reconnect nudge 2>/dev/null'   # bash: a line above the prompt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the list of what is waiting as JSON")
	return c
}

func runNudge(_ context.Context, opts *nudgeOptions) error {
	w, _, _, err := opts.Tonight.waiting()
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, w)
	}
	if line := nudgeLine(w, opts.IO.Palette()); line != "" {
		opts.IO.Printf("%s\n", line)
	}
	return nil
}

// nudgeWidth is the longest a nudge line is, in characters.
const nudgeWidth = 60

// nudgeLine says the first thing waiting, with how many more there are, in
// at most nudgeWidth characters (a long name or title is shortened with
// "…"); "" when nothing waits.
func nudgeLine(w []journal.Waiting, p Palette) string {
	if len(w) == 0 {
		return ""
	}
	first := w[0]
	var subject, before, after string
	switch first.What {
	case journal.WaitPartnerCheckedIn:
		subject, after = displayName(first.Who), " checked in · reconnect checkin"
	case journal.WaitReply:
		subject, after = displayName(first.Who), " replied to you · reconnect news"
	case journal.WaitDate:
		before, subject = "Date tonight: ", oneLine(first.Title)
	case journal.WaitUnion:
		before = "State of the Union is due · reconnect union"
	default:
		before = "Tonight's check-in, when you're ready · reconnect checkin"
	}
	more := 0 // the check-in itself is not counted: the line points to it
	for _, x := range w[1:] {
		if x.What != journal.WaitCheckin {
			more++
		}
	}
	if more > 0 {
		after += " (+" + strconv.Itoa(more) + ")"
	}
	room := nudgeWidth - utf8.RuneCountInString("♥ "+before+after)
	if utf8.RuneCountInString(subject) > room {
		r := []rune(subject)
		subject = strings.TrimSpace(string(r[:max(room-1, 1)])) + "…"
	}
	return p.Magenta("♥") + " " + before + subject + after
}
