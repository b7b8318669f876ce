package journal

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Front-matter keys and values of a planned date beyond [NewDatePlan]'s.
const (
	// FieldEvery is how often a date recurs: a number of days or weeks,
	// "14d" or "2w" ([ParseEvery]); absent for a date that happens once.
	FieldEvery = "every"
	// FieldSequence counts the changes a calendar must see as an update
	// (a move, a cancel): the event's SEQUENCE. Absent is 0.
	FieldSequence = "sequence"
	// FieldSeries is, on one date of a series that was ticked off, the
	// path of the series (the date that recurs).
	FieldSeries = "series"

	// StatusCancelled is a date called off: kept in the journal, shown
	// only on request, cancelled in the calendar.
	StatusCancelled = "cancelled"

	// MaxEveryDays is the longest a date may recur: once a year.
	MaxEveryDays = 365
	// DateSoonDays is how far ahead a date counts as soon: two weeks, the
	// guide's bi-weekly date night.
	DateSoonDays = 14
)

// ErrEvery is what [ParseEvery] returns for a value it does not take.
var ErrEvery = errors.New("not a number of days or weeks like 14d or 2w")

// ParseEvery reads how often a date recurs: a whole number of days ("14d")
// or weeks ("2w"), from 1 day to [MaxEveryDays]. It returns the days.
func ParseEvery(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, fmt.Errorf("%q: %w", s, ErrEvery)
	}
	unit := 0
	switch s[len(s)-1] {
	case 'd', 'D':
		unit = 1
	case 'w', 'W':
		unit = 7
	default:
		return 0, fmt.Errorf("%q: %w", s, ErrEvery)
	}
	digits := s[:len(s)-1]
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, fmt.Errorf("%q: %w", s, ErrEvery)
	}
	if n > MaxEveryDays/unit {
		return 0, fmt.Errorf("%q: a date recurs at least once a year (at most %d days)", s, MaxEveryDays)
	}
	return n * unit, nil
}

// FormatEvery writes days as [FieldEvery] holds it: weeks when whole.
func FormatEvery(days int) string {
	if days%7 == 0 {
		return strconv.Itoa(days/7) + "w"
	}
	return strconv.Itoa(days) + "d"
}

// SetEvery makes a date recur every days days.
func (e *Entry) SetEvery(days int) { e.SetField(FieldEvery, FormatEvery(days)) }

// EveryDays is how often a date recurs, in days; 0 when it happens once
// (or the key holds something [ParseEvery] does not take).
func (e *Entry) EveryDays() int {
	v, ok := e.Field(FieldEvery)
	if !ok {
		return 0
	}
	n, err := ParseEvery(v)
	if err != nil {
		return 0
	}
	return n
}

// IsCancelled reports whether the item's status is cancelled.
func (e *Entry) IsCancelled() bool {
	s, _ := e.Field(FieldStatus)
	return s == StatusCancelled
}

// MaxSequence is the highest [FieldSequence]: the largest INTEGER of RFC
// 5545, which a calendar's SEQUENCE is. A count there stays there: a
// partner's file cannot make the count wrap round to a lower one.
const MaxSequence = 1<<31 - 1

// Sequence is the number of updates a calendar has to see ([FieldSequence]);
// 0 when absent, negative or not a number, [MaxSequence] when above it.
func (e *Entry) Sequence() int {
	n, ok := e.IntField(FieldSequence)
	if !ok || n < 0 {
		return 0
	}
	return min(n, MaxSequence)
}

// nextSequence is the sequence after n: n+1, or MaxSequence at most.
func nextSequence(n int) int { return min(n+1, MaxSequence) }

// MoveDate puts a date (the first of a series) on another day, an update
// for a calendar.
func (e *Entry) MoveDate(on civil.Date) {
	e.SetField(FieldOn, on.String())
	e.SetIntField(FieldSequence, nextSequence(e.Sequence()))
}

// CancelDate calls a date (a whole series) off, an update for a calendar.
func (e *Entry) CancelDate() {
	e.SetField(FieldStatus, StatusCancelled)
	e.SetIntField(FieldSequence, nextSequence(e.Sequence()))
}

// NextOn is the day a planned date next happens on or after day: its day,
// or for a date that recurs the first of the series on or after day. ok is
// false for a date done, cancelled, without a valid day, or once and
// passed.
func (e *Entry) NextOn(day civil.Date) (civil.Date, bool) {
	if e.IsDone() || e.IsCancelled() {
		return civil.Date{}, false
	}
	on, ok := e.DateField(FieldOn)
	if !ok {
		return civil.Date{}, false
	}
	return civil.NextEvery(on, e.EveryDays(), day)
}

// LastOn is the last day a date that recurs happened on or before day (the
// date's own day for one that happens once); ok is false when it starts
// after day or has no valid day.
func (e *Entry) LastOn(day civil.Date) (civil.Date, bool) {
	on, ok := e.DateField(FieldOn)
	if !ok {
		return civil.Date{}, false
	}
	return civil.PrevEvery(on, e.EveryDays(), day)
}

// NewDateHad is one date of the series that recurs, the one on on, ticked
// off by who on done: a date of its own, done, that names its series. The
// series itself goes on.
func NewDateHad(series *Entry, who string, created time.Time, on, done civil.Date) *Entry {
	e := NewDatePlan(series.Title(), who, done, created, on)
	e.SetField(FieldSeries, series.Path)
	e.MarkDone(who, done)
	return e
}

// Series is the path of the series a date ticked off belongs to ("" for a
// date of its own).
func (e *Entry) Series() string {
	s, _ := e.Field(FieldSeries)
	return s
}

// HadOn is the date of dates that ticked off the series at path on the day
// on, or nil.
func HadOn(dates []*Entry, series string, on civil.Date) *Entry {
	for _, e := range dates {
		if d, ok := e.DateField(FieldOn); ok && d == on && e.Series() == series && e.IsDone() {
			return e
		}
	}
	return nil
}

// NextAmong is [Entry.NextOn] for e, one of dates: a day of its series
// already ticked off among dates ([HadOn]) is not next.
func (e *Entry) NextAmong(dates []*Entry, day civil.Date) (civil.Date, bool) {
	on, ok := e.NextOn(day)
	if e.EveryDays() == 0 {
		return on, ok
	}
	for range len(dates) + 1 {
		if !ok || HadOn(dates, e.Path, on) == nil {
			return on, ok
		}
		on, ok = e.NextOn(on.AddDays(1))
	}
	return on, ok
}

// NextDate is the index in dates of the one that happens first on or after
// day ([Entry.NextAmong]), the first listed on a tie, and that day; -1 when
// none does.
func NextDate(dates []*Entry, day civil.Date) (int, civil.Date) {
	best, when := -1, civil.Date{}
	for i, e := range dates {
		on, ok := e.NextAmong(dates, day)
		if ok && (best < 0 || on.Before(when)) {
			best, when = i, on
		}
	}
	return best, when
}

// IsSoon reports whether a date on the day on is within [DateSoonDays]
// from day: day itself up to 13 days later.
func IsSoon(on, day civil.Date) bool {
	return !on.IsZero() && !on.Before(day) && on.DaysSince(day) < DateSoonDays
}

// NoDateSoon reports whether none of dates happens within [DateSoonDays]
// from day, counting each occurrence of one that recurs.
func NoDateSoon(dates []*Entry, day civil.Date) bool {
	i, on := NextDate(dates, day)
	return i < 0 || !IsSoon(on, day)
}

// settleSequence reconciles a calendar's update count when both sides
// changed a planned date differently since base (one moved it, the other
// cancelled it): each side's calendar may have seen its own version at its
// own sequence, so the merged one must be newer than both, max plus one.
// It returns the two sides with that written in; ok is false when the rule
// does not apply (not a date, not both bumped, or the same change).
func settleSequence(eb, eo, et *Entry) (o, t *Entry, ok bool) {
	if eo.Kind != KindDate || et.Kind != KindDate {
		return nil, nil, false
	}
	base, so, st := eb.Sequence(), eo.Sequence(), et.Sequence()
	if so <= base || st <= base {
		return nil, nil, false
	}
	if string(eo.Render()) == string(et.Render()) {
		return nil, nil, false
	}
	seq := nextSequence(max(so, st))
	settle := func(e *Entry) *Entry {
		c, err := Parse(e.Path, e.Render())
		if err != nil {
			return nil
		}
		c.SetIntField(FieldSequence, seq)
		return c
	}
	if o, t = settle(eo), settle(et); o == nil || t == nil {
		return nil, nil, false
	}
	return o, t, true
}
