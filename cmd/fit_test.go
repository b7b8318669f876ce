package cmd

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestTextWidth(t *testing.T) {
	mark := "\x1bABCDEF234567[" // a palette's marker for ESC '['
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"plain", 5},
		{"café ☕", 7}, // the emoji is wide
		{"日本", 4},
		{"\x1b[1mbold\x1b[0m", 4},
		{mark + "32mgreen" + mark + "0m", 5},
		{"\x1b]0;title\a", 10}, // not a colour: every byte a symbol
	} {
		if got := textWidth(tc.s); got != tc.want {
			t.Errorf("textWidth(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		s    string
		w    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"a bit too long", 10, "a bit too…"},
		{"words and spaces", 10, "words and…"},
		{"日本語の文", 6, "日本…"},
		{"x", 0, ""},
	} {
		if got := cut(tc.s, tc.w); got != tc.want || textWidth(got) > max(tc.w, 0) {
			t.Errorf("cut(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
}

func TestWrapLine(t *testing.T) {
	for _, tc := range []struct {
		line   string
		w      int
		indent string
		want   []string
	}{
		{"fits", 10, "", []string{"fits"}},
		{"one two three four", 9, "", []string{"one two", "three", "four"}},
		{"  Sam        7 entries: a 1, b 2", 22, "             ", []string{"  Sam        7", "             entries:", "             a 1, b 2"}},
		{"    abcdefghijklmnop", 10, "    ", []string{"    abcdef", "    ghijkl", "    mnop"}},
		{"", 5, "", []string{""}},
	} {
		got := wrapLine(tc.line, tc.w, tc.indent)
		if !slices.Equal(got, tc.want) {
			t.Errorf("wrapLine(%q, %d) = %q, want %q", tc.line, tc.w, got, tc.want)
		}
		for _, l := range got {
			if textWidth(l) > tc.w {
				t.Errorf("wrapLine(%q, %d): %q is wider", tc.line, tc.w, l)
			}
		}
	}
}

func TestFitWriter(t *testing.T) {
	var b bytes.Buffer
	w := newFitWriter(&b, 12)
	w.Write([]byte("  Rose\n    one two three\n"))
	w.Write([]byte("    four five six seven"))
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "  Rose\n    one two\n    three\n    four\n    five six\n    seven"
	if b.String() != want {
		t.Errorf("fitWriter wrote\n%s\nwant\n%s", b.String(), want)
	}
	for l := range strings.SplitSeq(b.String(), "\n") {
		if textWidth(l) > 12 {
			t.Errorf("%q is wider than 12", l)
		}
	}
}
