package sync

import (
	"container/heap"
	"fmt"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// The history walks of a sync (the merge base, what to send, ahead and
// behind) all paint commits from two sets of tips down to where they meet,
// newest first, the way git's paint_down_to_common does. They read only the
// commits above the meeting point, so their cost is what is new on either
// side, not the age of the journal. go-git's own Commit.MergeBase indexes
// the whole history of the newer side, which is what this replaces.

const (
	paintOne    uint8 = 1 << iota // reachable from the first set of tips
	paintTwo                      // reachable from the second set of tips
	paintStale                    // below a commit reachable from both
	paintResult                   // a common ancestor found on the way
)

type walkNode struct {
	hash    plumbing.Hash
	parents []plumbing.Hash
	tree    plumbing.Hash
	when    int64 // committer time, Unix seconds
	seq     int   // order of discovery, to break ties in time
	flags   uint8
}

// commitGraph reads commits from a store on demand and keeps what a walk
// learned about them.
type commitGraph struct {
	s     storer.EncodedObjectStorer
	nodes map[plumbing.Hash]*walkNode
}

func newCommitGraph(s storer.EncodedObjectStorer) *commitGraph {
	return &commitGraph{s: s, nodes: make(map[plumbing.Hash]*walkNode)}
}

func (g *commitGraph) node(h plumbing.Hash) (*walkNode, error) {
	if n, ok := g.nodes[h]; ok {
		return n, nil
	}
	c, err := object.GetCommit(g.s, h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	n := &walkNode{
		hash:    h,
		parents: c.ParentHashes,
		tree:    c.TreeHash,
		when:    c.Committer.When.Unix(),
		seq:     len(g.nodes),
	}
	g.nodes[h] = n
	return n, nil
}

// hasNonStale reports whether some queued commit is not yet known to be
// below a common ancestor. The queue is as wide as the history has parallel
// lines, a handful, so a scan is cheap.
func hasNonStale(q nodeQueue) bool {
	for _, n := range q {
		if n.flags&paintStale == 0 {
			return true
		}
	}
	return false
}

// nodeQueue is a priority queue of commits, newest first.
type nodeQueue []*walkNode

func (q nodeQueue) Len() int { return len(q) }
func (q nodeQueue) Less(i, j int) bool {
	if q[i].when != q[j].when {
		return q[i].when > q[j].when
	}
	return q[i].seq < q[j].seq
}
func (q nodeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *nodeQueue) Push(x any)   { *q = append(*q, x.(*walkNode)) }
func (q *nodeQueue) Pop() any {
	old := *q
	n := old[len(old)-1]
	*q = old[:len(old)-1]
	return n
}

// paint marks every commit reachable from ones with paintOne and from twos
// with paintTwo, walking newest first and stopping once every commit left to
// visit is below a common ancestor. Common ancestors met on the way get
// paintResult (some of them may turn out stale, below another one). The
// order only decides how much is read; a clock skewed between the two
// machines makes the walk read more, never get a wrong answer. Flags from an
// earlier paint on the same graph are cleared first.
func (g *commitGraph) paint(ones, twos []plumbing.Hash) error {
	for _, n := range g.nodes {
		n.flags = 0
	}
	var q nodeQueue
	for _, h := range ones {
		n, err := g.node(h)
		if err != nil {
			return err
		}
		n.flags |= paintOne
		heap.Push(&q, n)
	}
	for _, h := range twos {
		n, err := g.node(h)
		if err != nil {
			return err
		}
		n.flags |= paintTwo
		heap.Push(&q, n)
	}
	for hasNonStale(q) {
		n := heap.Pop(&q).(*walkNode)
		flags := n.flags & (paintOne | paintTwo | paintStale)
		if flags == paintOne|paintTwo {
			n.flags |= paintResult
			flags |= paintStale
		}
		for _, ph := range n.parents {
			p, err := g.node(ph)
			if err != nil {
				return err
			}
			if p.flags&flags == flags {
				continue
			}
			p.flags |= flags
			heap.Push(&q, p)
		}
	}
	return nil
}

// mergeBases returns the best common ancestors of a and b: common ancestors
// that are not ancestors of another common ancestor. It is empty when the
// histories share nothing.
func (g *commitGraph) mergeBases(a, b plumbing.Hash) ([]plumbing.Hash, error) {
	if a == b {
		return []plumbing.Hash{a}, nil
	}
	if err := g.paint([]plumbing.Hash{a}, []plumbing.Hash{b}); err != nil {
		return nil, err
	}
	var cands []plumbing.Hash
	for h, n := range g.nodes {
		if n.flags&paintResult != 0 && n.flags&paintStale == 0 {
			cands = append(cands, h)
		}
	}
	if len(cands) <= 1 {
		return cands, nil
	}
	// Criss-cross histories have several; drop any that is an ancestor of
	// another.
	var best []plumbing.Hash
	for i, c := range cands {
		redundant := false
		for j, o := range cands {
			if i == j {
				continue
			}
			anc, err := g.isAncestor(c, o)
			if err != nil {
				return nil, err
			}
			if anc {
				redundant = true
				break
			}
		}
		if !redundant {
			best = append(best, c)
		}
	}
	sortHashes(best)
	return best, nil
}

// isAncestor reports whether a is reachable from b (a commit is its own
// ancestor).
func (g *commitGraph) isAncestor(a, b plumbing.Hash) (bool, error) {
	if a == b {
		return true, nil
	}
	if err := g.paint([]plumbing.Hash{b}, []plumbing.Hash{a}); err != nil {
		return false, err
	}
	return g.nodes[a].flags&paintOne != 0, nil
}

// only returns the commits reachable from ones but from none of twos, parents
// before children. Zero hashes in twos are ignored.
func (g *commitGraph) only(ones, twos []plumbing.Hash) ([]*walkNode, error) {
	var t []plumbing.Hash
	for _, h := range twos {
		if !h.IsZero() {
			t = append(t, h)
		}
	}
	if err := g.paint(ones, t); err != nil {
		return nil, err
	}
	var out []*walkNode
	for _, n := range g.nodes {
		if n.flags&paintOne != 0 && n.flags&paintTwo == 0 {
			out = append(out, n)
		}
	}
	return topoParentsFirst(out), nil
}

// topoParentsFirst orders commits so that every commit comes after those of
// its parents that are in the set. It is iterative: a first push sends the
// whole history, one long chain.
func topoParentsFirst(ns []*walkNode) []*walkNode {
	in := make(map[plumbing.Hash]*walkNode, len(ns))
	for _, n := range ns {
		in[n.hash] = n
	}
	sortNodes(ns)
	const (
		unseen = iota
		open
		closed
	)
	state := make(map[plumbing.Hash]int, len(ns))
	out := make([]*walkNode, 0, len(ns))
	type frame struct {
		n    *walkNode
		next int // index of the next parent to visit
	}
	for _, root := range ns {
		if state[root.hash] != unseen {
			continue
		}
		stack := []frame{{n: root}}
		state[root.hash] = open
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(top.n.parents) {
				p := top.n.parents[top.next]
				top.next++
				if pn, ok := in[p]; ok && state[p] == unseen {
					state[p] = open
					stack = append(stack, frame{n: pn})
				}
				continue
			}
			state[top.n.hash] = closed
			out = append(out, top.n)
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

// sortNodes orders commits oldest first (ties: first discovered first).
func sortNodes(ns []*walkNode) {
	sort.Slice(ns, func(i, j int) bool {
		if ns[i].when != ns[j].when {
			return ns[i].when < ns[j].when
		}
		return ns[i].seq < ns[j].seq
	})
}

func sortHashes(hs []plumbing.Hash) {
	sort.Slice(hs, func(i, j int) bool { return hs[i].String() < hs[j].String() })
}
