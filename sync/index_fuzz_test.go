package sync

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// ixModel is what an index should hold after patches: path -> update.
type ixModel map[string]indexUpdate

// ixPaths are the paths the index tests draw from: names that sort around
// '/' ('-' and '.' sort before it, letters after), files never folders.
var ixPaths = func() []string {
	var ps []string
	for _, d := range []string{"", "a/", "a-/", "a.b/", "a/b/", "a/a/", "b/"} {
		for _, f := range []string{"a.md", "a-.md", "a.b.md", "b.md", "0.md"} {
			ps = append(ps, d+f)
		}
	}
	return ps
}()

// ixUpdates reads a batch of updates from data, 3 bytes each: path, what
// (delete, put, put skip-worktree, executable) and the content.
func ixUpdates(data []byte) []indexUpdate {
	var ups []indexUpdate
	for len(data) >= 3 {
		p := ixPaths[int(data[0])%len(ixPaths)]
		h := plumbing.Hash{data[2], 1}
		up := indexUpdate{path: p, hash: h, stat: fileStat{mode: 0o100644, size: uint32(data[2]), mtimeSec: uint32(data[1]) << 8, ino: uint32(data[0])}}
		switch data[1] % 4 {
		case 0:
			up = indexUpdate{path: p, del: true}
		case 2:
			up.skip = true
		case 3:
			up.stat.mode = 0o100755
		}
		ups = append(ups, up)
		data = data[3:]
	}
	return ups
}

// apply is the model's patch: the last update of a path wins.
func (m ixModel) apply(ups []indexUpdate) {
	for _, up := range ups {
		if up.del {
			delete(m, up.path)
		} else {
			m[up.path] = up
		}
	}
}

// ixCheck decodes idx with go-git's index decoder and compares it with m.
func ixCheck(t *testing.T, idx []byte, m ixModel) {
	t.Helper()
	var dec index.Index
	if err := index.NewDecoder(bytes.NewReader(idx)).Decode(&dec); err != nil {
		t.Fatalf("go-git cannot read the patched index: %v", err)
	}
	want := make([]string, 0, len(m))
	for p := range m {
		want = append(want, p)
	}
	slices.Sort(want)
	var got []string
	for _, e := range dec.Entries {
		got = append(got, e.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("entries %q, want %q", got, want)
	}
	for _, e := range dec.Entries {
		up := m[e.Name]
		mode := filemode.Regular
		if up.stat.mode == 0o100755 {
			mode = filemode.Executable
		}
		if e.Hash != up.hash || e.Mode != mode || e.Size != up.stat.size || e.Inode != up.stat.ino ||
			e.ModifiedAt.Unix() != int64(up.stat.mtimeSec) || e.SkipWorktree != up.skip || e.Stage != 0 {
			t.Fatalf("entry %s = %+v, want %+v", e.Name, e, up)
		}
	}
}

// FuzzPatchIndex patches an index in steps (the first from no index at
// all) and reads each result with go-git's index decoder: it holds what
// the updates say, in git's order, with their stat data and flags.
func FuzzPatchIndex(f *testing.F) {
	f.Add([]byte{0, 1, 1, 5, 1, 2, 9, 2, 3}, []byte{0, 0, 0, 34, 3, 1}, []byte{5, 1, 7})
	f.Add([]byte{1, 1, 1, 2, 1, 1, 3, 1, 1, 4, 1, 1}, []byte{1, 0, 0, 2, 2, 9}, []byte{})
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		m := ixModel{}
		var idx []byte
		for _, step := range [][]byte{a, b, c} {
			ups := ixUpdates(step)
			out, err := patchIndex(idx, ups)
			if err != nil {
				t.Fatalf("patchIndex: %v", err)
			}
			m.apply(ups)
			ixCheck(t, out, m)
			idx = out
		}
	})
}

// TestPatchIndexRandomGit patches indexes that git wrote, in versions 2, 3
// and 4, with random batches and compares `git ls-files --stage -v` of the
// result with that of the index git writes for the same entries.
func TestPatchIndexRandomGit(t *testing.T) {
	t.Parallel()
	dir, _ := lwStore(t)
	rounds := 12
	if testing.Short() {
		rounds = 3
	}
	rng := rand.New(rand.NewPCG(11, 11))
	for round := range rounds {
		version := []string{"2", "3", "4"}[round%3]
		t.Run(fmt.Sprintf("%d-v%s", round, version), func(t *testing.T) {
			// A starting index from git.
			m := ixModel{}
			var lines []string
			for _, p := range ixPaths {
				if rng.IntN(2) == 0 {
					h := plumbing.Hash{byte(rng.IntN(256)), 2}
					m[p] = indexUpdate{path: p, hash: h, stat: fileStat{mode: 0o100644}}
					lines = append(lines, fmt.Sprintf("100644 %s\t%s", h, p))
				}
			}
			idx := lwIndexFromGit(t, dir, lines)
			name := filepath.Join(t.TempDir(), "index")
			if err := os.WriteFile(name, idx, 0o600); err != nil {
				t.Fatal(err)
			}
			lwGit(t, dir, []string{"GIT_INDEX_FILE=" + name}, "", "update-index", "--index-version", version)
			idx, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				step := make([]byte, 3*rng.IntN(12))
				for i := range step {
					step[i] = byte(rng.IntN(256))
				}
				ups := ixUpdates(step)
				out, err := patchIndex(idx, ups)
				if err != nil {
					t.Fatal(err)
				}
				m.apply(ups)
				idx = out
			}
			// What git writes for the same entries.
			var want []string
			for _, p := range ixPaths {
				up, ok := m[p]
				if !ok {
					continue
				}
				want = append(want, fmt.Sprintf("%o %s\t%s", up.stat.mode, up.hash, p))
			}
			wantIdx := lwIndexFromGit(t, dir, want)
			got, exp := lwLsFiles(t, dir, idx), lwLsFiles(t, dir, wantIdx)
			if got != exp {
				t.Fatalf("git ls-files --stage:\n%s\nwant:\n%s", got, exp)
			}
			// And the skip-worktree bits, which --index-info cannot set.
			if err := os.WriteFile(name, idx, 0o600); err != nil {
				t.Fatal(err)
			}
			ls := lwGit(t, dir, []string{"GIT_INDEX_FILE=" + name}, "", "ls-files", "-v")
			for _, l := range strings.Split(ls, "\n") {
				if l == "" {
					continue
				}
				tag, p, _ := strings.Cut(l, " ")
				if (tag == "S") != m[p].skip {
					t.Errorf("git ls-files -v: %q, skip-worktree %v", l, m[p].skip)
				}
			}
		})
	}
}
