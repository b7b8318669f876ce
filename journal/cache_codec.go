package journal

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// The shard format: magic, version, the folder's name; the entries (the
// number of them, then each: its 20-byte blob hash and the entry as a
// string); the sub-folders (the number of them, then each: its name ("" for
// the folder itself), its stat, and its files: the number of them, then
// each: name, stat, and 0 for no entry or 1 + the index of its entry);
// and a CRC-32C of everything before it. Strings are a uvarint length and
// bytes; a stat is inode, size, mtime and ctime as varints. Sub-folders are
// sorted by name, and so are the files of each; entry hashes are distinct.
//
// An entry: kind, author, date (year, month, day), created (Unix seconds,
// nanoseconds, 0 for a time written with Z or 1 and the offset in
// seconds), front-matter text, simple, number of keys, each key (name,
// value, scalar, line), free text, number of sections, each section
// (heading, text).

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func encodeShard(top string, sh *shard) []byte {
	b := []byte(cacheMagic)
	b = binary.AppendUvarint(b, cacheVersion)
	b = appendString(b, top)
	b = binary.AppendUvarint(b, uint64(len(sh.ents)))
	for _, ce := range sh.ents {
		b = append(b, ce.hash[:]...)
		b = appendString(b, ce.body)
	}
	b = binary.AppendUvarint(b, uint64(len(sh.folders)))
	for _, f := range sh.folders {
		b = appendString(b, f.name)
		b = appendStat(b, f.st)
		b = binary.AppendUvarint(b, uint64(len(f.files)))
		for _, r := range f.files {
			b = appendString(b, r.name)
			b = appendStat(b, r.st)
			b = binary.AppendUvarint(b, uint64(r.ent+1))
		}
	}
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

func appendStat(b []byte, st fileStat) []byte {
	for _, n := range []int64{st.ino, st.size, st.mtime, st.ctime} {
		b = binary.AppendVarint(b, n)
	}
	return b
}

// decodeShard reads a shard written for top, its entries still encoded.
func decodeShard(top string, data []byte) (*shard, error) {
	if len(data) < len(cacheMagic)+4 {
		return nil, errBadCache
	}
	body, sum := data[:len(data)-4], binary.BigEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, errBadCache
	}
	return parseShard(top, string(body))
}

// parseShard reads a shard whose checksum is right, body being the shard
// without it. Its strings share body's memory.
func parseShard(top, body string) (*shard, error) {
	if len(body) < len(cacheMagic) || body[:len(cacheMagic)] != cacheMagic {
		return nil, errBadCache
	}
	d := &decoder{s: body[len(cacheMagic):]}
	if d.uvarint() != cacheVersion || d.str() != top {
		return nil, errBadCache
	}
	sh := &shard{ents: make([]cachedEntry, d.count(len(blobHash{})+1))}
	for i := range sh.ents {
		sh.ents[i].hash = d.hash()
		sh.ents[i].body = d.str()
	}
	sh.folders = make([]folderRec, d.count(6))
	for i := range sh.folders {
		f := &sh.folders[i]
		f.name, f.st = d.str(), d.stat()
		f.files = make([]fileRec, d.count(6))
		for j := range f.files {
			r := &f.files[j]
			r.name, r.st = d.str(), d.stat()
			ent := d.uvarint()
			if d.err == nil && (ent > uint64(len(sh.ents)) || j > 0 && f.files[j-1].name >= r.name) {
				d.err = errBadCache
			}
			r.ent = int32(ent) - 1
		}
		if d.err == nil && i > 0 && sh.folders[i-1].name >= f.name {
			d.err = errBadCache
		}
	}
	if d.err != nil || d.s != "" {
		return nil, errBadCache
	}
	return sh, nil
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

// arena hands out the entries a worker decodes, and their keys and
// sections, from larger blocks: a warm read decodes tens of thousands of
// entries, and one allocation each is most of the garbage. Slices are cut
// with their capacity at their length, so an entry that grows its keys or
// sections copies them and never writes into another's.
//
// It also hands out one string per author: a journal has two or three, and
// entries whose Author shares its memory compare as a pointer check
// instead of a read of each entry's own bytes.
type arena struct {
	entries []Entry
	keys    []fmKey
	secs    []Section
	authors []string
}

// author is s, the same string as the last time it was seen.
func (a *arena) author(s string) string {
	if a == nil {
		return s
	}
	for _, known := range a.authors {
		if known == s {
			return known
		}
	}
	if len(a.authors) < 8 {
		s = strings.Clone(s)
		a.authors = append(a.authors, s)
	}
	return s
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
	info, ok := lookupKind(kind)
	if !ok || ValidAuthor(author) != nil {
		return nil, errBadCache
	}
	kind, author = info.Kind, a.author(author) // the kind's own constant
	date, ok := civil.Make(int(min(year, 1<<20)), time.Month(min(month, 13)), int(min(dom, 32)))
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

func (d *decoder) stat() fileStat {
	return fileStat{ino: d.varint(), size: d.varint(), mtime: d.varint(), ctime: d.varint()}
}

func (d *decoder) hash() (h blobHash) {
	if d.err != nil || len(d.s) < len(h) {
		d.err = errBadCache
		return h
	}
	copy(h[:], d.s)
	d.s = d.s[len(h):]
	return h
}
