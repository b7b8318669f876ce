//go:build unix && !linux

package sync

import "syscall"

func syncAll() { syscall.Sync() }
