//go:build !unix

package sync

import "os"

// processAlive reports whether a process with this pid runs on this host.
// On Windows, finding a process opens it, which fails once it has exited.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
