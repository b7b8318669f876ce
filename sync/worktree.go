package sync

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// ApplyToWorktree makes the work tree and the index agree with changes,
// touching nothing else: each file is written atomically (mode 0600, its
// folders 0700) or removed along with the folders it leaves empty, and
// exactly those index entries are updated, with the files' stat data, so
// git sees them clean without reading them. The caller holds the lock and
// has stored the blobs in the commit it moves the branch to; ApplyToWorktree
// neither stores objects nor commits.
func (r *Repo) ApplyToWorktree(changes []Change) error {
	if err := checkChanges(changes); err != nil {
		return err
	}
	updates, err := r.writeFiles(changes)
	if err != nil {
		return err
	}
	return r.updateIndex(updates)
}

// checkChanges refuses paths the gate refuses ([gitpath.Check], which keeps
// every write inside the work tree and out of .git) and a path changed
// twice.
func checkChanges(changes []Change) error {
	seen := make(map[string]bool, len(changes))
	for _, c := range changes {
		if _, err := splitPath(c.Path); err != nil {
			return err
		}
		if seen[c.Path] {
			return fmt.Errorf("%w %q: changed twice", ErrBadPath, c.Path)
		}
		seen[c.Path] = true
	}
	return nil
}

// writeFiles applies changes to the work tree, removals first (so that a
// file can take the place of a folder it empties), and returns the index
// updates that record them. It is the one place files reach the work tree
// after a clone, and it never writes below a file or through a link: such
// a write fails with a [*FolderError].
func (r *Repo) writeFiles(changes []Change) ([]indexUpdate, error) {
	updates := make([]indexUpdate, 0, len(changes))
	for _, c := range changes {
		if !c.Delete {
			continue
		}
		if err := r.removeFile(c.Path); err != nil {
			return nil, err
		}
		updates = append(updates, indexUpdate{path: c.Path, del: true})
	}
	for _, c := range changes {
		if c.Delete {
			continue
		}
		if a := r.blocker(c.Path); a != "" {
			return nil, fmt.Errorf("write %s: %w", c.Path, &FolderError{Path: c.Path, File: a})
		}
		name := filepath.Join(r.Dir, filepath.FromSlash(c.Path))
		if err := r.placeFile(name, c.Data); err != nil {
			return nil, fmt.Errorf("write %s: %w", c.Path, err)
		}
		st, err := statFile(name)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", c.Path, err)
		}
		if int64(st.size) != int64(uint32(len(c.Data))) {
			return nil, fmt.Errorf("write %s: changed by another program while being written", c.Path)
		}
		updates = append(updates, indexUpdate{
			path: c.Path,
			hash: plumbing.ComputeHash(plumbing.BlobObject, c.Data),
			stat: st,
		})
	}
	return updates, nil
}

// placeFile writes data to name atomically (mode 0600, its folders 0700):
// into a synced file in the git folder's tmp folder first, then renamed into
// place, so that a write killed half-way leaves nothing in the work tree
// (the next [Repo.Lock] sweeps the tmp folder). A git folder on another
// file system than the work tree falls back to a temporary file beside
// name.
func (r *Repo) placeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), fsutil.DirMode); err != nil {
		return err
	}
	tmp, err := writeTwin(r.gitDir, filepath.Base(name), data, true)
	if err != nil {
		return err
	}
	err = os.Rename(tmp, name)
	if err == nil {
		return nil
	}
	os.Remove(tmp)
	var le *os.LinkError
	if errors.As(err, &le) && errors.Is(le.Err, syscall.EXDEV) {
		return fsutil.WriteFile(name, data, fsutil.FileMode)
	}
	return err
}

// removeFile removes the file at the slash-separated path rel, if there,
// and then each folder above it that is left empty, up to the work tree.
func (r *Repo) removeFile(rel string) error {
	if r.blocker(rel) != "" {
		return nil // below a file or a link: not in the work tree
	}
	name := filepath.Join(r.Dir, filepath.FromSlash(rel))
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", rel, err)
	}
	for dir := filepath.Dir(name); dir != r.Dir && len(dir) > len(r.Dir); dir = filepath.Dir(dir) {
		if err := os.Remove(dir); err != nil {
			break // not empty, or already gone
		}
	}
	return nil
}
