package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
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
}

// TestLockStaleFile: whatever a lock file holds, it locks nothing once
// its process is gone: an ownerless one (a kill between create and write),
// garbage, another host's record, a dead pid's.
func TestLockStaleFile(t *testing.T) {
	host, _ := os.Hostname()
	for name, content := range map[string]string{
		"empty":                    "",
		"garbage":                  "garbage",
		"dead pid on another host": fmt.Sprintf("pid=%d\nhost=%s-elsewhere\n", lwDeadPid(t), host),
		"live pid on this host":    fmt.Sprintf("pid=%d\nhost=%s\n", os.Getppid(), host),
	} {
		t.Run(name, func(t *testing.T) {
			r := lwRepo(t)
			lockPath := filepath.Join(r.gitDir, lockFile)
			if err := os.WriteFile(lockPath, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			unlock, err := r.Lock(ctx)
			if err != nil {
				t.Fatalf("Lock over a lock file no process holds: %v", err)
			}
			if b, _ := os.ReadFile(lockPath); !strings.Contains(string(b), "pid="+strconv.Itoa(os.Getpid())+"\n") {
				t.Errorf("lock file holds %q once taken", b)
			}
			if err := unlock(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestLockDiesWithProcess: a process that holds the lock and is killed
// leaves it free at once. The holder is this test binary run again.
func TestLockDiesWithProcess(t *testing.T) {
	if dir := os.Getenv("RECONNECT_TEST_HOLD_LOCK"); dir != "" {
		r, err := Open(dir)
		if err != nil {
			os.Exit(3)
		}
		if _, err := r.Lock(context.Background()); err != nil {
			os.Exit(4)
		}
		fmt.Println("locked")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	t.Parallel()
	r := lwRepo(t)
	holder := exec.Command(os.Args[0], "-test.run=^TestLockDiesWithProcess$")
	holder.Env = append(os.Environ(), "RECONNECT_TEST_HOLD_LOCK="+r.Dir)
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := io.ReadFull(out, buf); err != nil || string(buf) != "locked" {
		t.Fatalf("holder said %q, %v", buf, err)
	}
	// While it lives, the lock is its, and the message names it.
	var told []string
	r.Notify = func(m string) { told = append(told, m) }
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err = r.Lock(ctx)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", holder.Process.Pid)) {
		t.Fatalf("Lock while another process holds it = %v, want ErrLocked naming pid %d", err, holder.Process.Pid)
	}
	if len(told) != 1 || !strings.Contains(told[0], "waiting for pid "+strconv.Itoa(holder.Process.Pid)) {
		t.Errorf("after a second of waiting it said %q, want one line naming the holder", told)
	}
	// Without a deadline of its own, the wait still ends, with exit 1's
	// error and no context error.
	r.lockGiveUp = 300 * time.Millisecond
	_, err = r.Lock(context.Background())
	if !errors.Is(err, ErrLocked) || errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "still holds") {
		t.Fatalf("Lock with no deadline while held = %v, want ErrLocked after the bound", err)
	}
	holder.Process.Kill()
	holder.Wait()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	unlock, err := r.Lock(ctx)
	if err != nil {
		t.Fatalf("Lock after its holder was killed: %v", err)
	}
	unlock()
}

func TestLockExcludes(t *testing.T) {
	t.Parallel()
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

// lwDeadPid is the pid of a process that has exited.
func lwDeadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	return cmd.Process.Pid
}
