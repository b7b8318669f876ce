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

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// hpGitStatusClean fails unless real git sees nothing to report.
func hpGitStatusClean(t *testing.T, c *rsClone) {
	t.Helper()
	if out := gittest.Git(t, c.r.Dir, "status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Fatalf("%s: git status is not clean:\n%s", c.author, out)
	}
}

// A file the hand-edit scan does not commit (an ignored one) where the
// partner's folder goes: the partner's files there are kept out, git status
// stays clean, and once the file is gone the next sync writes them.
func TestQuarantineFileInTheWayThenGone(t *testing.T) {
	_, cs := rsNewRemote(t, "alex", "sam")
	alex, sam := cs[0], cs[1]
	exclude := filepath.Join(sam.r.Dir, ".git", "info", "exclude")
	os.MkdirAll(filepath.Dir(exclude), 0o700)
	if err := os.WriteFile(exclude, []byte("/2026/10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(sam.r.Dir, "2026"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sam.r.Dir, "2026", "10"), []byte("mine, ignored\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, c := rsEntry("alex", "2026-10-05", "checkin", "## Rose\nOctober")
	alex.write(p, c)
	alex.sync()

	res := sam.sync()
	if len(res.Quarantined) != 1 || res.Quarantined[0].Path != p || res.Quarantined[0].Reason != "2026/10 is a file where a folder belongs" {
		t.Fatalf("kept out %v; want %s, below the file 2026/10", res.Quarantined, p)
	}
	rsHasPaths(t, sam, p) // in the commit
	hpGitStatusClean(t, sam)
	st, err := sam.r.Status(context.Background())
	if err != nil || len(st.Quarantined) != 1 || st.Quarantined[0].Path != p {
		t.Fatalf("status lists %v, %v", st.Quarantined, err)
	}
	if edits, err := sam.r.HandEdits(); err != nil || len(edits) != 0 {
		t.Fatalf("hand edits %v, %v; a path kept out is no removal", edits, err)
	}
	if res := sam.sync(); len(res.Quarantined) != 0 {
		t.Fatalf("a later sync names %v again", res.Quarantined)
	}

	// The file goes; the next sync writes the entry.
	if err := os.Remove(filepath.Join(sam.r.Dir, "2026", "10")); err != nil {
		t.Fatal(err)
	}
	sam.sync()
	if got := sam.file(p); got != c {
		t.Fatalf("%s = %q after the file in the way went", p, got)
	}
	if st, _ := sam.r.Status(context.Background()); len(st.Quarantined) != 0 {
		t.Fatalf("status still lists %v", st.Quarantined)
	}
	hpGitStatusClean(t, sam)
	if out := gittest.Git(t, sam.r.Dir, "ls-files", "-v", p); out != "H "+p {
		t.Fatalf("index entry %q; want a plain one", out)
	}
}

// A file of ours where the partner's files go (a tree cannot hold both):
// the folder takes the path, our file goes beside it as a conflict copy;
// nothing is lost and both journals end the same.
func TestMergeFileOfOursWhereTheirFolderGoes(t *testing.T) {
	t.Parallel()
	remote, cs := rsNewRemote(t, "alex", "sam")
	alex, sam := cs[0], cs[1]
	sam.write("2026/10", "sam's notes, in a file\n")
	p, c := rsEntry("alex", "2026-10-05", "checkin", "## Rose\nOctober")
	alex.write(p, c)
	alex.sync()
	res := sam.sync()
	if res.State != StateMerged || len(res.Conflicts) != 1 || !strings.HasPrefix(res.Conflicts[0], "2026/10.conflict-sam-") {
		t.Fatalf("sync = %+v; want a merge with sam's file beside the folder", res)
	}
	if got := sam.file(res.Conflicts[0]); got != "sam's notes, in a file\n" {
		t.Fatalf("the copy holds %q", got)
	}
	if got := sam.file(p); got != c {
		t.Fatalf("%s = %q", p, got)
	}
	alex.sync()
	rsSameTrees(t, alex, sam)
	hpGitStatusClean(t, sam)
	hpGitStatusClean(t, alex)
	gittest.Fsck(t, sam.r.Dir)
	gittest.Fsck(t, remote)
}

// A sync killed after main moved to a commit with paths kept out: the next
// command finishes it, keeps them out, and git status is clean.
func TestQuarantineAfterACrash(t *testing.T) {
	for _, class := range hpClasses() {
		if class.october || len(class.kept) == 0 {
			continue
		}
		t.Run(class.name, func(t *testing.T) {
			t.Parallel()
			s := hpNewSetup(t)
			r, err := s.clone(t)
			if err != nil {
				t.Fatal(err)
			}
			s.sam = &rsClone{t: t, author: "sam", r: r}
			s.remote.push(class.add(s.remote, s.remote.git(nil, "rev-parse", "main^{tree}"), s.marker), "hostile")
			before := hpListing(t, s.base, r.Dir)
			config, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "config"))
			s.sam.crash = func() error { return errors.New("killed") }
			if _, err := s.sam.trySync(); err == nil {
				t.Fatal("the sync was not stopped")
			}
			s.sam.crash = nil
			unlock, err := r.Lock(context.Background()) // finishes the sync
			if err != nil {
				t.Fatal(err)
			}
			unlock()
			s.check(t, before, config)
			s.wantStatus(t, s.sam, true)
			if res := s.sam.sync(); res.State != StateUpToDate {
				t.Fatalf("sync after = %+v", res)
			}
		})
	}
}

// An index entry at a path the gate refuses, not marked to skip (what an
// older reconnect's clone left): the hand-edit scan leaves it alone, never
// looks outside the journal, and syncs go on.
func TestScanIgnoresBadIndexEntries(t *testing.T) {
	_, cs := rsNewRemote(t, "alex", "sam")
	sam := cs[1]
	base := filepath.Dir(sam.r.Dir)
	if err := os.WriteFile(filepath.Join(base, "outside.md"), []byte("not the journal's\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := plumbing.ComputeHash(plumbing.BlobObject, []byte("x"))
	if err := sam.r.updateIndex([]indexUpdate{
		{path: "../outside.md", hash: h, stat: fileStat{mode: uint32(filemode.Regular)}},
		{path: ".git/config", hash: h, stat: fileStat{mode: uint32(filemode.Regular)}},
	}); err != nil {
		t.Fatal(err)
	}
	edits, err := sam.r.HandEdits()
	if err != nil || len(edits) != 0 {
		t.Fatalf("hand edits %v, %v", edits, err)
	}
	p, c := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nstill syncing")
	sam.write(p, c)
	sam.sync()
	if b, err := os.ReadFile(filepath.Join(base, "outside.md")); err != nil || string(b) != "not the journal's\n" {
		t.Fatalf("outside.md = %q, %v", b, err)
	}
}

// A file made by hand at a path the gate refuses is not committed, and not
// read; the rest is.
func TestHandEditAtABadPathIsNotCommitted(t *testing.T) {
	_, cs := rsNewRemote(t, "alex", "sam")
	sam := cs[1]
	dir := filepath.Join(sam.r.Dir, "2026", "11")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"esc\x1b[2J.md", "new\nline.md", "fine.md"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("by hand\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(sam.r.Dir, "bad\x07dir")
	if err := os.MkdirAll(bad, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "x.md"), []byte("by hand\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	edits, err := sam.r.HandEdits()
	if err != nil || len(edits) != 1 || edits[0].Path != "2026/11/fine.md" {
		t.Fatalf("hand edits %v, %v; want only 2026/11/fine.md", edits, err)
	}
	sam.sync()
	rsHasPaths(t, sam, "2026/11/fine.md")
	for _, line := range sam.tree() {
		if strings.Contains(line, "line.md") || strings.Contains(line, "esc") || strings.Contains(line, "dir") {
			t.Fatalf("committed %s", line)
		}
	}
}

// A reconnect write below a file that is only in the work tree (not
// committed) fails with a FolderError that says so.
func TestCommitBelowAnUntrackedFile(t *testing.T) {
	_, cs := rsNewRemote(t, "alex", "sam")
	sam := cs[1]
	os.MkdirAll(filepath.Join(sam.r.Dir, "bucket"), 0o700)
	os.Remove(filepath.Join(sam.r.Dir, "bucket"))
	if err := os.WriteFile(filepath.Join(sam.r.Dir, "bucket"), []byte("a file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	head, _ := sam.r.Head()
	_, err := sam.r.Commit("bucket add: ramen", sam.sig(), Change{Path: "bucket/ramen.md", Data: []byte("x\n")})
	var fe *FolderError
	if !errors.As(err, &fe) || fe.File != "bucket" || fe.Tracked || fe.Path != "bucket/ramen.md" {
		t.Fatalf("Commit = %v; want a FolderError for the untracked file bucket", err)
	}
	if now, _ := sam.r.Head(); now != head {
		t.Fatal("committed")
	}
}
