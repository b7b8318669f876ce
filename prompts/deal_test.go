package prompts

import (
	"slices"
	"testing"
)

func TestCycleOrder(t *testing.T) {
	for n := 1; n <= 30; n++ {
		for c := -4; c <= 12; c++ {
			cur := cycleOrder("test", n, c)
			if got := slices.Sorted(slices.Values(cur)); !slices.Equal(got, seq(n)) {
				t.Fatalf("n=%d cycle %d: %v is not a permutation", n, c, cur)
			}
			k := n / 3
			prev := cycleOrder("test", n, c-1)
			for _, x := range cur[:k] {
				if slices.Contains(prev[n-k:], x) {
					t.Fatalf("n=%d cycle %d: %d is in the head %v and the previous tail %v", n, c, x, cur[:k], prev[n-k:])
				}
			}
		}
	}
}

func TestShuffleVaries(t *testing.T) {
	a, b, c := shuffle("x", 20, 0), shuffle("x", 20, 1), shuffle("y", 20, 0)
	if slices.Equal(a, b) || slices.Equal(a, c) {
		t.Errorf("shuffles do not depend on cycle and salt: %v %v %v", a, b, c)
	}
	if !slices.Equal(a, shuffle("x", 20, 0)) {
		t.Error("shuffle is not deterministic")
	}
}

func TestFloorDiv(t *testing.T) {
	for _, tc := range []struct{ i, n, q, r int }{
		{0, 5, 0, 0}, {4, 5, 0, 4}, {5, 5, 1, 0}, {-1, 5, -1, 4}, {-5, 5, -1, 0}, {-6, 5, -2, 4},
	} {
		if q, r := floorDiv(tc.i, tc.n); q != tc.q || r != tc.r {
			t.Errorf("floorDiv(%d, %d) = %d, %d; want %d, %d", tc.i, tc.n, q, r, tc.q, tc.r)
		}
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
