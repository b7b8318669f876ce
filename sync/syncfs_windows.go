//go:build windows

package sync

// syncAll does nothing on Windows, which has no system-wide sync; NTFS
// journals its metadata.
func syncAll() {}
