package sync_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/reconnect-app/reconnect/internal/gittest"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// BenchmarkSyncSealedVsPlain is the exchange of bench_sync_test.go (sam
// syncs, alex merges, sam pulls) through an encrypted folder remote and
// through a plain one, alternated iteration by iteration, on the same
// generated journals (1, 5 and 25 years). The encrypted pair starts from a
// remote that already holds the whole history (one pack, pushed before
// the timer). It reports the encrypted exchange's ms/op, the plain one's
// plain-ms/op, the ratio sealed/plain of the totals and the median of the
// ratios of paired exchanges (steadier on a loaded machine). Both sync without the hand-edit
// scan, so that the ratio is that of the exchange itself.
//
//	go test ./sync -run '^$' -bench '^BenchmarkSyncSealedVsPlain$' -benchtime 20x
func BenchmarkSyncSealedVsPlain(b *testing.B) {
	for _, years := range bsSealedYears {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) {
			plain := bsSetup(b, years, "folder", false)
			plain.noScan = true
			sealed, seal := bsSealedSetup(b, years)
			var tSealed, tPlain time.Duration
			exchange := func(p *bsPair, s *gitsync.Seal) time.Duration {
				p.write(b, p.sam)
				p.write(b, p.alex)
				p.day = p.day.AddDays(1)
				start := time.Now()
				for _, side := range []*bsSide{p.sam, p.alex, p.sam} {
					bsSealedSync(b, p, side, s)
				}
				return time.Since(start)
			}
			var ratios []float64
			b.ResetTimer()
			for range b.N {
				ts := exchange(sealed, seal)
				tp := exchange(plain, nil)
				tSealed, tPlain = tSealed+ts, tPlain+tp
				ratios = append(ratios, float64(ts)/float64(tp))
			}
			b.StopTimer()
			n := float64(b.N)
			sort.Float64s(ratios)
			b.ReportMetric(float64(tSealed.Nanoseconds())/1e6/n, "ms/op")
			b.ReportMetric(float64(tPlain.Nanoseconds())/1e6/n, "plain-ms/op")
			b.ReportMetric(float64(tSealed)/float64(tPlain), "sealed/plain")
			b.ReportMetric(ratios[len(ratios)/2], "median-sealed/plain")
			if sealed.head(b, sealed.sam) != sealed.head(b, sealed.alex) {
				b.Fatal("the partners did not converge")
			}
		})
	}
}

// bsSealedYears are the history lengths of the encrypted benchmark: the
// ratio must stay flat from 1 to 25 years.
var bsSealedYears = []int{1, 5, 25}

// bsSealedSetup is bsSetup's pair moved to a new, encrypted folder remote
// that sam filled (the whole history, one pack) and alex fetched.
func bsSealedSetup(b *testing.B, years int) (*bsPair, *gitsync.Seal) {
	p := bsSetup(b, years, "folder", false)
	p.noScan = true
	p.url = filepath.Join(b.TempDir(), "sealed.git")
	gittest.Git(b, filepath.Dir(p.url), "init", "--quiet", "--bare", p.url)
	var ids []age.Identity
	var to []age.Recipient
	for range 2 {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			b.Fatal(err)
		}
		ids, to = append(ids, id), append(to, id.Recipient())
	}
	seal := &gitsync.Seal{Identities: ids[:1], Recipients: to}
	for _, side := range []*bsSide{p.sam, p.alex} {
		if err := side.r.SetRemote(p.url); err != nil {
			b.Fatal(err)
		}
		bsSealedSync(b, p, side, seal)
	}
	return p, seal
}

func bsSealedSync(b *testing.B, p *bsPair, side *bsSide, seal *gitsync.Seal) {
	b.Helper()
	opt := gitsync.Options{Auth: p.auth, Signature: p.sig(side), MergeFile: journal.MergeFiles, AuthorName: journal.AuthorName,
		WrittenBy: journal.WrittenBy, SkipHandEdits: p.noScan, Seal: seal}
	if _, err := side.r.Sync(context.Background(), opt); err != nil {
		b.Fatal(err)
	}
}
