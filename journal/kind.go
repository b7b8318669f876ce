package journal

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Placement is how a kind's files are named and where they live.
type Placement int

const (
	// PerAuthorPerDay is one file per author per day:
	// YYYY/MM/YYYY-MM-DD-<kind>-<author>.md. Writing it again replaces it.
	PerAuthorPerDay Placement = iota + 1
	// ManyPerDay is a file per entry, named by the time it was created:
	// YYYY/MM/YYYY-MM-DD-<kind>-<author>-HHMMSS.md, then -2, -3 on a clash.
	ManyPerDay
	// SharedItem is one file per item in the kind's folder, named from its
	// title: <folder>/<slug>.md, then -2, -3 on a clash. Both partners edit it.
	SharedItem
)

func (p Placement) String() string {
	switch p {
	case PerAuthorPerDay:
		return "per author per day"
	case ManyPerDay:
		return "many per day"
	case SharedItem:
		return "shared item"
	}
	return fmt.Sprintf("Placement(%d)", int(p))
}

// KindInfo describes a kind of entry.
type KindInfo struct {
	Kind        Kind
	Description string    // one line, for help text
	Sections    []string  // the headings the kind writes, in order; nil for free text only
	Placement   Placement // how its files are named
	Folder      string    // SharedItem only: the folder its files live in
}

// kindTable is the one list of kinds. A new kind is a new row here (and, if
// it has one, a helper like [NewBucketItem]).
func kindTable() []KindInfo {
	return []KindInfo{
		{
			Kind:        KindCheckin,
			Description: "Rose, Bud, Thorn: the day's high point, what you look forward to, what was hard",
			Sections:    []string{"Rose", "Bud", "Thorn"},
			Placement:   PerAuthorPerDay,
		},
		{
			Kind:        KindThanks,
			Description: "a note of thanks or appreciation for your partner",
			Placement:   ManyPerDay,
		},
		{
			Kind:        KindBucket,
			Description: "an item on the shared bucket list, open or done",
			Placement:   SharedItem,
			Folder:      "bucket",
		},
		{
			Kind:        KindAnswer,
			Description: "an answer to the question of the day (fields question-id and question)",
			Placement:   PerAuthorPerDay,
		},
		{
			Kind:        KindChallenge,
			Description: "a day of the 30-day challenge: which of its two activities were done",
			Placement:   PerAuthorPerDay,
		},
		{
			Kind:        KindChallengeStart,
			Description: "the start of a 30-day challenge run (field on: its first day)",
			Placement:   PerAuthorPerDay,
		},
		{
			Kind:        KindReply,
			Description: "a reply to the partner's check-in (field to: the check-in's path)",
			Placement:   ManyPerDay,
		},
		{
			Kind:        KindUnion,
			Description: "notes from a State of the Union meeting, by the agenda's headings",
			Sections: []string{
				"Appreciations", "What went right", "What's stressing us out", "Are we still on track",
				"How are we doing", "One thing, gently", "Feeling loved this week",
			},
			Placement: PerAuthorPerDay,
		},
		{
			Kind:        KindWin,
			Description: "a small win worth celebrating",
			Placement:   ManyPerDay,
		},
		{
			Kind:        KindDate,
			Description: "a planned date, shared by both partners: planned or done",
			Placement:   SharedItem,
			Folder:      "dates",
		},
		{
			Kind:        KindTogether,
			Description: "phones-away time together: planned, spent, cut short or not",
			Placement:   ManyPerDay,
		},
		{
			Kind:        KindBegin,
			Description: "a beginning: the gap between you named, and one small step to close it",
			Sections:    []string{"The gap", "One small step", "Out loud"},
			Placement:   PerAuthorPerDay,
		},
		{
			Kind:        KindSkip,
			Description: "a question of the day passed on, for both partners (fields question-id and question)",
			Placement:   ManyPerDay,
		},
	}
}

// kinds is the table, built once and never changed: reading an entry looks
// its kind up, and building the table for each file would cost more than the
// rest of the parse. [Kinds] and [LookupKind] hand out copies.
var kinds = sync.OnceValue(kindTable)

// Kinds is every known kind, in a stable order. The slice is the caller's.
func Kinds() []KindInfo { return kindTable() }

// LookupKind is the description of a known kind.
func LookupKind(k Kind) (KindInfo, bool) {
	info, ok := lookupKind(k)
	info.Sections = slices.Clone(info.Sections)
	return info, ok
}

// lookupKind is LookupKind without the copy, for callers that only read.
func lookupKind(k Kind) (KindInfo, bool) {
	for _, info := range kinds() {
		if info.Kind == k {
			return info, true
		}
	}
	return KindInfo{}, false
}

// ParseKind reads a kind name as a user types it (case and surrounding
// spaces do not matter). An unknown name is an error wrapping
// [ErrUnknownKind] that lists the known ones.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := lookupKind(k); ok {
		return k, nil
	}
	return "", unknownKind(s)
}

func unknownKind(s string) error {
	var names []string
	for _, info := range kinds() {
		names = append(names, string(info.Kind))
	}
	return fmt.Errorf("%w %q: want one of %s", ErrUnknownKind, s, strings.Join(names, ", "))
}

// Owner is who alone may change the entry file at p holding data: its
// author, for a personal entry (a check-in, a note, an answer...). A
// shared item (the bucket list, planned dates), a file that does not parse
// and a file that is no entry have no single owner: "". Sync uses it so
// that a change someone else made to your entry is never applied silently.
func Owner(p string, data []byte) string {
	e, err := Parse(p, data)
	if err != nil {
		return ""
	}
	info, ok := lookupKind(e.Kind)
	if !ok || info.Placement == SharedItem {
		return ""
	}
	return e.Author
}

// WrittenBy is who a file says wrote it: the author: key of its front
// matter, made an author name by [AuthorName]; "" when the file has no
// front matter or no usable author. Unlike [Owner] it reads any file with
// front matter, a shared item or one that does not parse as an entry. Sync
// names the conflict copy of a file after it.
func WrittenBy(p string, data []byte) string {
	s := normalizeNewlines(strings.TrimPrefix(string(data), bom))
	fmText, _, ok := cutFrontMatter(s)
	if !ok {
		return ""
	}
	fm, yerr := parseFrontMatter(fmText)
	if yerr != nil {
		return ""
	}
	k, ok := fm.get(KeyAuthor)
	if !ok || !k.scalar {
		return ""
	}
	return AuthorName(k.value)
}
