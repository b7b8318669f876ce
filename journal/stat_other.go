//go:build !unix

package journal

import (
	"io/fs"
	"os"
)

// statFile is the stat a record of the file at p is keyed by: its size
// and modification time only, where the file system gives no inode or
// change time.
func statFile(p string) (fileStat, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return fileStat{}, err
	}
	if !fi.Mode().IsRegular() {
		return fileStat{}, &fs.PathError{Op: "read", Path: p, Err: errNotRegular}
	}
	return fileStat{size: fi.Size(), mtime: fi.ModTime().UnixNano()}, nil
}
