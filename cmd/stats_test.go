package cmd

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
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
		{"leap day", []string{"2024-02-28", "2024-02-29", "2024-03-01"}, "2024-03-01", 3, 3},
		{"no leap day in 2100", []string{"2100-02-27", "2100-02-28", "2100-03-01"}, "2100-03-01", 3, 3},
		{"leap day in 2000", []string{"2000-02-28", "2000-03-01"}, "2000-03-01", 1, 1},
		{"a day missed", []string{"2026-11-17", "2026-11-18", "2026-11-20", "2026-11-21"}, "2026-11-21", 2, 2},
		{"yesterday ends it", []string{"2026-11-18", "2026-11-19", "2026-11-20", "2026-11-22"}, "2026-11-21", 3, 3},
		{"only today", []string{"2026-11-21"}, "2026-11-21", 1, 1},
		{"only yesterday", []string{"2026-11-20"}, "2026-11-21", 1, 1},
		{"only the day before yesterday", []string{"2026-11-19"}, "2026-11-21", 0, 1},
		{"only future days", []string{"2026-11-22", "2026-11-23"}, "2026-11-21", 0, 0},
		{"repeats", []string{"2026-11-20", "2026-11-20", "2026-11-21", "2026-11-19", "2026-11-21"}, "2026-11-21", 3, 3},
	} {
		var days []int
		for _, d := range tc.days {
			days = append(days, dayNumber(mustDay(t, d)))
		}
		c, l := streaks(sortedDays(days), dayNumber(mustDay(t, tc.on)))
		if c != tc.current || l != tc.longest {
			t.Errorf("%s: streaks = %d, %d; want %d, %d", tc.name, c, l, tc.current, tc.longest)
		}
	}
}

func TestHeatmap(t *testing.T) {
	end := mustDay(t, "2026-11-21") // a Saturday
	h := newHeatmap(end)
	for d, n := range map[civil.Date]int{end: 7, end.AddDays(-1): 1, end.AddDays(-400): 3, end.AddDays(1): 2} {
		for range n {
			h.add(dayNumber(d))
		}
	}
	start := mustDay(t, h.Start)
	if start.Weekday() != 1 {
		t.Errorf("start %s is not a Monday", h.Start)
	}
	if len(h.Counts) != 51*7+6 || h.Counts[len(h.Counts)-1] != 7 || h.Counts[len(h.Counts)-2] != 1 {
		t.Errorf("%d counts, last %v", len(h.Counts), h.Counts[len(h.Counts)-3:])
	}
	if sum := slices.Max(h.Counts[:len(h.Counts)-2]); sum != 0 {
		t.Errorf("days outside the last two have counts: %v", h.Counts)
	}
	lines := heatmapLines(Palette{}, h, heatmapWeeks)
	if len(lines) != 9 || !strings.HasPrefix(lines[1], "Mon ") || !strings.HasSuffix(lines[6], "█") || !strings.HasSuffix(lines[5], "░") {
		t.Errorf("heatmap:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if strings.Contains(l, "\x1b") {
			t.Fatalf("colour without a palette: %q", l)
		}
	}
	if colored := heatmapLines(Palette{on: true}, h, heatmapWeeks); !strings.Contains(colored[6], "\x1b[38;5;22m■") {
		t.Errorf("no colour with a palette: %q", colored[6])
	}
}

func TestDayNumber(t *testing.T) {
	for _, tc := range []struct {
		day  string
		want int
	}{
		{"1970-01-01", 0},
		{"1969-12-31", -1},
		{"2000-02-29", 11016},
		{"2000-03-01", 11017},
		{"2026-11-21", 20778},
		{"1600-02-29", -135081},
		{"0001-01-01", -719162},
		{"0000-01-01", -719528},
		{"0000-03-01", -719468},
		{"9999-12-31", 2932896},
	} {
		// The year 0000 is no date a journal holds (civil.Parse refuses
		// it), but the arithmetic still counts through it.
		var d civil.Date
		if _, err := fmt.Sscanf(tc.day, "%04d-%02d-%02d", &d.Year, &d.Month, &d.Day); err != nil {
			t.Fatal(err)
		}
		if got := dayNumber(d); got != tc.want {
			t.Errorf("dayNumber(%s) = %d, want %d", tc.day, got, tc.want)
		}
	}
	// Every day of the years a date can be written in, and of the year 0,
	// against the calendar as package time counts it.
	for at := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 10000; at = at.Add(24 * time.Hour) {
		if got, want := dayNumber(civil.Of(at)), int(at.Unix()/(24*3600)); got != want {
			t.Fatalf("dayNumber(%s) = %d, want %d", civil.Of(at), got, want)
		}
	}
}

func TestSortedAndCommonDays(t *testing.T) {
	for _, tc := range []struct {
		a, b       []int
		sa, common []int
	}{
		{nil, nil, []int{}, nil},
		{[]int{3, 1, 2, 3, 1}, []int{2, 3, 4}, []int{1, 2, 3}, []int{2, 3}},
		{[]int{9, 7, 5}, []int{8, 6}, []int{5, 7, 9}, nil},
		{[]int{-2, 0, -1}, []int{-1, 5, -2}, []int{-2, -1, 0}, []int{-2, -1}},
	} {
		sa, sb := sortedDays(slices.Clone(tc.a)), sortedDays(slices.Clone(tc.b))
		if !slices.Equal(sa, tc.sa) {
			t.Errorf("sortedDays(%v) = %v, want %v", tc.a, sa, tc.sa)
		}
		if got := commonDays(sa, sb); !slices.Equal(got, tc.common) {
			t.Errorf("commonDays(%v, %v) = %v, want %v", sa, sb, got, tc.common)
		}
	}
}

// TestComputeStats counts a small journal: three partners, a check-in
// twice on a day, challenge days with and without an activity done,
// entries after the day left out.
func TestComputeStats(t *testing.T) {
	day := mustDay(t, "2024-03-01")
	at := time.Date(2024, 3, 1, 20, 0, 0, 0, time.UTC)
	entry := func(kind journal.Kind, who, on string) *journal.Entry {
		return journal.New(kind, who, mustDay(t, on), at)
	}
	challenge := func(who, on string, em, ph bool) *journal.Entry {
		e := entry(journal.KindChallenge, who, on)
		e.SetChallengeMarks(1, em, ph)
		return e
	}
	entries := []*journal.Entry{
		entry(journal.KindCheckin, "sam", "2024-03-02"), // after the day
		entry(journal.KindCheckin, "sam", "2024-02-29"),
		entry(journal.KindCheckin, "alex", "2024-02-29"),
		entry(journal.KindCheckin, "kim", "2024-02-29"),
		entry(journal.KindThanks, "sam", "2024-02-29"),
		entry(journal.KindThanks, "sam", "2024-02-29"),
		challenge("sam", "2024-02-29", true, false),
		challenge("sam", "2024-02-28", false, false),
		challenge("alex", "2024-02-28", false, true),
		entry(journal.KindCheckin, "sam", "2024-02-28"),
		entry(journal.KindCheckin, "sam", "2024-02-28"), // again, by hand
		entry(journal.KindCheckin, "alex", "2024-02-28"),
		entry(journal.KindCheckin, "kim", "2024-02-27"),
		entry(journal.KindCheckin, "alex", "2024-02-27"),
		entry(journal.KindCheckin, "sam", "2024-02-27"),
		entry(journal.KindCheckin, "sam", "2023-01-01"), // before the heatmap
		entry(journal.KindCheckin, "alex", "2023-01-01"),
	}
	done := journal.NewBucketItem("Ramen", "sam", mustDay(t, "2024-01-01"), at)
	done.MarkDone("sam", mustDay(t, "2024-01-02"))
	bucket := []*journal.Entry{
		done,
		journal.NewBucketItem("The sea", "alex", mustDay(t, "2024-01-01"), at),
		journal.NewBucketItem("Later", "alex", mustDay(t, "2024-03-02"), at),
	}
	v := computeStats(entries, bucket, "sam", day)
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, 51*7+5) // 2024-03-01 is a Friday
	counts[len(counts)-4], counts[len(counts)-3], counts[len(counts)-2] = 3, 5, 6
	wantCounts, _ := json.Marshal(counts)
	want := `{"date":"2024-03-01","partners":[` +
		`{"name":"sam","current_streak":3,"longest_streak":3,"checkin_days":4,"entries":9,"entries_by_kind":{"challenge":2,"checkin":5,"thanks":2},"gratitude_notes":2,"challenge_days_done":1},` +
		`{"name":"alex","current_streak":3,"longest_streak":3,"checkin_days":4,"entries":5,"entries_by_kind":{"challenge":1,"checkin":4},"gratitude_notes":0,"challenge_days_done":1},` +
		`{"name":"kim","current_streak":1,"longest_streak":1,"checkin_days":2,"entries":2,"entries_by_kind":{"checkin":2},"gratitude_notes":0,"challenge_days_done":0}],` +
		`"couple":{"current_streak":1,"longest_streak":1,"days":2},"bucket":{"done":1,"open":1},` +
		`"heatmap":{"start":"2023-03-06","end":"2024-03-01","counts":` + string(wantCounts) + `}}`
	if string(got) != want {
		t.Errorf("computeStats:\n got %s\nwant %s", got, want)
	}
	if v := computeStats(nil, nil, "sam", day); v.Partners == nil || v.Couple != (streakStats{}) {
		t.Errorf("computeStats of nothing = %+v", v)
	}
}
