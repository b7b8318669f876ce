package streak

import (
	"slices"
	"testing"
)

// days is the days from..to, both in.
func days(from, to int) []int {
	var out []int
	for d := from; d <= to; d++ {
		out = append(out, d)
	}
	return out
}

func TestLoneDays(t *testing.T) {
	tests := []struct {
		name         string
		you, partner []int
		day, want    int
	}{
		{"nothing", nil, nil, 100, 0},
		{"both every day", days(90, 99), days(90, 99), 100, 0},
		{"you alone five days", days(95, 99), nil, 100, 5},
		{"today is not counted", days(95, 100), nil, 100, 5},
		{"only the days since the partner last came count", days(90, 99), []int{92, 94, 96}, 100, 3},
		{"the partner came yesterday", days(90, 99), []int{99}, 100, 0},
		{"days neither came do not count", []int{91, 95, 99}, nil, 100, 3},
		{"the window's first day counts", []int{100 - DriftWindow}, nil, 100, 1},
		{"the day before the window does not", []int{99 - DriftWindow}, nil, 100, 0},
		{"the whole window", days(0, 99), nil, 100, DriftWindow},
		{"days after day do not count", days(101, 120), nil, 100, 0},
	}
	for _, tc := range tests {
		got := LoneDays(tc.day, in(tc.you), in(tc.partner))
		if got != tc.want {
			t.Errorf("%s: LoneDays(%d) = %d, want %d", tc.name, tc.day, got, tc.want)
		}
	}
}

func in(ds []int) func(int) bool { return func(d int) bool { return slices.Contains(ds, d) } }

func TestDrift(t *testing.T) {
	tests := []struct {
		name         string
		you, partner []int
		after        int
		hasPartner   bool
		want         DriftStage
	}{
		{"a journal of one never drifts", days(0, 99), nil, 5, false, Steady},
		{"four lone days: not yet", days(96, 99), nil, 5, true, Steady},
		{"five lone days: a gesture", days(95, 99), nil, 5, true, Gesture},
		{"five lone days, but the partner is here tonight", days(95, 99), []int{100}, 5, true, Steady},
		{"five lone days spread over the window", []int{75, 80, 85, 90, 95, 96}, []int{76}, 5, true, Gesture},
		{"the partner came back: the count starts again", days(80, 99), []int{97}, 5, true, Steady},
		{"drift.days 3", days(97, 99), nil, 3, true, Gesture},
		{"drift.days 0 is read as 1", []int{99}, nil, 0, true, Gesture},
		{"twenty lone days: still a gesture", days(80, 99), nil, 5, true, Gesture},
		{"twenty-one lone days: the talk", days(79, 99), nil, 5, true, Talk},
		{"the talk even when drift.days is larger", days(79, 99), nil, 25, true, Talk},
		{"lone days long ago are out of the window", days(40, 70), nil, 5, true, Steady},
		{"both checked in: steady", days(72, 99), days(72, 99), 5, true, Steady},
		{"neither checked in: steady", nil, nil, 5, true, Steady},
	}
	for _, tc := range tests {
		got := Drift(100, tc.after, tc.hasPartner, in(tc.you), in(tc.partner))
		if got != tc.want {
			t.Errorf("%s: Drift = %v, want %v", tc.name, got, tc.want)
		}
	}
}
