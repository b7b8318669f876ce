package cmd

import "testing"

// Day words are said from the day a command looks from (its --date), not
// from the clock.
func TestDayWordsFrom(t *testing.T) {
	for _, tc := range []struct {
		ref, d       string
		name, relDay string
	}{
		{"2026-11-21", "2026-11-21", "today", "today"},
		{"2026-11-21", "2026-11-20", "yesterday", "yesterday"},
		{"2026-11-21", "2026-11-19", "Thu 19 Nov 2026", "on Thu 19 Nov 2026"},
		{"2026-11-21", "2026-11-22", "Sun 22 Nov 2026", "on Sun 22 Nov 2026"},
		{"2027-01-10", "2026-11-21", "Sat 21 Nov 2026", "on Sat 21 Nov 2026"},
		{"2027-01-10", "2027-01-10", "today", "today"},
		{"2027-01-01", "2026-12-31", "yesterday", "yesterday"},
		{"2026-11-10", "2026-11-20", "Fri 20 Nov 2026", "on Fri 20 Nov 2026"},
		{"2028-03-01", "2028-02-29", "yesterday", "yesterday"},
	} {
		ref, d := date(tc.ref), date(tc.d)
		if got := dayNameFrom(ref, d); got != tc.name {
			t.Errorf("dayNameFrom(%s, %s) = %q, want %q", ref, d, got, tc.name)
		}
		if got := relDayFrom(ref, d); got != tc.relDay {
			t.Errorf("relDayFrom(%s, %s) = %q, want %q", ref, d, got, tc.relDay)
		}
	}
}
