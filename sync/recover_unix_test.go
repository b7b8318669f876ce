//go:build unix

package sync

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

// TestFolderRemoteHungMount: a folder remote whose reads block in the
// kernel (a FIFO where main's file is stands in for a mount that hangs)
// still ends the sync at the context's deadline, as offline.
func TestFolderRemoteHungMount(t *testing.T) {
	t.Parallel()
	remote, clones := rsNewRemote(t, "sam")
	sam := clones[0]
	ref := refPath(remote, Branch)
	os.Remove(ref)
	if err := syscall.Mkfifo(ref, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	t.Cleanup(func() {
		// Let the abandoned reader go: open the FIFO for writing once.
		if f, err := os.OpenFile(ref, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := sam.r.Sync(ctx, sam.opts())
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrOffline) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Sync against a hung folder = %v, want ErrOffline and DeadlineExceeded", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Sync against a hung folder did not end at its deadline")
	}
}
