package sync

import (
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Commit writes changes to the work tree and commits them on main, with
// message msg and sig as author and committer. The caller holds the lock
// ([Repo.Lock]).
//
// Its cost grows with the depth of the changed paths, not with the size of
// the journal: the files are written atomically (mode 0600) or removed with
// the folders they leave empty, their blobs stored, only the trees on their
// paths rebuilt from HEAD's ([EditTree]), the commit stored with HEAD as
// its parent (none on an unborn branch), and refs/heads/main moved from the
// old commit to the new one with a compare-and-swap: if the branch moved
// meanwhile, Commit fails rather than overwrite it. Last, exactly the index
// entries of the changed files are updated with their stat data, so git
// status stays clean.
//
// When the tree would not change, Commit writes the files (and their index
// entries) but no commit, and returns an error wrapping [ErrNoChange]. A bad
// path is refused with [ErrBadPath] before anything is written. Any other
// failure before main moves (a full disk, a broken object store) puts the
// work tree back as it was: the write is whole or absent. Once main has
// moved the write has succeeded; an index that cannot be updated then is a
// note through [Repo.Notify], not an error.
func (r *Repo) Commit(msg string, sig Signature, changes ...Change) (plumbing.Hash, error) {
	if err := checkSignature(sig); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := checkChanges(changes); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.checkOnMain(); err != nil {
		return plumbing.ZeroHash, err
	}
	updates, undo, err := r.writeFiles(changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	edits := make([]TreeEdit, len(changes))
	for i, c := range changes {
		edits[i] = TreeEdit{Path: c.Path, Delete: c.Delete, Mode: filemode.Regular}
		if !c.Delete {
			h, err := putBlob(r.objs, c.Data)
			if err != nil {
				undo()
				return plumbing.ZeroHash, fmt.Errorf("store %s: %w", c.Path, err)
			}
			edits[i].Blob = h
		}
	}
	h, err := r.commitEdits(msg, sig, edits, updates)
	if err != nil && !errors.Is(err, ErrNoChange) {
		// Nothing was committed: the work tree goes back to what it
		// was, so that no later sync commits half of a failed write.
		undo()
	}
	return h, err
}

// commitEdits applies edits (their blobs already stored) to HEAD's tree,
// stores the commit with HEAD as its parent, moves main from HEAD to it
// with a compare-and-swap, and then records updates in the index. When the
// tree would not change it records updates only (the files' new stat data)
// and returns an error wrapping [ErrNoChange]. The caller holds the lock
// and has checked sig and that HEAD is on main.
func (r *Repo) commitEdits(msg string, sig Signature, edits []TreeEdit, updates []indexUpdate) (plumbing.Hash, error) {
	head, err := r.Head()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	baseTree := plumbing.ZeroHash
	if !head.IsZero() {
		c, err := object.GetCommit(r.objs, head)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read HEAD commit %s: %w", head, err)
		}
		baseTree = c.TreeHash
	}
	tree, err := EditTree(r.objs, baseTree, edits)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if !head.IsZero() && tree == baseTree {
		if err := r.updateIndex(updates); err != nil {
			return plumbing.ZeroHash, err
		}
		return plumbing.ZeroHash, fmt.Errorf("commit %q: %w", firstLine(msg), ErrNoChange)
	}
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	c := &object.Commit{
		Author:    object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
		Committer: object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
		Message:   msg,
		TreeHash:  tree,
	}
	if !head.IsZero() {
		c.ParentHashes = []plumbing.Hash{head}
	}
	h, err := storeCommit(r, c)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	why := "commit: " + firstLine(msg)
	if head.IsZero() {
		why = "commit (initial): " + firstLine(msg)
	}
	if err := r.moveMain(head, h, why); err != nil {
		return plumbing.ZeroHash, err
	}
	// The commit stands: an index that cannot be updated now only makes
	// git status show the file as changed until the next sync refreshes
	// it, so it is a note, never a failure of the write.
	if err := r.updateIndex(updates); err != nil {
		r.notify(fmt.Sprintf("saved, but git's index was not updated (%s); 'git status' may list the file until the next sync", err))
	}
	return h, nil
}

// moveMain moves refs/heads/main from from (zero: unborn) to to, a commit
// already stored, by [updateRef]: the objects stored since the last move
// are synced first, and the reflog says why (why is its message).
func (r *Repo) moveMain(from, to plumbing.Hash, why string) error {
	if err := r.objs.flush(); err != nil {
		return fmt.Errorf("make the new objects durable: %w", err)
	}
	u := refUpdate{gitDir: r.gitDir, name: Branch, old: from, new: to, msg: why}
	if c, err := object.GetCommit(r.objs, to); err == nil {
		u.who = c.Committer
	}
	if err := updateRef(u); err != nil {
		return fmt.Errorf("move %s from %s to %s: %w", Branch, short(from), short(to), err)
	}
	return nil
}

// checkSignature refuses a signature git would store badly: no name, a
// character that would break the author line, or no time.
func checkSignature(sig Signature) error {
	switch {
	case strings.TrimSpace(sig.Name) == "":
		return errors.New("commit signature has no name")
	case strings.ContainsAny(sig.Name+sig.Email, "<>\n\x00"):
		return fmt.Errorf("commit signature %q <%s>: name or email holds <, >, a newline or NUL", sig.Name, sig.Email)
	case sig.When.IsZero():
		return errors.New("commit signature has no time")
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
