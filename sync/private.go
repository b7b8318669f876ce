package sync

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// A journal is private on disk whatever the umask: the work tree's folder
// and the git folder are 0700, so nothing in them can be reached by another
// user, and what reconnect writes itself is 0600 (files) and 0700
// (folders). go-git creates the git folder's own files with its modes
// (0644, 0755 under a umask of 022); those made by init and clone are made
// private at once, and those it makes later, inside a git folder of 0700,
// are out of other users' reach all the same.

// MakePrivate makes the journal's folder and its git folder 0700 when
// either lets anyone else in: a folder that existed before the journal did
// keeps the mode it had, and a hand may have opened one since. Writers call
// it each time they open the journal. It changes only those two folders.
func (r *Repo) MakePrivate() error {
	var errs []error
	for _, dir := range []string{r.Dir, r.gitDir} {
		if err := privateDir(dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// MakeAllPrivate is [Repo.MakePrivate] and, in the git folder, every
// folder made 0700 and every file stripped of the group's and others'
// permissions (0644 becomes 0600, a pack's 0444 becomes 0400), so that
// `find .git -perm /077` finds nothing. [Init] calls it; so should the
// caller of [Clone], once it returns.
func (r *Repo) MakeAllPrivate() error {
	if err := r.MakePrivate(); err != nil {
		return err
	}
	return makeTreePrivate(r.gitDir)
}

// privateDir makes one folder 0700 when its mode lets anyone else in.
func privateDir(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	if fi.Mode().Perm()&0o077 == 0 && fi.Mode().Perm()&0o700 == 0o700 {
		return nil
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("make %s private: %w", dir, err)
	}
	return nil
}

// makeTreePrivate makes every folder under root (root too) 0700 and takes
// the group's and others' permissions off every file. Symbolic links are
// left alone: a chmod would follow them out of the tree.
func makeTreePrivate(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("make %s private: %w", root, err)
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			return nil
		case d.IsDir():
			return privateDir(p)
		case !d.Type().IsRegular():
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return fmt.Errorf("make %s private: %w", p, err)
		}
		if perm := fi.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(p, perm&^0o077); err != nil {
				return fmt.Errorf("make %s private: %w", p, err)
			}
		}
		return nil
	})
}
