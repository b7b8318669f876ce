package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// rsCopy is a clone's local copy of the encrypted remote.
func rsCopy(c *rsClone) string { return filepath.Join(c.r.gitDir, sealedDirName) }

// rsCopyFiles counts the copy's pack files and loose objects.
func rsCopyFiles(t *testing.T, dir string) (packs, loose int) {
	t.Helper()
	err := filepath.WalkDir(filepath.Join(dir, "objects"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch rel, _ := filepath.Rel(filepath.Join(dir, "objects"), p); {
		case packFileName.MatchString(d.Name()):
			packs++
		case len(rel) == 41 && rel[2] == filepath.Separator:
			loose++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return packs, loose
}

func rsCopyRef(t *testing.T, c *rsClone) plumbing.Hash {
	t.Helper()
	h, _, err := readRef(rsCopy(c), Branch)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// A push sends its sealed commit from memory and writes nothing into the
// copy; a fetch that records (here every one: recordLag 1) stores what it
// brings as one pack (never loose objects) and then moves the copy's ref.
// The copy stays a sound git repository throughout.
func TestSealedCopyOnePackPerFetch(t *testing.T) {
	defer func(n int) { recordLag = n }(recordLag)
	recordLag = 1
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	for _, c := range []*rsClone{sam, alex} {
		if _, loose := rsCopyFiles(t, rsCopy(c)); loose != 0 {
			t.Fatalf("%s's copy holds %d loose objects", c.author, loose)
		}
	}
	samPacks, _ := rsCopyFiles(t, rsCopy(sam))
	samRef := rsCopyRef(t, sam)

	p, content := rsEntry("sam", "2026-11-21", "checkin", "pushed from memory")
	sam.write(p, content)
	if res := sam.sync(); res.State != StatePushed {
		t.Fatalf("sam: %q", res.State)
	}
	pushed := plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main"))
	if got := rsCopyRef(t, sam); got != samRef {
		t.Fatalf("sam's copy moved to %s on a push", got)
	}
	if packs, loose := rsCopyFiles(t, rsCopy(sam)); packs != samPacks || loose != 0 {
		t.Fatalf("sam's push wrote into the copy: %d packs (had %d), %d loose objects", packs, samPacks, loose)
	}

	alexPacks, _ := rsCopyFiles(t, rsCopy(alex))
	p, content = rsEntry("alex", "2026-11-21", "checkin", "merged")
	alex.write(p, content)
	if res := alex.sync(); res.State != StateMerged {
		t.Fatalf("alex: %q", res.State)
	}
	if got := rsCopyRef(t, alex); got != pushed {
		t.Fatalf("alex's copy is at %s, want sam's sealed commit %s", got, pushed)
	}
	if packs, loose := rsCopyFiles(t, rsCopy(alex)); packs != alexPacks+1 || loose != 0 {
		t.Fatalf("alex's fetch: %d packs (had %d), %d loose objects; want one more pack", packs, alexPacks, loose)
	}

	if res := sam.sync(); res.State != StatePulled {
		t.Fatalf("sam: %q", res.State)
	}
	if got, want := rsCopyRef(t, sam), plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main")); got != want {
		t.Fatalf("sam's copy is at %s, the remote at %s", got, want)
	}
	if packs, loose := rsCopyFiles(t, rsCopy(sam)); packs != samPacks+1 || loose != 0 {
		t.Fatalf("sam's fetch (its own commit and alex's): %d packs (had %d), %d loose objects; want one more pack", packs, samPacks, loose)
	}
	rsSameTrees(t, sam, alex)
	for _, c := range []*rsClone{sam, alex} {
		gittest.Fsck(t, rsCopy(c))
		c.checkClean()
	}
}

// A fetch keeps the sealed commits it brings in memory while the copy's
// ref stays within recordLag of the remote; the one that would leave it
// further behind stores them all as one pack and records the remote's
// commit; a compaction (a new line) is recorded at once.
func TestSealedCopyRecordLag(t *testing.T) {
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	recorded := rsCopyRef(t, alex)
	packs, _ := rsCopyFiles(t, rsCopy(alex))
	for i := 1; i <= recordLag; i++ {
		p, content := rsEntry("sam", fmt.Sprintf("2026-11-%02d", i), "checkin", "one more")
		sam.write(p, content)
		sam.sync()
		if res := alex.sync(); res.State != StatePulled {
			t.Fatalf("alex, round %d: %q", i, res.State)
		}
		rsSameTrees(t, sam, alex)
		got := rsCopyRef(t, alex)
		n, loose := rsCopyFiles(t, rsCopy(alex))
		if i < recordLag {
			if got != recorded || n != packs || loose != 0 {
				t.Fatalf("round %d: the copy was written (ref %s, was %s; %d packs, was %d; %d loose)", i, got, recorded, n, packs, loose)
			}
			continue
		}
		if want := plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main")); got != want || n != packs+1 || loose != 0 {
			t.Fatalf("round %d: ref %s, want %s; %d packs, want %d; %d loose", i, got, want, n, packs+1, loose)
		}
	}
	gittest.Fsck(t, rsCopy(alex))

	p, content := rsEntry("sam", "2026-11-28", "checkin", "compacted")
	sam.write(p, content)
	sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, Compact: true}
	sam.sync()
	want := plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main"))
	if got := rsCopyRef(t, sam); got != want {
		t.Fatalf("sam's compaction is not recorded: the copy is at %s, the remote at %s", got, want)
	}
	// The compaction's pack holds the whole history: alex stores only
	// what is new in it (a commit, its trees, one entry).
	stored := 0
	alex.r.objs.synced = func(string) { stored++ }
	alex.sync()
	alex.r.objs.synced = nil
	if stored > 6 {
		t.Errorf("alex stored %d objects from the compaction's pack, want only the new ones", stored)
	}
	if got := rsCopyRef(t, alex); got != want {
		t.Fatalf("alex's fetch of the compaction is not recorded: the copy is at %s, the remote at %s", got, want)
	}
	rsSameTrees(t, sam, alex)
	gittest.Fsck(t, rsCopy(sam))
	gittest.Fsck(t, rsCopy(alex))
}

// pushThenDie is a remote whose push reaches the remote and then the
// process dies: nothing after it runs.
type pushThenDie struct{ remoteEnd }

var errDied = errors.New("killed after the push")

func (p pushThenDie) push(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error) {
	if _, err := p.remoteEnd.push(ctx, local, old, new); err != nil {
		return 0, err
	}
	return 0, errDied
}

// Cuts at the copy's new boundaries lose nothing, and the next sync
// recovers: a push that reached the remote with nothing recorded after it
// (the sealed commit is nowhere on this machine but in the journal's own
// history); a fetch whose pack was written but whose ref did not move; a
// pack write cut before its renames (temporary files) or between them
// (an index with no pack).
func TestSealedCopyCuts(t *testing.T) {
	defer func(n int) { recordLag = n }(recordLag)
	recordLag = 1 // every fetch records: the boundaries below are crossed at each
	t.Run("push reached the remote, then killed", func(t *testing.T) {
		remote, cs := rsSealedRemote(t, "sam", "alex")
		sam, alex := cs[0], cs[1]
		p, content := rsEntry("sam", "2026-11-21", "checkin", "sent just before the cut")
		sam.write(p, content)
		sam.wrap = func(e remoteEnd) remoteEnd { return pushThenDie{e} }
		if _, err := sam.trySync(); !errors.Is(err, errDied) {
			t.Fatalf("sync: %v, want the cut", err)
		}
		sam.wrap = nil
		res := sam.sync()
		if res.State != StateUpToDate || res.Pushed != 0 {
			t.Fatalf("after the cut: %q, pushed %d; want up to date", res.State, res.Pushed)
		}
		if got, want := rsCopyRef(t, sam), plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main")); got != want {
			t.Fatalf("sam's copy is at %s, the remote at %s", got, want)
		}
		if got, want := gittest.Git(t, sam.r.Dir, "rev-parse", "refs/remotes/origin/main"), gittest.Git(t, sam.r.Dir, "rev-parse", "main"); got != want {
			t.Fatalf("the remote-tracking branch is at %s, main at %s", got, want)
		}
		alex.sync()
		rsSameTrees(t, sam, alex)
		if !strings.Contains(alex.file(p), "sent just before the cut") {
			t.Fatal("alex lacks sam's entry")
		}
		gittest.Fsck(t, rsCopy(sam))
	})
	t.Run("pack written, ref not moved", func(t *testing.T) {
		_, cs := rsSealedRemote(t, "sam", "alex")
		sam, alex := cs[0], cs[1]
		before := rsCopyRef(t, alex)
		p, content := rsEntry("sam", "2026-11-21", "checkin", "one")
		sam.write(p, content)
		sam.sync()
		alex.sync()
		fetched := rsCopyRef(t, alex)
		if fetched == before {
			t.Fatal("alex's copy did not move")
		}
		// As if cut between the pack and the ref: the ref back where it was.
		if err := os.WriteFile(refPath(rsCopy(alex), Branch), []byte(before.String()+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		p, content = rsEntry("sam", "2026-11-22", "checkin", "two")
		sam.write(p, content)
		sam.sync()
		alex.sync()
		if !strings.Contains(alex.file(p), "two") {
			t.Fatal("alex lacks sam's second entry")
		}
		if got := rsCopyRef(t, alex); got == before || got == fetched {
			t.Fatalf("alex's copy stayed at %s", got)
		}
		rsSameTrees(t, sam, alex)
		gittest.Fsck(t, rsCopy(alex))
	})
	t.Run("pack write cut", func(t *testing.T) {
		_, cs := rsSealedRemote(t, "sam", "alex")
		sam, alex := cs[0], cs[1]
		packDir := filepath.Join(rsCopy(alex), "objects", "pack")
		litter := map[string]string{
			"tmp_pack_0123456789abcdef":                 "PACK half",
			"tmp_idx_0123456789abcdef":                  "",
			"pack-" + strings.Repeat("ab", 20) + ".idx": "an index whose pack never came",
		}
		for name, data := range litter {
			if err := os.WriteFile(filepath.Join(packDir, name), []byte(data), 0o400); err != nil {
				t.Fatal(err)
			}
		}
		p, content := rsEntry("sam", "2026-11-21", "checkin", "after the cut")
		sam.write(p, content)
		sam.sync()
		alex.sync()
		if !strings.Contains(alex.file(p), "after the cut") {
			t.Fatal("alex lacks sam's entry")
		}
		for name := range litter {
			_, err := os.Stat(filepath.Join(packDir, name))
			if strings.HasPrefix(name, "tmp_") && err == nil {
				t.Errorf("%s was left", name)
			}
		}
		p, content = rsEntry("alex", "2026-11-22", "checkin", "and back")
		alex.write(p, content)
		alex.sync()
		sam.sync()
		rsSameTrees(t, sam, alex)
	})
}

// The packs of the copy are folded into one past maxCopyPacks: their
// number stays bounded, what the ref reaches is kept (and nothing else:
// the line before a compaction goes), the loose objects of a copy made by
// an older reconnect are folded in too, and git finds the copy sound,
// reflog included.
func TestSealedCopyFolds(t *testing.T) {
	defer func(n, lag int) { maxCopyPacks, recordLag = n, lag }(maxCopyPacks, recordLag)
	maxCopyPacks, recordLag = 3, 1
	_, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]

	// alex's copy as an older reconnect left it: every object loose.
	dir := rsCopy(alex)
	st := filesystem.NewStorage(osfs.New(dir), cache.NewObjectLRUDefault())
	objs, err := reachable(st, rsCopyRef(t, alex))
	if err != nil {
		t.Fatal(err)
	}
	loose := filesystem.NewStorage(osfs.New(dir), cache.NewObjectLRUDefault())
	for _, h := range objs {
		o, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := loose.SetEncodedObject(o); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	loose.Close()
	names, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "pack-*"))
	for _, n := range names {
		os.Remove(n)
	}
	if packs, n := rsCopyFiles(t, dir); packs != 0 || n != len(objs) {
		t.Fatalf("the old copy: %d packs, %d loose objects", packs, n)
	}

	for i := range 8 {
		if i == 4 {
			sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, Compact: true}
		}
		p, content := rsEntry("sam", fmt.Sprintf("2026-11-%02d", i+1), "checkin", "sam")
		sam.write(p, content)
		sam.sync()
		sam.seal.Compact = false
		p, content = rsEntry("alex", fmt.Sprintf("2026-11-%02d", i+1), "checkin", "alex")
		alex.write(p, content)
		alex.sync()
		sam.sync()
		for _, c := range []*rsClone{sam, alex} {
			if packs, _ := rsCopyFiles(t, rsCopy(c)); packs > maxCopyPacks {
				t.Fatalf("round %d: %s's copy holds %d packs", i, c.author, packs)
			}
			gittest.Fsck(t, rsCopy(c))
		}
	}
	if _, n := rsCopyFiles(t, dir); n != 0 {
		t.Fatalf("%d loose objects left in alex's copy", n)
	}
	rsSameTrees(t, sam, alex)

	// A fold of everything keeps only what the ref reaches.
	maxCopyPacks = 0
	for _, c := range []*rsClone{sam, alex} {
		end, err := c.r.sealRemote(&folderRemote{path: "/nonexistent"}, c.seal)
		if err != nil {
			t.Fatal(err)
		}
		s := end.(*sealedRemote)
		s.tidy(rsCopyRef(t, c))
		end.close()
		if out := gittest.Git(t, rsCopy(c), "fsck", "--unreachable", "--no-reflogs"); strings.TrimSpace(out) != "" {
			t.Fatalf("%s's copy keeps what its ref does not reach:\n%s", c.author, out)
		}
		gittest.Fsck(t, rsCopy(c))
	}
	maxCopyPacks = 3
	p, content := rsEntry("alex", "2026-11-30", "checkin", "after the fold")
	alex.write(p, content)
	alex.sync()
	sam.sync()
	rsSameTrees(t, sam, alex)
}
