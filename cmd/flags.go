package cmd

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// dateValue is a --date style flag holding a civil.Date. A bad date fails
// flag parsing, which is exit 2 with the flag named.
type dateValue struct{ d *civil.Date }

func (v dateValue) String() string { return v.d.String() }
func (v dateValue) Type() string   { return "YYYY-MM-DD" }
func (v dateValue) Set(s string) error {
	d, err := civil.Parse(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

// addDateFlag adds --date: the day to write or show, for a forgotten evening.
func addDateFlag(c *cobra.Command, d *civil.Date, usage string) {
	c.Flags().Var(dateValue{d}, "date", usage)
}

// dateOr is d, or today when d is unset.
func (a *App) dateOr(d civil.Date) civil.Date { return dayOr(d, a.Now()) }

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
