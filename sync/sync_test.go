package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// permutations of s, in lexical order of indexes.
func rsPermutations(s []string) [][]string {
	if len(s) <= 1 {
		return [][]string{append([]string(nil), s...)}
	}
	var out [][]string
	for i := range s {
		rest := append(append([]string(nil), s[:i]...), s[i+1:]...)
		for _, p := range rsPermutations(rest) {
			out = append(out, append([]string{s[i]}, p...))
		}
	}
	return out
}

// Two partners write the same day; whatever the order of writes and syncs,
// both end with the same journal holding every entry, and git sees clean
// work trees.
func TestSyncTwoClonesEveryOrder(t *testing.T) {
	t.Parallel()
	for _, order := range rsPermutations([]string{"wa", "wb", "sa", "sb"}) {
		t.Run(strings.Join(order, "-"), func(t *testing.T) {
			_, cs := rsNewRemote(t, "sam", "alex")
			a, b := cs[0], cs[1]
			pa, ca := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nthe walk")
			pb, cb := rsEntry("alex", "2026-11-21", "checkin", "## Rose\nthe soup")
			for _, step := range order {
				switch step {
				case "wa":
					a.write(pa, ca)
				case "wb":
					b.write(pb, cb)
				case "sa":
					a.sync()
				case "sb":
					b.sync()
				}
			}
			a.sync()
			b.sync()
			a.sync()
			rsSameTrees(t, a, b)
			rsHasPaths(t, a, pa, pb, "README.md")
			if a.file(pb) != cb || b.file(pa) != ca {
				t.Fatal("work tree does not hold the partner's entry")
			}
			a.checkClean()
			b.checkClean()
		})
	}
}

// Three partners (or machines) each write, then sync in every order.
func TestSyncThreeClonesEveryOrder(t *testing.T) {
	t.Parallel()
	for _, order := range rsPermutations([]string{"a", "b", "c"}) {
		t.Run(strings.Join(order, ""), func(t *testing.T) {
			_, cs := rsNewRemote(t, "sam", "alex", "kim")
			byName := map[string]*rsClone{"a": cs[0], "b": cs[1], "c": cs[2]}
			var paths []string
			for _, c := range cs {
				p, content := rsEntry(c.author, "2026-11-21", "answer", "the question of the day, by "+c.author)
				c.write(p, content)
				paths = append(paths, p)
			}
			for _, n := range order {
				byName[n].sync()
			}
			for _, n := range order {
				byName[n].sync()
			}
			rsSameTrees(t, cs...)
			for _, c := range cs {
				rsHasPaths(t, c, paths...)
				c.checkClean()
			}
		})
	}
}

func TestSyncStates(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, b := cs[0], cs[1]
	if res := a.sync(); res.State != StateUpToDate || res.Pulled != 0 || res.Pushed != 0 {
		t.Fatalf("nothing new: %+v", res)
	}
	p, c := rsEntry("sam", "2026-11-21", "checkin", "x")
	a.write(p, c)
	if res := a.sync(); res.State != StatePushed || res.Pushed != 1 {
		t.Fatalf("ahead: %+v, want pushed 1", res)
	}
	res := b.sync()
	if res.State != StatePulled || res.Pulled != 1 {
		t.Fatalf("behind: %+v, want pulled 1", res)
	}
	head, _ := b.r.Head()
	if res.Head != head {
		t.Fatalf("Head %s, main %s", res.Head, head)
	}
	p2, c2 := rsEntry("alex", "2026-11-22", "checkin", "y")
	b.write(p2, c2)
	p3, c3 := rsEntry("sam", "2026-11-22", "checkin", "z")
	a.write(p3, c3)
	b.sync()
	res = a.sync()
	if res.State != StateMerged || res.Pulled != 1 || res.Pushed != 1 {
		t.Fatalf("diverged: %+v, want merged, pulled 1, pushed 1", res)
	}
	st, err := a.r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Tracked || st.Ahead != 0 || st.Behind != 0 {
		t.Fatalf("status after sync: %+v", st)
	}
	b.write(rsEntry("alex", "2026-11-23", "checkin", "w"))
	if err := a.r.Fetch(context.Background(), a.opts()); err != nil {
		t.Fatal(err)
	}
	st, _ = a.r.Status(context.Background())
	if st.Ahead != 0 || st.Behind != 0 {
		t.Fatalf("alex has not pushed yet: %+v", st)
	}
	b.sync()
	if err := a.r.Fetch(context.Background(), a.opts()); err != nil {
		t.Fatal(err)
	}
	st, _ = a.r.Status(context.Background())
	// Behind by alex's entry and alex's merge of sam's earlier one.
	if st.Ahead != 0 || st.Behind != 2 {
		t.Fatalf("after fetch: %+v, want behind 2", st)
	}
	a.checkClean()
}

// The shared bucket file changed on both sides: different keys merge; the
// same key changed both ways keeps ours and writes theirs beside it, which
// Status lists.
func TestSyncBucketBothSides(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, b := cs[0], cs[1]
	p, c := rsBucket("sam", "Try the new ramen place", map[string]string{"status": "open"})
	a.write(p, c)
	a.sync()
	b.sync()

	// Different keys.
	_, ca := rsBucket("sam", "Try the new ramen place", map[string]string{"status": "open", "when": "2026-12-01"})
	_, cb := rsBucket("sam", "Try the new ramen place", map[string]string{"status": "open", "where": "downtown"})
	a.write(p, ca)
	b.write(p, cb)
	a.sync()
	res := b.sync()
	if res.State != StateMerged || len(res.Conflicts) != 0 || len(res.Merged) != 1 {
		t.Fatalf("different keys: %+v", res)
	}
	a.sync()
	rsSameTrees(t, a, b)
	got := a.file(p)
	if !strings.Contains(got, "when: 2026-12-01") || !strings.Contains(got, "where: downtown") {
		t.Fatalf("merged bucket item lacks a key:\n%s", got)
	}

	// The same key both ways.
	_, ca = rsBucket("sam", "Try the new ramen place", map[string]string{"status": "done", "when": "2026-12-01", "where": "downtown"})
	_, cb = rsBucket("sam", "Try the new ramen place", map[string]string{"status": "dropped", "when": "2026-12-01", "where": "downtown"})
	a.write(p, ca)
	b.write(p, cb)
	a.sync()
	res = b.sync()
	if len(res.Conflicts) != 1 {
		t.Fatalf("same key: %+v, want one conflict", res)
	}
	cp := res.Conflicts[0]
	// The copy is the partner's (sam's) version, named after the author in
	// its front matter.
	if !strings.HasPrefix(cp, "bucket/try-the-new-ramen-place.conflict-sam-") || !strings.HasSuffix(cp, ".md") {
		t.Fatalf("conflict copy named %q", cp)
	}
	if b.file(p) != cb || b.file(cp) != ca {
		t.Fatal("ours must stay at the path and theirs go in the copy")
	}
	a.sync()
	rsSameTrees(t, a, b)
	for _, c := range []*rsClone{a, b} {
		st, err := c.r.Status(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Conflicts) != 1 || st.Conflicts[0] != cp {
			t.Fatalf("%s: Status.Conflicts = %q, want [%s]", c.author, st.Conflicts, cp)
		}
		c.checkClean()
	}
}

// A file deleted on one side and changed on the other stays, changed.
func TestSyncDeleteVersusModify(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, b := cs[0], cs[1]
	p, c := rsBucket("sam", "Learn to dance", map[string]string{"status": "open"})
	a.write(p, c)
	a.sync()
	b.sync()
	a.remove(p)
	_, cb := rsBucket("sam", "Learn to dance", map[string]string{"status": "open", "notes": "salsa"})
	b.write(p, cb)
	a.sync()
	b.sync()
	a.sync()
	rsSameTrees(t, a, b)
	if a.file(p) != cb {
		t.Fatal("the modified file must survive its deletion on the other side")
	}
	a.checkClean()
	b.checkClean()
}

// A partner who edits with an editor and uses plain git (commit, pull,
// push with the CLI) is merged like any other.
func TestSyncPlainGitPartner(t *testing.T) {
	t.Parallel()
	remote, cs := rsNewRemote(t, "sam")
	a := cs[0]
	work := filepath.Join(t.TempDir(), "alex")
	gittest.Git(t, t.TempDir(), "clone", "--quiet", remote, work)

	pa, ca := rsEntry("sam", "2026-11-21", "checkin", "sam's day")
	a.write(pa, ca)
	pb, cb := rsEntry("alex", "2026-11-21", "checkin", "alex's day, written in vim")
	if err := os.MkdirAll(filepath.Join(work, "2026", "11"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, filepath.FromSlash(pb)), []byte(cb), 0o600); err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, work, "add", "-A")
	gittest.Git(t, work, "commit", "--quiet", "-m", "checkin: alex by hand")
	gittest.Git(t, work, "push", "--quiet", "origin", "main")

	if res := a.sync(); res.State != StateMerged {
		t.Fatalf("state %q, want merged", res.State)
	}
	gittest.Git(t, work, "pull", "--quiet", "--no-rebase", "origin", "main")
	if got := gittest.Tree(t, work, "HEAD"); strings.Join(got, "\n") != strings.Join(a.tree(), "\n") {
		t.Fatalf("plain git clone differs:\n%s\nvs\n%s", got, a.tree())
	}
	rsHasPaths(t, a, pa, pb)

	// The git user packs the remote's refs and objects; reconnect still
	// reads and updates it.
	gittest.Git(t, remote, "gc", "--quiet")
	a.write(rsEntry("sam", "2026-11-22", "checkin", "after gc"))
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("after gc: %q", res.State)
	}
	gittest.Fsck(t, remote)
	gittest.Git(t, work, "pull", "--quiet", "--no-rebase", "origin", "main")
	a.checkClean()
}

// Hand edits in the journal are committed before the sync merges.
func TestSyncCommitsHandEdits(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, b := cs[0], cs[1]
	p, c := rsEntry("sam", "2026-11-21", "checkin", "first draft")
	a.write(p, c)
	a.sync()
	b.sync()

	// Sam edits one entry, adds a note and removes the yaml by hand; an
	// editor leaves a swap file, which is not journal content.
	edited := strings.Replace(c, "first draft", "second draft", 1)
	if err := os.WriteFile(filepath.Join(a.r.Dir, filepath.FromSlash(p)), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a.r.Dir, "2026", "11", "note.md"), []byte("a note\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(a.r.Dir, "reconnect.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a.r.Dir, "2026", "11", ".note.md.swp"), []byte("swap"), 0o600); err != nil {
		t.Fatal(err)
	}
	edits, err := a.r.HandEdits()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range edits {
		got = append(got, e.Path)
	}
	want := []string{p, "2026/11/note.md", "reconnect.yaml"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("HandEdits = %v, want %v", got, want)
	}
	res := a.sync()
	if res.HandEdits.IsZero() || res.State != StatePushed {
		t.Fatalf("sync after hand edits: %+v", res)
	}
	b.sync()
	if b.file(p) != edited || b.file("2026/11/note.md") != "a note\n" {
		t.Fatal("hand edits did not reach the partner")
	}
	if _, err := os.Stat(filepath.Join(b.r.Dir, "reconnect.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("removal did not reach the partner: %v", err)
	}
	if _, err := a.r.CommitHandEdits(a.sig()); !errors.Is(err, ErrNoChange) {
		t.Fatalf("nothing left to commit: %v", err)
	}
	os.Remove(filepath.Join(a.r.Dir, "2026", "11", ".note.md.swp"))
	a.checkClean()
	b.checkClean()
}

// A folder remote needs no git binary: sync and clone with PATH emptied.
func TestSyncFolderRemoteWithoutGit(t *testing.T) {
	remote, cs := rsNewRemote(t, "sam")
	a := cs[0]
	t.Setenv("PATH", t.TempDir())
	b := rsCloneOf(t, "file://"+remote, "alex", Auth{})
	a.write(rsEntry("sam", "2026-11-21", "checkin", "a"))
	b.write(rsEntry("alex", "2026-11-21", "checkin", "b"))
	a.sync()
	if res := b.sync(); res.State != StateMerged {
		t.Fatalf("state %q", res.State)
	}
	a.sync()
	rsSameTrees(t, a, b) // git found by its usual path, PATH is empty
	a.checkClean()
	b.checkClean()
}

// An empty folder (or a missing one in an existing folder) becomes the
// remote on the first push; a folder whose parent is missing is offline.
func TestSyncFolderRemoteCreatedAndOffline(t *testing.T) {
	a := rsInit(t, "sam")
	empty := filepath.Join(t.TempDir(), "usb", "journal.git")
	if err := os.MkdirAll(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := a.r.SetRemote(empty); err != nil {
		t.Fatal(err)
	}
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("first push into an empty folder: %q", res.State)
	}
	gittest.Fsck(t, empty)
	if got := gittest.Git(t, empty, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Fatalf("created remote's HEAD is %s", got)
	}

	a.remote = filepath.Join(t.TempDir(), "not-mounted", "journal.git")
	if _, err := a.trySync(); !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with a missing drive: %v, want ErrOffline", err)
	}

	notRepo := t.TempDir()
	if err := os.WriteFile(filepath.Join(notRepo, "photo.jpg"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.remote = notRepo
	if _, err := a.trySync(); err == nil || errors.Is(err, ErrOffline) {
		t.Fatalf("sync with a folder that is not a repository: %v", err)
	}
}

// A folder remote that vanishes after the journal synced with it (a drive
// not mounted, leaving its empty mount point) is offline: nothing is
// created in its place.
func TestSyncFolderRemoteGoneAfterSyncing(t *testing.T) {
	a := rsInit(t, "sam")
	mount := filepath.Join(t.TempDir(), "nas")
	remote := filepath.Join(mount, "us.git")
	if err := os.MkdirAll(mount, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := a.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("first push: %q", res.State)
	}
	for i, unmount := range []func() error{
		func() error { return os.RemoveAll(remote) },                             // folder gone, mount point left
		func() error { os.RemoveAll(remote); return os.MkdirAll(remote, 0o700) }, // folder left empty
	} {
		if err := unmount(); err != nil {
			t.Fatal(err)
		}
		a.write(fmt.Sprintf("2026/11/2026-11-21-thanks-sam-%d.md", i), "thanks")
		if _, err := a.trySync(); !errors.Is(err, ErrOffline) {
			t.Fatalf("sync with the folder gone: %v, want ErrOffline", err)
		}
		if names, _ := os.ReadDir(remote); len(names) != 0 {
			t.Fatalf("sync filled the vanished remote's place: %v", names)
		}
	}
}

// Two journals started apart share no history: Sync refuses, unless told
// to merge them.
func TestSyncUnrelatedHistories(t *testing.T) {
	remote, _ := rsNewRemote(t, "sam")
	b := rsInit(t, "alex")
	b.write(rsEntry("alex", "2026-11-21", "checkin", "mine"))
	if err := b.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	before, _ := b.r.Head()
	if _, err := b.trySync(); !errors.Is(err, ErrRemoteHasJournal) {
		t.Fatalf("unrelated: %v, want ErrRemoteHasJournal", err)
	}
	if after, _ := b.r.Head(); after != before {
		t.Fatal("a refused sync changed main")
	}
	unlock, _ := b.r.Lock(context.Background())
	opt := b.opts()
	opt.AllowUnrelated = true
	res, err := b.r.Sync(context.Background(), opt)
	unlock()
	if err != nil || res.State != StateMerged {
		t.Fatalf("allowed unrelated: %+v, %v", res, err)
	}
	b.checkClean()
}

func TestCloneErrors(t *testing.T) {
	empty := gittest.Bare(t)
	dir := filepath.Join(t.TempDir(), "j")
	if _, err := Clone(context.Background(), empty, dir, Auth{}); !errors.Is(err, ErrRemoteEmpty) {
		t.Fatalf("clone of an empty remote: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a failed clone left %s behind", dir)
	}
	if _, err := Clone(context.Background(), filepath.Join(t.TempDir(), "nothing.git"), dir, Auth{}); !errors.Is(err, ErrRemoteNotFound) {
		t.Fatalf("clone of a missing folder: %v", err)
	}
	remote, _ := rsNewRemote(t, "sam")
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Clone(context.Background(), remote, full, Auth{}); err == nil {
		t.Fatal("clone into a folder that is not empty succeeded")
	}
}

// A sync killed after main moved but before the files were written: no
// hand-edit scan mistakes the stale files for edits, and the next sync
// writes them.
func TestSyncFinishesInterruptedSync(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, b := cs[0], cs[1]
	pb, cb := rsEntry("alex", "2026-11-21", "checkin", "from alex")
	b.write(pb, cb)
	b.sync()
	pa, ca := rsEntry("sam", "2026-11-21", "checkin", "from sam")
	a.write(pa, ca)
	a.crash = func() error { return errInjected }
	if _, err := a.trySync(); !errors.Is(err, errInjected) {
		t.Fatalf("crashed sync: %v", err)
	}
	a.crash = nil
	if _, err := os.Stat(filepath.Join(a.r.Dir, filepath.FromSlash(pb))); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the crash came after the files were written")
	}
	edits, err := a.r.HandEdits()
	if err != nil {
		t.Fatal(err)
	}
	if len(edits) != 0 {
		t.Fatalf("stale files taken for hand edits: %+v", edits)
	}
	a.sync()
	if a.file(pb) != cb {
		t.Fatal("the next sync did not write the partner's entry")
	}
	b.sync()
	rsSameTrees(t, a, b)
	a.checkClean()
	b.checkClean()
}

// A file touched but not changed is no hand edit; its new stat data goes
// into the index, so later scans need not read it.
func TestHandEditsTouchedFile(t *testing.T) {
	c := rsInit(t, "sam")
	p, content := rsEntry("sam", "2026-11-21", "checkin", "x")
	c.write(p, content)
	name := filepath.Join(c.r.Dir, filepath.FromSlash(p))
	later := rsEpoch.Add(-48 * time.Hour) // before the index was written: not racy
	if err := os.Chtimes(name, later, later); err != nil {
		t.Fatal(err)
	}
	if edits, err := c.r.HandEdits(); err != nil || len(edits) != 0 {
		t.Fatalf("HandEdits after touch: %v, %v", edits, err)
	}
	if _, err := c.r.CommitHandEdits(c.sig()); !errors.Is(err, ErrNoChange) {
		t.Fatalf("CommitHandEdits after touch: %v", err)
	}
	entries, err := c.r.readIndexEntries()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.name == p && int64(e.mtimeSec) != later.Unix() {
			t.Fatalf("index entry of %s still has mtime %d, file has %d", p, e.mtimeSec, later.Unix())
		}
	}
	c.checkClean()
}
