package civil

import (
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
