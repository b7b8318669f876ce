package challenge

import (
	"cmp"
	"slices"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Start is the fact "Author started the challenge on On", as written in the
// journal; Created is when the entry was written (it only breaks ties).
type Start struct {
	Author  string
	On      civil.Date
	Created time.Time
}

// Done is the fact "Author did day Day's activities on Date": Emotional and
// Physical say which of the two. Day 0 means "the run day of Date".
type Done struct {
	Author    string
	Date      civil.Date
	Day       int
	Emotional bool
	Physical  bool
}

// Run is one 30-day run of the challenge: day 1 is Start, day [Length] is
// Start+29. StartedBy is the author of the start that opened it.
type Run struct {
	Start     civil.Date
	StartedBy string
}

// DayOn is the run day of d: 1..[Length] inside the run, below 1 before it,
// above [Length] after it.
func (r Run) DayOn(d civil.Date) int { return d.DaysSince(r.Start) + 1 }

// End is the last day of the run, day [Length].
func (r Run) End() civil.Date { return r.Start.AddDays(Length - 1) }

// Contains reports whether d is one of the run's 30 days.
func (r Run) Contains(d civil.Date) bool {
	n := r.DayOn(d)
	return n >= 1 && n <= Length
}

// Runs groups starts into runs, earliest first. The rule, which does not
// depend on the order of starts (so both partners' clones agree whatever
// order they synced in):
//
//   - starts are taken in order of On, then Created, then Author; starts with
//     a zero On are ignored;
//   - the first start opens a run on its On;
//   - a later start whose On falls inside the current run's 30 days
//     [run.Start, run.Start+29] joins that run and opens nothing;
//   - a start after the current run's day 30 opens a new run.
//
// So two partners who each start on different days before syncing end up in
// one run that began on the earlier day, and a start made after a run ended
// begins a fresh one.
func Runs(starts []Start) []Run {
	s := slices.Clone(starts)
	s = slices.DeleteFunc(s, func(x Start) bool { return x.On.IsZero() })
	slices.SortFunc(s, func(a, b Start) int {
		return cmp.Or(a.On.Compare(b.On), a.Created.Compare(b.Created), cmp.Compare(a.Author, b.Author))
	})
	var runs []Run
	for _, x := range s {
		if n := len(runs); n > 0 && runs[n-1].Contains(x.On) {
			continue
		}
		runs = append(runs, Run{Start: x.On, StartedBy: x.Author})
	}
	return runs
}

// ActiveRun is the run whose 30 days include today, grouping starts as
// [Runs] does; false when no run contains today (none started yet, the last
// one finished, or the only starts lie in the future).
func ActiveRun(starts []Start, today civil.Date) (Run, bool) {
	for _, r := range Runs(starts) {
		if r.Contains(today) {
			return r, true
		}
	}
	return Run{}, false
}
