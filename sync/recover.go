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
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// recover puts right what a killed reconnect left behind; the caller has
// just taken the repository lock, so no live reconnect is at work here.
// In order: the git lock files a dead reconnect held ([clearStaleLocks]),
// its temporary files ([sweepTmp]), a branch a crash damaged
// ([Repo.repairRefs]), and the work-tree update of a sync killed after it
// moved main ([Repo.finishInterruptedSync]). Each costs a stat or two when
// there is nothing to do.
func (r *Repo) recover() error {
	if _, err := clearStaleLocks(r.gitDir); err != nil {
		return fmt.Errorf("clear the lock files of a reconnect that was stopped: %w", err)
	}
	if _, err := sweepTmp(r.gitDir); err != nil {
		return fmt.Errorf("clear the temporary files of a reconnect that was stopped: %w", err)
	}
	sweepObjectTemps(r.gitDir)
	if err := r.repairRefs(); err != nil {
		return err
	}
	return r.finishInterruptedSync()
}

// sweepObjectTemps removes the temporary object files go-git leaves in
// objects/pack when it is killed while writing an object or a pack
// (tmp_obj_*; git's own temporary files have other names or places).
// Every object write of reconnect's holds the lock the caller holds now.
func sweepObjectTemps(gitDir string) {
	left, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "tmp_obj_*"))
	for _, l := range left {
		if fi, err := os.Lstat(l); err == nil && fi.Mode().IsRegular() {
			os.Remove(l)
		}
	}
}

// RepairResult is what [Repo.Repair] did.
type RepairResult struct {
	// Head is the commit main points at now.
	Head plumbing.Hash
	// Moved is set when main was damaged and now points at Head.
	Moved bool
	// Commits is how many commits Head's history holds.
	Commits int
	// Others are the other commits no commit descends from, newest first,
	// with their history sizes: work that Head does not contain.
	Others []RepairTip
}

// RepairTip is a commit no other commit has as a parent.
type RepairTip struct {
	Hash    plumbing.Hash
	Commits int
	Message string
}

// Repair points a damaged main at the newest history in the repository,
// for when nothing records where it was (see [ErrBrokenRef]): of the
// commits that no other commit has as a parent, the one whose history
// holds the most commits, the newest of equals. It takes the lock itself
// and, like [Repo.Lock], clears what a killed reconnect left. A main that
// is whole is left where it is. The cost is one pass over every object,
// so it is a command of its own, never run by itself.
func (r *Repo) Repair(ctx context.Context) (RepairResult, error) {
	var res RepairResult
	unlock, err := r.lockOnly(ctx)
	if err != nil {
		return res, err
	}
	defer unlock()
	if _, err := clearStaleLocks(r.gitDir); err != nil {
		return res, err
	}
	if _, err := sweepTmp(r.gitDir); err != nil {
		return res, err
	}
	if err := r.repairRefs(); err != nil && !errors.Is(err, ErrBrokenRef) {
		return res, err
	}
	head, err := r.mainState()
	if err == nil && !head.IsZero() {
		res.Head = head
		res.Commits, err = historySize(r.objs, head)
		if err != nil {
			return res, err
		}
		if err := r.finishInterruptedSync(); err != nil {
			return res, err
		}
		return res, nil
	}
	tips, err := findTips(ctx, r.objs)
	if err != nil {
		return res, err
	}
	if len(tips) == 0 {
		return res, fmt.Errorf("repair %s: the repository holds no commit at all", r.Dir)
	}
	best := tips[0]
	u := refUpdate{gitDir: r.gitDir, name: Branch, new: best.Hash, fromBroken: true,
		msg: "reconnect repair: the newest history"}
	if c, err := object.GetCommit(r.objs, best.Hash); err == nil {
		u.who = c.Committer
	}
	if err := updateRef(u); err != nil {
		return res, err
	}
	res.Head, res.Moved, res.Commits, res.Others = best.Hash, true, best.Commits, tips[1:]
	return res, nil
}

// findTips lists the whole commits that no commit has as a parent, the
// largest history first.
func findTips(ctx context.Context, s storer.EncodedObjectStorer) ([]RepairTip, error) {
	iter, err := s.IterEncodedObjects(plumbing.CommitObject)
	if err != nil {
		return nil, err
	}
	commits := map[plumbing.Hash]*object.Commit{}
	parents := map[plumbing.Hash]bool{}
	err = iter.ForEach(func(o plumbing.EncodedObject) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		c, err := object.DecodeCommit(s, o)
		if err != nil {
			return nil // a damaged commit is no candidate
		}
		commits[c.Hash] = c
		for _, p := range c.ParentHashes {
			parents[p] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var tips []RepairTip
	var when = map[plumbing.Hash]int64{}
	for h, c := range commits {
		if parents[h] || !whole(s, h) {
			continue
		}
		n, err := historySize(s, h)
		if err != nil {
			continue // a history with holes is no candidate
		}
		msg, _, _ := strings.Cut(c.Message, "\n")
		tips = append(tips, RepairTip{Hash: h, Commits: n, Message: msg})
		when[h] = c.Committer.When.UnixNano()
	}
	sort.Slice(tips, func(i, j int) bool {
		if tips[i].Commits != tips[j].Commits {
			return tips[i].Commits > tips[j].Commits
		}
		return when[tips[i].Hash] > when[tips[j].Hash]
	})
	return tips, nil
}

// historySize counts the commits reachable from h; an unreadable one is
// an error.
func historySize(s storer.EncodedObjectStorer, h plumbing.Hash) (int, error) {
	seen := map[plumbing.Hash]bool{h: true}
	stack := []plumbing.Hash{h}
	for len(stack) > 0 {
		c, err := object.GetCommit(s, stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		if err != nil {
			return 0, err
		}
		for _, p := range c.ParentHashes {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	return len(seen), nil
}

// removeStrayTemp removes a temporary file an older reconnect left in the
// work tree (".<name>.tmp-<digits>", from a write killed half-way), which
// would otherwise keep git status dirty for good. The hand-edit scan calls
// it for the untracked names it meets, under the lock.
func (r *Repo) removeStrayTemp(rel string) bool {
	_, name := splitDir(rel)
	if !isStrayTemp(name) {
		return false
	}
	full := filepath.Join(r.Dir, filepath.FromSlash(rel))
	if fi, err := os.Lstat(full); err != nil || !fi.Mode().IsRegular() || time.Since(fi.ModTime()) < strayTempAge {
		return false // perhaps a write under way in another program
	}
	err := os.Remove(full)
	return err == nil || errors.Is(err, fs.ErrNotExist)
}

// strayTempAge is how old a stray temporary file must be to be removed.
const strayTempAge = time.Minute

// isStrayTemp matches the temporary names of fsutil.WriteFile.
func isStrayTemp(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	i := strings.LastIndex(name, ".tmp-")
	if i <= 1 {
		return false
	}
	rest := name[i+len(".tmp-"):]
	if rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
