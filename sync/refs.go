package sync

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// This file is the one way reconnect reads and moves a branch, in the
// journal and in a folder remote alike. go-git's own reference update
// truncates the file and writes it in place, unsynced: a crash in between
// leaves refs/heads/main empty, and an empty branch reads as a new one.
// Here a ref moves only by git's lock-file protocol ([lockedReplace]),
// after the objects it points to are durable, with a reflog entry written
// and synced before the rename, as git keeps one; and a ref that is empty,
// cut short or unreadable is never taken for an unborn branch.

// refPath is where the loose ref name lives in gitDir.
func refPath(gitDir string, name plumbing.ReferenceName) string {
	return filepath.Join(gitDir, filepath.FromSlash(name.String()))
}

// reflogPath is the reflog of name in gitDir.
func reflogPath(gitDir string, name plumbing.ReferenceName) string {
	return filepath.Join(gitDir, "logs", filepath.FromSlash(name.String()))
}

// readRef reads the commit name points at in gitDir: its loose file, or
// else its line in packed-refs. found is false when it is in neither. A
// loose file that does not hold a commit hash (empty, cut short, garbage,
// unreadable) is an error wrapping [ErrBrokenRef] that names the file.
func readRef(gitDir string, name plumbing.ReferenceName) (h plumbing.Hash, found bool, err error) {
	p := refPath(gitDir, name)
	b, err := os.ReadFile(p)
	switch {
	case err == nil:
		s := strings.TrimSpace(string(b))
		if plumbing.IsHash(s) && len(s) == 40 {
			return plumbing.NewHash(s), true, nil
		}
		what := fmt.Sprintf("%d bytes that are not a commit hash", len(b))
		if len(bytes.TrimSpace(b)) == 0 {
			what = "nothing (it is empty)"
		}
		return plumbing.ZeroHash, true, fmt.Errorf("%w: %s holds %s", ErrBrokenRef, p, what)
	case errors.Is(err, fs.ErrNotExist):
		h, err := packedRef(gitDir, name)
		return h, err == nil && !h.IsZero(), err
	default:
		return plumbing.ZeroHash, true, fmt.Errorf("%w: %s: %w", ErrBrokenRef, p, err)
	}
}

// refUpdate is one move of a ref.
type refUpdate struct {
	gitDir   string
	name     plumbing.ReferenceName
	old, new plumbing.Hash // old zero: the ref must not exist yet
	who      object.Signature
	msg      string // the reflog's message
	// fromBroken lets the update replace a broken ref (one that
	// [readRef] refuses) instead of checking it holds old.
	fromBroken bool
	// force moves the ref from wherever it is (old is read, for the
	// reflog); for records such as the remote-tracking branch.
	force bool
}

// updateRef moves a ref from old to new by the lock-file protocol; if it
// is not at old it changes nothing and returns an error wrapping errMoved.
// The caller has made new's objects durable first.
func updateRef(u refUpdate) error {
	data := []byte(u.new.String() + "\n")
	check := func() error {
		cur, found, err := readRef(u.gitDir, u.name)
		if u.fromBroken {
			switch {
			case err != nil && errors.Is(err, ErrBrokenRef), err == nil && !found:
				return nil
			case err != nil:
				return err
			}
			return fmt.Errorf("update %s: it was repaired meanwhile", u.name)
		}
		if err != nil {
			return err
		}
		if u.force {
			u.old = cur
			return nil
		}
		if cur != u.old {
			return fmt.Errorf("update %s: %w (it is at %s, not %s)", u.name, errMoved, short(cur), short(u.old))
		}
		return nil
	}
	log := func() error { return appendReflog(u) }
	if err := lockedReplace(u.gitDir, refPath(u.gitDir, u.name), data, true, gitLockWait, check, log); err != nil {
		if errors.Is(err, errMoved) || errors.Is(err, ErrBrokenRef) {
			return err
		}
		return fmt.Errorf("update %s in %s: %w", u.name, u.gitDir, err)
	}
	return nil
}

// appendReflog appends u's line to the ref's reflog and syncs it, in git's
// format: old new name <email> seconds zone TAB message.
func appendReflog(u refUpdate) error {
	p := reflogPath(u.gitDir, u.name)
	_, statErr := os.Stat(p)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	who := u.who
	if who.Name == "" {
		who = object.Signature{Name: "reconnect", Email: "reconnect@localhost", When: time.Now()}
	}
	msg := strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, u.msg)
	line := fmt.Sprintf("%s %s %s <%s> %d %s\t%s\n", u.old, u.new, who.Name, who.Email,
		who.When.Unix(), who.When.Format("-0700"), msg)
	_, werr := f.WriteString(line)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("write the reflog %s: %w", p, err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		return syncDir(filepath.Dir(p))
	}
	return nil
}

// reflogTargets are the commits a reflog moved its ref to, newest first.
func reflogTargets(gitDir string, name plumbing.ReferenceName) []plumbing.Hash {
	f, err := os.Open(reflogPath(gitDir, name))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []plumbing.Hash
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && len(f[1]) == 40 && plumbing.IsHash(f[1]) {
			if h := plumbing.NewHash(f[1]); !h.IsZero() {
				out = append(out, h)
			}
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// hasReflog reports whether name's reflog records any move.
func hasReflog(gitDir string, name plumbing.ReferenceName) bool {
	fi, err := os.Stat(reflogPath(gitDir, name))
	return err == nil && fi.Size() > 0
}

// whole reports whether commit h and its tree can be read from s.
func whole(s storer.EncodedObjectStorer, h plumbing.Hash) bool {
	c, err := object.GetCommit(s, h)
	if err != nil {
		return false
	}
	_, err = c.Tree()
	return err == nil
}

// mainState reads main for [Repo.Head]: the commit, or zero while the
// branch is truly unborn (no file, no packed line, no reflog). A main that
// is missing while its reflog says it existed is as broken as an empty one.
func (r *Repo) mainState() (plumbing.Hash, error) {
	h, found, err := readRef(r.gitDir, Branch)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if !found && hasReflog(r.gitDir, Branch) {
		return plumbing.ZeroHash, fmt.Errorf("%w: %s is missing, but its reflog shows it had commits",
			ErrBrokenRef, refPath(r.gitDir, Branch))
	}
	return h, nil
}

// repairRefs puts back a ref that a crash (or a hand) broke, from its
// reflog or, for main, the remote-tracking branch: the newest commit there
// that is whole. It says what it did through [Repo.Notify]. Where nothing
// records where main was, it returns an error wrapping [ErrBrokenRef] that
// names the file and the command that repairs it. A broken
// remote-tracking ref with nothing to restore it from is removed: the
// next fetch records it again.
func (r *Repo) repairRefs() error {
	for _, name := range []plumbing.ReferenceName{Branch, trackingRef} {
		var err error
		if name == Branch {
			_, err = r.mainState()
		} else {
			_, _, err = readRef(r.gitDir, name)
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrBrokenRef) {
			return err
		}
		type candidate struct {
			h    plumbing.Hash
			from string
		}
		var candidates []candidate
		for _, h := range reflogTargets(r.gitDir, name) {
			candidates = append(candidates, candidate{h, "its reflog"})
		}
		if name == Branch {
			if h, ok, terr := readRef(r.gitDir, trackingRef); terr == nil && ok {
				candidates = append(candidates, candidate{h, "the remote's branch as last synced"})
			}
		}
		restored := false
		for _, c := range candidates {
			if !whole(r.objs, c.h) {
				continue
			}
			u := refUpdate{gitDir: r.gitDir, name: name, new: c.h, fromBroken: true,
				msg: "reconnect: restored after a crash from " + c.from}
			if uerr := updateRef(u); uerr != nil {
				return uerr
			}
			r.notify(fmt.Sprintf("%s was damaged (%s); restored it to %s from %s",
				name, brokenWhy(err), short(c.h), c.from))
			restored = true
			break
		}
		if restored {
			continue
		}
		if name == trackingRef {
			os.Remove(refPath(r.gitDir, name))
			continue
		}
		return fmt.Errorf("%w\nnothing records where the branch was; run 'reconnect repair' to point it at the newest history in %s",
			err, r.Dir)
	}
	return nil
}

// brokenWhy is the end of a broken-ref error: what the file holds.
func brokenWhy(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, " holds "); i >= 0 {
		return "it held " + s[i+len(" holds "):]
	}
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
