package cmd

import (
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
func (a *App) dateOr(d civil.Date) civil.Date {
	if d.IsZero() {
		return a.today()
	}
	return d
}
