// Package gitpath is the one gate for paths that come out of git into a
// work tree. Every path a tree entry names (a clone, a fast-forward, a
// merge, the completion of an interrupted sync), every path reconnect is
// asked to write, every file the hand-edit scan would commit and every file
// the read cache would read as an entry passes [Check] first; a path it
// refuses is never joined onto the journal's folder.
//
// # The rules
//
// [Check] refuses what git's own verify_path refuses, on every platform
// (as git does with core.protectNTFS and core.protectHFS both on), and
// more:
//   - an empty path, an empty component (a leading, doubled or trailing
//     slash), a "." or ".." component, a path starting with "/" or with a
//     drive letter ("C:"), and any backslash (a separator on Windows);
//   - a ".git" component in any case, and every name a file system reads
//     as ".git": with trailing dots or spaces (".git.", ".git "), with an
//     NTFS stream (".git::$INDEX_ALLOCATION"), the NTFS short name
//     ("git~1", and any "git~" followed by digits), and with code points
//     inside that do not show, which HFS+ ignores (git's list: U+200C to
//     U+200F, U+202A to U+202E, U+206A to U+206F, U+FEFF; here every
//     format character, other space, variation selector, default-ignorable,
//     private or unassigned code point);
//   - control characters (C0, DEL, C1), bytes that are not UTF-8, a
//     component longer than [MaxName] bytes, a path longer than [MaxPath]
//     bytes;
//   - any mode but a regular file (0100644 or 0100755) or a folder
//     (040000): symbolic links (0120000), submodules (gitlinks, 0160000)
//     and odd modes (0100664, which git fsck --strict refuses) are
//     refused, whatever their path.
//
// A path Check accepts, joined onto a folder with filepath.Join, names
// something inside that folder and outside its .git. A tree walk checks
// each entry with [Join], which is Check on the joined path and also
// refuses a name holding a slash (one entry that would read as several).
//
// # Errors
//
// Check returns a [*Error] naming the path and the rule it breaks. Every
// one matches [ErrBadPath] with errors.Is; those whose path would land
// outside the folder or in .git (the first two groups above) also match
// [ErrOutside]. A caller that cannot skip one path (a clone) refuses the
// whole tree on ErrOutside and sets the others aside.
package gitpath

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Limits on lengths, in bytes: most file systems refuse a longer name, and
// the operating system a longer path.
const (
	MaxName = 255
	MaxPath = 4096
)

var (
	// ErrBadPath is matched by every path Check refuses.
	ErrBadPath = errors.New("bad path")
	// ErrOutside is matched by a path that would land outside the work tree
	// or inside its .git folder, or that names no one place in it (empty,
	// ".", a doubled slash); it also matches ErrBadPath.
	ErrOutside = fmt.Errorf("%w: outside the journal or in .git", ErrBadPath)
)

// Error is a path Check refuses, and why.
type Error struct {
	Path    string
	Reason  string
	Outside bool // the path would land outside the work tree or in .git
}

func (e *Error) Error() string { return fmt.Sprintf("bad path %q: %s", e.Path, e.Reason) }

// Unwrap is [ErrOutside] for a path that would land outside the work tree
// or in .git, else [ErrBadPath].
func (e *Error) Unwrap() error {
	if e.Outside {
		return ErrOutside
	}
	return ErrBadPath
}

// Check reports whether the slash-separated path p, of a tree entry of
// the given mode, may be written into a work tree: nil, or a [*Error]. The
// mode of something reconnect writes itself is [filemode.Regular].
func Check(p string, mode filemode.FileMode) error {
	if plain(p) && (mode == filemode.Regular || mode == filemode.Executable || mode == filemode.Dir) {
		return nil
	}
	return check(p, mode)
}

// check is Check without the quick way in.
func check(p string, mode filemode.FileMode) error {
	bad := func(outside bool, format string, a ...any) error {
		return &Error{Path: p, Reason: fmt.Sprintf(format, a...), Outside: outside}
	}
	switch {
	case p == "":
		return bad(true, "empty")
	case p[0] == '/':
		return bad(true, "absolute")
	case len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z'):
		return bad(true, "starts with a drive letter")
	case strings.IndexByte(p, '\\') >= 0:
		return bad(true, "a backslash")
	}
	// Where it lands first, over every component; then what it is.
	for c := range strings.SplitSeq(p, "/") {
		switch {
		case c == "":
			return bad(true, "an empty component")
		case c == "." || c == "..":
			return bad(true, "a %q component", c)
		case isDotGit(c):
			return bad(true, "%q is read as .git", c)
		}
	}
	if len(p) > MaxPath {
		return bad(false, "longer than %d bytes", MaxPath)
	}
	for c := range strings.SplitSeq(p, "/") {
		if len(c) > MaxName {
			return bad(false, "a name longer than %d bytes", MaxName)
		}
		if !utf8.ValidString(c) {
			return bad(false, "not valid UTF-8")
		}
		for _, r := range c {
			if isControl(r) {
				return bad(false, "control character %U", r)
			}
		}
	}
	switch mode {
	case filemode.Regular, filemode.Executable, filemode.Dir:
		return nil
	case filemode.Symlink:
		return bad(false, "a symbolic link")
	case filemode.Submodule:
		return bad(false, "a submodule (gitlink)")
	}
	return bad(false, "mode %o is neither a file nor a folder", uint32(mode))
}

// plain reports, in one pass, a path that Check lets in at once: printable
// ASCII, no backslash, components neither empty nor longer than MaxName,
// none starting with a dot or a g (where every alias of .git starts), no
// drive letter. Whatever else is left to the full rules.
func plain(p string) bool {
	if p == "" || len(p) > MaxPath || len(p) >= 2 && p[1] == ':' {
		return false
	}
	start := 0
	for i := 0; i <= len(p); i++ {
		if i < len(p) {
			c := p[i]
			if c < 0x20 || c >= 0x7f || c == '\\' {
				return false
			}
			if c != '/' {
				continue
			}
		}
		if i == start || i-start > MaxName {
			return false
		}
		switch p[start] {
		case '.', 'g', 'G':
			return false
		}
		start = i + 1
	}
	return true
}

// Join is the path of the tree entry name in the folder dir ("" for the
// root), checked: a name holding a slash (one entry that would read as
// several) is refused, and the joined path goes through [Check].
func Join(dir, name string, mode filemode.FileMode) (string, error) {
	p := name
	if dir != "" {
		p = dir + "/" + name
	}
	err := Check(p, mode)
	if err == nil && strings.IndexByte(name, '/') >= 0 {
		err = &Error{Path: p, Reason: fmt.Sprintf("the name %q holds a slash", name)}
	}
	return p, err
}

// isControl reports C0 controls, DEL and C1 controls.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// isDotGit reports whether a file system may read the name c as ".git".
// It folds c the way HFS+ and NTFS would (git's is_hfs_dotgit and
// is_ntfs_dotgit), and then some: the code points HFS+ ignores, and every
// other that does not show, are dropped; an NTFS stream (from ":") and
// trailing dots and spaces are cut; the rest is compared without regard
// to case with ".git" and with the short names "git~N".
func isDotGit(c string) bool {
	// Cheap exit: every alias holds a g, i and t.
	if !strings.ContainsAny(c, "gG") || !strings.ContainsAny(c, "iI") || !strings.ContainsAny(c, "tT") {
		return false
	}
	f := strings.Map(func(r rune) rune {
		if ignorable(r) {
			return -1
		}
		return r
	}, c)
	if i := strings.IndexByte(f, ':'); i >= 0 {
		f = f[:i]
	}
	f = strings.TrimRight(f, ". ")
	if strings.EqualFold(f, ".git") {
		return true
	}
	if len(f) > 4 && strings.EqualFold(f[:4], "git~") {
		for _, d := range f[4:] {
			if d < '0' || d > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// ignorable reports code points a name may hold that do not show, and that
// a file system may drop or treat as nothing when it compares names:
// everything beyond ASCII but visible letters, digits, marks, punctuation
// and symbols (so format characters, other spaces, private and unassigned
// code points), and the default-ignorable and variation-selector code
// points even where they count as letters or marks.
func ignorable(r rune) bool {
	if r < 0x80 {
		return false
	}
	return !unicode.In(r, unicode.L, unicode.N, unicode.M, unicode.P, unicode.S) ||
		unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}
