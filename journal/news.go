package journal

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// What is new for you: the entries your partner wrote that you have not
// seen yet.
//
// "Seen" is a [NewsMark]: the entries you were shown, each by its path and
// a hash of its content, kept on your machine only. An entry is new when
// its path is not in the mark, or its content changed since. No clock is
// compared, neither yours nor your partner's: an entry written offline a
// week ago and synced today is new today, whatever its created time says.
//
// Only entries dated within [NewsWindow] days before today (or after it:
// a partner ahead in time zones) can be news, and the mark keeps only
// those, so it stays small however old the journal is.

// NewsWindow is how many days back an entry's date may be and the entry
// still be news. It bounds the mark too.
const NewsWindow = 60

// NewsFirstDays is how many days back, today included, news goes the first
// time, when there is no mark yet: the last few days, not the whole story.
const NewsFirstDays = 3

// NewsMark is what a reader has seen: when they last looked (on their own
// clock, only to say "since"), and every partner entry they have seen, by
// path, with its [ContentHash]. A zero mark (At zero) is "never looked".
type NewsMark struct {
	At      time.Time         `json:"at"`
	Entries map[string]string `json:"entries"`
}

// IsZero reports whether the reader has never looked.
func (m NewsMark) IsZero() bool { return m.At.IsZero() }

// ContentHash is a short hash of what an entry's file holds: a changed
// entry has another hash.
func ContentHash(e *Entry) string {
	sum := sha256.Sum256(e.Render())
	return hex.EncodeToString(sum[:12])
}

// NewsItem is one thing a partner wrote that the reader has not seen.
type NewsItem struct {
	// Entry is the partner's entry: a check-in, a reply, a thank-you, a
	// win, an answer the reader may see, State of the Union notes, a
	// challenge day or start, a new bucket-list item or planned date.
	Entry *Entry `json:"entry"`
	// To is, for a reply, the check-in it answers when that is among the
	// entries read (the reader's own, for a reply to them); nil otherwise.
	// The reply's to field names the path either way.
	To *Entry `json:"to"`
	// Changed is true when the reader saw an earlier version of the entry.
	Changed bool `json:"changed"`
}

// SealedNews is a partner's answer to the question of the day that the
// reader may not see yet ([MaySeeAnswer]): that it exists, never its text.
type SealedNews struct {
	Author string     `json:"author"`
	Date   civil.Date `json:"date"`
	Path   string     `json:"path"`
}

// News is what is new for a reader.
type News struct {
	// Items are the new entries, oldest first: by date, then created,
	// then path.
	Items []NewsItem
	// Sealed are new answers held back until the reader answers too; they
	// stay new (they are not marked seen) until then.
	Sealed []SealedNews
	// First is true when there was no mark: Items go back NewsFirstDays
	// days only.
	First bool
}

// newsKind reports whether a kind is something a partner writes for the
// other to see. Time together is lived by both and is not news; a shared
// item is news when it is new (added), not when it changes, since a change
// does not say who made it.
func newsKind(k Kind) bool {
	switch k {
	case KindCheckin, KindReply, KindThanks, KindWin, KindAnswer, KindUnion,
		KindChallenge, KindChallengeStart, KindBucket, KindDate, KindBegin:
		return true
	}
	return false
}

// NewsSince is what authors other than reader wrote, among entries, that
// mark does not hold (or holds with other content), for today, the
// reader's calendar day. entries is what the journal holds from
// today-NewsWindow on (more is fine: older ones are ignored). A partner's
// answer to the question of a day the reader has not answered is never an
// item; it is listed in Sealed. A reply carries the check-in it answers
// when that is among entries.
func NewsSince(entries []*Entry, reader string, mark NewsMark, today civil.Date) News {
	n := News{First: mark.IsZero()}
	since := today.AddDays(-NewsWindow)
	if n.First {
		since = today.AddDays(-(NewsFirstDays - 1))
	}
	byPath := make(map[string]*Entry, len(entries))
	answered := map[civil.Date]bool{}
	for _, e := range entries {
		byPath[e.Path] = e
		if e.Kind == KindAnswer && e.Author == reader {
			answered[e.Date] = true
		}
	}
	for _, e := range entries {
		if e.Author == reader || e.Date.Before(since) || !newsKind(e.Kind) {
			continue
		}
		seenHash, seen := mark.Entries[e.Path]
		info, _ := lookupKind(e.Kind)
		if seen && (info.Placement == SharedItem || seenHash == ContentHash(e)) {
			continue
		}
		if e.Kind == KindAnswer && (IsSealed(e) || !MaySeeAnswer(reader, e.Author, answered[e.Date])) {
			n.Sealed = append(n.Sealed, SealedNews{Author: e.Author, Date: e.Date, Path: e.Path})
			continue
		}
		it := NewsItem{Entry: e, Changed: seen}
		if e.Kind == KindReply {
			if to, ok := e.Field(FieldTo); ok {
				if c := byPath[to]; c != nil && c.Kind == KindCheckin {
					it.To = c
				}
			}
		}
		n.Items = append(n.Items, it)
	}
	slices.SortStableFunc(n.Items, func(a, b NewsItem) int { return entryOrder(a.Entry, b.Entry) })
	slices.SortStableFunc(n.Sealed, func(a, b SealedNews) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Path, b.Path))
	})
	return n
}

// entryOrder is oldest first: by date, then created, then path.
func entryOrder(a, b *Entry) int {
	return cmp.Or(a.Date.Compare(b.Date), a.Created.Compare(b.Created), cmp.Compare(a.Path, b.Path))
}

// MarkSeen is the mark after the reader has been shown the news computed
// from entries: every partner entry in the window, at its current content,
// except answers still sealed to the reader (they become news once the
// reader answers). Entries older than the window, or gone, leave the mark.
// With sealed true, sealed answers are marked too: that is the mark of
// what has been announced, not of what has been read. at is when the
// reader looked.
func MarkSeen(entries []*Entry, reader string, today civil.Date, at time.Time, sealed bool) NewsMark {
	since := today.AddDays(-NewsWindow)
	answered := map[civil.Date]bool{}
	for _, e := range entries {
		if e.Kind == KindAnswer && e.Author == reader {
			answered[e.Date] = true
		}
	}
	m := NewsMark{At: at, Entries: map[string]string{}}
	for _, e := range entries {
		if e.Author == reader || e.Date.Before(since) || !newsKind(e.Kind) {
			continue
		}
		if !sealed && e.Kind == KindAnswer && (IsSealed(e) || !MaySeeAnswer(reader, e.Author, answered[e.Date])) {
			continue
		}
		m.Entries[e.Path] = ContentHash(e)
	}
	return m
}

// RepliesTo reports whether a reply's to path names a check-in of reader,
// by the file name the check-in has ([PathFor]); for a reply whose check-in
// is not among the entries read.
func RepliesTo(reply *Entry, reader string) bool {
	to, ok := reply.Field(FieldTo)
	return ok && reply.Kind == KindReply &&
		strings.HasSuffix(path.Base(to), "-"+string(KindCheckin)+"-"+reader+".md")
}
