//go:build !linux

package journal

import (
	"io/fs"
	"os"
	"path/filepath"
)

// pathDir reaches each file by its whole path.
type pathDir struct{ path string }

func openDir(path string) (dirHandle, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errNotDir}
	}
	return pathDir{path}, nil
}

// self is zero: without a change time, a folder's times can be set back,
// so its listing is read every time.
func (pathDir) self() fileStat { return fileStat{} }

func (d pathDir) names() ([]string, error) { return readDirNames(d.path) }

func (d pathDir) stat(name string) (fileStat, error) { return statFile(filepath.Join(d.path, name)) }

func (d pathDir) read(name string, buf []byte) ([]byte, error) {
	return readFileInto(filepath.Join(d.path, name), buf)
}

func (pathDir) close() {}
