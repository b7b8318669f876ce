// Package streak holds the one rule for counting a streak of days, used by
// every count of days in a row: the couple's check-ins ('today'), each
// partner's check-ins ('stats') and a challenge run's days (package
// challenge); and the drift rule ([Drift]): days one partner checked in and
// the other did not, on the evening screen.
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

// Longest is the longest run of consecutive days in days (ascending, no
// repeats) among those up to day; days after day are left out.
func Longest(days []int, day int) int {
	longest, run := 0, 0
	for i, x := range days {
		if x > day {
			break
		}
		if i > 0 && x == days[i-1]+1 {
			run++
		} else {
			run = 1
		}
		longest = max(longest, run)
	}
	return longest
}
