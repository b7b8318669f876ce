package cmd

import "testing"

func TestIndexFold(t *testing.T) {
	for _, tc := range []struct {
		s, w       string
		start, end int
	}{
		{"A long WALK", "walk", 7, 11},
		{"walk", "WALK", 0, 4},
		{"Straße am Fluss", "STRASSE", -1, -1}, // simple folding only
		{"ÉTÉ à Paris", "été", 0, 5},
		{"no match", "zebra", -1, -1},
		{"", "a", -1, -1},
		{"Kelvin \u212a", "k", 0, 1},
	} {
		i, j := indexFold(tc.s, tc.w)
		if i != tc.start || j != tc.end {
			t.Errorf("indexFold(%q, %q) = %d, %d; want %d, %d", tc.s, tc.w, i, j, tc.start, tc.end)
		}
	}
}

func TestHighlight(t *testing.T) {
	on := Palette{on: true}
	for _, tc := range []struct {
		p     Palette
		s     string
		words []string
		want  string
	}{
		{on, "A walk by the River", []string{"river", "walk"}, "A \x1b[1;33mwalk\x1b[0m by the \x1b[1;33mRiver\x1b[0m"},
		{on, "walkwalk", []string{"walk"}, "\x1b[1;33mwalk\x1b[0m\x1b[1;33mwalk\x1b[0m"},
		{Palette{}, "A walk", []string{"walk"}, "A walk"},
		{on, "nothing", []string{"walk"}, "nothing"},
	} {
		if got := highlight(tc.p, tc.s, tc.words); got != tc.want {
			t.Errorf("highlight(%q, %q) = %q, want %q", tc.s, tc.words, got, tc.want)
		}
	}
}

func TestAround(t *testing.T) {
	line := "one two three four five six seven eight nine ten eleven twelve"
	got := around(line, 40, 44, 20)
	if len([]rune(got)) > 22 || got[0:3] != "…" {
		t.Errorf("around = %q", got)
	}
	if got := around("short", 0, 5, 20); got != "short" {
		t.Errorf("around(short) = %q", got)
	}
}
