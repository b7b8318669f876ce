// Package fsutil writes files the way a journal must: whole or not at all.
//
// [WriteFile] writes to a temporary file in the same folder, syncs it, and
// renames it over the target, so a reader (the partner's editor, a crash, a
// power cut) sees the old file or the new one, never half of either.
package fsutil

import (
	"fmt"
	"os"
	"path/filepath"
)

// Private modes for everything the journal and the config write.
const (
	FileMode os.FileMode = 0o600
	DirMode  os.FileMode = 0o700
)

// WriteFile atomically replaces name with data, creating its parent folders
// with [DirMode]. The file ends up with the given mode.
func WriteFile(name string, data []byte, mode os.FileMode) (err error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, DirMode); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
