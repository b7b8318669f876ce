package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// icsDomain ends every UID, after the couple's id: a UID is made from
// what the journal holds (a date's file, a run's first day and a day
// number) and the couple's id (journal.CoupleID: reconnect.yaml's couple,
// else one derived from the journal's first commit), so both partners'
// clones, and two exports from one clone, give each event the same UID,
// a calendar that imports the file again updates its events in place, and
// two couples' calendars in one account do not mix (two derived ids are
// the same only for journals whose first commits are: started by the same
// name in the same second).
const icsDomain = ".reconnect"

// icsInput is what the calendar holds: the planned dates, the challenge run
// that matters (active or upcoming; none when the last one is over), and the
// State of the Union cadence.
type icsInput struct {
	Dates        []*journal.Entry
	Run          challenge.Run
	HasRun       bool
	UnionEvery   int
	UnionFrom    civil.Date    // the last State of the Union, or today when none
	UnionHeld    bool          // UnionFrom is a meeting that took place
	Since, Until civil.Date    // dates and challenge days outside are left out
	Couple       string        // the couple's id, in every UID
	RunStamp     time.Time     // when Run was started: the challenge days' LAST-MODIFIED
	Alarm        time.Duration // how long before a date or a State of the Union its alarm goes off; 0 for none
}

// exportICS is the calendar as RFC 5545 text: all-day events, CRLF line
// ends, lines folded at 75 octets (golang-ical folds by octets, on rune
// boundaries, preferring a space) and text escaped.
//
// A date that recurs has an RRULE; a date moved or cancelled keeps its UID
// and has a SEQUENCE one higher for each change, so a calendar that
// imported it before updates the event (a cancelled one has STATUS
// CANCELLED, and leaves). Upcoming dates and the State of the Union have a
// VALARM in.Alarm before them.
//
// Every event has a SEQUENCE (0 until something bumped it) and a
// LAST-MODIFIED taken from the journal, never from the clock: a date's is
// when it was written or done, whichever is later; a challenge day's when
// the run was started; the State of the Union's the day of the last one.
// DTSTAMP is the same time. RFC 5545, with a METHOD, calls DTSTAMP the
// time the file was made; the journal's time is used instead, as many
// publishers do: RFC 5546 orders two versions of an event of one SEQUENCE
// by DTSTAMP, and the journal's time orders them as well as the export's
// would. So exporting data that did not change gives the same bytes, and
// a calendar importing it again sees nothing new.
func exportICS(in icsInput) []byte {
	cal := ics.NewCalendarFor("reconnect")
	cal.SetProductId("-//reconnect//reconnect export//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Reconnect")
	inRange := func(d civil.Date) bool {
		return (in.Since.IsZero() || !d.Before(in.Since)) && (in.Until.IsZero() || !d.After(in.Until))
	}
	for _, e := range in.Dates {
		on, ok := e.DateField(journal.FieldOn)
		every := e.EveryDays()
		if !ok || e.Series() != "" { // one day of a series that recurs is in the series' event
			continue
		}
		if every > 0 { // in range when one of its days is
			first := on
			if !in.Since.IsZero() {
				first, _ = civil.NextEvery(on, every, in.Since)
			}
			if !inRange(first) {
				continue
			}
		} else if !inRange(on) {
			continue
		}
		ev := icsEvent(cal, icsUID("date-"+uidPart(strings.TrimSuffix(strings.TrimPrefix(e.Path, "dates/"), ".md")), in.Couple),
			on, icsModified(e), e.Sequence())
		// RFC 5545 text holds no control characters (but tab): they are
		// shown by the terminal rule (termsafe.go), and a newline in a
		// title cannot start a property of its own.
		ev.SetSummary("Date: " + oneLine(e.Title()))
		var desc []string
		for _, s := range e.Sections() {
			desc = append(desc, safeText(s.Text))
		}
		line := fmt.Sprintf("Planned by %s on %s.", displayName(e.Author), e.Date)
		if e.IsDone() {
			line += " Done"
			if d, ok := e.DateField(journal.FieldDone); ok {
				line += " on " + d.String()
			}
			line += "."
			ev.SetStatus(ics.ObjectStatusConfirmed)
		} else if e.IsCancelled() {
			line += " Cancelled."
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusTentative)
		}
		if every > 0 {
			ev.AddRrule(icsEvery(every))
		}
		ev.SetDescription(strings.Join(append(desc, line), "\n\n"))
		ev.AddCategory("Date night")
		if !e.IsDone() && !e.IsCancelled() {
			icsAlarm(ev, in.Alarm, "Date night: "+oneLine(e.Title()))
		}
	}
	if in.HasRun {
		for _, act := range challenge.Plan() {
			day := in.Run.Start.AddDays(act.Day - 1)
			if !inRange(day) {
				continue
			}
			ev := icsEvent(cal, icsUID(fmt.Sprintf("challenge-%s-day-%02d", in.Run.Start, act.Day), in.Couple), day, in.RunStamp, 0)
			ev.SetSummary(fmt.Sprintf("Challenge day %d of %d: %s", act.Day, challenge.Length, act.Theme))
			ev.SetDescription(fmt.Sprintf("Emotional: %s\nPhysical: %s\n\nPick one, or both. Mark it with: reconnect challenge done",
				act.Emotional, act.Physical))
			ev.AddCategory("30-day challenge")
		}
	}
	if in.UnionEvery > 0 {
		ev := icsEvent(cal, icsUID("union", in.Couple), in.UnionFrom, in.UnionFrom.In(time.UTC), 0)
		ev.SetSummary("State of the Union")
		since := "You have not held one yet: this is the first."
		if in.UnionHeld {
			since = fmt.Sprintf("The last one was on %s.", in.UnionFrom)
		}
		ev.SetDescription(fmt.Sprintf("Dedicated time to connect: appreciations, what went right, what is stressing us out, "+
			"are we on track, how are we doing, one thing gently, feeling loved this week.\n%s Write your notes with: reconnect union", since))
		ev.AddRrule(fmt.Sprintf("FREQ=DAILY;INTERVAL=%d", in.UnionEvery))
		ev.AddCategory("State of the Union")
		icsAlarm(ev, in.Alarm, "State of the Union: reconnect union")
	}
	var b strings.Builder
	_ = cal.SerializeTo(&b, ics.WithNewLineWindows) // a strings.Builder does not fail
	return []byte(b.String())
}

// icsEvent adds an all-day event on day with the UID uid, last changed
// at modified (its DTSTAMP and LAST-MODIFIED) and SEQUENCE seq.
func icsEvent(cal *ics.Calendar, uid string, day civil.Date, modified time.Time, seq int) *ics.VEvent {
	ev := cal.AddEvent(uid)
	ev.SetDtStampTime(modified)
	ev.SetModifiedAt(modified)
	ev.SetSequence(seq)
	ev.SetAllDayStartAt(day.In(time.UTC))
	ev.SetAllDayEndAt(day.AddDays(1).In(time.UTC))
	ev.SetTimeTransparency(ics.TransparencyTransparent)
	return ev
}

// icsUID is the UID of the event named id in couple's calendar:
// id@couple.reconnect.
func icsUID(id, couple string) string {
	return id + "@" + couple + icsDomain
}

// icsModified is when the journal last changed a planned date, as far as
// it knows: when it was written, or the day it was done if later.
func icsModified(e *journal.Entry) time.Time {
	t := e.Created
	if d, ok := e.DateField(journal.FieldDone); ok && d.In(time.UTC).After(t) {
		t = d.In(time.UTC)
	}
	return t
}

// icsEvery is the RRULE of a date that recurs every days days: weekly
// when whole weeks.
func icsEvery(days int) string {
	if days%7 == 0 {
		return fmt.Sprintf("FREQ=WEEKLY;INTERVAL=%d", days/7)
	}
	return fmt.Sprintf("FREQ=DAILY;INTERVAL=%d", days)
}

// icsAlarm adds to ev a display alarm lead before its start, saying desc;
// none when lead is 0.
func icsAlarm(ev *ics.VEvent, lead time.Duration, desc string) {
	if lead <= 0 {
		return
	}
	al := ev.AddAlarm()
	al.SetAction(ics.ActionDisplay)
	al.SetDescription(desc)
	al.SetTrigger(icsLead(lead))
}

// uidPart is s with anything but letters, digits, '.', '-' and '_' made a '-',
// so a path reads well inside a UID.
func uidPart(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
}

// icsData gathers what [exportICS] needs from the journal, as it stood on
// day; with authors, only the dates they planned.
func icsData(opts *exportOptions, j *Journal, day civil.Date, authors []string) (icsInput, error) {
	in := icsInput{Since: opts.Since, Until: opts.Until, UnionEvery: opts.UnionEvery()}
	couple, err := coupleID(j)
	if err != nil {
		return in, err
	}
	in.Couple = couple
	if opts.Alarm != nil {
		in.Alarm = opts.Alarm()
	}
	dates, warnings, err := j.Store.Dates()
	if err != nil {
		return in, err
	}
	opts.IO.warn(warnings)
	for _, e := range dates {
		if !e.Date.After(day) && (len(authors) == 0 || slices.Contains(authors, e.Author)) {
			in.Dates = append(in.Dates, e)
		}
	}
	f, err := readChallenge(j, day, opts.IO.warn)
	if err != nil {
		return in, err
	}
	if st := challenge.StateOn(f.Starts, day); st.Status == challenge.Active || st.Status == challenge.Upcoming {
		in.Run, in.HasRun = st.Run, true
		in.RunStamp = runStarted(f.Starts, st.Run)
	}
	u, err := opts.UnionDue(j, day)
	if err != nil {
		return in, err
	}
	in.UnionFrom = day
	if last, err := civil.Parse(u.Last); err == nil {
		in.UnionFrom, in.UnionHeld = last, true
	}
	return in, nil
}

// runStarted is when run was started: the latest start of its first day,
// or that day when none says.
func runStarted(starts []challenge.Start, run challenge.Run) time.Time {
	var t time.Time
	for _, s := range starts {
		if s.On == run.Start && s.Created.After(t) {
			t = s.Created
		}
	}
	if t.IsZero() {
		return run.Start.In(time.UTC)
	}
	return t
}

// coupleID is the couple's id of j (journal.CoupleID): reconnect.yaml's
// couple when set, else derived from the journal's first commit. A
// couple in reconnect.yaml that is not an id is bad input.
func coupleID(j *Journal) (string, error) {
	settings, err := os.ReadFile(filepath.Join(j.Dir, journalMarker))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	id, err := journal.CoupleID(settings, "")
	if errors.Is(err, journal.ErrNoRoot) { // not pinned: walk to the first commit
		root, rerr := j.Repo.RootCommit()
		if rerr != nil {
			return "", rerr
		}
		if !root.IsZero() {
			id, err = journal.CoupleID(settings, root.String())
		}
		if errors.Is(err, journal.ErrNoRoot) {
			return "", err
		}
	}
	if err != nil {
		return "", withHint(badInput(fmt.Errorf("%s: %w", journalMarker, err)),
			"in %s, %s: is lower-case letters, digits and '-' (or leave it out)", filepath.Join(j.Dir, journalMarker), journal.KeyCouple)
	}
	return id, nil
}
