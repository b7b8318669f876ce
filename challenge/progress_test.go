package challenge

import (
	"slices"
	"testing"
)

func TestProgressOf(t *testing.T) {
	run := Run{Start: date("2026-11-01"), StartedBy: "sam"}
	e := func(author, on string) Done { return Done{Author: author, Date: date(on), Emotional: true} }
	p := func(author, on string) Done { return Done{Author: author, Date: date(on), Physical: true} }
	type want struct {
		author                     string
		marked                     map[int]DayMark
		streak, daysDone, daysLeft int
	}
	for _, tc := range []struct {
		name    string
		dones   []Done
		authors []string
		today   string
		want    []want
	}{
		{
			name:    "nothing yet",
			authors: []string{"sam", "alex"},
			today:   "2026-11-01",
			want:    []want{{"sam", nil, 0, 0, 30}, {"alex", nil, 0, 0, 30}},
		},
		{
			name: "streak through today",
			dones: []Done{
				e("sam", "2026-11-01"), p("sam", "2026-11-02"), e("sam", "2026-11-03"), p("sam", "2026-11-03"),
			},
			authors: []string{"sam"},
			today:   "2026-11-03",
			want:    []want{{"sam", map[int]DayMark{1: {true, false}, 2: {false, true}, 3: {true, true}}, 3, 3, 28}},
		},
		{
			name:    "today not done yet: streak up to yesterday",
			dones:   []Done{e("sam", "2026-11-01"), e("sam", "2026-11-02")},
			authors: []string{"sam"},
			today:   "2026-11-03",
			want:    []want{{"sam", map[int]DayMark{1: {true, false}, 2: {true, false}}, 2, 2, 28}},
		},
		{
			name:    "a missed day breaks the streak",
			dones:   []Done{e("sam", "2026-11-01"), e("sam", "2026-11-02"), e("sam", "2026-11-04")},
			authors: []string{"sam"},
			today:   "2026-11-05",
			want:    []want{{"sam", map[int]DayMark{1: {true, false}, 2: {true, false}, 4: {true, false}}, 1, 3, 26}},
		},
		{
			name:    "yesterday missed too: no streak",
			dones:   []Done{e("sam", "2026-11-01")},
			authors: []string{"sam"},
			today:   "2026-11-03",
			want:    []want{{"sam", map[int]DayMark{1: {true, false}}, 0, 1, 28}},
		},
		{
			name: "two files for one day add up; partners are separate",
			dones: []Done{
				e("sam", "2026-11-02"), p("sam", "2026-11-02"), p("alex", "2026-11-02"),
			},
			authors: []string{"alex", "sam"},
			today:   "2026-11-02",
			want: []want{
				{"alex", map[int]DayMark{2: {false, true}}, 1, 1, 29},
				{"sam", map[int]DayMark{2: {true, true}}, 1, 1, 29},
			},
		},
		{
			// A done's Day is what its writer's clone computed; after a sync
			// settles two runs into one it can name another day, so the
			// date decides which day of this run it marks.
			name: "the date decides the day, not the Day written",
			dones: []Done{
				{Author: "sam", Date: date("2026-11-05"), Day: 1, Emotional: true},
				{Author: "sam", Date: date("2026-11-05"), Day: 5, Physical: true},
			},
			authors: []string{"sam"},
			today:   "2026-11-05",
			want:    []want{{"sam", map[int]DayMark{5: {true, true}}, 1, 1, 26}},
		},
		{
			name: "dones outside the run do not count",
			dones: []Done{
				e("sam", "2026-10-31"), e("sam", "2026-12-01"), e("sam", "2026-11-30"),
				{Author: "sam", Date: date("2026-10-20"), Day: 3, Emotional: true},
			},
			authors: []string{"sam"},
			today:   "2026-11-30",
			want:    []want{{"sam", map[int]DayMark{30: {true, false}}, 1, 1, 1}},
		},
		{
			name:    "after the run: the streak that ended on day 30",
			dones:   []Done{e("sam", "2026-11-29"), e("sam", "2026-11-30")},
			authors: []string{"sam"},
			today:   "2026-12-03",
			want:    []want{{"sam", map[int]DayMark{29: {true, false}, 30: {true, false}}, 2, 2, 0}},
		},
		{
			name:    "after the run, day 30 missed",
			dones:   []Done{e("sam", "2026-11-29")},
			authors: []string{"sam"},
			today:   "2026-12-03",
			want:    []want{{"sam", map[int]DayMark{29: {true, false}}, 0, 1, 0}},
		},
		{
			name:  "no authors given: everyone with a done, sorted",
			dones: []Done{p("sam", "2026-11-01"), e("alex", "2026-11-01"), e("robin", "2026-10-01")},
			today: "2026-11-01",
			want: []want{
				{"alex", map[int]DayMark{1: {true, false}}, 1, 1, 30},
				{"sam", map[int]DayMark{1: {false, true}}, 1, 1, 30},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			permutations(tc.dones, func(dones []Done) {
				got := ProgressOf(run, dones, tc.authors, date(tc.today))
				if len(got) != len(tc.want) {
					t.Fatalf("got %d authors, want %d: %+v", len(got), len(tc.want), got)
				}
				for i, w := range tc.want {
					g := got[i]
					var days [Length]DayMark
					for d, m := range w.marked {
						days[d-1] = m
					}
					if g.Author != w.author || g.Days != days || g.Streak != w.streak || g.DaysDone != w.daysDone || g.DaysLeft != w.daysLeft {
						t.Fatalf("ProgressOf(%v)[%d] = %+v\nwant author %s streak %d done %d left %d marks %v",
							dones, i, g, w.author, w.streak, w.daysDone, w.daysLeft, w.marked)
					}
				}
			})
		})
	}
}

func TestProgressOfKeepsCallerSlices(t *testing.T) {
	authors := make([]string, 0, 4)
	dones := []Done{{Author: "sam", Date: date("2026-11-01"), Emotional: true}}
	ProgressOf(Run{Start: date("2026-11-01")}, dones, authors, date("2026-11-01"))
	if slices.Contains(authors[:cap(authors)], "sam") {
		t.Fatal("ProgressOf wrote into the caller's authors array")
	}
}
