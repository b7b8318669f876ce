package civil

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseRelative(t *testing.T) {
	sat := Date{2026, time.November, 21} // a Saturday
	fri := Date{2026, time.November, 20}
	day := func(s string) Date {
		d, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		in    string
		today Date
		lean  Lean
		want  string // "" for an error
	}{
		{"2026-11-21", sat, Back, "2026-11-21"},
		{"2024-02-29", sat, Ahead, "2024-02-29"},
		{" 2026-11-01 ", sat, Back, "2026-11-01"},
		{"today", sat, Back, "2026-11-21"},
		{"Today", sat, Ahead, "2026-11-21"},
		{"yesterday", sat, Back, "2026-11-20"},
		{"YESTERDAY", Date{2026, time.March, 1}, Back, "2026-02-28"},
		{"tomorrow", sat, Back, "2026-11-22"},
		{"tomorrow", Date{2026, time.December, 31}, Ahead, "2027-01-01"},

		// A bare weekday: the last one looking back, the next one looking
		// ahead, today when today is one.
		{"friday", sat, Back, "2026-11-20"},
		{"fri", sat, Back, "2026-11-20"},
		{"Friday", sat, Ahead, "2026-11-27"},
		{"saturday", sat, Back, "2026-11-21"},
		{"saturday", sat, Ahead, "2026-11-21"},
		{"sunday", sat, Back, "2026-11-15"},
		{"sunday", sat, Ahead, "2026-11-22"},
		{"monday", fri, Back, "2026-11-16"},
		{"thu", fri, Ahead, "2026-11-26"},

		// last and next never mean today.
		{"last friday", sat, Back, "2026-11-20"},
		{"last friday", fri, Back, "2026-11-13"},
		{"last saturday", sat, Ahead, "2026-11-14"},
		{"next friday", sat, Back, "2026-11-27"},
		{"next friday", fri, Back, "2026-11-27"},
		{"next  sun", sat, Back, "2026-11-22"},
		{"  last   Friday ", sat, Back, "2026-11-20"},

		// Offsets.
		{"-3d", sat, Back, "2026-11-18"},
		{"+2w", sat, Back, "2026-12-05"},
		{"-1w", sat, Ahead, "2026-11-14"},
		{"+0d", sat, Back, "2026-11-21"},
		{"-7d", Date{2026, time.March, 3}, Back, "2026-02-24"},
		{"3 days ago", sat, Back, "2026-11-18"},
		{"1 day ago", sat, Back, "2026-11-20"},
		{"2 weeks ago", sat, Back, "2026-11-07"},
		{"in 3 days", sat, Back, "2026-11-24"},
		{"in 1 week", sat, Back, "2026-11-28"},
		{"-99999d", sat, Back, "1753-02-06"},
		{"+99999w", sat, Back, "3943-05-29"},

		// Refused.
		{"", sat, Back, ""},
		{"someday", sat, Back, ""},
		{"fridays", sat, Back, ""},
		{"last", sat, Back, ""},
		{"last week", sat, Back, ""},
		{"this friday", sat, Back, ""},
		{"3d", sat, Back, ""},
		{"-3", sat, Back, ""},
		{"-d", sat, Back, ""},
		{"-3x", sat, Back, ""},
		{"--3d", sat, Back, ""},
		{"-100000d", sat, Back, ""},
		{"-3 d", sat, Back, ""},
		{"3 days", sat, Back, ""},
		{"in 3", sat, Back, ""},
		{"3 months ago", sat, Back, ""},
		{"a day ago", sat, Back, ""},
		{"yesterday today", sat, Back, ""},
		{"2026-02-30", sat, Back, ""},
		{"0000-11-21", sat, Back, ""},
		{"2026-1-21", sat, Back, ""},
		{"yesterday", Date{1, time.January, 1}, Back, ""}, // before year 1
		{"+1d", Date{9999, time.December, 31}, Back, ""},  // after 9999
		{"last friday", Date{1, time.January, 1}, Back, ""},
	} {
		got, err := ParseRelative(tc.in, tc.today, tc.lean)
		if tc.want == "" {
			if err == nil {
				t.Errorf("ParseRelative(%q, %s, %d) = %s, want an error", tc.in, tc.today, tc.lean, got)
			} else if !errors.Is(err, ErrBadDate) {
				t.Errorf("ParseRelative(%q) error %v does not wrap ErrBadDate", tc.in, err)
			}
			continue
		}
		if err != nil || got != day(tc.want) {
			t.Errorf("ParseRelative(%q, %s, %d) = %s, %v; want %s", tc.in, tc.today, tc.lean, got, err, tc.want)
		}
	}
}

// The error names what was typed and what would be read: the YYYY-MM-DD
// form for text written like a date, every form for any other.
func TestParseRelativeErrors(t *testing.T) {
	sat := Date{2026, time.November, 21}
	for _, tc := range []struct {
		in    string
		today Date // zero: sat
		want  string
	}{
		{"2026-02-30", Date{}, `bad date "2026-02-30": want YYYY-MM-DD, a day that exists`},
		{"0000-11-21", Date{}, `bad date "0000-11-21": want YYYY-MM-DD, a day that exists`},
		{"2026-1-21", Date{}, `bad date "2026-1-21": want YYYY-MM-DD, a day that exists`},
		{"someday", Date{}, `bad date "someday": want ` + Forms},
		{"-3x", Date{}, `bad date "-3x": want ` + Forms},
		{"+99999w", Date{9000, time.January, 1}, `bad date "+99999w": want a day from 0001-01-01 to 9999-12-31`},
	} {
		today := tc.today
		if today.IsZero() {
			today = sat
		}
		_, err := ParseRelative(tc.in, today, Back)
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseRelative(%q) error %v, want %s", tc.in, err, tc.want)
		}
	}
	if !strings.Contains(Forms, "last friday") || !strings.Contains(Forms, "-3d") {
		t.Errorf("Forms = %q", Forms)
	}
}
