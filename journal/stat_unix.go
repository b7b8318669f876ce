//go:build unix && !linux

package journal

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// statFile is the stat a record of the file at p is keyed by. Its inode
// and change time are what show a file written in place with its size and
// modification time put back, or another file renamed over it.
func statFile(p string) (fileStat, error) {
	var st unix.Stat_t
	var err error
	for {
		if err = unix.Lstat(p, &st); err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return fileStat{}, &fs.PathError{Op: "stat", Path: p, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileStat{}, &fs.PathError{Op: "read", Path: p, Err: errNotRegular}
	}
	return fileStat{ino: int64(st.Ino), size: int64(st.Size), mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}, nil
}
