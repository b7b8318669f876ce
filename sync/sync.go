package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Options configure [Repo.Sync] and [Repo.Fetch].
type Options struct {
	// Remote is the address to sync with: a folder path, a file://, ssh://
	// or https:// URL, or scp-like user@host:path. Empty: the journal's
	// remote (origin). Only syncs with origin update what [Repo.Status]
	// reports.
	Remote string
	// Auth holds the credentials for a network remote.
	Auth Auth
	// Signature signs the commits a sync makes: the hand-edit commit and
	// the merge commit. Its time is the caller's clock.
	Signature Signature
	// MergeFile merges a Markdown file both partners changed (the journal
	// package's key-by-key, section-by-section merge). Nil: every such
	// file is a conflict and the partner's version is kept as a copy.
	MergeFile MergeFunc
	// Progress receives a line per step and the server's progress; nil for
	// none.
	Progress io.Writer
	// SkipHandEdits skips the scan for files edited outside reconnect (one
	// stat per journal file), for a sync right after a reconnect write,
	// when the cost should only grow with what is new. A file found
	// changed at a path the merge writes is still committed first, never
	// overwritten; other hand edits wait for a sync without this.
	SkipHandEdits bool
	// EntryAuthor says who owns an entry file, so that a sync never
	// applies silently a change someone else made to yours (see
	// [Protection]); nil: no entry is protected. Yours are those whose
	// author is Signature.Name.
	EntryAuthor EntryAuthorFunc
	// AuthorName makes a person's name (a commit's author, the
	// Signature's name) an author name as entry files and conflict copies
	// spell it (the journal package's rule). Nil: names are unknown, a
	// conflict copy is named after "partner" (or "ours") and no entry is
	// protected.
	AuthorName func(name string) string
	// WrittenBy is who the file at path with content data says wrote it,
	// as an author name, "" if it does not say (the journal package reads
	// the front matter). A conflict copy is named after who made the
	// version it holds (the author of the commit that made it); after
	// WrittenBy only when the history cannot tell, else after the commit's
	// author.
	WrittenBy func(path string, data []byte) string
	// AllowUnrelated merges a remote journal that shares no history with
	// the local one, as if both had started empty. Without it such a sync
	// fails with [ErrRemoteHasJournal].
	AllowUnrelated bool
	// Seal, when set, makes the remote an encrypted one: only age
	// ciphertext is sent to it (see crypt.go). Nil: a plain remote, and
	// an encrypted one is refused with [ErrRemoteSealed].
	Seal *Seal

	// wrapRemote, when set (tests only), wraps the remote, to inject
	// failures.
	wrapRemote func(remoteEnd) remoteEnd
	// afterMove, when set (tests only), runs after main moved and before
	// the files are written; an error from it stops the sync there, as a
	// crash would.
	afterMove func() error
}

// States of a finished sync, in [Result.State].
const (
	StateUpToDate = "up-to-date" // nothing new on either side
	StatePushed   = "pushed"     // local commits sent, nothing new from the partner
	StatePulled   = "pulled"     // the partner's commits taken (fast-forward), nothing to send
	StateMerged   = "merged"     // both had new commits: merged, and the merge sent
)

// Result is what a sync did.
type Result struct {
	// State is one of the State constants.
	State string
	// Pulled is the number of the partner's commits taken in (merge
	// commits not counted); Pushed the number of local ones sent.
	Pulled, Pushed int
	// HandEdits is the commit of the files edited by hand that the sync
	// committed first, or zero.
	HandEdits plumbing.Hash
	// Conflicts are the conflict copies this sync wrote: the partner's
	// version of a file that clashed with ours, beside ours.
	Conflicts []string
	// Merged are the files both partners changed that MergeFile merged.
	Merged []string
	// Protected are changes someone else made to your entries that this
	// sync did not apply (yours stays; an edit is a conflict copy).
	Protected []Protection
	// Forged are files someone else's commit added in your name.
	Forged []string
	// Quarantined are the paths of the partner's changes this sync kept
	// out of the work tree, each once, with why: what the gate refuses
	// (outside the journal or in .git, control characters, over-long
	// names, links, submodules), and files whose folder is a file here.
	// They stay in the commits; [Repo.Status] lists them until they are
	// gone.
	Quarantined []Quarantined
	// Head is main after the sync.
	Head plumbing.Hash
}

// scanResult is what the hand-edit scan found.
type scanResult struct {
	edits []handEdit
	err   error
}

// maxAttempts bounds how often a sync fetches and merges again because the
// partner pushed while it was merging.
const maxAttempts = 8

// backoff waits a little before attempt (counted from 1) so that two
// partners pushing in lock-step stop colliding: a random pause that grows
// with the attempt, up to a second. It returns early when ctx ends.
func backoff(ctx context.Context, attempt int) error {
	if attempt < 2 {
		return nil
	}
	max := time.Duration(min(attempt*100, 1000)) * time.Millisecond
	t := time.NewTimer(time.Duration(rand.Int64N(int64(max))))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Sync exchanges history with the remote; the caller holds the lock
// ([Repo.Lock]).
//
// It commits hand edits first (so no merge overwrites them), fetches, and
// classifies with one merge base: up to date; ahead (push); behind
// (fast-forward main and update the changed files); diverged (merge, see
// below, then push). When the push is refused because the partner pushed
// meanwhile, it fetches and merges again, up to a few times, then fails with
// [ErrRejected]; it never force-pushes and never resets to the remote.
//
// A merge takes each side's change where the other did not touch the path;
// identical results are no conflict; a file deleted on one side and changed
// on the other stays, changed; a Markdown file changed on both sides goes
// through Options.MergeFile; what still clashes keeps our version at the path
// and the partner's as <name>.conflict-<author>-<short hash>.md
// ([Result.Conflicts], [Status.Conflicts]). No entry is ever dropped. The
// merged trees are built directly (only changed folders), the merge commit
// has both parents, main moves by compare-and-swap, and only the changed
// files and their index entries are written.
//
// Its cost grows with what is new on either side, not with the length of
// the history; the one exception is the hand-edit scan, one stat of every
// journal file (as git status does), which Options.SkipHandEdits leaves
// out.
//
// A remote that cannot be reached returns [ErrOffline], refused credentials
// [ErrAuth], an untrusted SSH host a *[HostKeyError] ([ErrHostKey]). The
// local commits are safe in every case; a later sync sends them.
func (r *Repo) Sync(ctx context.Context, opt Options) (Result, error) {
	var res Result
	loc, isOrigin, err := r.remoteLocation(opt.Remote)
	if err != nil {
		return res, err
	}
	if err := r.checkOnMain(); err != nil {
		return res, err
	}
	if err := checkSignature(opt.Signature); err != nil {
		return res, fmt.Errorf("sync: %w", err)
	}
	if err := r.finishInterruptedSync(); err != nil {
		return res, err
	}
	if !opt.SkipHandEdits {
		if err := r.retryQuarantined(); err != nil {
			return res, err
		}
	}
	// The hand-edit scan (one stat per journal file) runs while the first
	// fetch waits on the remote: it reads only the index and the work
	// tree, never the object store the fetch writes into. Its findings are
	// committed before anything is merged, and also when the fetch fails,
	// so that they are saved either way.
	var scan chan scanResult
	if !opt.SkipHandEdits {
		scan = make(chan scanResult, 1)
		go func() {
			edits, err := r.scanHandEdits()
			scan <- scanResult{edits, err}
		}()
		defer func() {
			if scan != nil {
				<-scan // never leave the scan running past the caller's lock
			}
		}()
	}
	commitScan := func() error {
		if scan == nil {
			return nil
		}
		sr := <-scan
		scan = nil
		if sr.err != nil {
			return sr.err
		}
		h, err := r.commitScanned(opt.Signature, sr.edits)
		switch {
		case err == nil:
			res.HandEdits = h
			progressf(opt.Progress, "committed hand edits as %s", h.String()[:7])
		case !errors.Is(err, ErrNoChange):
			return err
		}
		return nil
	}

	end, err := openRemote(loc, opt.Auth, opt.Progress)
	if err != nil {
		if cerr := commitScan(); cerr != nil {
			return res, cerr
		}
		return res, err
	}
	defer end.close()
	if f, ok := end.(*folderRemote); ok {
		f.notify = r.notify
	}
	if f, ok := end.(*folderRemote); ok && isOrigin {
		f.synced, err = r.hasTracking()
		if err != nil {
			return res, err
		}
	}
	if end, err = r.sealRemote(end, opt.Seal); err != nil {
		return res, err
	}
	if opt.wrapRemote != nil {
		end = opt.wrapRemote(end)
	}

	for attempt := 1; ; attempt++ {
		if err := backoff(ctx, attempt); err != nil {
			return res, err
		}
		progressf(opt.Progress, "fetching from %s", end)
		theirs, err := end.fetch(ctx, r.objs)
		if cerr := commitScan(); cerr != nil {
			return res, cerr
		}
		if err != nil {
			return res, err
		}
		if isOrigin && !theirs.IsZero() {
			if err := r.setTracking(theirs); err != nil {
				return res, err
			}
		}
		next, push, err := r.integrate(ctx, theirs, opt, &res)
		if err != nil {
			return res, unrelatedAt(loc, err)
		}
		res.Head = next
		if !push && !pushDue(end, next) {
			return res, nil
		}
		progressf(opt.Progress, "pushing to %s", end)
		n, err := end.push(ctx, r.objs, theirs, next)
		if errors.Is(err, errMoved) {
			if attempt < maxAttempts {
				progressf(opt.Progress, "the remote moved meanwhile; fetching again")
				continue
			}
			return res, fmt.Errorf("sync with %s: %w after %d attempts (%v)", end, ErrRejected, attempt, err)
		}
		if err != nil {
			return res, err
		}
		res.Pushed += n
		if isOrigin {
			if err := r.setTracking(next); err != nil {
				return res, err
			}
		}
		return res, nil
	}
}

// integrate brings theirs into main and returns main's new commit and
// whether it has to be pushed. It sets res.State.
func (r *Repo) integrate(ctx context.Context, theirs plumbing.Hash, opt Options, res *Result) (plumbing.Hash, bool, error) {
	for round := 0; ; round++ {
		ours, err := r.Head()
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		switch {
		case ours == theirs:
			setState(res, StateUpToDate)
			return ours, false, nil
		case theirs.IsZero():
			setState(res, StatePushed)
			return ours, true, nil
		}
		g := newCommitGraph(r.objs)
		var base *plumbing.Hash
		if !ours.IsZero() {
			bases, err := g.mergeBases(ours, theirs)
			if err != nil {
				return plumbing.ZeroHash, false, err
			}
			if len(bases) > 0 {
				base = &bases[0]
			}
		}
		if base != nil && *base == theirs {
			setState(res, StatePushed)
			return ours, true, nil
		}
		pulled, err := g.only([]plumbing.Hash{theirs}, []plumbing.Hash{ours})
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		var protect foreign
		if !ours.IsZero() { // a first sync has nothing of yours to keep
			if protect, err = r.foreignIn(ctx, pulled, opt, res); err != nil {
				return plumbing.ZeroHash, false, err
			}
		}
		switch {
		case ours.IsZero() || (base != nil && *base == ours && len(protect.changed) == 0):
			// Behind, and nobody else changed your entries (else a
			// merge keeps yours): fast-forward.
			dirty, kept, err := r.fastForward(ctx, ours, theirs, opt.afterMove)
			if err != nil {
				return plumbing.ZeroHash, false, err
			}
			if dirty != nil {
				if err := r.commitDirty(opt, dirty, res, round); err != nil {
					return plumbing.ZeroHash, false, err
				}
				continue
			}
			res.Quarantined = addQuarantined(res.Quarantined, kept...)
			res.Pulled += countNonMerge(pulled)
			setState(res, StatePulled)
			return theirs, false, nil
		case base == nil && !opt.AllowUnrelated:
			return plumbing.ZeroHash, false, fmt.Errorf("%w: its history and this journal's have nothing in common", ErrRemoteHasJournal)
		}
		progressf(opt.Progress, "merging %d new commits from the partner", countNonMerge(pulled))
		merged, out, dirty, err := r.mergeCommit(ctx, base, ours, theirs, opt, protect)
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		if dirty != nil {
			if err := r.commitDirty(opt, dirty, res, round); err != nil {
				return plumbing.ZeroHash, false, err
			}
			continue
		}
		res.Quarantined = addQuarantined(res.Quarantined, out.quarantined...)
		res.Pulled += countNonMerge(pulled)
		res.Conflicts = append(res.Conflicts, out.conflicts...)
		res.Merged = append(res.Merged, out.merged...)
		res.Protected = append(res.Protected, out.protected...)
		setState(res, StateMerged)
		return merged, true, nil
	}
}

// setState records the state of an attempt; a merge or pull in an earlier
// attempt still shows after a later attempt only pushes.
func setState(res *Result, s string) {
	switch {
	case res.State == StateMerged:
	case res.State == StatePulled && s == StatePushed:
		res.State = StateMerged
	case res.State == StatePulled && s == StateUpToDate:
	case res.State == StatePushed && s == StateUpToDate:
	default:
		res.State = s
	}
}

// commitDirty commits files found changed, at the moment of writing, at
// paths a merge was about to write (edited while the sync ran, or staged
// with git and not committed), so that the merge keeps them.
func (r *Repo) commitDirty(opt Options, dirty []handEdit, res *Result, round int) error {
	if round >= 3 {
		return fmt.Errorf("sync: files keep changing while the journal is merged (%s); try again", dirty[0].change.Path)
	}
	h, err := r.commitHandEdits(opt.Signature, dirty)
	if err != nil && !errors.Is(err, ErrNoChange) {
		return err
	}
	if err == nil {
		res.HandEdits = h
	}
	return nil
}

// commitTree reads the tree of commit h (nil for the zero hash).
func (r *Repo) commitTree(h plumbing.Hash) (*object.Commit, *object.Tree, error) {
	if h.IsZero() {
		return nil, nil, nil
	}
	c, err := object.GetCommit(r.objs, h)
	if err != nil {
		return nil, nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	t, err := c.Tree()
	if err != nil {
		return nil, nil, fmt.Errorf("read tree of %s: %w", h, err)
	}
	return c, t, nil
}

// fastForward moves main from ours to theirs and updates the changed files.
// It returns, without moving anything, the files that hold uncommitted
// content at paths it would write; else what it kept out of the work tree.
func (r *Repo) fastForward(ctx context.Context, ours, theirs plumbing.Hash, afterMove func() error) ([]handEdit, []Quarantined, error) {
	_, oursTree, err := r.commitTree(ours)
	if err != nil {
		return nil, nil, err
	}
	_, theirsTree, err := r.commitTree(theirs)
	if err != nil {
		return nil, nil, err
	}
	pl, err := r.planTrees(ctx, oursTree, theirsTree)
	if err != nil {
		return nil, nil, err
	}
	dirty, err := r.moveAndWrite(oursTree, ours, theirs, pl, afterMove, "sync: fast-forward")
	if err != nil || dirty != nil {
		return dirty, nil, err
	}
	return nil, pl.quarantined, nil
}

// planTrees is what the work tree and the index get when main moves from
// the tree a (nil: empty) to b ([Repo.planWorktree]).
func (r *Repo) planTrees(ctx context.Context, a, b *object.Tree) (worktreePlan, error) {
	ch, err := diffTrees(ctx, r.objs, a, b)
	if err != nil {
		return worktreePlan{}, err
	}
	return r.planWorktree(ctx, ch)
}

// mergeCommit merges theirs into ours, commits the merge and writes the
// changed files. base nil: unrelated histories. What it keeps out of the
// work tree is in the output's quarantined.
func (r *Repo) mergeCommit(ctx context.Context, base *plumbing.Hash, ours, theirs plumbing.Hash, opt Options, protect foreign) (plumbing.Hash, mergeOutput, []handEdit, error) {
	in := mergeInput{s: r.objs, mergeFile: opt.MergeFile, authorName: opt.AuthorName, writtenBy: opt.WrittenBy, protect: protect}
	var err error
	if base != nil {
		if _, in.base, err = r.commitTree(*base); err != nil {
			return plumbing.ZeroHash, mergeOutput{}, nil, err
		}
	}
	if in.oursCommit, in.ours, err = r.commitTree(ours); err != nil {
		return plumbing.ZeroHash, mergeOutput{}, nil, err
	}
	if in.theirsCommit, in.theirs, err = r.commitTree(theirs); err != nil {
		return plumbing.ZeroHash, mergeOutput{}, nil, err
	}
	out, err := mergeTrees(ctx, in)
	if err != nil {
		return plumbing.ZeroHash, mergeOutput{}, nil, err
	}
	mergedTree, err := object.GetTree(r.objs, out.tree)
	if err != nil {
		return plumbing.ZeroHash, mergeOutput{}, nil, fmt.Errorf("read merged tree: %w", err)
	}
	pl, err := r.planTrees(ctx, in.ours, mergedTree)
	if err != nil {
		return plumbing.ZeroHash, mergeOutput{}, nil, err
	}
	sig := opt.Signature
	c := &object.Commit{
		Author:       object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
		Committer:    object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
		Message:      mergeMessage(in.commitAuthor(in.theirsCommit), out),
		TreeHash:     out.tree,
		ParentHashes: []plumbing.Hash{ours, theirs},
	}
	h, err := storeCommit(r, c)
	if err != nil {
		return plumbing.ZeroHash, mergeOutput{}, nil, err
	}
	dirty, err := r.moveAndWrite(in.ours, ours, h, pl, opt.afterMove, "sync: merge")
	if err != nil || dirty != nil {
		return plumbing.ZeroHash, mergeOutput{}, dirty, err
	}
	out.quarantined = addQuarantined(pl.quarantined, out.quarantined...)
	return h, out, nil, nil
}

func mergeMessage(who string, out mergeOutput) string {
	if who == "" {
		who = "partner"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "sync: merge %s's changes\n", who)
	if len(out.merged) > 0 {
		b.WriteString("\nmerged both ways:\n")
		for _, p := range out.merged {
			b.WriteString("  " + p + "\n")
		}
	}
	if len(out.conflicts) > 0 {
		b.WriteString("\nconflicts, kept side by side:\n")
		for _, p := range out.conflicts {
			b.WriteString("  " + p + "\n")
		}
	}
	return b.String()
}

// moveAndWrite moves main from old to new and writes changes into the work
// tree and the index. Before moving, it checks that every path it writes
// still holds what oldTree has (nothing uncommitted would be overwritten);
// if not, it returns those files as hand edits and moves nothing.
//
// A marker file records the move until the files are written, so that a
// sync killed in between completes the work-tree update next time
// (finishInterruptedSync) instead of leaving stale files.
func (r *Repo) moveAndWrite(oldTree *object.Tree, old, new plumbing.Hash, pl worktreePlan, afterMove func() error, why string) ([]handEdit, error) {
	dirty, err := r.uncommitted(oldTree, pl.changes)
	if err != nil || dirty != nil {
		return dirty, err
	}
	if err := r.writeSyncMarker(old, new); err != nil {
		return nil, err
	}
	if err := r.moveMain(old, new, why); err != nil {
		r.removeSyncMarker()
		return nil, err
	}
	if afterMove != nil {
		if err := afterMove(); err != nil {
			return nil, err
		}
	}
	if err := r.applyPlan(pl); err != nil {
		return nil, fmt.Errorf("main is at %s; writing its files: %w (the next sync finishes this)", new, err)
	}
	r.removeSyncMarker()
	return nil, nil
}

// uncommitted returns the files at the paths of changes whose content
// differs from tree (what main holds): content that exists nowhere else.
func (r *Repo) uncommitted(tree *object.Tree, changes []Change) ([]handEdit, error) {
	var dirty []handEdit
	for _, c := range changes {
		want := plumbing.ZeroHash
		if tree != nil {
			if e, err := tree.FindEntry(c.Path); err == nil && worktreeFile(e.Mode) {
				want = e.Hash
			}
		}
		name := filepath.Join(r.Dir, filepath.FromSlash(c.Path))
		fi, err := os.Lstat(name)
		if err != nil {
			if want.IsZero() || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				// Missing where main has it: removed by hand. Deleting is
				// safe to redo; writing restores what main had or brings
				// the partner's version.
				continue
			}
			return nil, fmt.Errorf("check %s: %w", c.Path, err)
		}
		if !fi.Mode().IsRegular() {
			if fi.IsDir() {
				return nil, fmt.Errorf("sync: %s is a folder in the journal, but a file in the merged journal; move it away and sync again", c.Path)
			}
			continue
		}
		data, st, err := readStable(name)
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", c.Path, err)
		}
		if plumbing.ComputeHash(plumbing.BlobObject, data) != want {
			dirty = append(dirty, handEdit{change: Change{Path: c.Path, Data: data}, stat: st})
		}
	}
	return dirty, nil
}

// syncMarker is the file that records a move of main whose files are not
// all written yet.
func (r *Repo) syncMarker() string { return filepath.Join(r.gitDir, "reconnect-sync") }

func (r *Repo) writeSyncMarker(old, new plumbing.Hash) error {
	if err := writeDurable(r.syncMarker(), []byte(old.String()+" "+new.String()+"\n")); err != nil {
		return fmt.Errorf("record the sync: %w", err)
	}
	return nil
}

func (r *Repo) removeSyncMarker() { os.Remove(r.syncMarker()) }

// finishInterruptedSync completes the work-tree update of a sync that was
// killed after moving main: each file the move changed is written if it
// still holds the old version (or is missing where the old version had
// none) and main still has the new one. Files changed since are left for
// the hand-edit scan.
func (r *Repo) finishInterruptedSync() error {
	b, err := os.ReadFile(r.syncMarker())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", r.syncMarker(), err)
	}
	f := strings.Fields(string(b))
	if len(f) != 2 || !plumbing.IsHash(f[0]) || !plumbing.IsHash(f[1]) {
		r.removeSyncMarker()
		return nil
	}
	old, new := plumbing.NewHash(f[0]), plumbing.NewHash(f[1])
	head, err := r.Head()
	if err != nil {
		return err
	}
	if head == old {
		r.removeSyncMarker() // main never moved; nothing was written
		return nil
	}
	_, oldTree, err := r.commitTree(old)
	if err != nil {
		return err
	}
	_, newTree, err := r.commitTree(new)
	if err != nil {
		return err
	}
	_, headTree, err := r.commitTree(head)
	if err != nil {
		return err
	}
	ch, err := diffTrees(context.Background(), r.objs, oldTree, newTree)
	if err != nil {
		return err
	}
	for p, c := range ch {
		if !sameEntry(entryAt(r.objs, headTree, c.parts()), c.to) {
			delete(ch, p) // changed again since
			continue
		}
		if c.fromErr != nil && c.toErr != nil || c.fromErr != nil && c.to == nil || c.from == nil && c.toErr != nil {
			continue // never in the work tree: only the index changes
		}
		name := filepath.Join(r.Dir, filepath.FromSlash(p))
		cur := plumbing.ZeroHash
		if data, err := os.ReadFile(name); err == nil {
			cur = plumbing.ComputeHash(plumbing.BlobObject, data)
		} else if errors.Is(err, syscall.EISDIR) {
			delete(ch, p) // a folder now: the hand-edit scan takes it
			continue
		} else if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("check %s: %w", p, err)
		}
		var oldHash, newHash plumbing.Hash // what the work tree holds for each side
		if c.from != nil && c.fromErr == nil {
			oldHash = c.from.Hash
		}
		if c.to != nil && c.toErr == nil {
			newHash = c.to.Hash
		}
		if cur != oldHash && cur != newHash {
			delete(ch, p) // edited since: the hand-edit scan takes it
		}
	}
	pl, err := r.planWorktree(context.Background(), ch)
	if err != nil {
		return err
	}
	if err := r.applyPlan(pl); err != nil {
		return fmt.Errorf("finish the interrupted sync: %w", err)
	}
	r.removeSyncMarker()
	return nil
}

// entryAt is the entry at the tree names parts in t (nil: empty), taken
// as they are, or nil. go-git's Tree.FindEntry cleans the path and refuses
// what git would not check out, so it cannot find what the gate keeps out.
func entryAt(s storer.EncodedObjectStorer, t *object.Tree, parts []string) *object.TreeEntry {
	for i, name := range parts {
		if t == nil {
			return nil
		}
		var e *object.TreeEntry
		for k := range t.Entries {
			if t.Entries[k].Name == name {
				e = &t.Entries[k]
				break
			}
		}
		if e == nil || i == len(parts)-1 {
			return e
		}
		if !isTree(e.Mode) {
			return nil
		}
		sub, err := object.GetTree(s, e.Hash)
		if err != nil {
			return nil
		}
		t = sub
	}
	return nil
}

// findEntry is the entry at the path p, one the gate lets in, in t (nil:
// empty), or nil.
func findEntry(t *object.Tree, p string) *object.TreeEntry {
	if t == nil {
		return nil
	}
	e, err := t.FindEntry(p)
	if err != nil {
		return nil
	}
	return e
}

// setTracking records where the remote's main is, by [updateRef] after the
// fetched objects are durable. It is a record, not a branch anyone writes
// to: it moves from wherever it is.
func (r *Repo) setTracking(h plumbing.Hash) error {
	if err := r.objs.flush(); err != nil {
		return fmt.Errorf("make the fetched objects durable: %w", err)
	}
	u := refUpdate{gitDir: r.gitDir, name: trackingRef, new: h, force: true, msg: "fetch: the remote's main"}
	if err := updateRef(u); err != nil {
		return fmt.Errorf("record the remote's main: %w", err)
	}
	return nil
}

// Fetch brings the remote's new commits into the repository and records
// where its main is, without changing main or any file: [Repo.Status] then
// tells how far behind the journal is. The caller holds the lock. Errors
// are those of [Repo.Sync].
func (r *Repo) Fetch(ctx context.Context, opt Options) error {
	loc, isOrigin, err := r.remoteLocation(opt.Remote)
	if err != nil {
		return err
	}
	end, err := openRemote(loc, opt.Auth, opt.Progress)
	if err != nil {
		return err
	}
	defer end.close()
	if end, err = r.sealRemote(end, opt.Seal); err != nil {
		return err
	}
	if opt.wrapRemote != nil {
		end = opt.wrapRemote(end)
	}
	theirs, err := end.fetch(ctx, r.objs)
	if err != nil {
		return err
	}
	if isOrigin && !theirs.IsZero() {
		return r.setTracking(theirs)
	}
	return nil
}

func progressf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

// hasTracking reports whether the journal has synced with its remote before
// (it knows where the remote's main was).
func (r *Repo) hasTracking() (bool, error) {
	_, found, err := readRef(r.gitDir, trackingRef)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", trackingRef, err)
	}
	return found, nil
}
