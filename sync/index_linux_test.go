package sync

import (
	"os"
	"syscall"
)

// lwSysStat reads the stat fields the os package does not expose straight
// from the system, to check statFile against.
func lwSysStat(fi os.FileInfo) (fileStat, bool) {
	s, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStat{}, false
	}
	return fileStat{
		ctimeSec: uint32(s.Ctim.Sec), ctimeNsec: uint32(s.Ctim.Nsec),
		mtimeSec: uint32(s.Mtim.Sec), mtimeNsec: uint32(s.Mtim.Nsec),
		dev: uint32(s.Dev), ino: uint32(s.Ino), mode: 0o100000 | 0o644,
		uid: s.Uid, gid: s.Gid, size: uint32(s.Size),
	}, true
}
