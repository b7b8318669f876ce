package cmd

import (
	"strings"
	"testing"
)

func TestMemoryDays(t *testing.T) {
	for _, tc := range []struct {
		day   string
		first int
		want  string
	}{
		{"2026-11-21", 2026, "1 month 2026-10-21, 6 months 2026-05-21"},
		{"2026-11-21", 2024, "1 month 2026-10-21, 6 months 2026-05-21, 1 year 2025-11-21, 2 years 2024-11-21"},
		{"2028-02-29", 2027, "1 month 2028-01-29, 6 months 2027-08-29, 1 year 2027-02-28"},
		{"2026-03-31", 2026, "1 month 2026-02-28, 6 months 2025-09-30"},
	} {
		var got []string
		for _, m := range memoryDays(mustDay(t, tc.day), tc.first) {
			got = append(got, m.Ago+" "+m.Date.String())
		}
		if s := strings.Join(got, ", "); s != tc.want {
			t.Errorf("memoryDays(%s, %d) = %s, want %s", tc.day, tc.first, s, tc.want)
		}
	}
}
