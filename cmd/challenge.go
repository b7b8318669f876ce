package cmd

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

func newChallengeCmd(a *App) *cobra.Command {
	opts := newChallengeTodayOptions(a)
	c := &cobra.Command{
		Use:   "challenge",
		Short: "The 30-day reconnection challenge, one small step a day",
		Long: `Thirty days of small, deliberate steps. Each day offers one emotional and
one physical activity from the guide: pick the one that feels right, or do
both. It is not about checking boxes; it is about building momentum.

One run is shared by the couple: whoever starts it starts it for both, and
if you both start one on different days before syncing, you end up in the
one that began first. With no subcommand, 'challenge' shows today (or the
day --date gives, every day on it said as seen from that day).`,
		Example: `  reconnect challenge start                  # day 1 is today
  reconnect challenge start --on 2026-11-23  # or plan it
  reconnect challenge today                  # today's two activities
  reconnect challenge --date 2026-12-01      # the same, as seen from that day
  reconnect challenge done --emotional --note "We laughed a lot"
  reconnect challenge status                 # the 30-day grid for both of you
  reconnect challenge show 16
  reconnect challenge list`,
		Args: exactArgs(0, "a subcommand: start, today, done, status, show or list"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeToday(c.Context(), opts) },
	}
	// Bare 'challenge' is 'challenge today', flags included.
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	c.AddCommand(newChallengeStartCmd(a, nil), newChallengeTodayCmd(a, nil), newChallengeDoneCmd(a, nil),
		newChallengeStatusCmd(a, nil), newChallengeShowCmd(a, nil), newChallengeListCmd(a, nil))
	return c
}

// challengeFacts is what the journal says about the challenge: every start
// and every day done, folded from entries so both clones agree.
type challengeFacts struct {
	Starts  []challenge.Start
	Dones   []challenge.Done
	entries map[string]*journal.Entry // challenge entries by author and date
}

// entry is who's challenge entry of day, or nil.
func (f challengeFacts) entry(who string, day civil.Date) *journal.Entry {
	return f.entries[who+" "+day.String()]
}

// challengeLookback is how far back, in days, readChallenge first looks
// for starts; it looks further only when it must.
const challengeLookback = 180

// readChallenge folds the challenge and challenge-start entries into the
// facts that decide the run of day and after (j nil: no journal yet).
//
// Which run is active is a fold over starts, and in principle over all of
// them: a start only opens a run when no earlier run covers it. But a
// stretch of 30 days with no start cuts that chain: no run reaches past it,
// so the runs after it depend only on the starts after it. readChallenge
// reads back from day until it finds such a stretch ([challenge.ChainCut];
// a start's 'on' lies within 30 days of the day it was written, see
// [challenge.MaxStartBack]), and keeps the starts after it; both clones
// cut at the same place, so they still agree. Runs that ended before the
// cut are not reported: after months without the challenge, there is
// simply none.
//
// Both kinds are asked for together, so that a file name never hides one
// kind behind the other ("challenge-start-x" could be a challenge entry by
// an author named start-x).
func readChallenge(j *Journal, day civil.Date, warn func([]error)) (challengeFacts, error) {
	if j == nil {
		return challengeFacts{}, nil
	}
	for lookback := challengeLookback; ; lookback *= 4 {
		since := day.AddDays(-lookback)
		if lookback > 40*366 {
			since = civil.Date{} // everything
		}
		f, err := readChallengeSince(j, since, warn)
		if err != nil || since.IsZero() {
			return f, err
		}
		// Starts with 'on' from complete on are all among those read.
		complete := since.AddDays(challenge.Length)
		if cut, ok := challenge.ChainCut(f.Starts, complete, day); ok {
			f.Starts = slices.DeleteFunc(f.Starts, func(s challenge.Start) bool { return s.On.Before(cut) })
			return f, nil
		}
	}
}

func readChallengeSince(j *Journal, since civil.Date, warn func([]error)) (challengeFacts, error) {
	entries, warnings, err := j.Store.List(journal.Query{Since: since,
		Kinds: []journal.Kind{journal.KindChallenge, journal.KindChallengeStart}})
	if err != nil {
		return challengeFacts{}, err
	}
	warn(warnings)
	f := challengeFacts{entries: map[string]*journal.Entry{}}
	for _, e := range entries {
		switch e.Kind {
		case journal.KindChallengeStart:
			on, ok := e.DateField(journal.FieldOn)
			if !ok {
				on = e.Date
			}
			f.Starts = append(f.Starts, challenge.Start{Author: e.Author, On: on, Created: e.Created})
		case journal.KindChallenge:
			d := challenge.Done{Author: e.Author, Date: e.Date}
			d.Day, d.Emotional, d.Physical = e.ChallengeMarks()
			f.Dones = append(f.Dones, d)
			key := e.Author + " " + e.Date.String()
			if _, seen := f.entries[key]; !seen || isPlainPath(e.Path) {
				f.entries[key] = e
			}
		}
	}
	return f, nil
}

// isPlainPath reports whether p is not a conflict copy.
func isPlainPath(p string) bool { return !gitsync.IsConflictCopy(p) }

// challengeNext is the one line that says what to do next.
func challengeNext(st challenge.State, day civil.Date) string {
	switch st.Status {
	case challenge.Active:
		return "pick one that feels right, or both: reconnect challenge done --emotional / --physical"
	case challenge.Upcoming:
		return "to begin today instead: reconnect challenge start"
	case challenge.Finished:
		return "start another run: reconnect challenge start"
	}
	return "start one: reconnect challenge start (day 1 is today), or plan it with --on " + day.AddDays(2).String()
}

// runJSON is a run in JSON.
type runJSON struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	StartedBy string `json:"started_by"`
}

func runOf(st challenge.State) *runJSON {
	if st.Status == challenge.None {
		return nil
	}
	return &runJSON{Start: st.Run.Start.String(), End: st.Run.End().String(), StartedBy: st.Run.StartedBy}
}

// markJSON is which of a day's activities someone did.
type markJSON struct {
	Emotional bool   `json:"emotional"`
	Physical  bool   `json:"physical"`
	Note      string `json:"note,omitempty"`
}

// challengeDayView is 'challenge today', also its JSON, and the challenge
// part of 'today'.
type challengeDayView struct {
	Date      string              `json:"date"`
	Status    challenge.Status    `json:"status"`
	Day       int                 `json:"day"`
	Length    int                 `json:"length"`
	Theme     string              `json:"theme"`
	Emotional string              `json:"emotional"`
	Physical  string              `json:"physical"`
	Try       string              `json:"try,omitempty"` // the command that helps with the day's activity
	Run       *runJSON            `json:"run"`
	Done      map[string]markJSON `json:"done"`
	Next      string              `json:"next"`

	st challenge.State
}

// challengeDay folds the journal (nil: none yet) into the challenge view of
// day; recent is who checked in lately; warn is told of files skipped.
func challengeDay(j *Journal, who string, day civil.Date, recent []string, warn func([]error)) (challengeDayView, error) {
	f, err := readChallenge(j, day, warn)
	if err != nil {
		return challengeDayView{}, err
	}
	st := challenge.StateOn(f.Starts, day)
	v := challengeDayView{Date: day.String(), Status: st.Status, Length: challenge.Length, Run: runOf(st),
		Done: map[string]markJSON{}, Next: challengeNext(st, day), st: st}
	if st.Status != challenge.Active {
		return v, nil
	}
	v.Day = st.Run.DayOn(day)
	act, _ := challenge.Day(v.Day)
	v.Theme, v.Emotional, v.Physical, v.Try = act.Theme, act.Emotional, act.Physical, act.Try
	for _, pr := range challenge.ProgressOf(st.Run, f.Dones, challenge.Participants(who, recent, st.Run, f.Starts, f.Dones), day) {
		m := pr.Days[v.Day-1]
		mj := markJSON{Emotional: m.Emotional, Physical: m.Physical}
		if e := f.entry(pr.Author, day); e != nil {
			mj.Note, _ = e.Section("")
		}
		v.Done[pr.Author] = mj
	}
	return v, nil
}

// printChallengeDay prints the challenge of day to out, indented by
// indent; the days it names are said as seen from day.
func printChallengeDay(out *IOStreams, v challengeDayView, who string, day civil.Date, indent string) {
	p := out.Palette()
	r := v.st.Run
	switch v.Status {
	case challenge.None:
		out.Printf("%sNo 30-day challenge is running. %s\n", indent, capitalize(v.Next)+".")
		return
	case challenge.Upcoming:
		out.Printf("%sThe 30-day challenge starts %s, in %s. %s\n", indent, dayNameFrom(day, r.Start),
			plural(r.Start.DaysSince(day), "day"), capitalize(v.Next)+".")
		return
	case challenge.Finished:
		out.Printf("%sYour 30-day challenge ended %s, after day %d. %s\n", indent, relDayFrom(day, r.End()), challenge.Length, capitalize(v.Next)+".")
		return
	}
	out.Printf("%s%s %s\n", indent, p.Bold(fmt.Sprintf("Day %d of %d", v.Day, v.Length)), p.Dim("· "+v.Theme))
	out.Printf("%s  Emotional  %s\n", indent, v.Emotional)
	out.Printf("%s  Physical   %s\n", indent, v.Physical)
	printTry(out, v.Try, indent)
	for _, n := range youFirst(who, sortedKeys(v.Done)) {
		m := v.Done[n]
		label := displayName(n)
		if n == who {
			label = "You"
		}
		var did []string
		if m.Emotional {
			did = append(did, "the emotional one")
		}
		if m.Physical {
			did = append(did, "the physical one")
		}
		if len(did) == 0 {
			out.Printf("%s  %s %s: not yet\n", indent, p.Dim("·"), label)
			continue
		}
		out.Printf("%s  %s %s did %s\n", indent, p.Green("✓"), label, strings.Join(did, " and "))
	}
}

// capitalize upper-cases the first letter of a sentence.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sortedKeys is the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// youFirst puts who first, then the others in their order.
func youFirst(who string, names []string) []string {
	out := []string{who}
	for _, n := range names {
		if n != who {
			out = append(out, n)
		}
	}
	return out
}
