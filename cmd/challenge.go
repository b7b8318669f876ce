package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

func newChallengeCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "challenge",
		Short: "The 30-day reconnection challenge, one small step a day",
		Long: `Thirty days of small, deliberate steps. Each day offers one emotional and
one physical activity from the guide: pick the one that feels right, or do
both. It is not about checking boxes; it is about building momentum.

One run is shared by the couple: whoever starts it starts it for both, and
if you both start one on different days before syncing, you end up in the
one that began first. With no subcommand, 'challenge' shows today.`,
		Example: `  reconnect challenge start                  # day 1 is today
  reconnect challenge start --on 2026-11-23  # or plan it
  reconnect challenge today                  # today's two activities
  reconnect challenge done --emotional --note "We laughed a lot"
  reconnect challenge status                 # the 30-day grid for both of you
  reconnect challenge show 16
  reconnect challenge list`,
		Args: exactArgs(0, "a subcommand: start, today, done, status, show or list"),
		RunE: func(c *cobra.Command, _ []string) error {
			return runChallengeToday(c.Context(), a, &challengeTodayOptions{})
		},
	}
	c.AddCommand(newChallengeStartCmd(a), newChallengeTodayCmd(a), newChallengeDoneCmd(a),
		newChallengeStatusCmd(a), newChallengeShowCmd(a), newChallengeListCmd(a))
	return c
}

// The state of the challenge on a day.
const (
	runActive   = "active"   // a run's 30 days include the day
	runUpcoming = "upcoming" // a run is planned to start later
	runFinished = "finished" // the last run ended before the day
	runNone     = "none"     // no run was ever started
)

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
// reads back from day until it finds such a stretch (a start's 'on' lies
// within 30 days of the day it was written, which 'challenge start'
// enforces), and keeps the starts after it; both clones cut at the same
// place, so they still agree. Runs that ended before the cut are not
// reported: after months without the challenge, there is simply none.
//
// Both kinds are asked for together, so that a file name never hides one
// kind behind the other ("challenge-start-x" could be a challenge entry by
// an author named start-x).
func (a *App) readChallenge(j *Journal, day civil.Date) (challengeFacts, error) {
	if j == nil {
		return challengeFacts{}, nil
	}
	for lookback := challengeLookback; ; lookback *= 4 {
		since := day.AddDays(-lookback)
		if lookback > 40*366 {
			since = civil.Date{} // everything
		}
		f, err := a.readChallengeSince(j, since)
		if err != nil || since.IsZero() {
			return f, err
		}
		// Starts with 'on' from complete on are all among those read.
		complete := since.AddDays(challenge.Length)
		if cut, ok := chainCut(f.Starts, complete, day); ok {
			f.Starts = slices.DeleteFunc(f.Starts, func(s challenge.Start) bool { return s.On.Before(cut) })
			return f, nil
		}
	}
}

// chainCut is the first day x on or after from+30, and not after day, such
// that no start falls in the 30 days before x; false when there is none.
// Runs from x on are the same whether or not the starts before x are known.
func chainCut(starts []challenge.Start, from, day civil.Date) (civil.Date, bool) {
	ons := make([]civil.Date, 0, len(starts))
	for _, s := range starts {
		if !s.On.IsZero() && !s.On.Before(from) {
			ons = append(ons, s.On)
		}
	}
	slices.SortFunc(ons, civil.Date.Compare)
	x := from.AddDays(challenge.Length)
	for _, on := range ons {
		if !on.Before(x) {
			break
		}
		x = on.AddDays(challenge.Length + 1)
	}
	return x, !x.After(day)
}

func (a *App) readChallengeSince(j *Journal, since civil.Date) (challengeFacts, error) {
	entries, warnings, err := j.Store.List(journal.Query{Since: since,
		Kinds: []journal.Kind{journal.KindChallenge, journal.KindChallengeStart}})
	if err != nil {
		return challengeFacts{}, err
	}
	a.warn(warnings)
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
			d.Day, _ = e.IntField(journal.FieldDay)
			d.Emotional, _ = e.BoolField(journal.FieldEmotional)
			d.Physical, _ = e.BoolField(journal.FieldPhysical)
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

// runState is the run that matters on a day and how it stands.
type runState struct {
	Status string
	Run    challenge.Run
}

// runStateOn is the run active on day; else the next one planned; else the
// last one finished; else none.
func runStateOn(starts []challenge.Start, day civil.Date) runState {
	if r, ok := challenge.ActiveRun(starts, day); ok {
		return runState{Status: runActive, Run: r}
	}
	runs := challenge.Runs(starts)
	for _, r := range runs {
		if r.Start.After(day) {
			return runState{Status: runUpcoming, Run: r}
		}
	}
	if n := len(runs); n > 0 {
		return runState{Status: runFinished, Run: runs[n-1]}
	}
	return runState{Status: runNone}
}

// challengeAuthors is the couple as far as the challenge sees it: you, who
// checked in lately (recent), and whoever wrote challenge entries in the run.
func challengeAuthors(who string, recent []string, f challengeFacts, run challenge.Run) []string {
	set := map[string]bool{who: true}
	for _, s := range f.Starts {
		if run.Contains(s.On) {
			set[s.Author] = true
		}
	}
	for _, d := range f.Dones {
		if run.Contains(d.Date) {
			set[d.Author] = true
		}
	}
	for _, n := range recent {
		set[n] = true
	}
	return sortedKeys(set)
}

// challengeNext is the one line that says what to do next.
func challengeNext(st runState, day civil.Date) string {
	switch st.Status {
	case runActive:
		return "pick one that feels right, or both: reconnect challenge done --emotional / --physical"
	case runUpcoming:
		return "to begin today instead: reconnect challenge start"
	case runFinished:
		return "start another run: reconnect challenge start"
	}
	return "start one: reconnect challenge start (day 1 is today), or plan it with --on " + day.AddDays(2).String()
}

type challengeStartOptions struct {
	Date civil.Date
	On   civil.Date
}

func newChallengeStartCmd(a *App) *cobra.Command {
	opts := &challengeStartOptions{}
	c := &cobra.Command{
		Use:   "start",
		Short: "Start the 30-day challenge (today, or on a day you choose)",
		Long: `Start a 30-day run of the challenge for the two of you: day 1 is today, or
the day given with --on (up to 29 days back, or up to 30 days ahead).

Starting while a run is already going changes nothing: there is one run at
a time. Once a run has passed day 30, 'start' begins a fresh one.`,
		Example: `  reconnect challenge start
  reconnect challenge start --on 2026-11-23   # plan it for Monday
  reconnect challenge start --on 2026-11-19   # you began on Thursday`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeStart(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day you start it from (default today)")
	c.Flags().Var(dateValue{&opts.On}, "on", "day 1 of the run (default: the day it is started)")
	return c
}

func runChallengeStart(ctx context.Context, a *App, opts *challengeStartOptions) error {
	day := a.dateOr(opts.Date)
	on := opts.On
	if on.IsZero() {
		on = day
	}
	switch n := on.DaysSince(day); {
	case n < -(challenge.Length - 1):
		return withHint(usagef("--on %s is %d days back: a run can be started at most %d days back", on, -n, challenge.Length-1),
			"start a fresh run from today: reconnect challenge start")
	case n > challenge.Length:
		return usagef("--on %s is %d days ahead: plan a run at most %d days ahead", on, n, challenge.Length)
	}
	var st runState
	wrote := false
	_, err := a.write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		// Facts exact from the earlier of on and day.
		from := day
		if on.Before(day) {
			from = on
		}
		f, err := a.readChallenge(j, from)
		if err != nil {
			return "", nil, err
		}
		before := challenge.Runs(f.Starts)
		starts := append(slices.Clone(f.Starts), challenge.Start{Author: who, On: on, Created: a.Now()})
		st = runStateOn(starts, day)
		if slices.Equal(before, challenge.Runs(starts)) {
			// Already covered by a run: one run at a time.
			st = runStateOn(starts, on)
			return "", nil, nil
		}
		e := journal.NewChallengeStart(who, day, a.Now(), on)
		e.Path = journal.PathFor(e, nil)
		wrote = true
		return fmt.Sprintf("challenge start: %s %s", who, on), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	p := a.IO.Palette()
	r := st.Run
	if !wrote {
		by := "you"
		if r.StartedBy != "" {
			by = displayName(r.StartedBy)
		}
		switch {
		case r.Start.After(day):
			a.IO.Printf("A 30-day challenge is already planned to start %s (by %s). Nothing to start.\n", a.dayName(r.Start), by)
		case r.Contains(day):
			a.IO.Printf("A 30-day challenge is already running: day %d of %d, started %s by %s. Nothing to start.\n",
				r.DayOn(day), challenge.Length, a.dayName(r.Start), by)
		default:
			a.IO.Printf("A 30-day challenge that started %s by %s already covers %s. Nothing to start.\n",
				a.dayName(r.Start), by, on)
		}
		return nil
	}
	if st.Status == runUpcoming {
		a.IO.Printf("%s The 30-day challenge is planned: day 1 is %s.\n", p.Green("✓"), a.dayName(r.Start))
		first, _ := challenge.Day(1)
		a.IO.Printf("\nDay 1 · %s\n  Emotional  %s\n  Physical   %s\n", first.Theme, first.Emotional, first.Physical)
		return nil
	}
	n := r.DayOn(day)
	if r.Start == day {
		a.IO.Printf("%s The 30-day challenge starts today: day 1 of %d.\n", p.Green("✓"), challenge.Length)
	} else {
		a.IO.Printf("%s The 30-day challenge started %s: today is day %d of %d.\n", p.Green("✓"), a.dayName(r.Start), n, challenge.Length)
	}
	act, _ := challenge.Day(n)
	a.IO.Printf("\nDay %d · %s\n  Emotional  %s\n  Physical   %s\n", n, act.Theme, act.Emotional, act.Physical)
	a.IO.Printf("\nDon't feel pressured to do both: pick one that feels right. Then: reconnect challenge done\n")
	return nil
}

type challengeTodayOptions struct {
	Date civil.Date
	JSON bool
}

func newChallengeTodayCmd(a *App) *cobra.Command {
	opts := &challengeTodayOptions{}
	c := &cobra.Command{
		Use:   "today",
		Short: "Today's two activities and who has done them",
		Long: `Show the day of the challenge: which day of 30, its emotional and its
physical activity, and what each of you has done today. Before a run starts
or after its day 30, it says so and what to do next.`,
		Example: `  reconnect challenge today
  reconnect challenge today --date 2026-11-20
  reconnect challenge today --json | jq .day`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeToday(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

// runJSON is a run in JSON.
type runJSON struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	StartedBy string `json:"started_by"`
}

func runOf(st runState) *runJSON {
	if st.Status == runNone {
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
	Status    string              `json:"status"`
	Day       int                 `json:"day"`
	Length    int                 `json:"length"`
	Theme     string              `json:"theme"`
	Emotional string              `json:"emotional"`
	Physical  string              `json:"physical"`
	Run       *runJSON            `json:"run"`
	Done      map[string]markJSON `json:"done"`
	Next      string              `json:"next"`

	st runState
}

// challengeDay folds the journal (nil: none yet) into the challenge view of
// day; recent is who checked in lately.
func (a *App) challengeDay(j *Journal, who string, day civil.Date, recent []string) (challengeDayView, error) {
	f, err := a.readChallenge(j, day)
	if err != nil {
		return challengeDayView{}, err
	}
	st := runStateOn(f.Starts, day)
	v := challengeDayView{Date: day.String(), Status: st.Status, Length: challenge.Length, Run: runOf(st),
		Done: map[string]markJSON{}, Next: challengeNext(st, day), st: st}
	if st.Status != runActive {
		return v, nil
	}
	v.Day = st.Run.DayOn(day)
	act, _ := challenge.Day(v.Day)
	v.Theme, v.Emotional, v.Physical = act.Theme, act.Emotional, act.Physical
	for _, pr := range challenge.ProgressOf(st.Run, f.Dones, challengeAuthors(who, recent, f, st.Run), day) {
		m := pr.Days[v.Day-1]
		mj := markJSON{Emotional: m.Emotional, Physical: m.Physical}
		if e := f.entry(pr.Author, day); e != nil {
			mj.Note, _ = e.Section("")
		}
		v.Done[pr.Author] = mj
	}
	return v, nil
}

func runChallengeToday(ctx context.Context, a *App, opts *challengeTodayOptions) error {
	day := a.dateOr(opts.Date)
	who, err := a.author()
	if err != nil {
		return err
	}
	j, err := a.readJournal(ctx)
	if err != nil {
		return err
	}
	v, err := a.challengeDay(j, who, day, a.recentAuthors(j, day))
	if err != nil {
		return err
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	a.printChallengeDay(v, who, day, "")
	if v.Status == runActive {
		a.IO.Printf("\n%s\n", capitalize(v.Next))
	}
	return nil
}

// printChallengeDay prints the challenge of a day, indented by indent.
func (a *App) printChallengeDay(v challengeDayView, who string, day civil.Date, indent string) {
	p := a.IO.Palette()
	r := v.st.Run
	switch v.Status {
	case runNone:
		a.IO.Printf("%sNo 30-day challenge is running. %s\n", indent, capitalize(v.Next)+".")
		return
	case runUpcoming:
		a.IO.Printf("%sThe 30-day challenge starts %s, in %s. %s\n", indent, a.dayName(r.Start),
			plural(r.Start.DaysSince(day), "day"), capitalize(v.Next)+".")
		return
	case runFinished:
		a.IO.Printf("%sYour 30-day challenge ended %s, after day %d. %s\n", indent, a.relDay(r.End()), challenge.Length, capitalize(v.Next)+".")
		return
	}
	a.IO.Printf("%s%s %s\n", indent, p.Bold(fmt.Sprintf("Day %d of %d", v.Day, v.Length)), p.Dim("· "+v.Theme))
	a.IO.Printf("%s  Emotional  %s\n", indent, v.Emotional)
	a.IO.Printf("%s  Physical   %s\n", indent, v.Physical)
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
			a.IO.Printf("%s  %s %s: not yet\n", indent, p.Dim("·"), label)
			continue
		}
		a.IO.Printf("%s  %s %s did %s\n", indent, p.Green("✓"), label, strings.Join(did, " and "))
	}
}

type challengeDoneOptions struct {
	Date                civil.Date
	Emotional, Physical bool
	Note                string
}

func newChallengeDoneCmd(a *App) *cobra.Command {
	opts := &challengeDoneOptions{}
	c := &cobra.Command{
		Use:   "done",
		Short: "Mark today's emotional or physical activity (or both) as done",
		Long: `Mark what you did today. At a terminal with no flag, it asks which of the
day's two activities you did; otherwise say it with --emotional, --physical
or both. Running it again the same day adds to what is marked.`,
		Example: `  reconnect challenge done                      # asks which, at a terminal
  reconnect challenge done --emotional
  reconnect challenge done --physical --note "Danced to our wedding song"
  reconnect challenge done --emotional --date 2026-11-20   # a forgotten evening`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeDone(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day you did it (default today)")
	c.Flags().BoolVar(&opts.Emotional, "emotional", false, "you did the day's emotional activity")
	c.Flags().BoolVar(&opts.Physical, "physical", false, "you did the day's physical activity")
	c.Flags().StringVar(&opts.Note, "note", "", "a few words on how it went")
	return c
}

func runChallengeDone(ctx context.Context, a *App, opts *challengeDoneOptions) error {
	day := a.dateOr(opts.Date)
	if day.After(a.today()) {
		return usagef("--date %s is in the future: mark a day once you have done it", day)
	}
	note, err := optionalText("--note", opts.Note)
	if err != nil {
		return err
	}
	if _, err := a.author(); err != nil {
		return err
	}
	// Which run and day, from what is here, before asking anything.
	j, err := a.openJournal(false)
	if errors.Is(err, errNoJournal) {
		return withHint(usagef("no 30-day challenge is running"), "start one: reconnect challenge start")
	}
	if err != nil {
		return err
	}
	f, err := a.readChallenge(j, day)
	if err != nil {
		return err
	}
	st := runStateOn(f.Starts, day)
	if st.Status != runActive {
		return withHint(usagef("no 30-day challenge is running %s", a.relDay(day)), "%s", challengeNext(st, day))
	}
	n := st.Run.DayOn(day)
	act, _ := challenge.Day(n)
	emotional, physical := opts.Emotional, opts.Physical
	if !emotional && !physical {
		if !a.IO.CanPrompt() {
			return withHint(usagef("say which activity you did: --emotional, --physical or both"),
				"day %d: emotional %q, physical %q", n, act.Emotional, act.Physical)
		}
		picked, err := a.Prompter.Choose(ctx, fmt.Sprintf("Day %d of %d · %s: what did you do?", n, challenge.Length, act.Theme),
			[]string{"Emotional: " + act.Emotional, "Physical: " + act.Physical})
		if err != nil {
			return err
		}
		for _, i := range picked {
			emotional = emotional || i == 0
			physical = physical || i == 1
		}
		if !emotional && !physical {
			return usagef("nothing chosen: nothing saved")
		}
	}
	var mark markJSON
	_, err = a.write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := a.newEntry(journal.KindChallenge, who, day)
		e.Path = journal.PathFor(e, nil)
		if old, err := j.Store.Read(e.Path); err == nil {
			e = old
		} else if !errors.Is(err, journal.ErrNotFound) {
			return "", nil, err
		}
		wasE, _ := e.BoolField(journal.FieldEmotional)
		wasP, _ := e.BoolField(journal.FieldPhysical)
		mark = markJSON{Emotional: wasE || emotional, Physical: wasP || physical}
		e.SetChallengeMarks(n, mark.Emotional, mark.Physical)
		if note != "" {
			e.SetSection("", note)
		}
		return fmt.Sprintf("challenge: %s day %d %s", who, n, day), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	p := a.IO.Palette()
	var did []string
	if mark.Emotional {
		did = append(did, "emotional")
	}
	if mark.Physical {
		did = append(did, "physical")
	}
	a.IO.Printf("%s Day %d of %d, %s: %s done.\n", p.Green("✓"), n, challenge.Length, a.dayName(day), strings.Join(did, " and "))
	if n == challenge.Length {
		a.IO.Printf("That's the whole challenge. Celebrate the small wins!\n")
	}
	return nil
}

type challengeStatusOptions struct {
	Date civil.Date
	JSON bool
}

func newChallengeStatusCmd(a *App) *cobra.Command {
	opts := &challengeStatusOptions{}
	c := &cobra.Command{
		Use:   "status",
		Short: "The 30-day grid for each of you: streak and days left",
		Long: `Show the run as a grid of 30 days for each of you, with your streak (days
in a row with at least one activity) and the days left. Without a running
challenge it shows the next one planned, or the last one.

In the grid: ◆ both activities, e emotional, p physical, - none, · ahead.`,
		Example: `  reconnect challenge status
  reconnect challenge status --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeStatus(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day to look from (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the status as JSON")
	return c
}

type dayJSON struct {
	Day       int  `json:"day"`
	Emotional bool `json:"emotional"`
	Physical  bool `json:"physical"`
}

type progressJSON struct {
	Author   string    `json:"author"`
	Streak   int       `json:"streak"`
	DaysDone int       `json:"days_done"`
	DaysLeft int       `json:"days_left"`
	Days     []dayJSON `json:"days"`
}

type challengeStatusView struct {
	Date     string         `json:"date"`
	Status   string         `json:"status"`
	Day      int            `json:"day"`
	Length   int            `json:"length"`
	DaysLeft int            `json:"days_left"`
	Run      *runJSON       `json:"run"`
	Partners []progressJSON `json:"partners"`
	Next     string         `json:"next"`
}

func runChallengeStatus(ctx context.Context, a *App, opts *challengeStatusOptions) error {
	day := a.dateOr(opts.Date)
	who, err := a.author()
	if err != nil {
		return err
	}
	j, err := a.readJournal(ctx)
	if err != nil {
		return err
	}
	f, err := a.readChallenge(j, day)
	if err != nil {
		return err
	}
	st := runStateOn(f.Starts, day)
	v := challengeStatusView{Date: day.String(), Status: st.Status, Length: challenge.Length, Run: runOf(st),
		Partners: []progressJSON{}, Next: challengeNext(st, day)}
	var progress []challenge.Progress
	if st.Status != runNone {
		v.Day = min(max(st.Run.DayOn(day), 0), challenge.Length+1)
		if st.Status != runActive {
			v.Day = 0
		}
		progress = challenge.ProgressOf(st.Run, f.Dones, youFirst(who, challengeAuthors(who, a.recentAuthors(j, day), f, st.Run)), day)
		for _, pr := range progress {
			pj := progressJSON{Author: pr.Author, Streak: pr.Streak, DaysDone: pr.DaysDone, DaysLeft: pr.DaysLeft, Days: make([]dayJSON, challenge.Length)}
			for i, m := range pr.Days {
				pj.Days[i] = dayJSON{Day: i + 1, Emotional: m.Emotional, Physical: m.Physical}
			}
			v.Partners = append(v.Partners, pj)
			v.DaysLeft = pr.DaysLeft
		}
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	p := a.IO.Palette()
	r := st.Run
	switch st.Status {
	case runNone:
		a.IO.Printf("No 30-day challenge yet. %s.\n", capitalize(v.Next))
		return nil
	case runActive:
		a.IO.Printf("%s · %s left\n", p.Bold(fmt.Sprintf("30-day challenge: day %d of %d", v.Day, challenge.Length)), plural(v.DaysLeft, "day"))
		a.IO.Printf("Started %s by %s · ends %s\n", a.dayName(r.Start), displayName(r.StartedBy), a.dayName(r.End()))
	case runUpcoming:
		a.IO.Printf("%s\n", p.Bold(fmt.Sprintf("30-day challenge: starts %s", a.dayName(r.Start))))
	case runFinished:
		a.IO.Printf("%s\n", p.Bold(fmt.Sprintf("30-day challenge: ended %s", a.dayName(r.End()))))
		a.IO.Printf("Started %s by %s\n", a.dayName(r.Start), displayName(r.StartedBy))
	}
	width := 3
	for _, pr := range progress {
		width = max(width, len(pr.Author))
	}
	a.IO.Printf("\n  %-*s %s\n", width, "", gridHeader())
	t := r.DayOn(day)
	for _, pr := range progress {
		label := displayName(pr.Author)
		if pr.Author == who {
			label = "You"
		}
		a.IO.Printf("  %-*s %s  %s\n", width, label, challengeGrid(pr.Days, t),
			p.Dim(fmt.Sprintf("streak %d · %d of %d days", pr.Streak, pr.DaysDone, challenge.Length)))
	}
	a.IO.Printf("\n  %s\n", p.Dim("◆ both  e emotional  p physical  - none  · ahead"))
	if st.Status != runActive {
		a.IO.Printf("\n%s.\n", capitalize(v.Next))
	}
	return nil
}

// gridHeader numbers the columns of [challengeGrid]: the first day of each
// group of five.
func gridHeader() string {
	var b strings.Builder
	for d := 1; d <= challenge.Length; d += 5 {
		fmt.Fprintf(&b, "%-6d", d)
	}
	return strings.TrimRight(b.String(), " ")
}

// challengeGrid draws a run's 30 days as one line, in groups of five: ◆
// both activities, e emotional, p physical, - none on a day gone by, ·
// today with nothing yet and the days ahead. t is today's run day.
func challengeGrid(days [challenge.Length]challenge.DayMark, t int) string {
	var b strings.Builder
	for i, m := range days {
		if i > 0 && i%5 == 0 {
			b.WriteByte(' ')
		}
		switch {
		case m.Emotional && m.Physical:
			b.WriteString("◆")
		case m.Emotional:
			b.WriteString("e")
		case m.Physical:
			b.WriteString("p")
		case i+1 < t:
			b.WriteString("-")
		default:
			b.WriteString("·")
		}
	}
	return b.String()
}

type challengeShowOptions struct {
	Date civil.Date
	Day  int
	JSON bool
}

func newChallengeShowCmd(a *App) *cobra.Command {
	opts := &challengeShowOptions{}
	c := &cobra.Command{
		Use:   "show DAY",
		Short: "Show one day of the plan (1 to 30) and who did it",
		Example: `  reconnect challenge show 1
  reconnect challenge show 15 --json`,
		Args: exactArgs(1, "one DAY, a number from 1 to 30"),
		RunE: func(c *cobra.Command, args []string) error {
			n, err := strconv.Atoi(strings.TrimSpace(args[0]))
			if err != nil || n < 1 || n > challenge.Length {
				return withHint(usagef("DAY %q: want a day of the challenge, 1 to %d", args[0], challenge.Length),
					"'reconnect challenge list' shows all %d days", challenge.Length)
			}
			opts.Day = n
			return runChallengeShow(c.Context(), a, opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day whose run to look at (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

type challengeShowView struct {
	Day       int                 `json:"day"`
	Theme     string              `json:"theme"`
	Emotional string              `json:"emotional"`
	Physical  string              `json:"physical"`
	Date      string              `json:"date,omitempty"` // the calendar day it falls on in the run
	Done      map[string]markJSON `json:"done"`
}

func runChallengeShow(ctx context.Context, a *App, opts *challengeShowOptions) error {
	act, err := challenge.Day(opts.Day)
	if err != nil {
		return badInput(err)
	}
	v := challengeShowView{Day: act.Day, Theme: act.Theme, Emotional: act.Emotional, Physical: act.Physical, Done: map[string]markJSON{}}
	var st runState
	j, err := a.readJournal(ctx)
	if err != nil {
		return err
	}
	if j != nil {
		day := a.dateOr(opts.Date)
		f, err := a.readChallenge(j, day)
		if err != nil {
			return err
		}
		st = runStateOn(f.Starts, day)
		if st.Status != runNone {
			on := st.Run.Start.AddDays(opts.Day - 1)
			v.Date = on.String()
			for _, pr := range challenge.ProgressOf(st.Run, f.Dones, nil, day) {
				if m := pr.Days[opts.Day-1]; m.Any() {
					mj := markJSON{Emotional: m.Emotional, Physical: m.Physical}
					if e := f.entry(pr.Author, on); e != nil {
						mj.Note, _ = e.Section("")
					}
					v.Done[pr.Author] = mj
				}
			}
		}
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	p := a.IO.Palette()
	a.IO.Printf("%s %s\n", p.Bold(fmt.Sprintf("Day %d of %d", act.Day, challenge.Length)), p.Dim("· "+act.Theme))
	a.IO.Printf("  Emotional  %s\n  Physical   %s\n", act.Emotional, act.Physical)
	if v.Date == "" {
		return nil
	}
	on, _ := civil.Parse(v.Date)
	verb := "is"
	if on.Before(a.dateOr(opts.Date)) {
		verb = "was"
	}
	a.IO.Printf("\nIn your run it %s %s.\n", verb, strings.TrimPrefix(a.relDay(on), "on "))
	for _, n := range sortedKeys(v.Done) {
		m := v.Done[n]
		var did []string
		if m.Emotional {
			did = append(did, "the emotional one")
		}
		if m.Physical {
			did = append(did, "the physical one")
		}
		a.IO.Printf("  %s %s did %s\n", p.Green("✓"), displayName(n), strings.Join(did, " and "))
		if m.Note != "" {
			for _, line := range strings.Split(m.Note, "\n") {
				a.IO.Printf("      %s\n", line)
			}
		}
	}
	return nil
}

type challengeListOptions struct {
	Date civil.Date
	JSON bool
}

func newChallengeListCmd(a *App) *cobra.Command {
	opts := &challengeListOptions{}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls", "plan"},
		Short:   "The whole 30-day plan",
		Example: `  reconnect challenge list
  reconnect challenge list --json | jq '.[14]'`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runChallengeList(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "the day whose run day to mark (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	return c
}

type planDayJSON struct {
	Day       int    `json:"day"`
	Theme     string `json:"theme"`
	Emotional string `json:"emotional"`
	Physical  string `json:"physical"`
	Today     bool   `json:"today"`
}

func runChallengeList(ctx context.Context, a *App, opts *challengeListOptions) error {
	today := 0
	if j, err := a.openJournal(false); err == nil {
		f, err := a.readChallenge(j, a.dateOr(opts.Date))
		if err != nil {
			return err
		}
		if st := runStateOn(f.Starts, a.dateOr(opts.Date)); st.Status == runActive {
			today = st.Run.DayOn(a.dateOr(opts.Date))
		}
	} else if !errors.Is(err, errNoJournal) {
		return err
	}
	plan := challenge.Plan()
	if opts.JSON {
		out := make([]planDayJSON, len(plan))
		for i, d := range plan {
			out[i] = planDayJSON{Day: d.Day, Theme: d.Theme, Emotional: d.Emotional, Physical: d.Physical, Today: d.Day == today}
		}
		return a.writeJSON(out)
	}
	p := a.IO.Palette()
	for _, d := range plan {
		mark := " "
		head := fmt.Sprintf("%2d  %s", d.Day, d.Theme)
		if d.Day == today {
			mark = "›"
			head = p.Bold(head) + p.Dim("  (today)")
		}
		a.IO.Printf("%s %s\n", mark, head)
		a.IO.Printf("      Emotional  %s\n      Physical   %s\n", d.Emotional, d.Physical)
	}
	return nil
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
