package sync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// lockFile is the name of the repository lock inside the git folder.
const lockFile = "reconnect.lock"

// lockPoll is how often a waiting process looks at the lock again.
const lockPoll = 20 * time.Millisecond

// lockOwner is what a lock file says about its holder.
type lockOwner struct {
	pid   int
	host  string
	token string // tells apart two holders in one process
}

func (o lockOwner) String() string {
	if o.pid == 0 {
		return "an unknown process"
	}
	return fmt.Sprintf("pid %d on %s", o.pid, o.host)
}

func (o lockOwner) encode() []byte {
	return fmt.Appendf(nil, "pid=%d\nhost=%s\ntoken=%s\n", o.pid, o.host, o.token)
}

func parseLockOwner(b []byte) lockOwner {
	var o lockOwner
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "pid":
			o.pid, _ = strconv.Atoi(v)
		case "host":
			o.host = v
		case "token":
			o.token = v
		}
	}
	return o
}

// Lock takes the repository lock, .git/reconnect.lock, which every write
// to the journal (a commit, a sync) holds. The lock file is created
// exclusively and records the holder's pid and host.
//
// While another process (or another caller in this one) holds the lock,
// Lock polls until ctx is done, then returns an error wrapping [ErrLocked]
// and ctx's error, naming the holder. A lock left by a process that no
// longer runs on this host is stale and is taken over. Without a deadline
// on ctx, Lock waits as long as the lock is held.
//
// unlock releases the lock; calling it again does nothing.
func (r *Repo) Lock(ctx context.Context) (unlock func() error, err error) {
	path := filepath.Join(r.gitDir, lockFile)
	host, _ := os.Hostname()
	var tok [8]byte
	rand.Read(tok[:])
	me := lockOwner{pid: os.Getpid(), host: host, token: hex.EncodeToString(tok[:])}

	var ticker *time.Ticker
	for {
		holder, err := tryLock(path, me)
		if err == nil {
			return lockRelease(path, me), nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if holder.host == host && holder.pid > 0 && holder.pid != me.pid && !processAlive(holder.pid) {
			if err := breakStaleLock(path, holder); err != nil {
				return nil, fmt.Errorf("lock %s: %w", path, err)
			}
			continue
		}
		if ticker == nil {
			ticker = time.NewTicker(lockPoll)
			defer ticker.Stop()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %s holds %s (if no reconnect is running there, delete that file): %w",
				ErrLocked, holder, path, ctx.Err())
		case <-ticker.C:
		}
	}
}

// tryLock creates the lock file for me, or reports who holds it with an
// error wrapping fs.ErrExist.
func tryLock(path string, me lockOwner) (lockOwner, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		b, rerr := os.ReadFile(path)
		if errors.Is(rerr, fs.ErrNotExist) {
			return lockOwner{}, err // released meanwhile: the caller tries again
		}
		return parseLockOwner(b), err
	}
	if err != nil {
		return lockOwner{}, err
	}
	_, werr := f.Write(me.encode())
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(path)
		return lockOwner{}, err
	}
	return me, nil
}

// breakStaleLock removes the lock file of the dead holder. It first moves
// the file aside, so that of two processes breaking the same stale lock at
// once only one removes it, and puts back a live lock it moved by mistake.
func breakStaleLock(path string, holder lockOwner) error {
	aside := fmt.Sprintf("%s.stale-%d", path, os.Getpid())
	if err := os.Rename(path, aside); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // someone else broke it
		}
		return err
	}
	b, err := os.ReadFile(aside)
	if err != nil {
		return err
	}
	if parseLockOwner(b) != holder {
		// A live lock replaced the stale one before the rename: restore it.
		if err := os.Link(aside, path); err != nil {
			return fmt.Errorf("restore a live lock moved aside: %w", err)
		}
	}
	return os.Remove(aside)
}

// lockRelease removes the lock file if it is still me's.
func lockRelease(path string, me lockOwner) func() error {
	done := false
	return func() error {
		if done {
			return nil
		}
		done = true
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("unlock %s: %w", path, err)
		}
		if parseLockOwner(b) != me {
			return fmt.Errorf("unlock %s: the lock was taken over by %s", path, parseLockOwner(b))
		}
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("unlock %s: %w", path, err)
		}
		return nil
	}
}
