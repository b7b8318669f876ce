package sync

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// rsObjectKinds describes objects as "type" counts, for messages.
func rsObjectKinds(t *testing.T, c *rsClone, objs []plumbing.Hash) map[string]int {
	t.Helper()
	kinds := map[string]int{}
	for _, h := range objs {
		o, err := c.r.git.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			t.Fatal(err)
		}
		kinds[o.Type().String()]++
	}
	return kinds
}

// A push sends exactly what a new entry adds: its blob, the trees on its
// path and the commit; a merge adds only the trees that differ from both
// parents.
func TestObjectsToSendAreMinimal(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, b := cs[0], cs[1]
	for i := 1; i <= 20; i++ {
		a.write(rsEntry("sam", fmt.Sprintf("2026-10-%02d", i), "checkin", "x"))
	}
	a.sync()
	b.sync()
	old, _ := a.r.Head()
	a.write(rsEntry("sam", "2026-11-21", "checkin", "new"))
	head, _ := a.r.Head()
	commits, objs, err := objectsToSend(a.r.git.Storer, old, head)
	if err != nil {
		t.Fatal(err)
	}
	kinds := rsObjectKinds(t, a, objs)
	if len(commits) != 1 || kinds["commit"] != 1 || kinds["tree"] != 3 || kinds["blob"] != 1 {
		t.Fatalf("one entry in 2026/11: %d commits, objects %v; want 1 commit, 3 trees, 1 blob", len(commits), kinds)
	}
	if objs[len(objs)-1] != head {
		t.Fatal("the commit must come after the objects it points to")
	}

	// A merge of a change in another month: the merge commit brings the
	// root tree and the 2026 tree (they differ from both parents), not the
	// months' trees (each is in one parent).
	b.write(rsEntry("alex", "2026-10-21", "checkin", "from alex"))
	b.sync()
	theirsBefore, _ := b.r.Head()
	res := a.sync()
	if res.State != StateMerged {
		t.Fatalf("state %q", res.State)
	}
	merge := res.Head
	_, objs, err = objectsToSend(a.r.git.Storer, theirsBefore, merge)
	if err != nil {
		t.Fatal(err)
	}
	kinds = rsObjectKinds(t, a, objs)
	if kinds["commit"] != 2 || kinds["tree"] != 5 || kinds["blob"] != 1 {
		// sam's entry commit (3 trees, 1 blob) + the merge (root, 2026).
		t.Fatalf("entry + merge: objects %v; want 2 commits, 5 trees, 1 blob", kinds)
	}
}

// copyMissing writes objects so that a copy stopped at any point leaves no
// commit without its trees and parents; the next copy completes it.
func TestCopyMissingInterrupted(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam")
	a := cs[0]
	for i := 1; i <= 5; i++ {
		a.write(rsEntry("sam", fmt.Sprintf("2026-11-%02d", i), "checkin", "x"))
	}
	head, _ := a.r.Head()
	dst := filepath.Join(t.TempDir(), "copy.git")
	gittest.BareAt(t, dst)
	ds := filesystem.NewStorage(osfs.New(dst), cache.NewObjectLRUDefault())
	g := newCommitGraph(a.r.git.Storer)
	all, err := g.only([]plumbing.Hash{head}, nil)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := newObjects(a.r.git.Storer, all, g)
	if err != nil {
		t.Fatal(err)
	}
	// Stop after each prefix of the writing order: every commit written
	// so far is complete.
	for cut := 1; cut < len(objs); cut += 5 {
		part := filepath.Join(t.TempDir(), "part.git")
		gittest.BareAt(t, part)
		ps := filesystem.NewStorage(osfs.New(part), cache.NewObjectLRUDefault())
		present := func(h plumbing.Hash) bool { return has(ps, h) }
		if err := copyObjects(context.Background(), ps, a.r.git.Storer, objs[:cut], present); err != nil {
			t.Fatal(err)
		}
		// The newest commit written covers all written before it (parents
		// come first); rev-list --objects fails on anything missing below.
		last := ""
		for _, h := range objs[:cut] {
			o, _ := a.r.git.Storer.EncodedObject(plumbing.AnyObject, h)
			if o.Type() == plumbing.CommitObject {
				last = h.String()
			}
		}
		if last != "" {
			if _, err := gittest.GitErr(t, part, nil, "rev-list", "--objects", last); err != nil {
				t.Fatalf("cut at %d: commit %s is incomplete: %v", cut, last, err)
			}
		}
		// The next copy, walking from the tip, completes it.
		if _, err := copyMissing(context.Background(), ps, a.r.git.Storer, head, present); err != nil {
			t.Fatal(err)
		}
		gittest.Git(t, part, "update-ref", "refs/heads/main", head.String())
		gittest.Fsck(t, part)
	}
	if _, err := copyMissing(context.Background(), ds, a.r.git.Storer, head, func(h plumbing.Hash) bool { return has(ds, h) }); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, dst, "update-ref", "refs/heads/main", head.String())
	gittest.Fsck(t, dst)
}

// packedSet finds every object of a packed repository, loose or packed,
// and nothing else.
func TestPackedSet(t *testing.T) {
	remote, cs := rsNewRemote(t, "sam")
	a := cs[0]
	for i := 1; i <= 5; i++ {
		a.write(rsEntry("sam", fmt.Sprintf("2026-11-%02d", i), "checkin", "x"))
		if i == 3 {
			a.sync()
			gittest.Git(t, remote, "gc", "--quiet") // packs what is there
		}
	}
	a.sync() // the rest arrives loose
	s := filesystem.NewStorage(osfs.New(remote), cache.NewObjectLRUDefault())
	p := newPackedSet(remote, s)
	defer p.close()
	if len(p.idx) == 0 || p.bad {
		t.Fatalf("no readable pack index in %s", remote)
	}
	all := strings.Fields(gittest.Git(t, remote, "rev-list", "--objects", "--all"))
	n := 0
	for _, f := range all {
		if !plumbing.IsHash(f) {
			continue
		}
		n++
		if !p.has(plumbing.NewHash(f)) {
			t.Fatalf("object %s not found", f)
		}
	}
	if n < 20 {
		t.Fatalf("only %d objects listed", n)
	}
	for _, h := range []string{"0000000000000000000000000000000000000001", "ffffffffffffffffffffffffffffffffffffffff", "8000000000000000000000000000000000000000"} {
		if p.has(plumbing.NewHash(h)) {
			t.Fatalf("found %s, which is not there", h)
		}
	}
}
