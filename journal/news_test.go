package journal

import (
	"slices"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// newsDay is "today" in the news tests.
var newsDay = civil.Date{Year: 2026, Month: 11, Day: 25}

// newsEntry is an entry of kind by author, dated daysAgo before newsDay,
// created at the given hour of that day (the author's clock), at its path.
func newsEntry(kind Kind, author string, daysAgo, hour int, text string) *Entry {
	d := newsDay.AddDays(-daysAgo)
	created := time.Date(d.Year, time.Month(d.Month), d.Day, hour, 0, 0, 0, time.UTC)
	var e *Entry
	switch kind {
	case KindBucket:
		e = NewBucketItem(text, author, d, created)
	case KindCheckin:
		e = New(kind, author, d, created)
		e.SetSection("Rose", text)
		e.SetSection("Thorn", "a hard "+text)
	default:
		e = New(kind, author, d, created)
		e.SetSection("", text)
	}
	e.Path = PathFor(e, nil)
	return e
}

func replyTo(author string, daysAgo, hour int, to *Entry, text string) *Entry {
	d := newsDay.AddDays(-daysAgo)
	e := NewReply(author, d, time.Date(d.Year, time.Month(d.Month), d.Day, hour, 0, 0, 0, time.UTC), to.Path, text)
	e.Path = PathFor(e, nil)
	return e
}

func answerOf(author string, daysAgo int, text string) *Entry {
	d := newsDay.AddDays(-daysAgo)
	e := NewAnswer(author, d, time.Date(d.Year, time.Month(d.Month), d.Day, 20, 0, 0, 0, time.UTC), 7, "What made you laugh?", text)
	e.Path = PathFor(e, nil)
	return e
}

// markOf is a mark that has seen exactly these entries, as they are now.
func markOf(es ...*Entry) NewsMark {
	m := NewsMark{At: time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC), Entries: map[string]string{}}
	for _, e := range es {
		m.Entries[e.Path] = ContentHash(e)
	}
	return m
}

func TestNewsSince(t *testing.T) {
	aliceOld := newsEntry(KindCheckin, "alex", 1, 21, "old lunch")
	mine := newsEntry(KindCheckin, "sam", 0, 21, "my run")
	mineOld := newsEntry(KindCheckin, "sam", 1, 21, "my walk")
	checkin := newsEntry(KindCheckin, "alex", 0, 21, "lunch")
	reply := replyTo("alex", 0, 22, mine, "It sounds like you felt tired.")
	replyYesterday := replyTo("alex", 0, 9, mineOld, "That walk sounds lovely.")
	thanks := newsEntry(KindThanks, "alex", 0, 20, "For the soup")
	win := newsEntry(KindWin, "alex", 0, 19, "Finished the report")
	union := newsEntry(KindUnion, "alex", 0, 18, "notes")
	challengeDay := newsEntry(KindChallenge, "alex", 0, 17, "danced")
	together := newsEntry(KindTogether, "alex", 0, 16, "")
	bucket := newsEntry(KindBucket, "alex", 0, 15, "Pottery class")
	ownThanks := newsEntry(KindThanks, "sam", 0, 20, "For the tea")
	theirAnswer := answerOf("alex", 0, "Your face")
	myAnswer := answerOf("sam", 0, "The cat")
	// Written offline a week ago on a clock a year behind, synced today.
	offline := newsEntry(KindWin, "alex", 7, 8, "Ran 5k")
	offline.Created = offline.Created.AddDate(-1, 0, 0)
	tooOld := newsEntry(KindThanks, "alex", NewsWindow+1, 8, "Long ago")
	future := newsEntry(KindThanks, "alex", -1, 1, "From Tokyo") // partner's tomorrow
	changed := newsEntry(KindThanks, "alex", 0, 10, "first words")
	changedMark := markOf(changed)
	changed.SetSection("", "better words")
	doneBucket := newsEntry(KindBucket, "alex", 2, 15, "Paris")
	doneMark := markOf(doneBucket)
	doneBucket.SetField(FieldStatus, StatusDone)

	type want struct {
		paths   []string // items, in order
		to      map[string]string
		changed []string
		sealed  []string
		first   bool
	}
	tests := []struct {
		name    string
		entries []*Entry
		mark    NewsMark
		want    want
	}{
		{name: "nothing", mark: markOf()},
		{
			name:    "every kind a partner writes for you, oldest first; together and your own left out",
			entries: []*Entry{mine, checkin, reply, thanks, win, union, challengeDay, together, bucket, ownThanks},
			mark:    markOf(),
			want: want{
				paths: []string{bucket.Path, challengeDay.Path, union.Path, win.Path, thanks.Path, checkin.Path, reply.Path},
				to:    map[string]string{reply.Path: mine.Path},
			},
		},
		{
			name:    "seen entries are not news",
			entries: []*Entry{checkin, thanks, aliceOld},
			mark:    markOf(checkin, aliceOld),
			want:    want{paths: []string{thanks.Path}},
		},
		{
			name:    "written offline long ago, on a wrong clock, synced now: new",
			entries: []*Entry{offline, checkin},
			mark:    markOf(checkin),
			want:    want{paths: []string{offline.Path}},
		},
		{
			name:    "dated beyond the window: never news; a partner's tomorrow is",
			entries: []*Entry{tooOld, future},
			mark:    markOf(),
			want:    want{paths: []string{future.Path}},
		},
		{
			name:    "a changed entry is news again, marked changed",
			entries: []*Entry{changed},
			mark:    changedMark,
			want:    want{paths: []string{changed.Path}, changed: []string{changed.Path}},
		},
		{
			name:    "a shared item is news when added, not when changed",
			entries: []*Entry{doneBucket},
			mark:    doneMark,
		},
		{
			name:    "a sealed answer is held back, never an item",
			entries: []*Entry{theirAnswer, checkin},
			mark:    markOf(checkin),
			want:    want{sealed: []string{theirAnswer.Path}},
		},
		{
			name:    "once you answered, their answer is news",
			entries: []*Entry{theirAnswer, myAnswer},
			mark:    markOf(),
			want:    want{paths: []string{theirAnswer.Path}},
		},
		{
			name:    "a reply carries the check-in it answers, even one of yesterday",
			entries: []*Entry{replyYesterday, mineOld},
			mark:    markOf(),
			want:    want{paths: []string{replyYesterday.Path}, to: map[string]string{replyYesterday.Path: mineOld.Path}},
		},
		{
			name:    "a reply whose check-in is not here has no To",
			entries: []*Entry{replyYesterday},
			mark:    markOf(),
			want:    want{paths: []string{replyYesterday.Path}},
		},
		{
			name:    "first look: the last few days only",
			entries: []*Entry{offline, aliceOld, checkin},
			mark:    NewsMark{},
			want:    want{paths: []string{aliceOld.Path, checkin.Path}, first: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := NewsSince(tt.entries, "sam", tt.mark, newsDay)
			var paths, changed, sealed []string
			to := map[string]string{}
			for _, it := range n.Items {
				paths = append(paths, it.Entry.Path)
				if it.Changed {
					changed = append(changed, it.Entry.Path)
				}
				if it.To != nil {
					to[it.Entry.Path] = it.To.Path
				}
			}
			for _, s := range n.Sealed {
				sealed = append(sealed, s.Path)
			}
			if tt.want.to == nil {
				tt.want.to = map[string]string{}
			}
			if !slices.Equal(paths, tt.want.paths) {
				t.Errorf("items %q, want %q", paths, tt.want.paths)
			}
			if !slices.Equal(changed, tt.want.changed) {
				t.Errorf("changed %q, want %q", changed, tt.want.changed)
			}
			if !slices.Equal(sealed, tt.want.sealed) {
				t.Errorf("sealed %q, want %q", sealed, tt.want.sealed)
			}
			if len(to) != len(tt.want.to) {
				t.Errorf("to %v, want %v", to, tt.want.to)
			}
			for k, v := range tt.want.to {
				if to[k] != v {
					t.Errorf("to %v, want %v", to, tt.want.to)
				}
			}
			if n.First != tt.want.first {
				t.Errorf("first %v, want %v", n.First, tt.want.first)
			}
			// The order does not depend on the order entries come in.
			rev := slices.Clone(tt.entries)
			slices.Reverse(rev)
			again := NewsSince(rev, "sam", tt.mark, newsDay)
			for i := range again.Items {
				if again.Items[i].Entry.Path != n.Items[i].Entry.Path {
					t.Errorf("order differs with the entries reversed: %s at %d", again.Items[i].Entry.Path, i)
				}
			}
		})
	}
}

func TestMarkSeen(t *testing.T) {
	checkin := newsEntry(KindCheckin, "alex", 0, 21, "lunch")
	mine := newsEntry(KindThanks, "sam", 0, 20, "For the tea")
	tooOld := newsEntry(KindThanks, "alex", NewsWindow+1, 8, "Long ago")
	sealed := answerOf("alex", 0, "Your face")
	at := time.Date(2026, 11, 25, 22, 0, 0, 0, time.UTC)
	entries := []*Entry{checkin, mine, tooOld, sealed}

	tests := []struct {
		name   string
		sealed bool
		want   []string
	}{
		{name: "read: a sealed answer stays unseen", want: []string{checkin.Path}},
		{name: "announced: the sealed answer too", sealed: true, want: []string{sealed.Path, checkin.Path}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MarkSeen(entries, "sam", newsDay, at, tt.sealed)
			var got []string
			for p := range m.Entries {
				got = append(got, p)
			}
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("marked %q, want %q", got, tt.want)
			}
			if !m.At.Equal(at) {
				t.Errorf("at %v, want %v", m.At, at)
			}
			if n := NewsSince(entries, "sam", m, newsDay); len(n.Items) != 0 {
				t.Errorf("news right after marking: %d items", len(n.Items))
			}
		})
	}
}

func TestRepliesTo(t *testing.T) {
	mine := newsEntry(KindCheckin, "sam", 40, 21, "old")
	theirs := newsEntry(KindCheckin, "alex", 40, 21, "old")
	for _, tt := range []struct {
		reply *Entry
		want  bool
	}{
		{replyTo("alex", 0, 9, mine, "x"), true},
		{replyTo("alex", 0, 9, theirs, "x"), false},
		{newsEntry(KindThanks, "alex", 0, 9, "x"), false},
	} {
		if got := RepliesTo(tt.reply, "sam"); got != tt.want {
			t.Errorf("RepliesTo(%s) = %v, want %v", tt.reply.Path, got, tt.want)
		}
	}
}
