package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func lwRepo(t *testing.T) *Repo {
	t.Helper()
	r, err := Init(t.TempDir(), lwSig(0), "init")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLockTwoHolders(t *testing.T) {
	r := lwRepo(t)
	unlock, err := r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(r.gitDir, lockFile)
	b, err := os.ReadFile(lockPath)
	if err != nil || !strings.Contains(string(b), "pid="+strconv.Itoa(os.Getpid())+"\n") {
		t.Fatalf("lock file holds %q, %v; want our pid", b, err)
	}

	// A second holder gives up when its context ends, saying who holds it.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = r.Lock(ctx)
	if !errors.Is(err, ErrLocked) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Lock = %v, want ErrLocked and DeadlineExceeded", err)
	}
	if host, _ := os.Hostname(); !strings.Contains(err.Error(), fmt.Sprintf("pid %d on %s", os.Getpid(), host)) {
		t.Errorf("error does not name the holder: %v", err)
	}

	// A waiting holder gets the lock once the first lets go.
	got := make(chan error, 1)
	go func() {
		unlock2, err := r.Lock(context.Background())
		if err == nil {
			err = unlock2()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("second Lock returned while the lock was held: %v", err)
	default:
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatalf("waiting Lock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Errorf("second unlock: %v", err)
	}
	if _, err := os.Stat(lockPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left behind: %v", err)
	}
}

func TestLockStale(t *testing.T) {
	host, _ := os.Hostname()
	dead := lwDeadPid(t)
	tests := []struct {
		name     string
		content  string
		takeOver bool
	}{
		{"dead pid on this host", fmt.Sprintf("pid=%d\nhost=%s\ntoken=x\n", dead, host), true},
		{"dead pid on another host", fmt.Sprintf("pid=%d\nhost=%s-elsewhere\ntoken=x\n", dead, host), false},
		{"live pid on this host", fmt.Sprintf("pid=%d\nhost=%s\ntoken=x\n", os.Getppid(), host), false},
		{"unreadable", "garbage", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := lwRepo(t)
			lockPath := filepath.Join(r.gitDir, lockFile)
			if err := os.WriteFile(lockPath, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			unlock, err := r.Lock(ctx)
			if !tt.takeOver {
				if !errors.Is(err, ErrLocked) {
					t.Fatalf("Lock = %v, want ErrLocked", err)
				}
				if b, _ := os.ReadFile(lockPath); string(b) != tt.content {
					t.Errorf("lock file changed to %q", b)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lock over a stale lock: %v", err)
			}
			if b, _ := os.ReadFile(lockPath); !strings.Contains(string(b), "pid="+strconv.Itoa(os.Getpid())+"\n") {
				t.Errorf("lock file holds %q after take-over", b)
			}
			if left, _ := filepath.Glob(lockPath + ".stale-*"); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
			if err := unlock(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnlockAfterTakeOver(t *testing.T) {
	r := lwRepo(t)
	unlock, err := r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(r.gitDir, lockFile)
	other := []byte("pid=1\nhost=elsewhere\ntoken=y\n")
	if err := os.WriteFile(lockPath, other, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := unlock(); err == nil {
		t.Fatal("unlock removed a lock that is no longer ours")
	}
	if b, _ := os.ReadFile(lockPath); string(b) != string(other) {
		t.Errorf("the other holder's lock became %q", b)
	}
}

// lwDeadPid is the pid of a process that has exited.
func lwDeadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	return cmd.Process.Pid
}

func TestLockExcludes(t *testing.T) {
	r := lwRepo(t)
	var inside, overlaps atomic.Int32
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			for range 20 {
				unlock, err := r.Lock(context.Background())
				if err != nil {
					errs <- err
					return
				}
				if inside.Add(1) != 1 {
					overlaps.Add(1)
				}
				inside.Add(-1)
				if err := unlock(); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := overlaps.Load(); n > 0 {
		t.Fatalf("%d times two holders were inside at once", n)
	}
}
