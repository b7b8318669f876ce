package streak

import (
	"slices"
	"testing"
)

func TestCurrent(t *testing.T) {
	tests := []struct {
		name string
		days []int // marked days
		day  int
		want int
	}{
		{"nothing", nil, 10, 0},
		{"today only", []int{10}, 10, 1},
		{"today open, yesterday counts", []int{8, 9}, 10, 2},
		{"today done too", []int{8, 9, 10}, 10, 3},
		{"gap yesterday breaks it", []int{7, 8}, 10, 0},
		{"gap further back", []int{5, 7, 8, 9, 10}, 10, 4},
		{"days after day are not counted", []int{9, 10, 11, 12}, 10, 2},
		{"tomorrow alone counts nothing", []int{11}, 10, 0},
	}
	for _, tc := range tests {
		got := Current(tc.day, func(d int) bool { return slices.Contains(tc.days, d) })
		if got != tc.want {
			t.Errorf("%s: Current(%d) = %d, want %d", tc.name, tc.day, got, tc.want)
		}
	}
}
