package journal

import (
	"fmt"
	"slices"
	"strings"
)

// Move is one entry that renaming an author changes: the file at From,
// rewritten as Entry (its author, and its path when its name said who
// wrote it).
type Move struct {
	From  string // the path the entry had
	Entry *Entry // the entry under the new name, at its new path
	// Copy is set when the new name already had a one-per-day entry of
	// that kind and day: both are kept, this one at a copy's name beside
	// the other.
	Copy bool
}

// Moved reports whether the entry leaves its path.
func (m Move) Moved() bool { return m.From != m.Entry.Path }

// RenameAuthor is what renaming the author from to to does to entries:
// every entry whose author is from is written by to, and a shared item
// marked done by from (done-by) is marked done by to. A dated entry named
// by the path scheme (2026/11/2026-11-20-checkin-from.md, a thanks'
// -HHMMSS, a conflict copy's tail) moves to the same name under to; a
// shared item, or a file named by hand, keeps its path.
//
// Nothing is lost where to already has a file at the new path: a
// many-per-day entry takes the next free name (-2, -3...), and a
// one-per-day entry (both wrote a check-in that day) is kept beside the
// other, at copyName(path, n) for the first n (1, 2...) that is free; its
// Move says Copy. exists says whether a path is taken in the journal
// (the paths the rename moves away from count as free).
//
// Entries by anyone else are left alone; the moves are in path order.
func RenameAuthor(entries []*Entry, from, to string, exists func(string) bool, copyName func(p string, n int) string) ([]Move, error) {
	if err := ValidAuthor(from); err != nil {
		return nil, err
	}
	if err := ValidAuthor(to); err != nil {
		return nil, err
	}
	if from == to {
		return nil, fmt.Errorf("rename %s to itself", from)
	}
	var mine []*Entry
	vacated := map[string]bool{}
	for _, e := range entries {
		by, _ := e.Field(FieldDoneBy)
		if e.Author != from && by != from {
			continue
		}
		mine = append(mine, e)
		if e.Author == from {
			vacated[e.Path] = true
		}
	}
	slices.SortFunc(mine, func(a, b *Entry) int { return strings.Compare(a.Path, b.Path) })
	taken := map[string]bool{}
	for _, e := range mine {
		if e.Author != from || keepsPath(e) {
			taken[e.Path] = true // it stays: no other entry may move there
		}
	}
	free := func(p string) bool { return !taken[p] && (vacated[p] || !exists(p)) }
	var moves []Move
	for _, e := range mine {
		r, err := Parse(e.Path, e.Render())
		if err != nil {
			return nil, fmt.Errorf("rename %s: %w", e.Path, err)
		}
		if by, _ := r.Field(FieldDoneBy); by == from {
			r.SetField(FieldDoneBy, to)
		}
		m := Move{From: e.Path, Entry: r}
		if r.Author == from {
			r.Author = to
			r.Path, m.Copy = renamedPath(e, r, free, copyName)
		}
		taken[r.Path] = true
		moves = append(moves, m)
	}
	return moves, nil
}

// renamedPath is where r, e under its new author, goes: see [RenameAuthor].
func renamedPath(e, r *Entry, free func(string) bool, copyName func(string, int) string) (string, bool) {
	if keepsPath(e) {
		return e.Path, false
	}
	info, _ := lookupKind(e.Kind)
	rest, _ := strings.CutPrefix(e.Path, datedBase(e))
	p := datedBase(r) + rest
	switch {
	case free(p):
		return p, false
	case info.Placement == ManyPerDay:
		return PathFor(r, func(q string) bool { return !free(q) }), false
	}
	for n := 1; ; n++ {
		if c := copyName(p, n); free(c) {
			return c, true
		}
	}
}

// keepsPath reports whether e keeps its path when its author is renamed:
// a shared item, or a file whose name the path scheme did not give (named
// by hand, or by a partner's hand).
func keepsPath(e *Entry) bool {
	info, ok := lookupKind(e.Kind)
	if !ok || info.Placement == SharedItem {
		return true
	}
	rest, ok := strings.CutPrefix(e.Path, datedBase(e))
	return !ok || rest == "" || (rest[0] != '.' && rest[0] != '-')
}
