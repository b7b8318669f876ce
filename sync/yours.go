package sync

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Your entries are yours. Every dated entry has one author, and only that
// author changes it (DESIGN §2). A sync that brings in a change to one of
// your entries made by someone else's commit (an edit or a delete, from
// the partner's clone or anyone who can push to the remote) does not apply
// it silently: yours stays at its path, theirs becomes a conflict copy
// beside it, a delete is undone, and [Result.Protected] says so. Your own
// changes from another of your machines (commits you authored) apply as
// usual; shared items (the bucket list, planned dates) merge as always. A
// new file someone else's commit adds in your name is recorded and listed
// by [Repo.Status] as [Status.Forged].

// EntryAuthorFunc says who owns the file at path with content data: the
// author of a personal entry, or "" for a shared item or a file that is
// no entry. The journal package provides it ([Options.EntryAuthor]).
type EntryAuthorFunc func(path string, data []byte) string

// Protection is one change to your entry that a sync did not apply.
type Protection struct {
	Path string // your entry, as you wrote it
	By   string // who made the change (their commit's author)
	// Copy is where their version is, or "" when they deleted it (the
	// delete was undone).
	Copy string
}

// foreign is what the partner's new commits did to entries they do not
// own.
type foreign struct {
	// changed are the versions of my entries that others' commits made:
	// the blob they left at the path (zero: they deleted it) -> who.
	// Only those are kept from applying: when my own later commit (from
	// my other machine) changed the file again, its version applies.
	changed map[foreignVersion]string
	forged  map[string]string // path -> author of the commit that added a file in my name
}

// foreignVersion is one path as someone else's commit left it.
type foreignVersion struct {
	path string
	blob plumbing.Hash // zero: deleted
}

// protectedBy says who made the version to of my entry at p, when someone
// else did; to nil is a delete.
func (f foreign) protectedBy(p string, to *object.TreeEntry) (string, bool) {
	v := foreignVersion{path: p}
	if to != nil {
		v.blob = to.Hash
	}
	by, ok := f.changed[v]
	return by, ok
}

// foreignChanges walks the commits in pulled (theirs, not ours) and
// collects the changes made by commits whose author is not me to files
// that are my entries, and the files they added in my name. A merge
// commit answers for what differs from every one of its parents.
func foreignChanges(ctx context.Context, r *Repo, pulled []*walkNode, me string, owner EntryAuthorFunc, name func(string) string) (foreign, error) {
	f := foreign{changed: map[foreignVersion]string{}, forged: map[string]string{}}
	if owner == nil || me == "" {
		return f, nil
	}
	for _, n := range pulled {
		c, err := object.GetCommit(r.objs, n.hash)
		if err != nil {
			return f, fmt.Errorf("read commit %s: %w", n.hash, err)
		}
		by := authorOf(name, c)
		if by == me {
			continue
		}
		tree, err := c.Tree()
		if err != nil {
			return f, fmt.Errorf("read tree of %s: %w", n.hash, err)
		}
		var changes map[string]sideChange
		if len(c.ParentHashes) == 0 {
			if changes, err = diffTrees(ctx, r.objs, nil, tree); err != nil {
				return f, err
			}
		}
		for i, p := range c.ParentHashes {
			_, pt, err := r.commitTree(p)
			if err != nil {
				return f, err
			}
			ch, err := diffTrees(ctx, r.objs, pt, tree)
			if err != nil {
				return f, err
			}
			if i == 0 {
				changes = ch
				continue
			}
			for path := range changes { // a merge: only what differs from every parent
				if _, ok := ch[path]; !ok {
					delete(changes, path)
				}
			}
		}
		for path, sc := range changes {
			if !isMarkdown(path) || IsConflictCopy(path) {
				continue // a conflict copy is either partner's to settle
			}
			v := foreignVersion{path: path}
			if sc.to != nil {
				v.blob = sc.to.Hash
			}
			if sc.from != nil && worktreeFile(sc.from.Mode) {
				data, err := readBlob(r.objs, sc.from.Hash)
				if err != nil {
					return f, err
				}
				if owner(path, data) == me {
					f.changed[v] = by
				}
				continue
			}
			if sc.to != nil && worktreeFile(sc.to.Mode) {
				data, err := readBlob(r.objs, sc.to.Hash)
				if err != nil {
					return f, err
				}
				if owner(path, data) == me {
					// A file in my name: forged, and where I have one at
					// that path too, theirs is kept beside mine.
					f.forged[path] = by
					f.changed[v] = by
				}
			}
		}
	}
	return f, nil
}

// forgedFile lists, one path a line, the files someone else's commit
// added in this user's name: local to this clone, never synced.
func (r *Repo) forgedFile() string { return filepath.Join(r.gitDir, "reconnect-forged") }

// recordForged adds paths to the list of forged entries.
func (r *Repo) recordForged(paths map[string]string) error {
	if len(paths) == 0 {
		return nil
	}
	have := r.readForged()
	for p := range paths {
		have[p] = true
	}
	list := make([]string, 0, len(have))
	for p := range have {
		list = append(list, p)
	}
	sort.Strings(list)
	return writeDurable(r.forgedFile(), []byte(strings.Join(list, "\n")+"\n"))
}

// readForged is the recorded list of forged entries.
func (r *Repo) readForged() map[string]bool {
	out := map[string]bool{}
	b, err := os.ReadFile(r.forgedFile())
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" {
			out[line] = true
		}
	}
	return out
}

// foreignIn looks through pulled for changes made by others to this
// user's entries (the paths to protect) and files added in their name
// (recorded, and added to res).
func (r *Repo) foreignIn(ctx context.Context, pulled []*walkNode, opt Options, res *Result) (foreign, error) {
	me := ""
	if opt.AuthorName != nil {
		me = opt.AuthorName(opt.Signature.Name)
	}
	fr, err := foreignChanges(ctx, r, pulled, me, opt.EntryAuthor, opt.AuthorName)
	if err != nil {
		return fr, err
	}
	// A file in your name at a path where you have one is not forged
	// but a change to yours: the merge keeps it beside yours.
	if len(fr.forged) > 0 {
		head, err := r.Head()
		if err != nil {
			return fr, err
		}
		_, tree, err := r.commitTree(head)
		if err != nil {
			return fr, err
		}
		for p := range fr.forged {
			if findEntry(tree, p) != nil {
				delete(fr.forged, p)
			}
		}
	}
	if err := r.recordForged(fr.forged); err != nil {
		return fr, err
	}
	for p := range fr.forged {
		if !slices.Contains(res.Forged, p) {
			res.Forged = append(res.Forged, p)
		}
	}
	sort.Strings(res.Forged)
	return fr, nil
}
