package civil

// NextEvery is the first day on or after day of the series that starts on
// start and repeats every n days: start itself when it is not before day,
// else start plus the smallest multiple of n that reaches day. With n < 1
// the series is start alone, and ok is false when start is before day.
func NextEvery(start Date, n int, day Date) (next Date, ok bool) {
	if !start.Before(day) {
		return start, true
	}
	if n < 1 {
		return Date{}, false
	}
	k := (day.DaysSince(start) + n - 1) / n
	return start.AddDays(k * n), true
}

// PrevEvery is the last day on or before day of the series that starts on
// start and repeats every n days (start alone with n < 1); ok is false when
// the series starts after day.
func PrevEvery(start Date, n int, day Date) (prev Date, ok bool) {
	if start.After(day) {
		return Date{}, false
	}
	if n < 1 {
		return start, true
	}
	return start.AddDays(day.DaysSince(start) / n * n), true
}
