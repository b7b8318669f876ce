package journal

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

// cachedJournal is testJournal made a git work tree (a .git folder is all
// the cache looks for), plus a hand-written entry the YAML parser reads.
func cachedJournal(t *testing.T) (Store, string) {
	t.Helper()
	root := testJournal(t)
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeRaw(t, root, "2026/11/2026-11-02-checkin-sam.md", `---
kind: checkin
author: sam
date: 2026-11-02
created: 2026-11-02T21:00:00+01:00
tags: [walk, "river"]   # a comment
mood: {level: 3}
---

Free text first.

## Rose
The walk.

## Unknown heading
kept
`)
	s := Store{Root: root}
	return s, s.cacheRoot()
}

// ageCache makes every shard look written an hour from now, so that files
// written by the test are old enough for their records to be trusted.
func ageCache(t *testing.T, root string) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(root, shardName("*")))
	if err != nil || len(names) == 0 {
		t.Fatalf("no cache shards in %s (%v)", root, err)
	}
	later := time.Now().Add(time.Hour)
	for _, n := range names {
		if err := os.Chtimes(n, later, later); err != nil {
			t.Fatal(err)
		}
	}
}

// everything is every file a read of the whole journal reads, found by a
// walk of its own: the entry files in month folders and in the shared
// kinds' folders, sorted.
func everything(t *testing.T, s Store) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(s.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(s.Root, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if d.IsDir() {
			if rel != "." && parts[0] == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		_, year := number(parts[0], 4, 0, 9999)
		dated := len(parts) == 3 && year
		if dated {
			_, dated = number(parts[1], 2, 1, 12)
		}
		shared := len(parts) == 2 && (parts[0] == "bucket" || parts[0] == "dates")
		if (dated || shared) && isEntryName(parts[len(parts)-1]) {
			files = append(files, strings.Join(parts, "/"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// readEverything reads the whole journal as List and Shared read it, with
// the cache when it is a git work tree; the entries in path order.
func readEverything(t *testing.T, s Store, st *cacheStats) ([]*Entry, []error) {
	t.Helper()
	sels, err := s.selsFor(Query{Kinds: allKinds()})
	if err != nil {
		t.Fatal(err)
	}
	entries, warnings := s.read(sels, st)
	slices.Reverse(entries)
	return entries, warnings
}

// direct reads files without any cache: what a read must return.
func direct(t *testing.T, s Store, files []string) ([]*Entry, int) {
	t.Helper()
	var out []*Entry
	broken := 0
	for _, f := range slices.Sorted(slices.Values(files)) {
		data, err := os.ReadFile(filepath.Join(s.Root, filepath.FromSlash(f)))
		if err != nil {
			broken++
			continue
		}
		e, err := Parse(f, data)
		if err != nil {
			broken++
			continue
		}
		out = append(out, e)
	}
	return out, broken
}

func sameEntries(t *testing.T, got, want []*Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Path != w.Path || g.Kind != w.Kind || g.Author != w.Author || g.Date != w.Date ||
			!g.Created.Equal(w.Created) || !bytes.Equal(g.Render(), w.Render()) {
			t.Errorf("entry %d: got %s %q, want %s %q", i, g.Path, g.Render(), w.Path, w.Render())
		}
		gj, _ := g.MarshalJSON()
		wj, _ := w.MarshalJSON()
		if !bytes.Equal(gj, wj) {
			t.Errorf("entry %s as json: got %s, want %s", g.Path, gj, wj)
		}
	}
}

func TestCacheServesUnchangedFiles(t *testing.T) {
	s, root := cachedJournal(t)
	files := everything(t, s)
	want, broken := direct(t, s, files)

	var cold cacheStats
	got, warnings := readEverything(t, s, &cold)
	sameEntries(t, got, want)
	if len(warnings) != broken {
		t.Errorf("cold: %d warnings, want %d: %v", len(warnings), broken, warnings)
	}
	// Every file is read; a content seen before (the conflict copy is the
	// same bytes as its original) is parsed once.
	if cold.hits.Load() != 0 || cold.parsed.Load() != int64(len(files)-1) || cold.reused.Load() != 1 {
		t.Errorf("cold: %d hits, %d parsed, %d reused; want 0, %d, 1", cold.hits.Load(), cold.parsed.Load(), cold.reused.Load(), len(files)-1)
	}

	ageCache(t, root)
	var warm cacheStats
	got, warnings = readEverything(t, s, &warm)
	sameEntries(t, got, want)
	if len(warnings) != broken {
		t.Errorf("warm: %d warnings, want %d: %v", len(warnings), broken, warnings)
	}
	// Broken files are never cached: they are parsed again for their warning.
	if warm.hits.Load() != int64(len(want)) || warm.parsed.Load() != int64(broken) {
		t.Errorf("warm: %d hits, %d parsed; want %d, %d", warm.hits.Load(), warm.parsed.Load(), len(want), broken)
	}

	// Entries from the cache are the caller's: changing one changes no other read.
	got[0].SetSection("Rose", "changed in memory")
	again, _ := readEverything(t, s, nil)
	sameEntries(t, again, want)
}

func TestCacheSeesChanges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, s Store)
		parsed int64 // files parsed on the read after the change, broken ones included
	}{
		{"hand edit, same size", func(t *testing.T, s Store) {
			p := filepath.Join(s.Root, "2026", "11", "2026-11-02-checkin-sam.md")
			data, _ := os.ReadFile(p)
			data = bytes.Replace(data, []byte("The walk."), []byte("The swim."), 1)
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"hand edit in place, same size, mtime put back", func(t *testing.T, s Store) {
			// An editor that writes in place on a file system with coarse
			// times: the folder's mtime, the size and the mtime all stay.
			p := filepath.Join(s.Root, "2026", "11", "2026-11-02-checkin-sam.md")
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(p)
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write(bytes.Replace(data, []byte("The walk."), []byte("The swim."), 1)); err != nil {
				t.Fatal(err)
			}
			f.Close()
			if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"hand edit in the same second as the cache write", func(t *testing.T, s Store) {
			p := filepath.Join(s.Root, "2026", "11", "2026-11-02-checkin-sam.md")
			data, _ := os.ReadFile(p)
			if err := os.WriteFile(p, bytes.Replace(data, []byte("The walk."), []byte("The swim."), 1), 0o600); err != nil {
				t.Fatal(err)
			}
			// The shards' times say they were written in the same second
			// as the edit, as a coarse clock would have it.
			now := time.Now().Truncate(time.Second)
			names, _ := filepath.Glob(filepath.Join(s.cacheRoot(), shardName("*")))
			for _, n := range names {
				if err := os.Chtimes(n, now, now); err != nil {
					t.Fatal(err)
				}
			}
		}, -2},
		{"file replaced by a rename", func(t *testing.T, s Store) {
			entryAt(t, s.Root, "2026/11/2026-11-01-checkin-sam.md.tmp", KindCheckin, "sam", "2026-11-01", 7, 30)
			if err := os.Rename(filepath.Join(s.Root, "2026/11/2026-11-01-checkin-sam.md.tmp"),
				filepath.Join(s.Root, "2026/11/2026-11-01-checkin-sam.md")); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"deleted", func(t *testing.T, s Store) {
			if err := os.Remove(filepath.Join(s.Root, "2026/11/2026-11-01-checkin-alex.md")); err != nil {
				t.Fatal(err)
			}
		}, 0},
		{"added by a merge", func(t *testing.T, s Store) {
			entryAt(t, s.Root, "", KindThanks, "alex", "2026-11-03", 8, 0)
			entryAt(t, s.Root, "", KindCheckin, "alex", "2024-02-03", 8, 0)
		}, 2},
		{"became broken", func(t *testing.T, s Store) {
			writeRaw(t, s.Root, "2026/10/2026-10-31-checkin-sam.md", garbage)
		}, 0},
		{"cache folder removed", func(t *testing.T, s Store) {
			if err := os.RemoveAll(s.cacheRoot()); err != nil {
				t.Fatal(err)
			}
		}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, root := cachedJournal(t)
			readEverything(t, s, nil)
			ageCache(t, root)
			tc.change(t, s)
			files := everything(t, s)
			want, broken := direct(t, s, files)
			var st cacheStats
			got, warnings := readEverything(t, s, &st)
			sameEntries(t, got, want)
			if len(warnings) != broken {
				t.Errorf("%d warnings, want %d: %v", len(warnings), broken, warnings)
			}
			// Broken files are parsed on every read.
			wantParsed := tc.parsed + int64(broken)
			switch tc.parsed {
			case -1: // every file
				wantParsed = int64(len(files))
			case -2: // files as new as the shards: not trusted, all read again
				wantParsed = -1
			}
			if tc.parsed == -1 && st.parsed.Load()+st.reused.Load() != wantParsed {
				t.Errorf("parsed %d files and reused %d, want %d in all", st.parsed.Load(), st.reused.Load(), wantParsed)
			} else if tc.parsed >= 0 && st.parsed.Load() != wantParsed {
				t.Errorf("parsed %d files, want %d", st.parsed.Load(), wantParsed)
			}
			// And through List, as commands read.
			listed, _, err := s.List(Query{Since: day("2026-11-01"), Until: day("2026-11-30")})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range listed {
				if e.Date.Before(day("2026-11-01")) {
					t.Errorf("listed %s outside the query", e.Path)
				}
			}
		})
	}
}

func TestCacheRacyRecordsAreReadAgain(t *testing.T) {
	s, _ := cachedJournal(t)
	readEverything(t, s, nil)
	// The files are as new as the shards: their records are not trusted.
	var st cacheStats
	readEverything(t, s, &st)
	if st.hits.Load() != 0 {
		t.Errorf("%d records trusted for files written in the same moment as the cache", st.hits.Load())
	}
}

func TestCorruptCacheIsIgnored(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(data []byte) []byte
	}{
		{"flipped byte", func(d []byte) []byte { d[len(d)/2] ^= 0x40; return d }},
		{"truncated", func(d []byte) []byte { return d[:len(d)/3] }},
		{"empty", func([]byte) []byte { return nil }},
		{"garbage", func([]byte) []byte { return []byte("not a cache at all, but long enough") }},
		{"checksum kept, a length changed", func(d []byte) []byte {
			body := bytes.Replace(d[:len(d)-4], []byte("\x09The walk."), []byte("\x7fThe walk."), 1)
			return binary.BigEndian.AppendUint32(body, crc32.Checksum(body, castagnoli))
		}},
		{"newer version", func(d []byte) []byte {
			body := slices.Clone(d[:len(d)-4])
			body[len(cacheMagic)] = cacheVersion + 1
			return binary.BigEndian.AppendUint32(body, crc32.Checksum(body, castagnoli))
		}},
		{"another folder's shard", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, root := cachedJournal(t)
			files := everything(t, s)
			want, broken := direct(t, s, files)
			readEverything(t, s, nil)
			name := filepath.Join(root, shardName("2026"))
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if tc.spoil != nil {
				data = tc.spoil(data)
			} else if data, err = os.ReadFile(filepath.Join(root, shardName("2025"))); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, data, 0o600); err != nil {
				t.Fatal(err)
			}
			ageCache(t, root)
			var st cacheStats
			got, warnings := readEverything(t, s, &st)
			sameEntries(t, got, want)
			if len(warnings) != broken {
				t.Errorf("%d warnings, want %d", len(warnings), broken)
			}
			if st.parsed.Load() <= int64(broken) {
				t.Errorf("only %d files parsed: the spoilt shard was believed", st.parsed.Load())
			}
			// The shard was rewritten whole.
			data, _ = os.ReadFile(name)
			if _, err := decodeShard("2026", data); err != nil {
				t.Errorf("the shard was not rewritten: %v", err)
			}
		})
	}
}

func TestShardRoundTrip(t *testing.T) {
	s, root := cachedJournal(t)
	readEverything(t, s, nil)
	data, err := os.ReadFile(filepath.Join(root, shardName("2026")))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := decodeShard("2026", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.ents) == 0 || len(sh.folders) == 0 {
		t.Fatalf("the shard holds %d entries in %d folders", len(sh.ents), len(sh.folders))
	}
	if !bytes.Equal(encodeShard("2026", sh), data) {
		t.Error("a shard decoded and encoded again differs")
	}
	if _, err := decodeShard("2025", data); !errors.Is(err, errBadCache) {
		t.Errorf("a shard read as another folder's: %v", err)
	}
}

func FuzzDecodeShard(f *testing.F) {
	e := New(KindCheckin, "sam", day("2026-11-21"), time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC))
	e.SetSection("Rose", "a walk")
	f.Add(encodeShard("2026", &shard{
		ents:    []cachedEntry{{hashBlob([]byte("a")), string(appendEntry(nil, e))}},
		folders: []folderRec{{name: "11", st: fileStat{5, 6, 7, 8}, files: []fileRec{{"a.md", fileStat{1, 2, 3, 4}, 0}, {"b.md", fileStat{}, -1}}}},
	}))
	f.Add([]byte(cacheMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		sh, err := decodeShard("2026", data)
		if err != nil {
			return
		}
		for _, f := range sh.folders {
			for _, r := range f.files {
				if r.ent < 0 {
					continue
				}
				if e, err := decodeEntry("2026/"+f.name+"/"+r.name, sh.ents[r.ent].body, nil); err == nil && e.Validate() != nil {
					t.Fatalf("record %s decoded to an invalid entry", r.name)
				}
			}
		}
		if !bytes.Equal(encodeShard("2026", sh), data) {
			t.Fatal("a shard decoded and encoded again differs")
		}
	})
}

func TestDecodedEntryIsTheParsedOne(t *testing.T) {
	for _, created := range []string{
		"2026-11-21T21:14:03+01:00",
		"2026-11-21T21:14:03Z",
		"2026-11-21T21:14:03+00:00",
		"2026-11-21T21:14:03.123456789-05:30",
		"2026-03-29T02:30:00+02:00",
		"0001-01-01T00:00:01Z",
		"9999-12-31T23:59:59+14:00",
	} {
		t.Run(created, func(t *testing.T) {
			text := "---\nkind: checkin\nauthor: sam\ndate: 2024-02-29\ncreated: " + created +
				"\nmood: 3\n---\n\nfree\n\n## Rose\nA walk.\n"
			want, err := Parse("2024/02/x.md", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range []*arena{nil, {}} {
				got, err := decodeEntry("2024/02/x.md", string(appendEntry(nil, want)), a)
				if err != nil {
					t.Fatal(err)
				}
				if !sameTime(got.Created, want.Created) || got.Date != want.Date || got.Kind != want.Kind || got.Author != want.Author {
					t.Errorf("got %v %v %s %s, want %v %v %s %s", got.Created, got.Date, got.Kind, got.Author,
						want.Created, want.Date, want.Kind, want.Author)
				}
				sameEntries(t, []*Entry{got}, []*Entry{want})
			}
		})
	}
}

// sameTime reports whether a and b are the same moment in the same kind of
// location: UTC, the local zone, or a fixed zone of the same name and offset.
func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo &&
		(a.Location() == time.UTC) == (b.Location() == time.UTC) &&
		(a.Location() == time.Local) == (b.Location() == time.Local)
}

func TestDecodeEntryRefusesBadRequiredFields(t *testing.T) {
	good := New(KindCheckin, "sam", day("2024-02-29"), time.Date(2024, 2, 29, 21, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		name string
		e    func() *Entry
	}{
		{"unknown kind", func() *Entry { e := *good; e.Kind = "nope"; return &e }},
		{"bad author", func() *Entry { e := *good; e.Author = "Sam!"; return &e }},
		{"no such day", func() *Entry { e := *good; e.Date.Day = 30; return &e }},
		{"no such month", func() *Entry { e := *good; e.Date.Month = 13; return &e }},
		{"not a leap year", func() *Entry { e := *good; e.Date.Year = 2023; return &e }},
		{"zero time", func() *Entry { e := *good; e.Created = time.Time{}; return &e }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := decodeEntry("x.md", string(appendEntry(nil, tc.e())), nil); !errors.Is(err, errBadCache) {
				t.Errorf("decoded: %v", err)
			}
		})
	}
	if _, err := decodeEntry("x.md", string(appendEntry(nil, good)), nil); err != nil {
		t.Errorf("a good entry: %v", err)
	}
}

func TestDecoderVarints(t *testing.T) {
	var values []uint64
	for shift := range 64 {
		values = append(values, 1<<shift-1, 1<<shift, 1<<shift+1)
	}
	values = append(values, 1<<64-1)
	for _, v := range values {
		b := binary.AppendUvarint(nil, v)
		d := &decoder{s: string(b) + "x"}
		if got := d.uvarint(); got != v || d.err != nil || d.s != "x" {
			t.Errorf("uvarint %d: got %d, %v, rest %q", v, got, d.err, d.s)
		}
		n := int64(v)
		d = &decoder{s: string(binary.AppendVarint(nil, n))}
		if got := d.varint(); got != n || d.err != nil || d.s != "" {
			t.Errorf("varint %d: got %d, %v", n, got, d.err)
		}
	}
	for _, bad := range []string{"", "\x80", "\xff\xff", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02",
		"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"} {
		_, n := binary.Uvarint([]byte(bad))
		d := &decoder{s: bad}
		d.uvarint()
		if (d.err == nil) != (n > 0) {
			t.Errorf("uvarint of %q: err %v, binary.Uvarint read %d", bad, d.err, n)
		}
	}
}

func TestHashBlobIsGits(t *testing.T) {
	for data, want := range map[string]string{
		"":        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
		"hello\n": "ce013625030ba8dba906f756967f9e9ca394464a",
	} {
		if got := hashBlob([]byte(data)); hex.EncodeToString(got[:]) != want {
			t.Errorf("hash of %q: got %x, want %s", data, got, want)
		}
	}
	// And for a journal file, as git itself hashes it.
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git to compare with")
	}
	s, _ := cachedJournal(t)
	p := filepath.Join(s.Root, "2026", "11", "2026-11-02-checkin-sam.md")
	out, err := exec.Command(git, "hash-object", "--no-filters", p).Output()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	if got := hashBlob(data); hex.EncodeToString(got[:]) != strings.TrimSpace(string(out)) {
		t.Errorf("got %x, git hash-object says %s", got, out)
	}
}

func TestCacheKeysEntriesByBlobHash(t *testing.T) {
	s, root := cachedJournal(t)
	readEverything(t, s, nil)
	ageCache(t, root)
	src := filepath.Join(s.Root, "2026", "11", "2026-11-02-checkin-sam.md")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// Touched (a new stat, the same bytes), and copied under another
	// name: both are read and hashed, neither is parsed.
	later := time.Now().Add(-time.Minute)
	if err := os.Chtimes(src, later, later); err != nil {
		t.Fatal(err)
	}
	writeRaw(t, s.Root, "2026/11/copy.md", string(data))
	var st cacheStats
	got, _ := readEverything(t, s, &st)
	want, _ := direct(t, s, everything(t, s))
	sameEntries(t, got, want)
	if st.parsed.Load() != int64(brokenIn(t, s)) || st.reused.Load() != 2 {
		t.Errorf("parsed %d, reused %d; want %d, 2", st.parsed.Load(), st.reused.Load(), brokenIn(t, s))
	}
	// The shard stores each content once, under git's hash of it.
	shardData, err := os.ReadFile(filepath.Join(root, shardName("2026")))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := decodeShard("2026", shardData)
	if err != nil {
		t.Fatal(err)
	}
	f := sh.folder("11")
	var ents []int32
	for _, r := range f.files {
		if r.name == "copy.md" || r.name == "2026-11-02-checkin-sam.md" {
			ents = append(ents, r.ent)
		}
	}
	if len(ents) != 2 || ents[0] < 0 || ents[0] != ents[1] || sh.ents[ents[0]].hash != hashBlob(data) {
		t.Errorf("the two files point to entries %v, want one stored under %x", ents, hashBlob(data))
	}
	seen := map[blobHash]bool{}
	for _, ce := range sh.ents {
		if seen[ce.hash] {
			t.Errorf("hash %x stored twice", ce.hash)
		}
		seen[ce.hash] = true
	}
}

func allKinds() []Kind {
	var all []Kind
	for _, info := range kinds() {
		all = append(all, info.Kind)
	}
	return all
}

// brokenIn is how many of the journal's files do not parse.
func brokenIn(t *testing.T, s Store) int {
	t.Helper()
	_, broken := direct(t, s, everything(t, s))
	return broken
}

func TestUnchangedFoldersAreNotListed(t *testing.T) {
	s, root := cachedJournal(t)
	readEverything(t, s, nil)
	ageCache(t, root)
	var st cacheStats
	readEverything(t, s, &st)
	if st.listed.Load() != 0 {
		t.Errorf("%d folders listed again, none changed", st.listed.Load())
	}
	// A new file changes its folder: that folder alone is listed, and the
	// file is found.
	entryAt(t, s.Root, "", KindThanks, "alex", "2026-11-03", 8, 0)
	st = cacheStats{}
	got, _ := readEverything(t, s, &st)
	if st.listed.Load() != 1 || st.parsed.Load() != 1+int64(brokenIn(t, s)) {
		t.Errorf("listed %d folders, parsed %d files; want 1, %d", st.listed.Load(), st.parsed.Load(), 1+brokenIn(t, s))
	}
	want, _ := direct(t, s, everything(t, s))
	sameEntries(t, got, want)
	// So does a removed one.
	ageCache(t, root)
	added, _ := filepath.Glob(filepath.Join(s.Root, "2026", "11", "2026-11-03-thanks-alex*"))
	if len(added) != 1 {
		t.Fatalf("the new file: %v", added)
	}
	if err := os.Remove(added[0]); err != nil {
		t.Fatal(err)
	}
	got, _ = readEverything(t, s, nil)
	want, _ = direct(t, s, everything(t, s))
	sameEntries(t, got, want)
}

func TestReadingPartKeepsTheRest(t *testing.T) {
	s, root := cachedJournal(t)
	readEverything(t, s, nil)
	ageCache(t, root)
	// A read of one month writes the shard (the new file in it), and the
	// records of the year's other months stay.
	entryAt(t, s.Root, "", KindThanks, "alex", "2026-11-03", 8, 0)
	if _, _, err := s.List(Query{Since: day("2026-11-01"), Until: day("2026-11-30")}); err != nil {
		t.Fatal(err)
	}
	ageCache(t, root)
	var st cacheStats
	got, _ := readEverything(t, s, &st)
	want, broken := direct(t, s, everything(t, s))
	sameEntries(t, got, want)
	if st.parsed.Load() != int64(broken) || st.listed.Load() != 0 {
		t.Errorf("parsed %d, listed %d; want %d, 0", st.parsed.Load(), st.listed.Load(), broken)
	}
}

func TestReadIsNewestFirst(t *testing.T) {
	s, _ := cachedJournal(t)
	entryAt(t, s.Root, "", KindThanks, "alex", "2024-02-03", 8, 0)
	entryAt(t, s.Root, "", KindCheckin, "zoe", "2024-02-03", 8, 0)
	for _, withCache := range []bool{true, false} {
		if !withCache {
			if err := os.RemoveAll(filepath.Join(s.Root, ".git")); err != nil {
				t.Fatal(err)
			}
		}
		sels, err := s.selsFor(Query{Kinds: allKinds()})
		if err != nil {
			t.Fatal(err)
		}
		got, warnings := s.read(sels, nil)
		if len(got) < 10 || !slices.IsSortedFunc(got, func(a, b *Entry) int { return strings.Compare(b.Path, a.Path) }) {
			t.Errorf("cache %v: %d entries, not in reverse path order", withCache, len(got))
		}
		if len(warnings) < 2 || !slices.IsSortedFunc(warnings, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) }) {
			t.Errorf("cache %v: warnings not in path order: %v", withCache, warnings)
		}
		slices.Reverse(got)
		want, _ := direct(t, s, everything(t, s))
		sameEntries(t, got, want)
	}
}

func TestOldShardsAreRemoved(t *testing.T) {
	s, root := cachedJournal(t)
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	for v := 1; v < cacheVersion; v++ {
		if err := os.WriteFile(filepath.Join(root, "2026.v"+strconv.Itoa(v)), []byte("a shard of an older version"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	readEverything(t, s, nil)
	for v := 1; v < cacheVersion; v++ {
		if _, err := os.Stat(filepath.Join(root, "2026.v"+strconv.Itoa(v))); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the version %d shard is still there: %v", v, err)
		}
	}
}

func TestDecodedAuthorsShareOneString(t *testing.T) {
	a := &arena{}
	var got []*Entry
	for _, hh := range []int{20, 21} {
		e := New(KindCheckin, "sam", day("2026-11-21"), time.Date(2026, 11, 21, hh, 0, 0, 0, time.UTC))
		d, err := decodeEntry("x.md", string(appendEntry(nil, e)), a)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d)
	}
	if got[0].Author != "sam" || unsafe.StringData(got[0].Author) != unsafe.StringData(got[1].Author) {
		t.Error("two entries by sam hold two copies of the name")
	}
	if unsafe.StringData(string(got[0].Kind)) != unsafe.StringData(string(KindCheckin)) {
		t.Error("the kind is not the constant's string")
	}
}

// MayHold is asked about a text holding every front-matter value and
// section of the entry verbatim, and what it refuses is left out.
func TestMayHoldSeesEveryText(t *testing.T) {
	s, root := cachedJournal(t)
	readEverything(t, s, nil)
	ageCache(t, root)
	all, _, err := s.List(Query{})
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	var mu sync.Mutex
	q := Query{MayHold: func(text string) bool {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, text)
		return strings.Contains(text, "The walk.")
	}}
	got, _, err := s.List(q)
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != len(all) {
		t.Fatalf("asked about %d entries, %d listed", len(asked), len(all))
	}
	if len(got) != 1 || got[0].Path != "2026/11/2026-11-02-checkin-sam.md" {
		t.Errorf("got %v, want the one entry with the walk", paths(got))
	}
	for _, e := range all {
		var texts []string
		for _, sec := range e.Sections() {
			texts = append(texts, sec.Text)
		}
		for k, v := range e.Fields() {
			if s, ok := v.(string); ok {
				texts = append(texts, k, s)
			}
		}
		found := slices.ContainsFunc(asked, func(a string) bool {
			return !slices.ContainsFunc(texts, func(t string) bool { return !strings.Contains(a, t) })
		})
		if !found {
			t.Errorf("%s: no text asked about holds all of %q", e.Path, texts)
		}
	}
}

// A record not yet trusted when its shard was written must not become
// trusted because a later read wrote the shard again without checking it:
// that read's later time would make the record look old enough. Here the
// racy records are made by hand: a file changed in place, and a folder that
// gained a file, in the clock tick their records were taken in, so that
// their stat did not change.
func TestRacyRecordsCarriedOverStayUntrusted(t *testing.T) {
	const month, edited = "11", "2026-11-02-checkin-sam.md"
	for _, tc := range []struct {
		name   string
		racy   func(t *testing.T, s Store, sh *shard)
		reread Query // reads the shard's other records, not the racy one
	}{
		{"file changed in place, another month read", racyFile, Query{Since: day("2026-10-01"), Until: day("2026-10-31")}},
		{"file changed in place, another kind read", racyFile, Query{Since: day("2026-11-01"), Until: day("2026-11-30"), Kinds: []Kind{KindThanks}}},
		{"file added to a listed folder, another month read", racyFolder, Query{Since: day("2026-10-01"), Until: day("2026-10-31")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, root := cachedJournal(t)
			readEverything(t, s, nil)
			sh := loadShard(root, "2026")
			tc.racy(t, s, sh)
			saveShard(root, "2026", sh, sh.folders, time.Now()) // written now: the records are racy
			before, err := os.Stat(filepath.Join(root, shardName("2026")))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.List(tc.reread); err != nil {
				t.Fatal(err)
			}
			// The read wrote the shard again (its own records were racy
			// too); say it did so well after the racy records were taken.
			after, err := os.Stat(filepath.Join(root, shardName("2026")))
			if err != nil || os.SameFile(before, after) {
				t.Fatalf("the shard was not written again (%v)", err)
			}
			ageCache(t, root)
			got, _ := readEverything(t, s, nil)
			want, _ := direct(t, s, everything(t, s))
			sameEntries(t, got, want)
		})
	}
}

// racyFile changes a file in place and gives its record in sh the file's
// new stat, keeping the entry of its old content.
func racyFile(t *testing.T, s Store, sh *shard) {
	t.Helper()
	p := filepath.Join(s.Root, "2026", "11", "2026-11-02-checkin-sam.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte("The walk."), []byte("The swim."), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	dir, err := openDir(filepath.Dir(p))
	if err != nil {
		t.Fatal(err)
	}
	defer dir.close()
	st, err := dir.stat(filepath.Base(p))
	if err != nil {
		t.Fatal(err)
	}
	f := sh.folder("11")
	i := slices.IndexFunc(f.files, func(r fileRec) bool { return r.name == filepath.Base(p) })
	if i < 0 || f.files[i].ent < 0 {
		t.Fatalf("no record with an entry for %s", p)
	}
	f.files[i].st = st
}

// racyFolder adds a file to a folder and gives the folder's record in sh
// its new stat, keeping its old list of files.
func racyFolder(t *testing.T, s Store, sh *shard) {
	t.Helper()
	entryAt(t, s.Root, "", KindThanks, "alex", "2026-11-03", 8, 0)
	dir, err := openDir(filepath.Join(s.Root, "2026", "11"))
	if err != nil {
		t.Fatal(err)
	}
	defer dir.close()
	f := sh.folder("11")
	if f == nil {
		t.Fatal("no record of 2026/11")
	}
	f.st = dir.self()
}

// A shard is dated from when its read began: a file changed while a slow
// read went on is not trusted by a shard written after it.
func TestShardIsDatedFromTheReadsStart(t *testing.T) {
	s, root := cachedJournal(t)
	before := time.Now()
	slow := func(string) bool { time.Sleep(time.Millisecond); return true }
	sels, err := s.selsFor(Query{Kinds: allKinds()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sels {
		sels[i].keep = slow
	}
	s.read(sels, nil)
	after := time.Now()
	fi, err := os.Stat(filepath.Join(root, shardName("2026")))
	if err != nil {
		t.Fatal(err)
	}
	if fi.ModTime().Before(before.Add(-time.Second)) || !fi.ModTime().Before(before.Add(5*time.Millisecond)) || !after.After(before.Add(10*time.Millisecond)) {
		t.Errorf("shard dated %v; the read ran from %v to %v", fi.ModTime(), before, after)
	}
}
