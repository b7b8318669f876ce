//go:build darwin || freebsd || netbsd

package sync

import (
	"os"
	"syscall"
)

func fillStat(st *fileStat, fi os.FileInfo) {
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		sec, nsec := s.Ctimespec.Unix()
		st.ctimeSec, st.ctimeNsec = uint32(sec), uint32(nsec)
		st.dev, st.ino = uint32(s.Dev), uint32(s.Ino)
		st.uid, st.gid = s.Uid, s.Gid
	}
}
