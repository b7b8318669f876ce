// Package journalgen makes realistic journals for benchmarks and tests: a
// couple, "alex" and "sam", writing for 25 years, about 50,000 entry files
// in YYYY/MM/ folders and a commit per day, as reconnect itself would have
// written them.
//
// [Generate] builds one, deterministically from [Options.Seed]: the same
// options give the same files, trees and commits. It works at the object
// level (blobs and trees built with [gitsync.EditTree], stored in one pack),
// writes the work tree once and the index once, so that git status is clean
// and git needs to read no file. [Cached] generates once per set of options
// into a folder under os.TempDir() and hands the same one back afterwards;
// [Copy] makes a private copy to write into.
//
// Errors are I/O failures, wrapped with the path they concern.
package journalgen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/reconnect-app/reconnect/internal/civil"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// Options shape a generated journal. The zero value is the standard
// benchmark journal: 25 years from 2001-01-01, one commit per day, seed 0.
type Options struct {
	Seed  uint64
	Start civil.Date // first day; zero: 2001-01-01
	Years int        // how long the couple writes; zero: 25
	Days  int        // if set, how many days they write instead of Years
	// CommitsPerDay splits each day's entries into up to this many commits
	// (zero: one commit per day). A value at least the day's number of
	// entries gives one commit per entry.
	CommitsPerDay int
}

func (o Options) withDefaults() Options {
	if o.Start.IsZero() {
		o.Start = civil.Date{Year: 2001, Month: time.January, Day: 1}
	}
	if o.Years <= 0 {
		o.Years = 25
	}
	if o.CommitsPerDay <= 0 {
		o.CommitsPerDay = 1
	}
	return o
}

// End is the day after the last generated day.
func (o Options) End() civil.Date {
	o = o.withDefaults()
	if o.Days > 0 {
		return o.Start.AddDays(o.Days)
	}
	return o.Start.AddMonths(12 * o.Years)
}

// Files the first commit holds, as reconnect init writes them.
const (
	readme   = "# Our reconnect journal\n\nA journal kept by `reconnect`: one small Markdown file per entry.\n"
	settings = "# Settings shared by both partners' copies of this journal.\n# This file also marks the folder as a reconnect journal.\nformat: 1\n"
)

// Generate writes a journal into dir, which must not exist or be empty.
func Generate(dir string, opt Options) error {
	opt = opt.withDefaults()
	if names, err := os.ReadDir(dir); err == nil && len(names) > 0 {
		return fmt.Errorf("generate journal: %s is not empty", dir)
	}
	objects := memory.NewStorage()
	g := &generator{
		opt:     opt,
		rng:     rand.New(rand.NewPCG(opt.Seed, 0x726563)),
		objects: objects,
		files:   map[string][]byte{},
		taken:   map[string]bool{},
	}
	if err := g.history(); err != nil {
		return fmt.Errorf("generate journal: %w", err)
	}
	if err := g.writeRepo(dir); err != nil {
		return fmt.Errorf("generate journal in %s: %w", dir, err)
	}
	return nil
}

type generator struct {
	opt     Options
	rng     *rand.Rand
	objects *memory.Storage
	root    plumbing.Hash // tree of the last commit
	head    plumbing.Hash
	files   map[string][]byte // the work tree after the last commit
	taken   map[string]bool   // bucket paths ever used
	open    []*bucketItem
}

// history builds every commit, day by day.
func (g *generator) history() error {
	start := g.opt.Start
	first := start.In(zoneOf(start)).Add(9 * time.Hour)
	if err := g.commit("journal: start", "sam", first, []entry{
		{path: "README.md", data: []byte(readme)},
		{path: "reconnect.yaml", data: []byte(settings)},
	}); err != nil {
		return err
	}
	for d := start; d.Before(g.opt.End()); d = d.AddDays(1) {
		day := g.day(d)
		if len(day) == 0 {
			continue
		}
		slices.SortStableFunc(day, func(a, b entry) int { return a.created.Compare(b.created) })
		n := min(g.opt.CommitsPerDay, len(day))
		for i := range n {
			part := day[i*len(day)/n : (i+1)*len(day)/n]
			last := part[len(part)-1]
			msg := fmt.Sprintf("%s: %d entries", d, len(part))
			if len(part) == 1 {
				msg = fmt.Sprintf("%s: %s %s", last.kind, last.author, d)
			}
			if err := g.commit(msg, last.author, last.created, part); err != nil {
				return err
			}
		}
	}
	return nil
}

// thanksWeights are the odds of 0 to 4 thanks notes by one author in a day
// (a mean of about 1.9), which with a check-in on 90% of days makes about
// 5.6 files a day, 51,000 in 25 years.
var thanksWeights = []int{12, 25, 33, 20, 10}

// day is what the couple writes on d.
func (g *generator) day(d civil.Date) []entry {
	var out []entry
	paths := map[string]bool{}
	for _, a := range authors {
		if g.rng.IntN(10) < 9 {
			out = append(out, checkin(g.rng, d, a))
		}
		for range weighted(g.rng, thanksWeights) {
			out = append(out, thanks(g.rng, d, a, paths))
		}
	}
	// About one new bucket-list item a month, and one marked done every
	// two months while some are open.
	if g.rng.IntN(30) == 0 {
		it := newBucket(g.rng, d, authors[g.rng.IntN(2)], g.taken)
		g.open = append(g.open, it)
		out = append(out, entry{path: it.path, data: it.render(false, d, ""), author: it.author, kind: "bucket", created: it.created})
	}
	if len(g.open) > 0 && g.rng.IntN(60) == 0 && g.open[0].date.Before(d) {
		i := g.rng.IntN(len(g.open))
		if !g.open[i].date.Before(d) {
			i = 0 // the oldest; not one added today
		}
		it := g.open[i]
		g.open = slices.Delete(g.open, i, i+1)
		by := authors[g.rng.IntN(2)]
		out = append(out, entry{path: it.path, data: it.render(true, d, by), author: by, kind: "bucket done",
			created: clock(g.rng, d, 9, 23)})
	}
	return out
}

func weighted(rng *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// commit stores the entries' blobs, the trees on their paths and a commit.
func (g *generator) commit(msg, author string, when time.Time, entries []entry) error {
	edits := make([]gitsync.TreeEdit, len(entries))
	for i, e := range entries {
		o := g.objects.NewEncodedObject()
		o.SetType(plumbing.BlobObject)
		w, _ := o.Writer()
		w.Write(e.data)
		w.Close()
		h, err := g.objects.SetEncodedObject(o)
		if err != nil {
			return err
		}
		edits[i] = gitsync.TreeEdit{Path: e.path, Blob: h, Mode: filemode.Regular}
		g.files[e.path] = e.data
	}
	root, err := gitsync.EditTree(g.objects, g.root, edits)
	if err != nil {
		return err
	}
	sig := object.Signature{Name: author, Email: author + "@reconnect.local", When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg + "\n", TreeHash: root}
	if !g.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{g.head}
	}
	o := g.objects.NewEncodedObject()
	if err := c.Encode(o); err != nil {
		return err
	}
	h, err := g.objects.SetEncodedObject(o)
	if err != nil {
		return err
	}
	g.root, g.head = root, h
	return nil
}

// packWindow is how many objects the pack encoder compares to find delta
// bases; small, since each tree's best base is its previous version.
const packWindow = 10

// writeRepo makes the repository at dir: one pack of every object, main
// at the last commit, the work tree, and an index matching it.
func (g *generator) writeRepo(dir string) error {
	repo, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: gitsync.Branch},
	})
	if err != nil {
		return err
	}
	hashes := make([]plumbing.Hash, 0, len(g.objects.Objects))
	for h := range g.objects.Objects {
		hashes = append(hashes, h)
	}
	slices.SortFunc(hashes, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	pw, ok := repo.Storer.(storer.PackfileWriter)
	if !ok {
		return errors.New("the repository storage cannot write packs")
	}
	w, err := pw.PackfileWriter()
	if err != nil {
		return err
	}
	if _, err := packfile.NewEncoder(w, g.objects, false).Encode(hashes, packWindow); err != nil {
		w.Close()
		return fmt.Errorf("write pack: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write pack: %w", err)
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(gitsync.Branch, g.head)); err != nil {
		return err
	}

	paths := make([]string, 0, len(g.files))
	for p := range g.files {
		paths = append(paths, p)
	}
	if err := writeFiles(dir, paths, g.files); err != nil {
		return err
	}
	slices.Sort(paths)
	idx := &index.Index{Version: 2}
	for _, p := range paths {
		idx.Entries = append(idx.Entries, &index.Entry{
			Name: p,
			Hash: plumbing.ComputeHash(plumbing.BlobObject, g.files[p]),
			Mode: filemode.Regular,
		})
	}
	return writeIndex(dir, idx)
}

// writeFiles writes the files at paths, a few at a time: creating files is
// most of the cost, and the system can overlap it.
func writeFiles(dir string, paths []string, files map[string][]byte) error {
	const workers = 8
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(paths); i += workers {
				name := filepath.Join(dir, filepath.FromSlash(paths[i]))
				if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
					errs[w] = err
					return
				}
				if err := os.WriteFile(name, files[paths[i]], 0o600); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeIndex fills in the stat data of idx's entries from the files in
// dir and writes it as dir's index. It first waits for the clock to pass
// the second the last file was written in, so that git, comparing times
// with one-second precision, finds no entry racily clean and re-reads
// nothing.
func writeIndex(dir string, idx *index.Index) error {
	var newest time.Time
	for _, e := range idx.Entries {
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(e.Name)))
		if err != nil {
			return err
		}
		fillEntry(e, fi)
		newest = maxTime(newest, fi.ModTime(), e.CreatedAt)
	}
	if wait := time.Until(newest.Truncate(time.Second).Add(time.Second)); wait > 0 {
		time.Sleep(wait)
	}
	var buf bytes.Buffer
	if err := index.NewEncoder(&buf).Encode(idx); err != nil {
		return fmt.Errorf("encode index: %w", err)
	}
	name := filepath.Join(dir, ".git", "index")
	if err := os.WriteFile(name+".tmp", buf.Bytes(), 0o600); err != nil {
		return err
	}
	return os.Rename(name+".tmp", name)
}

func maxTime(ts ...time.Time) time.Time {
	return slices.MaxFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
}

// fillEntry sets the stat data of e from fi.
func fillEntry(e *index.Entry, fi os.FileInfo) {
	e.ModifiedAt = fi.ModTime()
	e.CreatedAt = fi.ModTime()
	e.Size = uint32(fi.Size())
	fillSys(e, fi)
}

// Copy copies the journal at src to dst (which must not exist) for a
// benchmark or test to write into, leaving src untouched. Pack files,
// which git never changes in place, are hard-linked where possible. The
// copy's index gets the stat data of the copied files, so git finds the
// copy as clean as the original.
func Copy(dst, src string) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("copy journal: %s exists", dst)
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o700)
		case rel == filepath.Join(".git", "index"), !d.Type().IsRegular():
			return nil
		case filepath.Dir(rel) == filepath.Join(".git", "objects", "pack"):
			if os.Link(p, to) == nil {
				return nil
			}
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(to, data, info.Mode().Perm())
	})
	if err != nil {
		return fmt.Errorf("copy journal %s: %w", src, err)
	}
	f, err := os.Open(filepath.Join(src, ".git", "index"))
	if err != nil {
		return fmt.Errorf("copy journal %s: %w", src, err)
	}
	defer f.Close()
	idx := &index.Index{}
	if err := index.NewDecoder(f).Decode(idx); err != nil {
		return fmt.Errorf("copy journal %s: read index: %w", src, err)
	}
	idx.Cache = nil // the encoder does not write extensions
	if err := writeIndex(dst, idx); err != nil {
		return fmt.Errorf("copy journal to %s: %w", dst, err)
	}
	return nil
}

// generatorVersion changes whenever Generate would write something else for
// the same options, so that Cached does not reuse an outdated journal.
const generatorVersion = 1

// TB is the part of testing.TB that Cached uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// Cached is the folder of a journal generated with opt, under os.TempDir(),
// generated on the first call for those options and reused afterwards (by
// any process). Treat it as read-only: [Copy] it to write into it.
func Cached(tb TB, opt Options) string {
	tb.Helper()
	sum := sha256.Sum256(fmt.Appendf(nil, "v%d %+v", generatorVersion, opt.withDefaults()))
	dir := filepath.Join(os.TempDir(), "reconnect-journalgen-"+hex.EncodeToString(sum[:6]))
	if _, err := os.Stat(filepath.Join(dir, ".git", "index")); err == nil {
		return dir
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "reconnect-journalgen-tmp-")
	if err != nil {
		tb.Fatalf("journalgen: %v", err)
	}
	start := time.Now()
	if err := Generate(tmp, opt); err != nil {
		os.RemoveAll(tmp)
		tb.Fatalf("journalgen: %v", err)
	}
	tb.Logf("journalgen: generated %s in %s", dir, time.Since(start).Round(time.Millisecond))
	// Publish whole: of two processes generating at once, the first rename
	// wins and the other's copy goes away.
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(filepath.Join(dir, ".git", "index")); serr != nil {
			tb.Fatalf("journalgen: %v", errors.Join(err, serr))
		}
	}
	return dir
}
