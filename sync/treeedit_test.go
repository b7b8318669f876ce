package sync

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// lwGit runs the real git in dir (tests only; the product never does) and
// returns its trimmed standard output.
func lwGit(t testing.TB, dir string, env []string, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return strings.TrimSpace(out.String())
}

// lwStore is an object store in a fresh repository made by real git.
func lwStore(t testing.TB) (string, storer.EncodedObjectStorer) {
	t.Helper()
	dir := t.TempDir()
	lwGit(t, dir, nil, "", "init", "-q", "-b", "main")
	g, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, g.Storer
}

func lwBlob(t testing.TB, s storer.EncodedObjectStorer, data string) plumbing.Hash {
	t.Helper()
	o := s.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, _ := o.Writer()
	w.Write([]byte(data))
	w.Close()
	h, err := s.SetEncodedObject(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

type lwFile struct {
	hash plumbing.Hash
	mode filemode.FileMode
}

// lwGitTree has real git build the tree holding files, through a scratch
// index, and returns its hash.
func lwGitTree(t testing.TB, dir string, files map[string]lwFile) plumbing.Hash {
	t.Helper()
	var b strings.Builder
	for p, f := range files {
		fmt.Fprintf(&b, "%o %s\t%s\n", uint32(f.mode), f.hash, p)
	}
	idx := filepath.Join(t.TempDir(), "index")
	env := []string{"GIT_INDEX_FILE=" + idx}
	lwGit(t, dir, env, b.String(), "update-index", "--index-info")
	return plumbing.NewHash(lwGit(t, dir, env, "", "write-tree"))
}

func TestEditTreeMatchesGit(t *testing.T) {
	t.Parallel()
	dir, s := lwStore(t)
	x, y, z := lwBlob(t, s, "x\n"), lwBlob(t, s, "y\n"), lwBlob(t, s, "z\n")
	reg := func(h plumbing.Hash) lwFile { return lwFile{h, filemode.Regular} }
	base := map[string]lwFile{
		"a.md": reg(x), "a/x.md": reg(y), "a-b/y.md": reg(z), "a0": reg(x),
		"2003/05/2003-05-01-checkin-sam.md": reg(x), "bucket/ramen.md": reg(y),
	}
	tests := []struct {
		name  string
		edits []TreeEdit
		want  map[string]lwFile // nil: base unchanged
	}{
		{"no edits", nil, nil},
		{"add deep file", []TreeEdit{{Path: "2003/06/2003-06-01-checkin-alex.md", Blob: z}},
			map[string]lwFile{"2003/06/2003-06-01-checkin-alex.md": reg(z)}},
		{"change a file", []TreeEdit{{Path: "a/x.md", Blob: z}}, map[string]lwFile{"a/x.md": reg(z)}},
		{"same content is no change", []TreeEdit{{Path: "a/x.md", Blob: y}}, nil},
		{"delete missing path", []TreeEdit{{Path: "nope/x.md", Delete: true}, {Path: "a/zz", Delete: true}}, nil},
		{"delete removes empty folders", []TreeEdit{{Path: "2003/05/2003-05-01-checkin-sam.md", Delete: true}},
			map[string]lwFile{"2003/05/2003-05-01-checkin-sam.md": {}}},
		{"folder and file names around a", []TreeEdit{
			{Path: "a/a.md", Blob: x}, {Path: "a.b", Blob: y}, {Path: "a-b/a/b/c", Blob: z}, {Path: "a!", Blob: z}},
			map[string]lwFile{"a/a.md": reg(x), "a.b": reg(y), "a-b/a/b/c": reg(z), "a!": reg(z)}},
		{"file replaces folder", []TreeEdit{{Path: "a", Blob: z}},
			map[string]lwFile{"a/x.md": {}, "a": reg(z)}},
		{"folder replaces file", []TreeEdit{{Path: "a.md", Delete: true}, {Path: "a.md/inner", Blob: z}},
			map[string]lwFile{"a.md": {}, "a.md/inner": reg(z)}},
		{"file below a file replaces it", []TreeEdit{{Path: "a0/inner", Blob: z}},
			map[string]lwFile{"a0": {}, "a0/inner": reg(z)}},
		{"executable and symlink", []TreeEdit{
			{Path: "bin/run", Blob: x, Mode: filemode.Executable}, {Path: "link", Blob: y, Mode: filemode.Symlink}},
			map[string]lwFile{"bin/run": {x, filemode.Executable}, "link": {y, filemode.Symlink}}},
		{"several files one commit", []TreeEdit{
			{Path: "2003/05/2003-05-01-checkin-alex.md", Blob: y}, {Path: "2003/05/2003-05-01-thanks-sam-211403.md", Blob: z},
			{Path: "bucket/ramen.md", Delete: true}, {Path: "bucket/sea.md", Blob: x}},
			map[string]lwFile{"2003/05/2003-05-01-checkin-alex.md": reg(y), "2003/05/2003-05-01-thanks-sam-211403.md": reg(z),
				"bucket/ramen.md": {}, "bucket/sea.md": reg(x)}},
	}
	root, err := EditTree(s, plumbing.ZeroHash, lwEdits(base))
	if err != nil {
		t.Fatal(err)
	}
	if want := lwGitTree(t, dir, base); root != want {
		t.Fatalf("base tree %s, git builds %s", root, want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EditTree(s, root, tt.edits)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if got != root {
					t.Fatalf("tree changed: %s, want %s", got, root)
				}
				return
			}
			want := lwApply(base, tt.want)
			if wantHash := lwGitTree(t, dir, want); got != wantHash {
				t.Fatalf("tree %s, git builds %s\nours:\n%s\ngit's:\n%s", got, wantHash,
					lwGit(t, dir, nil, "", "ls-tree", "-r", "-t", got.String()),
					lwGit(t, dir, nil, "", "ls-tree", "-r", "-t", wantHash.String()))
			}
		})
	}
	lwGit(t, dir, nil, "", "fsck", "--strict", "--no-dangling")
}

// lwApply is base with the changes in delta; a zero hash deletes the path.
func lwApply(base, delta map[string]lwFile) map[string]lwFile {
	out := make(map[string]lwFile)
	for p, f := range base {
		out[p] = f
	}
	for p, f := range delta {
		if f.hash.IsZero() {
			delete(out, p)
		} else {
			out[p] = f
		}
	}
	return out
}

func lwEdits(files map[string]lwFile) []TreeEdit {
	var edits []TreeEdit
	for p, f := range files {
		edits = append(edits, TreeEdit{Path: p, Blob: f.hash, Mode: f.mode})
	}
	return edits
}

func TestEditTreeEmpty(t *testing.T) {
	dir, s := lwStore(t)
	x := lwBlob(t, s, "x")
	h, err := EditTree(s, plumbing.ZeroHash, nil)
	if err != nil || h != emptyTree {
		t.Fatalf("EditTree(zero, nil) = %s, %v; want the empty tree", h, err)
	}
	one, err := EditTree(s, plumbing.ZeroHash, []TreeEdit{{Path: "a/b/c", Blob: x}})
	if err != nil {
		t.Fatal(err)
	}
	h, err = EditTree(s, one, []TreeEdit{{Path: "a/b/c", Delete: true}})
	if err != nil || h != emptyTree {
		t.Fatalf("deleting the only file = %s, %v; want the empty tree", h, err)
	}
	if got := lwGit(t, dir, nil, "", "cat-file", "-t", emptyTree.String()); got != "tree" {
		t.Fatalf("empty tree not stored: %q", got)
	}
}

func TestEditTreeGraftsSubtree(t *testing.T) {
	_, s := lwStore(t)
	x := lwBlob(t, s, "x")
	sub, err := EditTree(s, plumbing.ZeroHash, []TreeEdit{{Path: "05/e.md", Blob: x}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := EditTree(s, plumbing.ZeroHash, []TreeEdit{{Path: "2003", Blob: sub, Mode: filemode.Dir}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := EditTree(s, plumbing.ZeroHash, []TreeEdit{{Path: "2003/05/e.md", Blob: x}})
	if err != nil || got != want {
		t.Fatalf("grafted tree %s, %v; want %s", got, err, want)
	}
}

func TestEditTreeRefuses(t *testing.T) {
	_, s := lwStore(t)
	x := lwBlob(t, s, "x")
	tests := []struct {
		name  string
		edits []TreeEdit
	}{
		{"empty path", []TreeEdit{{Path: "", Blob: x}}},
		{"leading slash", []TreeEdit{{Path: "/a", Blob: x}}},
		{"trailing slash", []TreeEdit{{Path: "a/", Blob: x}}},
		{"double slash", []TreeEdit{{Path: "a//b", Blob: x}}},
		{"dot dot", []TreeEdit{{Path: "../a", Blob: x}}},
		{"dot", []TreeEdit{{Path: "a/./b", Blob: x}}},
		{".git", []TreeEdit{{Path: ".git/config", Blob: x}}},
		{".GIT below", []TreeEdit{{Path: "a/.GIT/b", Blob: x}}},
		{"NUL", []TreeEdit{{Path: "a\x00b", Blob: x}}},
		{"no hash", []TreeEdit{{Path: "a"}}},
		{"bad mode", []TreeEdit{{Path: "a", Blob: x, Mode: 0o100664}}},
		{"same path twice", []TreeEdit{{Path: "a/b", Blob: x}, {Path: "a/b", Delete: true}}},
		{"file and below it", []TreeEdit{{Path: "a/b/c", Blob: x}, {Path: "a/b", Blob: x}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := EditTree(s, plumbing.ZeroHash, tt.edits)
			if !errors.Is(err, ErrBadPath) {
				t.Fatalf("EditTree = %s, %v; want an error wrapping ErrBadPath", h, err)
			}
		})
	}
}

// TestEditTreeRandom applies random batches of edits, chaining the trees,
// and checks each result against the tree git builds from the same files.
func TestEditTreeRandom(t *testing.T) {
	t.Parallel()
	dir, s := lwStore(t)
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"a", "a.md", "a-b", "a0", "a b", "b", "B", "2003", "05", "é.md", "z~"}
	var blobs []plumbing.Hash
	for i := range 5 {
		blobs = append(blobs, lwBlob(t, s, fmt.Sprintf("blob %d\n", i)))
	}
	modes := []filemode.FileMode{filemode.Regular, filemode.Regular, filemode.Regular, filemode.Executable}
	files := map[string]lwFile{}
	root := plumbing.ZeroHash
	rounds := 60
	if testing.Short() {
		rounds = 15
	}
	for round := range rounds {
		var edits []TreeEdit
		for range 1 + rng.IntN(6) {
			depth := 1 + rng.IntN(3)
			parts := make([]string, depth)
			for i := range parts {
				parts[i] = names[rng.IntN(len(names))]
			}
			p := strings.Join(parts, "/")
			if rng.IntN(3) == 0 {
				// Often delete something that exists.
				if existing := slices.Sorted(maps.Keys(files)); len(existing) > 0 && rng.IntN(2) == 0 {
					p = existing[rng.IntN(len(existing))]
				}
				edits = append(edits, TreeEdit{Path: p, Delete: true})
			} else {
				edits = append(edits, TreeEdit{Path: p, Blob: blobs[rng.IntN(len(blobs))], Mode: modes[rng.IntN(len(modes))]})
			}
		}
		edits = lwConsistent(edits)
		got, err := EditTree(s, root, edits)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		// Within one batch, deletes happen first: a delete of "x" with a
		// put of "x/y" replaces whatever x was with a folder.
		for _, del := range []bool{true, false} {
			for _, e := range edits {
				if e.Delete == del {
					lwModelApply(files, e)
				}
			}
		}
		want := emptyTree
		if len(files) > 0 {
			want = lwGitTree(t, dir, files)
		}
		if got != want {
			t.Fatalf("round %d: edits %v: tree %s, git builds %s\n%s\n---\n%s", round, edits, got, want, lwGit(t, dir, nil, "", "ls-tree", "-r", got.String()), lwGit(t, dir, nil, "", "ls-tree", "-r", want.String()))
		}
		root = got
	}
	lwGit(t, dir, nil, "", "fsck", "--strict", "--no-dangling")
}

// lwConsistent drops edits that contradict an earlier one in the batch
// (same path, or one path below a path that is put).
func lwConsistent(edits []TreeEdit) []TreeEdit {
	var out []TreeEdit
	for _, e := range edits {
		ok := true
		for _, o := range out {
			if o.Path == e.Path ||
				(!o.Delete && strings.HasPrefix(e.Path, o.Path+"/")) ||
				(!e.Delete && strings.HasPrefix(o.Path, e.Path+"/")) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// lwModelApply does to a flat file map what EditTree does to a tree.
func lwModelApply(files map[string]lwFile, e TreeEdit) {
	for p := range files {
		if p == e.Path || strings.HasPrefix(p, e.Path+"/") {
			delete(files, p) // the path itself, or a folder there
		}
	}
	if e.Delete {
		return
	}
	// Files at the folders above the new path give way to them.
	parts := strings.Split(e.Path, "/")
	for i := 1; i < len(parts); i++ {
		delete(files, strings.Join(parts[:i], "/"))
	}
	files[e.Path] = lwFile{e.Blob, e.Mode}
}

func TestLessParts(t *testing.T) {
	paths := [][]string{{"b"}, {"a", "x"}, {"a"}, {"a-b"}, {"a", "a"}}
	sort.Slice(paths, func(i, j int) bool { return lessParts(paths[i], paths[j]) })
	want := [][]string{{"a"}, {"a", "a"}, {"a", "x"}, {"a-b"}, {"b"}}
	for i := range want {
		if !slices.Equal(paths[i], want[i]) {
			t.Fatalf("sorted %v, want %v", paths, want)
		}
	}
}
