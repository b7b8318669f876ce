package cmd

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/streak"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

type todayOptions struct {
	Date civil.Date
	JSON bool
}

func newTodayCmd(a *App) *cobra.Command {
	opts := &todayOptions{}
	c := &cobra.Command{
		Use:   "today",
		Short: "The evening screen: check-ins, the challenge, the question, what is next",
		Long: `Show the evening at a glance: who has checked in and your streak of days
you both did, gratitude notes, the day of the 30-day challenge and its two
activities, the question of the day and who has answered it, the next date
you planned, a State of the Union when one is due, one gentle idea, and the
bucket list items still open. 'reconnect' with no command shows the same.`,
		Example: `  reconnect today
  reconnect
  reconnect today --date 2026-11-20 --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runToday(c.Context(), a, opts) },
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
}

// todayQuestion is the question of the day on the evening screen: who has
// answered, and the answers you may see (all of them once you answered).
type todayQuestion struct {
	Text     string            `json:"text"`
	ID       int               `json:"id"`
	Answered map[string]bool   `json:"answered"`
	Answers  map[string]string `json:"answers"`
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

func runToday(ctx context.Context, a *App, opts *todayOptions) error {
	day := a.dateOr(opts.Date)
	who, err := a.author()
	if err != nil {
		return err
	}
	j, err := a.openJournal(false)
	if errors.Is(err, errNoJournal) && !opts.JSON {
		a.IO.Printf("Welcome to reconnect. Start with tonight's check-in:\n\n  reconnect checkin\n\n"+
			"It creates your journal in %s.\n", mustJournalDir(a))
		return nil
	}
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	recent, warnings, err := j.Store.List(journal.Query{Since: day.AddDays(-partnerWindow), Until: day})
	if err != nil {
		return err
	}
	a.warn(warnings)
	v := todayView{Date: day.String(), You: who, CheckedIn: map[string]bool{who: false}, BucketOpen: []*journal.Entry{}}
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
	items, err := a.sharedItems(j, bucketList())
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
	if err := a.todayRituals(j, who, day, recent, &v); err != nil {
		return err
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	p := a.IO.Palette()
	a.IO.Printf("%s\n\n", p.Bold(day.In(a.Now().Location()).Format("Monday 2 January 2006")))
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
			a.IO.Printf("  %s %s checked in\n", p.Green("✓"), label)
		} else if n == who {
			a.IO.Printf("  %s %s have not checked in yet: reconnect checkin\n", p.Dim("·"), label)
		} else {
			a.IO.Printf("  %s %s has not checked in yet\n", p.Dim("·"), label)
		}
	}
	if v.Thanks > 0 {
		a.IO.Printf("  %s %s written\n", p.Magenta("♥"), plural(v.Thanks, "gratitude note"))
	}
	a.printTodayRituals(v, who, day)
	if len(open) > 0 {
		a.IO.Printf("\n%s\n", p.Bold("Bucket list"))
		a.printBucket(open)
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
func (a *App) todayRituals(j *Journal, who string, day civil.Date, recent []*journal.Entry, v *todayView) error {
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
		a.warn(warnings)
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

	var err error
	if v.Challenge, err = challengeDay(j, who, day, couple, a.warn); err != nil {
		return err
	}
	q, err := a.questionDay(j, who, day, couple)
	if err != nil {
		return err
	}
	v.Question = todayQuestion{Text: q.Question, ID: q.QuestionID, Answered: q.Answered, Answers: q.Answers}
	shared, err := a.sharedItems(j, dateList())
	if err != nil {
		return err
	}
	next := nextDate(dateItems(shared), day)
	if next != nil {
		v.NextDate = &todayDate{Title: next.Entry.Title(), On: next.On.String(), PlannedBy: next.Entry.Author, Path: next.Entry.Path}
	}
	if v.Union, err = a.unionDue(j, day); err != nil {
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
func (a *App) printTodayRituals(v todayView, who string, day civil.Date) {
	p := a.IO.Palette()
	if v.Streak > 1 {
		both := "you both"
		if len(v.CheckedIn) == 1 {
			both = "you"
		}
		a.IO.Printf("  %s %d days in a row %s checked in\n", p.Yellow("*"), v.Streak, both)
	}

	a.IO.Printf("\n%s\n", p.Bold("30-day challenge"))
	printChallengeDay(a.IO, v.Challenge, who, day, "  ")

	a.IO.Printf("\n%s\n  %s\n", p.Bold("Question of the day"), oneLine(v.Question.Text))
	a.printAnswers(askView{Answered: v.Question.Answered, Answers: v.Question.Answers}, who, "")

	if v.NextDate != nil {
		on, _ := civil.Parse(v.NextDate.On)
		a.IO.Printf("\n%s  %s, %s\n", p.Bold("Next date"), oneLine(v.NextDate.Title), strings.TrimPrefix(relDayFrom(day, on), "on "))
	}
	if v.Union.Due {
		when := "you have not held one yet"
		if v.Union.DaysSince >= 0 {
			when = "the last one was " + plural(v.Union.DaysSince, "day") + " ago"
		}
		a.IO.Printf("\n%s is due: %s. reconnect union\n", p.Bold("State of the Union"), when)
	}
	a.IO.Printf("\n%s  %s\n", p.Bold("A gentle idea"), v.Idea.Text)
	if v.Idea.Detail != "" {
		a.IO.Printf("  %s\n", p.Dim(v.Idea.Detail))
	}
}
