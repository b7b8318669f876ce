package sync

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Reading the journal's history for the rules that need more than the
// work tree: which files changed since a commit (what a reveal of sealed
// answers has to look at, cmd/reveal.go).

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
