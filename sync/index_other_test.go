//go:build !linux

package sync

import "os"

func lwSysStat(fi os.FileInfo) (fileStat, bool) { return fileStat{}, false }
