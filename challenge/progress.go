package challenge

import (
	"slices"
	"sort"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/streak"
)

// DayMark says which of a day's two activities an author did.
type DayMark struct {
	Emotional bool
	Physical  bool
}

// Any reports whether at least one of the day's activities was done.
func (m DayMark) Any() bool { return m.Emotional || m.Physical }

// Progress is one author's record in a run.
//
//   - Days[i] is day i+1 of the run.
//   - Streak is the number of consecutive run days, ending today (or
//     yesterday, when today has nothing yet), with at least one activity
//     done. After the run's last day it is the streak that ended on day 30.
//   - DaysDone is the number of run days with at least one activity done.
//   - DaysLeft is the number of run days still ahead, today included: 30
//     before the run, 0 after it.
type Progress struct {
	Author   string
	Days     [Length]DayMark
	Streak   int
	DaysDone int
	DaysLeft int
}

// ProgressOf folds dones into one [Progress] per author, in the order of
// authors (when authors is empty: every author with a done in the run,
// sorted).
//
// A done counts for run when its Date is one of the run's 30 days, and it
// marks the run day of its Date. Its Day is what the writer's clone thought
// it was; after two partners' runs are reconciled by a sync (see [Runs]) it
// may name another day of the winning run, so the date decides. Several
// dones for one author and day add up (a merge can leave two files for one
// day), so the result does not depend on their order.
func ProgressOf(run Run, dones []Done, authors []string, today civil.Date) []Progress {
	in := make([]Done, 0, len(dones))
	for _, d := range dones {
		if run.Contains(d.Date) {
			in = append(in, d)
		}
	}
	if len(authors) == 0 {
		seen := map[string]bool{}
		var found []string
		for _, d := range in {
			if !seen[d.Author] {
				seen[d.Author] = true
				found = append(found, d.Author)
			}
		}
		sort.Strings(found)
		authors = found
	}

	t := run.DayOn(today)
	out := make([]Progress, 0, len(authors))
	for _, a := range authors {
		p := Progress{Author: a}
		for _, d := range in {
			if d.Author != a {
				continue
			}
			m := &p.Days[run.DayOn(d.Date)-1]
			m.Emotional = m.Emotional || d.Emotional
			m.Physical = m.Physical || d.Physical
		}
		for _, m := range p.Days {
			if m.Any() {
				p.DaysDone++
			}
		}
		p.Streak = runStreak(p.Days, t)
		p.DaysLeft = min(max(Length-t+1, 0), Length)
		out = append(out, p)
	}
	return slices.Clip(out)
}

// runStreak is the streak (see [streak.Current]) of marked days up to run
// day t; after the run it is the streak that ended on day [Length], which
// is counting from day Length+1, a day never marked.
func runStreak(days [Length]DayMark, t int) int {
	return streak.Current(min(t, Length+1), func(n int) bool {
		return n >= 1 && n <= Length && days[n-1].Any()
	})
}
