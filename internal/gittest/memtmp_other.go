//go:build !linux

package gittest

// memoryTempRoot: only Linux is known to have a tmpfs at /dev/shm.
func memoryTempRoot() (string, bool) { return "", false }
