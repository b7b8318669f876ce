//go:build windows

package sync

import (
	"os"
	"syscall"
)

// fillStat uses the creation time as the change time, as Git for Windows
// does; it has no inode, device or owner.
func fillStat(st *fileStat, fi os.FileInfo) {
	if d, ok := fi.Sys().(*syscall.Win32FileAttributeData); ok {
		ns := d.CreationTime.Nanoseconds()
		st.ctimeSec, st.ctimeNsec = uint32(ns/1e9), uint32(ns%1e9)
	}
}
