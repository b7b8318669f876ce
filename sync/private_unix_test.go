//go:build unix

package sync

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs the test under umask, the usual 022 of a desktop, and
// restores the old one. The umask is the process's: not for parallel tests.
func withUmask(t *testing.T, umask int) {
	t.Helper()
	old := syscall.Umask(umask)
	t.Cleanup(func() { syscall.Umask(old) })
}

// openToOthers lists what in root anyone but its owner may read, write or
// enter: `find root -perm /077`.
func openToOthers(t *testing.T, root string) []string {
	t.Helper()
	var open []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			rel, _ := filepath.Rel(root, p)
			open = append(open, rel+" "+fi.Mode().Perm().String())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return open
}

func wantMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s is %v, want %v", path, got, want)
	}
}

// A journal is private whatever the umask: made in a folder that already
// existed with 0755, .git and all that go-git put in it are closed to
// others right after Init.
func TestInitIsPrivateWhateverTheUmask(t *testing.T) {
	withUmask(t, 0o022)
	dir := filepath.Join(t.TempDir(), "journal")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, 0o755)
	c := &rsClone{t: t, author: "sam"}
	r, err := Init(dir, c.sig(), "init: journal", Change{Path: "README.md", Data: []byte("# Our journal\n")})
	if err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, 0o700)
	wantMode(t, filepath.Join(dir, ".git"), 0o700)
	if open := openToOthers(t, dir); len(open) > 0 {
		t.Errorf("open to others after init: %v", open)
	}

	// A hand opens the folders again; the next writer's MakePrivate
	// closes them.
	for _, p := range []string{dir, filepath.Join(dir, ".git")} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.MakePrivate(); err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, 0o700)
	wantMode(t, filepath.Join(dir, ".git"), 0o700)
}

// A clone into a folder that already existed, then MakeAllPrivate as join
// does: nothing in the journal open to others. A folder remote that a
// first sync creates is 0700 with everything in it private.
func TestCloneAndFolderRemoteArePrivate(t *testing.T) {
	withUmask(t, 0o022)
	remote := filepath.Join(t.TempDir(), "remote.git")
	sam := rsInit(t, "sam")
	if err := sam.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	sam.write(rsEntry("sam", "2026-11-21", "checkin", "a first entry"))
	if res := sam.sync(); res.State != StatePushed {
		t.Fatalf("first push: %q", res.State)
	}
	// The folder is closed, and what create made in it is private; the
	// objects the push wrote later have go-git's modes, out of reach
	// inside the closed folder.
	wantMode(t, remote, 0o700)
	for _, name := range []string{"HEAD", "config"} {
		wantMode(t, filepath.Join(remote, name), 0o600)
	}
	for _, name := range []string{"objects", "refs", "refs/heads"} {
		wantMode(t, filepath.Join(remote, name), 0o700)
	}

	dir := filepath.Join(t.TempDir(), "alex")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := Clone(context.Background(), remote, dir, Auth{})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.MakeAllPrivate(); err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, 0o700)
	if open := openToOthers(t, dir); len(open) > 0 {
		t.Errorf("open to others after clone: %v", open)
	}
}
