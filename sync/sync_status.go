package sync

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Status is where the journal stands against its remote, as of the last
// fetch; see [Repo.Status].
type Status struct {
	// Remote is the journal's remote, redacted; "" when none is set.
	Remote string
	// Tracked is set once the remote's main is known (after a fetch, sync
	// or clone).
	Tracked bool
	// Ahead is the number of local commits the remote does not have; Behind
	// the number of the remote's commits not merged here yet. Both count
	// every commit, as git status does.
	Ahead, Behind int
	// Conflicts are the conflict copies in the journal, sorted: files a
	// merge kept beside the version it chose. Resolving one is deleting it
	// (after moving what matters into the other file).
	Conflicts []string
}

// Status compares main with the last known position of the remote's main,
// without using the network (see [Repo.Fetch] for that), and lists the
// conflict copies in the journal.
func (r *Repo) Status(ctx context.Context) (Status, error) {
	var st Status
	loc, err := r.RemoteURL()
	if err != nil {
		return st, err
	}
	st.Remote = Redact(loc)
	head, err := r.Head()
	if err != nil {
		return st, err
	}
	ref, err := r.git.Storer.Reference(trackingRef)
	switch {
	case err == nil:
		st.Tracked = true
		st.Ahead, st.Behind, err = aheadBehind(r.git.Storer, head, ref.Hash())
		if err != nil {
			return st, err
		}
	case !errors.Is(err, plumbing.ErrReferenceNotFound):
		return st, fmt.Errorf("read %s: %w", trackingRef, err)
	}
	if !head.IsZero() {
		_, tree, err := r.commitTree(head)
		if err != nil {
			return st, err
		}
		if st.Conflicts, err = conflictCopies(ctx, r, tree); err != nil {
			return st, err
		}
	}
	return st, nil
}

func aheadBehind(s storer.EncodedObjectStorer, head, remote plumbing.Hash) (ahead, behind int, err error) {
	if head == remote {
		return 0, 0, nil
	}
	g := newCommitGraph(s)
	var ones, twos []plumbing.Hash
	if !head.IsZero() {
		ones = []plumbing.Hash{head}
	}
	if !remote.IsZero() {
		twos = []plumbing.Hash{remote}
	}
	if err := g.paint(ones, twos); err != nil {
		return 0, 0, err
	}
	for _, n := range g.nodes {
		switch n.flags & (paintOne | paintTwo) {
		case paintOne:
			ahead++
		case paintTwo:
			behind++
		}
	}
	return ahead, behind, nil
}

// conflictCopies walks the tree for conflict copies. It reads every folder
// of the journal (no blob), a few hundred tree objects.
func conflictCopies(ctx context.Context, r *Repo, t *object.Tree) ([]string, error) {
	var out []string
	var walk func(t *object.Tree, prefix string) error
	walk = func(t *object.Tree, prefix string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, e := range t.Entries {
			p := prefix + e.Name
			if e.Mode == filemode.Dir {
				sub, err := object.GetTree(r.git.Storer, e.Hash)
				if err != nil {
					return fmt.Errorf("read tree %s: %w", p, err)
				}
				if err := walk(sub, p+"/"); err != nil {
					return err
				}
				continue
			}
			if IsConflictCopy(p) {
				out = append(out, p)
			}
		}
		return nil
	}
	if err := walk(t, ""); err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}
