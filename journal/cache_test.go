package journal

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
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
	names, err := filepath.Glob(filepath.Join(root, "*.v1"))
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

// everything is every file List would read for the whole journal.
func everything(t *testing.T, s Store) []string {
	t.Helper()
	files, _, err := s.datedFiles(Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, folder := range []string{"bucket", "dates"} {
		more, err := s.folderFiles(folder)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	return files
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
	got, warnings := s.readCached(root, slices.Clone(files), &cold)
	sameEntries(t, got, want)
	if len(warnings) != broken {
		t.Errorf("cold: %d warnings, want %d: %v", len(warnings), broken, warnings)
	}
	if cold.hits.Load() != 0 || cold.parsed.Load() != int64(len(files)) {
		t.Errorf("cold: %d hits, %d parsed; want 0, %d", cold.hits.Load(), cold.parsed.Load(), len(files))
	}

	ageCache(t, root)
	var warm cacheStats
	got, warnings = s.readCached(root, slices.Clone(files), &warm)
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
	again, _ := s.readCached(root, slices.Clone(files), nil)
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
			s.readCached(root, everything(t, s), nil)
			ageCache(t, root)
			tc.change(t, s)
			files := everything(t, s)
			want, broken := direct(t, s, files)
			var st cacheStats
			got, warnings := s.readCached(root, slices.Clone(files), &st)
			sameEntries(t, got, want)
			if len(warnings) != broken {
				t.Errorf("%d warnings, want %d: %v", len(warnings), broken, warnings)
			}
			// Broken files are parsed on every read.
			wantParsed := tc.parsed + int64(broken)
			if tc.parsed < 0 {
				wantParsed = int64(len(files))
			}
			if st.parsed.Load() != wantParsed {
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
	s, root := cachedJournal(t)
	files := everything(t, s)
	s.readCached(root, slices.Clone(files), nil)
	// The files are as new as the shards: their records are not trusted.
	var st cacheStats
	s.readCached(root, slices.Clone(files), &st)
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
			s.readCached(root, slices.Clone(files), nil)
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
			got, warnings := s.readCached(root, slices.Clone(files), &st)
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
	files := everything(t, s)
	s.readCached(root, slices.Clone(files), nil)
	data, err := os.ReadFile(filepath.Join(root, shardName("2026")))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := decodeShard("2026", data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encodeShard("2026", recs), data) {
		t.Error("a shard decoded and encoded again differs")
	}
	if _, err := decodeShard("2025", data); !errors.Is(err, errBadCache) {
		t.Errorf("a shard read as another folder's: %v", err)
	}
}

func FuzzDecodeShard(f *testing.F) {
	e := New(KindCheckin, "sam", day("2026-11-21"), time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC))
	e.SetSection("Rose", "a walk")
	f.Add(encodeShard("2026", []record{{name: "11/a.md", st: fileStat{1, 2, 3, 4}, body: string(appendEntry(nil, e))}}))
	f.Add([]byte(cacheMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := decodeShard("2026", data)
		if err != nil {
			return
		}
		for _, r := range recs {
			if e, err := decodeEntry("2026/"+r.name, r.body); err == nil && e.Validate() != nil {
				t.Fatalf("record %s decoded to an invalid entry", r.name)
			}
		}
	})
}
