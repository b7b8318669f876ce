package sync

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	gosync "sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

var (
	rsSeed   = flag.Uint64("seed", 0, "sync: run TestSyncRandomConvergence with this seed only")
	rsRounds = flag.Int("rounds", 0, "sync: steps per seed in TestSyncRandomConvergence (default 80, 25 with -short)")
)

// errInjected is the failure the tests inject into a sync.
var errInjected = errors.New("injected failure")

// rsFlaky wraps a remote to fail on demand.
type rsFlaky struct {
	remoteEnd
	failFetch      bool   // the network is down
	failPushBefore bool   // the connection drops before anything is sent
	meanwhile      func() // runs before the push: the partner pushes first
}

func (f *rsFlaky) fetch(ctx context.Context, local storer.EncodedObjectStorer) (plumbing.Hash, error) {
	if f.failFetch {
		return plumbing.ZeroHash, fmt.Errorf("%w: %w", ErrOffline, errInjected)
	}
	return f.remoteEnd.fetch(ctx, local)
}

func (f *rsFlaky) push(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error) {
	if m := f.meanwhile; m != nil {
		f.meanwhile = nil
		m()
	}
	if f.failPushBefore {
		return 0, fmt.Errorf("%w: %w", ErrOffline, errInjected)
	}
	return f.remoteEnd.push(ctx, local, old, new)
}

// Several partners write, edit (with reconnect and by hand), change shared
// bucket items and sync in random order, while syncs fail at random points:
// offline, a connection lost before the push, a push that wrote its objects
// but not the branch, a crash after main moved but before the files were
// written, the partner pushing during our push. In the end, after a few
// plain syncs, every clone holds the same journal, every entry ever written
// is there with its author's last words, and git finds nothing wrong.
//
// go test ./sync -run RandomConvergence -seed 42 -rounds 300 replays one.
func TestSyncRandomConvergence(t *testing.T) {
	t.Parallel()
	seeds := []uint64{1, 2, 3}
	rounds := 80
	if testing.Short() {
		seeds, rounds = seeds[:1], 25
	}
	if *rsSeed != 0 {
		seeds = []uint64{*rsSeed}
	}
	if *rsRounds > 0 {
		rounds = *rsRounds
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rsRandomRun(t, seed, rounds, rsNewRemote)
		})
	}
}

func rsRandomRun(t *testing.T, seed uint64, rounds int, newRemote func(testing.TB, string, ...string) (string, []*rsClone)) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	remote, cs := newRemote(t, "sam", "alex", "kim")
	last := map[string]string{}  // dated entry -> its author's last content
	bucket := map[string]bool{}  // shared items ever created
	owner := map[string]string{} // dated entry -> author
	days := []string{"2026-11-20", "2026-11-21", "2026-11-22", "2026-12-01", "2027-01-05"}
	kinds := []string{"checkin", "answer", "challenge"}
	titles := []string{"Ramen place", "Learn to dance", "Visit Lisbon", "Night swim"}
	keys := []string{"status", "when", "where", "note"}
	words := []string{"open", "done", "soon", "downtown", "maybe", "yes"}

	ownEntries := func(c *rsClone) []string {
		var ps []string
		for p, a := range owner {
			if a == c.author {
				ps = append(ps, p)
			}
		}
		sort.Strings(ps)
		return ps
	}
	for step := 0; step < rounds; step++ {
		c := cs[rng.IntN(len(cs))]
		switch op := rng.IntN(100); {
		case op < 25: // a new entry, or rewriting today's
			day, kind := days[rng.IntN(len(days))], kinds[rng.IntN(len(kinds))]
			p, content := rsEntry(c.author, day, kind, fmt.Sprintf("step %d by %s", step, c.author))
			c.write(p, content)
			last[p], owner[p] = content, c.author
		case op < 35: // an edit of an own entry
			own := ownEntries(c)
			if len(own) == 0 {
				continue
			}
			p := own[rng.IntN(len(own))]
			content := strings.TrimRight(last[p], "\n") + fmt.Sprintf("\nedited at step %d\n", step)
			c.write(p, content)
			last[p] = content
		case op < 45: // a hand edit in an editor, not committed
			own := ownEntries(c)
			var p, content string
			if len(own) > 0 && rng.IntN(2) == 0 {
				p = own[rng.IntN(len(own))]
				content = strings.TrimRight(last[p], "\n") + fmt.Sprintf("\nby hand at step %d\n", step)
			} else {
				p, content = rsEntry(c.author, days[rng.IntN(len(days))], "thanks", fmt.Sprintf("by hand at step %d", step))
			}
			name := filepath.Join(c.r.Dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			last[p], owner[p] = content, c.author
		case op < 60: // a shared bucket item: created, or one key changed
			title := titles[rng.IntN(len(titles))]
			vals := map[string]string{}
			p, _ := rsBucket("sam", title, nil)
			if cur, err := os.ReadFile(filepath.Join(c.r.Dir, filepath.FromSlash(p))); err == nil {
				vals = rsBucketKeys(string(cur))
			}
			vals[keys[rng.IntN(len(keys))]] = words[rng.IntN(len(words))]
			_, content := rsBucket("sam", title, vals)
			c.write(p, content)
			bucket[p] = true
		default: // a sync, perhaps failing
			rsRandomSync(t, rng, c, cs)
		}
	}
	// Settle: plain syncs until nothing moves.
	for round := 0; round < 3; round++ {
		for _, c := range cs {
			c.wrap, c.crash = nil, nil
			c.sync()
		}
	}
	rsSameTrees(t, cs...)
	for _, c := range cs {
		for p, content := range last {
			rsHasPaths(t, c, p)
			if got := gittest.Show(t, c.r.Dir, "main", p); got != content {
				t.Fatalf("%s: %s holds %q, its author last wrote %q", c.author, p, got, content)
			}
		}
		for p := range bucket {
			rsHasPaths(t, c, p)
		}
		c.checkClean()
	}
	gittest.Fsck(t, remote)
}

// rsRandomSync syncs c, perhaps with a failure injected, and checks that a
// failure is only ever the injected one.
func rsRandomSync(t *testing.T, rng *rand.Rand, c *rsClone, cs []*rsClone) {
	t.Helper()
	c.wrap, c.crash = nil, nil
	injected := true
	switch f := rng.IntN(10); f {
	case 0:
		c.wrap = func(e remoteEnd) remoteEnd { return &rsFlaky{remoteEnd: e, failFetch: true} }
	case 1:
		c.wrap = func(e remoteEnd) remoteEnd { return &rsFlaky{remoteEnd: e, failPushBefore: true} }
	case 2: // objects written, branch not moved
		c.wrap = func(e remoteEnd) remoteEnd {
			inner := e
			if sr, ok := e.(*sealedRemote); ok {
				inner = sr.inner
			}
			if fr, ok := inner.(*folderRemote); ok {
				fr.beforePublish = func() error { return errInjected }
			}
			return e
		}
	case 3: // killed after main moved, before the files were written
		c.crash = func() error { return errInjected }
	case 4: // the partner pushes while we push: we merge again
		var other *rsClone
		for other == nil || other == c {
			other = cs[rng.IntN(len(cs))]
		}
		other.wrap, other.crash = nil, nil
		p, content := rsEntry(other.author, "2026-11-23", "answer", "meanwhile")
		c.wrap = func(e remoteEnd) remoteEnd {
			return &rsFlaky{remoteEnd: e, meanwhile: func() {
				other.write(p, content)
				other.sync()
			}}
		}
		injected = false
	default:
		injected = false
	}
	_, err := c.trySync()
	switch {
	case err == nil:
	case injected && errors.Is(err, errInjected):
	default:
		t.Fatalf("%s: sync failed: %v", c.author, err)
	}
	c.wrap, c.crash = nil, nil
}

func rsBucketKeys(content string) map[string]string {
	vals := map[string]string{}
	fm, _, _ := strings.Cut(strings.TrimPrefix(content, "---\n"), "\n---")
	for _, line := range strings.Split(fm, "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch k {
		case "kind", "author", "date", "created", "title":
		default:
			vals[k] = v
		}
	}
	return vals
}

// Two reconnect processes (separate Repo values on one journal) writing
// and syncing at once: the lock serialises them and nothing is lost or
// corrupted.
func TestSyncConcurrentProcesses(t *testing.T) {
	t.Parallel()
	_, cs := rsNewRemote(t, "sam", "alex")
	a, partner := cs[0], cs[1]
	const each = 6
	var wg gosync.WaitGroup
	errs := make(chan error, 2*each)
	var paths []string
	for w := 0; w < 2; w++ {
		r, err := Open(a.r.Dir)
		if err != nil {
			t.Fatal(err)
		}
		var ps []string
		for i := 0; i < each; i++ {
			p, _ := rsEntry("sam", fmt.Sprintf("2026-11-%02d", 1+w*each+i), "checkin", "")
			ps = append(ps, p)
		}
		paths = append(paths, ps...)
		c := &rsClone{t: t, author: "sam", r: r, tick: 1000 * (w + 1)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range ps {
				_, content := rsEntry("sam", strings.TrimSuffix(filepath.Base(p), "-checkin-sam.md"), "checkin", fmt.Sprint("worker entry ", i))
				unlock, err := c.r.Lock(context.Background())
				if err != nil {
					errs <- err
					return
				}
				_, err = c.r.Commit("checkin", c.sig(), Change{Path: p, Data: []byte(content)})
				if err == nil && i%2 == 1 {
					_, err = c.r.Sync(context.Background(), Options{Signature: c.sig(), MergeFile: rsKeyMerge})
				}
				unlock()
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// Meanwhile the partner keeps pushing, so the syncs merge.
	for i := 0; i < 3; i++ {
		partner.write(rsEntry("alex", fmt.Sprintf("2026-11-%02d", 20+i), "checkin", "alex"))
		partner.sync()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	a.sync()
	partner.sync()
	rsSameTrees(t, a, partner)
	rsHasPaths(t, a, paths...)
	a.checkClean()
	partner.checkClean()
}
