package sync

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// The index (.git/index) is git's record of the work tree: per file, the
// blob it holds and the stat data it had when git last looked. When the stat
// data still matches, git trusts the blob without reading the file, which
// is how git status stays fast and clean after a commit.
//
// go-git reads the whole index into one object per entry and writes it back
// the same way: about 60 ms each way on a 50,000-file journal, more than the
// whole budget of a write. So a write patches the index file instead: it
// walks the entries in place (names only), copies the untouched runs of
// bytes, puts the new entries of the changed paths at their sorted places,
// drops the cached trees of the changed folders from the TREE extension, and
// writes a new checksum, under git's own index.lock. Only version 2 and 3
// indexes (what git writes by default) are patched; a version 4 index goes
// through go-git's codec.

// indexUpdate is one path to change in the index: a stage-0 entry holding
// hash with the file's stat data, or no entry at all when del is set. An
// entry with skip set has git's skip-worktree flag: git takes it as it is
// and never looks for it in the work tree (a path kept out of the work
// tree, see [Quarantined]); its stat data is zero but for the mode.
type indexUpdate struct {
	path string
	hash plumbing.Hash
	stat fileStat
	del  bool
	skip bool
}

// fileStat is the stat data git keeps per index entry, truncated to 32
// bits as git does.
type fileStat struct {
	ctimeSec, ctimeNsec uint32
	mtimeSec, mtimeNsec uint32
	dev, ino            uint32
	mode                uint32
	uid, gid            uint32
	size                uint32
}

// statFile is the stat data of name (not following a symbolic link).
func statFile(name string) (fileStat, error) {
	fi, err := os.Lstat(name)
	if err != nil {
		return fileStat{}, err
	}
	var st fileStat
	mt := fi.ModTime()
	st.mtimeSec, st.mtimeNsec = uint32(mt.Unix()), uint32(mt.Nanosecond())
	st.ctimeSec, st.ctimeNsec = st.mtimeSec, st.mtimeNsec // fillStat knows better where it can
	st.size = uint32(fi.Size())
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		st.mode = uint32(filemode.Symlink)
	case fi.Mode()&0o111 != 0:
		st.mode = uint32(filemode.Executable)
	default:
		st.mode = uint32(filemode.Regular)
	}
	fillStat(&st, fi)
	return st, nil
}

// errIndexChanged: another program replaced the index while reconnect
// patched its copy; the patch is redone on the new one.
var errIndexChanged = errors.New("the index changed meanwhile")

// updateIndex changes exactly the entries of updates in .git/index, with
// git's locking protocol ([lockedReplace]): the new index goes to
// index.lock, which is renamed over the index. A git command that holds
// index.lock (an editor's git integration refreshing the index, say) is
// waited for, then named; one a killed reconnect left is cleared by the
// next [Repo.Lock]. The index is a cache git can rebuild, so it is not
// synced to disk.
func (r *Repo) updateIndex(updates []indexUpdate) error {
	if len(updates) == 0 {
		return nil
	}
	name := filepath.Join(r.gitDir, "index")
	for attempt := 0; ; attempt++ {
		before, _ := os.Stat(name)
		old, err := os.ReadFile(name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("read index: %w", err)
		}
		out, err := patchIndex(old, updates)
		if err != nil {
			return fmt.Errorf("update index %s: %w", name, err)
		}
		unchanged := func() error {
			now, _ := os.Stat(name)
			if (before == nil) != (now == nil) || before != nil &&
				(!os.SameFile(before, now) || before.Size() != now.Size() || !before.ModTime().Equal(now.ModTime())) {
				return errIndexChanged
			}
			return nil
		}
		err = lockedReplace(r.gitDir, name, out, false, gitLockWait, unchanged, nil)
		if errors.Is(err, errIndexChanged) && attempt < 3 {
			continue
		}
		if err != nil {
			return fmt.Errorf("update index: %w", err)
		}
		return nil
	}
}

const (
	indexHeaderLen  = 12
	entryFixedLen   = 62 // stat data, hash and flags, before the name
	entryExtended   = 0x4000
	entryNameMask   = 0xfff
	indexVersionMin = 2
	// extSkipWorktree is git's skip-worktree bit in the extended flags
	// (index version 3 and later).
	extSkipWorktree = 0x4000
)

// patchIndex returns the index file old (nil: none yet) with updates
// applied.
func patchIndex(old []byte, updates []indexUpdate) ([]byte, error) {
	updates = sortedUpdates(updates)
	if old == nil {
		old = []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00")
		old = append(old, make([]byte, sha1.Size)...)
	}
	if len(old) < indexHeaderLen+sha1.Size || string(old[:4]) != "DIRC" {
		return nil, errors.New("not an index file")
	}
	body, sum := old[:len(old)-sha1.Size], old[len(old)-sha1.Size:]
	version := binary.BigEndian.Uint32(old[4:8])
	switch version {
	case 2, 3:
	case 4:
		if err := checkIndexSum(body, sum); err != nil {
			return nil, err
		}
		return patchIndexCodec(old, updates)
	default:
		return nil, fmt.Errorf("index version %d not supported", version)
	}
	// Check the old checksum on the other core while building the new
	// index: it is half the cost of a patch.
	checked := make(chan error, 1)
	go func() { checked <- checkIndexSum(body, sum) }()
	out, err := patchIndexEntries(body, version, updates)
	if cerr := <-checked; cerr != nil {
		return nil, cerr
	}
	if err != nil {
		return nil, err
	}
	sumNew := sha1.Sum(out)
	return append(out, sumNew[:]...), nil
}

// checkIndexSum verifies the checksum git puts at the end of the index (all
// zeros when git was told to skip it).
func checkIndexSum(body, sum []byte) error {
	if allZero(sum) {
		return nil
	}
	if got := sha1.Sum(body); !bytes.Equal(got[:], sum) {
		return errors.New("index checksum mismatch: the index is corrupt")
	}
	return nil
}

// patchIndexEntries is the index body (all but the checksum) with updates
// applied.
func patchIndexEntries(body []byte, version uint32, updates []indexUpdate) ([]byte, error) {
	count := int(binary.BigEndian.Uint32(body[8:12]))

	out := make([]byte, 0, len(body)+sha1.Size+len(updates)*(entryFixedLen+8+64))
	out = append(out, body[:indexHeaderLen]...)
	written := 0
	u := 0
	emit := func(up indexUpdate) {
		if !up.del {
			out = appendIndexEntry(out, up)
			written++
		}
	}

	pos := indexHeaderLen
	runStart := pos // the untouched entries from here to pos are copied as they are
	for i := 0; i < count; {
		name, size, err := indexEntryAt(body, pos, version)
		if err != nil {
			return nil, err
		}
		if u < len(updates) && updates[u].path <= string(name) {
			out = append(out, body[runStart:pos]...)
			for u < len(updates) && updates[u].path < string(name) {
				emit(updates[u])
				u++
			}
			if u < len(updates) && updates[u].path == string(name) {
				// Replace every stage of this path (an unresolved conflict
				// has several) by the one new entry, if any.
				emit(updates[u])
				u++
				for i < count {
					next, nsize, err := indexEntryAt(body, pos, version)
					if err != nil {
						return nil, err
					}
					if !bytes.Equal(next, name) {
						break
					}
					pos += nsize
					i++
				}
				runStart = pos
				continue
			}
			runStart = pos
		}
		pos += size
		i++
		written++
	}
	out = append(out, body[runStart:pos]...)
	for ; u < len(updates); u++ {
		emit(updates[u])
	}
	binary.BigEndian.PutUint32(out[8:12], uint32(written))
	if version < 3 && slices.ContainsFunc(updates, func(up indexUpdate) bool { return up.skip && !up.del }) {
		// Extended flags need version 3, whose other entries read as in 2.
		binary.BigEndian.PutUint32(out[4:8], 3)
	}

	return appendExtensions(out, body[pos:], updates)
}

// sortedUpdates orders updates as the index orders its entries (by the
// bytes of the path) and keeps the last of several for one path.
func sortedUpdates(updates []indexUpdate) []indexUpdate {
	s := slices.Clone(updates)
	slices.SortStableFunc(s, func(a, b indexUpdate) int { return strings.Compare(a.path, b.path) })
	out := s[:0]
	for i, up := range s {
		if i+1 < len(s) && s[i+1].path == up.path {
			continue
		}
		out = append(out, up)
	}
	return out
}

// indexEntryAt is the name and the on-disk size of the entry at pos.
func indexEntryAt(body []byte, pos int, version uint32) (name []byte, size int, err error) {
	if pos+entryFixedLen > len(body) {
		return nil, 0, errors.New("index truncated")
	}
	flags := binary.BigEndian.Uint16(body[pos+60:])
	hdr := entryFixedLen
	if version >= 3 && flags&entryExtended != 0 {
		hdr += 2
	}
	n := int(flags & entryNameMask)
	start := pos + hdr
	if n == entryNameMask {
		end := bytes.IndexByte(body[start:], 0)
		if end < 0 {
			return nil, 0, errors.New("index truncated")
		}
		n = end
	}
	size = (hdr + n + 8) &^ 7
	if start+n > len(body) || pos+size > len(body) {
		return nil, 0, errors.New("index truncated")
	}
	return body[start : start+n], size, nil
}

// appendIndexEntry appends a stage-0 entry: the version 2 form, or the
// version 3 form with extended flags for a skip-worktree entry.
func appendIndexEntry(out []byte, up indexUpdate) []byte {
	st := up.stat
	for _, v := range [...]uint32{st.ctimeSec, st.ctimeNsec, st.mtimeSec, st.mtimeNsec,
		st.dev, st.ino, st.mode, st.uid, st.gid, st.size} {
		out = binary.BigEndian.AppendUint32(out, v)
	}
	out = append(out, up.hash[:]...)
	n := min(len(up.path), entryNameMask)
	hdr := entryFixedLen
	if up.skip {
		out = binary.BigEndian.AppendUint16(out, uint16(n)|entryExtended)
		out = binary.BigEndian.AppendUint16(out, extSkipWorktree)
		hdr += 2
	} else {
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	}
	out = append(out, up.path...)
	pad := (hdr+len(up.path)+8)&^7 - hdr - len(up.path)
	return append(out, make([]byte, pad)...)
}

// appendExtensions appends the extensions in ext to out, as they may stay
// after updates: the cached trees of the changed folders are invalidated,
// resolve-undo records kept, and other optional extensions (which index
// entries by position or by offset, or cache untracked files) dropped; git
// rebuilds them when it wants them. A required extension (split index,
// sparse index) is an error.
func appendExtensions(out, ext []byte, updates []indexUpdate) ([]byte, error) {
	for len(ext) > 0 {
		if len(ext) < 8 {
			return nil, errors.New("index extension truncated")
		}
		sig := string(ext[:4])
		n := int(binary.BigEndian.Uint32(ext[4:8]))
		if 8+n > len(ext) {
			return nil, fmt.Errorf("index extension %q truncated", sig)
		}
		data := ext[8 : 8+n]
		switch {
		case sig == "TREE":
			tree, err := invalidateCacheTree(data, changedFolders(updates))
			if err != nil {
				return nil, err
			}
			out = append(out, "TREE"...)
			out = binary.BigEndian.AppendUint32(out, uint32(len(tree)))
			out = append(out, tree...)
		case sig == "REUC":
			out = append(out, ext[:8+n]...)
		case sig[0] < 'A' || sig[0] > 'Z':
			return nil, fmt.Errorf("index extension %q not supported (run 'git update-index --no-split-index' or turn off the sparse index)", sig)
		}
		ext = ext[8+n:]
	}
	return out, nil
}

// changedFolders is every folder holding a changed path, the root ("")
// included.
func changedFolders(updates []indexUpdate) map[string]bool {
	dirs := map[string]bool{"": true}
	for _, up := range updates {
		p := up.path
		for {
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				break
			}
			p = p[:i]
			if dirs[p] {
				break
			}
			dirs[p] = true
		}
	}
	return dirs
}

// invalidateCacheTree rewrites the TREE extension data with the folders in
// dirs marked invalid (entry count -1, no hash), as git does when a path
// below them changes.
func invalidateCacheTree(data []byte, dirs map[string]bool) ([]byte, error) {
	out := make([]byte, 0, len(data))
	var walk func(prefix string) error
	walk = func(prefix string) error {
		nul := bytes.IndexByte(data, 0)
		if nul < 0 {
			return errors.New("index TREE extension malformed")
		}
		name := string(data[:nul])
		sp := bytes.IndexByte(data[nul+1:], ' ')
		if sp < 0 {
			return errors.New("index TREE extension malformed")
		}
		lf := bytes.IndexByte(data[nul+1+sp+1:], '\n')
		if lf < 0 {
			return errors.New("index TREE extension malformed")
		}
		count, err1 := strconv.Atoi(string(data[nul+1 : nul+1+sp]))
		subs, err2 := strconv.Atoi(string(data[nul+1+sp+1 : nul+1+sp+1+lf]))
		if err1 != nil || err2 != nil || subs < 0 {
			return errors.New("index TREE extension malformed")
		}
		rest := data[nul+1+sp+1+lf+1:]
		var hash []byte
		if count >= 0 {
			if len(rest) < sha1.Size {
				return errors.New("index TREE extension malformed")
			}
			hash, rest = rest[:sha1.Size], rest[sha1.Size:]
		}
		data = rest

		path := name
		if prefix != "" {
			path = prefix + "/" + name
		}
		if dirs[path] {
			count, hash = -1, nil
		}
		out = append(out, name...)
		out = append(out, 0)
		out = strconv.AppendInt(out, int64(count), 10)
		out = append(out, ' ')
		out = strconv.AppendInt(out, int64(subs), 10)
		out = append(out, '\n')
		out = append(out, hash...)
		for range subs {
			if err := walk(path); err != nil {
				return err
			}
		}
		return nil
	}
	for len(data) > 0 {
		if err := walk(""); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// patchIndexCodec applies updates through go-git's index codec, for index
// versions the byte patch does not handle. The codec does not write the
// cached trees; git rebuilds them.
func patchIndexCodec(old []byte, updates []indexUpdate) ([]byte, error) {
	idx := &index.Index{}
	if err := index.NewDecoder(bytes.NewReader(old)).Decode(idx); err != nil {
		return nil, err
	}
	byPath := make(map[string]bool, len(updates))
	for _, up := range updates {
		byPath[up.path] = true
	}
	kept := idx.Entries[:0]
	for _, e := range idx.Entries {
		if !byPath[e.Name] {
			kept = append(kept, e)
		}
	}
	idx.Entries = kept
	for _, up := range updates {
		if up.del {
			continue
		}
		st := up.stat
		idx.Entries = append(idx.Entries, &index.Entry{
			Hash:         up.hash,
			Name:         up.path,
			CreatedAt:    time.Unix(int64(st.ctimeSec), int64(st.ctimeNsec)),
			ModifiedAt:   time.Unix(int64(st.mtimeSec), int64(st.mtimeNsec)),
			Dev:          st.dev,
			Inode:        st.ino,
			Mode:         filemode.FileMode(st.mode),
			UID:          st.uid,
			GID:          st.gid,
			Size:         st.size,
			SkipWorktree: up.skip,
		})
	}
	idx.Cache, idx.ResolveUndo, idx.EndOfIndexEntry = nil, nil, nil
	var buf bytes.Buffer
	if err := index.NewEncoder(&buf).Encode(idx); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
