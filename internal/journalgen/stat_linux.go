package journalgen

import (
	"os"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// fillSys sets the stat data git checks that os.FileInfo does not carry.
func fillSys(e *index.Entry, fi os.FileInfo) {
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		e.CreatedAt = time.Unix(s.Ctim.Unix())
		e.Dev, e.Inode = uint32(s.Dev), uint32(s.Ino)
		e.UID, e.GID = s.Uid, s.Gid
	}
}
