package sync

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// durableStore is an object store that remembers what it was given, so
// that [durableStore.flush] can make exactly that durable before a ref
// moves to it. go-git writes a loose object (or a pack) to a temporary
// file and renames it, but never syncs either: after a power cut a branch
// could point at an object that is not there.
type durableStore struct {
	storer.EncodedObjectStorer
	gitDir  string
	written []plumbing.Hash
	packs   bool // a pack was written through PackfileWriter

	// pending, in pack mode ([newPackedStore]), holds every object the
	// store is given until flush writes them all as one pack; but an
	// object larger than [streamAbove], or a pack stream, goes straight
	// to disk as outside pack mode (a hostile remote's junk is never held
	// in memory whole), and spilled counts its bytes.
	pending *memory.Storage
	spilled int64

	// synced, when set (tests only), hears the name of each file flush
	// syncs.
	synced func(name string)
}

func newDurableStore(s storer.EncodedObjectStorer, gitDir string) *durableStore {
	return &durableStore{EncodedObjectStorer: s, gitDir: gitDir}
}

// newPackedStore is a durableStore in pack mode: what it is given stays in
// memory (and is read from there) until [durableStore.flush] writes it as
// one pack file and its index, each synced before it is put in place:
// three fsyncs (the pack, the index, the pack folder) however many objects,
// where loose objects cost one for each and one for each new fan-out
// folder. For a store written a few objects at a time, between ref moves
// (the encrypted remote's copy, where a sync adds one sealed commit of
// five objects).
func newPackedStore(s storer.EncodedObjectStorer, gitDir string) *durableStore {
	return &durableStore{EncodedObjectStorer: s, gitDir: gitDir, pending: memory.NewStorage()}
}

func (d *durableStore) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	if d.pending != nil && o.Size() > streamAbove {
		d.spilled += o.Size()
	} else if d.pending != nil {
		// A copy: o may read lazily from a store that closes.
		m := &plumbing.MemoryObject{}
		m.SetType(o.Type())
		m.SetSize(o.Size())
		r, err := o.Reader()
		if err != nil {
			return plumbing.ZeroHash, err
		}
		_, err = io.Copy(m, r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return plumbing.ZeroHash, err
		}
		return d.pending.SetEncodedObject(m)
	}
	h, err := d.EncodedObjectStorer.SetEncodedObject(o)
	if err == nil {
		d.written = append(d.written, h)
	}
	return h, err
}

func (d *durableStore) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if d.pending != nil {
		if o, err := d.pending.EncodedObject(t, h); err == nil {
			return o, nil
		}
	}
	return d.EncodedObjectStorer.EncodedObject(t, h)
}

func (d *durableStore) HasEncodedObject(h plumbing.Hash) error {
	if d.pending != nil && d.pending.HasEncodedObject(h) == nil {
		return nil
	}
	return d.EncodedObjectStorer.HasEncodedObject(h)
}

func (d *durableStore) EncodedObjectSize(h plumbing.Hash) (int64, error) {
	if d.pending != nil {
		if n, err := d.pending.EncodedObjectSize(h); err == nil {
			return n, nil
		}
	}
	return d.EncodedObjectStorer.EncodedObjectSize(h)
}

// PackfileWriter passes a large fetch straight to the store's pack writer,
// when it has one, and remembers to sync the packs (in pack mode too: a
// pack stream is a fetch of a hundred objects or more, not one to hold in
// memory).
func (d *durableStore) PackfileWriter() (io.WriteCloser, error) {
	pw, ok := d.EncodedObjectStorer.(storer.PackfileWriter)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return nil, err
	}
	d.packs = true
	return &countingWriter{WriteCloser: w, n: &d.spilled}, nil
}

// countingWriter adds what is written through it to *n.
type countingWriter struct {
	io.WriteCloser
	n *int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	k, err := c.WriteCloser.Write(b)
	*c.n += int64(k)
	return k, err
}

// pendingSize is the size of what waits for flush in pack mode: in
// memory, and what went to disk past it.
func (d *durableStore) pendingSize() int64 {
	n := d.spilled
	if d.pending == nil {
		return n
	}
	for _, o := range d.pending.Objects {
		n += o.Size()
	}
	return n
}

// flush syncs every loose object stored since the last flush, the pack
// files when a pack was written, and the folders that name them. In pack
// mode it first writes what waits in memory as one pack ([writePack]).
func (d *durableStore) flush() error {
	if d.pending != nil {
		if err := d.flushPending(); err != nil {
			return err
		}
		d.spilled = 0
	}
	objects := filepath.Join(d.gitDir, "objects")
	dirs := map[string]bool{}
	for _, h := range d.written {
		hex := h.String()
		name := filepath.Join(objects, hex[:2], hex[2:])
		if err := syncFile(name); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // it was in a pack already
			}
			return err
		}
		if d.synced != nil {
			d.synced(name)
		}
		dirs[filepath.Dir(name)] = true
	}
	if d.packs {
		packDir := filepath.Join(objects, "pack")
		ents, err := os.ReadDir(packDir)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if n := e.Name(); strings.HasSuffix(n, ".pack") || strings.HasSuffix(n, ".idx") {
				if err := syncFile(filepath.Join(packDir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
		}
		dirs[packDir] = true
	}
	if len(dirs) > 0 {
		dirs[objects] = true // a new fan-out folder is a name in objects
	}
	for dir := range dirs {
		if err := syncDir(dir); err != nil {
			return err
		}
	}
	d.written = d.written[:0]
	d.packs = false
	return nil
}
