package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// copyAside copies the bare remote to a new folder and returns it.
func copyAside(t *testing.T, remote string) string {
	t.Helper()
	aside := filepath.Join(t.TempDir(), "aside.git")
	if err := os.CopyFS(aside, os.DirFS(remote)); err != nil {
		t.Fatal(err)
	}
	return aside
}

// putBack replaces the bare remote with the copy made aside: the host
// serves an older state of it.
func putBack(t *testing.T, aside, remote string) {
	t.Helper()
	if err := os.RemoveAll(remote); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(remote, os.DirFS(aside)); err != nil {
		t.Fatal(err)
	}
}

// headOf opens the head record the encrypted remote is at.
func headOf(t *testing.T, remote string, seal *Seal) sealedHead {
	t.Helper()
	g, err := git.PlainOpen(remote)
	if err != nil {
		t.Fatal(err)
	}
	tip := plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main"))
	rec, _, err := readSealed(g.Storer, tip, seal.Identities)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// refused checks that c's sync is refused as a rollback from push saw to
// push at, and that nothing of it was applied: main, the remote-tracking
// branch, the local copy of the remote and the work tree stay as they were.
func refused(t *testing.T, c *rsClone, at, saw uint64) {
	t.Helper()
	head := gittest.Git(t, c.r.Dir, "rev-parse", "main")
	tracking := gittest.Git(t, c.r.Dir, "rev-parse", "refs/remotes/origin/main")
	sealedDir := filepath.Join(c.r.gitDir, sealedDirName)
	sealedTip := gittest.Git(t, sealedDir, "rev-parse", "main")
	tree := strings.Join(c.tree(), "\n")
	_, err := c.trySync()
	var re *RollbackError
	if !errors.Is(err, ErrRollback) || !errors.As(err, &re) {
		t.Fatalf("%s: sync of a rolled-back remote: %v, want %v", c.author, err, ErrRollback)
	}
	if re.At != at || re.Saw != saw {
		t.Fatalf("%s: refused at #%d, saw #%d; want #%d, #%d", c.author, re.At, re.Saw, at, saw)
	}
	for _, want := range []string{"push #" + itoa(saw), "old copy", "hiding newer pushes", "nothing of it was applied"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message %q does not say %q", err, want)
		}
	}
	if got := gittest.Git(t, c.r.Dir, "rev-parse", "main"); got != head {
		t.Fatal("main moved")
	}
	if got := gittest.Git(t, c.r.Dir, "rev-parse", "refs/remotes/origin/main"); got != tracking {
		t.Fatal("the remote-tracking branch moved")
	}
	if got := gittest.Git(t, sealedDir, "rev-parse", "main"); got != sealedTip {
		t.Fatal("the local copy of the encrypted remote moved")
	}
	if got := strings.Join(c.tree(), "\n"); got != tree {
		t.Fatalf("the journal changed:\n%s\nwas\n%s", got, tree)
	}
	c.checkClean()
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// A host that serves an older state of the encrypted remote is caught:
// the sync is refused, nothing applied; with AcceptRollback (a restore the
// user made) it goes through and the push counts on above what was seen.
func TestSealedRollbackRefused(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	p, content := rsEntry("sam", "2026-11-22", "checkin", "before the copy")
	sam.write(p, content)
	sam.sync()
	alex.sync()
	aside := copyAside(t, remote) // push #2
	p, content = rsEntry("sam", "2026-11-23", "checkin", "after the copy")
	sam.write(p, content)
	sam.sync() // #3
	alex.sync()
	if n := headOf(t, remote, alex.seal).N; n != 3 {
		t.Fatalf("the remote is at push #%d, want #3", n)
	}
	putBack(t, aside, remote)

	refused(t, alex, 2, 3)
	// Again: the refusal is remembered, not a one-off.
	refused(t, alex, 2, 3)
	// The machine that pushed #3 refuses it too, even with something to send.
	p, content = rsEntry("sam", "2026-11-24", "checkin", "not sent to a rolled-back remote")
	sam.write(p, content)
	refused(t, sam, 2, 3)

	// Sam restored the copy on purpose: the sync goes through, and the
	// push counts on from #4, so that Alex's machine takes it.
	sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, AcceptRollback: true}
	if res := sam.sync(); res.State != StatePushed {
		t.Fatalf("accepted rollback: state %q, want %q", res.State, StatePushed)
	}
	if n := headOf(t, remote, alex.seal).N; n != 4 {
		t.Fatalf("after the accepted rollback the remote is at push #%d, want #4", n)
	}
	alex.sync()
	rsSameTrees(t, sam, alex)
	sam.seal.AcceptRollback = false
	sam.sync()
}

// A rollback with nothing new to send (the pushes hidden only compacted)
// is refused too; accepting it still pushes, past the count seen.
func TestSealedRollbackAcceptedPushesPastSeen(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	for i := 0; i < 2; i++ {
		p, content := rsEntry("sam", "2026-11-2"+itoa(uint64(i)), "checkin", "words")
		sam.write(p, content)
		sam.sync()
	}
	alex.sync()
	aside := copyAside(t, remote) // #3
	sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, Compact: true}
	sam.sync() // #4: the same main, one pack
	if rec := headOf(t, remote, alex.seal); rec.N != 4 || len(rec.Packs) != 1 {
		t.Fatalf("compaction: push #%d with %d packs, want #4 with 1", rec.N, len(rec.Packs))
	}
	alex.sync()
	putBack(t, aside, remote)
	refused(t, alex, 3, 4)
	alex.seal = &Seal{Identities: alex.seal.Identities, Recipients: alex.seal.Recipients, AcceptRollback: true}
	alex.sync()
	if n := headOf(t, remote, alex.seal).N; n != 5 {
		t.Fatalf("after the accepted rollback the remote is at push #%d, want #5", n)
	}
	sam.seal.Compact = false
	sam.sync()
}

// A host that forks the remote (an old copy on which another push came)
// serves a push with the count this machine saw but another main: refused,
// and the other push's commits are not stored.
func TestSealedRollbackForkRefused(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	aside := copyAside(t, remote) // #1
	kimSeal := &Seal{Identities: alex.seal.Identities, Recipients: alex.seal.Recipients}
	kim := rsSealedClone(t, remote, "kim", kimSeal) // saw #1
	p, content := rsEntry("sam", "2026-11-22", "checkin", "on the real line")
	sam.write(p, content)
	sam.sync() // #2
	alex.sync()
	putBack(t, aside, remote)
	p, content = rsEntry("kim", "2026-11-22", "checkin", "on the forked line")
	kimCommit := kim.write(p, content)
	kim.sync() // #2 on the old copy
	refused(t, alex, 2, 2)
	if _, err := alex.r.git.CommitObject(kimCommit); err == nil {
		t.Fatal("the forked push's commit was stored")
	}
}

// The counter climbs through a move to another encrypted remote: the
// first push there counts on from what this machine saw.
func TestSealedCounterMovesWithTheJournal(t *testing.T) {
	remote, cs := rsSealedRemote(t, "sam")
	sam := cs[0]
	for i := 0; i < 2; i++ {
		p, content := rsEntry("sam", "2026-11-2"+itoa(uint64(i)), "checkin", "words")
		sam.write(p, content)
		sam.sync()
	}
	if n := headOf(t, remote, sam.seal).N; n != 3 {
		t.Fatalf("push #%d, want #3", n)
	}
	moved := gittest.Bare(t)
	unlock, err := sam.r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	opt := sam.opts()
	opt.Remote = moved
	_, err = sam.r.Sync(context.Background(), opt)
	unlock()
	if err != nil {
		t.Fatal(err)
	}
	if n := headOf(t, moved, sam.seal).N; n != 4 {
		t.Fatalf("the first push to the new remote is #%d, want #4", n)
	}
	// The old remote, at #3, is not taken for a rollback of the new one.
	sam.sync()
}
