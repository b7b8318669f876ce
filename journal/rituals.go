package journal

import (
	"strconv"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// The kinds of the rituals beyond the check-in, gratitude and the bucket
// list. Where each lives is in the table returned by [Kinds].
const (
	KindAnswer         Kind = "answer"          // the answer to the question of the day: one per author per day
	KindChallenge      Kind = "challenge"       // that day's 30-day challenge activities: one per author per day
	KindChallengeStart Kind = "challenge-start" // the start of a 30-day challenge run: one per author per day
	KindReply          Kind = "reply"           // a reply to the partner's check-in: many per day
	KindUnion          Kind = "union"           // State of the Union notes: one per author per day
	KindWin            Kind = "win"             // a small win: many per day
	KindDate           Kind = "date"            // a planned date, shared by both partners
	KindTogether       Kind = "together"        // phones-away time together: many per day
	KindBegin          Kind = "begin"           // a beginning: the gap named, one small step: one per author per day
	KindSkip           Kind = "skip"            // a question of the day passed on, for both: many per day
)

// Front-matter keys of the ritual kinds. Values are written as strings;
// [Entry.BoolField] and [Entry.IntField] read them back, also when a person
// wrote them by hand as plain YAML booleans or numbers.
const (
	FieldQuestionID = "question-id" // answer, skip: the question's ID in the deck
	FieldQuestion   = "question"    // answer, skip: the question's text, as it was asked
	FieldDeck       = "deck"        // answer: the deck the question came from, when not the question of the day
	FieldDay        = "day"         // challenge: the run day, 1 to 30
	FieldEmotional  = "emotional"   // challenge: true when the emotional activity was done
	FieldPhysical   = "physical"    // challenge: true when the physical activity was done
	FieldOn         = "on"          // challenge-start: the run's first day; date: the day of the date
	FieldTo         = "to"          // reply: the path of the check-in it answers
	FieldPlanned    = "planned"     // together: the time planned, like 15m
	FieldSpent      = "spent"       // together: the time spent, like 9m12s
	FieldCutShort   = "cut-short"   // together: true when it ended before the time planned

	// StatusPlanned is a date's status until it is done ([StatusDone]).
	StatusPlanned = "planned"
)

// NewAnswer is who's answer on date to the question with the given ID and
// text. The answer itself is the free text.
func NewAnswer(author string, date civil.Date, created time.Time, questionID int, question, answer string) *Entry {
	e := New(KindAnswer, author, date, created)
	e.SetIntField(FieldQuestionID, questionID)
	e.SetField(FieldQuestion, question)
	e.SetSection("", answer)
	return e
}

// NewChallengeStart is the fact that author started (or planned) a 30-day
// challenge run whose first day is on, written on date.
func NewChallengeStart(author string, date civil.Date, created time.Time, on civil.Date) *Entry {
	e := New(KindChallengeStart, author, date, created)
	e.SetField(FieldOn, on.String())
	return e
}

// SetChallengeMarks records on a challenge entry the run day it is for and
// which of the day's two activities were done.
func (e *Entry) SetChallengeMarks(day int, emotional, physical bool) {
	e.SetIntField(FieldDay, day)
	e.SetBoolField(FieldEmotional, emotional)
	e.SetBoolField(FieldPhysical, physical)
}

// ChallengeMarks reads back what [Entry.SetChallengeMarks] records: the run
// day (0 when absent) and which of the day's two activities were done
// (false when absent or not a boolean).
func (e *Entry) ChallengeMarks() (day int, emotional, physical bool) {
	day, _ = e.IntField(FieldDay)
	emotional, _ = e.BoolField(FieldEmotional)
	physical, _ = e.BoolField(FieldPhysical)
	return day, emotional, physical
}

// NewReply is author's reply, written on date, to the check-in at the
// journal path to. The reply's text is the free text.
func NewReply(author string, date civil.Date, created time.Time, to, text string) *Entry {
	e := New(KindReply, author, date, created)
	e.SetField(FieldTo, to)
	e.SetSection("", text)
	return e
}

// NewDatePlan is a planned date: a title, the day it is on, status planned.
// The entry's author and date are who planned it and when. White space in
// the title is collapsed to single spaces. Its path comes from [PathFor].
func NewDatePlan(title, author string, date civil.Date, created time.Time, on civil.Date) *Entry {
	e := New(KindDate, author, date, created)
	e.SetField(FieldTitle, strings.Join(strings.Fields(title), " "))
	e.SetField(FieldOn, on.String())
	e.SetField(FieldStatus, StatusPlanned)
	return e
}

// NewTogether is a phones-away session: the time planned, the time spent
// and whether it was cut short.
func NewTogether(author string, date civil.Date, created time.Time, planned, spent time.Duration, cutShort bool) *Entry {
	e := New(KindTogether, author, date, created)
	e.SetField(FieldPlanned, FormatDuration(planned))
	e.SetField(FieldSpent, FormatDuration(spent))
	e.SetBoolField(FieldCutShort, cutShort)
	return e
}

// FormatDuration writes a duration to the second without zero units:
// 15m, 1h30m, 9m12s, 45s, 0s.
func FormatDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d <= 0 {
		return "0s"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// BoolField reads a key holding true or false (also yes/no, on/off, 1/0,
// as a person may write by hand). It reports false when the key is absent
// or holds anything else.
func (e *Entry) BoolField(key string) (value, ok bool) {
	v, present := e.Field(key)
	if !present {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1":
		return true, true
	case "false", "no", "off", "0":
		return false, true
	}
	return false, false
}

// IntField reads a key holding a whole number. It reports false when the
// key is absent or holds anything else.
func (e *Entry) IntField(key string) (int, bool) {
	v, present := e.Field(key)
	if !present {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil
}

// DateField reads a key holding a day, YYYY-MM-DD. It reports false when
// the key is absent or holds anything else.
func (e *Entry) DateField(key string) (civil.Date, bool) {
	v, present := e.Field(key)
	if !present {
		return civil.Date{}, false
	}
	d, err := civil.Parse(strings.TrimSpace(v))
	return d, err == nil
}

// Dates is every planned date in the dates folder, in the order they were
// planned (see [Store.Shared]).
func (s Store) Dates() ([]*Entry, []error, error) { return s.Shared(KindDate) }
