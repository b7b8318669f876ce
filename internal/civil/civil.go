// Package civil is a calendar date without a time or a zone: the day a
// partner lived, as they wrote it ("2026-11-21"), which is what every journal
// entry, streak and challenge day is counted in.
//
// A Date is a small comparable value; the zero Date means "not set" and is
// reported by [Date.IsZero]. Arithmetic goes through time.Time in UTC, so it
// never meets a daylight-saving gap.
//
// [Parse] reads the one written form, YYYY-MM-DD, in files, flags and
// JSON; [ParseRelative] reads a day as a person says it on a command line
// (yesterday, last friday, -3d), counted from a today it is given.
package civil

import (
	"errors"
	"fmt"
	"time"
)

// Date is a day in the proleptic Gregorian calendar.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrBadDate is wrapped by every error [Parse] returns.
var ErrBadDate = errors.New("bad date")

// Layout is the one textual form of a Date, in files, flags and JSON.
const Layout = "2006-01-02"

// Parse reads a date written YYYY-MM-DD and refuses impossible days such as
// 2026-02-30. It reads what time.Parse(Layout, s) reads, without its
// cost: a journal's file names are parsed by the tens of thousands.
func Parse(s string) (Date, error) {
	if len(s) == len(Layout) && s[4] == '-' && s[7] == '-' {
		y, yok := digits(s[:4])
		m, mok := digits(s[5:7])
		d, dok := digits(s[8:])
		if date, ok := Make(y, time.Month(m), d); ok && yok && mok && dok {
			return date, nil
		}
	}
	return Date{}, fmt.Errorf("%w %q: want YYYY-MM-DD, a day that exists", ErrBadDate, s)
}

// Make is the date year-month-day, and false when that day does not exist
// or the year is not one of 0001 to 9999: four digits, and never 0000,
// which no calendar has (1 BC is followed by AD 1) and which a typo or a
// damaged file is far likelier to mean than a day two thousand years ago.
func Make(year int, month time.Month, day int) (Date, bool) {
	if year < 1 || year > 9999 || month < time.January || month > time.December || day < 1 {
		return Date{}, false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month-1]
	if month == time.February && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return Date{year, month, day}, day <= days
}

// digits is the number s writes in decimal digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// Of is the calendar day of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String renders the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In is midnight starting the day in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) utc() time.Time { return d.In(time.UTC) }

// AddDays is the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return Of(d.utc().AddDate(0, 0, n)) }

// AddMonths is the date n months after d, clamped to the last day of the
// target month (Mar 31 minus one month is Feb 28 or 29).
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := d.Day
	if day > last {
		day = last
	}
	return Date{first.Year(), first.Month(), day}
}

// DaysSince is the number of days from e to d: d.DaysSince(d.AddDays(-3)) == 3.
func (d Date) DaysSince(e Date) int {
	return int(d.utc().Sub(e.utc()).Hours() / 24)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare is -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// MarshalText renders YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
