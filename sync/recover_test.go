package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// crTwoCommits is a journal with two commits, and the second's hash.
func crTwoCommits(t *testing.T) (*Repo, plumbing.Hash) {
	t.Helper()
	r, err := Init(t.TempDir(), lwSig(0), "init", Change{Path: "a.md", Data: []byte("a\n")})
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.Commit("second", lwSig(1), Change{Path: "2026/11/b.md", Data: []byte("b\n")})
	if err != nil {
		t.Fatal(err)
	}
	return r, h
}

// crLock takes and releases the lock, collecting what Lock said.
func crLock(t *testing.T, r *Repo) ([]string, error) {
	t.Helper()
	var told []string
	r.Notify = func(m string) { told = append(told, m) }
	defer func() { r.Notify = nil }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	unlock, err := r.Lock(ctx)
	if err == nil {
		unlock()
	}
	return told, err
}

// crRoots is how many root commits main's history has, by real git.
func crRoots(t *testing.T, dir string) int {
	out := strings.TrimSpace(gittest.Git(t, dir, "rev-list", "--max-parents=0", "main"))
	return len(strings.Fields(out))
}

// TestBrokenMainIsNotUnborn: an empty, cut-short or missing main is an
// error, never a new branch: a commit refuses to start a second root, and
// the next lock restores main from the reflog and says so.
func TestBrokenMainIsNotUnborn(t *testing.T) {
	t.Parallel()
	for name, damage := range map[string]func(string) error{
		"empty":     func(p string) error { return os.WriteFile(p, nil, 0o600) },
		"cut short": func(p string) error { return os.WriteFile(p, []byte("3f2a9c"), 0o600) },
		"missing":   os.Remove,
	} {
		t.Run(name, func(t *testing.T) {
			r, second := crTwoCommits(t)
			if err := damage(refPath(r.gitDir, Branch)); err != nil {
				t.Fatal(err)
			}
			if h, err := r.Head(); !errors.Is(err, ErrBrokenRef) {
				t.Fatalf("Head of a damaged main = %s, %v; want ErrBrokenRef", h, err)
			}
			if _, err := r.Commit("third", lwSig(2), Change{Path: "c.md", Data: []byte("c\n")}); !errors.Is(err, ErrBrokenRef) {
				t.Fatalf("Commit on a damaged main = %v, want ErrBrokenRef", err)
			}
			if _, err := os.Stat(filepath.Join(r.Dir, "c.md")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the failed commit left its file: %v", err)
			}
			told, err := crLock(t, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(told) != 1 || !strings.Contains(told[0], "restored it to "+second.String()[:7]) || !strings.Contains(told[0], "reflog") {
				t.Errorf("Lock said %q, want one line saying main was restored from the reflog", told)
			}
			if h, err := r.Head(); err != nil || h != second {
				t.Fatalf("Head after Lock = %s, %v; want %s", h, err, second)
			}
			if _, err := r.Commit("third", lwSig(2), Change{Path: "c.md", Data: []byte("c\n")}); err != nil {
				t.Fatal(err)
			}
			if n := crRoots(t, r.Dir); n != 1 {
				t.Errorf("%d root commits, want 1", n)
			}
			lwCheckClean(t, r.Dir)
		})
	}
}

// TestBrokenMainNothingToRecover: with no reflog and no remote-tracking
// branch, Lock names the file and the command; Repair points main at the
// newest history.
func TestBrokenMainNothingToRecover(t *testing.T) {
	r, second := crTwoCommits(t)
	// A stray commit (stored, never on main) with a shorter history.
	if err := os.WriteFile(refPath(r.gitDir, Branch), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(reflogPath(r.gitDir, Branch)); err != nil {
		t.Fatal(err)
	}
	_, err := crLock(t, r)
	if !errors.Is(err, ErrBrokenRef) || !strings.Contains(err.Error(), refPath(r.gitDir, Branch)) ||
		!strings.Contains(err.Error(), "reconnect repair") {
		t.Fatalf("Lock = %v, want ErrBrokenRef naming the file and 'reconnect repair'", err)
	}
	res, err := r.Repair(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Moved || res.Head != second || res.Commits != 2 {
		t.Fatalf("Repair = %+v, want main moved to %s with 2 commits", res, second)
	}
	if _, err := crLock(t, r); err != nil {
		t.Fatalf("Lock after Repair: %v", err)
	}
	lwCheckClean(t, r.Dir)
	// On a whole main, Repair changes nothing.
	if res, err := r.Repair(context.Background()); err != nil || res.Moved || res.Head != second {
		t.Fatalf("Repair of a whole main = %+v, %v", res, err)
	}
}

// TestReflogLikeGits: every move of main is in its reflog, in git's format.
func TestReflogLikeGits(t *testing.T) {
	r, second := crTwoCommits(t)
	out := gittest.Git(t, r.Dir, "reflog", "show", "--format=%H %gs", "main")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], second.String()+" commit: second") ||
		!strings.Contains(lines[1], "commit (initial): init") {
		t.Fatalf("git reflog show main:\n%s", out)
	}
}

// crLeftLock plays a reconnect killed while it held the git lock file
// name in gitDir: the lock is the same file as a twin in the tmp folder.
func crLeftLock(t *testing.T, gitDir, name string) string {
	t.Helper()
	twin, err := writeTwin(gitDir, filepath.Base(name), []byte("0000000000000000000000000000000000000000\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(gitDir, filepath.FromSlash(name))
	if err := os.Link(twin, lock); err != nil {
		t.Fatal(err)
	}
	return lock
}

// TestKilledReconnectsLocksCleared: the index.lock and main.lock a killed
// reconnect left, and its temporary files, are gone at the next lock, and
// writing goes on with no "committed, but" failure.
func TestKilledReconnectsLocksCleared(t *testing.T) {
	r, _ := crTwoCommits(t)
	locks := []string{crLeftLock(t, r.gitDir, "index.lock"), crLeftLock(t, r.gitDir, "refs/heads/main.lock")}
	if err := os.WriteFile(filepath.Join(tmpDir(r.gitDir), "b.md.half"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := crLock(t, r); err != nil {
		t.Fatal(err)
	}
	for _, l := range locks {
		if _, err := os.Stat(l); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left: %v", l, err)
		}
	}
	if ents, _ := os.ReadDir(tmpDir(r.gitDir)); len(ents) > 0 {
		t.Errorf("tmp folder not swept: %v", ents)
	}
	var told []string
	r.Notify = func(m string) { told = append(told, m) }
	if _, err := r.Commit("third", lwSig(2), Change{Path: "c.md", Data: []byte("c\n")}); err != nil {
		t.Fatal(err)
	}
	if len(told) > 0 {
		t.Errorf("commit said %q", told)
	}
	lwCheckClean(t, r.Dir)
}

// TestIndexLockKeptNeverFailsTheWrite: with git holding index.lock for
// longer than reconnect waits, the commit stands and the write succeeds
// with a note (never "committed, but" and an exit 1 that invites a retry).
func TestIndexLockKeptNeverFailsTheWrite(t *testing.T) {
	t.Parallel()
	r, second := crTwoCommits(t)
	lock := filepath.Join(r.gitDir, "index.lock")
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var told []string
	r.Notify = func(m string) { told = append(told, m) }
	h, err := r.Commit("third", lwSig(2), Change{Path: "c.md", Data: []byte("c\n")})
	if err != nil {
		t.Fatalf("Commit with git's index.lock held = %v, want success", err)
	}
	if head, _ := r.Head(); head != h || h == second {
		t.Fatalf("HEAD %s, commit %s", head, h)
	}
	if len(told) != 1 || !strings.Contains(told[0], lock) {
		t.Errorf("Commit said %q, want one note naming %s", told, lock)
	}
}

// TestFailedCommitLeavesNothing: when the object store cannot take the
// entry, the entry file is not left behind, and a changed file is put back.
func TestFailedCommitLeavesNothing(t *testing.T) {
	r, _ := crTwoCommits(t)
	data := []byte("a changed\n")
	blob := plumbing.ComputeHash(plumbing.BlobObject, data).String()
	fanout := filepath.Join(r.gitDir, "objects", blob[:2])
	os.RemoveAll(fanout)
	if err := os.WriteFile(fanout, nil, 0o600); err != nil { // a file where the folder goes
		t.Fatal(err)
	}
	_, err := r.Commit("broken", lwSig(2),
		Change{Path: "a.md", Data: data}, Change{Path: "2026/12/new.md", Data: data})
	if err == nil {
		t.Fatal("Commit into a broken object store succeeded")
	}
	if b, _ := os.ReadFile(filepath.Join(r.Dir, "a.md")); string(b) != "a\n" {
		t.Errorf("a.md holds %q after the failed commit, want it put back", b)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, "2026", "12")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the new entry's folder was left: %v", err)
	}
	os.Remove(fanout)
	lwCheckClean(t, r.Dir)
}

// TestStrayTempSwept: a temporary file an older reconnect left in the work
// tree is removed by the hand-edit scan, not committed.
func TestStrayTempSwept(t *testing.T) {
	r, _ := crTwoCommits(t)
	stray := filepath.Join(r.Dir, "2026", "11", ".b.md.tmp-123456")
	if err := os.WriteFile(stray, []byte("hal"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stray, old, old)
	edits, err := r.HandEdits()
	if err != nil || len(edits) != 0 {
		t.Fatalf("HandEdits = %v, %v; want none", edits, err)
	}
	if _, err := os.Stat(stray); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stray temporary file left: %v", err)
	}
	lwCheckClean(t, r.Dir)
}

// TestFolderRemoteStaleMainLock: a push killed while it held the folder
// remote's main.lock does not block the remote: the next sync clears it.
// A main.lock git holds is named, with the way out.
func TestFolderRemoteStaleMainLock(t *testing.T) {
	t.Parallel()
	remote, clones := rsNewRemote(t, "sam", "alex")
	sam, alex := clones[0], clones[1]
	lock := crLeftLock(t, remote, "refs/heads/main.lock")
	sam.write(rsEntry("sam", "2026-11-22", "thanks", "for the tea"))
	sam.sync()
	if _, err := os.Stat(lock); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale main.lock left in the remote: %v", err)
	}
	alex.sync()
	rsSameTrees(t, sam, alex)
	gittest.Fsck(t, remote)

	// git's own lock: named, not removed.
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	alex.write(rsEntry("alex", "2026-11-22", "thanks", "for the walk"))
	_, err := alex.trySync()
	if err == nil || !strings.Contains(err.Error(), lock) || !strings.Contains(err.Error(), "remove that file") {
		t.Fatalf("sync with git's main.lock held = %v, want an error naming it and the way out", err)
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("git's main.lock was removed: %v", err)
	}
}

// TestUnfinishedStartBegunAgain: an Init or Clone killed half-way leaves
// a folder that the next one clears and starts in again.
func TestUnfinishedStartBegunAgain(t *testing.T) {
	t.Parallel()
	remote, _ := rsNewRemote(t, "sam")
	for _, how := range []string{"init", "clone"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			// A file that was there before the start is never removed.
			if how == "init" {
				if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := Init(dir, lwSig(0), "init", Change{Path: "README.md", Data: []byte("x\n")}); err != nil {
				t.Fatal(err)
			}
			// Killed before the end: the marker is still there, written
			// when the folder held only what was there before.
			before := "a journal being made; the folder held before:\n"
			if how == "init" {
				before += "notes.txt\n"
			}
			if err := os.WriteFile(filepath.Join(dir, ".git", unfinishedMarker), []byte(before), 0o600); err != nil {
				t.Fatal(err)
			}
			if !Unfinished(dir) {
				t.Fatal("Unfinished = false with the marker there")
			}
			var r *Repo
			var err error
			if how == "init" {
				r, err = Init(dir, lwSig(1), "init again", Change{Path: "a.md", Data: []byte("a\n")})
			} else {
				r, err = Clone(context.Background(), remote, dir, Auth{})
			}
			if err != nil {
				t.Fatalf("%s over an unfinished start: %v", how, err)
			}
			if Unfinished(dir) {
				t.Error("still unfinished")
			}
			if _, err := os.Stat(filepath.Join(dir, "notes.txt")); how == "init" && err != nil {
				t.Errorf("a file that was there before the start was removed: %v", err)
			}
			os.Remove(filepath.Join(dir, "notes.txt")) // the user's, untracked
			if n := crRoots(t, dir); n != 1 {
				t.Errorf("%d roots", n)
			}
			lwCheckClean(t, r.Dir)
		})
	}
}

// TestObjectsDurableBeforeMainMoves: every object a commit stores is
// synced, and synced before main points at it.
func TestObjectsDurableBeforeMainMoves(t *testing.T) {
	r, _ := crTwoCommits(t)
	synced := map[string]bool{}
	var mainAt plumbing.Hash // main when the commit object was synced
	r.objs.synced = func(name string) {
		synced[name] = true
		mainAt, _ = r.Head()
	}
	h, err := r.Commit("third", lwSig(2), Change{Path: "2027/01/c.md", Data: []byte("c\n")})
	if err != nil {
		t.Fatal(err)
	}
	obj := func(h plumbing.Hash) string {
		return filepath.Join(r.gitDir, "objects", h.String()[:2], h.String()[2:])
	}
	c, err := r.git.CommitObject(h)
	if err != nil {
		t.Fatal(err)
	}
	want := []plumbing.Hash{h, c.TreeHash, plumbing.ComputeHash(plumbing.BlobObject, []byte("c\n"))}
	tree, _ := c.Tree()
	for _, dir := range []string{"2027", "2027/01"} {
		e, err := tree.FindEntry(dir)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, e.Hash)
	}
	for _, w := range want {
		if !synced[obj(w)] {
			t.Errorf("object %s was not synced", w)
		}
	}
	if mainAt == h {
		t.Error("main moved before the objects were synced")
	}
}

// TestLongNamesReachTheWorkTree: a name the gate allows (255 bytes) gets a
// temporary twin the file system takes, and a conflict copy of it is still
// a name the gate allows.
func TestLongNamesReachTheWorkTree(t *testing.T) {
	r, _ := crTwoCommits(t)
	long := "2026/11/" + strings.Repeat("a", 252) + ".md"
	if _, err := r.Commit("long", lwSig(2), Change{Path: long, Data: []byte("x\n")}); err != nil {
		t.Fatalf("commit of a 255-byte name: %v", err)
	}
	lwCheckClean(t, r.Dir)
	cp, err := conflictPath(&object.Tree{}, long, "alex", "abc1234", plumbing.ZeroHash, map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	_, name := splitDir(cp)
	if len(name) > 255 || !IsConflictCopy(cp) {
		t.Fatalf("conflict copy %q: %d bytes", name, len(name))
	}
}
