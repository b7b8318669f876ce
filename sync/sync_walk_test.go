package sync

import (
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// rsDAG writes a random history of n commits (empty trees) into a new bare
// repository: mostly two lines that merge now and then, as two partners
// make, with clocks that disagree by up to skew. It returns the repository's
// folder, its store and the commits in creation order.
func rsDAG(t *testing.T, rng *rand.Rand, n int, skew time.Duration) (string, *filesystem.Storage, []plumbing.Hash) {
	t.Helper()
	dir := gittest.Bare(t)
	s := filesystem.NewStorage(osfs.New(dir), cache.NewObjectLRUDefault())
	tree := &object.Tree{}
	if err := storeTree(s, tree); err != nil {
		t.Fatal(err)
	}
	var all []plumbing.Hash
	tips := []plumbing.Hash{{}, {}} // two partners' lines
	clock := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		line := rng.IntN(2)
		var parents []plumbing.Hash
		if !tips[line].IsZero() {
			parents = append(parents, tips[line])
		}
		other := tips[1-line]
		switch r := rng.IntN(10); {
		case r < 3 && !other.IsZero() && other != tips[line]:
			parents = append(parents, other) // merge the partner's line
		case r < 4 && len(all) > 2:
			// An old commit as an extra parent: criss-cross shapes.
			if p := all[rng.IntN(len(all))]; p != tips[line] {
				parents = append(parents, p)
			}
		}
		clock = clock.Add(time.Minute)
		when := clock.Add(time.Duration(rng.Int64N(int64(2*skew+1))) - skew)
		c := &object.Commit{
			Author:       object.Signature{Name: "t", Email: "t@x", When: when},
			Committer:    object.Signature{Name: "t", Email: "t@x", When: when},
			Message:      "c\n",
			TreeHash:     tree.Hash,
			ParentHashes: parents,
		}
		o := s.NewEncodedObject()
		if err := c.Encode(o); err != nil {
			t.Fatal(err)
		}
		h, err := s.SetEncodedObject(o)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, h)
		tips[line] = h
		if rng.IntN(4) == 0 {
			tips[1-line] = h // the partner fast-forwards
		}
	}
	return dir, s, all
}

func rsLines(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	l := strings.Split(s, "\n")
	sort.Strings(l)
	return l
}

func rsHashStrings(hs []plumbing.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.String()
	}
	sort.Strings(out)
	return out
}

// The merge bases and the commits only on one side agree with git's, on
// random two-partner histories, with and without clocks that disagree.
func TestWalkAgainstGit(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		skew time.Duration
	}{
		{"true clocks", 0},
		{"skewed clocks", 3 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 3; seed++ {
				rng := rand.New(rand.NewPCG(seed, 7))
				dir, s, all := rsDAG(t, rng, 60, tc.skew)
				for k := 0; k < 12; k++ {
					a, b := all[rng.IntN(len(all))], all[rng.IntN(len(all))]
					g := newCommitGraph(s)
					bases, err := g.mergeBases(a, b)
					if err != nil {
						t.Fatal(err)
					}
					out, _ := gittest.GitErr(t, dir, nil, "merge-base", "--all", a.String(), b.String())
					if got, want := rsHashStrings(bases), rsLines(out); strings.Join(got, " ") != strings.Join(want, " ") {
						t.Fatalf("seed %d: merge bases of %s %s = %v, git says %v", seed, a, b, got, want)
					}
					only, err := g.only([]plumbing.Hash{a}, []plumbing.Hash{b})
					if err != nil {
						t.Fatal(err)
					}
					var got []plumbing.Hash
					pos := map[plumbing.Hash]int{}
					for i, n := range only {
						got = append(got, n.hash)
						pos[n.hash] = i
					}
					// Parents come first.
					for _, n := range only {
						for _, p := range n.parents {
							if i, ok := pos[p]; ok && i > pos[n.hash] {
								t.Fatalf("seed %d: %s listed before its parent %s", seed, n.hash, p)
							}
						}
					}
					out = gittest.Git(t, dir, "rev-list", a.String(), "^"+b.String())
					// With skewed clocks the walk may list a few commits the
					// other side has (harmless: they are sent twice); it must
					// never miss one.
					want := rsLines(out)
					gotS := rsHashStrings(got)
					if tc.skew == 0 && strings.Join(gotS, " ") != strings.Join(want, " ") {
						t.Fatalf("seed %d: only %s ^%s = %d commits, git says %d", seed, a, b, len(gotS), len(want))
					}
					have := map[string]bool{}
					for _, h := range gotS {
						have[h] = true
					}
					for _, h := range want {
						if !have[h] {
							t.Fatalf("seed %d: only %s ^%s misses %s", seed, a, b, h)
						}
					}
				}
			}
		})
	}
}

// The walk reads only the commits above the merge base: a long shared
// history costs nothing.
func TestWalkReadsOnlyWhatIsNew(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	_, s, all := rsDAG(t, rng, 400, 0)
	base := all[len(all)-1]
	// Two short lines on top of the long history.
	mk := func(parent plumbing.Hash, n int, minute int) plumbing.Hash {
		h := parent
		for i := 0; i < n; i++ {
			when := time.Date(2030, 1, 1, 0, minute+i, 0, 0, time.UTC)
			c := &object.Commit{Author: object.Signature{Name: "t", When: when}, Committer: object.Signature{Name: "t", When: when},
				Message: "c\n", TreeHash: emptyTree, ParentHashes: []plumbing.Hash{h}}
			o := s.NewEncodedObject()
			if err := c.Encode(o); err != nil {
				t.Fatal(err)
			}
			var err error
			if h, err = s.SetEncodedObject(o); err != nil {
				t.Fatal(err)
			}
		}
		return h
	}
	a := mk(base, 3, 0)
	b := mk(base, 2, 30)
	g := newCommitGraph(s)
	bases, err := g.mergeBases(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(bases) != 1 || bases[0] != base {
		t.Fatalf("merge base %v, want %s", bases, base)
	}
	if len(g.nodes) > 12 {
		t.Fatalf("the walk read %d commits for 5 new ones on a 400-commit history", len(g.nodes))
	}
}

func TestTopoParentsFirstLongChain(t *testing.T) {
	t.Parallel()
	// A first push sends one long chain; ordering it must not recurse.
	const n = 200000
	nodes := make([]*walkNode, n)
	for i := range nodes {
		nodes[i] = &walkNode{when: int64(n - i)} // clocks running backwards
		nodes[i].hash[0], nodes[i].hash[1], nodes[i].hash[2] = byte(i), byte(i>>8), byte(i>>16)
	}
	for i := 1; i < n; i++ {
		nodes[i].parents = []plumbing.Hash{nodes[i-1].hash}
	}
	out := topoParentsFirst(append([]*walkNode(nil), nodes...))
	for i, nd := range out {
		if nd != nodes[i] {
			t.Fatalf("position %d holds the wrong commit", i)
		}
	}
}
