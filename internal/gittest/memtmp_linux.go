package gittest

import "syscall"

// tmpfsMagic is the f_type statfs reports for a tmpfs (linux/magic.h).
const tmpfsMagic = 0x01021994

// memoryTempRoot is /dev/shm when it is a tmpfs with at least 2 GiB
// free: a Docker container's default 64 MiB is too small for the
// generated journals, and the suite then stays on the disk.
func memoryTempRoot() (string, bool) {
	const root = "/dev/shm"
	var st syscall.Statfs_t
	if err := syscall.Statfs(root, &st); err != nil || st.Type != tmpfsMagic {
		return "", false
	}
	return root, uint64(st.Bavail)*uint64(st.Bsize) >= 2<<30
}
