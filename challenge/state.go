package challenge

import (
	"slices"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Status is how the challenge stands on a day; its value is what the
// commands print in JSON.
type Status string

// The states of the challenge on a day.
const (
	Active   Status = "active"   // a run's 30 days include the day
	Upcoming Status = "upcoming" // a run is planned to start later
	Finished Status = "finished" // the last run ended before the day
	None     Status = "none"     // no run was ever started
)

// State is the run that matters on a day and how it stands.
type State struct {
	Status Status
	Run    Run
}

// StateOn is the run active on day (see [ActiveRun]); else the next one
// planned; else the last one finished; else none.
func StateOn(starts []Start, day civil.Date) State {
	if r, ok := ActiveRun(starts, day); ok {
		return State{Status: Active, Run: r}
	}
	runs := Runs(starts)
	for _, r := range runs {
		if r.Start.After(day) {
			return State{Status: Upcoming, Run: r}
		}
	}
	if n := len(runs); n > 0 {
		return State{Status: Finished, Run: runs[n-1]}
	}
	return State{Status: None}
}

// Day is the run day of day when the run is active on it, else 0.
func (s State) Day(day civil.Date) int {
	if s.Status != Active {
		return 0
	}
	return s.Run.DayOn(day)
}

// ChainCut is the first day x on or after from+30, and not after day, such
// that no start falls in the 30 days before x; false when there is none.
// Runs from x on are the same whether or not the starts before x are known
// (see [Runs]: a stretch of 30 days with no start cuts the chain of runs),
// so a reader may stop looking back at x and drop the starts before it.
// Only the starts whose On is on or after from are looked at.
func ChainCut(starts []Start, from, day civil.Date) (civil.Date, bool) {
	ons := make([]civil.Date, 0, len(starts))
	for _, s := range starts {
		if !s.On.IsZero() && !s.On.Before(from) {
			ons = append(ons, s.On)
		}
	}
	slices.SortFunc(ons, civil.Date.Compare)
	x := from.AddDays(Length)
	for _, on := range ons {
		if !on.Before(x) {
			break
		}
		x = on.AddDays(Length + 1)
	}
	return x, !x.After(day)
}

// Participants is the couple as far as a run sees it: who, the names in
// recent (who checked in lately), and whoever started the run or marked a
// day in it, sorted.
func Participants(who string, recent []string, run Run, starts []Start, dones []Done) []string {
	set := map[string]bool{who: true}
	for _, s := range starts {
		if run.Contains(s.On) {
			set[s.Author] = true
		}
	}
	for _, d := range dones {
		if run.Contains(d.Date) {
			set[d.Author] = true
		}
	}
	for _, n := range recent {
		set[n] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// How far from the day it is written a start's On may lie: a run can be
// started up to MaxStartBack days back, or planned up to MaxStartAhead
// days ahead. [ChainCut] relies on it: a start read back to a day is never
// more than 30 days from it.
const (
	MaxStartBack  = Length - 1
	MaxStartAhead = Length
)

// Opens reports whether s, added to starts, opens a run of its own; false
// when a run of starts already covers s.On (one run at a time) or s.On is
// zero.
func Opens(starts []Start, s Start) bool {
	with := append(slices.Clone(starts), s)
	return !slices.Equal(Runs(starts), Runs(with))
}

// StateLookingBack is [StateOn] for a look back over the journal: a run
// planned ahead of day yields to the last run that began before day, when
// there is one, which is then [Finished].
func StateLookingBack(starts []Start, day civil.Date) State {
	st := StateOn(starts, day)
	if st.Status != Upcoming {
		return st
	}
	for _, r := range Runs(starts) {
		if r.Start.Before(day) {
			st = State{Status: Finished, Run: r}
		}
	}
	return st
}
