//go:build unix

package sync

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this pid runs on this host.
// A process of another user (EPERM) counts as alive.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
