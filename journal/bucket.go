package journal

import (
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Front-matter keys and values of a bucket-list item. The item's author is
// who added it and its date the day it was added; notes are its free text.
const (
	FieldTitle  = "title"   // what the item is, one line
	FieldStatus = "status"  // StatusOpen or StatusDone
	FieldDone   = "done"    // YYYY-MM-DD, when it was done
	FieldDoneBy = "done-by" // the author who marked it done

	StatusOpen = "open"
	StatusDone = "done"
)

// NewBucketItem is an open bucket-list item. White space in the title is
// collapsed to single spaces. Its path comes from [PathFor].
func NewBucketItem(title, author string, date civil.Date, created time.Time) *Entry {
	e := New(KindBucket, author, date, created)
	e.SetField(FieldTitle, strings.Join(strings.Fields(title), " "))
	e.SetField(FieldStatus, StatusOpen)
	return e
}

// Title is the item's title ("" when it has none).
func (e *Entry) Title() string {
	t, _ := e.Field(FieldTitle)
	return t
}

// IsDone reports whether the item's status is done.
func (e *Entry) IsDone() bool {
	s, _ := e.Field(FieldStatus)
	return s == StatusDone
}

// MarkDone sets the item's status to done, on the given day, by the given
// author.
func (e *Entry) MarkDone(by string, on civil.Date) {
	e.SetField(FieldStatus, StatusDone)
	e.SetField(FieldDone, on.String())
	e.SetField(FieldDoneBy, by)
}

// Reopen sets the item's status back to open and forgets when and by whom
// it was done.
func (e *Entry) Reopen() {
	e.SetField(FieldStatus, StatusOpen)
	e.DeleteField(FieldDone)
	e.DeleteField(FieldDoneBy)
}
