package civil

import "testing"

func TestNextEvery(t *testing.T) {
	d := func(s string) Date {
		t.Helper()
		v, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		start string
		n     int
		day   string
		want  string // "" when there is none
	}{
		{"2026-11-27", 14, "2026-11-21", "2026-11-27"}, // not started yet
		{"2026-11-27", 14, "2026-11-27", "2026-11-27"}, // the first day itself
		{"2026-11-27", 14, "2026-11-28", "2026-12-11"}, // the day after the first
		{"2026-11-27", 14, "2026-12-11", "2026-12-11"}, // on an occurrence
		{"2026-11-27", 14, "2026-12-12", "2026-12-25"},
		{"2026-11-27", 7, "2027-01-01", "2027-01-01"}, // a Friday, 5 weeks on
		{"2026-12-30", 7, "2027-01-02", "2027-01-06"}, // across a year end
		{"2028-02-26", 1, "2028-02-29", "2028-02-29"}, // a leap day, daily
		{"2028-02-22", 7, "2028-02-28", "2028-02-29"},
		{"2026-11-27", 0, "2026-11-21", "2026-11-27"}, // once, upcoming
		{"2026-11-27", 0, "2026-11-28", ""},           // once, passed
		{"2026-11-27", -3, "2026-11-28", ""},
		{"2000-01-01", 365, "2026-11-21", "2026-12-25"}, // 365 days is not a year,
	} {
		got, ok := NextEvery(d(tc.start), tc.n, d(tc.day))
		if tc.want == "" {
			if ok {
				t.Errorf("NextEvery(%s, %d, %s) = %s, want none", tc.start, tc.n, tc.day, got)
			}
			continue
		}
		if !ok || got.String() != tc.want {
			t.Errorf("NextEvery(%s, %d, %s) = %s, %v, want %s", tc.start, tc.n, tc.day, got, ok, tc.want)
		}
	}
}

func TestPrevEvery(t *testing.T) {
	for _, tc := range []struct {
		start string
		n     int
		day   string
		want  string // "" when there is none
	}{
		{"2026-11-27", 14, "2026-11-26", ""},           // not started yet
		{"2026-11-27", 14, "2026-11-27", "2026-11-27"}, // the first day
		{"2026-11-27", 14, "2026-12-10", "2026-11-27"},
		{"2026-11-27", 14, "2026-12-11", "2026-12-11"},
		{"2026-11-27", 14, "2026-12-12", "2026-12-11"},
		{"2026-12-30", 7, "2027-01-08", "2027-01-06"}, // across a year end
		{"2026-11-27", 0, "2026-12-12", "2026-11-27"}, // once
		{"2026-11-27", 0, "2026-11-20", ""},
	} {
		d := func(s string) Date { v, _ := Parse(s); return v }
		got, ok := PrevEvery(d(tc.start), tc.n, d(tc.day))
		if tc.want == "" {
			if ok {
				t.Errorf("PrevEvery(%s, %d, %s) = %s, want none", tc.start, tc.n, tc.day, got)
			}
			continue
		}
		if !ok || got.String() != tc.want {
			t.Errorf("PrevEvery(%s, %d, %s) = %s, %v, want %s", tc.start, tc.n, tc.day, got, ok, tc.want)
		}
	}
}
