//go:build unix

package journal

import (
	"io/fs"
	"syscall"
)

// readFileInto reads a whole file into buf (grown as needed) and returns the
// filled part, which is valid until buf is used again. It goes straight to
// open, read and close: os.ReadFile also registers the file with the poller
// and stats it, which doubles the system calls of a listing that is mostly
// system calls.
func readFileInto(name string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	return readFd(fd, name, buf)
}

// readFd reads from fd to its end into buf (grown as needed) and returns
// the filled part; name is for errors.
func readFd(fd int, name string, buf []byte) ([]byte, error) {
	if len(buf) == 0 {
		buf = make([]byte, 8192)
	}
	n := 0
	for {
		if n == len(buf) {
			buf = append(buf, make([]byte, len(buf))...)
		}
		m, err := syscall.Read(fd, buf[n:])
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		case m <= 0:
			return buf[:n], nil
		}
		n += m
	}
}
