package sync

import (
	"fmt"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/reconnect-app/reconnect/internal/gitpath"
)

// EmptyTree is the hash of the tree with no entries, which git knows
// without storing it.
var emptyTree = plumbing.ComputeHash(plumbing.TreeObject, nil)

// TreeEdit is one change to a tree: put the object Blob with Mode at Path, or
// remove whatever is at Path when Delete is set (Blob and Mode are then
// ignored).
//
// Path is slash-separated and relative to the root of the tree. Mode zero
// means [filemode.Regular]. Mode [filemode.Dir] puts a whole tree: Blob is
// then the hash of a stored tree object.
type TreeEdit struct {
	Path   string
	Blob   plumbing.Hash
	Mode   filemode.FileMode
	Delete bool

	// parts, when set, is Path split into the names of its folders and
	// its own name as they are in a tree: a merge puts an entry of the
	// partner's that the gate refuses ([gitpath.Check]) back into the
	// merged tree as it was, name and all, without the gate.
	parts []string
}

// EditTree applies edits to the tree root and returns the hash of the new
// root tree, storing every tree it builds in s.
//
// root may be [plumbing.ZeroHash], meaning the empty tree. Only the trees on
// the edited paths are read and rebuilt: the cost is the depth of the paths
// times the size of the folders on them, never the size of the whole tree.
// Putting a file where a folder was replaces the folder; putting a file
// below a file replaces that file with a folder. The edits of one call are
// not ordered: deleting a path and putting files below it makes it a
// folder of those files. Deleting a path that does not exist (or lies below
// a file) is not an error. Folders left empty disappear, as git has no
// empty trees below the root; an empty root is the empty tree, which is
// stored.
//
// Entries are ordered as git orders them (a folder "a" sorts as "a/"), so
// the trees pass git fsck. Two edits of the same path, or a file put at a
// path and an edit that puts something below it in one call, are refused
// with an error wrapping [ErrBadPath], as is a path the gate refuses
// ([gitpath.Check]: empty, ".", "..", ".git" in any case or alias,
// absolute, control characters, over-long names...). Putting a file at a
// path while deleting below it is putting the file.
func EditTree(s storer.EncodedObjectStorer, root plumbing.Hash, edits []TreeEdit) (plumbing.Hash, error) {
	parsed := make([]pathEdit, 0, len(edits))
	for _, e := range edits {
		parts := e.parts
		if parts == nil {
			var err error
			if parts, err = splitPath(e.Path); err != nil {
				return plumbing.ZeroHash, err
			}
		}
		if !e.Delete {
			if e.Mode == 0 {
				e.Mode = filemode.Regular
			}
			if err := checkMode(e.Mode); err != nil && e.parts == nil {
				return plumbing.ZeroHash, fmt.Errorf("edit %s: %w", e.Path, err)
			}
			if e.Blob.IsZero() {
				return plumbing.ZeroHash, fmt.Errorf("edit %s: %w: no object hash", e.Path, ErrBadPath)
			}
		}
		parsed = append(parsed, pathEdit{parts: parts, edit: e})
	}
	sort.SliceStable(parsed, func(i, j int) bool { return lessParts(parsed[i].parts, parsed[j].parts) })

	h, err := editTree(s, root, parsed, 0)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if h == emptyTree {
		if err := storeTree(s, &object.Tree{}); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	return h, nil
}

// ErrBadPath is wrapped by errors about a path the gate refuses
// ([gitpath.Check]), or edits that contradict each other. It is
// [gitpath.ErrBadPath].
var ErrBadPath = gitpath.ErrBadPath

type pathEdit struct {
	parts []string
	edit  TreeEdit
}

// splitPath is the names of p, a path reconnect writes: one the gate lets
// into the work tree ([gitpath.Check]) or an error wrapping [ErrBadPath].
func splitPath(p string) ([]string, error) {
	if err := gitpath.Check(p, filemode.Regular); err != nil {
		return nil, err
	}
	return strings.Split(p, "/"), nil
}

func checkMode(m filemode.FileMode) error {
	switch m {
	case filemode.Regular, filemode.Executable, filemode.Symlink, filemode.Submodule, filemode.Dir:
		return nil
	}
	return fmt.Errorf("%w: mode %o is not one git stores", ErrBadPath, uint32(m))
}

func lessParts(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// editTree applies edits, all of which share their first depth components
// and are sorted by path, to the tree h (zero: empty) found at that depth.
func editTree(s storer.EncodedObjectStorer, h plumbing.Hash, edits []pathEdit, depth int) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !h.IsZero() && h != emptyTree {
		t, err := object.GetTree(s, h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read tree %s: %w", h, err)
		}
		entries = t.Entries
	}
	index := make(map[string]int, len(entries))
	for i, e := range entries {
		index[e.Name] = i
	}
	removed := make(map[int]bool)
	var added []object.TreeEntry
	changed := false

	set := func(e object.TreeEntry) {
		if i, ok := index[e.Name]; ok && !removed[i] {
			if entries[i].Hash == e.Hash && entries[i].Mode == e.Mode {
				return
			}
			removed[i] = true
		}
		added = append(added, e)
		changed = true
	}
	remove := func(name string) {
		if i, ok := index[name]; ok && !removed[i] {
			removed[i] = true
			changed = true
		}
	}

	for start := 0; start < len(edits); {
		name := edits[start].parts[depth]
		end := start
		for end < len(edits) && edits[end].parts[depth] == name {
			end++
		}
		group := edits[start:end]
		start = end

		// Sorted by path, an edit of the name itself comes first.
		var leaf *TreeEdit
		if len(group[0].parts) == depth+1 {
			leaf = &group[0].edit
			group = group[1:]
			if len(group) > 0 && len(group[0].parts) == depth+1 {
				return plumbing.ZeroHash, fmt.Errorf("%w %q: edited twice", ErrBadPath, leaf.Path)
			}
		}
		if leaf != nil && !leaf.Delete && len(group) > 0 {
			if !onlyDeletes(group) {
				return plumbing.ZeroHash, fmt.Errorf("%w: %q is put and %q is below it", ErrBadPath, leaf.Path, group[0].edit.Path)
			}
			group = nil // a file takes the place of the folder emptied
		}
		if leaf != nil && len(group) == 0 {
			if leaf.Delete {
				remove(name)
			} else {
				set(object.TreeEntry{Name: name, Mode: leaf.Mode, Hash: leaf.Blob})
			}
			continue
		}

		// Edits below name: rebuild that folder. An existing file there is
		// replaced, as is anything deleted by an edit of name itself.
		base := plumbing.ZeroHash
		if i, ok := index[name]; ok && leaf == nil {
			if entries[i].Mode == filemode.Dir {
				base = entries[i].Hash
			} else if onlyDeletes(group) {
				continue // nothing below a file to delete
			}
		}
		sub, err := editTree(s, base, group, depth+1)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if sub == emptyTree {
			remove(name)
		} else {
			set(object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: sub})
		}
	}

	if !changed {
		if h.IsZero() {
			return emptyTree, nil
		}
		return h, nil
	}
	out := make([]object.TreeEntry, 0, len(entries)+len(added))
	for i, e := range entries {
		if !removed[i] {
			out = append(out, e)
		}
	}
	out = append(out, added...)
	if len(out) == 0 {
		return emptyTree, nil
	}
	sort.Sort(object.TreeEntrySorter(out))
	t := &object.Tree{Entries: out}
	if err := storeTree(s, t); err != nil {
		return plumbing.ZeroHash, err
	}
	return t.Hash, nil
}

func onlyDeletes(edits []pathEdit) bool {
	for _, e := range edits {
		if !e.edit.Delete {
			return false
		}
	}
	return true
}

// storeTree encodes t, stores it and sets t.Hash.
func storeTree(s storer.EncodedObjectStorer, t *object.Tree) error {
	o := s.NewEncodedObject()
	if err := t.Encode(o); err != nil {
		return fmt.Errorf("encode tree: %w", err)
	}
	h, err := s.SetEncodedObject(o)
	if err != nil {
		return fmt.Errorf("store tree: %w", err)
	}
	t.Hash = h
	return nil
}
