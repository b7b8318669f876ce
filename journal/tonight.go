package journal

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// What is waiting tonight: the few things a gentle nudge in the evening
// may speak of, most important first, and nothing at all once you have
// checked in.
//
// [WaitingTonight] is the rule, a pure function of the evening's facts
// ([Tonight]) and the time. [Store.Tonight] gathers those facts cheaply,
// for a shell prompt that runs it before every line: it lists a few
// folders by name and parses only the handful of files that may matter (a
// partner's replies of the last two days, the planned dates whose file
// names today), never the whole journal and never through the read cache,
// which it neither reads nor writes. What it knows from file names follows
// the path scheme ([PathFor]); an entry renamed by hand is not seen there.

// WaitingKind is one kind of thing waiting tonight.
type WaitingKind string

// The things that may wait, in the order they are said: what your partner
// did first, then what the two of you planned, then your own check-in.
const (
	WaitPartnerCheckedIn WaitingKind = "partner-checked-in" // your partner checked in today and you have not
	WaitReply            WaitingKind = "reply"              // a reply to your check-in you have not seen
	WaitDate             WaitingKind = "date"               // a date planned for today
	WaitUnion            WaitingKind = "union"              // the State of the Union is due
	WaitCheckin          WaitingKind = "checkin"            // you have not checked in yet
)

// Waiting is one thing waiting tonight.
type Waiting struct {
	What WaitingKind `json:"what"`
	// Who is the partner who checked in, or who replied.
	Who string `json:"who,omitempty"`
	// Title is a date's title.
	Title string `json:"title,omitempty"`
	// Path is the entry it is about: the reply, the date.
	Path string `json:"path,omitempty"`
}

// Tonight is what [WaitingTonight] decides from.
type Tonight struct {
	// CheckedIn is true once the reader has checked in today.
	CheckedIn bool
	// Partners are the others who checked in today, sorted.
	Partners []string
	// Replies are the partners' replies to the reader's check-ins that the
	// reader has not seen ([NewsSince]), oldest first.
	Replies []*Entry
	// Dates are the dates planned for today, not done, in path order.
	Dates []*Entry
	// UnionDue is true when the State of the Union is due ([UnionDue]).
	UnionDue bool
}

// Clock is a time of day, to the minute: when the evening starts.
type Clock struct{ Hour, Minute int }

// String is HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// ParseClock reads a time of day written HH:MM on a 24-hour clock, like
// 19:00 or 7:30 (the hour may have one digit).
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hour, okH := number(h, len(h), 0, 23)
	minute, okM := number(m, 2, 0, 59)
	if !ok || len(h) < 1 || len(h) > 2 || !okH || !okM {
		return Clock{}, fmt.Errorf("%q is not a time of day like 19:00", s)
	}
	return Clock{Hour: hour, Minute: minute}, nil
}

// Reached reports whether now, on its own wall clock, is at or after c.
func (c Clock) Reached(now time.Time) bool {
	return now.Hour()*60+now.Minute() >= c.Hour*60+c.Minute
}

// WaitingTonight is what waits for the reader at now, most important
// first: nothing before the evening starts (after), nothing once the
// reader has checked in today; otherwise each partner who checked in, each
// unseen reply, each date planned for today, the State of the Union when
// it is due, and last the check-in itself, which always waits until it is
// done. The result is never nil.
func WaitingTonight(t Tonight, now time.Time, after Clock) []Waiting {
	w := []Waiting{}
	if t.CheckedIn || !after.Reached(now) {
		return w
	}
	for _, p := range t.Partners {
		w = append(w, Waiting{What: WaitPartnerCheckedIn, Who: p})
	}
	for _, r := range t.Replies {
		w = append(w, Waiting{What: WaitReply, Who: r.Author, Path: r.Path})
	}
	for _, d := range t.Dates {
		title, _ := d.Field(FieldTitle)
		w = append(w, Waiting{What: WaitDate, Title: title, Path: d.Path})
	}
	if t.UnionDue {
		w = append(w, Waiting{What: WaitUnion})
	}
	return append(w, Waiting{What: WaitCheckin})
}

// UnionDue reports whether the State of the Union is due on day, when the
// last one was held on last (zero: never) and one is held every so many
// days: due when none was ever held, or every days or more have passed.
func UnionDue(last, day civil.Date, every int) bool {
	return last.IsZero() || day.DaysSince(last) >= every
}

// Tonight gathers, cheaply, the facts [WaitingTonight] decides from, for
// reader on day: whose check-ins are in today's folder (by file name); the
// partners' replies to reader of today and yesterday that the mark of what
// reader has seen does not hold ([NewsSince]; mark is asked for only when
// there is such a reply); the dates planned for day; and whether a State
// of the Union was held by either partner in the last every days (by file
// name). Once reader has checked in, nothing more is read. Files that
// cannot be read or parsed are left out: a nudge says what it can. err is
// for a journal folder that cannot be read at all.
func (s Store) Tonight(day civil.Date, reader string, every int, mark func() NewsMark) (Tonight, error) {
	var t Tonight
	if _, err := os.Stat(s.Root); err != nil {
		return t, fmt.Errorf("read journal: %w", err)
	}
	// The month folders the days from day-every+1 (at least yesterday) to
	// day fall in, newest first, listed once each.
	names := map[string][]string{}
	list := func(d civil.Date) []string {
		dir := monthDir(d)
		if n, ok := names[dir]; ok {
			return n
		}
		n, _ := readDirNames(filepath.Join(s.Root, filepath.FromSlash(dir)))
		names[dir] = n
		return n
	}
	todays := day.String() + "-"
	for _, name := range list(day) {
		if rest, ok := strings.CutPrefix(name, todays+string(KindCheckin)+"-"); ok {
			who, _ := strings.CutSuffix(rest, ".md")
			switch {
			case who == reader:
				t.CheckedIn = true
			case ValidAuthor(who) == nil && strings.HasSuffix(rest, ".md"):
				t.Partners = append(t.Partners, who)
			}
		}
	}
	if t.CheckedIn {
		return t, nil // nothing waits: the rest need not be read
	}
	slices.Sort(t.Partners)

	var replies []*Entry
	for _, d := range []civil.Date{day.AddDays(-1), day} {
		prefix := d.String() + "-" + string(KindReply) + "-"
		for _, name := range list(d) {
			if !strings.HasPrefix(name, prefix) || !isEntryName(name) {
				continue
			}
			rel := monthDir(d) + "/" + name
			if !tonightReadable(filepath.Join(s.Root, filepath.FromSlash(rel))) {
				continue
			}
			e, err := s.Read(rel)
			if err == nil && e.Kind == KindReply && e.Author != reader && RepliesTo(e, reader) {
				replies = append(replies, e)
			}
		}
	}
	if len(replies) > 0 {
		for _, it := range NewsSince(replies, reader, mark(), day).Items {
			t.Replies = append(t.Replies, it.Entry)
		}
	}

	t.Dates = s.datesOn(day)

	var last civil.Date
	for i := 0; i < max(every, 1) && last.IsZero(); i++ {
		d := day.AddDays(-i)
		prefix := d.String() + "-" + string(KindUnion) + "-"
		for _, name := range list(d) {
			if strings.HasPrefix(name, prefix) && isEntryName(name) {
				last = d
				break
			}
		}
	}
	t.UnionDue = UnionDue(last, day, every)
	return t, nil
}

// maxTonightFile is the largest file tonight reads: a date or a reply is
// a few hundred bytes; a file larger than this is no entry the nudge waits
// for.
const maxTonightFile = 1 << 20

// tonightReadable reports whether tonight may read the file at abs: a
// regular file of at most maxTonightFile bytes, not a symbolic link (which
// may lead out of the journal, or to /dev/zero), nor a FIFO or a device
// (whose open or read may never end). The nudge runs in a shell prompt: it
// says what it can, quickly.
func tonightReadable(abs string) bool {
	fi, err := os.Lstat(abs)
	return err == nil && fi.Mode().IsRegular() && fi.Size() <= maxTonightFile
}

// datesOn is the dates planned for day and not done (nor set to any status
// but planned), in path order, a date that recurs included when one of its
// days is day. Only a file that holds day's text, or recurs, is parsed.
func (s Store) datesOn(day civil.Date) []*Entry {
	info, _ := lookupKind(KindDate)
	dir, err := openDir(filepath.Join(s.Root, info.Folder))
	if err != nil {
		return nil
	}
	defer dir.close()
	names, err := dir.names()
	if err != nil {
		return nil
	}
	slices.Sort(names)
	want := []byte(day.String())
	every := []byte("\n" + FieldEvery + ":") // a date that recurs may fall on day
	buf := make([]byte, 8192)
	var out []*Entry
	for _, name := range names {
		if !isEntryName(name) || !tonightReadable(filepath.Join(s.Root, info.Folder, name)) {
			continue
		}
		data, err := dir.read(name, buf)
		if err != nil || !bytes.Contains(data, want) && !bytes.Contains(data, every) {
			continue
		}
		e, err := Parse(info.Folder+"/"+name, data)
		if err != nil || e.Kind != KindDate {
			continue
		}
		status, _ := e.Field(FieldStatus)
		if next, ok := e.NextOn(day); ok && next == day && (status == "" || status == StatusPlanned) {
			out = append(out, e)
		}
	}
	return out
}
