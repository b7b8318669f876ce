// Package streak holds the one rule for counting a streak of days, used by
// every count of days in a row: the couple's check-ins ('today'), each
// partner's check-ins ('stats') and a challenge run's days (package
// challenge).
//
// Days are numbered by the caller (day numbers, run days, offsets from
// today): the rule only needs consecutive integers.
package streak

// Current is the number of marked days in a row ending on day, or ending on
// the day before while day itself is not marked yet: today does not break
// a streak until it is over. marked reports whether a day counts.
func Current(day int, marked func(day int) bool) int {
	if !marked(day) {
		day--
	}
	n := 0
	for ; marked(day); day-- {
		n++
	}
	return n
}
