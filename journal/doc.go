// Package journal is the journal on disk: the entry kinds, the Markdown and
// YAML front-matter codec, the path scheme, reading the journal folder, and
// the three-way merge of one entry file.
//
// # Entries
//
// An [Entry] is one small Markdown file:
//
//	---
//	kind: checkin
//	author: sam
//	date: 2026-11-21
//	created: 2026-11-21T21:14:03+01:00
//	---
//
//	Free text before the first heading.
//
//	## Rose
//	The walk by the river.
//
// [Parse] reads a file and [Entry.Render] writes it back. A file edited by
// hand loses nothing on the way: the front matter is kept as text and only the
// keys a program changes are rewritten, so unknown keys, their order, their
// comments and non-string values survive; unknown sections and free text
// survive too. Kinds, their sections and where their files live are in the
// table returned by [Kinds]; [PathFor] places a new entry.
//
// # Reading the folder
//
// [Store] lists, reads and writes entries. A file that does not parse does
// not stop a listing: it comes back as a warning (a [*ParseError]) beside
// the entries that did. A listing by date reads only the month folders in
// range.
//
// # Merging
//
// [MergeFiles] merges two versions of one file that both partners changed,
// key by key and section by section; what clashes is reported, never
// dropped, so the caller can keep both versions.
//
// # Searching
//
// [Search] is the search rule: an entry matches when every word of the
// query occurs, in any case, in its title, its question or one of its
// sections ([AppendSearchTexts]); [Search.Filter] keeps the entries that
// match and [Search.Index] finds a word in a line, for showing it.
//
// # Errors
//
// [Parse] returns a [*ParseError] carrying the file's path and line; its Err
// wraps one of [ErrNoFrontMatter], [ErrConflictMarkers], [ErrBadYAML],
// [ErrMissingKey], [ErrInvalidUTF8], or, for a bad required value,
// [ErrUnknownKind], [ErrBadAuthor], civil.ErrBadDate or [ErrBadTime].
// [ParseKind] wraps [ErrUnknownKind], [ValidAuthor] wraps [ErrBadAuthor],
// [CleanText] wraps [ErrEmptyText], [ErrControlChar] or [ErrInvalidUTF8].
// [Store.Read] wraps [ErrNotFound] when the file does not exist and
// [ErrBadPath] when the path leaves the journal or is one the gate for
// paths from git refuses (gitpath.Check: .git in any case or alias,
// control characters, over-long names). A listing never reads a file whose
// name that gate refuses. Errors are meant to be
// matched with [errors.Is] and [errors.As].
package journal

import (
	"errors"
	"strconv"
)

// Sentinel errors; see the package documentation for who returns which.
var (
	ErrNoFrontMatter   = errors.New("no front matter: the file must start with a --- line and close it with another")
	ErrConflictMarkers = errors.New("unresolved merge conflict markers")
	ErrBadYAML         = errors.New("bad yaml in front matter")
	ErrMissingKey      = errors.New("missing required key")
	ErrInvalidUTF8     = errors.New("not valid utf-8")
	ErrUnknownKind     = errors.New("unknown kind")
	ErrBadAuthor       = errors.New("bad author name")
	ErrBadTime         = errors.New("bad time")
	ErrEmptyText       = errors.New("empty text")
	ErrControlChar     = errors.New("control character in text")
	ErrNotFound        = errors.New("entry not found")
	ErrBadPath         = errors.New("bad entry path")
)

// ParseError is a file that could not be read as an entry: where, and why.
type ParseError struct {
	Path string // slash-separated, relative to the journal root
	Line int    // 1-based line in the file; 0 when it does not apply
	Err  error
}

// Error renders "<path>:<line>: <msg>", leaving out the line when it is 0.
func (e *ParseError) Error() string {
	s := e.Path
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if s == "" {
		return e.Err.Error()
	}
	return s + ": " + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }
