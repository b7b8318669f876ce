package sync

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/storage/memory"
)

// flushPending writes what a pack-mode store holds in memory as one pack
// ([writePack]) and empties the memory: the objects are read from the
// pack from then on.
func (d *durableStore) flushPending() error {
	var hs []plumbing.Hash
	iter, err := d.pending.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		return err
	}
	if err := iter.ForEach(func(o plumbing.EncodedObject) error {
		hs = append(hs, o.Hash())
		return nil
	}); err != nil {
		return err
	}
	if len(hs) == 0 {
		return nil
	}
	var buf bytes.Buffer
	// No deltas: what this store holds is ciphertext and small trees.
	if _, err := packfile.NewEncoder(&buf, d.pending, false).Encode(hs, 0); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	base, err := writePack(d.gitDir, buf.Bytes())
	if err != nil {
		return err
	}
	if d.synced != nil {
		d.synced(base + ".idx")
		d.synced(base + ".pack")
	}
	if r, ok := d.EncodedObjectStorer.(interface{ Reindex() }); ok {
		r.Reindex() // go-git reads the pack folder again when next asked
	}
	d.pending = memory.NewStorage()
	return nil
}

// writePack puts the pack data into gitDir's objects/pack as git does: the
// pack and its index are written under temporary names in that folder and
// synced, the index is renamed into place first and the pack last (a
// reader looks for the packs, so it never finds one without its index),
// and the folder is synced. A cut anywhere leaves either no pack or a
// whole one, and at worst temporary files ([sweepPackTemps]). It returns
// the pack's path without its extension.
func writePack(gitDir string, pack []byte) (string, error) {
	w := new(idxfile.Writer)
	p, err := packfile.NewParser(packfile.NewScanner(bytes.NewReader(pack)), w)
	if err != nil {
		return "", fmt.Errorf("write pack: %w", err)
	}
	sum, err := p.Parse()
	if err != nil {
		return "", fmt.Errorf("write pack: %w", err)
	}
	idx, err := w.Index()
	if err != nil {
		return "", fmt.Errorf("write pack index: %w", err)
	}
	var ib bytes.Buffer
	if _, err := idxfile.NewEncoder(&ib).Encode(idx); err != nil {
		return "", fmt.Errorf("write pack index: %w", err)
	}
	objects := filepath.Join(gitDir, "objects")
	dir := filepath.Join(objects, "pack")
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	base := filepath.Join(dir, "pack-"+sum.String())
	tmpIdx, err := writeSynced(dir, "tmp_idx_", ib.Bytes())
	if err != nil {
		return "", err
	}
	defer os.Remove(tmpIdx)
	tmpPack, err := writeSynced(dir, "tmp_pack_", pack)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmpPack)
	if err := os.Rename(tmpIdx, base+".idx"); err != nil {
		return "", err
	}
	if err := os.Rename(tmpPack, base+".pack"); err != nil {
		return "", err
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		if err := syncDir(objects); err != nil {
			return "", err
		}
	}
	return base, nil
}

// writeSynced writes data to a new file in dir whose name starts with
// prefix, synced.
func writeSynced(dir, prefix string, data []byte) (string, error) {
	var tok [8]byte
	rand.Read(tok[:])
	name := filepath.Join(dir, prefix+hex.EncodeToString(tok[:]))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}
