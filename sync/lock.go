package sync

import (
	"context"
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

const (
	// lockPoll is how often a waiting process tries the lock again.
	lockPoll = 20 * time.Millisecond
	// lockTell is how long a process waits in silence before it says who
	// holds the lock.
	lockTell = time.Second
	// lockGiveUp bounds the wait when the context has no earlier deadline:
	// nothing waits forever.
	lockGiveUp = 30 * time.Second
)

// lockOwner is what the lock file says about its holder.
type lockOwner struct {
	pid     int
	host    string
	command string
	since   time.Time
}

func (o lockOwner) String() string {
	if o.pid == 0 {
		return "another reconnect"
	}
	s := fmt.Sprintf("pid %d on %s", o.pid, o.host)
	var extra []string
	if o.command != "" {
		extra = append(extra, o.command)
	}
	if !o.since.IsZero() {
		extra = append(extra, "since "+o.since.Local().Format("15:04:05"))
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

func (o lockOwner) encode() []byte {
	return fmt.Appendf(nil, "pid=%d\nhost=%s\ncommand=%s\nsince=%s\n",
		o.pid, o.host, o.command, o.since.UTC().Format(time.RFC3339))
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
		case "command":
			o.command = v
		case "since":
			o.since, _ = time.Parse(time.RFC3339, v)
		}
	}
	return o
}

// commandLine names this process for another that waits on it: the
// program and its command words, never its arguments' text.
func commandLine() string {
	words := []string{filepath.Base(os.Args[0])}
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-") || len(words) == 3 {
			break
		}
		words = append(words, a)
	}
	s := strings.Join(words, " ")
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// Lock takes the repository lock, .git/reconnect.lock, which every write
// to the journal (a commit, a sync) holds. It is an OS lock on that file
// (flock, LockFileEx): it dies with its process, so a crash never leaves
// the journal locked. The file itself stays; it records the holder's pid,
// host, command and start, for the message of a process that waits.
//
// While another process (or another caller in this one) holds the lock,
// Lock tries again every few milliseconds. After a second it says once,
// through [Repo.Notify], who holds it and that it waits; it gives up when
// ctx is done or after 30 seconds, whichever is first, with an error
// wrapping [ErrLocked] that names the holder (and ctx's error when that
// ended the wait).
//
// Once it holds the lock, Lock puts right what a killed process left (see
// [Repo.recover]): its temporary files, its git lock files, a branch cut
// short, a sync whose files were not all written.
//
// unlock releases the lock; calling it again does nothing.
func (r *Repo) Lock(ctx context.Context) (unlock func() error, err error) {
	unlock, err = r.lockOnly(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.recover(); err != nil {
		unlock()
		return nil, err
	}
	return unlock, nil
}

// lockOnly takes the lock as [Repo.Lock] does, without the recovery.
func (r *Repo) lockOnly(ctx context.Context) (unlock func() error, err error) {
	return takeFlock(ctx, filepath.Join(r.gitDir, lockFile), "the journal", r.notify, r.lockGiveUp)
}

// takeFlock takes the OS lock on the file at path (created if missing),
// waiting as [Repo.Lock] describes; tell hears the one "waiting for" line,
// which names what the holder is using.
func takeFlock(ctx context.Context, path, what string, tell func(string), limit time.Duration) (unlock func() error, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrPermission) {
		f, err = os.Open(path) // another user's lock file: a lock needs no write
	}
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if tell == nil {
		tell = func(string) {}
	}
	host, _ := os.Hostname()
	me := lockOwner{pid: os.Getpid(), host: host, command: commandLine(), since: time.Now()}
	start := time.Now()
	if limit <= 0 {
		limit = lockGiveUp
	}
	giveUp := time.NewTimer(limit)
	defer giveUp.Stop()
	var ticker *time.Ticker
	told := false
	for {
		ok, err := tryFlock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			break
		}
		holder := lockOwner{}
		if b, err := os.ReadFile(path); err == nil {
			holder = parseLockOwner(b)
		}
		if !told && time.Since(start) >= lockTell {
			told = true
			tell(fmt.Sprintf("waiting for %s to finish with %s…", holder, what))
		}
		if ticker == nil {
			ticker = time.NewTicker(lockPoll)
			defer ticker.Stop()
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("%w: %s holds %s: %w", ErrLocked, holder, path, ctx.Err())
		case <-giveUp.C:
			f.Close()
			return nil, fmt.Errorf("%w: %s still holds %s after %s; try again once it has finished",
				ErrLocked, holder, path, limit)
		case <-ticker.C:
		}
	}
	// The owner record is for others' messages only: a torn one costs
	// nothing but a vaguer "waiting for" line.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(me.encode(), 0)
	}
	done := false
	return func() error {
		if done {
			return nil
		}
		done = true
		uerr := unflock(f)
		cerr := f.Close()
		if err := errors.Join(uerr, cerr); err != nil {
			return fmt.Errorf("unlock %s: %w", path, err)
		}
		return nil
	}, nil
}

// notify passes a one-line message to the caller, if it listens.
func (r *Repo) notify(msg string) {
	if r.Notify != nil {
		r.Notify(msg)
	}
}
