//go:build windows

package sync

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// The locked range lies far past the owner record, so that a waiting
// process can still read who holds the lock.
const lockOffset = 1 << 30

// tryFlock takes an exclusive LockFileEx lock on f without waiting: false
// (and no error) while another handle holds it.
func tryFlock(f *os.File) (bool, error) {
	ol := &windows.Overlapped{Offset: lockOffset}
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return false, nil
	}
	return err == nil, err
}

func unflock(f *os.File) error {
	ol := &windows.Overlapped{Offset: lockOffset}
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}
