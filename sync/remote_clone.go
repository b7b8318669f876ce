package sync

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	gosync "sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/internal/gitpath"
)

// Clone copies the journal at url into dir with its whole history: main
// checked out (files 0600, folders 0700, the index written so git status is
// clean) and url set as the remote, without credentials ([Repo.SetRemote]).
// dir is created; it may exist if empty. On failure nothing is left behind.
//
// Every path of the tree passes the gate ([gitpath.Check]) first: a tree
// with a path that would land outside dir or in its .git (a ".." or ".git"
// name in any case or alias, an absolute name) is refused whole, with an
// error wrapping [ErrBadPath], before any file is written; other paths it
// refuses (control characters, over-long names, links, submodules) are
// kept out of the work tree as a sync keeps them ([Quarantined]), and
// [Repo.Status] lists them.
//
// A remote without a main fails with [ErrRemoteEmpty]; the errors of the
// network are those of [Repo.Sync].
func Clone(ctx context.Context, url, dir string, auth Auth) (_ *Repo, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	if clean, _, _ := StripCredentials(url); isFolderURL(clean) {
		// A missing folder is an empty remote to Sync (it creates it);
		// there is nothing to clone from it.
		p, err := folderPath(clean)
		if err != nil {
			return nil, fmt.Errorf("clone %s: %w", url, err)
		}
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("clone %s: %w", p, ErrRemoteNotFound)
		}
	}
	r, undo, err := startClone(abs, dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			undo()
		}
	}()
	end, err := openRemote(url, auth, nil)
	if err != nil {
		return nil, err
	}
	defer end.close()
	theirs, err := end.fetch(ctx, r.objs)
	if err != nil {
		return nil, err
	}
	if theirs.IsZero() {
		return nil, fmt.Errorf("clone %s: %w", end, ErrRemoteEmpty)
	}
	if looksSealed(r.objs, theirs) {
		return nil, fmt.Errorf("clone %s: %w: it can only be joined with a key (an invitation)", end, ErrRemoteSealed)
	}
	if err := r.SetRemote(url); err != nil {
		return nil, err
	}
	if err := r.setTracking(theirs); err != nil {
		return nil, err
	}
	if err := r.moveMain(plumbing.ZeroHash, theirs, "clone: from "+end.String()); err != nil {
		return nil, err
	}
	if err := r.checkoutAll(ctx, theirs); err != nil {
		if errors.Is(err, gitpath.ErrOutside) {
			return nil, fmt.Errorf("clone %s refused: it holds a path that would be written outside %s or into its .git: %w",
				Redact(url), dir, err)
		}
		return nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	if err := r.finishClone(abs); err != nil {
		return nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	return r, nil
}

// finishClone ends a clone into abs whose files are all written: made
// private, made durable (the checkout's files are plain writes: durable
// before the clone counts as finished, or a power cut could leave empty
// files that the next sync would take for edits), then marked finished.
func (r *Repo) finishClone(abs string) error {
	if err := r.MakeAllPrivate(); err != nil {
		return err
	}
	if err := syncFS(abs); err != nil {
		return err
	}
	return r.markFinished()
}

// checkoutAll writes every file of commit h into a fresh work tree and
// records them all in the index. The files are plain writes, not the
// synced atomic writes of a commit: a clone that fails half-way is removed
// whole. A tree with a path that would land outside the work tree or in
// .git fails with an error wrapping [gitpath.ErrOutside] (and
// [ErrBadPath]) before anything is written; other paths the gate refuses
// are kept out of the work tree and recorded as skip-worktree entries.
func (r *Repo) checkoutAll(ctx context.Context, h plumbing.Hash) error {
	// A storage of its own that keeps the pack files open: the repository's
	// opens the pack again for every object, and a checkout reads them all.
	s := filesystem.NewStorageWithOptions(osfs.New(r.gitDir), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true})
	defer s.Close()
	c, err := object.GetCommit(s, h)
	if err != nil {
		return fmt.Errorf("read commit %s: %w", h, err)
	}
	tree, err := c.Tree()
	if err != nil {
		return fmt.Errorf("read tree of %s: %w", h, err)
	}
	// Folders first, in one pass; then the files, read one by one from the
	// pack (go-git's storage is not for concurrent readers) and written by
	// several writers, since creating 50,000 files is mostly waiting on the
	// file system.
	type file struct {
		path string
		hash plumbing.Hash
		data []byte
	}
	// Every path passes the gate before anything is written: one that
	// would land outside the journal or in .git refuses the whole clone;
	// any other it refuses is kept out (see [Quarantined]).
	var files []file
	var dirs []string
	var kept []indexUpdate
	budget := maxQuarantined
	var walk func(t *object.Tree, dir string) error
	walk = func(t *object.Tree, dir string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := range t.Entries {
			e := &t.Entries[i]
			p, err := gitpath.Join(dir, e.Name, e.Mode)
			switch {
			case errors.Is(err, gitpath.ErrOutside):
				return fmt.Errorf("%w; nothing was kept", err)
			case err != nil:
				ups := quarantineEntries(ctx, s, p, e, &budget)
				for _, u := range ups {
					if err := gitpath.Check(u.path, filemode.Regular); errors.Is(err, gitpath.ErrOutside) {
						return fmt.Errorf("%w; nothing was kept", err)
					}
				}
				kept = append(kept, ups...)
			case e.Mode == filemode.Dir:
				dirs = append(dirs, p)
				sub, err := object.GetTree(s, e.Hash)
				if err != nil {
					return fmt.Errorf("read tree %s: %w", p, err)
				}
				if err := walk(sub, p); err != nil {
					return err
				}
			default:
				files = append(files, file{path: p, hash: e.Hash})
			}
		}
		return nil
	}
	if err := walk(tree, ""); err != nil {
		return err
	}
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(r.Dir, filepath.FromSlash(d)), fsutil.DirMode); err != nil {
			return err
		}
	}

	updates := make([]indexUpdate, len(files))
	jobs := make(chan int, 64)
	errs := make(chan error, 1)
	var wg gosync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				f := &files[i]
				name := filepath.Join(r.Dir, filepath.FromSlash(f.path))
				err := os.WriteFile(name, f.data, fsutil.FileMode)
				var st fileStat
				if err == nil {
					st, err = statFile(name)
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("write %s: %w", f.path, err):
					default:
					}
					continue
				}
				f.data = nil
				updates[i] = indexUpdate{path: f.path, hash: f.hash, stat: st}
			}
		}()
	}
	var readErr error
	for i := range files {
		if readErr = ctx.Err(); readErr != nil {
			break
		}
		if files[i].data, readErr = readBlob(s, files[i].hash); readErr != nil {
			break
		}
		if len(errs) > 0 {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if readErr != nil {
		return readErr
	}
	select {
	case err := <-errs:
		return err
	default:
	}
	return r.updateIndex(append(updates, kept...))
}

// emptyDir removes everything inside dir, leaving dir.
func emptyDir(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// startClone readies abs (dir as the user named it) for a clone: what a
// killed start left is cleared; a folder that holds anything is refused, a
// missing one made; the repository is made in it, private before anything
// of the partner's is written, and marked unfinished until the clone is
// done. undo takes back what it made (the folder it made, or what it put
// in an empty one) for a clone that fails.
func startClone(abs, dir string) (r *Repo, undo func(), err error) {
	clearUnfinished(abs) // what a killed start left
	ents, err := os.ReadDir(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, fsutil.DirMode); err != nil {
			return nil, nil, fmt.Errorf("clone into %s: %w", dir, err)
		}
		undo = func() { os.RemoveAll(abs) }
	case err != nil:
		return nil, nil, fmt.Errorf("clone into %s: %w", dir, err)
	case len(ents) > 0:
		return nil, nil, fmt.Errorf("clone into %s: the folder is not empty", dir)
	default:
		undo = func() { emptyDir(abs) }
	}
	defer func() {
		if err != nil {
			undo()
		}
	}()
	if _, err := git.PlainInitWithOptions(abs, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: Branch},
	}); err != nil {
		return nil, nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	if r, err = Open(abs); err != nil {
		return nil, nil, err
	}
	if err := r.MakePrivate(); err != nil {
		return nil, nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	if err := r.markUnfinished(); err != nil {
		return nil, nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	return r, undo, nil
}
