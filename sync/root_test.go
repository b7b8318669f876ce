package sync

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// The root commit is the journal's init commit, as real git sees it, and
// the same in both partners' clones after a join, concurrent writes and
// merges either way; an unborn main has none.
func TestRootCommit(t *testing.T) {
	t.Parallel()
	root := func(c *rsClone) plumbing.Hash {
		t.Helper()
		h, err := c.r.RootCommit()
		if err != nil {
			t.Fatalf("%s: root commit: %v", c.author, err)
		}
		return h
	}
	remote, cs := rsNewRemote(t, "alex")
	alex := cs[0]
	gitRoot := strings.TrimSpace(gittest.Git(t, alex.r.Dir, "rev-list", "--max-parents=0", "main"))
	if got := root(alex); got.String() != gitRoot {
		t.Fatalf("Alex's root %s, want git's %s", got, gitRoot)
	}
	pa, ca := rsEntry("alex", "2026-11-20", "checkin", "from alex")
	alex.write(pa, ca)
	alex.sync()

	// Sam started a journal of his own: its root is his, until he joins.
	sam := rsInit(t, "sam")
	ps, cs2 := rsEntry("sam", "2026-11-19", "checkin", "from sam")
	sam.write(ps, cs2)
	if got := root(sam); got.String() == gitRoot {
		t.Fatal("two journals started apart have the same root")
	}
	if _, err := sam.tryJoin(remote); err != nil {
		t.Fatalf("join: %v", err)
	}
	if got := root(sam); got.String() != gitRoot {
		t.Fatalf("Sam's root after the join %s, want Alex's %s", got, gitRoot)
	}

	// Both write, both sync: merges on each side keep the root.
	p1, c1 := rsEntry("alex", "2026-11-21", "checkin", "alex again")
	alex.write(p1, c1)
	p2, c2 := rsEntry("sam", "2026-11-21", "checkin", "sam again")
	sam.write(p2, c2)
	sam.sync()
	alex.sync()
	p3, c3 := rsEntry("sam", "2026-11-22", "thanks", "for the walk")
	sam.write(p3, c3)
	p4, c4 := rsEntry("alex", "2026-11-22", "thanks", "for the soup")
	alex.write(p4, c4)
	alex.sync()
	sam.sync()
	alex.sync()
	rsSameTrees(t, alex, sam)
	for _, c := range []*rsClone{alex, sam} {
		if got := root(c); got.String() != gitRoot {
			t.Fatalf("%s's root %s after merges, want %s", c.author, got, gitRoot)
		}
	}
}
