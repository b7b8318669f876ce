package journal

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// slowContains is foldWord.in without the ASCII fast path.
func slowContains(s, w string) bool {
	i, _ := IndexFold(s, w)
	return i >= 0
}

func TestFoldWordInMatchesRuneByRune(t *testing.T) {
	for _, tc := range []struct {
		s, w string
		want bool
	}{
		{"A walk by the River", "river", true},
		{"A walk by the River", "walk", true},
		{"WALKING", "walk", true},
		{"wal", "walk", false},
		{"", "walk", false},
		{"anything", "", true},
		{"the \u212aelvin sign", "kelvin", true}, // K (Kelvin) folds to k
		{"mi\u017fs", "miss", true},              // long s folds to s
		{"mi\u017fs", "mi\u017f", true},
		{"caf\u00c9 au lait", "caf\u00e9", true},
		{"na\xffve walk", "walk", true}, // not UTF-8
		{"\xff", "\xff", true},
		{"wwwalk", "walk", true},
		{"WwWaLk", "walk", true},
		{"walwalk", "walk", true},
		{"12:30 tea", "12:30", true},
		{"ΣΊΣΥΦΟΣ", "σίσυφος", true},
		{"Walk \u212a", "walk", true},     // found byte by byte, a Kelvin sign after
		{"\u212a and K", "k and k", true}, // only rune by rune
		{"\u212a and S", "k and k", false},
		{"\u017fo \u212a", "so k", true},
		{"\u017fo \u212a", "so s", false},
		{"\u212a", "s", false},
		{"\u017f", "k", false},
		{"WALK", "WALK", true}, // lower-cased once, here
	} {
		if got := newFoldWord(tc.w).in(tc.s); got != tc.want || got != slowContains(tc.s, tc.w) {
			t.Errorf("in(%q, %q) = %v, want %v (rune by rune: %v)", tc.s, tc.w, got, tc.want, slowContains(tc.s, tc.w))
		}
	}
	// Random texts over an alphabet with the letters that fold oddly.
	alphabet := []string{"a", "A", "k", "K", "s", "S", "\u212a", "\u017f", "\u00e9", " ", "\xff", "w", "W"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 20000 {
		s, w := pick(r.IntN(12)), strings.ToLower(pick(1+r.IntN(3)))
		if got, want := newFoldWord(w).in(s), slowContains(s, w); got != want {
			t.Fatalf("in(%q, %q) = %v, rune by rune %v", s, w, got, want)
		}
	}
}

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
		i, j := IndexFold(tc.s, tc.w)
		if i != tc.start || j != tc.end {
			t.Errorf("IndexFold(%q, %q) = %d, %d; want %d, %d", tc.s, tc.w, i, j, tc.start, tc.end)
		}
	}
}
