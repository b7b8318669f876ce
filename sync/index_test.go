package sync

import (
	"context"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// lwIndexFromGit has real git write an index holding lines, given as
// `git update-index --index-info` takes them, and returns its bytes.
func lwIndexFromGit(t *testing.T, dir string, lines []string) []byte {
	t.Helper()
	name := filepath.Join(t.TempDir(), "index")
	lwGit(t, dir, []string{"GIT_INDEX_FILE=" + name}, strings.Join(lines, "\n")+"\n", "update-index", "--index-info")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lwLsFiles is `git ls-files --stage` of the index bytes idx, which also
// proves that git reads them.
func lwLsFiles(t *testing.T, dir string, idx []byte) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(name, idx, 0o600); err != nil {
		t.Fatal(err)
	}
	return lwGit(t, dir, []string{"GIT_INDEX_FILE=" + name}, "", "ls-files", "--stage")
}

func TestPatchIndex(t *testing.T) {
	t.Parallel()
	dir, s := lwStore(t)
	x, y := lwBlob(t, s, "x\n"), lwBlob(t, s, "y\n")
	long := "a/" + strings.Repeat("l", 4200) // longer than the 12-bit name length
	base := []string{
		fmt.Sprintf("100644 %s\ta-b/y.md", x),
		fmt.Sprintf("100644 %s\ta.md", x),
		fmt.Sprintf("100644 %s\ta/x.md", x),
		fmt.Sprintf("100644 %s\t%s", x, long),
		fmt.Sprintf("100644 %s 1\tc.md", x), // a conflict: base, ours, theirs
		fmt.Sprintf("100644 %s 2\tc.md", y),
		fmt.Sprintf("100644 %s 3\tc.md", x),
		fmt.Sprintf("100644 %s\tm/n.md", x),
	}
	put := func(p string, h plumbing.Hash) indexUpdate {
		return indexUpdate{path: p, hash: h, stat: fileStat{mode: 0o100644, size: 2}}
	}
	del := func(p string) indexUpdate { return indexUpdate{path: p, del: true} }
	tests := []struct {
		name    string
		updates []indexUpdate
		want    []string // stage listing lines
	}{
		{"insert first", []indexUpdate{put("0.md", y)}, []string{"0.md"}},
		{"insert last", []indexUpdate{put("z/z.md", y)}, []string{"z/z.md"}},
		{"insert between a- and a.", []indexUpdate{put("a-c", y), put("a/w.md", y)}, []string{"a-c", "a/w.md"}},
		{"replace", []indexUpdate{put("a.md", y)}, []string{"a.md"}},
		{"replace the long name", []indexUpdate{put(long, y)}, []string{long}},
		{"resolve a conflict", []indexUpdate{put("c.md", y)}, []string{"c.md"}},
		{"delete a conflict", []indexUpdate{del("c.md")}, nil},
		{"delete", []indexUpdate{del("a/x.md"), del("m/n.md")}, nil},
		{"delete missing", []indexUpdate{del("nope"), del("zzz")}, nil},
		{"last of two updates wins", []indexUpdate{put("b.md", x), put("b.md", y)}, []string{"b.md"}},
		{"mixed", []indexUpdate{del("a.md"), put("a.mc", y), put("m/o.md", y), del(long)}, []string{"a.mc", "m/o.md"}},
	}
	old := lwIndexFromGit(t, dir, base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := patchIndex(old, tt.updates)
			if err != nil {
				t.Fatal(err)
			}
			// What git writes for the same result.
			final := map[string][]string{}
			for _, line := range base {
				_, p, _ := strings.Cut(line, "\t")
				final[p] = append(final[p], line)
			}
			for _, up := range sortedUpdates(tt.updates) {
				delete(final, up.path)
				if !up.del {
					final[up.path] = []string{fmt.Sprintf("100644 %s\t%s", up.hash, up.path)}
				}
			}
			var lines []string
			for _, l := range final {
				lines = append(lines, l...)
			}
			want := lwLsFiles(t, dir, lwIndexFromGit(t, dir, lines))
			if ls := lwLsFiles(t, dir, got); ls != want {
				t.Errorf("git ls-files --stage:\n%s\nwant:\n%s", ls, want)
			}
			for _, p := range tt.want {
				if !strings.Contains(lwLsFiles(t, dir, got), "\t"+p) {
					t.Errorf("%s missing", p)
				}
			}
		})
	}
}

func TestPatchIndexNew(t *testing.T) {
	dir, s := lwStore(t)
	x := lwBlob(t, s, "x\n")
	got, err := patchIndex(nil, []indexUpdate{{path: "a/b.md", hash: x, stat: fileStat{mode: 0o100644}}})
	if err != nil {
		t.Fatal(err)
	}
	if ls := lwLsFiles(t, dir, got); ls != fmt.Sprintf("100644 %s 0\ta/b.md", x) {
		t.Errorf("git ls-files --stage = %q", ls)
	}
}

func TestPatchIndexRefuses(t *testing.T) {
	dir, s := lwStore(t)
	x := lwBlob(t, s, "x\n")
	good := lwIndexFromGit(t, dir, []string{fmt.Sprintf("100644 %s\ta.md", x)})
	up := []indexUpdate{{path: "b.md", hash: x}}

	corrupt := append([]byte(nil), good...)
	corrupt[20] ^= 1
	// A required extension ("link", the split index) after the entries.
	body := good[:len(good)-20]
	ext := append(append([]byte(nil), body...), "link"...)
	ext = binary.BigEndian.AppendUint32(ext, 0)
	sum := sha1.Sum(ext)
	withLink := append(ext, sum[:]...)
	tests := []struct {
		name string
		idx  []byte
	}{
		{"not an index", []byte("hello, this is not an index file at all")},
		{"bad checksum", corrupt},
		{"truncated", good[:30]},
		{"required extension", withLink},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := patchIndex(tt.idx, up); err == nil {
				t.Fatal("patchIndex succeeded")
			}
		})
	}
}

func TestIndexLockHeldByGit(t *testing.T) {
	t.Parallel()
	r := lwRepo(t)
	lock := filepath.Join(r.gitDir, "index.lock")
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := r.updateIndex([]indexUpdate{{path: "x.md", hash: plumbing.ComputeHash(plumbing.BlobObject, nil)}})
	if err == nil || !strings.Contains(err.Error(), lock) {
		t.Fatalf("updateIndex with index.lock held = %v, want an error naming it", err)
	}
	if errors.Is(err, ErrLocked) {
		t.Error("git's lock reported as reconnect's")
	}
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("git's index.lock was removed: %v", err)
	}
	// A lock of git's is no stale lock of reconnect's: taking the
	// repository lock leaves it.
	unlock, err := r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if _, err := os.Stat(lock); err != nil {
		t.Errorf("git's index.lock was removed by Lock: %v", err)
	}
}

// PatchIndexForBench lets the write benchmarks (package sync_test, which
// can import journalgen) time the index patch of one new file.
func PatchIndexForBench(old []byte, path string, data []byte) ([]byte, error) {
	return patchIndex(old, []indexUpdate{{
		path: path,
		hash: plumbing.ComputeHash(plumbing.BlobObject, data),
		stat: fileStat{mode: 0o100644, size: uint32(len(data))},
	}})
}

// A skip-worktree entry (what a sync keeps out of the work tree) is
// written with git's extended flag, in a version 2 index (which becomes
// version 3), a version 3 one and, through go-git's codec, a version 4
// one; git reads each back as skip-worktree, and the other entries as
// they were.
func TestPatchIndexSkipWorktree(t *testing.T) {
	for _, version := range []string{"2", "3", "4"} {
		t.Run("version "+version, func(t *testing.T) {
			dir, s := lwStore(t)
			x := lwBlob(t, s, "x\n")
			idx := lwIndexFromGit(t, dir, []string{fmt.Sprintf("100644 %s\ta.md", x), fmt.Sprintf("100644 %s\tz.md", x)})
			name := filepath.Join(t.TempDir(), "index")
			if err := os.WriteFile(name, idx, 0o600); err != nil {
				t.Fatal(err)
			}
			lwGit(t, dir, []string{"GIT_INDEX_FILE=" + name}, "", "update-index", "--index-version", version)
			idx, _ = os.ReadFile(name)
			out, err := patchIndex(idx, []indexUpdate{
				{path: "../up.md", hash: x, stat: fileStat{mode: 0o100644}, skip: true},
				{path: "link", hash: x, stat: fileStat{mode: 0o120000}, skip: true},
				{path: "m.md", hash: x, stat: fileStat{mode: 0o100644}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, out, 0o600); err != nil {
				t.Fatal(err)
			}
			got := lwGit(t, dir, []string{"GIT_INDEX_FILE=" + name}, "", "ls-files", "-v", "-s")
			want := strings.Join([]string{
				"S 100644 " + x.String() + " 0\t../up.md",
				"H 100644 " + x.String() + " 0\ta.md",
				"S 120000 " + x.String() + " 0\tlink",
				"H 100644 " + x.String() + " 0\tm.md",
				"H 100644 " + x.String() + " 0\tz.md",
			}, "\n")
			if got != want {
				t.Fatalf("git ls-files -v -s:\n%s\nwant:\n%s", got, want)
			}
			if v := binary.BigEndian.Uint32(out[4:8]); version == "2" && v != 3 {
				t.Fatalf("version %d; extended flags need 3", v)
			}
			// And back to a plain entry.
			out, err = patchIndex(out, []indexUpdate{{path: "link", hash: x, stat: fileStat{mode: 0o100644}}})
			if err != nil {
				t.Fatal(err)
			}
			if got := lwLsFiles(t, dir, out); !strings.Contains(got, "100644 "+x.String()+" 0\tlink") {
				t.Fatalf("after: %s", got)
			}
		})
	}
}
