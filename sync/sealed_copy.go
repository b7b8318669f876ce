package sync

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-billy/v5/util"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/memory"
)

// The local copy of an encrypted remote (.git/reconnect-sealed) holds the
// remote's sealed commits so that a fetch asks only for what is new. It
// is written a pack at a time, and its ref moves only by [updateRef] after
// that pack is durable:
//
//   - a push sends its sealed commit from memory and leaves the copy
//     alone (the next fetch brings it back with the partner's), but for a
//     compaction, which is stored and recorded at once ([sealedRemote.keep]);
//   - a fetch keeps what it brought in memory while the copy's ref is no
//     more than [recordLag] sealed commits behind (a later fetch brings
//     them again, a few KB each), and past that, or for a large fetch,
//     stores them all as one pack ([newPackedStore]) and then records the
//     remote's commit ([sealedRemote.record]).
//
// So an exchange of one entry each way usually writes nothing here, and
// at most one pack and one ref move a fetch, where five loose objects,
// their fan-out folders and a ref move for each push and each fetch cost
// a sealed sync about twelve fsyncs more than a plain one. So that the
// packs do not pile up (go-git reads every pack's index to find an
// object), [sealedRemote.tidy] folds them into one now and then.

// recordLag is how many sealed commits the copy's ref may stay behind the
// remote: a fetch that brings fewer on top of the recorded one keeps them
// in memory (a later fetch brings them again, a few KB each), and one
// that brings more stores them all, as one pack, and records the newest
// ([sealedRemote.recordDue]). recordBytes: a fetch that brings more bytes
// than this (a compaction) stores and records them at once.
// (Vars for tests.)
var (
	recordLag         = 4
	recordBytes int64 = 256 << 10
)

// recordDue reports whether a fetch of tip stores what it brought in the
// copy and moves the copy's ref to tip: when the ref is missing, is not
// one of the recordLag sealed commits under tip, or the fetch brought more
// than recordBytes.
func (s *sealedRemote) recordDue(tip plumbing.Hash) bool {
	if s.store.pendingSize() > recordBytes {
		return true
	}
	cur, found, err := readRef(s.dir, Branch)
	if err != nil || !found {
		return true
	}
	h := tip
	for range recordLag {
		if h == cur {
			return false
		}
		c, err := object.GetCommit(s.store, h)
		if err != nil || len(c.ParentHashes) != 1 {
			return true
		}
		h = c.ParentHashes[0]
	}
	return true
}

// newOnly stores in s only the objects s lacks, when check is set (the
// fetch opened the remote's packs from the first, or many objects): after
// a compaction, the one pack to open holds the whole history, and all but
// the few objects new since the last sync are here already. (For the few
// objects of an ordinary sync, looking each up costs more than writing
// again the rare one that is here.)
type newOnly struct {
	storer.EncodedObjectStorer
	check bool
}

func (n newOnly) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	if h := o.Hash(); n.check && has(n.EncodedObjectStorer, h) {
		return h, nil
	}
	return n.EncodedObjectStorer.SetEncodedObject(o)
}

// maxCopyPacks is how many packs the copy may hold before a fetch folds
// them ([sealedRemote.tidy]). A var for tests.
var maxCopyPacks = 16

// keep stores the objects of a sealed commit built in mem (a compaction)
// in the copy, as one pack, and records it as where the remote is.
func (s *sealedRemote) keep(mem *memory.Storage, tip plumbing.Hash) error {
	iter, err := mem.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		return err
	}
	if err := iter.ForEach(func(o plumbing.EncodedObject) error {
		_, err := s.store.SetEncodedObject(o)
		return err
	}); err != nil {
		return fmt.Errorf("push to %s: keep the sealed commit: %w", s, err)
	}
	if err := s.record(tip); err != nil {
		return err
	}
	s.tidy(tip)
	return nil
}

// openCopy opens the copy's object store. go-git reads a pack index four
// bytes a call, and the copy's store is opened, and its indexes read, at
// every sync: each index is read whole instead.
func openCopy(dir string) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(wholeIdx{osfs.New(dir)}, cache.NewObjectLRUDefault(),
		filesystem.Options{LargeObjectThreshold: streamAbove})
}

// wholeIdx is a file system whose pack indexes open as their content, in
// memory.
type wholeIdx struct{ billy.Filesystem }

func (w wholeIdx) Open(name string) (billy.File, error) {
	if !strings.HasSuffix(name, ".idx") {
		return w.Filesystem.Open(name)
	}
	data, err := util.ReadFile(w.Filesystem, name)
	if err != nil {
		return nil, err
	}
	return &memFile{name: name, Reader: bytes.NewReader(data)}, nil
}

// memFile is a read-only billy.File over bytes.
type memFile struct {
	name string
	*bytes.Reader
}

func (f *memFile) Name() string              { return f.name }
func (f *memFile) Write([]byte) (int, error) { return 0, os.ErrPermission }
func (f *memFile) Close() error              { return nil }
func (f *memFile) Lock() error               { return nil }
func (f *memFile) Unlock() error             { return nil }
func (f *memFile) Truncate(int64) error      { return os.ErrPermission }

var packFileName = regexp.MustCompile(`^pack-[0-9a-f]{40}\.pack$`)

// tidy folds the copy's packs into one when there are more than
// [maxCopyPacks]: every object reachable from tip (the copy's ref, just
// recorded) that the largest pack does not hold (the last compaction,
// most likely: it is never rewritten) goes into one new pack, written
// whole and synced ([writePack]); the reflog keeps only the moves to
// commits that are kept; then the other packs and every loose object go.
// A cut at any step leaves every object the ref needs in place (at worst
// twice); anything that fails stops it, and the next fetch tries again.
// It also removes the temporary files of a pack write that was cut.
func (s *sealedRemote) tidy(tip plumbing.Hash) {
	packDir := filepath.Join(s.dir, "objects", "pack")
	ents, err := os.ReadDir(packDir)
	if err != nil {
		return
	}
	var packs []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, "tmp_") {
			os.Remove(filepath.Join(packDir, n))
			continue
		}
		if packFileName.MatchString(n) {
			packs = append(packs, strings.TrimSuffix(n, ".pack"))
		}
	}
	if len(packs) <= maxCopyPacks {
		return
	}
	largest, size := "", int64(-1)
	for _, p := range packs {
		fi, err := os.Stat(filepath.Join(packDir, p+".pack"))
		if err != nil {
			return
		}
		if fi.Size() > size {
			largest, size = p, fi.Size()
		}
	}
	kept, err := readIdx(filepath.Join(packDir, largest+".idx"))
	if err != nil {
		return
	}
	reach, err := reachable(s.store, tip)
	if err != nil {
		return
	}
	var objs []plumbing.Hash
	for _, h := range reach {
		if ok, err := kept.Contains(h); err != nil {
			return
		} else if !ok {
			objs = append(objs, h)
		}
	}
	folded := ""
	if len(objs) > 0 {
		var buf bytes.Buffer
		if _, err := packfile.NewEncoder(&buf, s.store, false).Encode(objs, 0); err != nil {
			return
		}
		base, err := writePack(s.dir, buf.Bytes())
		if err != nil {
			return
		}
		folded = filepath.Base(base)
	}
	in := make(map[plumbing.Hash]bool, len(reach))
	for _, h := range reach {
		in[h] = true
	}
	if err := trimReflog(s.dir, Branch, in); err != nil {
		return
	}
	for _, p := range packs {
		if p == largest || p == folded {
			continue
		}
		// The pack first: go-git looks for packs, and ignores an index
		// left alone, where a pack without its index fails every read.
		if err := os.Remove(filepath.Join(packDir, p+".pack")); err != nil {
			return
		}
		os.Remove(filepath.Join(packDir, p+".idx"))
	}
	removeLoose(filepath.Join(s.dir, "objects"))
	s.fs.Reindex()
}

// reachable lists tip and every object it reaches: the sealed commits of
// its line and their trees and blobs. Every one must read.
func reachable(s storer.EncodedObjectStorer, tip plumbing.Hash) ([]plumbing.Hash, error) {
	seen := map[plumbing.Hash]bool{}
	var out []plumbing.Hash
	var tree func(h plumbing.Hash) error
	tree = func(h plumbing.Hash) error {
		if seen[h] {
			return nil
		}
		seen[h] = true
		out = append(out, h)
		t, err := object.GetTree(s, h)
		if err != nil {
			return err
		}
		for _, e := range t.Entries {
			switch {
			case e.Mode == filemode.Dir:
				if err := tree(e.Hash); err != nil {
					return err
				}
			case !seen[e.Hash]:
				if err := s.HasEncodedObject(e.Hash); err != nil {
					return fmt.Errorf("object %s: %w", e.Hash, err)
				}
				seen[e.Hash] = true
				out = append(out, e.Hash)
			}
		}
		return nil
	}
	for h := tip; !seen[h]; {
		seen[h] = true
		out = append(out, h)
		c, err := object.GetCommit(s, h)
		if err != nil {
			return nil, err
		}
		if err := tree(c.TreeHash); err != nil {
			return nil, err
		}
		if len(c.ParentHashes) == 0 {
			break
		}
		if len(c.ParentHashes) > 1 {
			return nil, fmt.Errorf("sealed commit %s has %d parents", h, len(c.ParentHashes))
		}
		h = c.ParentHashes[0]
	}
	return out, nil
}

func readIdx(name string) (*idxfile.MemoryIndex, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bufio.NewReader(f)).Decode(idx); err != nil {
		return nil, err
	}
	return idx, nil
}

// trimReflog rewrites name's reflog in gitDir with only the moves to
// commits in keep, each from the one kept before it (git's reflog expire
// --rewrite), whole ([writeDurable]).
func trimReflog(gitDir string, name plumbing.ReferenceName, keep map[plumbing.Hash]bool) error {
	p := reflogPath(gitDir, name)
	b, err := os.ReadFile(p)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	var out bytes.Buffer
	prev := plumbing.ZeroHash
	for _, line := range strings.SplitAfter(string(b), "\n") {
		old, rest, _ := strings.Cut(line, " ")
		h, _, _ := strings.Cut(rest, " ")
		if len(old) != 40 || len(h) != 40 || !plumbing.IsHash(h) || !keep[plumbing.NewHash(h)] {
			continue
		}
		out.WriteString(prev.String() + " " + rest)
		prev = plumbing.NewHash(h)
	}
	if bytes.Equal(out.Bytes(), b) {
		return nil
	}
	return writeDurable(p, out.Bytes())
}

// removeLoose removes every loose object under objects, and the fan-out
// folders left empty.
func removeLoose(objects string) {
	ents, err := os.ReadDir(objects)
	if err != nil {
		return
	}
	for _, e := range ents {
		if len(e.Name()) != 2 || !e.IsDir() || !plumbing.IsHash(e.Name()+strings.Repeat("0", 38)) {
			continue
		}
		dir := filepath.Join(objects, e.Name())
		files, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, f := range files {
			if len(f.Name()) == 38 {
				os.Remove(filepath.Join(dir, f.Name()))
			}
		}
		os.Remove(dir) // only if empty
	}
}
