package sync_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/gittest"
	"github.com/reconnect-app/reconnect/internal/journalgen"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// The sync benchmarks measure one new entry each way between two partners
// sharing a generated journal (5 and 25 years: about 10,000 and 51,000
// entries) through a folder remote and through git-http-backend over HTTP:
// sam and alex each write an entry (not timed), then sam syncs (push), alex
// syncs (merge and push), sam syncs (pull). The git CLI does the same with
// git pull --rebase && git push at each of the three steps, on its own
// copies of the same journal and its own remote.
//
//	go test ./sync -run '^$' -bench 'Sync' -benchtime 10x
//
// ms/op is one whole exchange (three syncs).

// bsYears are the two history lengths, to show the cost does not grow with
// the age of the journal.
var bsYears = []int{5, 25}

const bsToken = "bench-token-0123456789"

// bsSide is one partner in a benchmark: a reconnect journal or a git clone.
type bsSide struct {
	name string
	dir  string
	r    *gitsync.Repo // nil for a git clone
}

type bsPair struct {
	url       string // the remote, as both partners reach it
	auth      gitsync.Auth
	sam, alex *bsSide
	day       civil.Date
	tick      int
	noScan    bool // reconnect syncs with SkipHandEdits
}

// bsSetup copies the generated journal of the given length twice, makes a
// bare remote of it (served over HTTP when transport is "http"), and sets
// it as both copies' origin.
func bsSetup(b *testing.B, years int, transport string, git bool) *bsPair {
	b.Helper()
	if testing.Short() {
		b.Skip("needs the generated journal")
	}
	opt := journalgen.Options{Years: years}
	src := journalgen.Cached(b, opt)
	root := b.TempDir()
	bare := filepath.Join(root, "journal.git")
	gittest.Git(b, root, "clone", "--quiet", "--bare", src, bare)
	p := &bsPair{day: opt.End()}
	switch transport {
	case "folder":
		p.url = bare
	case "http":
		s := gittest.NewHTTPServer(b, root, "reconnect", bsToken)
		p.url = s.URL("journal.git")
		p.auth = gitsync.Auth{Token: bsToken}
	}
	for _, name := range []string{"sam", "alex"} {
		side := &bsSide{name: name, dir: filepath.Join(root, name)}
		if err := journalgen.Copy(side.dir, src); err != nil {
			b.Fatal(err)
		}
		if git {
			u := p.url
			if transport == "http" {
				pu, _ := url.Parse(u)
				pu.User = url.UserPassword("reconnect", bsToken)
				u = pu.String()
			}
			gittest.Git(b, side.dir, "remote", "add", "origin", u)
			gittest.Git(b, side.dir, "fetch", "--quiet", "origin")
			gittest.Git(b, side.dir, "branch", "--quiet", "--set-upstream-to=origin/main", "main")
		} else {
			r, err := gitsync.Open(side.dir)
			if err != nil {
				b.Fatal(err)
			}
			if err := r.SetRemote(p.url); err != nil {
				b.Fatal(err)
			}
			if err := r.Fetch(context.Background(), gitsync.Options{Auth: p.auth}); err != nil {
				b.Fatal(err)
			}
			side.r = r
		}
		if name == "sam" {
			p.sam = side
		} else {
			p.alex = side
		}
	}
	return p
}

// write adds side's check-in of the pair's current day, committed.
func (p *bsPair) write(b *testing.B, side *bsSide) {
	b.Helper()
	d := p.day
	path := fmt.Sprintf("%04d/%02d/%s-checkin-%s.md", d.Year, int(d.Month), d, side.name)
	created := d.In(time.FixedZone("", 3600)).Add(21 * time.Hour)
	data := fmt.Sprintf("---\nkind: checkin\nauthor: %s\ndate: %s\ncreated: %s\n---\n\n## Rose\nThe walk by the river.\n",
		side.name, d, created.Format(time.RFC3339))
	if side.r == nil {
		name := filepath.Join(side.dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
			b.Fatal(err)
		}
		gittest.Git(b, side.dir, "add", "--", path)
		gittest.Git(b, side.dir, "commit", "--quiet", "-m", "checkin: "+side.name+" "+d.String())
		return
	}
	if _, err := side.r.Commit("checkin: "+side.name+" "+d.String(), p.sig(side), gitsync.Change{Path: path, Data: []byte(data)}); err != nil {
		b.Fatal(err)
	}
}

func (p *bsPair) sig(side *bsSide) gitsync.Signature {
	p.tick++
	return gitsync.Signature{Name: side.name, Email: side.name + "@reconnect.local",
		When: p.day.In(time.UTC).Add(time.Duration(p.tick) * time.Second)}
}

// sync is one partner's sync: reconnect's, or git pull --rebase && git push.
func (p *bsPair) sync(b *testing.B, side *bsSide) {
	b.Helper()
	if side.r == nil {
		gittest.Git(b, side.dir, "pull", "--quiet", "--rebase")
		gittest.Git(b, side.dir, "push", "--quiet", "origin", "main")
		return
	}
	opt := gitsync.Options{Auth: p.auth, Signature: p.sig(side), MergeFile: journal.MergeFiles, AuthorName: journal.AuthorName, WrittenBy: journal.WrittenBy, SkipHandEdits: p.noScan}
	if _, err := side.r.Sync(context.Background(), opt); err != nil {
		b.Fatal(err)
	}
}

func (p *bsPair) head(b *testing.B, side *bsSide) string {
	return gittest.Git(b, side.dir, "rev-parse", "main^{tree}")
}

func bsRun(b *testing.B, transport string, git, noScan bool) {
	for _, years := range bsYears {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) {
			p := bsSetup(b, years, transport, git)
			p.noScan = noScan
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				p.write(b, p.sam)
				p.write(b, p.alex)
				p.day = p.day.AddDays(1)
				b.StartTimer()
				p.sync(b, p.sam)
				p.sync(b, p.alex)
				p.sync(b, p.sam)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/op")
			if p.head(b, p.sam) != p.head(b, p.alex) {
				b.Fatal("the partners did not converge")
			}
		})
	}
}

// BenchmarkSyncFolder is reconnect syncing through a folder remote.
func BenchmarkSyncFolder(b *testing.B) { bsRun(b, "folder", false, false) }

// BenchmarkSyncFolderNoScan is the same without the hand-edit scan
// (Options.SkipHandEdits), as after a reconnect write.
func BenchmarkSyncFolderNoScan(b *testing.B) { bsRun(b, "folder", false, true) }

// BenchmarkSyncHTTP is reconnect syncing through git-http-backend.
func BenchmarkSyncHTTP(b *testing.B) { bsRun(b, "http", false, false) }

// BenchmarkSyncHTTPNoScan is the same without the hand-edit scan.
func BenchmarkSyncHTTPNoScan(b *testing.B) { bsRun(b, "http", false, true) }

// BenchmarkSyncGitFolder is git pull --rebase && git push through the
// same kind of folder remote.
func BenchmarkSyncGitFolder(b *testing.B) { bsRun(b, "folder", true, false) }

// BenchmarkSyncGitHTTP is git pull --rebase && git push through
// git-http-backend.
func BenchmarkSyncGitHTTP(b *testing.B) { bsRun(b, "http", true, false) }

// BenchmarkSyncVsGit alternates reconnect's exchange and git's, iteration
// by iteration, so both see the same load on a shared machine; it reports
// reconnect's ms/op, git's git-ms/op and the ratio git/reconnect, for the
// full sync and for one without the hand-edit scan (noscan-ms/op).
func BenchmarkSyncVsGit(b *testing.B) {
	for _, transport := range []string{"folder", "http"} {
		for _, years := range bsYears {
			b.Run(fmt.Sprintf("%s/years=%d", transport, years), func(b *testing.B) {
				rc := bsSetup(b, years, transport, false)
				g := bsSetup(b, years, transport, true)
				var tRC, tNoScan, tGit time.Duration
				exchange := func(p *bsPair) time.Duration {
					p.write(b, p.sam)
					p.write(b, p.alex)
					p.day = p.day.AddDays(1)
					start := time.Now()
					p.sync(b, p.sam)
					p.sync(b, p.alex)
					p.sync(b, p.sam)
					return time.Since(start)
				}
				b.ResetTimer()
				for range b.N {
					rc.noScan = false
					tRC += exchange(rc)
					tGit += exchange(g)
					rc.noScan = true
					tNoScan += exchange(rc)
				}
				b.StopTimer()
				n := float64(b.N)
				b.ReportMetric(float64(tRC.Nanoseconds())/1e6/n, "ms/op")
				b.ReportMetric(float64(tNoScan.Nanoseconds())/1e6/n, "noscan-ms/op")
				b.ReportMetric(float64(tGit.Nanoseconds())/1e6/n, "git-ms/op")
				b.ReportMetric(float64(tGit)/float64(tRC), "git/reconnect")
				if rc.head(b, rc.sam) != rc.head(b, rc.alex) || g.head(b, g.sam) != g.head(b, g.alex) {
					b.Fatal("the partners did not converge")
				}
			})
		}
	}
}
