package sync

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Joining. A partner who wrote in a journal of their own before joining
// the couple's has two histories that share nothing. [Repo.Join] merges
// this journal into the one at a remote with the rules of every sync
// (mergeTrees: each side's files, MergeFile for an entry both wrote,
// conflict copies, your entries stay yours, the path gate), as if both had
// started empty, except for the files that make a journal (its settings):
// there the remote's version is taken, since the journal joined keeps its
// own. The merge commit has two parents, the remote's main first, so the
// partner fast-forwards to it; then it is pushed as any sync pushes.

// UnrelatedError is a sync refused because the remote holds a journal
// whose history shares nothing with this one. It wraps
// [ErrRemoteHasJournal]; Remote is the remote's address without
// credentials, for a 'join' that merges this journal into it.
type UnrelatedError struct {
	Remote string
	Err    error
}

func (e *UnrelatedError) Error() string { return e.Err.Error() }
func (e *UnrelatedError) Unwrap() error { return e.Err }

// unrelatedAt names the remote at loc in an [ErrRemoteHasJournal]; other
// errors come back as they are.
func unrelatedAt(loc string, err error) error {
	if err == nil || !errors.Is(err, ErrRemoteHasJournal) {
		return err
	}
	clean, _, _ := StripCredentials(loc)
	return &UnrelatedError{Remote: clean, Err: err}
}

// Join makes this journal part of the journal at url, and url its remote;
// the caller holds the lock ([Repo.Lock]).
//
// It commits hand edits first, fetches, and when the two histories share
// nothing merges them as a sync would with no common version (see the
// comment above), the remote's main first among the merge's parents.
// remoteWins names files at the top of the journal (its settings) where
// the remote's version replaces this one's without a conflict copy. When
// the remote's journal already holds everything of this one (a journal
// with nothing written yet), main simply takes the remote's main: no
// merge commit is made. When the histories are related (a join begun
// before), nothing is merged here. Then url becomes the journal's remote
// and a sync ([Repo.Sync]) sends the result and brings in anything newer.
//
// Crash safety is a sync's: the objects are durable before main moves,
// main moves last and once, by compare-and-swap, and the remote changes
// only by the push that follows. A join stopped before main moved leaves
// this journal as it was (its remote too); one stopped after is joined,
// and a join or sync run again completes it.
//
// Errors are those of [Repo.Sync]; a remote with no main wraps
// [ErrRemoteEmpty]. A failure after main moved (the push) leaves the
// journal joined here; [Result.Head] then says where main is.
func (r *Repo) Join(ctx context.Context, url string, opt Options, remoteWins ...string) (Result, error) {
	res, err := r.JoinMerge(ctx, url, opt, remoteWins...)
	if err != nil {
		return res, err
	}
	return r.JoinSync(ctx, opt, res)
}

// JoinMerge is [Repo.Join] up to its closing sync: it commits hand edits,
// fetches, merges, and makes url the journal's remote; nothing is sent.
// The caller, who holds the lock, then syncs: for an encrypted remote,
// with a [Seal] read from the journal as merged (its settings are the
// remote's), so that the push is encrypted to the couple's keys, which
// are known only once the remote's journal is open. Crash safety and
// errors are Join's.
func (r *Repo) JoinMerge(ctx context.Context, url string, opt Options, remoteWins ...string) (Result, error) {
	var res Result
	if err := CheckRemote(url); err != nil {
		return res, fmt.Errorf("join: %w", err)
	}
	if err := r.checkOnMain(); err != nil {
		return res, err
	}
	if err := checkSignature(opt.Signature); err != nil {
		return res, fmt.Errorf("join: %w", err)
	}
	if err := r.finishInterruptedSync(); err != nil {
		return res, err
	}
	if !opt.SkipHandEdits {
		if err := r.retryQuarantined(); err != nil {
			return res, err
		}
		edits, err := r.scanHandEdits()
		if err != nil {
			return res, err
		}
		h, err := r.commitScanned(opt.Signature, edits)
		switch {
		case err == nil:
			res.HandEdits = h
		case !errors.Is(err, ErrNoChange):
			return res, err
		}
	}
	theirs, err := r.fetchFrom(ctx, url, opt)
	if err != nil {
		return res, err
	}
	if theirs.IsZero() {
		return res, fmt.Errorf("join %s: %w", Redact(url), ErrRemoteEmpty)
	}
	if err := r.joinMerge(ctx, theirs, opt, remoteWins, &res); err != nil {
		return res, err
	}
	// main holds the remote's history now: it is the journal's remote.
	if err := r.SetRemote(url); err != nil {
		return res, err
	}
	if err := r.setTracking(theirs); err != nil {
		return res, err
	}
	if res.Head.IsZero() {
		res.Head, _ = r.Head()
	}
	return res, nil
}

// JoinSync is the sync that closes a join begun with [Repo.JoinMerge]:
// it sends the merge and brings in anything newer, and adds what it did
// to res. The caller holds the lock.
func (r *Repo) JoinSync(ctx context.Context, opt Options, res Result) (Result, error) {
	opt.Remote, opt.SkipHandEdits = "", true
	sr, err := r.Sync(ctx, opt)
	res.Head = sr.Head
	if res.Head.IsZero() {
		res.Head, _ = r.Head()
	}
	res.Pulled += sr.Pulled
	res.Pushed += sr.Pushed
	res.Conflicts = append(res.Conflicts, sr.Conflicts...)
	res.Merged = append(res.Merged, sr.Merged...)
	res.Protected = append(res.Protected, sr.Protected...)
	res.Forged = append(res.Forged, sr.Forged...)
	res.Quarantined = addQuarantined(res.Quarantined, sr.Quarantined...)
	if sr.State != "" {
		setState(&res, sr.State)
	}
	return res, err
}

// fetchFrom brings the objects of the main of the remote at url into the
// repository, moving no ref, and returns that main (zero: none yet).
func (r *Repo) fetchFrom(ctx context.Context, url string, opt Options) (plumbing.Hash, error) {
	end, err := openRemote(url, opt.Auth, opt.Progress)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer end.close()
	if f, ok := end.(*folderRemote); ok {
		f.notify = r.notify
	}
	if end, err = r.sealRemote(end, opt.Seal); err != nil {
		return plumbing.ZeroHash, err
	}
	if opt.wrapRemote != nil {
		end = opt.wrapRemote(end)
	}
	progressf(opt.Progress, "fetching from %s", end)
	return end.fetch(ctx, r.objs)
}

// joinMerge merges theirs, a history unrelated to main, into main (see
// [Repo.Join]). A main that already shares history with theirs is left
// as it is.
func (r *Repo) joinMerge(ctx context.Context, theirs plumbing.Hash, opt Options, remoteWins []string, res *Result) error {
	for round := 0; ; round++ {
		ours, err := r.Head()
		if err != nil {
			return err
		}
		if ours.IsZero() {
			return nil // nothing here yet: the sync that follows takes theirs
		}
		g := newCommitGraph(r.objs)
		bases, err := g.mergeBases(ours, theirs)
		if err != nil {
			return err
		}
		if len(bases) > 0 {
			return nil // joined before: the sync that follows does the rest
		}
		pulled, err := g.only([]plumbing.Hash{theirs}, []plumbing.Hash{ours})
		if err != nil {
			return err
		}
		protect, err := r.foreignIn(ctx, pulled, opt, res)
		if err != nil {
			return err
		}
		progressf(opt.Progress, "merging this journal into the remote's (%d commits)", countNonMerge(pulled))
		in := mergeInput{s: r.objs, mergeFile: opt.MergeFile, authorName: opt.AuthorName, writtenBy: opt.WrittenBy, protect: protect}
		if in.oursCommit, in.ours, err = r.commitTree(ours); err != nil {
			return err
		}
		if in.theirsCommit, in.theirs, err = r.commitTree(theirs); err != nil {
			return err
		}
		in.base = joinBase(in.ours, in.theirs, remoteWins)
		out, err := mergeTrees(ctx, in)
		if err != nil {
			return err
		}
		next, why, state := theirs, "join: take the joined journal", StatePulled
		if out.tree != in.theirs.Hash {
			sig := opt.Signature
			c := &object.Commit{
				Author:       object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
				Committer:    object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
				Message:      joinMessage(authorOf(opt.AuthorName, in.oursCommit), in.commitAuthor(in.theirsCommit), out),
				TreeHash:     out.tree,
				ParentHashes: []plumbing.Hash{theirs, ours},
			}
			if next, err = storeCommit(r, c); err != nil {
				return err
			}
			why, state = "join: merge", StateMerged
		}
		merged, err := object.GetTree(r.objs, out.tree)
		if err != nil {
			return fmt.Errorf("read merged tree: %w", err)
		}
		pl, err := r.planTrees(ctx, in.ours, merged)
		if err != nil {
			return err
		}
		dirty, err := r.moveAndWrite(in.ours, ours, next, pl, opt.afterMove, why)
		if err != nil {
			return err
		}
		if dirty != nil {
			if err := r.commitDirty(opt, dirty, res, round); err != nil {
				return err
			}
			continue
		}
		res.Quarantined = addQuarantined(res.Quarantined, addQuarantined(pl.quarantined, out.quarantined...)...)
		res.Pulled += countNonMerge(pulled)
		res.Conflicts = append(res.Conflicts, out.conflicts...)
		res.Merged = append(res.Merged, out.merged...)
		res.Protected = append(res.Protected, out.protected...)
		res.Head = next
		setState(res, state)
		return nil
	}
}

// joinBase is the version both sides of a join are merged from: nothing,
// but for the files named in remoteWins, at the top of the journal, that
// both hold as plain files: ours. So ours has not changed them and
// theirs did, and the merge takes theirs. It is a tree held in memory,
// never stored: the merge reads only its entries.
func joinBase(ours, theirs *object.Tree, remoteWins []string) *object.Tree {
	base := &object.Tree{}
	for _, name := range remoteWins {
		if name == "" || strings.Contains(name, "/") || path.Clean(name) != name {
			continue // only names at the top of the journal
		}
		o, t := findEntry(ours, name), findEntry(theirs, name)
		if o == nil || t == nil || !worktreeFile(o.Mode) || !worktreeFile(t.Mode) {
			continue
		}
		base.Entries = append(base.Entries, *o)
	}
	return base
}

// joinMessage is the join's merge commit message: who joins whose
// journal, then what merged and what clashed.
func joinMessage(me, them string, out mergeOutput) string {
	if me == "" {
		me = "this"
	} else {
		me += "'s"
	}
	if them == "" {
		them = "partner"
	}
	body := mergeMessage(them, out)
	_, rest, _ := strings.Cut(body, "\n")
	return fmt.Sprintf("join: merge %s journal into %s's\n", me, them) + rest
}

// SharesHistory reports whether main and the remote's main, as last
// fetched, share history: the journal has joined its remote's (a join
// would only sync). False when the remote was never fetched.
func (r *Repo) SharesHistory() (bool, error) {
	theirs, found, err := readRef(r.gitDir, trackingRef)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", trackingRef, err)
	}
	ours, err := r.Head()
	if err != nil || !found || ours.IsZero() {
		return false, err
	}
	bases, err := newCommitGraph(r.objs).mergeBases(ours, theirs)
	if err != nil {
		return false, err
	}
	return len(bases) > 0, nil
}
