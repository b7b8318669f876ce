package sync

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// newObjects lists every object the commits bring that their parents do not
// have: the commits themselves, and the trees and blobs of each commit that
// differ from the same path in all of its parents. A parent is either sent
// too or already on the receiving side, which then has everything below it;
// so the list is complete for a receiver that has the parents of the
// oldest commits. It reads only the folders that changed.
//
// The order is the order of writing that keeps a partial copy safe: every
// object comes after the objects it points to (blobs and subtrees before
// their tree, the tree and the parents before the commit). A receiver that
// holds a commit then holds all of it, so "has the commit" can stop a later
// walk even after a copy that failed half-way.
func newObjects(s storer.EncodedObjectStorer, commits []*walkNode, g *commitGraph) ([]plumbing.Hash, error) {
	w := &objectLister{s: s, seen: make(map[plumbing.Hash]bool)}
	for _, c := range commits {
		var parentTrees []plumbing.Hash
		for _, p := range c.parents {
			pn, err := g.node(p)
			if err != nil {
				return nil, err
			}
			parentTrees = append(parentTrees, pn.tree)
		}
		if err := w.tree(c.tree, parentTrees); err != nil {
			return nil, err
		}
		w.add(c.hash)
	}
	return w.out, nil
}

type objectLister struct {
	s    storer.EncodedObjectStorer
	seen map[plumbing.Hash]bool
	out  []plumbing.Hash
}

func (w *objectLister) add(h plumbing.Hash) {
	if !w.seen[h] {
		w.seen[h] = true
		w.out = append(w.out, h)
	}
}

// tree adds the tree h and what is new below it, compared with the trees
// olds found at the same path in the parents.
func (w *objectLister) tree(h plumbing.Hash, olds []plumbing.Hash) error {
	if w.seen[h] {
		return nil
	}
	for _, o := range olds {
		if o == h {
			return nil
		}
	}
	t, err := object.GetTree(w.s, h)
	if err != nil {
		return fmt.Errorf("read tree %s: %w", h, err)
	}
	oldTrees := make([]*object.Tree, 0, len(olds))
	for _, o := range olds {
		if o.IsZero() {
			continue
		}
		ot, err := object.GetTree(w.s, o)
		if err != nil {
			return fmt.Errorf("read tree %s: %w", o, err)
		}
		oldTrees = append(oldTrees, ot)
	}
	for _, e := range t.Entries {
		if e.Mode == filemode.Submodule {
			continue // a commit of another repository
		}
		var same bool
		var subOlds []plumbing.Hash
		for _, ot := range oldTrees {
			oe, err := ot.FindEntry(e.Name)
			if err != nil {
				continue
			}
			if oe.Hash == e.Hash {
				same = true
				break
			}
			if oe.Mode == filemode.Dir {
				subOlds = append(subOlds, oe.Hash)
			}
		}
		if same {
			continue
		}
		if e.Mode == filemode.Dir {
			if err := w.tree(e.Hash, subOlds); err != nil {
				return err
			}
			continue
		}
		w.add(e.Hash)
	}
	w.add(h)
	return nil
}
