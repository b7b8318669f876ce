package journal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// The read cache.
//
// Reading the journal means opening and parsing every file in range: at
// 50,000 entries that is most of a read command's time. So a journal that
// is a git work tree (it has a .git folder) keeps the parsed entries under
// .git/reconnect-cache/, one shard per top-level folder (a year, bucket,
// dates). A record is a file's parse, keyed by its relative path and its
// stat: inode, size, modification and change times. A read stats every
// file it would read; where the stat matches the record, the record is the
// entry, and only the other files are read and parsed. The shards that
// changed are written back atomically.
//
// The cache is never a source of truth:
//   - a shard that is missing, truncated, of another version or folder, or
//     fails its checksum is ignored (its files are read) and rewritten;
//   - a record whose stat does not match (a hand edit, a file replaced by a
//     merge) is read again; files no shard knows (added by a merge) are read;
//     records of files gone are dropped when their shard is next written;
//   - a record is trusted only when the file's times are older than its
//     shard's own modification time by more than [racySlack], as git does
//     with its index: a file changed in the same clock tick as it was stat'ed
//     for the record would otherwise keep its stat and look unchanged;
//   - files that do not parse are not cached: they are read every time, so
//     their warnings stay exact.
//
// The stat of every file cannot be skipped: a file written in place (not
// replaced by a rename) changes its own times and nothing else, not its
// folder's mtime, not git's HEAD or index, so only its stat shows it. What
// a warm read does besides is kept small: records are found by walking the
// sorted shard alongside the sorted files, and carry the required fields
// already loaded (no date or time parsing), and the entries of a worker are
// cut from shared blocks.

const (
	cacheDir     = "reconnect-cache"
	cacheMagic   = "reconnect-cache\x00"
	cacheVersion = 2
	// racySlack is how much older than its shard a file must be for the
	// shard's record of it to be trusted; coarse file-system clocks tick in
	// up to 2 seconds.
	racySlack = 2_000_000_000
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// fileStat is what a record is keyed by, besides its path.
type fileStat struct {
	ino, size, mtime, ctime int64
}

// record is one cached parse: the file's name within its shard's folder,
// its stat, and the encoded entry, decoded only when it is used.
type record struct {
	name string
	st   fileStat
	body string
}

// shard is the records of one top-level folder, sorted by name (the path
// relative to the folder).
type shard struct {
	recs  []record
	mtime int64 // the shard file's modification time; 0 when there was none
}

// find is the record of name, or nil. Names asked for in ascending order
// are found by walking on from the last one (at *from); others by search.
func (sh *shard) find(name string, from *int) *record {
	i := *from
	for i < len(sh.recs) && sh.recs[i].name < name {
		i++
	}
	if i > 0 && i <= len(sh.recs) && sh.recs[i-1].name >= name {
		i, _ = slices.BinarySearchFunc(sh.recs, name, func(r record, n string) int { return strings.Compare(r.name, n) })
	}
	*from = i
	if i < len(sh.recs) && sh.recs[i].name == name {
		return &sh.recs[i]
	}
	return nil
}

// cacheStats counts, for tests, how a read was served.
type cacheStats struct {
	hits, parsed atomic.Int64
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
func shardName(top string) string { return top + ".v2" }

// topOf splits a relative path into its top-level folder and the rest.
func topOf(rel string) (top, rest string) {
	top, rest, ok := strings.Cut(rel, "/")
	if !ok {
		return "", rel
	}
	return top, rest
}

// readCached is readAll through the cache in root: entries and warnings in
// the order of the sorted files. stats, when not nil, counts hits and parses.
func (s Store) readCached(root string, files []string, stats *cacheStats) ([]*Entry, []error) {
	if !slices.IsSorted(files) {
		slices.Sort(files)
	}
	// Group by top-level folder; files is sorted, so each group is a run.
	type group struct {
		top    string
		lo, hi int
	}
	var groups []group
	for i, f := range files {
		top, _ := topOf(f)
		if n := len(groups); n > 0 && groups[n-1].top == top {
			groups[n-1].hi = i + 1
			continue
		}
		groups = append(groups, group{top, i, i + 1})
	}
	results := make([]readResult, len(files))
	doGroup := func(g group, buf []byte, a *arena) []byte {
		sh := loadShard(root, g.top)
		changed := false
		fresh := map[string]record{}
		var dir dirHandle
		dirName := ""
		cursor := 0
		for i := g.lo; i < g.hi; i++ {
			rel := files[i]
			_, rest := topOf(rel)
			if d := path.Dir(rel); d != dirName || dir == nil {
				if dir != nil {
					dir.close()
				}
				dirName = d
				dir = openDir(filepath.Join(s.Root, filepath.FromSlash(d)))
			}
			base := path.Base(rel)
			st, err := dir.stat(base)
			if err != nil {
				results[i].err = fmt.Errorf("read entry %s: %w", rel, err)
				continue
			}
			r := sh.find(rest, &cursor)
			if r != nil && r.st == st && sh.trusts(st) {
				if e, err := decodeEntry(rel, r.body, a); err == nil {
					results[i].e = e
					if stats != nil {
						stats.hits.Add(1)
					}
					continue
				}
				changed = true // a bad record: parse the file and write it again
			}
			if stats != nil {
				stats.parsed.Add(1)
			}
			data, err := dir.read(base, buf)
			if err != nil {
				results[i].err = fmt.Errorf("read entry %s: %w", rel, err)
				continue
			}
			buf = data[:cap(data)]
			e, err := Parse(rel, data)
			results[i].e, results[i].err = e, err
			if err == nil {
				fresh[rest] = record{name: rest, st: st, body: string(appendEntry(nil, e))}
				changed = true
			} else if r != nil {
				changed = true // drop the stale record of a file now broken
				fresh[rest] = record{}
			}
		}
		if dir != nil {
			dir.close()
		}
		if changed {
			s.saveShard(root, g.top, sh, fresh)
		}
		return buf
	}
	inParallel(len(groups), min(runtime.GOMAXPROCS(0), len(groups)), func() func(int) {
		buf, a := make([]byte, 8192), &arena{}
		return func(i int) { buf = doGroup(groups[i], buf, a) }
	})
	return split(results)
}

// trusts reports whether a record of a file with stat st can be believed:
// the file last changed well before the shard was written.
func (sh *shard) trusts(st fileStat) bool {
	return sh.mtime != 0 && st.mtime < sh.mtime-racySlack && st.ctime < sh.mtime-racySlack
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
	recs, err := parseShard(top, body.String())
	if err != nil {
		return empty
	}
	return &shard{recs: recs, mtime: fi.ModTime().UnixNano()}
}

// saveShard writes sh for top with the fresh records in place of the old
// (an empty body drops one), keeping only records of files still there.
// Failing to write the cache is not an error: the next read parses again.
func (s Store) saveShard(root, top string, sh *shard, fresh map[string]record) {
	exists := existingUnder(filepath.Join(s.Root, filepath.FromSlash(top)))
	recs := make([]record, 0, len(sh.recs)+len(fresh))
	for _, r := range sh.recs {
		if _, replaced := fresh[r.name]; !replaced && exists[r.name] {
			recs = append(recs, r)
		}
	}
	for _, r := range fresh {
		if r.body != "" && exists[r.name] {
			recs = append(recs, r)
		}
	}
	slices.SortFunc(recs, func(a, b record) int { return strings.Compare(a.name, b.name) })
	if fsutil.WriteFile(filepath.Join(root, shardName(top)), encodeShard(top, recs), fsutil.FileMode) == nil {
		_ = os.Remove(filepath.Join(root, top+".v1")) // the shard of the previous version, if any
	}
}

// existingUnder is the files directly in dir and in its sub-folders, one
// level down (a year's months), by slash path relative to dir.
func existingUnder(dir string) map[string]bool {
	out := map[string]bool{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	for _, d := range ents {
		if !d.IsDir() {
			out[d.Name()] = true
			continue
		}
		names, err := readDirNames(filepath.Join(dir, d.Name()))
		if err != nil {
			continue
		}
		for _, n := range names {
			out[d.Name()+"/"+n] = true
		}
	}
	return out
}

// The shard format: magic, version, the folder's name, the number of
// records, the records sorted by name, and a CRC-32C of everything before
// it. Strings are a uvarint length and bytes; numbers are varints.
//
// A record: name, inode, size, mtime, ctime, and the entry as a string:
// kind, author, date (year, month, day), created (Unix seconds,
// nanoseconds, 0 for a time written with Z or 1 and the offset in
// seconds), front-matter text, simple, number of keys, each key (name,
// value, scalar, line), free text, number of sections, each section
// (heading, text).

func encodeShard(top string, recs []record) []byte {
	b := []byte(cacheMagic)
	b = binary.AppendUvarint(b, cacheVersion)
	b = appendString(b, top)
	b = binary.AppendUvarint(b, uint64(len(recs)))
	for _, r := range recs {
		b = appendString(b, r.name)
		for _, n := range []int64{r.st.ino, r.st.size, r.st.mtime, r.st.ctime} {
			b = binary.AppendVarint(b, n)
		}
		b = appendString(b, r.body)
	}
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

// appendEntry encodes what a parse of e found: its required fields as
// loaded, so that a read need not parse dates and times again, then its
// front matter, free text and sections.
func appendEntry(b []byte, e *Entry) []byte {
	b = appendString(b, string(e.Kind))
	b = appendString(b, e.Author)
	b = binary.AppendUvarint(b, uint64(e.Date.Year))
	b = binary.AppendUvarint(b, uint64(e.Date.Month))
	b = binary.AppendUvarint(b, uint64(e.Date.Day))
	b = binary.AppendVarint(b, e.Created.Unix())
	b = binary.AppendUvarint(b, uint64(e.Created.Nanosecond()))
	if e.Created.Location() == time.UTC {
		b = append(b, 0) // written with Z
	} else {
		_, off := e.Created.Zone()
		b = append(b, 1)
		b = binary.AppendVarint(b, int64(off))
	}
	b = appendString(b, e.fm.text)
	b = appendBool(b, e.fm.simple)
	b = binary.AppendUvarint(b, uint64(len(e.fm.keys)))
	for _, fk := range e.fm.keys {
		b = appendString(b, fk.name)
		b = appendString(b, fk.value)
		b = appendBool(b, fk.scalar)
		b = binary.AppendUvarint(b, uint64(fk.line))
	}
	b = appendString(b, e.free)
	b = binary.AppendUvarint(b, uint64(len(e.secs)))
	for _, sec := range e.secs {
		b = appendString(b, sec.Heading)
		b = appendString(b, sec.Text)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

var errBadCache = errors.New("bad cache shard")

// decoder reads a shard's fields from one string (so decoded strings share
// its memory), remembering the first problem.
type decoder struct {
	s   string
	err error
}

// uvarint reads what [binary.AppendUvarint] wrote, refusing what
// [binary.Uvarint] refuses (a truncated or overlong number).
func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	if d.s != "" && d.s[0] < 0x80 { // most numbers here are one byte
		v := uint64(d.s[0])
		d.s = d.s[1:]
		return v
	}
	var v uint64
	var shift uint
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break // overflow
			}
			d.s = d.s[i+1:]
			return v | uint64(c)<<shift
		}
		v |= uint64(c&0x7f) << shift
		shift += 7
	}
	d.err = errBadCache
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.s)) {
		d.err = errBadCache
		return ""
	}
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

func (d *decoder) boolean() bool {
	if d.err != nil || d.s == "" || d.s[0] > 1 {
		d.err = errBadCache
		return false
	}
	v := d.s[0] == 1
	d.s = d.s[1:]
	return v
}

// count reads a number of items, each at least min bytes long, refusing
// counts the rest of the data cannot hold.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.s)/min) {
		d.err = errBadCache
	}
	if d.err != nil {
		return 0
	}
	return int(n)
}

// decodeShard reads a shard written for top: its records, sorted by name,
// with their entries still encoded.
func decodeShard(top string, data []byte) ([]record, error) {
	if len(data) < len(cacheMagic)+4 {
		return nil, errBadCache
	}
	body, sum := data[:len(data)-4], binary.BigEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, errBadCache
	}
	return parseShard(top, string(body))
}

// parseShard reads the records of a shard whose checksum is right, body
// being the shard without it.
func parseShard(top, body string) ([]record, error) {
	if !strings.HasPrefix(body, cacheMagic) {
		return nil, errBadCache
	}
	d := &decoder{s: body[len(cacheMagic):]}
	if d.uvarint() != cacheVersion || d.str() != top {
		return nil, errBadCache
	}
	recs := make([]record, d.count(6))
	for i := range recs {
		recs[i] = record{name: d.str(),
			st:   fileStat{ino: d.varint(), size: d.varint(), mtime: d.varint(), ctime: d.varint()},
			body: d.str()}
		if d.err == nil && i > 0 && recs[i-1].name >= recs[i].name {
			d.err = errBadCache
		}
	}
	if d.err != nil || d.s != "" {
		return nil, errBadCache
	}
	return recs, nil
}

// arena hands out the entries a worker decodes, and their keys and
// sections, from larger blocks: a warm read decodes tens of thousands of
// entries, and one allocation each is most of the garbage. Slices are cut
// with their capacity at their length, so an entry that grows its keys or
// sections copies them and never writes into another's.
type arena struct {
	entries []Entry
	keys    []fmKey
	secs    []Section
}

const arenaBlock = 256

func (a *arena) entry() *Entry {
	if a == nil {
		return &Entry{}
	}
	if len(a.entries) == 0 {
		a.entries = make([]Entry, arenaBlock)
	}
	e := &a.entries[0]
	a.entries = a.entries[1:]
	return e
}

func (a *arena) keySlice(n int) []fmKey {
	if a == nil || n > arenaBlock {
		return make([]fmKey, n)
	}
	if len(a.keys) < n {
		a.keys = make([]fmKey, 4*arenaBlock)
	}
	s := a.keys[:n:n]
	a.keys = a.keys[n:]
	return s
}

func (a *arena) secSlice(n int) []Section {
	if a == nil || n > arenaBlock {
		return make([]Section, n)
	}
	if len(a.secs) < n {
		a.secs = make([]Section, 4*arenaBlock)
	}
	s := a.secs[:n:n]
	a.secs = a.secs[n:]
	return s
}

// decodeEntry is the entry at rel encoded in body, its memory from a (nil
// allocates). Its required fields must be what a parse accepts.
func decodeEntry(rel, body string, a *arena) (*Entry, error) {
	d := &decoder{s: body}
	kind, author := Kind(d.str()), d.str()
	year, month, dom := d.uvarint(), d.uvarint(), d.uvarint()
	sec, nsec := d.varint(), d.uvarint()
	hasOffset, off := d.boolean(), int64(0) // false: written with Z
	if hasOffset {
		off = d.varint()
	}
	if d.err != nil {
		return nil, errBadCache
	}
	if _, ok := lookupKind(kind); !ok || ValidAuthor(author) != nil {
		return nil, errBadCache
	}
	date, ok := validDate(year, month, dom)
	if !ok || nsec >= 1e9 || off <= -24*3600 || off >= 24*3600 {
		return nil, errBadCache
	}
	created := createdAt(sec, int64(nsec), hasOffset, int(off))
	if created.IsZero() {
		return nil, errBadCache
	}
	e := a.entry()
	e.Path, e.Kind, e.Author, e.Date, e.Created = rel, kind, author, date, created
	e.fm.text = d.str()
	e.fm.simple = d.boolean()
	if nk := d.count(4); nk > 0 {
		e.fm.keys = a.keySlice(nk)
		for i := range e.fm.keys {
			e.fm.keys[i] = fmKey{name: d.str(), value: d.str(), scalar: d.boolean(), line: int(d.uvarint())}
		}
	}
	e.free = d.str()
	if ns := d.count(2); ns > 0 {
		e.secs = a.secSlice(ns)
		for i := range e.secs {
			e.secs[i] = Section{Heading: d.str(), Text: d.str()}
		}
	}
	if d.err != nil || d.s != "" {
		return nil, errBadCache
	}
	return e, nil
}

// validDate is the day year-month-day when it exists and can be written
// as four digits.
func validDate(year, month, day uint64) (civil.Date, bool) {
	if year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return civil.Date{}, false
	}
	days := [13]uint64{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return civil.Date{Year: int(year), Month: time.Month(month), Day: int(day)}, day <= days
}

// createdAt is the creation time a parse of its RFC 3339 text gives: in
// UTC when it was written with Z; otherwise at its offset, in the local
// zone when that zone has the same offset at that moment (as [time.Parse]
// does).
func createdAt(sec, nsec int64, offset bool, off int) time.Time {
	t := time.Unix(sec, nsec) // in the local zone
	if !offset {
		return t.UTC()
	}
	if _, local := t.Zone(); local == off {
		return t
	}
	return t.In(time.FixedZone("", off))
}

// dirHandle reads the files of one folder: a stat keyed as records are, and
// the whole content. Both follow symbolic links, and a file that is not a
// regular file is an error.
type dirHandle interface {
	stat(name string) (fileStat, error)
	read(name string, buf []byte) ([]byte, error)
	close()
}

var errNotRegular = errors.New("not a regular file")
