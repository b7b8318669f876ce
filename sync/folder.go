package sync

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// folderRemote is a bare repository in a folder on this machine (a USB
// drive, a synced folder, a network mount). go-git's file transport would
// run the git binary, so the objects are copied directly: only the missing
// ones, each before anything that points at it, and main is moved last, with
// git's own lock-file protocol, so git and reconnect can share the folder.
type folderRemote struct {
	path string

	// synced is set when this journal has synced with the folder before:
	// then a missing or empty folder is a drive that is not mounted (or a
	// share that moved), never a new remote to fill, so that a journal is
	// not scattered onto the local disk under an empty mount point.
	synced bool

	// beforePublish, when set (tests only), runs after the objects are
	// written and before main moves; an error from it fails the push there.
	beforePublish func() error

	// notify hears the one-line messages of [Repo.Notify].
	notify func(string)
}

func (f *folderRemote) String() string { return f.path }
func (f *folderRemote) close()         {}

// open opens the bare repository; exists is false (and s nil) when the
// folder is missing or empty. A folder whose parent is missing is offline:
// most likely a drive that is not mounted.
func (f *folderRemote) open() (s *filesystem.Storage, exists bool, err error) {
	fi, err := os.Stat(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if f.synced {
			return nil, false, f.gone()
		}
		if _, perr := os.Stat(filepath.Dir(f.path)); perr != nil {
			return nil, false, fmt.Errorf("remote folder %s: %w (its parent folder is missing: %v)", f.path, ErrOffline, perr)
		}
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("remote folder %s: %w (%v)", f.path, ErrOffline, err)
	case !fi.IsDir():
		return nil, false, fmt.Errorf("remote folder %s is a file, not a folder", f.path)
	}
	ents, err := os.ReadDir(f.path)
	if err != nil {
		return nil, false, fmt.Errorf("remote folder %s: %w (%v)", f.path, ErrOffline, err)
	}
	if len(ents) == 0 {
		if f.synced {
			return nil, false, f.gone()
		}
		return nil, false, nil
	}
	if _, err := os.Stat(filepath.Join(f.path, ".git")); err == nil {
		return nil, false, fmt.Errorf("remote folder %s is a git work tree; a shared remote must be a bare repository (git init --bare, or an empty folder)", f.path)
	}
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(f.path, name)); err != nil {
			return nil, false, fmt.Errorf("remote folder %s is not a git repository (no %s) and not empty", f.path, name)
		}
	}
	// Pack files stay open for the exchange (go-git otherwise opens the
	// pack again for every object); the caller closes the storage.
	return filesystem.NewStorageWithOptions(osfs.New(f.path), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true, LargeObjectThreshold: streamAbove}), true, nil
}

// gone is the error for a folder remote that vanished after syncing.
func (f *folderRemote) gone() error {
	return fmt.Errorf("remote folder %s: %w: it is missing or empty, though this journal synced with it before (is the drive mounted?)", f.path, ErrOffline)
}

// create makes an empty bare repository whose HEAD is main, private like
// the journal whatever the umask: the folder 0700 (made so, or made so if
// it was there and empty), and go-git's files in it without the group's and
// others' permissions. The objects pushed later land in a folder no one
// else can enter.
func (f *folderRemote) create() (*filesystem.Storage, error) {
	if err := os.MkdirAll(f.path, fsutil.DirMode); err != nil {
		return nil, fmt.Errorf("create the remote repository %s: %w", f.path, err)
	}
	if err := privateDir(f.path); err != nil {
		return nil, fmt.Errorf("create the remote repository %s: %w", f.path, err)
	}
	_, err := git.PlainInitWithOptions(f.path, &git.PlainInitOptions{
		Bare:        true,
		InitOptions: git.InitOptions{DefaultBranch: Branch},
	})
	if err != nil && !errors.Is(err, git.ErrRepositoryAlreadyExists) {
		return nil, fmt.Errorf("create the remote repository %s: %w", f.path, err)
	}
	if err := makeTreePrivate(f.path); err != nil {
		return nil, fmt.Errorf("create the remote repository %s: %w", f.path, err)
	}
	s, exists, err := f.open()
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("create the remote repository %s: nothing was created", f.path)
	}
	return s, nil
}

// main reads the bare repository's main: the loose ref, else packed-refs.
func (f *folderRemote) main() (plumbing.Hash, error) {
	b, err := os.ReadFile(filepath.Join(f.path, "refs", "heads", "main"))
	if err == nil {
		return parseRefLine(f.path, b)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, fmt.Errorf("read %s in %s: %w", Branch, f.path, err)
	}
	return packedRef(f.path, Branch)
}

func parseRefLine(where string, b []byte) (plumbing.Hash, error) {
	s := strings.TrimSpace(string(b))
	if !plumbing.IsHash(s) {
		return plumbing.ZeroHash, fmt.Errorf("read %s in %s: not a commit hash: %q", Branch, where, s)
	}
	return plumbing.NewHash(s), nil
}

func packedRef(gitDir string, name plumbing.ReferenceName) (plumbing.Hash, error) {
	f, err := os.Open(filepath.Join(gitDir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read packed-refs in %s: %w", gitDir, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		h, n, ok := strings.Cut(line, " ")
		if ok && n == name.String() && plumbing.IsHash(h) {
			return plumbing.NewHash(h), nil
		}
	}
	if err := sc.Err(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read packed-refs in %s: %w", gitDir, err)
	}
	return plumbing.ZeroHash, nil
}

// fetch and push run their file work on a goroutine of their own and give
// up when ctx is done: a folder on a mount that hangs (a network share
// gone away) blocks in the kernel where no deadline reaches, and a command
// must still end. What the abandoned goroutine leaves is harmless (objects
// no ref points at; a flock that dies with the process).
func (f *folderRemote) fetch(ctx context.Context, local storer.EncodedObjectStorer) (plumbing.Hash, error) {
	return bounded(ctx, f.path, func() (plumbing.Hash, error) { return f.fetchNow(ctx, local) })
}

func (f *folderRemote) push(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error) {
	return bounded(ctx, f.path, func() (int, error) { return f.pushNow(ctx, local, old, new) })
}

// bounded runs work and returns its result, or an error wrapping
// [ErrOffline] and ctx's error as soon as ctx is done.
func bounded[T any](ctx context.Context, path string, work func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := work()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("remote folder %s: %w: it did not answer in time (a mount that hangs?): %w", path, ErrOffline, ctx.Err())
	}
}

func (f *folderRemote) fetchNow(ctx context.Context, local storer.EncodedObjectStorer) (plumbing.Hash, error) {
	src, exists, err := f.open()
	if err != nil || !exists {
		return plumbing.ZeroHash, err
	}
	defer src.Close()
	head, err := f.main()
	if err != nil || head.IsZero() {
		return head, err
	}
	if has(local, head) {
		return head, nil
	}
	if _, err := copyMissing(ctx, local, src, head, func(h plumbing.Hash) bool { return has(local, h) }); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("fetch from %s: %w", f.path, err)
	}
	return head, nil
}

func (f *folderRemote) pushNow(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error) {
	dst, exists, err := f.open()
	if err != nil {
		return 0, err
	}
	if !exists {
		if !old.IsZero() {
			return 0, fmt.Errorf("push to %s: %w: the repository is gone", f.path, errMoved)
		}
		if dst, err = f.create(); err != nil {
			return 0, err
		}
	}
	defer dst.Close()
	// The folder's own reconnect lock, an OS lock that dies with its
	// process: while it is held no other reconnect pushes here, so a
	// main.lock that a reconnect made (see [lockedReplace]) and left is
	// provably stale and is cleared, and a killed push never blocks the
	// remote for good.
	unlock, err := takeFlock(ctx, filepath.Join(f.path, lockFile), f.path, f.notify, 0)
	if err != nil {
		return 0, fmt.Errorf("push to %s: %w", f.path, err)
	}
	defer unlock()
	if _, err := clearStaleLocks(f.path); err != nil {
		return 0, fmt.Errorf("push to %s: %w", f.path, err)
	}
	if _, err := sweepTmp(f.path); err != nil {
		return 0, fmt.Errorf("push to %s: %w", f.path, err)
	}
	sweepObjectTemps(f.path)
	cur, err := f.main()
	if err != nil {
		return 0, err
	}
	if cur != old {
		return 0, fmt.Errorf("push to %s: %w (it is at %s, not %s)", f.path, errMoved, short(cur), short(old))
	}
	present := newPackedSet(f.path, dst)
	defer present.close()
	durable := newDurableStore(dst, f.path)
	sent, err := copyMissing(ctx, durable, local, new, present.has)
	if err != nil {
		return 0, fmt.Errorf("push to %s: %w", f.path, err)
	}
	if err := durable.flush(); err != nil {
		return 0, fmt.Errorf("push to %s: make the objects durable: %w", f.path, err)
	}
	if f.beforePublish != nil {
		if err := f.beforePublish(); err != nil {
			return 0, fmt.Errorf("push to %s: %w", f.path, err)
		}
	}
	u := refUpdate{gitDir: f.path, name: Branch, old: old, new: new, msg: "push: from reconnect"}
	if c, err := object.GetCommit(local, new); err == nil {
		u.who = c.Committer
	}
	if err := updateRef(u); err != nil {
		return 0, fmt.Errorf("push to %s: %w", f.path, err)
	}
	if old.IsZero() {
		f.headToMain()
	}
	return sent, nil
}

// headToMain points the bare repository's HEAD at main when it names a
// branch that does not exist (a 'git init --bare' made with master as its
// default): so a partner's plain 'git clone' checks out the journal.
func (f *folderRemote) headToMain() {
	b, err := os.ReadFile(filepath.Join(f.path, "HEAD"))
	if err != nil {
		return
	}
	target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "ref: ")
	if !ok || target == Branch.String() {
		return
	}
	if _, err := os.Stat(filepath.Join(f.path, filepath.FromSlash(target))); err == nil {
		return
	}
	if h, err := packedRef(f.path, plumbing.ReferenceName(target)); err != nil || !h.IsZero() {
		return
	}
	_ = fsutil.WriteFile(filepath.Join(f.path, "HEAD"), []byte("ref: "+Branch.String()+"\n"), 0o644)
}

// copyMissing copies into dst the commits reachable from tip that dst does
// not have, with their new trees and blobs, each object after those it
// points to. A commit in dst is taken to be complete with its history,
// which this order guarantees for everything reconnect writes (and git
// guarantees for what it writes), so the walk stops there: the cost is what
// is new, not the age of the journal. It returns the number of non-merge
// commits copied.
//
// present tells whether dst has an object.
func copyMissing(ctx context.Context, dst, src storer.EncodedObjectStorer, tip plumbing.Hash, present func(plumbing.Hash) bool) (int, error) {
	g := newCommitGraph(src)
	var missing []*walkNode
	seen := map[plumbing.Hash]bool{tip: true}
	stack := []plumbing.Hash{tip}
	for len(stack) > 0 {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if present(h) {
			continue
		}
		n, err := g.node(h)
		if err != nil {
			return 0, err
		}
		missing = append(missing, n)
		for _, p := range n.parents {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	commits := topoParentsFirst(missing)
	objs, err := newObjects(src, commits, g)
	if err != nil {
		return 0, err
	}
	if err := copyObjects(ctx, dst, src, objs, present); err != nil {
		return 0, err
	}
	return countNonMerge(commits), nil
}

// copyObjects writes objs (in the given order) from src into dst: loose
// objects for a few, one pack file for many.
func copyObjects(ctx context.Context, dst, src storer.EncodedObjectStorer, objs []plumbing.Hash, present func(plumbing.Hash) bool) error {
	if pw, ok := dst.(storer.PackfileWriter); ok && len(objs) >= looseLimit {
		w, err := pw.PackfileWriter()
		if err != nil {
			return fmt.Errorf("write pack: %w", err)
		}
		if _, err := packfile.NewEncoder(w, src, false).Encode(objs, packWindow(len(objs))); err != nil {
			w.Close()
			return fmt.Errorf("write pack: %w", err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("write pack: %w", err)
		}
		return nil
	}
	for _, h := range objs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if present(h) {
			continue
		}
		o, err := src.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return fmt.Errorf("read object %s: %w", h, err)
		}
		if _, err := dst.SetEncodedObject(o); err != nil {
			return fmt.Errorf("write object %s: %w", h, err)
		}
	}
	return nil
}

// short is a commit's abbreviated hash for messages ("none" for zero).
func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "none"
	}
	return h.String()[:7]
}

// packedSet answers "does the repository have this object" for a folder
// remote without go-git's full decoding of its pack indexes (which reads
// every object name of a 25-year journal on each exchange): a loose object
// is one stat, a packed one a binary search in the part of each version-2
// .idx file that the fan-out table points at. Anything it cannot read
// falls back to go-git.
type packedSet struct {
	dir      string
	fallback storer.EncodedObjectStorer
	idx      []packIdx
	bad      bool // an index it cannot read: ask go-git
}

// packIdx is an open version-2 pack index holding n object names.
type packIdx struct {
	f *os.File
	n uint32
}

func newPackedSet(gitDir string, fallback storer.EncodedObjectStorer) *packedSet {
	p := &packedSet{dir: gitDir, fallback: fallback}
	names, err := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "pack-*.idx"))
	if err != nil {
		p.bad = true
		return p
	}
	for _, n := range names {
		ix, err := openIdx(n)
		if err != nil {
			p.bad = true
			continue
		}
		p.idx = append(p.idx, ix)
	}
	return p
}

// openIdx opens the pack index name: a version-2 header, and a size that
// holds the names, CRCs and offsets of as many objects as its fan-out
// says, and the two checksums.
func openIdx(name string) (packIdx, error) {
	f, err := os.Open(name)
	if err != nil {
		return packIdx{}, err
	}
	var hdr [8]byte
	var last [4]byte
	fi, err := f.Stat()
	if err == nil {
		_, err = f.ReadAt(hdr[:], 0)
	}
	if err == nil {
		_, err = f.ReadAt(last[:], 8+255*4)
	}
	if err == nil && (string(hdr[:4]) != "\377tOc" || hdr[7] != 2 || hdr[4]|hdr[5]|hdr[6] != 0) {
		err = errors.New("not a version-2 pack index")
	}
	n := binary.BigEndian.Uint32(last[:])
	if err == nil && fi.Size() < 8+256*4+int64(n)*(20+4+4)+2*20 {
		err = errors.New("pack index shorter than its object count")
	}
	if err != nil {
		f.Close()
		return packIdx{}, fmt.Errorf("read pack index %s: %w", name, err)
	}
	return packIdx{f: f, n: n}, nil
}

func (p *packedSet) close() {
	for _, ix := range p.idx {
		ix.f.Close()
	}
}

func (p *packedSet) has(h plumbing.Hash) bool {
	hex := h.String()
	if _, err := os.Stat(filepath.Join(p.dir, "objects", hex[:2], hex[2:])); err == nil {
		return true
	}
	for _, ix := range p.idx {
		if ok, err := idxHas(ix, h); err == nil && ok {
			return true
		} else if err != nil {
			return has(p.fallback, h)
		}
	}
	if p.bad {
		return has(p.fallback, h)
	}
	return false
}

// idxHas looks h up in a version-2 pack index: header (8 bytes), fan-out
// (256 counts), then the sorted object names. A fan-out that goes down or
// past the index's count is an error.
func idxHas(ix packIdx, h plumbing.Hash) (bool, error) {
	f := ix.f
	var fan [8]byte
	first := int64(h[0])
	lo := uint32(0)
	if first > 0 {
		if _, err := f.ReadAt(fan[:8], 8+(first-1)*4); err != nil {
			return false, err
		}
		lo = binary.BigEndian.Uint32(fan[:4])
	} else if _, err := f.ReadAt(fan[4:8], 8); err != nil {
		return false, err
	}
	hi := binary.BigEndian.Uint32(fan[4:8])
	if hi < lo || hi > ix.n {
		return false, errors.New("corrupt pack index: bad fan-out")
	}
	if hi == lo {
		return false, nil
	}
	names := make([]byte, int(hi-lo)*20)
	if _, err := f.ReadAt(names, 8+256*4+int64(lo)*20); err != nil {
		return false, err
	}
	i := sort.Search(int(hi-lo), func(i int) bool { return bytes.Compare(names[i*20:i*20+20], h[:]) >= 0 })
	return i < int(hi-lo) && bytes.Equal(names[i*20:i*20+20], h[:]), nil
}
