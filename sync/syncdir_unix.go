//go:build !windows

package sync

// syncDir makes the names in a folder durable: a file created or renamed
// into it survives a power cut once this returns.
func syncDir(dir string) error { return syncFile(dir) }
