package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// dateValue is how a command declares a date flag:
//
//	c.Flags().Var(dateValue{&opts.Since}, "since", "only entries on or after this day")
//
// or [addDateFlag] for --date. As declared it reads YYYY-MM-DD only: a day
// said relative to today (yesterday, last friday, -3d) needs a clock, and
// a command has none until [App.wireFlags], which newRootCmd runs on the
// whole tree, makes every dateValue a [dayValue] with the App's clock and
// gives it its completion. A bad day fails flag parsing: exit 2, the flag
// and the forms it takes named.
type dateValue struct{ d *civil.Date }

func (v dateValue) String() string { return v.d.String() }
func (v dateValue) Type() string   { return "DAY" }
func (v dateValue) Set(s string) error {
	d, err := civil.Parse(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// dayValue is a date flag with the clock: a dateValue once wired. It reads
// every form [civil.ParseRelative] reads, counted from the day of now; a
// bare weekday leans as the flag does ([dayLean]).
type dayValue struct {
	d    *civil.Date
	now  func() time.Time
	lean civil.Lean
}

func (v dayValue) String() string { return v.d.String() }
func (v dayValue) Type() string   { return "DAY" }
func (v dayValue) Set(s string) error {
	d, err := parseDay(s, v.now(), v.lean)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// parseDay reads a day as a person types it, a DATE argument or a date
// flag (see [civil.ParseRelative]); now is the time now.
func parseDay(s string, now time.Time, lean civil.Lean) (civil.Date, error) {
	return civil.ParseRelative(s, civil.Of(now), lean)
}

// maxDayWords is the most words a day said takes: "3 days ago".
const maxDayWords = 3

// dayArg reads the day that args start with, a DATE argument given
// unquoted ('show last friday', 'reply 3 days ago TEXT'): the longest run
// of at most [maxDayWords] arguments that is a day; n is how many it took.
// When none is, the first argument is named: exit 2, with the forms read.
// now is the time now.
func dayArg(args []string, now time.Time, lean civil.Lean) (day civil.Date, n int, err error) {
	for n = min(len(args), maxDayWords); n > 0; n-- {
		if day, err = parseDay(strings.Join(args[:n], " "), now, lean); err == nil {
			return day, n, nil
		}
	}
	_, err = parseDay(args[0], now, lean)
	return civil.Date{}, 0, badInput(fmt.Errorf("DATE: %w", err))
}

// dayLean is which way a bare weekday given to a flag points: --on and
// --plan name the day of a plan, to come ('date plan --on friday' is the
// next Friday);
// every other date flag names a day that has happened, or one to look
// from ('checkin --date friday' is the last Friday). Today, when it is
// that weekday, either way.
func dayLean(flag string) civil.Lean {
	if flag == "on" || flag == "plan" {
		return civil.Ahead
	}
	return civil.Back
}

// wireFlags readies the flags of c and every command under it, which
// their constructors declared without the App: each date flag gets the
// App's clock and completes to recent days ([completeDays]); --author and
// --as complete to the journal's authors ([App.completeAuthors]).
func (a *App) wireFlags(c *cobra.Command) {
	wire := func(f *pflag.Flag) {
		switch v := f.Value.(type) {
		case dateValue:
			lean := dayLean(f.Name)
			f.Value = dayValue{d: v.d, now: a.clock(), lean: lean}
			_ = c.RegisterFlagCompletionFunc(f.Name, completeDays(a.clock(), lean))
		}
		switch f.Name {
		case "author":
			_ = c.RegisterFlagCompletionFunc(f.Name, a.completeAuthors(true))
		case "as":
			_ = c.RegisterFlagCompletionFunc(f.Name, a.completeAuthors(false))
		}
	}
	c.Flags().VisitAll(wire)
	c.PersistentFlags().VisitAll(wire)
	for _, sub := range c.Commands() {
		a.wireFlags(sub)
	}
}

// addDateFlag adds --date: the day to write or show, for a forgotten evening.
func addDateFlag(c *cobra.Command, d *civil.Date, usage string) {
	c.Flags().Var(dateValue{d}, "date", usage)
}

// dayOr is d, or the day of now when d is unset.
func dayOr(d civil.Date, now time.Time) civil.Date {
	if d.IsZero() {
		return civil.Of(now)
	}
	return d
}

// writeDay is the day a write is for: d, or today when d is unset. A day
// after today is refused: entries are about days that have happened.
func (a *App) writeDay(d civil.Date) (civil.Date, error) { return writeDayAt(d, a.Now()) }

// writeDayAt is [App.writeDay] with the clock read: now is the time now.
func writeDayAt(d civil.Date, now time.Time) (civil.Date, error) {
	day := dayOr(d, now)
	if day.After(civil.Of(now)) {
		return day, withHint(usagef("--date %s is in the future", day), "write about today or a day that has passed")
	}
	return day, nil
}
