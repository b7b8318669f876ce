package sync

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/reconnect-app/reconnect/internal/gitpath"
)

// Quarantine: what the partner's history holds that the gate
// ([gitpath.Check]) keeps out of the work tree, or that cannot be written
// because a file stands where its folder belongs. The commit keeps it
// (history is shared, and both journals must hold the same trees); the
// work tree never gets it; the index records it as git's own
// skip-worktree entries, which match HEAD's tree and which git never looks
// for in the work tree, so git status stays clean. The hand-edit scan and
// the read cache leave those paths alone, and everything else keeps
// syncing. A path kept out only because of a file in the way is written
// by the first sync after that file is gone.

// Quarantined is a path from the partner's history that a sync keeps out
// of the work tree, and why. Path is as git stores it, slash-separated; it
// may hold any byte but NUL, so print it with care. A folder is named
// once, for everything in it.
type Quarantined struct {
	Path   string
	Reason string
}

// FolderError is a write below a path where a file (or a link) stands in
// the work tree or in the last commit, where a folder belongs: a partner's
// file at 2026/10, say, where October's entries go.
type FolderError struct {
	Path    string // the file that was to be written
	File    string // what is in the way, relative to the journal
	Tracked bool   // File is in the last commit (not only in the work tree)
}

func (e *FolderError) Error() string {
	return fmt.Sprintf("%s is a file where a folder belongs", e.File)
}

// maxQuarantined bounds how many index entries one sync records for what
// it keeps out of the work tree: a crafted tree can name the same folder
// many times over, and listing it all would never end.
const maxQuarantined = 100_000

// isTree reports whether a tree entry of mode m is a folder, as git reads
// modes.
func isTree(m filemode.FileMode) bool { return m&0o170000 == 0o040000 }

// indexMode is the mode git records in the index for a tree entry of mode
// m (git's canon_mode).
func indexMode(m filemode.FileMode) uint32 {
	switch m & 0o170000 {
	case 0o100000:
		if m&0o111 != 0 {
			return uint32(filemode.Executable)
		}
		return uint32(filemode.Regular)
	case 0o120000:
		return uint32(filemode.Symlink)
	}
	return uint32(filemode.Submodule)
}

// reason is why the gate refused a path, without the path.
func reason(err error) string {
	var ge *gitpath.Error
	if errors.As(err, &ge) {
		return ge.Reason
	}
	return err.Error()
}

// quarantineEntries are the skip-worktree index entries for the tree entry
// e at path p: e itself, or every file below it when it is a folder (its
// names taken as they are). budget counts down what may still be listed.
func quarantineEntries(ctx context.Context, s storer.EncodedObjectStorer, p string, e *object.TreeEntry, budget *int) []indexUpdate {
	var out []indexUpdate
	var walk func(p string, e *object.TreeEntry)
	walk = func(p string, e *object.TreeEntry) {
		if *budget <= 0 || ctx.Err() != nil {
			return
		}
		if !isTree(e.Mode) {
			*budget--
			out = append(out, indexUpdate{path: p, hash: e.Hash, stat: fileStat{mode: indexMode(e.Mode)}, skip: true})
			return
		}
		t, err := object.GetTree(s, e.Hash)
		if err != nil {
			return // a folder the remote did not send: nothing to record
		}
		for i := range t.Entries {
			walk(p+"/"+t.Entries[i].Name, &t.Entries[i])
		}
	}
	walk(p, e)
	return out
}

// blocker is the first folder on the way to the slash-separated path rel
// that is a file or a link in the work tree, or "". A missing folder is
// no blocker: it is made on the way.
func (r *Repo) blocker(rel string) string {
	for i := 0; ; {
		j := strings.IndexByte(rel[i:], '/')
		if j < 0 {
			return ""
		}
		a := rel[:i+j]
		fi, err := os.Lstat(filepath.Join(r.Dir, filepath.FromSlash(a)))
		if err != nil {
			return ""
		}
		if !fi.IsDir() {
			return a
		}
		i += j + 1
	}
}

// inTheWay is the reason a path blocked by the file a is kept out.
func inTheWay(a string) string { return a + " is a file where a folder belongs" }

// worktreePlan is what the work tree and the index get for a change of
// commit: files to write or remove (paths the gate lets in), index-only
// updates (what is kept out, and the removal of what was), and what is
// kept out, by path.
type worktreePlan struct {
	changes     []Change
	index       []indexUpdate // applied after the updates of changes
	quarantined []Quarantined
}

// planWorktree turns changes of the tree (from [diffTrees]) into what the
// work tree and the index get: every path passes the gate here, the one
// place a sync decides what reaches the work tree. A path the gate
// refuses, or one whose folder is a file in the work tree, is kept out
// (see [Quarantined]).
func (r *Repo) planWorktree(ctx context.Context, ch map[string]sideChange) (worktreePlan, error) {
	var pl worktreePlan
	paths := make([]string, 0, len(ch))
	for p := range ch {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	budget := maxQuarantined
	// What the plan removes is gone before anything is written: a file it
	// removes is in no one's way.
	removed := make(map[string]bool)
	for p, c := range ch {
		if c.from != nil && c.fromErr == nil && (c.to == nil || c.toErr != nil) {
			removed[p] = true
		}
	}
	for _, p := range paths {
		c := ch[p]
		toGood := c.to != nil && c.toErr == nil
		switch {
		case c.from != nil && c.fromErr != nil:
			// What was kept out leaves the index; a good file taking its
			// place gets its entry from the write.
			for _, u := range quarantineEntries(ctx, r.objs, p, c.from, &budget) {
				if !(toGood && u.path == p) {
					pl.index = append(pl.index, indexUpdate{path: u.path, del: true})
				}
			}
		case c.from != nil && !toGood:
			pl.changes = append(pl.changes, Change{Path: p, Delete: true})
		}
		switch {
		case c.to == nil:
		case c.toErr != nil:
			pl.index = append(pl.index, quarantineEntries(ctx, r.objs, p, c.to, &budget)...)
			pl.quarantined = append(pl.quarantined, Quarantined{Path: p, Reason: reason(c.toErr)})
		default:
			if a := r.blocker(p); a != "" && !removed[a] {
				pl.index = append(pl.index, indexUpdate{path: p, hash: c.to.Hash, stat: fileStat{mode: indexMode(c.to.Mode)}, skip: true})
				pl.quarantined = append(pl.quarantined, Quarantined{Path: p, Reason: inTheWay(a)})
				continue
			}
			data, err := readBlob(r.objs, c.to.Hash)
			if err != nil {
				return worktreePlan{}, err
			}
			pl.changes = append(pl.changes, Change{Path: p, Data: data})
		}
	}
	return pl, ctx.Err()
}

// applyPlan writes a plan's files and records them, and what it keeps
// out, in the index.
func (r *Repo) applyPlan(pl worktreePlan) error {
	if err := checkChanges(pl.changes); err != nil {
		return err
	}
	updates, err := r.writeFiles(pl.changes)
	if err != nil {
		return err
	}
	return r.updateIndex(append(updates, pl.index...))
}

// skipEntries reads the index's skip-worktree entries; nil, quickly, for
// a version 2 index, which cannot hold any.
func (r *Repo) skipEntries() ([]indexEntry, error) {
	f, err := os.Open(filepath.Join(r.gitDir, "index"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	var hdr [8]byte
	_, err = f.ReadAt(hdr[:], 0)
	f.Close()
	if err == nil && string(hdr[:4]) == "DIRC" && hdr[7] == 2 && hdr[4]|hdr[5]|hdr[6] == 0 {
		return nil, nil
	}
	entries, err := r.readIndexEntries()
	if err != nil {
		return nil, err
	}
	var out []indexEntry
	for _, e := range entries {
		if e.skip && e.stage == 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// keptOut is what the skip-worktree entry e stands for in [Status]: the
// path kept out (the folder the gate refuses, named once for all in it;
// else the entry's own path) and why; ok false when it is not reconnect's
// doing (a file is there: someone set the flag by hand).
func (r *Repo) keptOut(e indexEntry) (q Quarantined, ok bool) {
	if err := gitpath.Check(e.name, filemode.FileMode(e.mode)); err != nil {
		q := Quarantined{Path: e.name, Reason: reason(err)}
		for i := 1; i < len(e.name); i++ {
			if e.name[i] != '/' {
				continue
			}
			if err := gitpath.Check(e.name[:i], filemode.Dir); err != nil {
				q = Quarantined{Path: e.name[:i], Reason: reason(err)}
				break
			}
		}
		return q, true
	}
	if a := r.blocker(e.name); a != "" {
		return Quarantined{Path: e.name, Reason: inTheWay(a)}, true
	}
	if _, err := os.Lstat(filepath.Join(r.Dir, filepath.FromSlash(e.name))); err == nil {
		return Quarantined{}, false
	}
	return Quarantined{Path: e.name, Reason: "not written yet; the next sync writes it"}, true
}

// retryQuarantined writes the files kept out only because something was
// in the way, once it is gone: each skip-worktree entry the gate lets in,
// with no file on its way and nothing at its path, is written from its
// blob and becomes a plain entry. The caller holds the lock.
func (r *Repo) retryQuarantined() error {
	entries, err := r.skipEntries()
	if err != nil || len(entries) == 0 {
		return err
	}
	var ups []indexUpdate
	for _, e := range entries {
		if gitpath.Check(e.name, filemode.FileMode(e.mode)) != nil || filemode.FileMode(e.mode) == filemode.Dir || r.blocker(e.name) != "" {
			continue
		}
		name := filepath.Join(r.Dir, filepath.FromSlash(e.name))
		if _, err := os.Lstat(name); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		data, err := readBlob(r.objs, e.hash)
		if err != nil {
			continue // not in the store: left as it is
		}
		if err := r.placeFile(name, data); err != nil {
			return fmt.Errorf("write %s: %w", e.name, err)
		}
		st, err := statFile(name)
		if err != nil {
			return fmt.Errorf("write %s: %w", e.name, err)
		}
		ups = append(ups, indexUpdate{path: e.name, hash: e.hash, stat: st})
	}
	return r.updateIndex(ups)
}

// addQuarantined appends qs to list, each path once.
func addQuarantined(list []Quarantined, qs ...Quarantined) []Quarantined {
	seen := make(map[string]bool, len(list)+len(qs))
	for _, l := range list {
		seen[l.Path] = true
	}
	for _, q := range qs {
		if !seen[q.Path] {
			seen[q.Path] = true
			list = append(list, q)
		}
	}
	return list
}

// treeBlocker is the first folder on the way to p that the tree t (nil:
// empty) holds as something else than a folder, and that is not in
// deleted; or "".
func treeBlocker(t *object.Tree, p string, deleted map[string]bool) string {
	if t == nil {
		return ""
	}
	for i := 0; ; {
		j := strings.IndexByte(p[i:], '/')
		if j < 0 {
			return ""
		}
		a := p[:i+j]
		if deleted[a] {
			return ""
		}
		e := findEntry(t, a)
		if e == nil {
			return ""
		}
		if !isTree(e.Mode) {
			return a
		}
		i += j + 1
	}
}

// checkFolders refuses, with a [*FolderError], a write whose folder is a
// file or a link: in the work tree (the write would fail there) or in the
// last commit (the commit would replace it, and lose it). A change that
// removes that file in the same commit clears the way.
func (r *Repo) checkFolders(changes []Change) error {
	deleted := make(map[string]bool)
	for _, c := range changes {
		if c.Delete {
			deleted[c.Path] = true
		}
	}
	var head *object.Tree
	read := false
	for _, c := range changes {
		if c.Delete {
			continue
		}
		if !read {
			h, err := r.Head()
			if err != nil {
				return err
			}
			if _, head, err = r.commitTree(h); err != nil {
				return err
			}
			read = true
		}
		if a := r.blocker(c.Path); a != "" && !deleted[a] {
			return fmt.Errorf("write %s: %w", c.Path, &FolderError{Path: c.Path, File: a, Tracked: findEntry(head, a) != nil})
		}
		if a := treeBlocker(head, c.Path, deleted); a != "" {
			return fmt.Errorf("write %s: %w", c.Path, &FolderError{Path: c.Path, File: a, Tracked: true})
		}
	}
	return nil
}
