package sync

import (
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

func lwSig(minute int) Signature {
	zone := time.FixedZone("", 2*3600)
	return Signature{Name: "sam", Email: "sam@example.com", When: time.Date(2026, 11, 21, 21, minute, 3, 0, zone)}
}

// lwCheckClean checks what git itself says of the journal: nothing to
// commit, nothing staged, a sound object store.
func lwCheckClean(t *testing.T, dir string) {
	t.Helper()
	if out := lwGit(t, dir, nil, "", "status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status --porcelain:\n%s", out)
	}
	if out := lwGit(t, dir, nil, "", "diff", "--cached", "--name-status"); out != "" {
		t.Errorf("git diff --cached:\n%s", out)
	}
	lwGit(t, dir, nil, "", "fsck", "--strict", "--no-dangling")
}

// lwCheckIndexStat checks that the index entry of each path carries the
// file's own stat data, so git has no reason to read the file. Call it
// before any git command: git status rewrites stale entries it verified.
func lwCheckIndexStat(t *testing.T, r *Repo, paths ...string) {
	t.Helper()
	f, err := os.Open(filepath.Join(r.gitDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx := &index.Index{}
	if err := index.NewDecoder(f).Decode(idx); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		e, err := idx.Entry(p)
		if err != nil {
			t.Errorf("index entry %s: %v", p, err)
			continue
		}
		fi, err := os.Lstat(filepath.Join(r.Dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		st, ok := lwSysStat(fi)
		if !ok {
			t.Skip("no system stat data here to compare with")
		}
		got := fileStat{
			uint32(e.CreatedAt.Unix()), uint32(e.CreatedAt.Nanosecond()),
			uint32(e.ModifiedAt.Unix()), uint32(e.ModifiedAt.Nanosecond()),
			e.Dev, e.Inode, uint32(e.Mode), e.UID, e.GID, e.Size,
		}
		if got != st {
			t.Errorf("index entry %s has stat %+v, the file %+v", p, got, st)
		}
	}
}

func TestCommitAgainstGit(t *testing.T) {
	t.Parallel()
	type commit struct {
		msg     string
		changes []Change
		gone    []string // paths that must not exist afterwards, in HEAD or on disk
	}
	put := func(p, data string) Change { return Change{Path: p, Data: []byte(data)} }
	del := func(p string) Change { return Change{Path: p, Delete: true} }
	tests := []struct {
		name    string
		init    []Change
		commits []commit
	}{
		{"one new entry", []Change{put("README.md", "# journal\n")}, []commit{
			{"checkin: sam 2026-11-21", []Change{put("2026/11/2026-11-21-checkin-sam.md", "---\nkind: checkin\n---\n")}, nil},
		}},
		{"unborn first commit is empty", nil, []commit{
			{"first entry", []Change{put("a.md", "a\n")}, nil},
		}},
		{"deep path", []Change{put("README.md", "r\n")}, []commit{
			{"deep", []Change{put("a/b/c/d/e/f/g.md", "deep\n")}, nil},
			{"deeper sibling", []Change{put("a/b/c/x.md", "x\n")}, nil},
		}},
		{"several files in one commit", []Change{put("README.md", "r\n")}, []commit{
			{"many", []Change{
				put("2026/11/2026-11-21-checkin-sam.md", "s\n"), put("2026/11/2026-11-21-checkin-alex.md", "a\n"),
				put("bucket/ramen.md", "ramen\n"), put("2025/01/2025-01-01-thanks-sam-101010.md", "t\n"),
			}, nil},
		}},
		{"delete removes empty folders", []Change{put("keep.md", "k\n"), put("2026/11/x.md", "x\n")}, []commit{
			{"delete x", []Change{del("2026/11/x.md")}, []string{"2026/11/x.md", "2026/11", "2026"}},
		}},
		{"delete one of two keeps the folder", []Change{put("2026/11/x.md", "x\n"), put("2026/11/y.md", "y\n")}, []commit{
			{"delete x", []Change{del("2026/11/x.md")}, []string{"2026/11/x.md"}},
		}},
		{"edit then delete and add", []Change{put("bucket/ramen.md", "1\n")}, []commit{
			{"edit", []Change{put("bucket/ramen.md", "2\n")}, nil},
			{"swap", []Change{del("bucket/ramen.md"), put("bucket/sea.md", "sea\n")}, []string{"bucket/ramen.md"}},
		}},
		{"folder and file names in git's order", []Change{put("a.md", "1\n")}, []commit{
			{"folder a", []Change{put("a/x.md", "2\n")}, nil},
			{"folder a-b", []Change{put("a-b/y.md", "3\n"), put("a0", "4\n"), put("a/a.md", "5\n")}, nil},
			{"delete folder a", []Change{del("a/x.md"), del("a/a.md")}, []string{"a"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "journal")
			r, err := Init(dir, lwSig(0), "init", tt.init...)
			if err != nil {
				t.Fatal(err)
			}
			lwCheckClean(t, dir)
			if got := lwGit(t, dir, nil, "", "symbolic-ref", "HEAD"); got != "refs/heads/main" {
				t.Errorf("HEAD -> %s, want refs/heads/main", got)
			}
			want := map[string]string{}
			for _, c := range tt.init {
				want[c.Path] = string(c.Data)
			}
			for i, c := range tt.commits {
				before, _ := r.Head()
				h, err := r.Commit(c.msg, lwSig(i+1), c.changes...)
				if err != nil {
					t.Fatalf("commit %q: %v", c.msg, err)
				}
				if got := lwGit(t, dir, nil, "", "rev-parse", "HEAD"); got != h.String() {
					t.Fatalf("HEAD is %s, Commit returned %s", got, h)
				}
				if got := lwGit(t, dir, nil, "", "rev-parse", "HEAD~1"); got != before.String() {
					t.Errorf("parent %s, want %s", got, before)
				}
				if got := lwGit(t, dir, nil, "", "log", "-1", "--format=%s|%an <%ae>|%cn|%aI"); got != c.msg+"|sam <sam@example.com>|sam|"+lwSig(i+1).When.Format(time.RFC3339) {
					t.Errorf("git log: %q", got)
				}
				var paths []string
				for _, ch := range c.changes {
					if ch.Delete {
						delete(want, ch.Path)
					} else {
						want[ch.Path] = string(ch.Data)
						paths = append(paths, ch.Path)
					}
				}
				lwCheckIndexStat(t, r, paths...) // first: git status refreshes the index
				lwCheckClean(t, dir)
				for p, data := range want {
					if got := lwGit(t, dir, nil, "", "show", "HEAD:"+p); got != strings.TrimSpace(data) {
						t.Errorf("git show HEAD:%s = %q, want %q", p, got, data)
					}
					fi, err := os.Stat(filepath.Join(dir, p))
					if err != nil || fi.Mode().Perm() != 0o600 {
						t.Errorf("%s on disk: %v, %v; want mode 0600", p, fi, err)
					}
				}
				for _, p := range c.gone {
					if _, err := os.Lstat(filepath.Join(dir, p)); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("%s still on disk (%v)", p, err)
					}
					if lwGitOK(dir, "cat-file", "-e", "HEAD:"+p) {
						t.Errorf("%s still in HEAD", p)
					}
				}
			}
			if got := lwGit(t, dir, nil, "", "ls-tree", "-r", "--name-only", "HEAD"); got != strings.Join(slices.Sorted(maps.Keys(want)), "\n") {
				t.Errorf("HEAD holds:\n%s\nwant %v", got, slices.Sorted(maps.Keys(want)))
			}
		})
	}
}

func lwGitOK(dir string, args ...string) bool {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	return cmd.Run() == nil
}

func TestCommitNoChange(t *testing.T) {
	dir := t.TempDir()
	r, err := Init(dir, lwSig(0), "init", Change{Path: "a/b.md", Data: []byte("b\n")})
	if err != nil {
		t.Fatal(err)
	}
	head, _ := r.Head()
	for _, changes := range [][]Change{
		{{Path: "a/b.md", Data: []byte("b\n")}},
		{{Path: "nope.md", Delete: true}},
		{},
	} {
		h, err := r.Commit("again", lwSig(1), changes...)
		if !errors.Is(err, ErrNoChange) || !h.IsZero() {
			t.Errorf("Commit(%v) = %s, %v; want ErrNoChange", changes, h, err)
		}
		if now, _ := r.Head(); now != head {
			t.Errorf("HEAD moved to %s", now)
		}
		lwCheckClean(t, dir)
	}
}

func TestCommitRefuses(t *testing.T) {
	dir := t.TempDir()
	r, err := Init(dir, lwSig(0), "init", Change{Path: "a.md", Data: []byte("a\n")})
	if err != nil {
		t.Fatal(err)
	}
	head, _ := r.Head()
	tests := []struct {
		name    string
		sig     Signature
		changes []Change
		want    error
	}{
		{"escape the work tree", lwSig(1), []Change{{Path: "../x.md", Data: []byte("x")}}, ErrBadPath},
		{"into .git", lwSig(1), []Change{{Path: ".git/config", Data: []byte("x")}}, ErrBadPath},
		{"absolute", lwSig(1), []Change{{Path: "/etc/x", Data: []byte("x")}}, ErrBadPath},
		{"twice", lwSig(1), []Change{{Path: "x.md", Data: []byte("1")}, {Path: "x.md", Data: []byte("2")}}, ErrBadPath},
		{"no name", Signature{Email: "e", When: lwSig(1).When}, []Change{{Path: "x.md", Data: []byte("x")}}, nil},
		{"no time", Signature{Name: "sam", Email: "e"}, []Change{{Path: "x.md", Data: []byte("x")}}, nil},
		{"bad email", Signature{Name: "sam", Email: "a>b", When: lwSig(1).When}, []Change{{Path: "x.md", Data: []byte("x")}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := r.Commit("bad", tt.sig, tt.changes...)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("Commit = %v, want an error (wrapping %v)", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "x.md")); err == nil {
				t.Error("x.md was written")
			}
			if now, _ := r.Head(); now != head {
				t.Error("HEAD moved")
			}
		})
	}
	lwCheckClean(t, dir)
}

func TestCommitNotOnMain(t *testing.T) {
	dir := t.TempDir()
	r, err := Init(dir, lwSig(0), "init", Change{Path: "a.md", Data: []byte("a\n")})
	if err != nil {
		t.Fatal(err)
	}
	lwGit(t, dir, nil, "", "checkout", "-q", "-b", "other")
	if _, err := r.Commit("x", lwSig(1), Change{Path: "x.md", Data: []byte("x")}); !errors.Is(err, ErrNotOnMain) {
		t.Fatalf("Commit on another branch = %v, want ErrNotOnMain", err)
	}
}

func TestMoveMainLostRace(t *testing.T) {
	dir := t.TempDir()
	r, err := Init(dir, lwSig(0), "init", Change{Path: "a.md", Data: []byte("a\n")})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := r.Head()
	second, err := r.Commit("second", lwSig(1), Change{Path: "b.md", Data: []byte("b\n")})
	if err != nil {
		t.Fatal(err)
	}
	// A writer that read HEAD before "second" must not overwrite it.
	err = r.moveMain(first, plumbing.NewHash("1111111111111111111111111111111111111111"), "test")
	if !errors.Is(err, errMoved) {
		t.Fatalf("moveMain from a stale HEAD = %v, want errMoved", err)
	}
	if now, _ := r.Head(); now != second {
		t.Fatalf("HEAD = %s, want %s", now, second)
	}
	if err := r.moveMain(plumbing.ZeroHash, first, "test"); err == nil {
		t.Fatal("moveMain as if unborn succeeded over an existing branch")
	}
}

// TestCommitKeepsGitsIndex commits into a journal whose index real git
// wrote, with cached trees, and checks that git still finds it right:
// write-tree (which trusts the cached trees) must give HEAD's tree.
func TestCommitKeepsGitsIndex(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"2", "3", "4"} {
		t.Run("version "+version, func(t *testing.T) {
			dir := t.TempDir()
			lwGit(t, dir, nil, "", "init", "-q", "-b", "main")
			for _, p := range []string{"2025/01/a.md", "2025/01/b.md", "2025/02/c.md", "2026/11/d.md", "bucket/e.md", "README.md"} {
				name := filepath.Join(dir, p)
				os.MkdirAll(filepath.Dir(name), 0o700)
				if err := os.WriteFile(name, []byte(p+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			lwGit(t, dir, nil, "", "add", ".")
			lwGit(t, dir, nil, "", "update-index", "--index-version", version)
			if version == "3" {
				lwGit(t, dir, nil, "", "update-index", "--skip-worktree", "bucket/e.md")
			}
			lwGit(t, dir, nil, "", "commit", "-q", "-m", "by git")
			lwGit(t, dir, nil, "", "write-tree") // make sure the cache tree is there
			r, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Commit("ours", lwSig(1),
				Change{Path: "2025/01/a.md", Data: []byte("changed\n")},
				Change{Path: "2025/02/c.md", Delete: true},
				Change{Path: "2026/12/new.md", Data: []byte("new\n")})
			if err != nil {
				t.Fatal(err)
			}
			lwCheckClean(t, dir)
			if got, want := lwGit(t, dir, nil, "", "write-tree"), lwGit(t, dir, nil, "", "rev-parse", "HEAD^{tree}"); got != want {
				t.Errorf("git write-tree = %s, HEAD's tree %s", got, want)
			}
			if got := lwGit(t, dir, nil, "", "ls-files", "-v", "bucket/e.md"); version == "3" && got != "S bucket/e.md" {
				t.Errorf("skip-worktree entry became %q", got)
			}
		})
	}
}

func TestInitAndOpen(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "new", "journal")
	r, err := Init(dir, lwSig(0), "init")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("journal folder: %v, %v; want mode 0700", fi, err)
	}
	if got := lwGit(t, dir, nil, "", "rev-parse", "HEAD^{tree}"); got != emptyTree.String() {
		t.Errorf("first commit of no files has tree %s, want the empty tree", got)
	}
	lwCheckClean(t, dir)
	if _, err := Init(dir, lwSig(0), "again"); err == nil {
		t.Error("Init over an existing repository succeeded")
	}
	failed := filepath.Join(parent, "failed")
	if _, err := Init(failed, lwSig(0), "bad", Change{Path: "../escape.md"}); !errors.Is(err, ErrBadPath) {
		t.Errorf("Init with a bad path = %v, want ErrBadPath", err)
	}
	if _, err := os.Stat(filepath.Join(failed, ".git")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Init left .git behind (%v)", err)
	}
	o, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := r.Head()
	h2, err := o.Head()
	if err != nil || h1 != h2 || h1.IsZero() {
		t.Errorf("Head after Open = %s, %v; want %s", h2, err, h1)
	}
	if o.Git() == nil {
		t.Error("Git() is nil")
	}

	_, err = Open(parent)
	if !errors.Is(err, ErrNotRepo) || !strings.Contains(err.Error(), parent) {
		t.Errorf("Open of a plain folder = %v, want ErrNotRepo naming %s", err, parent)
	}
}

func TestHeadUnborn(t *testing.T) {
	dir := t.TempDir()
	lwGit(t, dir, nil, "", "init", "-q", "-b", "main")
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.Head()
	if err != nil || !h.IsZero() {
		t.Fatalf("Head of an unborn branch = %s, %v; want zero, nil", h, err)
	}
	h, err = r.Commit("first", lwSig(0), Change{Path: "x/y.md", Data: []byte("y\n")})
	if err != nil {
		t.Fatal(err)
	}
	if lwGitOK(dir, "rev-parse", "-q", "--verify", "HEAD~1") {
		t.Error("the first commit has a parent")
	}
	lwCheckClean(t, dir)
	if got := lwGit(t, dir, nil, "", "show", "HEAD:x/y.md"); got != "y" {
		t.Errorf("git show = %q", got)
	}
}
