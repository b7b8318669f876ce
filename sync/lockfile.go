package sync

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// tmpDirName is the folder inside a git folder (the journal's .git, or a
// bare folder remote) where reconnect writes everything before it is put
// in place: entry files on their way into the work tree, the content of
// git lock files. A killed reconnect leaves its litter there and nowhere
// else, and the next one to take the lock clears it ([sweepTmp]).
const tmpDirName = "reconnect-tmp"

// gitLockWait is how long reconnect waits for a git lock file (index.lock,
// a ref's .lock) that a running git holds, before it names the file. A
// variable only so that the tests of a lock git keeps do not each wait
// the full 3 s (lockwait_test.go).
var gitLockWait = 3 * time.Second

func tmpDir(gitDir string) string { return filepath.Join(gitDir, tmpDirName) }

// errLockHeld: a git lock file (index.lock, a ref's .lock) belongs to
// another program that is still at work, or was left by one that died
// and cannot be told from one at work.
var errLockHeld = errors.New("held by another program")

// lockedReplace replaces target with data by git's lock-file protocol,
// made provable: the data goes first into a twin file in the git folder's
// tmp folder and is synced; the twin is then hard-linked to target.lock,
// which takes the lock exactly as git's exclusive create does; check runs
// while the lock is held (the compare of a compare-and-swap); beforeRename
// (a reflog entry) next; then target.lock is renamed over target and the
// folder synced. A lock file that is the same file as a twin was made by
// reconnect, and once reconnect's own repository lock is free its maker is
// dead: [clearStaleLocks] removes it. A lock file git made is waited for up
// to wait, then named.
//
// Where the file system has no hard links the lock file is created
// exclusively and written in place, as git does.
//
// With durable false the data and the folder are not synced: for git's
// index, a cache that git rebuilds, where a sync of megabytes on every
// write would cost more than it saves.
func lockedReplace(gitDir, target string, data []byte, durable bool, wait time.Duration, check, beforeRename func() error) (err error) {
	lock := target + ".lock"
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	twin, err := writeTwin(gitDir, filepath.Base(target), data, durable)
	if err != nil {
		return err
	}
	defer os.Remove(twin)
	if err := takeLock(twin, lock, data, wait); err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(lock)
		}
	}()
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	if beforeRename != nil {
		if err := beforeRename(); err != nil {
			return err
		}
	}
	if err := os.Rename(lock, target); err != nil {
		return err
	}
	renamed = true
	if durable {
		// The move has happened and cannot be taken back: a folder that
		// will not sync (a rare I/O error) is not a failure to report as
		// "not moved".
		_ = syncDir(filepath.Dir(target))
	}
	return nil
}

// writeTwin writes data (synced if durable) to a new file in gitDir's tmp folder.
func writeTwin(gitDir, base string, data []byte, durable bool) (string, error) {
	dir := tmpDir(gitDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	var tok [6]byte
	rand.Read(tok[:])
	// A short name of its own, whatever base is: a partner's file name
	// of up to 255 bytes must still have a twin the file system takes.
	name := filepath.Join(dir, twinName(base)+"-"+hex.EncodeToString(tok[:]))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	var serr error
	if durable {
		serr = f.Sync()
	}
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// takeLock links twin to lock, waiting up to wait while another program
// holds lock.
func takeLock(twin, lock string, data []byte, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := os.Link(twin, lock)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			err = createLock(lock, data)
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: %s exists: another program (git?) is changing it; if none is running, remove that file",
				errLockHeld, lock)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// createLock is git's own way, for file systems without hard links.
func createLock(lock string, data []byte) error {
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(lock)
		return err
	}
	return nil
}

// gitLocks are the lock files reconnect takes in a git folder.
var gitLocks = []string{"index.lock", "refs/heads/main.lock", "refs/remotes/origin/main.lock"}

// clearStaleLocks removes the lock files in gitDir that a dead reconnect
// left: those that are the same file as a twin in the tmp folder. The
// caller holds reconnect's lock for gitDir, so no live reconnect made
// them. It reports the ones it removed.
func clearStaleLocks(gitDir string) ([]string, error) {
	twins, err := os.ReadDir(tmpDir(gitDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, l := range gitLocks {
		lock := filepath.Join(gitDir, filepath.FromSlash(l))
		li, err := os.Lstat(lock)
		if err != nil {
			continue
		}
		for _, t := range twins {
			ti, err := os.Lstat(filepath.Join(tmpDir(gitDir), t.Name()))
			if err == nil && os.SameFile(li, ti) {
				if err := os.Remove(lock); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return removed, err
				}
				removed = append(removed, l)
				break
			}
		}
	}
	return removed, nil
}

// sweepTmp empties gitDir's tmp folder. The caller holds reconnect's lock
// for gitDir and has run [clearStaleLocks] first.
func sweepTmp(gitDir string) (int, error) {
	dir := tmpDir(gitDir)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// syncFile syncs a file that is already written, by name.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	serr := f.Sync()
	cerr := f.Close()
	return errors.Join(serr, cerr)
}

// writeDurable writes a small record file in the git folder whole, and
// makes its name durable.
func writeDurable(name string, data []byte) error {
	if err := fsutil.WriteFile(name, data, fsutil.FileMode); err != nil {
		return err
	}
	return syncDir(filepath.Dir(name))
}

// twinName is a twin's name stem: base cut to 32 bytes at a rune boundary
// (enough to tell what it is when looking into the tmp folder).
func twinName(base string) string { return cutBytes(base, 32) }
