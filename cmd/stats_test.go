package cmd

import (
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func mustDay(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestStreaks(t *testing.T) {
	for _, tc := range []struct {
		name             string
		days             []string
		on               string
		current, longest int
	}{
		{"none", nil, "2026-11-21", 0, 0},
		{"today and before", []string{"2026-11-19", "2026-11-20", "2026-11-21"}, "2026-11-21", 3, 3},
		{"today not yet", []string{"2026-11-19", "2026-11-20"}, "2026-11-21", 2, 2},
		{"broken yesterday", []string{"2026-11-18", "2026-11-19"}, "2026-11-21", 0, 2},
		{"longest earlier", []string{"2026-10-01", "2026-10-02", "2026-10-03", "2026-11-21"}, "2026-11-21", 1, 3},
		{"future days ignored", []string{"2026-11-21", "2026-11-22", "2026-11-23"}, "2026-11-21", 1, 1},
		{"across a year", []string{"2025-12-31", "2026-01-01"}, "2026-01-01", 2, 2},
	} {
		set := map[civil.Date]bool{}
		for _, d := range tc.days {
			set[mustDay(t, d)] = true
		}
		c, l := streaks(set, mustDay(t, tc.on))
		if c != tc.current || l != tc.longest {
			t.Errorf("%s: streaks = %d, %d; want %d, %d", tc.name, c, l, tc.current, tc.longest)
		}
	}
}

func TestHeatmap(t *testing.T) {
	end := mustDay(t, "2026-11-21") // a Saturday
	h := heatmapOf(map[civil.Date]int{end: 7, end.AddDays(-1): 1, end.AddDays(-400): 3}, end)
	start := mustDay(t, h.Start)
	if start.Weekday() != 1 {
		t.Errorf("start %s is not a Monday", h.Start)
	}
	if len(h.Counts) != 51*7+6 || h.Counts[len(h.Counts)-1] != 7 || h.Counts[len(h.Counts)-2] != 1 {
		t.Errorf("%d counts, last %v", len(h.Counts), h.Counts[len(h.Counts)-3:])
	}
	lines := heatmapLines(Palette{}, h)
	if len(lines) != 9 || !strings.HasPrefix(lines[1], "Mon ") || !strings.HasSuffix(lines[6], "█") || !strings.HasSuffix(lines[5], "░") {
		t.Errorf("heatmap:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if strings.Contains(l, "\x1b") {
			t.Fatalf("colour without a palette: %q", l)
		}
	}
	if colored := heatmapLines(Palette{on: true}, h); !strings.Contains(colored[6], "\x1b[38;5;22m■") {
		t.Errorf("no colour with a palette: %q", colored[6])
	}
}
