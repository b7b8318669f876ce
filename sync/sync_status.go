package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
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
	// Quarantined are the paths in the journal's last commit that are kept
	// out of its folder, sorted, with why (see [Quarantined]).
	Quarantined []Quarantined
	// Forged are entries in your name that someone else's commit added,
	// still in the journal, sorted (see [Protection]).
	Forged []string
}

// Status compares main with the last known position of the remote's main,
// without using the network (see [Repo.Fetch] for that), and lists the
// conflict copies in the journal and the paths kept out of it.
func (r *Repo) Status(ctx context.Context) (Status, error) {
	var st Status
	if err := ctx.Err(); err != nil {
		return st, err
	}
	loc, err := r.RemoteURL()
	if err != nil {
		return st, err
	}
	st.Remote = Redact(loc)
	head, err := r.Head()
	if err != nil {
		return st, err
	}
	tracked, found, err := readRef(r.gitDir, trackingRef)
	if err != nil {
		return st, fmt.Errorf("read %s: %w", trackingRef, err)
	}
	if found {
		st.Tracked = true
		st.Ahead, st.Behind, err = aheadBehind(r.objs, head, tracked)
		if err != nil {
			return st, err
		}
	}
	// The conflict copies, from the index: it lists the same files as
	// main's tree in a clean journal, and reading it is a few milliseconds
	// where walking every folder of the tree is tens.
	entries, err := r.readIndexEntries()
	if err != nil {
		return st, err
	}
	seen := make(map[string]bool)
	for _, e := range entries {
		if IsConflictCopy(e.name) && !e.skip {
			st.Conflicts = append(st.Conflicts, e.name)
		}
		if e.skip && e.stage == 0 {
			if q, ok := r.keptOut(e); ok && !seen[q.Path] {
				seen[q.Path] = true
				st.Quarantined = append(st.Quarantined, q)
			}
		}
	}
	sort.Strings(st.Conflicts)
	sort.Slice(st.Quarantined, func(i, j int) bool { return st.Quarantined[i].Path < st.Quarantined[j].Path })
	for p := range r.readForged() {
		if _, err := os.Lstat(filepath.Join(r.Dir, filepath.FromSlash(p))); err == nil {
			st.Forged = append(st.Forged, p)
		}
	}
	sort.Strings(st.Forged)
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
