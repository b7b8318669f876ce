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
// path is refused with [ErrBadPath] before anything is written, and a file
// whose folder is a file or a link (in the work tree or in the last
// commit: a partner's file at 2026/10, say) with a [*FolderError].
//
// A write is whole or absent: the objects are stored and main moved before
// any file reaches the work tree, with a marker that lets the next
// [Repo.Lock] write the files if this process is killed after the move
// ([Repo.finishInterruptedSync]). A failure before the move (a full disk,
// a broken object store) leaves the work tree untouched. Once main has
// moved the write has succeeded: a file or index entry that cannot be
// written then is a note through [Repo.Notify], and the next command puts
// it right; never an error that invites a retry and a duplicate.
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
	if err := r.checkFolders(changes); err != nil {
		return plumbing.ZeroHash, err
	}
	edits := make([]TreeEdit, len(changes))
	for i, c := range changes {
		edits[i] = TreeEdit{Path: c.Path, Delete: c.Delete, Mode: filemode.Regular}
		if !c.Delete {
			h, err := putBlob(r.objs, c.Data)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("store %s: %w", c.Path, err)
			}
			edits[i].Blob = h
		}
	}
	return r.commitEdits(msg, sig, edits, func() ([]indexUpdate, error) { return r.writeFiles(changes) })
}

// commitEdits applies edits (their blobs already stored) to HEAD's tree,
// stores the commit with HEAD as its parent and moves main from HEAD to it
// with a compare-and-swap; then place writes the work tree (if anything is
// left to write) and returns the index updates, which are recorded. When
// the tree would not change it only places and records, and returns an
// error wrapping [ErrNoChange]. The caller holds the lock and has checked
// sig and that HEAD is on main.
func (r *Repo) commitEdits(msg string, sig Signature, edits []TreeEdit, place func() ([]indexUpdate, error)) (plumbing.Hash, error) {
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
		updates, err := place()
		if err != nil {
			return plumbing.ZeroHash, err
		}
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
	if err := r.writeSyncMarker(head, h); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.moveMain(head, h, why); err != nil {
		r.removeSyncMarker()
		return plumbing.ZeroHash, err
	}
	// The commit stands. What follows only brings the work tree and
	// git's index up to it; what fails here the next command finishes.
	updates, err := place()
	if err != nil {
		r.notify(fmt.Sprintf("saved, but the file could not be written into the journal folder yet (%s); the next command writes it", err))
		return h, nil
	}
	if err := r.updateIndex(updates); err != nil {
		r.notify(fmt.Sprintf("saved, but git's index was not updated (%s); 'git status' may list the file until the next command", err))
		return h, nil
	}
	r.removeSyncMarker()
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
