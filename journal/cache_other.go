//go:build !linux

package journal

import (
	"io/fs"
	"os"
	"path/filepath"
)

// pathDir reaches each file by its whole path.
type pathDir struct{ path string }

func openDir(path string) dirHandle { return pathDir{path} }

func (d pathDir) stat(name string) (fileStat, error) {
	p := filepath.Join(d.path, name)
	fi, err := os.Stat(p)
	if err != nil {
		return fileStat{}, err
	}
	if !fi.Mode().IsRegular() {
		return fileStat{}, &fs.PathError{Op: "read", Path: p, Err: errNotRegular}
	}
	return fileStat{size: fi.Size(), mtime: fi.ModTime().UnixNano()}, nil
}

func (d pathDir) read(name string, buf []byte) ([]byte, error) {
	return readFileInto(filepath.Join(d.path, name), buf)
}

func (pathDir) close() {}
