package journal

import "testing"

func TestMaySeeAnswer(t *testing.T) {
	for _, tc := range []struct {
		name             string
		reader, author   string
		answered, maySee bool
	}{
		{"your own, before answering", "sam", "sam", false, true},
		{"your own, after answering", "sam", "sam", true, true},
		{"a partner's, before you answer", "sam", "alex", false, false},
		{"a partner's, once you answered", "sam", "alex", true, true},
		{"no name: a partner's stays sealed", "", "alex", false, false},
		{"no name: sealed even if answered is claimed", "", "alex", true, false},
	} {
		if got := MaySeeAnswer(tc.reader, tc.author, tc.answered); got != tc.maySee {
			t.Errorf("%s: MaySeeAnswer(%q, %q, %v) = %v, want %v", tc.name, tc.reader, tc.author, tc.answered, got, tc.maySee)
		}
	}
}
