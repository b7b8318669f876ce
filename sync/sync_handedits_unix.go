//go:build linux || darwin

package sync

import (
	"os"

	"golang.org/x/sys/unix"
)

// statAt stats name in the open folder dir without following a link,
// relative to the folder, so the kernel resolves one name instead of the
// whole path: most of a hand-edit scan is these calls.
func statAt(dir *os.File, name string) (fileInfo, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstatat(int(dir.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fileInfo{}, &os.PathError{Op: "fstatat", Path: name, Err: err}
		}
		break
	}
	sec, nsec := st.Mtim.Unix()
	return fileInfo{
		mtime:   sec*1e9 + nsec,
		size:    st.Size,
		ino:     uint64(st.Ino),
		isDir:   st.Mode&unix.S_IFMT == unix.S_IFDIR,
		regular: st.Mode&unix.S_IFMT == unix.S_IFREG,
	}, nil
}
