package journal

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// The read cache.
//
// Reading the journal means opening and parsing every file in range: at
// 50,000 entries that is most of a read command's time. So a journal that
// is a git work tree (it has a .git folder) keeps the parsed entries under
// .git/reconnect-cache/, one shard per top-level folder (a year, bucket,
// dates). It works as git's own index does:
//
//   - a parsed entry is stored under its file's git blob hash (the SHA-1
//     of "blob <size>\0" and the bytes, what `git hash-object` prints), so
//     the same content is parsed once, whatever path or stat it has;
//   - each file's record maps its path and stat (inode, size, modification
//     and change times) to that hash, so an unchanged file is neither read
//     nor hashed: one stat shows it is the same;
//   - each folder's record keeps its stat and the names of its files, so an
//     unchanged folder is not listed either: adding, removing or renaming a
//     file changes the folder's times.
//
// A file whose stat changed is read and hashed; when the hash is known (a
// file touched, checked out again, or copied) its entry is reused, and only
// new content is parsed. The shards that changed are written back
// atomically, keeping only the entries their records still point to.
//
// The cache is never a source of truth:
//   - a shard that is missing, truncated, of another version or folder, or
//     fails its checksum is ignored (its files are listed, read and parsed)
//     and rewritten;
//   - a file or folder record is trusted only when the file's or folder's
//     times are older than its shard's own modification time by more than
//     [racySlack], as git does with its index: a file changed in the same
//     clock tick as it was stat'ed for the record would otherwise keep its
//     stat and look unchanged. A record not yet trusted is checked again
//     and its shard rewritten, so that it ages into trust; one that a
//     rewrite keeps without checking it (a month or a file not read this
//     time) loses its stat, or the new shard's time would trust it;
//   - files that do not parse have no entry: they are read every time, so
//     their warnings stay exact.
//
// The stat of every file cannot be skipped: a file written in place (not
// replaced by a rename) changes its own times and nothing else, not its
// folder's, not git's HEAD or index, so only its stat shows it.

const (
	cacheDir     = "reconnect-cache"
	cacheMagic   = "reconnect-cache\x00"
	cacheVersion = 3
	// racySlack is how much older than its shard a file must be for the
	// shard's record of it to be trusted; coarse file-system clocks tick in
	// up to 2 seconds.
	racySlack = 2_000_000_000
)

// fileStat is what a file's or a folder's record is keyed by, besides its
// name. The zero fileStat is a folder whose stat cannot be trusted.
type fileStat struct {
	ino, size, mtime, ctime int64
}

// blobHash is a file's git blob hash.
type blobHash [sha1.Size]byte

// hashBlob is the git blob hash of a file holding data.
func hashBlob(data []byte) blobHash {
	h := sha1.New()
	var head [32]byte
	h.Write(append(strconv.AppendInt(append(head[:0], "blob "...), int64(len(data)), 10), 0))
	h.Write(data)
	var out blobHash
	h.Sum(out[:0])
	return out
}

// cachedEntry is one parse: the blob hash of the file it came from and the
// encoded entry, decoded only when it is used.
type cachedEntry struct {
	hash blobHash
	body string
}

// fileRec is one file of a folder: its name, its stat when it was read, and
// its entry (an index into the shard's entries), or -1 when it has none (it
// did not parse, or has not been read).
type fileRec struct {
	name string
	st   fileStat
	ent  int32
}

// folderRec is one folder of a shard: its name within the shard's folder
// ("" for the folder itself, else a month), its stat when it was listed,
// and every entry file in it, sorted by name.
type folderRec struct {
	name  string
	st    fileStat
	files []fileRec
}

// shard is the cache of one top-level folder.
type shard struct {
	ents    []cachedEntry
	folders []folderRec // sorted by name
	mtime   int64       // the shard file's modification time; 0 when there was none
	byHash  map[blobHash]int32
}

// folder is the record of the folder name, or nil.
func (sh *shard) folder(name string) *folderRec {
	i, ok := slices.BinarySearchFunc(sh.folders, name, func(f folderRec, n string) int { return strings.Compare(f.name, n) })
	if !ok {
		return nil
	}
	return &sh.folders[i]
}

// entryFor is the index of the entry parsed from content with hash h.
func (sh *shard) entryFor(h blobHash) (int32, bool) {
	if sh.byHash == nil {
		sh.byHash = make(map[blobHash]int32, len(sh.ents))
		for i, ce := range sh.ents {
			sh.byHash[ce.hash] = int32(i)
		}
	}
	i, ok := sh.byHash[h]
	return i, ok
}

// addEntry stores the entry parsed from content with hash h, replacing
// what was stored for h, and is its index.
func (sh *shard) addEntry(h blobHash, body string) int32 {
	if i, ok := sh.entryFor(h); ok {
		sh.ents[i].body = body
		return i
	}
	i := int32(len(sh.ents))
	sh.ents = append(sh.ents, cachedEntry{h, body})
	sh.byHash[h] = i
	return i
}

// trusts reports whether a record of a file or folder with stat st can be
// believed: it last changed well before the read that wrote the shard began.
func (sh *shard) trusts(st fileStat) bool {
	return sh.mtime != 0 && st != (fileStat{}) && st.mtime < sh.mtime-racySlack && st.ctime < sh.mtime-racySlack
}

// carry is the stat a record keeps in a shard written again without the
// record being checked: one this shard did not trust yet becomes the zero
// fileStat, never trusted, or the new shard's later time would make it look
// old enough (git smudges racy index entries so). It is checked again, and
// ages into trust, the next time it is read.
func (sh *shard) carry(st fileStat) fileStat {
	if sh.trusts(st) {
		return st
	}
	return fileStat{}
}

// carried is the record of a folder not read this time, as a new shard
// keeps it.
func (sh *shard) carried(f folderRec) folderRec {
	f.st = sh.carry(f.st)
	f.files = slices.Clone(f.files)
	for i := range f.files {
		f.files[i].st = sh.carry(f.files[i].st)
	}
	return f
}

// cacheStats counts, for tests, how a read was served: entries from
// records, entries found by blob hash after a read, files parsed, and
// folders listed.
type cacheStats struct {
	hits, reused, parsed, listed atomic.Int64
}

// cacheRoot is the folder of the read cache, or "" when the journal is not a
// git work tree (then nothing is cached).
func (s Store) cacheRoot() string {
	git := filepath.Join(s.Root, ".git")
	if fi, err := os.Stat(git); err != nil || !fi.IsDir() {
		return ""
	}
	return filepath.Join(git, cacheDir)
}

// shardName is the file of the shard for a top-level folder.
func shardName(top string) string { return top + ".v" + strconv.Itoa(cacheVersion) }

// folderSel selects files of one top-level folder of the journal to read.
type folderSel struct {
	top string
	// months, when not nil, makes top a year: its files are in the
	// sub-folders whose names months accepts. When nil, they are the files
	// directly in top.
	months func(name string) bool
	// keep, when not nil, says which entry files to read by name.
	keep func(name string) bool
	// mayHold, when not nil, leaves out cached entries whose encoded text
	// it reports false for (see [Query.MayHold]).
	mayHold func(text string) bool
}

// readResult is one file's entry, or why it could not be read.
type readResult struct {
	e   *Entry
	err error
}

// read reads the entries of the selected folders, several folders at a
// time, through the read cache when the journal is a git work tree.
// Entries come back in reverse path order, newest first as the path scheme
// goes, close to the order List sorts them in: they are decoded, and so
// laid out in memory, in that order, which a command walking them then
// reads as a stream (a third of the time a walk in any other order takes
// over ten years of entries). Warnings come back in path order. stats,
// when not nil, counts how files were served.
func (s Store) read(sels []folderSel, stats *cacheStats) ([]*Entry, []error) {
	if stats == nil {
		stats = &cacheStats{}
	}
	root := s.cacheRoot()
	start := time.Now()
	slices.SortFunc(sels, func(a, b folderSel) int { return strings.Compare(b.top, a.top) })
	results := make([][]readResult, len(sels))
	inParallel(len(sels), min(runtime.GOMAXPROCS(0), len(sels)), func() func(int) {
		r := &reader{s: s, root: root, stats: stats, start: start, buf: make([]byte, 8192), arena: &arena{}}
		return func(i int) { results[i] = r.top(sels[i]) }
	})
	n := 0
	for _, rs := range results {
		n += len(rs)
	}
	entries := make([]*Entry, 0, n)
	var warnings []error
	for _, rs := range results {
		for _, r := range rs {
			if r.err != nil {
				warnings = append(warnings, r.err)
			} else {
				entries = append(entries, r.e)
			}
		}
	}
	slices.Reverse(warnings)
	return entries, warnings
}

// reader is one worker of [Store.read], with its own buffers.
type reader struct {
	s     Store
	root  string // the cache folder; "" for none
	stats *cacheStats
	start time.Time // when the read began, before any file was looked at
	buf   []byte
	arena *arena
}

// top reads the selected files of one top-level folder, and writes its
// shard back when it changed.
func (r *reader) top(sel folderSel) []readResult {
	sh := &shard{}
	if r.root != "" {
		sh = loadShard(r.root, sel.top)
	}
	topPath := filepath.Join(r.s.Root, filepath.FromSlash(sel.top))
	subs, all := []string{""}, []string{""}
	if sel.months != nil {
		names, err := readDirNames(topPath)
		if err != nil {
			if noFolder(err) {
				return nil
			}
			return []readResult{{err: fmt.Errorf("list %s: %w", sel.top, err)}}
		}
		all, subs = names, nil
		for _, n := range names {
			if sel.months(n) {
				subs = append(subs, n)
			}
		}
		slices.Sort(subs)
		slices.Reverse(subs)
	}
	var out []readResult
	var folders []folderRec
	changed := false
	for _, sub := range subs {
		rel := sel.top
		if sub != "" {
			rel += "/" + sub
		}
		f, res, ok, ch := r.folder(sel, sh, sub, rel, filepath.Join(topPath, sub))
		out = append(out, res...)
		changed = changed || ch
		if ok {
			folders = append(folders, f)
		}
	}
	if changed && r.root != "" {
		// Folders not read this time keep their records while they exist.
		for _, f := range sh.folders {
			if !slices.Contains(subs, f.name) && slices.Contains(all, f.name) {
				folders = append(folders, sh.carried(f))
			}
		}
		slices.SortFunc(folders, func(a, b folderRec) int { return strings.Compare(a.name, b.name) })
		saveShard(r.root, sel.top, sh, folders, r.start)
	}
	return out
}

// folder reads the selected files of one folder, rel from the journal's
// root and at path on disk, with the shard's record of it. It returns the
// folder's new record (ok false drops it: the folder is gone) and whether
// the shard must be written.
func (r *reader) folder(sel folderSel, sh *shard, name, rel, path string) (rec folderRec, out []readResult, ok, changed bool) {
	old := sh.folder(name)
	dir, err := openDir(path)
	if err != nil {
		if noFolder(err) {
			return folderRec{}, nil, false, old != nil
		}
		out = append(out, readResult{err: fmt.Errorf("list %s: %w", rel, err)})
		if old != nil {
			return sh.carried(*old), out, true, false
		}
		return folderRec{}, out, false, false
	}
	defer dir.close()
	rec = folderRec{name: name, st: dir.self()}
	switch {
	case old != nil && old.st == rec.st && sh.trusts(rec.st):
		rec.files = old.files
	default:
		r.stats.listed.Add(1)
		names, err := dir.names()
		if err != nil {
			out = append(out, readResult{err: fmt.Errorf("list %s: %w", rel, err)})
			if old != nil {
				return sh.carried(*old), out, true, false
			}
			return folderRec{}, out, false, false
		}
		names = slices.DeleteFunc(names, func(n string) bool { return !isEntryName(n) })
		slices.Sort(names)
		rec.files = make([]fileRec, len(names))
		var prev []fileRec
		if old != nil {
			prev = old.files
		}
		for i, n := range names {
			for len(prev) > 0 && prev[0].name < n {
				prev = prev[1:]
			}
			if len(prev) > 0 && prev[0].name == n {
				rec.files[i] = prev[0]
			} else {
				rec.files[i] = fileRec{name: n, ent: -1}
			}
		}
		// A new listing is written back; so is one not yet trusted, so
		// that it ages into trust.
		changed = old == nil || rec.st != (fileStat{}) || !slices.EqualFunc(old.files, names, func(f fileRec, n string) bool { return f.name == n })
	}
	for i := len(rec.files) - 1; i >= 0; i-- {
		f := &rec.files[i]
		if sel.keep != nil && !sel.keep(f.name) {
			f.st = sh.carry(f.st)
			continue
		}
		res, ch := r.file(sh, dir, f, rel+"/"+f.name, sel.mayHold)
		if res.e != nil || res.err != nil {
			out = append(out, res)
		}
		changed = changed || ch
	}
	return rec, out, true, changed
}

// file reads one file through its record f, which it updates, and reports
// whether the shard must be written. A cached entry mayHold refuses is
// left out: the result is empty.
func (r *reader) file(sh *shard, dir dirHandle, f *fileRec, rel string, mayHold func(string) bool) (res readResult, changed bool) {
	st, err := dir.stat(f.name)
	if err != nil {
		f.st = sh.carry(f.st)
		return readResult{err: fmt.Errorf("read entry %s: %w", rel, err)}, false
	}
	if f.ent >= 0 && f.st == st {
		if sh.trusts(st) {
			body := sh.ents[f.ent].body
			if mayHold != nil && !mayHold(body) {
				r.stats.hits.Add(1)
				return readResult{}, false
			}
			if e, err := decodeEntry(rel, body, r.arena); err == nil {
				r.stats.hits.Add(1)
				return readResult{e: e}, false
			}
			f.ent = -1 // a bad record: read the file and write it again
		}
		changed = true // not trusted yet: read it, and write the shard so that it ages
	}
	data, err := dir.read(f.name, r.buf)
	if err != nil {
		f.st = sh.carry(f.st)
		return readResult{err: fmt.Errorf("read entry %s: %w", rel, err)}, changed
	}
	r.buf = data[:cap(data)]
	if r.root == "" {
		r.stats.parsed.Add(1)
		e, err := Parse(rel, data)
		return readResult{e: e, err: err}, false
	}
	h := hashBlob(data)
	if i, ok := sh.entryFor(h); ok {
		if e, err := decodeEntry(rel, sh.ents[i].body, r.arena); err == nil {
			r.stats.reused.Add(1)
			changed = changed || f.ent != i || f.st != st
			f.ent, f.st = i, st
			return readResult{e: e}, changed
		}
	}
	r.stats.parsed.Add(1)
	e, err := Parse(rel, data)
	if err != nil {
		changed = changed || f.ent >= 0
		f.ent = -1
		return readResult{err: err}, changed
	}
	f.ent, f.st = sh.addEntry(h, string(appendEntry(nil, e))), st
	return readResult{e: e}, true
}

// loadShard reads the shard of top; any problem gives an empty shard. The
// file is copied once, into the string its records share, and checked as
// it is copied.
func loadShard(root, top string) *shard {
	name := filepath.Join(root, shardName(top))
	empty := &shard{}
	f, err := os.Open(name)
	if err != nil {
		return empty
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(len(cacheMagic)+4) {
		return empty
	}
	var body strings.Builder
	body.Grow(int(fi.Size() - 4))
	sum := crc32.New(castagnoli)
	if _, err := io.CopyN(io.MultiWriter(&body, sum), f, fi.Size()-4); err != nil {
		return empty
	}
	var want [4]byte
	if _, err := io.ReadFull(f, want[:]); err != nil || sum.Sum32() != binary.BigEndian.Uint32(want[:]) {
		return empty
	}
	sh, err := parseShard(top, body.String())
	if err != nil {
		return empty
	}
	sh.mtime = fi.ModTime().UnixNano()
	return sh
}

// saveShard writes the shard of top with the given folders, keeping only
// the entries of sh their files point to, and dates it from start, when
// the read that made it began: its records are trusted by how much older
// their files are than that moment, however long the read took. Failing to
// write the cache is not an error: the next read parses again.
func saveShard(root, top string, sh *shard, folders []folderRec, start time.Time) {
	out := &shard{folders: folders}
	moved := make([]int32, len(sh.ents))
	for i := range moved {
		moved[i] = -1
	}
	for fi := range folders {
		files := slices.Clone(folders[fi].files) // they may be the loaded shard's
		for i := range files {
			f := &files[i]
			if f.ent < 0 {
				continue
			}
			if moved[f.ent] < 0 {
				moved[f.ent] = int32(len(out.ents))
				out.ents = append(out.ents, sh.ents[f.ent])
			}
			f.ent = moved[f.ent]
		}
		folders[fi].files = files
	}
	name := filepath.Join(root, shardName(top))
	if err := fsutil.WriteFile(name, encodeShard(top, out), fsutil.FileMode); err != nil {
		return
	}
	if os.Chtimes(name, start, start) != nil {
		_ = os.Remove(name) // dated by the write, it could trust a file changed during the read
		return
	}
	for v := 1; v < cacheVersion; v++ { // the shards of earlier versions, if any
		_ = os.Remove(filepath.Join(root, top+".v"+strconv.Itoa(v)))
	}
	// The temporary files of a save that was killed half-way: a minute
	// old, so that a save under way in another process is left alone.
	left, _ := filepath.Glob(filepath.Join(root, "."+shardName(top)+".tmp-*"))
	for _, l := range left {
		if fi, err := os.Lstat(l); err == nil && time.Since(fi.ModTime()) > time.Minute {
			_ = os.Remove(l)
		}
	}
}

// dirHandle reads one folder: its own stat, its names, and its files' stat
// (keyed as records are) and whole content. A file that is not a regular
// file is an error.
type dirHandle interface {
	// self is the folder's stat, or the zero fileStat where it does not
	// show every change to the folder's names.
	self() fileStat
	names() ([]string, error)
	stat(name string) (fileStat, error)
	read(name string, buf []byte) ([]byte, error)
	close()
}

var (
	errNotRegular = errors.New("not a regular file")
	errNotDir     = errors.New("not a folder")
)

// noFolder reports whether err says there is no folder there.
func noFolder(err error) bool { return errors.Is(err, fs.ErrNotExist) || errors.Is(err, errNotDir) }
