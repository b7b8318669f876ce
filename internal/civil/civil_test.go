package civil

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-11-21", Date{2026, time.November, 21}, true},
		{"2024-02-29", Date{2024, time.February, 29}, true},
		{"2026-02-29", Date{}, false},
		{"2026-13-01", Date{}, false},
		{"0000-01-01", Date{}, false},
		{"0000-12-31", Date{}, false},
		{"0001-01-01", Date{1, time.January, 1}, true},
		{"9999-12-31", Date{9999, time.December, 31}, true},
		{"2026-1-1", Date{}, false},
		{"yesterday", Date{}, false},
		{"", Date{}, false},
	} {
		got, err := Parse(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("Parse(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("Parse(%q) error %v does not wrap ErrBadDate", tc.in, err)
		}
		if got != tc.want {
			t.Errorf("Parse(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestArithmetic(t *testing.T) {
	d := Date{2026, time.March, 31}
	if got := d.AddDays(1); got != (Date{2026, time.April, 1}) {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := d.AddMonths(-1); got != (Date{2026, time.February, 28}) {
		t.Errorf("AddMonths(-1) = %v", got)
	}
	if got := (Date{2024, time.February, 29}).AddMonths(-12); got != (Date{2023, time.February, 28}) {
		t.Errorf("AddMonths(-12) = %v", got)
	}
	if got := d.DaysSince(Date{2026, time.March, 1}); got != 30 {
		t.Errorf("DaysSince = %d, want 30", got)
	}
	if !d.After(d.AddDays(-1)) || !d.Before(d.AddDays(1)) || d.Compare(d) != 0 {
		t.Error("ordering is wrong")
	}
	if d.String() != "2026-03-31" || (Date{}).String() != "" {
		t.Errorf("String = %q", d.String())
	}
	if d.Weekday() != time.Tuesday {
		t.Errorf("Weekday = %v", d.Weekday())
	}
}

// Parse reads exactly what time.Parse reads with the layout, day for day,
// over four centuries' leap rules and every malformed variant of a few days,
// except the year 0000, which Parse refuses.
func TestParseAgreesWithTime(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, err := Parse(s)
		tt, terr := time.Parse(Layout, s)
		if strings.HasPrefix(s, "0000") && terr == nil {
			terr = errors.New("the year 0000")
		}
		switch {
		case (err == nil) != (terr == nil && len(s) == len(Layout)):
			t.Errorf("Parse(%q): %v; time.Parse: %v", s, err, terr)
		case err == nil && got != Of(tt):
			t.Errorf("Parse(%q) = %v, time.Parse: %v", s, got, tt)
		}
	}
	for _, y := range []int{0, 1, 4, 100, 1600, 1900, 1999, 2000, 2024, 2026, 2100, 2400, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				check(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, s := range []string{"2026-11-2", "2026-11-211", "20261121", "2026/11/21", "2026-11-2a", "+026-11-21",
		"-026-11-21", "2026-+1-21", "2026-11- 1", " 2026-11-21", "２026-11-21", "2026-11-21\n"} {
		check(s)
	}
}
