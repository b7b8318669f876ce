package cmd

import (
	"context"
	"time"

	"fmt"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// listShown is the entries q selects as who, the person at the keyboard,
// may see them (see [shownTo]), with the warnings of the listing: every
// command that shows entries reads them through it.
func listShown(j *Journal, q journal.Query, who string) ([]*journal.Entry, []error, error) {
	entries, warnings, err := j.Store.List(q)
	if err != nil {
		return nil, nil, err
	}
	return shownTo(j, entries, who), warnings, nil
}

// viewer is who is at the keyboard, or "" when no name can be had (then
// every partner's answer stays hidden).
func viewer(author func() (string, error)) string {
	who, err := author()
	if err != nil {
		return ""
	}
	return who
}

// shown is [shownTo] for the App's author.
func (a *App) shown(j *Journal, entries []*journal.Entry) []*journal.Entry {
	return shownTo(j, entries, viewer(a.author))
}

// shownTo is entries as who, the person at the keyboard, may see them, by
// the sealed-answer rule [journal.MaySeeAnswer]. Everywhere entries are
// read out — show, log, search, memories, export — a hidden answer is
// replaced by a stand-in that says who answered and how to see it, with the
// field hidden: true. who "" sees no partner's answer.
func shownTo(j *Journal, entries []*journal.Entry, who string) []*journal.Entry {
	answered := map[civil.Date]bool{}
	chk := newRevealChecker(context.Background(), j)
	out := make([]*journal.Entry, 0, len(entries))
	for _, e := range entries {
		if e.Kind == journal.KindAnswer && journal.IsSealed(e) && e.Author == who {
			out = append(out, openedAnswer(j, e))
			continue
		}
		if e.Kind == journal.KindAnswer && e.Author != who {
			ok, seen := answered[e.Date]
			if !seen {
				mine := journal.New(journal.KindAnswer, who, e.Date, e.Created)
				ok = who != "" && j.Store.Exists(journal.PathFor(mine, nil))
				answered[e.Date] = ok
			}
			switch {
			case !journal.MaySeeAnswer(who, e.Author, ok):
				e = hiddenAnswer(e)
			case journal.IsSealed(e):
				// Sealed to its author: readable only on a computer that
				// holds their key (a shared one, with --as); else it waits
				// for their reveal.
				if text, opened := openSealed(j.KeyDir, e); opened {
					e = withEntryText(e, text)
				} else {
					e = sealedAnswer(e)
				}
			default:
				// Revealed: held to its first seal (cmd/reveal_check.go).
				e = chk.checkedAnswer(e)
			}
		}
		out = append(out, e)
	}
	return out
}

// hiddenNote is the text of a hidden answer's stand-in, for the author's
// display name and the day.
const hiddenNote = "%s has answered — answer to see it: reconnect ask --date %s"

func hiddenAnswer(e *journal.Entry) *journal.Entry {
	return standIn(e, fmt.Sprintf(hiddenNote, displayName(e.Author), e.Date))
}

// sealedNote is the text of the stand-in of a partner's answer still
// sealed, when you have answered too: their computer reveals it at its
// next sync.
const sealedNote = "%s has answered — sealed until their computer syncs again and reveals it"

// sealedAnswer is the stand-in of a partner's answer still sealed.
func sealedAnswer(e *journal.Entry) *journal.Entry {
	return standIn(e, fmt.Sprintf(sealedNote, displayName(e.Author)))
}

// standIn is e's stand-in, saying note.
func standIn(e *journal.Entry, note string) *journal.Entry {
	h := journal.New(e.Kind, e.Author, e.Date, e.Created)
	h.Path = e.Path
	if q, ok := e.Field(journal.FieldQuestion); ok {
		h.SetField(journal.FieldQuestion, q)
	}
	h.SetBoolField(journal.FieldHidden, true)
	h.SetSection("", note)
	return h
}

// reader is what a command that reads the journal out uses: the streams,
// the clock, who is at the keyboard (for the sealed-answer rule and
// --author me), and the journal opened to read (brought up to date from the
// remote at most once per sync.interval). Read commands embed it in their
// Options.
type reader struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(context.Context) (*Journal, error)
}

// reader is the App's reader.
func (a *App) reader() reader {
	return reader{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openToRead}
}
