package sync

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// RootCommit is the first commit of main, found by following first
// parents: the commit that created the journal. Both partners' clones
// give the same one, since a join keeps the remote's history as the
// first parent ([Repo.Join]) and a sync keeps main's own. The zero hash
// (and no error) while main is unborn.
func (r *Repo) RootCommit() (plumbing.Hash, error) {
	h, err := r.Head()
	if err != nil || h.IsZero() {
		return h, err
	}
	for {
		c, err := object.GetCommit(r.objs, h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", h, err)
		}
		if len(c.ParentHashes) == 0 {
			return h, nil
		}
		h = c.ParentHashes[0]
	}
}
