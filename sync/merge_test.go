package sync

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/reconnect-app/reconnect/journal"
)

// rsTree stores files (path -> content) as a tree in s.
func rsTree(t *testing.T, s storer.EncodedObjectStorer, files map[string]string) *object.Tree {
	t.Helper()
	var edits []TreeEdit
	for p, c := range files {
		h, err := putBlob(s, []byte(c))
		if err != nil {
			t.Fatal(err)
		}
		edits = append(edits, TreeEdit{Path: p, Blob: h})
	}
	h, err := EditTree(s, plumbing.ZeroHash, edits)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := object.GetTree(s, h)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// rsFiles reads a tree back as path -> content.
func rsFiles(t *testing.T, s storer.EncodedObjectStorer, h plumbing.Hash) map[string]string {
	t.Helper()
	tr, err := object.GetTree(s, h)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	err = tr.Files().ForEach(func(f *object.File) error {
		r, err := f.Reader()
		if err != nil {
			return err
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		out[f.Name] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rsKeyMerge is a stand-in MergeFile: files of "key: value" lines merge key
// by key; a key changed both ways differently clashes.
func rsKeyMerge(_ string, base, ours, theirs []byte) ([]byte, bool) {
	parse := func(b []byte) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if k, v, ok := strings.Cut(l, ": "); ok {
				m[k] = v
			}
		}
		return m
	}
	mb, mo, mt := parse(base), parse(ours), parse(theirs)
	keys := map[string]bool{}
	for _, m := range []map[string]string{mb, mo, mt} {
		for k := range m {
			keys[k] = true
		}
	}
	out := map[string]string{}
	for k := range keys {
		b, bok := mb[k]
		o, ook := mo[k]
		th, tok := mt[k]
		switch {
		case o == th && ook == tok:
			if ook {
				out[k] = o
			}
		case o == b && ook == bok:
			if tok {
				out[k] = th
			}
		case th == b && tok == bok:
			if ook {
				out[k] = o
			}
		default:
			return nil, false
		}
	}
	ks := make([]string, 0, len(out))
	for k := range out {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var sb strings.Builder
	for _, k := range ks {
		sb.WriteString(k + ": " + out[k] + "\n")
	}
	return []byte(sb.String()), true
}

func TestMergeTrees(t *testing.T) {
	const md = "2026/11/x.md"
	tests := []struct {
		name               string
		base, ours, theirs map[string]string // base nil: unrelated
		mergeFile          MergeFunc
		want               map[string]string
		wantWorktree       []string // paths the work tree gets (- for removal)
		wantConflicts      int
	}{
		{
			name:         "each side's new files",
			base:         map[string]string{"README.md": "r"},
			ours:         map[string]string{"README.md": "r", "2026/11/a.md": "a"},
			theirs:       map[string]string{"README.md": "r", "2026/11/b.md": "b"},
			want:         map[string]string{"README.md": "r", "2026/11/a.md": "a", "2026/11/b.md": "b"},
			wantWorktree: []string{"2026/11/b.md"},
		},
		{
			name:   "the same change on both sides",
			base:   map[string]string{md: "k: 1\n"},
			ours:   map[string]string{md: "k: 2\n"},
			theirs: map[string]string{md: "k: 2\n"},
			want:   map[string]string{md: "k: 2\n"},
		},
		{
			name:         "their removal of a file we left alone",
			base:         map[string]string{md: "k: 1\n", "b.md": "x"},
			ours:         map[string]string{md: "k: 1\n", "b.md": "x", "c.md": "new"},
			theirs:       map[string]string{md: "k: 1\n"},
			want:         map[string]string{md: "k: 1\n", "c.md": "new"},
			wantWorktree: []string{"-b.md"},
		},
		{
			name:   "we removed, they modified: kept modified",
			base:   map[string]string{md: "k: 1\n"},
			ours:   map[string]string{},
			theirs: map[string]string{md: "k: 2\n"},
			want:   map[string]string{md: "k: 2\n"}, wantWorktree: []string{md},
		},
		{
			name:   "we modified, they removed: kept modified",
			base:   map[string]string{md: "k: 1\n"},
			ours:   map[string]string{md: "k: 2\n"},
			theirs: map[string]string{},
			want:   map[string]string{md: "k: 2\n"},
		},
		{
			name:         "different keys merge",
			base:         map[string]string{md: "a: 1\nb: 1\n"},
			ours:         map[string]string{md: "a: 2\nb: 1\n"},
			theirs:       map[string]string{md: "a: 1\nb: 2\n"},
			mergeFile:    rsKeyMerge,
			want:         map[string]string{md: "a: 2\nb: 2\n"},
			wantWorktree: []string{md},
		},
		{
			name:          "the same key both ways: ours stays, theirs beside it",
			base:          map[string]string{md: "a: 1\n"},
			ours:          map[string]string{md: "a: 2\n"},
			theirs:        map[string]string{md: "a: 3\n"},
			mergeFile:     rsKeyMerge,
			want:          map[string]string{md: "a: 2\n", "2026/11/x.conflict-alex-THEIRS.md": "a: 3\n"},
			wantWorktree:  []string{"2026/11/x.conflict-alex-THEIRS.md"},
			wantConflicts: 1,
		},
		{
			name:          "no MergeFile: every clash is a copy",
			base:          map[string]string{md: "a: 1\nb: 1\n"},
			ours:          map[string]string{md: "a: 2\nb: 1\n"},
			theirs:        map[string]string{md: "a: 1\nb: 2\n"},
			want:          map[string]string{md: "a: 2\nb: 1\n", "2026/11/x.conflict-alex-THEIRS.md": "a: 1\nb: 2\n"},
			wantWorktree:  []string{"2026/11/x.conflict-alex-THEIRS.md"},
			wantConflicts: 1,
		},
		{
			name:          "a clash in a file that is not Markdown",
			base:          map[string]string{"reconnect.yaml": "a: 1\n"},
			ours:          map[string]string{"reconnect.yaml": "a: 2\n"},
			theirs:        map[string]string{"reconnect.yaml": "a: 3\n"},
			mergeFile:     rsKeyMerge,
			want:          map[string]string{"reconnect.yaml": "a: 2\n", "reconnect.conflict-alex-THEIRS.yaml": "a: 3\n"},
			wantWorktree:  []string{"reconnect.conflict-alex-THEIRS.yaml"},
			wantConflicts: 1,
		},
		{
			name:          "both added the same path (no base version)",
			base:          map[string]string{},
			ours:          map[string]string{md: "a: 1\n"},
			theirs:        map[string]string{md: "b: 1\n"},
			mergeFile:     func(_ string, base, o, th []byte) ([]byte, bool) { return nil, base != nil },
			want:          map[string]string{md: "a: 1\n", "2026/11/x.conflict-alex-THEIRS.md": "b: 1\n"},
			wantWorktree:  []string{"2026/11/x.conflict-alex-THEIRS.md"},
			wantConflicts: 1,
		},
		{
			name:         "unrelated histories",
			base:         nil,
			ours:         map[string]string{"README.md": "same", "a.md": "a"},
			theirs:       map[string]string{"README.md": "same", "b.md": "b"},
			want:         map[string]string{"README.md": "same", "a.md": "a", "b.md": "b"},
			wantWorktree: []string{"b.md"},
		},
		{
			name:          "the conflict copy's name is taken by another file",
			base:          map[string]string{md: "a: 1\n"},
			ours:          map[string]string{md: "a: 2\n", "2026/11/x.conflict-alex-THEIRS.md": "older"},
			theirs:        map[string]string{md: "a: 3\n"},
			want:          map[string]string{md: "a: 2\n", "2026/11/x.conflict-alex-THEIRS.md": "older", "2026/11/x.conflict-alex-THEIRS-2.md": "a: 3\n"},
			wantWorktree:  []string{"2026/11/x.conflict-alex-THEIRS-2.md"},
			wantConflicts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := memory.NewStorage()
			in := mergeInput{s: s, mergeFile: tt.mergeFile, authorName: journal.AuthorName, writtenBy: journal.WrittenBy}
			fill := func(m map[string]string) map[string]string {
				if m == nil {
					return nil
				}
				out := map[string]string{}
				for p, c := range m {
					out[strings.ReplaceAll(p, "THEIRS", "abcdef0")] = c
				}
				return out
			}
			tt.base, tt.ours, tt.theirs = fill(tt.base), fill(tt.ours), fill(tt.theirs)
			if tt.base != nil {
				in.base = rsTree(t, s, tt.base)
			}
			in.ours = rsTree(t, s, tt.ours)
			in.theirs = rsTree(t, s, tt.theirs)
			in.theirsCommit = &object.Commit{Hash: plumbing.NewHash("abcdef0123456789abcdef0123456789abcdef01"),
				Author: object.Signature{Name: "Alex"}}
			out, err := mergeTrees(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for p, c := range tt.want {
				want[strings.ReplaceAll(p, "THEIRS", "abcdef0")] = c
			}
			got := rsFiles(t, s, out.tree)
			if len(got) != len(want) {
				t.Fatalf("merged tree %v, want %v", got, want)
			}
			for p, c := range want {
				if got[p] != c {
					t.Fatalf("merged %s = %q, want %q (tree %v)", p, got[p], c, got)
				}
			}
			// What the work tree gets: the difference from ours to the
			// merged tree.
			merged, err := object.GetTree(s, out.tree)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := diffTrees(context.Background(), s, in.ours, merged)
			if err != nil {
				t.Fatal(err)
			}
			var wt []string
			for p, c := range ch {
				if c.to == nil {
					wt = append(wt, "-"+p)
				} else {
					wt = append(wt, p)
				}
			}
			var wantWT []string
			for _, p := range tt.wantWorktree {
				wantWT = append(wantWT, strings.ReplaceAll(p, "THEIRS", "abcdef0"))
			}
			sort.Strings(wt)
			sort.Strings(wantWT)
			if strings.Join(wt, ",") != strings.Join(wantWT, ",") {
				t.Fatalf("work tree changes %v, want %v", wt, wantWT)
			}
			if len(out.conflicts) != tt.wantConflicts {
				t.Fatalf("conflicts %v, want %d", out.conflicts, tt.wantConflicts)
			}
		})
	}
}

// A conflict copy is named after the person whose version it holds: who
// made that version (the commit that brought it in), not who first wrote
// the file, nor who made the last commit; the file's author: key and the
// commit only when the history cannot tell.
func TestCopyAuthor(t *testing.T) {
	s := memory.NewStorage()
	const p = "bucket/ramen.md"
	v0 := "---\nkind: bucket\nauthor: sam\ntitle: Ramen\nstatus: open\n---\n"
	v1 := strings.Replace(v0, "open", "done\ndone-by: alex", 1)
	v2 := strings.Replace(v0, "Ramen", "Ramen in Lyon", 1)
	v3 := strings.Replace(v1, "Ramen", "Ramen in Lyon", 1)
	commit := func(who string, files map[string]string, parents ...*object.Commit) *object.Commit {
		t.Helper()
		c := &object.Commit{Author: object.Signature{Name: who}, Committer: object.Signature{Name: who},
			Message: who, TreeHash: rsTree(t, s, files).Hash}
		for _, pc := range parents {
			c.ParentHashes = append(c.ParentHashes, pc.Hash)
		}
		o := s.NewEncodedObject()
		if err := c.Encode(o); err != nil {
			t.Fatal(err)
		}
		h, err := s.SetEncodedObject(o)
		if err != nil {
			t.Fatal(err)
		}
		c, err = object.GetCommit(s, h)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// sam adds the item; alex ticks it off; sam writes something else.
	// On a branch from the start, Kim renames it; merges follow.
	c0 := commit("Sam", map[string]string{p: v0})
	c1 := commit("Alex", map[string]string{p: v1}, c0)
	c2 := commit("Sam", map[string]string{p: v1, "other.md": "x"}, c1)
	k1 := commit("Kim Lee", map[string]string{p: v2}, c0)
	fromSecond := commit("Sam", map[string]string{p: v2, "other.md": "x"}, c2, k1)
	newInMerge := commit("Jo", map[string]string{p: v3, "other.md": "x"}, c2, k1)
	lost := &object.Commit{Author: object.Signature{Name: "Alex"}, ParentHashes: []plumbing.Hash{plumbing.NewHash("1234567812345678123456781234567812345678")}}
	unknownAuthors := mergeInput{s: s, writtenBy: journal.WrittenBy}
	named := mergeInput{s: s, authorName: journal.AuthorName, writtenBy: journal.WrittenBy}

	tests := []struct {
		name string
		in   mergeInput
		c    *object.Commit
		data string
		want string
	}{
		{"made by an earlier commit than the last", named, c2, v1, "alex"},
		{"made by the last commit", named, c1, v1, "alex"},
		{"made by the first commit", named, c0, v0, "sam"},
		{"came in through a merge's second parent", named, fromSecond, v2, "kim-lee"},
		{"made by a merge that differs from both parents", named, newInMerge, v3, "jo"},
		{"commit unknown: who the file says wrote it", named, nil, v1, "sam"},
		{"a parent that cannot be read: who the file says wrote it", named, lost, v1, "sam"},
		{"commit unknown, no author in the file", named, nil, "no front matter", "partner"},
		{"no author names: who the file says wrote it", unknownAuthors, c2, v1, "sam"},
		{"no author names, no author in the file", unknownAuthors, c2, "no front matter", "partner"},
		{"unknown commit, quoted author", named, nil, "---\nauthor: \"Kim Lee\" # who\n---\n", "kim-lee"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blob := plumbing.ComputeHash(plumbing.BlobObject, []byte(tt.data))
			if got := tt.in.copyAuthorOr(p, []byte(tt.data), tt.c, blob); got != tt.want {
				t.Errorf("copyAuthorOr = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsConflictCopy(t *testing.T) {
	for p, want := range map[string]bool{
		"bucket/ramen.conflict-sam-abc1234.md":  true,
		"2026/11/x.conflict-alex-abc1234-2.md":  true,
		"bucket/ramen.md":                       false,
		"conflict-resolution/2026-11-21-x.md":   false,
		"notes/.conflict-in-a-folder-name/x.md": false,
	} {
		if got := IsConflictCopy(p); got != want {
			t.Errorf("IsConflictCopy(%q) = %v", p, got)
		}
	}
}

// diffTrees agrees with go-git's DiffTree on random pairs of trees,
// including files turned into folders and back.
func TestDiffTreesMatchesGoGit(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	names := []string{"a", "b", "c.md", "d"}
	randomFiles := func() map[string]string {
		files := map[string]string{}
		for i := 0; i < 12; i++ {
			depth := 1 + rng.IntN(3)
			var parts []string
			for d := 0; d < depth; d++ {
				parts = append(parts, names[rng.IntN(len(names))])
			}
			files[strings.Join(parts, "/")] = fmt.Sprint(rng.IntN(3))
		}
		// Drop paths that are also folders of other paths.
		for p := range files {
			for q := range files {
				if strings.HasPrefix(q, p+"/") {
					delete(files, p)
					break
				}
			}
		}
		return files
	}
	for round := 0; round < 200; round++ {
		s := memory.NewStorage()
		var a *object.Tree
		if round%10 != 0 {
			a = rsTree(t, s, randomFiles())
		}
		b := rsTree(t, s, randomFiles())
		got, err := diffTrees(context.Background(), s, a, b)
		if err != nil {
			t.Fatal(err)
		}
		changes, err := object.DiffTree(a, b)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, c := range changes {
			from, to := "-", "-"
			p := c.From.Name
			if p != "" {
				from = c.From.TreeEntry.Hash.String()
			}
			if c.To.Name != "" {
				p, to = c.To.Name, c.To.TreeEntry.Hash.String()
			}
			want[p] = from + ">" + to
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d changes, go-git finds %d", round, len(got), len(want))
		}
		for p, sc := range got {
			from, to := "-", "-"
			if sc.from != nil {
				from = sc.from.Hash.String()
			}
			if sc.to != nil {
				to = sc.to.Hash.String()
			}
			if want[p] != from+">"+to {
				t.Fatalf("round %d: %s is %s, go-git says %s", round, p, from+">"+to, want[p])
			}
		}
	}
}
