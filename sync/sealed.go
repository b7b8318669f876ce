package sync

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"filippo.io/age"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"
)

// compactAt is how many packs the remote may hold before a push replaces
// them with one.
const compactAt = 50

// sealedDirName is the folder in .git holding the sealed commits as the
// remote has them (so that a fetch asks only for what is new). It holds
// only ciphertext.
const sealedDirName = "reconnect-sealed"

// sealedSig is the author and committer of every sealed commit: nothing of
// the couple, and no time.
var sealedSig = object.Signature{Name: "reconnect", Email: "reconnect@localhost", When: time.Unix(0, 0).UTC()}

const sealedMessage = "sealed\n"

// sealedHead is the head record, encrypted in the tree's "head".
type sealedHead struct {
	V     int          `json:"v"`
	Main  string       `json:"main"`
	Packs []sealedPack `json:"packs"`
	N     uint64       `json:"n"` // counts the pushes
	// Keys are the recipients the packs are encrypted to; a push to
	// other keys (one was added) replaces every pack with one for them.
	Keys []string `json:"keys"`
}

// keyNames are the recipients' public keys, sorted.
func keyNames(rs []age.Recipient) []string {
	var out []string
	for _, r := range rs {
		out = append(out, fmt.Sprint(r))
	}
	sort.Strings(out)
	return out
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sealedPack is one pack: its id and the commit it brings the history to.
type sealedPack struct {
	ID  string `json:"id"`
	Tip string `json:"tip"`
}

var packID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// sealedRemote is an encrypted remote over a plain one (see crypt.go): it
// fetches and pushes sealed commits through inner, and gives Sync the
// journal's plain main.
type sealedRemote struct {
	inner remoteEnd
	seal  *Seal
	dir   string // the local copy of the sealed commits
	store *durableStore
	fs    *filesystem.Storage

	fetched bool
	tip     plumbing.Hash // the sealed commit last seen on the remote
	rec     sealedHead
}

// sealRemote wraps end for opt: encrypted when opt.Seal is set, else a
// plain remote that refuses an encrypted one.
func (r *Repo) sealRemote(end remoteEnd, seal *Seal) (remoteEnd, error) {
	if seal == nil {
		return &plainGuard{remoteEnd: end}, nil
	}
	dir := filepath.Join(r.gitDir, sealedDirName)
	if _, err := os.Stat(filepath.Join(dir, "objects")); errors.Is(err, fs.ErrNotExist) {
		if _, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{Bare: true,
			InitOptions: git.InitOptions{DefaultBranch: Branch}}); err != nil && !errors.Is(err, git.ErrRepositoryAlreadyExists) {
			return nil, fmt.Errorf("prepare the encrypted remote's copy: %w", err)
		}
		_ = makeTreePrivate(dir)
	}
	st := openCopy(dir)
	return &sealedRemote{inner: end, seal: seal, dir: dir, fs: st, store: newPackedStore(st, dir)}, nil
}

func (s *sealedRemote) String() string { return s.inner.String() }
func (s *sealedRemote) close()         { s.fs.Close(); s.inner.close() }

// fetch brings the new sealed commits, opens the head, and stores the
// objects of the packs not yet applied: all of them or, on any damage,
// none. It returns the journal's main as the remote has it. The sealed
// commits it brought are stored in the copy, and recorded, when
// [sealedRemote.recordDue] says so; else they stay in memory, and a later
// fetch brings them again.
func (s *sealedRemote) fetch(ctx context.Context, local storer.EncodedObjectStorer) (plumbing.Hash, error) {
	s.seal.OnRemote = nil
	tip, err := s.inner.fetch(ctx, s.store)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if tip.IsZero() {
		s.fetched, s.tip, s.rec = true, plumbing.ZeroHash, sealedHead{}
		return plumbing.ZeroHash, nil
	}
	rec, packs, err := readSealed(s.store, tip, s.seal.Identities)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("fetch from %s: %w", s, err)
	}
	if err := s.checkRollback(rec); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("fetch from %s: %w", s, err)
	}
	main := plumbing.NewHash(rec.Main)
	mem := memory.NewStorage()
	// Each pack brings the history up to its commit from the one before
	// it: the packs after the last whole commit here are the new ones.
	// (Looked for from the end: not a read of every pack's commit.)
	todo := rec.Packs
	if whole(local, main) {
		todo = nil // nothing new
	}
	for i := len(todo) - 1; i >= 0; i-- {
		if whole(local, plumbing.NewHash(rec.Packs[i].Tip)) {
			todo = rec.Packs[i+1:]
			break
		}
	}
	for _, p := range todo {
		if err := ctx.Err(); err != nil {
			return plumbing.ZeroHash, err
		}
		if err := openPack(s.store, packs[p.ID], s.seal.Identities, mem); err != nil {
			return plumbing.ZeroHash, fmt.Errorf("fetch from %s: %w", s, err)
		}
	}
	if !whole(local, main) && !whole(unionStore{mem, local}, main) {
		return plumbing.ZeroHash, fmt.Errorf("fetch from %s: %w: the head names commit %s, which its packs do not hold", s, ErrSealedBroken, short(main))
	}
	if err := storeOrdered(newOnly{local, len(todo) == len(rec.Packs) || len(mem.Objects) >= looseLimit}, mem); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("fetch from %s: %w", s, err)
	}
	if s.recordDue(tip) {
		if err := s.record(tip); err != nil {
			return plumbing.ZeroHash, err
		}
		s.tidy(tip)
	}
	if err := s.saw(rec); err != nil {
		return plumbing.ZeroHash, err
	}
	s.fetched, s.tip, s.rec = true, tip, rec
	s.seal.OnRemote = s.dropsOnRemote()
	return main, nil
}

// record notes the sealed commit the remote is at, in the local copy,
// after its objects are durable (the fetch's objects are one pack: see
// [newPackedStore]).
func (s *sealedRemote) record(tip plumbing.Hash) error {
	if err := s.store.flush(); err != nil {
		return err
	}
	if cur, found, err := readRef(s.dir, Branch); err == nil && found && cur == tip {
		return nil // already there: no lock, no reflog line, no fsync
	}
	return updateRef(refUpdate{gitDir: s.dir, name: Branch, new: tip, force: true, msg: "sealed: the remote's"})
}

// push encrypts the objects new since old into one pack, and the head, and
// moves the remote from the sealed commit last fetched to a new one, by
// compare-and-swap: a remote that moved meanwhile wraps errMoved.
func (s *sealedRemote) push(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error) {
	if !s.fetched || plumbing.NewHash(s.rec.Main) != old && !(old.IsZero() && s.rec.Main == "") {
		return 0, fmt.Errorf("push to %s: %w", s, errMoved)
	}
	commits, objs, err := objectsToSend(local, old, new)
	if err != nil {
		return 0, fmt.Errorf("push to %s: %w", s, err)
	}
	keys := keyNames(s.seal.Recipients)
	compact := s.seal.Compact || len(s.rec.Packs)+1 > compactAt || !sameKeys(keys, s.rec.Keys)
	if compact {
		if _, objs, err = objectsToSend(local, plumbing.ZeroHash, new); err != nil {
			return 0, fmt.Errorf("push to %s: %w", s, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var pack bytes.Buffer
	if _, err := packfile.NewEncoder(&pack, local, false).Encode(objs, sealedWindow(len(objs))); err != nil {
		return 0, fmt.Errorf("push to %s: build pack: %w", s, err)
	}
	// What the partner's fetch would refuse is not sent (see maxSealedFetch).
	if err := checkPack(pack.Bytes(), 0, maxSealedFetch); err != nil {
		return 0, fmt.Errorf("push to %s: %w", s, err)
	}
	sealedPackData, err := encrypt(pack.Bytes(), s.seal.Recipients)
	if err != nil {
		return 0, fmt.Errorf("push to %s: %w", s, err)
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return 0, err
	}
	p := sealedPack{ID: hex.EncodeToString(id), Tip: new.String()}
	rec := sealedHead{V: 1, Main: new.String(), N: s.nextN(), Keys: keys}
	if compact {
		rec.Packs = []sealedPack{p}
	} else {
		rec.Packs = append(append([]sealedPack(nil), s.rec.Packs...), p)
	}
	// The sealed commit is built in memory over the copy and sent from
	// there: the copy is not written, and its ref does not move; a later
	// fetch brings the commit back with what the partner adds on top
	// (see sealed_copy.go). A compaction is the exception: it holds the
	// whole history, which is not fetched back, but stored here now and
	// recorded.
	built := unionStore{memory.NewStorage(), s.store}
	next, err := s.commit(built, rec, p.ID, sealedPackData, compact)
	if err != nil {
		return 0, fmt.Errorf("push to %s: %w", s, err)
	}
	if _, err := s.inner.push(ctx, built, s.tip, next); err != nil {
		return 0, err
	}
	if compact {
		if err := s.keep(built.a, next); err != nil {
			return 0, err
		}
	}
	if err := s.saw(rec); err != nil {
		return 0, err
	}
	s.tip, s.rec = next, rec
	return countNonMerge(commits), nil
}

// commit writes the sealed commit for rec into dst: the previous tree's
// packs that rec keeps, the new pack, the head. A compaction starts a new
// line (no parent), so that the old packs can go.
func (s *sealedRemote) commit(dst storer.EncodedObjectStorer, rec sealedHead, newID string, newPack []byte, compact bool) (plumbing.Hash, error) {
	head, err := json.Marshal(rec)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	sealedHeadData, err := encrypt(head, s.seal.Recipients)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	old := map[string]plumbing.Hash{}
	if !s.tip.IsZero() {
		if _, old, err = sealedTree(s.store, s.tip); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	packHash, err := storeBlob(dst, newPack)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	headHash, err := storeBlob(dst, sealedHeadData)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var packEntries []object.TreeEntry
	for _, p := range rec.Packs {
		h := old[p.ID]
		if p.ID == newID {
			h = packHash
		}
		packEntries = append(packEntries, object.TreeEntry{Name: p.ID, Mode: filemode.Regular, Hash: h})
	}
	sort.Slice(packEntries, func(i, j int) bool { return packEntries[i].Name < packEntries[j].Name })
	packsTree, err := storeEntries(dst, packEntries)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	rootEntries := []object.TreeEntry{
		{Name: "head", Mode: filemode.Regular, Hash: headHash},
		{Name: "packs", Mode: filemode.Dir, Hash: packsTree},
	}
	invites, err := s.invites()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if inv := s.seal.Invite; inv != nil {
		if !packID.MatchString(inv.ID) {
			return plumbing.ZeroHash, fmt.Errorf("an invitation's id %q is not one reconnect makes", inv.ID)
		}
		ih, err := storeBlob(dst, inv.Data)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		invites = append(invites, object.TreeEntry{Name: inv.ID, Mode: filemode.Regular, Hash: ih})
	}
	if len(invites) > 0 {
		sort.Slice(invites, func(i, j int) bool { return invites[i].Name < invites[j].Name })
		it, err := storeEntries(dst, invites)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		rootEntries = append(rootEntries, object.TreeEntry{Name: "invites", Mode: filemode.Dir, Hash: it})
	}
	sort.Slice(rootEntries, func(i, j int) bool { return rootEntries[i].Name < rootEntries[j].Name })
	root, err := storeEntries(dst, rootEntries)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	c := &object.Commit{Author: sealedSig, Committer: sealedSig, Message: sealedMessage, TreeHash: root}
	if !compact && !s.tip.IsZero() {
		c.ParentHashes = []plumbing.Hash{s.tip}
	}
	o := dst.NewEncodedObject()
	if err := c.Encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	return dst.SetEncodedObject(o)
}

// invites are the invitations of the remote's tree that the next push
// keeps: all but those Seal.Drop names.
func (s *sealedRemote) invites() ([]object.TreeEntry, error) {
	if s.tip.IsZero() {
		return nil, nil
	}
	c, err := object.GetCommit(s.store, s.tip)
	if err != nil {
		return nil, err
	}
	t, err := c.Tree()
	if err != nil {
		return nil, err
	}
	e, err := t.FindEntry("invites")
	if err != nil || e.Mode != filemode.Dir {
		return nil, nil
	}
	it, err := object.GetTree(s.store, e.Hash)
	if err != nil {
		return nil, err
	}
	var out []object.TreeEntry
	for _, ie := range it.Entries {
		dropped := !packID.MatchString(ie.Name) || ie.Mode != filemode.Regular
		for _, d := range s.seal.Drop {
			dropped = dropped || d == ie.Name
		}
		if !dropped {
			out = append(out, ie)
		}
	}
	return out, nil
}

func storeBlob(s storer.EncodedObjectStorer, data []byte) (plumbing.Hash, error) {
	o := s.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, err := o.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(o)
}

func storeEntries(s storer.EncodedObjectStorer, entries []object.TreeEntry) (plumbing.Hash, error) {
	t := &object.Tree{Entries: entries}
	if err := storeTree(s, t); err != nil {
		return plumbing.ZeroHash, err
	}
	return t.Hash, nil
}

// sealedTree reads a sealed commit's tree: the head blob and the packs by
// id. Anything else in it is not what reconnect writes.
func sealedTree(s storer.EncodedObjectStorer, tip plumbing.Hash) (head plumbing.Hash, packs map[string]plumbing.Hash, err error) {
	bad := func(why string) error { return fmt.Errorf("%w: %s", ErrSealedBroken, why) }
	c, err := object.GetCommit(s, tip)
	if err != nil {
		return head, nil, bad("its commit cannot be read: " + err.Error())
	}
	t, err := object.GetTree(s, c.TreeHash)
	if err != nil {
		return head, nil, bad("its tree cannot be read: " + err.Error())
	}
	packs = map[string]plumbing.Hash{}
	for _, e := range t.Entries {
		switch {
		case e.Name == "head" && e.Mode == filemode.Regular:
			head = e.Hash
		case e.Name == "packs" && e.Mode == filemode.Dir:
			pt, err := object.GetTree(s, e.Hash)
			if err != nil {
				return head, nil, bad("its packs cannot be read: " + err.Error())
			}
			for _, pe := range pt.Entries {
				if !packID.MatchString(pe.Name) || pe.Mode != filemode.Regular {
					return head, nil, bad(fmt.Sprintf("it holds an unknown file packs/%q", pe.Name))
				}
				packs[pe.Name] = pe.Hash
			}
		case e.Name == "invites" && e.Mode == filemode.Dir:
		default:
			return head, nil, bad(fmt.Sprintf("it holds an unknown file %q", e.Name))
		}
	}
	if head.IsZero() {
		return head, nil, bad("it has no head")
	}
	return head, packs, nil
}

// looksSealed reports whether commit h of s is a sealed commit.
func looksSealed(s storer.EncodedObjectStorer, h plumbing.Hash) bool {
	c, err := object.GetCommit(s, h)
	if err != nil || c.Message != sealedMessage || c.Author.Name != sealedSig.Name {
		return false
	}
	_, _, err = sealedTree(s, h)
	return err == nil
}

// readSealed opens the head of the sealed commit tip and checks it
// against the tree. The commit, its trees and the head are small: each is
// refused unread past [maxSealedHead].
func readSealed(s storer.EncodedObjectStorer, tip plumbing.Hash, ids []age.Identity) (sealedHead, map[string]plumbing.Hash, error) {
	var rec sealedHead
	small := &boundedReads{EncodedObjectStorer: s, max: maxSealedHead}
	headHash, packs, err := sealedTree(small, tip)
	if small.err != nil {
		return rec, nil, small.err
	}
	if err != nil {
		return rec, nil, err
	}
	plain, err := openBlob(s, headHash, ids, "the head", maxSealedHead)
	if err != nil {
		return rec, nil, err
	}
	if err := json.Unmarshal(plain, &rec); err != nil || rec.V != 1 || !isHash(rec.Main) {
		return rec, nil, fmt.Errorf("%w: the head is not a head reconnect writes", ErrSealedBroken)
	}
	for _, p := range rec.Packs {
		if _, ok := packs[p.ID]; !ok || !isHash(p.Tip) {
			return rec, nil, fmt.Errorf("%w: the head names a pack %q the remote does not hold", ErrSealedBroken, p.ID)
		}
	}
	return rec, packs, nil
}

func isHash(s string) bool { return len(s) == 40 && plumbing.IsHash(s) }

// openPack decrypts the pack blob h and parses it into mem; every object
// is checked by its hash as it is read. What mem holds stays within
// [maxSealedFetch]: the blob, its plaintext and its objects' declared
// sizes are checked before they are read or parsed.
func openPack(s storer.EncodedObjectStorer, h plumbing.Hash, ids []age.Identity, mem *memory.Storage) error {
	held, what := heldBy(mem), "a pack"
	if held > 0 {
		what = fmt.Sprintf("a pack (after %s of objects, of the %s a fetch takes)", sizeOf(held), sizeOf(maxSealedFetch))
	}
	plain, err := openBlob(s, h, ids, what, max(maxSealedFetch-held, 0))
	if err != nil {
		return err
	}
	if err := checkPack(plain, held, maxSealedFetch); err != nil {
		return err
	}
	p, err := packfile.NewParserWithStorage(packfile.NewScanner(bytes.NewReader(plain)), mem)
	if err != nil {
		return fmt.Errorf("%w: a pack: %v", ErrSealedBroken, err)
	}
	if _, err := p.Parse(); err != nil {
		return fmt.Errorf("%w: a pack: %v", ErrSealedBroken, err)
	}
	return nil
}

// unionStore reads from the first store that has an object.
type unionStore struct {
	a *memory.Storage
	b storer.EncodedObjectStorer
}

func (u unionStore) NewEncodedObject() plumbing.EncodedObject { return u.a.NewEncodedObject() }
func (u unionStore) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	return u.a.SetEncodedObject(o)
}
func (u unionStore) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if o, err := u.a.EncodedObject(t, h); err == nil {
		return o, nil
	}
	return u.b.EncodedObject(t, h)
}
func (u unionStore) IterEncodedObjects(t plumbing.ObjectType) (storer.EncodedObjectIter, error) {
	return u.a.IterEncodedObjects(t)
}
func (u unionStore) HasEncodedObject(h plumbing.Hash) error {
	if u.a.HasEncodedObject(h) == nil {
		return nil
	}
	return u.b.HasEncodedObject(h)
}
func (u unionStore) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	if n, err := u.a.EncodedObjectSize(h); err == nil {
		return n, nil
	}
	return u.b.EncodedObjectSize(h)
}
func (u unionStore) AddAlternate(string) error { return errors.ErrUnsupported }

// plainGuard is a plain remote that refuses to sync with an encrypted one
// (its sealed commits would otherwise look like another journal).
type plainGuard struct{ remoteEnd }

func (p *plainGuard) fetch(ctx context.Context, local storer.EncodedObjectStorer) (plumbing.Hash, error) {
	h, err := p.remoteEnd.fetch(ctx, local)
	if err == nil && !h.IsZero() && looksSealed(local, h) {
		return plumbing.ZeroHash, fmt.Errorf("%w: %s holds an encrypted journal; this one syncs in plain (join it with 'reconnect join %s --invite CODE')", ErrRemoteSealed, p, p)
	}
	return h, err
}

// CloneSealed makes dir (missing or empty) a copy of the journal on the
// encrypted remote at url, opened with opt.Seal: a first sync into an
// empty journal. A remote without a journal fails with [ErrRemoteEmpty],
// one no key here opens with [ErrNoKey]; either way dir is left as it was.
func CloneSealed(ctx context.Context, url, dir string, opt Options) (_ *Repo, err error) {
	if opt.Seal == nil {
		return nil, fmt.Errorf("clone %s: no keys", Redact(url))
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("clone into %s: %w", dir, err)
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
	if err := r.SetRemote(url); err != nil {
		return nil, err
	}
	opt.Remote, opt.AllowUnrelated = "", false
	res, err := r.Sync(ctx, opt)
	if err != nil {
		return nil, err
	}
	if res.Head.IsZero() {
		return nil, fmt.Errorf("clone %s: %w", Redact(url), ErrRemoteEmpty)
	}
	if err := r.finishClone(abs); err != nil {
		return nil, fmt.Errorf("clone into %s: %w", dir, err)
	}
	return r, nil
}

// ErrNoInvite: the encrypted remote holds no invitation with that id (it
// was used, or another push came after it).
var ErrNoInvite = errors.New("no such invitation on the remote")

// ReadInvite reads the invitation id from the encrypted remote at url:
// the blob a push with [Seal.Invite] left there. It writes nothing here.
func ReadInvite(ctx context.Context, url string, auth Auth, id string) ([]byte, error) {
	if err := CheckRemote(url); err != nil {
		return nil, err
	}
	end, err := openRemote(url, auth, nil)
	if err != nil {
		return nil, err
	}
	defer end.close()
	mem := memory.NewStorage()
	tip, err := end.fetch(ctx, mem)
	if err != nil {
		return nil, err
	}
	if tip.IsZero() {
		return nil, fmt.Errorf("%s: %w", Redact(url), ErrRemoteEmpty)
	}
	if !looksSealed(mem, tip) {
		return nil, fmt.Errorf("%s: %w: the remote is not encrypted", Redact(url), ErrNoInvite)
	}
	c, err := object.GetCommit(mem, tip)
	if err != nil {
		return nil, err
	}
	t, err := c.Tree()
	if err != nil {
		return nil, err
	}
	e, err := t.FindEntry("invites/" + id)
	if err != nil || !packID.MatchString(id) {
		return nil, fmt.Errorf("%s: %w", Redact(url), ErrNoInvite)
	}
	return readBlob(mem, e.Hash)
}

// compactDue reports whether end is an encrypted remote asked to compact
// (Seal.Compact) that is up to date at main: the push then only replaces
// its packs with one.
func compactDue(end remoteEnd, main plumbing.Hash) bool {
	s, ok := end.(*sealedRemote)
	return ok && s.seal.Compact && s.fetched && !s.tip.IsZero() && s.rec.Main == main.String() && len(s.rec.Packs) > 1
}

// sealedWindow is the delta window of a sealed push's pack: none for the
// handful of objects an ordinary push sends (a new entry, its folders'
// trees and a commit, which have nothing to be a delta of: the search
// only costs), packWindow's for more (a compaction, a long absence).
func sealedWindow(n int) uint {
	if n < looseLimit {
		return 0
	}
	return packWindow(n)
}
