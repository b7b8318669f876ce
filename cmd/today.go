package cmd

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/streak"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// todayOptions is what the evening screen uses: its dependencies (filled
// from the App by [newTodayOptions]), then its flags.
type todayOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	JournalDir  func() string // where a first check-in creates the journal
	Sync        *syncer
	// FreshBound is how long the screen waits for the remote before it
	// shows what is here ([freshBound]).
	FreshBound time.Duration
	// What other commands' files read and print, through the App.
	SharedItems  func(*Journal, sharedList) ([]sharedItem, error)
	QuestionDay  func(j *Journal, who string, day civil.Date, recent []string) (askView, error)
	UnionDue     func(*Journal, civil.Date) (unionView, error)
	PrintAnswers func(v askView, who, indent string)
	PrintBucket  func([]sharedItem)
	// DriftDays is drift.days, 0 when drift.enabled is false (drift.go).
	DriftDays func() int

	Date civil.Date
	JSON bool
}

// newTodayOptions is the options of 'today', flags unset; 'reconnect'
// with no command runs it too.
func newTodayOptions(a *App) *todayOptions {
	return &todayOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal,
		JournalDir: func() string { return mustJournalDir(a) }, Sync: a.syncer(), FreshBound: freshBound,
		SharedItems: a.sharedItems, QuestionDay: a.questionDay, UnionDue: a.unionDue,
		PrintAnswers: a.printAnswers, PrintBucket: a.printBucket,
		DriftDays: func() int { return a.cfg.driftDays() }}
}

// newTodayCmd is 'today'. runF runs it, given the options filled from
// the flags; nil is runToday (tests pass their own to see how flags
// are read).
func newTodayCmd(a *App, runF func(context.Context, *todayOptions) error) *cobra.Command {
	if runF == nil {
		runF = runToday
	}
	opts := newTodayOptions(a)
	c := &cobra.Command{
		Use:   "today",
		Short: "The evening screen: check-ins, the challenge, the question, what is next",
		Long: `Show the evening at a glance: who has checked in and your streak of days
you both did, gratitude notes, the day of the 30-day challenge and its two
activities, the question of the day and who has answered it, the next date
you planned, a State of the Union when one is due, one gentle idea, and the
bucket list items still open. 'reconnect' with no command shows the same.

When only you have been checking in lately (drift.days of the last four
weeks since your partner last did, 5 unless set), the screen offers one
small gesture from the guide, nothing expected back: the first time you
look that day, never counting what your partner missed. After three weeks
of it, it suggests a calm, honest talk instead. 'reconnect config set
drift.enabled false' turns it off. A new journal offers 'reconnect begin'.

With a remote, it first brings in what your partner has sent, waiting at
most a couple of seconds (and never longer than sync.timeout): when the
remote does not answer in time, it shows what is here and says as of when.
With --date, every day on the screen is said as seen from that day.`,
		Example: `  reconnect today
  reconnect
  reconnect today --date 2026-11-20 --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "the day to show (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the day as JSON")
	return c
}

// todayView is the evening screen, also its JSON.
type todayView struct {
	Date       string           `json:"date"`
	You        string           `json:"you"`
	CheckedIn  map[string]bool  `json:"checked_in"`
	Thanks     int              `json:"thanks"`
	BucketOpen []*journal.Entry `json:"bucket_open"`

	// Streak is the number of days in a row, ending today (or yesterday
	// while today is not complete), on which every one of you checked in.
	Streak    int              `json:"streak"`
	Challenge challengeDayView `json:"challenge"`
	Question  todayQuestion    `json:"question"`
	NextDate  *todayDate       `json:"next_date"`
	Union     unionView        `json:"union"`
	Idea      ideaJSON         `json:"idea"`
	// Drift is the small gesture (or, after three weeks, the talk) offered
	// when only you have been checking in lately; absent otherwise.
	Drift *driftView `json:"drift,omitempty"`
	// Begin is set while the journal is new and you have not written a
	// beginning: the screen offers 'reconnect begin'.
	Begin bool `json:"begin,omitempty"`

	// Stale is set when the remote did not answer in time: what is shown
	// is as of AsOf, the last sync (absent when it never synced).
	Stale bool       `json:"stale,omitempty"`
	AsOf  *time.Time `json:"as_of,omitempty"`
}

// todayQuestion is the question of the day on the evening screen: who has
// answered, and the answers you may see (all of them once you answered).
type todayQuestion struct {
	Text     string            `json:"text"`
	ID       int               `json:"id"`
	Answered map[string]bool   `json:"answered"`
	Answers  map[string]string `json:"answers"`
	Reveal   map[string]string `json:"reveal,omitempty"` // see askView
}

// todayDate is the next planned date.
type todayDate struct {
	Title     string `json:"title"`
	On        string `json:"on"`
	PlannedBy string `json:"planned_by"`
	Path      string `json:"path"`
}

// partnerWindow is how far back 'today' looks to know who the partners are.
const partnerWindow = 60

func runToday(ctx context.Context, opts *todayOptions) error {
	day := dayOr(opts.Date, opts.Now())
	who, err := opts.Author()
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(false)
	if errors.Is(err, errNoJournal) && !opts.JSON {
		opts.IO.Printf("Welcome to reconnect. Start with tonight's check-in:\n\n  reconnect checkin\n\n"+
			"It creates your journal in %s.\n\n%s\n", opts.JournalDir(), beginOffer)
		return nil
	}
	if err != nil {
		return err
	}
	fresh := opts.Sync.fresh(ctx, j, opts.FreshBound)
	recent, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-partnerWindow), Until: day})
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	v := todayView{Date: day.String(), You: who, CheckedIn: map[string]bool{who: false}, BucketOpen: []*journal.Entry{}}
	if fresh.Stale {
		v.Stale = true
		if !fresh.AsOf.IsZero() {
			v.AsOf = &fresh.AsOf
		}
	}
	for _, e := range recent {
		if _, ok := v.CheckedIn[e.Author]; !ok {
			v.CheckedIn[e.Author] = false
		}
		if e.Date != day {
			continue
		}
		switch e.Kind {
		case journal.KindCheckin:
			v.CheckedIn[e.Author] = true
		case journal.KindThanks:
			v.Thanks++
		}
	}
	items, err := opts.SharedItems(j, bucketList())
	if err != nil {
		return err
	}
	var open []sharedItem
	for _, it := range items {
		if !it.Entry.IsDone() {
			open = append(open, it)
			v.BucketOpen = append(v.BucketOpen, it.Entry)
		}
	}
	if err := todayRituals(opts, j, who, day, recent, &v); err != nil {
		return err
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	p := opts.IO.Palette()
	head := p.Bold(day.In(opts.Now().Location()).Format("Monday 2 January 2006"))
	if fresh.Stale {
		head += p.Dim(" · " + asOf(fresh, opts.Now()))
	}
	opts.IO.Printf("%s\n\n", head)
	printNews(opts.IO, j, who, opts.Now(), day) // what the partner wrote since you last looked
	names := make([]string, 0, len(v.CheckedIn))
	for n := range v.CheckedIn {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		label := displayName(n)
		if n == who {
			label = "You"
		}
		if v.CheckedIn[n] {
			opts.IO.Printf("  %s %s checked in\n", p.Green("✓"), label)
		} else if n == who {
			opts.IO.Printf("  %s %s have not checked in yet: reconnect checkin\n", p.Dim("·"), label)
		} else {
			opts.IO.Printf("  %s %s has not checked in yet\n", p.Dim("·"), label)
		}
	}
	if v.Thanks > 0 {
		opts.IO.Printf("  %s %s written\n", p.Magenta("♥"), plural(v.Thanks, "gratitude note"))
	}
	// A gesture at most once a day: the first look of the day shows it.
	if v.Drift != nil && !driftShownOn(j, who, day) {
		printDrift(opts.IO, v.Drift)
		markDriftShown(j, who, day)
	}
	printTodayRituals(opts, v, who, day)
	if len(open) > 0 {
		opts.IO.Printf("\n%s\n", p.Bold("Bucket list"))
		opts.PrintBucket(open)
	}
	if v.Begin {
		opts.IO.Printf("\n%s\n", beginOffer)
	}
	return nil
}

func mustJournalDir(a *App) string {
	d, err := a.journalDir()
	if err != nil {
		return a.defaultJournalDir()
	}
	return d
}

// recentAuthors is everyone who checked in within partnerWindow days up to
// day, sorted: the couple, as far as the journal shows; warn is told of
// files skipped.
func recentAuthors(j *Journal, day civil.Date, warn func([]error)) []string {
	if j == nil {
		return nil
	}
	entries, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-partnerWindow), Until: day,
		Kinds: []journal.Kind{journal.KindCheckin}})
	if err != nil {
		return nil
	}
	warn(warnings)
	set := map[string]bool{}
	for _, e := range entries {
		set[e.Author] = true
	}
	return sortedKeys(set)
}

// todayRituals fills in the rituals of the evening screen: the streak, the
// challenge, the question, the next date, the State of the Union and an
// idea. recent is every entry of the last partnerWindow days up to day.
func todayRituals(opts *todayOptions, j *Journal, who string, day civil.Date, recent []*journal.Entry, v *todayView) error {
	couple := sortedKeys(v.CheckedIn)
	checkins := map[civil.Date]map[string]bool{}
	for _, e := range recent {
		if e.Kind == journal.KindCheckin {
			if checkins[e.Date] == nil {
				checkins[e.Date] = map[string]bool{}
			}
			checkins[e.Date][e.Author] = true
		}
	}
	v.Streak = coupleStreak(checkins, couple, day)
	// A streak as long as the window may go further back: read on, a year
	// at a time, until it breaks.
	for since := day.AddDays(-partnerWindow); v.Streak > 0 && !day.AddDays(-v.Streak).After(since); since = since.AddDays(-366) {
		older, warnings, err := j.Store.List(journal.Query{Since: since.AddDays(-366), Until: since.AddDays(-1),
			Kinds: []journal.Kind{journal.KindCheckin}})
		if err != nil {
			return err
		}
		opts.IO.warn(warnings)
		if len(older) == 0 {
			break
		}
		for _, e := range older {
			if checkins[e.Date] == nil {
				checkins[e.Date] = map[string]bool{}
			}
			checkins[e.Date][e.Author] = true
		}
		v.Streak = coupleStreak(checkins, couple, day)
	}

	if opts.DriftDays != nil {
		v.Drift = driftOn(checkins, who, couple, day, opts.DriftDays())
	}
	v.Begin = beginDue(recent, who, day)

	var err error
	if v.Challenge, err = challengeDay(j, who, day, couple, opts.IO.warn); err != nil {
		return err
	}
	q, err := opts.QuestionDay(j, who, day, couple)
	if err != nil {
		return err
	}
	v.Question = todayQuestion{Text: q.Question, ID: q.QuestionID, Answered: q.Answered, Answers: q.Answers, Reveal: q.Reveal}
	shared, err := opts.SharedItems(j, dateList())
	if err != nil {
		return err
	}
	next := nextDate(dateItems(shared), day)
	if next != nil {
		v.NextDate = &todayDate{Title: next.Entry.Title(), On: next.On.String(), PlannedBy: next.Entry.Author, Path: next.Entry.Path}
	}
	if v.Union, err = opts.UnionDue(j, day); err != nil {
		return err
	}
	if idea, err := prompts.IdeaOf(prompts.DeckTouch, day, 0); err == nil {
		v.Idea = ideaJSON{Deck: idea.Deck, Text: idea.Text, Detail: idea.Detail}
	}
	return nil
}

// coupleStreak counts the days in a row, back from day, on which every one
// of couple checked in, as [streak.Current] counts them.
func coupleStreak(checkins map[civil.Date]map[string]bool, couple []string, day civil.Date) int {
	return streak.Current(0, func(i int) bool {
		d := day.AddDays(i)
		for _, n := range couple {
			if !checkins[d][n] {
				return false
			}
		}
		return len(couple) > 0
	})
}

// printTodayRituals prints the rituals part of the evening screen; every
// day in it is said as seen from day.
func printTodayRituals(opts *todayOptions, v todayView, who string, day civil.Date) {
	out := opts.IO
	p := out.Palette()
	if v.Streak > 1 && v.Drift == nil { // no couple's streak while one drifts
		both := "you both"
		if len(v.CheckedIn) == 1 {
			both = "you"
		}
		out.Printf("  %s %d days in a row %s checked in\n", p.Yellow("*"), v.Streak, both)
	}

	out.Printf("\n%s\n", p.Bold("30-day challenge"))
	printChallengeDay(out, v.Challenge, who, day, "  ")

	out.Printf("\n%s\n  %s\n", p.Bold("Question of the day"), oneLine(v.Question.Text))
	opts.PrintAnswers(askView{Answered: v.Question.Answered, Answers: v.Question.Answers}, who, "")

	if v.NextDate != nil {
		on, _ := civil.Parse(v.NextDate.On)
		out.Printf("\n%s  %s, %s\n", p.Bold("Next date"), oneLine(v.NextDate.Title), strings.TrimPrefix(relDayFrom(day, on), "on "))
	}
	printDateGap(out, v.NextDate, day)
	if v.Union.Due {
		when := "you have not held one yet"
		if v.Union.DaysSince >= 0 {
			when = "the last one was " + plural(v.Union.DaysSince, "day") + " ago"
		}
		out.Printf("\n%s is due: %s. reconnect union\n", p.Bold("State of the Union"), when)
	}
	out.Printf("\n%s  %s\n", p.Bold("A gentle idea"), v.Idea.Text)
	if v.Idea.Detail != "" {
		out.Printf("  %s\n", p.Dim(v.Idea.Detail))
	}
}
