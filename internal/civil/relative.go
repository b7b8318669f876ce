package civil

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lean says which way a bare weekday points, for a flag that names a day
// to come or one that has happened.
type Lean int

const (
	// Back: "friday" is the last Friday, today when today is one. Most
	// days asked for have happened: what to write about, show or look
	// back from.
	Back Lean = iota
	// Ahead: "friday" is the next Friday, today when today is one: the
	// day of a plan.
	Ahead
)

// Forms lists, for a message, the ways [ParseRelative] reads a day.
const Forms = "YYYY-MM-DD, today, yesterday, tomorrow, a weekday (friday, last friday, next friday), -3d, +2w, 3 days ago or in 2 weeks"

// maxOffset is the most days or weeks an offset may count: five digits.
const maxOffset = 99999

// ParseRelative reads a day as people say it, counted from today:
//
//	2026-11-21              as [Parse] reads it, with its errors
//	today, yesterday, tomorrow
//	friday, fri             the last Friday (lean Back) or the next (Ahead),
//	                        today when today is a Friday
//	last friday             the Friday before today, never today
//	next friday             the Friday after today, never today
//	-3d, +2w                days (d) or weeks (w) before (-) or after (+)
//	3 days ago, 1 week ago
//	in 3 days, in 2 weeks
//
// Words are taken in any case, with spaces around and between them. A day
// after today is read like any other: whether one is allowed is the
// caller's rule. Every error wraps [ErrBadDate]; text in the shape of a
// date, digits and dashes only, gets [Parse]'s error, naming the
// YYYY-MM-DD form; any other names the forms read ([Forms]).
func ParseRelative(s string, today Date, lean Lean) (Date, error) {
	if d, err := Parse(s); err == nil {
		return d, nil
	}
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 1 && isoShaped(words[0]) {
		return Parse(words[0])
	}
	days, ok := offsetOf(words, today, lean)
	if !ok {
		return Date{}, fmt.Errorf("%w %q: want %s", ErrBadDate, s, Forms)
	}
	d := today.AddDays(days)
	if d.Year < 1 || d.Year > 9999 {
		return Date{}, fmt.Errorf("%w %q: want a day from 0001-01-01 to 9999-12-31", ErrBadDate, s)
	}
	return d, nil
}

// isoShaped reports whether s is written like a date: a digit, then
// digits and dashes only.
func isoShaped(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	return strings.Trim(s, "0123456789-") == ""
}

// offsetOf is the number of days from today the words name.
func offsetOf(words []string, today Date, lean Lean) (int, bool) {
	switch len(words) {
	case 1:
		switch w := words[0]; w {
		case "today":
			return 0, true
		case "yesterday":
			return -1, true
		case "tomorrow":
			return 1, true
		default:
			if wd, ok := weekday(w); ok {
				if lean == Ahead {
					return daysUntil(today.Weekday(), wd), true
				}
				return -daysUntil(wd, today.Weekday()), true
			}
			return signedOffset(w)
		}
	case 2:
		wd, ok := weekday(words[1])
		switch {
		case !ok:
			return 0, false
		case words[0] == "last":
			return -nonZeroWeek(daysUntil(wd, today.Weekday())), true
		case words[0] == "next":
			return nonZeroWeek(daysUntil(today.Weekday(), wd)), true
		}
	case 3:
		if words[2] == "ago" {
			n, ok := count(words[0], words[1])
			return -n, ok
		}
		if words[0] == "in" {
			return count(words[1], words[2])
		}
	}
	return 0, false
}

// daysUntil is how many days from a weekday from to the next weekday to,
// 0 to 6.
func daysUntil(from, to time.Weekday) int { return (int(to) - int(from) + 7) % 7 }

// nonZeroWeek is n, or 7 for 0: "last friday" on a Friday is a week ago.
func nonZeroWeek(n int) int {
	if n == 0 {
		return 7
	}
	return n
}

// signedOffset reads -3d or +2w: a sign, digits and a unit.
func signedOffset(w string) (int, bool) {
	if len(w) < 3 || (w[0] != '-' && w[0] != '+') {
		return 0, false
	}
	n, ok := count(w[1:len(w)-1], w[len(w)-1:])
	if w[0] == '-' {
		n = -n
	}
	return n, ok
}

// count is the number of days n units make: the unit is d, day or days,
// w, week or weeks; n is one to five digits.
func count(n, unit string) (int, bool) {
	if n == "" || len(n) > len(strconv.Itoa(maxOffset)) {
		return 0, false
	}
	v, ok := digits(n)
	if !ok {
		return 0, false
	}
	switch unit {
	case "d", "day", "days":
		return v, true
	case "w", "week", "weeks":
		return v * 7, true
	}
	return 0, false
}

// weekday reads a weekday's English name, whole or its first three letters.
func weekday(w string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if w == name || w == name[:3] {
			return d, true
		}
	}
	return 0, false
}
