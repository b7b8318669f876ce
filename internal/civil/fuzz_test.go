package civil

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse checks Parse against the standard library: it accepts what
// time.Parse accepts with the layout 2006-01-02, except year 0000, which
// it refuses on purpose, gives the same day, and writes it back as it
// read it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-11-21", "2024-02-29", "2023-02-29", "0000-01-01", "0001-01-01",
		"9999-12-31", "2026-1-21", "2026-11-31", "+026-11-21", "2026-11-2x", "", "2026-11-21 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		want, werr := time.Parse(Layout, s)
		if werr == nil && want.Year() == 0 {
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want year 0000 refused", s, got)
			}
			return
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("Parse(%q): err %v, time.Parse: err %v", s, err, werr)
		}
		if err != nil {
			return
		}
		if got.Year != want.Year() || got.Month != want.Month() || got.Day != want.Day() {
			t.Fatalf("Parse(%q) = %v, time.Parse = %v", s, got, want)
		}
		if got.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, got.String())
		}
	})
}

// FuzzParseRelative checks ParseRelative against Parse: a YYYY-MM-DD that
// Parse reads is read the same, whatever today and the lean; text written
// like a date that Parse refuses is refused with Parse's error; and any
// day read is one Parse reads back.
func FuzzParseRelative(f *testing.F) {
	for _, s := range []string{"2026-11-21", "2026-02-30", "0000-01-01", "2026-1-2", "today", "yesterday",
		"friday", "last fri", "next sunday", "-3d", "+2w", "3 days ago", "in 2 weeks", "-99999w", "", "someday"} {
		f.Add(s, int64(0), false)
	}
	f.Fuzz(func(t *testing.T, s string, shift int64, ahead bool) {
		today := Date{2026, time.November, 21}.AddDays(int(shift % 2_000_000))
		lean := Back
		if ahead {
			lean = Ahead
		}
		got, err := ParseRelative(s, today, lean)
		want, werr := Parse(s)
		if werr == nil && (err != nil || got != want) {
			t.Fatalf("ParseRelative(%q) = %v, %v; Parse = %v", s, got, err, want)
		}
		if werr != nil && isoShaped(s) && (err == nil || err.Error() != werr.Error()) {
			t.Fatalf("ParseRelative(%q) error %v, Parse error %v", s, err, werr)
		}
		if err != nil {
			if !errors.Is(err, ErrBadDate) {
				t.Fatalf("ParseRelative(%q) error %v does not wrap ErrBadDate", s, err)
			}
			return
		}
		if back, perr := Parse(got.String()); perr != nil || back != got {
			t.Fatalf("ParseRelative(%q) = %v, which Parse reads as %v, %v", s, got, back, perr)
		}
	})
}
