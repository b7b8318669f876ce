package journal

import (
	"cmp"
	"slices"
	"strings"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// SectionDone is the heading of the note written when a shared item (a
// bucket-list item, a planned date) is ticked off.
const SectionDone = "Done"

// settleDone reconciles a shared item that both sides ticked off since
// base, as the partners mean it: the item is done once, on the earlier of
// the two days, by whoever ticked it off that day (the first name in
// alphabetical order when both did it the same day), and the notes both
// wrote under [SectionDone] are both kept, each after the name of who wrote
// it ("sam: Loved it."), the earlier one first. It returns the two sides
// with that written into both, so that only what else they changed is left
// to merge; ok is false when the rule does not apply (not a shared item,
// not done on both sides, or already done in base).
//
// The result is the same whichever side is ours, so both partners' clones
// compute the same file.
func settleDone(eb, eo, et *Entry) (o, t *Entry, ok bool) {
	info, known := lookupKind(eo.Kind)
	if !known || info.Placement != SharedItem || et.Kind != eo.Kind {
		return nil, nil, false
	}
	if !eo.IsDone() || !et.IsDone() || eb.IsDone() {
		return nil, nil, false
	}
	a, b := doneOf(eo), doneOf(et)
	if b.before(a) {
		a, b = b, a
	}
	baseNote, _ := eb.Section(SectionDone)
	var note string
	switch {
	case a.note == b.note:
		note = a.note
	default:
		var blocks []string
		if baseNote != "" && (a.note == baseNote || b.note == baseNote) {
			blocks = append(blocks, baseNote)
		}
		for _, d := range []done{a, b} {
			if d.note == "" || d.note == baseNote {
				continue
			}
			if a.by == b.by || d.by == "" || strings.HasPrefix(d.note, d.by+": ") {
				blocks = append(blocks, d.note)
			} else {
				blocks = append(blocks, d.by+": "+d.note)
			}
		}
		note = strings.Join(blocks, "\n\n")
	}
	day, by := cmp.Or(a.day, b.day), cmp.Or(a.by, b.by)
	settle := func(e *Entry) *Entry {
		c, err := Parse(e.Path, e.Render())
		if err != nil {
			return nil
		}
		if day != "" {
			c.SetField(FieldDone, day)
		}
		if by != "" {
			c.SetField(FieldDoneBy, by)
		}
		c.SetSection(SectionDone, note)
		return c
	}
	if o, t = settle(eo), settle(et); o == nil || t == nil {
		return nil, nil, false
	}
	return o, t, true
}

// done is one side's ticking off of a shared item.
type done struct {
	day, by, note string
	date          civil.Date // zero when day does not read as a date
}

func doneOf(e *Entry) done {
	d := done{}
	d.day, _ = e.Field(FieldDone)
	d.by, _ = e.Field(FieldDoneBy)
	d.note, _ = e.Section(SectionDone)
	d.date, _ = e.DateField(FieldDone)
	return d
}

// before orders two tickings off: the earlier day first (a day that reads
// as a date before one that does not), then by name, then by note, so
// that the order does not depend on which side is ours.
func (d done) before(e done) bool {
	switch {
	case d.date.IsZero() != e.date.IsZero():
		return !d.date.IsZero()
	case !d.date.IsZero() && d.date != e.date:
		return d.date.Before(e.date)
	}
	return slices.Compare([]string{d.day, d.by, d.note}, []string{e.day, e.by, e.note}) < 0
}
