package sync

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/gittest"
	"github.com/reconnect-app/reconnect/journal"
)

// Test helpers of the remote half; prefixed rs to stay apart from the
// local half's lw helpers in this package.

// rsEpoch is the test clock's start; every clone's clock ticks from it.
var rsEpoch = time.Date(2026, 11, 21, 9, 0, 0, 0, time.FixedZone("CET", 3600))

// rsClone is one partner's journal in a test.
type rsClone struct {
	t      testing.TB
	author string // slug, as in front matter and paths
	r      *Repo
	remote string // "" = origin
	auth   Auth
	tick   int
	wrap   func(remoteEnd) remoteEnd // failure injection for the next syncs
	crash  func() error              // runs after main moves, before files are written
	seal   *Seal                     // an encrypted remote (sealed_test.go)
}

func (c *rsClone) sig() Signature {
	c.tick++
	name := strings.ToUpper(c.author[:1]) + c.author[1:]
	return Signature{Name: name, Email: c.author + "@example.com", When: rsEpoch.Add(time.Duration(c.tick) * time.Minute)}
}

func (c *rsClone) opts() Options {
	return Options{Remote: c.remote, Auth: c.auth, Signature: c.sig(), MergeFile: journal.MergeFiles,
		AuthorName: journal.AuthorName, WrittenBy: journal.WrittenBy,
		wrapRemote: c.wrap, afterMove: c.crash, Seal: c.seal}
}

// write commits one file, as a reconnect write does (under the lock).
func (c *rsClone) write(path, content string) plumbing.Hash {
	c.t.Helper()
	unlock, err := c.r.Lock(context.Background())
	if err != nil {
		c.t.Fatal(err)
	}
	defer unlock()
	h, err := c.r.Commit("write: "+path, c.sig(), Change{Path: path, Data: []byte(content)})
	if errors.Is(err, ErrNoChange) {
		return plumbing.ZeroHash // the same words again
	}
	if err != nil {
		c.t.Fatalf("%s: commit %s: %v", c.author, path, err)
	}
	return h
}

// remove commits the removal of one file.
func (c *rsClone) remove(path string) {
	c.t.Helper()
	if _, err := c.r.Commit("remove: "+path, c.sig(), Change{Path: path, Delete: true}); err != nil {
		c.t.Fatalf("%s: remove %s: %v", c.author, path, err)
	}
}

// sync syncs under the lock and fails the test on error.
func (c *rsClone) sync() Result {
	c.t.Helper()
	res, err := c.trySync()
	if err != nil {
		c.t.Fatalf("%s: sync: %v", c.author, err)
	}
	return res
}

func (c *rsClone) trySync() (Result, error) {
	unlock, err := c.r.Lock(context.Background())
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	return c.r.Sync(context.Background(), c.opts())
}

// tree is "path blob" for every file of main, as git sees it.
func (c *rsClone) tree() []string {
	c.t.Helper()
	return gittest.Tree(c.t, c.r.Dir, "main")
}

// file reads a file of the work tree.
func (c *rsClone) file(path string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.r.Dir, filepath.FromSlash(path)))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// checkClean fails unless git sees a clean work tree that matches main,
// and a sound repository.
func (c *rsClone) checkClean() {
	c.t.Helper()
	if out := gittest.Git(c.t, c.r.Dir, "status", "--porcelain", "--untracked-files=all"); out != "" {
		c.t.Fatalf("%s: git status is not clean:\n%s", c.author, out)
	}
	gittest.Fsck(c.t, c.r.Dir)
}

// rsEntry is a journal-like dated entry by author.
func rsEntry(author, date, kind, text string) (path, content string) {
	path = fmt.Sprintf("%s/%s/%s-%s-%s.md", date[:4], date[5:7], date, kind, author)
	content = fmt.Sprintf("---\nkind: %s\nauthor: %s\ndate: %s\ncreated: %sT21:14:03+01:00\n---\n\n%s\n", kind, author, date, date, text)
	return path, content
}

// rsBucket is a shared bucket-list item with front-matter keys.
func rsBucket(author, title string, keys map[string]string) (path, content string) {
	slugTitle := journal.Slug(title)
	var b strings.Builder
	fmt.Fprintf(&b, "---\nkind: bucket\nauthor: %s\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\ntitle: %s\n", author, title)
	ks := make([]string, 0, len(keys))
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Fprintf(&b, "%s: %s\n", k, keys[k])
	}
	b.WriteString("---\n\nWhy we want it.\n")
	return "bucket/" + slugTitle + ".md", b.String()
}

// rsNewRemote starts a journal by first, pushes it to a new bare folder
// remote and clones it for each of others. The remote path is returned.
func rsNewRemote(t testing.TB, first string, others ...string) (string, []*rsClone) {
	t.Helper()
	remote := gittest.Bare(t)
	a := rsInit(t, first)
	if err := a.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("first push: state %q, want %q", res.State, StatePushed)
	}
	clones := []*rsClone{a}
	for _, o := range others {
		clones = append(clones, rsCloneOf(t, remote, o, Auth{}))
	}
	return remote, clones
}

// rsInit creates a journal with a README, as reconnect init does.
func rsInit(t testing.TB, author string) *rsClone {
	t.Helper()
	c := &rsClone{t: t, author: author}
	r, err := Init(filepath.Join(t.TempDir(), author), c.sig(), "init: journal",
		Change{Path: "README.md", Data: []byte("# Our journal\n")},
		Change{Path: "reconnect.yaml", Data: []byte("partners: [sam, alex]\n")})
	if err != nil {
		t.Fatal(err)
	}
	c.r = r
	return c
}

// rsCloneOf clones url for author.
func rsCloneOf(t testing.TB, url, author string, auth Auth) *rsClone {
	t.Helper()
	c := &rsClone{t: t, author: author, auth: auth}
	r, err := Clone(context.Background(), url, filepath.Join(t.TempDir(), author), auth)
	if err != nil {
		t.Fatalf("clone for %s: %v", author, err)
	}
	c.r = r
	return c
}

// rsSameTrees fails unless every clone's main has the same files.
func rsSameTrees(t testing.TB, clones ...*rsClone) {
	t.Helper()
	want := clones[0].tree()
	for _, c := range clones[1:] {
		got := c.tree()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s and %s differ:\n%s:\n%s\n%s:\n%s", clones[0].author, c.author,
				clones[0].author, strings.Join(want, "\n"), c.author, strings.Join(got, "\n"))
		}
	}
}

// rsHasPaths fails unless the clone's main holds every path.
func rsHasPaths(t testing.TB, c *rsClone, paths ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, line := range c.tree() {
		p, _, _ := strings.Cut(line, " ")
		have[p] = true
	}
	for _, p := range paths {
		if !have[p] {
			t.Fatalf("%s lost %s", c.author, p)
		}
	}
}
