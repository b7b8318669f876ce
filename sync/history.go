package sync

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Reading the journal's history for the rules that need more than the
// work tree: which files changed since a commit (what a reveal of sealed
// answers has to look at, cmd/reveal.go), and the versions a file has had
// (the commitment of a sealed answer as it was first written, against
// which its reveal is checked).

// ErrUnknownCommit: a commit named by the caller is not in the repository.
var ErrUnknownCommit = errors.New("the commit is not in this repository")

// ChangedSince is the paths of the files that differ between commit from
// and main, sorted: added, changed or removed, whatever history lies
// between (from need not be an ancestor of main). It reads only the
// folders whose hashes differ, so its cost is what changed, not the age
// of the journal. A from the repository does not hold is
// [ErrUnknownCommit].
func (r *Repo) ChangedSince(ctx context.Context, from plumbing.Hash) ([]string, error) {
	head, err := r.Head()
	if err != nil {
		return nil, err
	}
	if head == from {
		return nil, nil
	}
	fc, err := object.GetCommit(r.objs, from)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownCommit, from)
	}
	_, ht, err := r.commitTree(head)
	if err != nil {
		return nil, err
	}
	ft, err := fc.Tree()
	if err != nil {
		return nil, fmt.Errorf("read the tree of %s: %w", from, err)
	}
	ch, err := diffTrees(ctx, r.objs, ft, ht)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ch))
	for p := range ch {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// FileVersion is one version of a file, as a commit of main made it.
type FileVersion struct {
	Path   string
	Data   []byte
	Commit plumbing.Hash
	// Added: the commit added the file (none of its parents holds it).
	Added bool
}

// VersionsSince calls each with every version of a file that the commits
// of main not reachable from from made (from zero: every commit), parents
// before children: each file a commit holds differently from one of its
// parents, once for the commit. want chooses the paths, before their
// content is read. It returns main's commit it walked down from, for the
// next call. It reads of each commit only the folders whose hashes differ
// from its parents', so a call after the last costs what is new. A from
// the repository does not hold is [ErrUnknownCommit].
func (r *Repo) VersionsSince(ctx context.Context, from plumbing.Hash, want func(path string) bool, each func(FileVersion) error) (plumbing.Hash, error) {
	head, err := r.Head()
	if err != nil || head.IsZero() || head == from {
		return head, err
	}
	if !from.IsZero() {
		if _, err := object.GetCommit(r.objs, from); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("%w: %s", ErrUnknownCommit, from)
		}
	}
	// A storage of its own that keeps the pack files open, as checkoutAll
	// does: the repository's opens the pack again for every object, and a
	// first walk reads every commit.
	st := filesystem.NewStorageWithOptions(osfs.New(r.gitDir), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true})
	defer st.Close()
	g := newCommitGraph(st)
	commits, err := g.only([]plumbing.Hash{head}, []plumbing.Hash{from})
	if err != nil {
		return plumbing.ZeroHash, err
	}
	trees := map[plumbing.Hash]*object.Tree{}
	treeOf := func(h plumbing.Hash) (*object.Tree, error) {
		if t, ok := trees[h]; ok {
			return t, nil
		}
		t, err := object.GetTree(st, h)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", h, err)
		}
		if len(trees) > 1<<14 {
			clear(trees) // the walk goes forward: old commits' trees are done with
		}
		trees[h] = t
		return t, nil
	}
	for _, n := range commits {
		if err := ctx.Err(); err != nil {
			return plumbing.ZeroHash, err
		}
		t, err := treeOf(n.tree)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		parents := n.parents
		if len(parents) == 0 {
			parents = []plumbing.Hash{plumbing.ZeroHash}
		}
		made := map[string]plumbing.Hash{} // path -> blob this commit holds
		addedTo := map[string]int{}        // path -> parents that lack it
		for _, ph := range parents {
			var pt *object.Tree
			if !ph.IsZero() {
				pn, err := g.node(ph)
				if err != nil {
					return plumbing.ZeroHash, err
				}
				if pt, err = treeOf(pn.tree); err != nil {
					return plumbing.ZeroHash, err
				}
			}
			err := diffFiles(ctx, treeOf, "", pt, t, func(p string, from, to *object.TreeEntry) {
				if to == nil || !want(p) {
					return
				}
				made[p] = to.Hash
				if from == nil {
					addedTo[p]++
				}
			})
			if err != nil {
				return plumbing.ZeroHash, err
			}
		}
		for _, p := range slices.Sorted(maps.Keys(made)) {
			data, err := readBlob(st, made[p])
			if err != nil {
				return plumbing.ZeroHash, err
			}
			v := FileVersion{Path: p, Data: data, Commit: n.hash, Added: addedTo[p] == len(parents)}
			if err := each(v); err != nil {
				return plumbing.ZeroHash, err
			}
		}
	}
	return head, nil
}

// diffFiles calls each with every regular file that differs between the
// trees a and b (nil: empty), by path, with its entry on each side (nil:
// absent, or not a file there). It reads trees through treeOf, and only
// the folders whose hashes differ.
func diffFiles(ctx context.Context, treeOf func(plumbing.Hash) (*object.Tree, error), prefix string, a, b *object.Tree, each func(p string, from, to *object.TreeEntry)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a != nil && b != nil && a.Hash == b.Hash {
		return nil
	}
	byName := entryPairs(a, b)
	for name, pair := range byName {
		ea, eb := pair[0], pair[1]
		if ea != nil && eb != nil && ea.Hash == eb.Hash && ea.Mode == eb.Mode {
			continue
		}
		var subA, subB *object.Tree
		var fa, fb *object.TreeEntry
		for i, e := range []*object.TreeEntry{ea, eb} {
			switch {
			case e == nil:
			case e.Mode == filemode.Dir:
				t, err := treeOf(e.Hash)
				if err != nil {
					return err
				}
				if i == 0 {
					subA = t
				} else {
					subB = t
				}
			case e.Mode.IsFile():
				if i == 0 {
					fa = e
				} else {
					fb = e
				}
			}
		}
		if fa != nil || fb != nil {
			each(prefix+name, fa, fb)
		}
		if subA != nil || subB != nil {
			if err := diffFiles(ctx, treeOf, prefix+name+"/", subA, subB, each); err != nil {
				return err
			}
		}
	}
	return nil
}
