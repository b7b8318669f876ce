//go:build linux

package journal

import (
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// fdDir is a folder opened once, so that each file is reached by its name
// alone: the kernel walks one path component instead of the whole path.
type fdDir struct {
	path string
	fd   int
}

func openDir(path string) (dirHandle, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		switch err {
		case nil:
			return &fdDir{path: path, fd: fd}, nil
		case unix.EINTR:
			continue
		case unix.ENOTDIR:
			err = errNotDir
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
}

// self is the folder's stat: adding, removing or renaming a file in it
// changes its modification and change times.
func (d *fdDir) self() fileStat {
	var st unix.Stat_t
	if err := unix.Fstat(d.fd, &st); err != nil {
		return fileStat{}
	}
	return fileStat{ino: int64(st.Ino), size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}
}

func (d *fdDir) names() ([]string, error) {
	var names []string
	buf := make([]byte, 16<<10)
	for {
		n, err := unix.ReadDirent(d.fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: d.path, Err: err}
		}
		if n <= 0 {
			return names, nil
		}
		_, _, names = unix.ParseDirent(buf[:n], -1, names)
	}
}

// statMask is what a record's key needs: statx fills only these, so file
// systems can skip the rest.
const statMask = unix.STATX_TYPE | unix.STATX_INO | unix.STATX_SIZE | unix.STATX_MTIME | unix.STATX_CTIME

// stat is the record key of the file name; a symbolic link is not
// followed (it may lead out of the journal): it is not a regular file.
func (d *fdDir) stat(name string) (fileStat, error) {
	var st unix.Statx_t
	var err error
	for {
		if err = unix.Statx(d.fd, name, unix.AT_SYMLINK_NOFOLLOW, statMask, &st); err != unix.EINTR {
			break
		}
	}
	if err == unix.ENOSYS || err == nil && st.Mask&statMask != statMask {
		return d.fstatat(name) // an old kernel, or a file system short of a field
	}
	if err != nil {
		return fileStat{}, &fs.PathError{Op: "stat", Path: filepath.Join(d.path, name), Err: err}
	}
	if uint32(st.Mode)&unix.S_IFMT != unix.S_IFREG {
		return fileStat{}, &fs.PathError{Op: "read", Path: filepath.Join(d.path, name), Err: errNotRegular}
	}
	return fileStat{
		ino:   int64(st.Ino),
		size:  int64(st.Size),
		mtime: st.Mtime.Sec*1e9 + int64(st.Mtime.Nsec),
		ctime: st.Ctime.Sec*1e9 + int64(st.Ctime.Nsec),
	}, nil
}

func (d *fdDir) fstatat(name string) (fileStat, error) {
	var st unix.Stat_t
	var err error
	for {
		if err = unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return fileStat{}, &fs.PathError{Op: "stat", Path: filepath.Join(d.path, name), Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileStat{}, &fs.PathError{Op: "read", Path: filepath.Join(d.path, name), Err: errNotRegular}
	}
	return fileStat{ino: int64(st.Ino), size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}, nil
}

func (d *fdDir) read(name string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		if fd, err = unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_CLOEXEC, 0); err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: filepath.Join(d.path, name), Err: err}
	}
	defer unix.Close(fd)
	return readFd(fd, filepath.Join(d.path, name), buf)
}

func (d *fdDir) close() { unix.Close(d.fd) }
