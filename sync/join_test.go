package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// settingsFile is the file that marks a journal in these tests, as
// reconnect.yaml does in reconnect's.
const settingsFile = "reconnect.yaml"

// tryJoin joins url under the lock.
func (c *rsClone) tryJoin(url string) (Result, error) {
	unlock, err := c.r.Lock(context.Background())
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	return c.r.Join(context.Background(), url, c.opts(), settingsFile)
}

// remoteMain is where the bare remote's main is.
func remoteMain(t *testing.T, remote string) string {
	t.Helper()
	return gittest.Git(t, remote, "rev-parse", "main")
}

// Sam wrote in a journal of his own, then joins Alex's: both sides'
// entries are there, a shared item both wrote two ways keeps a conflict
// copy, the journal's settings are Alex's, and the merge (two parents,
// Alex's main first) is pushed, so that Alex fast-forwards to it.
func TestJoinMergesUnrelatedJournals(t *testing.T) {
	t.Parallel()
	remote, cs := rsNewRemote(t, "alex")
	alex := cs[0]
	pa, ca := rsEntry("alex", "2026-11-20", "checkin", "from alex")
	alex.write(pa, ca)
	ba, bca := rsBucket("alex", "Pottery class", map[string]string{"done": "2026-11-20"})
	alex.write(ba, bca)
	alex.sync()
	alexSettings := alex.file(settingsFile)
	before := remoteMain(t, remote)

	sam := rsInit(t, "sam")
	sam.write(settingsFile, "partners: [sam]\n")
	ps, cs2 := rsEntry("sam", "2026-11-19", "checkin", "from sam, before joining")
	sam.write(ps, cs2)
	pt, ct := rsEntry("sam", "2026-11-19", "thanks", "for the tea")
	sam.write(pt, ct)
	bs, bcs := rsBucket("sam", "Pottery class", map[string]string{"done": "2026-11-18"})
	sam.write(bs, bcs)
	samBefore, _ := sam.r.Head()

	res, err := sam.tryJoin(remote)
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	if res.State != StateMerged || res.Pushed == 0 {
		t.Fatalf("join: %+v, want a merge that was pushed", res)
	}
	rsHasPaths(t, sam, pa, ba, ps, pt)
	if sam.file(ps) != cs2 || sam.file(pa) != ca {
		t.Fatal("an entry changed in the join")
	}
	if len(res.Conflicts) != 1 || !strings.HasPrefix(res.Conflicts[0], "bucket/pottery-class.conflict-alex-") {
		t.Fatalf("conflicts %v, want Alex's pottery class beside Sam's", res.Conflicts)
	}
	rsHasPaths(t, sam, res.Conflicts...)
	if got := sam.file(settingsFile); got != alexSettings {
		t.Fatalf("settings after the join: %q, want the joined journal's %q", got, alexSettings)
	}
	for _, line := range sam.tree() {
		if strings.HasPrefix(line, "reconnect.conflict-") {
			t.Fatalf("the settings left a conflict copy: %s", line)
		}
	}

	// Real git: the merge has two parents, Alex's main first, and the
	// remote's old main is an ancestor of it; the remote has it.
	head, _ := sam.r.Head()
	parents := strings.Fields(gittest.Git(t, sam.r.Dir, "rev-list", "--parents", "-n", "1", "main"))
	if len(parents) != 3 || parents[1] != before || parents[2] != samBefore.String() {
		t.Fatalf("merge parents %v, want %s (remote) and %s (Sam's)", parents[1:], before, samBefore)
	}
	gittest.Git(t, sam.r.Dir, "merge-base", "--is-ancestor", before, "main")
	if got := remoteMain(t, remote); got != head.String() {
		t.Fatalf("remote main %s, want the join %s", got, head)
	}
	if url, _ := sam.r.RemoteURL(); url != remote {
		t.Fatalf("remote after join %q, want %q", url, remote)
	}
	sam.checkClean()
	gittest.Fsck(t, remote)

	// Alex takes it as a fast-forward and sees Sam's entries.
	if res := alex.sync(); res.State != StatePulled {
		t.Fatalf("Alex's sync after the join: %q, want a fast-forward", res.State)
	}
	if alex.file(ps) != cs2 {
		t.Fatal("Alex does not see Sam's check-in")
	}
	rsSameTrees(t, alex, sam)
	alex.checkClean()

	// Joining again changes nothing.
	if res, err := sam.tryJoin(remote); err != nil || res.State != StateUpToDate {
		t.Fatalf("second join: %+v, %v", res, err)
	}
}

// A journal with nothing written joins by taking the remote's main: no
// merge commit, nothing sent.
func TestJoinEmptyJournalTakesTheRemote(t *testing.T) {
	t.Parallel()
	remote, cs := rsNewRemote(t, "alex")
	pa, ca := rsEntry("alex", "2026-11-20", "checkin", "from alex")
	cs[0].write(pa, ca)
	cs[0].sync()
	before := remoteMain(t, remote)
	sam := rsInit(t, "sam")
	res, err := sam.tryJoin(remote)
	if err != nil {
		t.Fatalf("join: %v", err)
	}
	if head, _ := sam.r.Head(); head.String() != before || res.Pushed != 0 || res.State != StatePulled {
		t.Fatalf("join of an empty journal: %+v, head %s, want the remote's %s", res, head, before)
	}
	if sam.file(pa) != ca {
		t.Fatal("Alex's entry is not there")
	}
	if got := remoteMain(t, remote); got != before {
		t.Fatal("the remote changed")
	}
	sam.checkClean()
}

// A join that fails before main moves leaves the journal as it was, its
// remote too; one killed after main moved and before the files were
// written leaves the remote as it was, and the next join completes it.
func TestJoinStoppedMidway(t *testing.T) {
	t.Parallel()
	remote, cs := rsNewRemote(t, "alex")
	pa, ca := rsEntry("alex", "2026-11-20", "checkin", "from alex")
	cs[0].write(pa, ca)
	cs[0].sync()
	before := remoteMain(t, remote)
	sam := rsInit(t, "sam")
	ps, cs2 := rsEntry("sam", "2026-11-19", "checkin", "from sam")
	sam.write(ps, cs2)
	samBefore, _ := sam.r.Head()
	asItWas := func() {
		t.Helper()
		if h, _ := sam.r.Head(); h != samBefore {
			t.Fatal("main moved")
		}
		if url, _ := sam.r.RemoteURL(); url != "" {
			t.Fatalf("the remote was set to %s", url)
		}
		if got := remoteMain(t, remote); got != before {
			t.Fatal("the remote changed")
		}
		sam.checkClean()
	}

	sam.wrap = func(e remoteEnd) remoteEnd { return &rsFlaky{remoteEnd: e, failFetch: true} }
	if _, err := sam.tryJoin(remote); !errors.Is(err, ErrOffline) {
		t.Fatalf("join offline: %v", err)
	}
	asItWas()

	sam.wrap = nil
	sam.crash = func() error { return errInjected }
	if _, err := sam.tryJoin(remote); !errors.Is(err, errInjected) {
		t.Fatalf("killed join: %v", err)
	}
	if got := remoteMain(t, remote); got != before {
		t.Fatal("the remote changed before the join was complete")
	}
	if _, err := os.Stat(filepath.Join(sam.r.Dir, filepath.FromSlash(pa))); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("the kill came after the files were written")
	}
	sam.crash = nil
	res, err := sam.tryJoin(remote)
	if err != nil {
		t.Fatalf("join again: %v", err)
	}
	if sam.file(pa) != ca || sam.file(ps) != cs2 {
		t.Fatal("the join was not completed")
	}
	if head, _ := sam.r.Head(); remoteMain(t, remote) != head.String() || res.Pushed == 0 {
		t.Fatalf("the completed join was not sent: %+v", res)
	}
	sam.checkClean()
}

// A sync refused because the remote holds another journal names the
// remote, for a join.
func TestSyncUnrelatedNamesTheRemote(t *testing.T) {
	t.Parallel()
	remote, _ := rsNewRemote(t, "alex")
	sam := rsInit(t, "sam")
	if err := sam.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	_, err := sam.trySync()
	var ue *UnrelatedError
	if !errors.As(err, &ue) || !errors.Is(err, ErrRemoteHasJournal) || ue.Remote != remote {
		t.Fatalf("sync with another journal: %v, want an UnrelatedError naming %s", err, remote)
	}
}

// joinBase holds ours of each file named that both sides have, at the
// top of the journal, as plain files; nothing else.
func TestJoinBase(t *testing.T) {
	c := rsInit(t, "sam")
	tree := func(paths ...string) *object.Tree {
		t.Helper()
		var edits []TreeEdit
		for _, p := range paths {
			h, err := putBlob(c.r.objs, []byte(p))
			if err != nil {
				t.Fatal(err)
			}
			edits = append(edits, TreeEdit{Path: p, Blob: h, Mode: filemode.Regular})
		}
		h, err := EditTree(c.r.objs, plumbing.ZeroHash, edits)
		if err != nil {
			t.Fatal(err)
		}
		tr, err := object.GetTree(c.r.objs, h)
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	for _, tc := range []struct {
		name         string
		ours, theirs *object.Tree
		remoteWins   []string
		want         string
	}{
		{"both hold it", tree("reconnect.yaml", "a.md"), tree("reconnect.yaml"), []string{"reconnect.yaml"}, "reconnect.yaml"},
		{"theirs lacks it: ours stays", tree("reconnect.yaml"), tree("a.md"), []string{"reconnect.yaml"}, ""},
		{"ours lacks it", tree("a.md"), tree("reconnect.yaml"), []string{"reconnect.yaml"}, ""},
		{"not at the top", tree("a/b.yaml"), tree("a/b.yaml"), []string{"a/b.yaml"}, ""},
		{"a folder", tree("a/b.yaml"), tree("a/b.yaml"), []string{"a"}, ""},
		{"not named", tree("x.md"), tree("x.md"), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := joinBase(tc.ours, tc.theirs, tc.remoteWins)
			var got []string
			for _, e := range base.Entries {
				got = append(got, e.Name)
				if oe := findEntry(tc.ours, e.Name); oe == nil || oe.Hash != e.Hash {
					t.Fatalf("base holds %s, not ours", e.Name)
				}
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("base %v, want %q", got, tc.want)
			}
		})
	}
}
