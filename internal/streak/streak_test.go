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

func TestLongest(t *testing.T) {
	tests := []struct {
		name string
		days []int // ascending, no repeats
		day  int
		want int
	}{
		{"nothing", nil, 10, 0},
		{"one day", []int{3}, 10, 1},
		{"the longest is earlier", []int{1, 2, 3, 7, 10}, 10, 3},
		{"the longest ends on day", []int{1, 2, 8, 9, 10}, 10, 3},
		{"days after day are left out", []int{8, 9, 10, 11, 12}, 10, 3},
		{"only days after day", []int{11, 12}, 10, 0},
	}
	for _, tc := range tests {
		if got := Longest(tc.days, tc.day); got != tc.want {
			t.Errorf("%s: Longest(%v, %d) = %d, want %d", tc.name, tc.days, tc.day, got, tc.want)
		}
	}
}
