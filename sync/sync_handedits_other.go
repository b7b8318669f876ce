//go:build !linux && !darwin

package sync

import (
	"os"
	"path/filepath"
)

// statAt stats name in the open folder dir without following a link.
func statAt(dir *os.File, name string) (fileInfo, error) {
	fi, err := os.Lstat(filepath.Join(dir.Name(), name))
	if err != nil {
		return fileInfo{}, err
	}
	var st fileStat
	fillStat(&st, fi)
	return fileInfo{
		mtime:   fi.ModTime().UnixNano(),
		size:    fi.Size(),
		ino:     uint64(st.ino),
		isDir:   fi.IsDir(),
		regular: fi.Mode().IsRegular(),
	}, nil
}
