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

	// synced, when set (tests only), hears the name of each file flush
	// syncs.
	synced func(name string)
}

func newDurableStore(s storer.EncodedObjectStorer, gitDir string) *durableStore {
	return &durableStore{EncodedObjectStorer: s, gitDir: gitDir}
}

func (d *durableStore) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	h, err := d.EncodedObjectStorer.SetEncodedObject(o)
	if err == nil {
		d.written = append(d.written, h)
	}
	return h, err
}

// PackfileWriter passes a large fetch straight to the store's pack writer,
// when it has one, and remembers to sync the packs.
func (d *durableStore) PackfileWriter() (io.WriteCloser, error) {
	pw, ok := d.EncodedObjectStorer.(storer.PackfileWriter)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	d.packs = true
	return pw.PackfileWriter()
}

// flush syncs every loose object stored since the last flush, the pack
// files when a pack was written, and the folders that name them.
func (d *durableStore) flush() error {
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
