package sync

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// The tests that hold a git lock file past reconnect's wait (index.lock,
// a folder remote's main.lock) see the same refusal after a fifth of the
// product's wait.
func init() { gitLockWait = gitLockWait / 5 }

// TestIndexLockReleasedWithinTheWait: a git that lets index.lock go while
// reconnect waits for it is waited for, not reported.
func TestIndexLockReleasedWithinTheWait(t *testing.T) {
	t.Parallel()
	r := lwRepo(t)
	lock := filepath.Join(r.gitDir, "index.lock")
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	released := make(chan error, 1)
	go func() {
		time.Sleep(gitLockWait / 4)
		released <- os.Remove(lock)
	}()
	err := r.updateIndex([]indexUpdate{{path: "x.md", hash: plumbing.ComputeHash(plumbing.BlobObject, nil)}})
	if rerr := <-released; rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil {
		t.Fatalf("updateIndex with index.lock released within the wait = %v, want success", err)
	}
	if _, err := os.Stat(lock); err == nil {
		t.Error("index.lock left behind")
	}
}
