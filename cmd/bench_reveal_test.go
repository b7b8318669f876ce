package cmd

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// What a sync adds to find the sealed answers it must reveal (revealDue,
// cmd/reveal.go), on the generated 25-year journal with both partners'
// answers to the question of every day of it, all revealed (plain, with
// their commitment and salt), as a couple who answer daily would have:
// "all" reads every answer of Sam's (what every sync did before the reveal
// mark, and still does without one), "since-mark" only what changed since
// the last reveal; each when there is nothing to reveal ("none-due") and
// when the day after's sealed answer is due ("one-due"). Figures:
// docs/benchmarks.md ("Revealing sealed answers").
func BenchmarkRevealDue(b *testing.B) {
	ctx := context.Background()
	dir, last := revealJournal(b)
	repo, err := gitsync.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	j := &Journal{Dir: dir, Repo: repo, Store: journal.Store{Root: dir}}
	// The first read fills the store's cache, as the journal's first
	// command did; every sync after it finds the cache warm.
	if due, err := revealDueAll(j, "sam"); err != nil || len(due) != 0 {
		b.Fatalf("due %d, %v", len(due), err)
	}
	markRevealed(j, "sam")
	run := func(name string, want int) {
		b.Run("all/"+name, func(b *testing.B) {
			for b.Loop() {
				if due, err := revealDueAll(j, "sam"); err != nil || len(due) != want {
					b.Fatalf("due %d, %v", len(due), err)
				}
			}
		})
		b.Run("since-mark/"+name, func(b *testing.B) {
			for b.Loop() {
				if due, err := revealDue(ctx, j, "sam"); err != nil || len(due) != want {
					b.Fatalf("due %d, %v", len(due), err)
				}
			}
		})
	}
	run("none-due", 0)
	// Sam answers the day after, sealed; Alex's answer arrives.
	id, err := age.GenerateX25519Identity()
	if err != nil {
		b.Fatal(err)
	}
	day := last.AddDays(1)
	mine := journal.NewAnswer("sam", day, time.Date(day.Year, day.Month, day.Day, 21, 0, 0, 0, time.Local), 1, "What made you smile?", "The walk")
	if err := journal.SealAnswer(mine, id.Recipient()); err != nil {
		b.Fatal(err)
	}
	commitBench(b, j, mine, revealedAnswer(b, "alex", day))
	run("one-due", 1)
}

// revealJournal is a copy of the generated 25-year journal (its files as
// hard links: nothing here writes them; its .git copied) with a revealed
// answer by each partner on every day, committed; and the last day.
func revealJournal(b *testing.B) (string, civil.Date) {
	src := benchJournal(b)
	last := civil.Of(lastDay(b, src))
	dir := b.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case strings.HasPrefix(rel, ".git"+string(filepath.Separator)):
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		}
		return os.Link(p, dst)
	})
	if err != nil {
		b.Fatal(err)
	}
	repo, err := gitsync.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	var answers []*journal.Entry
	for d := (civil.Date{Year: 2001, Month: time.January, Day: 1}); !d.After(last); d = d.AddDays(1) {
		for _, who := range []string{"sam", "alex"} {
			answers = append(answers, revealedAnswer(b, who, d))
		}
	}
	commitBench(b, &Journal{Dir: dir, Repo: repo}, answers...)
	return dir, last
}

// commitBench commits entries to j, as one command would.
func commitBench(b *testing.B, j *Journal, entries ...*journal.Entry) {
	var changes []gitsync.Change
	for _, e := range entries {
		e.Path = journal.PathFor(e, nil)
		changes = append(changes, changeFor(e))
	}
	sig := gitsync.Signature{Name: "sam", Email: "sam@reconnect.local", When: time.Now()}
	if _, err := j.Repo.Commit("answers", sig, changes...); err != nil {
		b.Fatal(err)
	}
}

// revealedAnswer is who's answer of d as a reveal leaves it: plain, with
// its salt and commitment.
func revealedAnswer(b *testing.B, who string, d civil.Date) *journal.Entry {
	text := "Cooking together, and the walk after dinner on " + d.String()
	e := journal.NewAnswer(who, d, time.Date(d.Year, d.Month, d.Day, 21, 0, 0, 0, time.Local), 1, "What made you smile?", text)
	salt := "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff@" + d.String()
	e.SetField(journal.FieldCommit, journal.Commitment(salt, text))
	e.SetField(journal.FieldSalt, salt)
	return e
}

// What a view of a partner's revealed answer adds to hold it to its first
// seal (cmd/reveal_check.go) on the same journal: the ledger built from
// the whole history (the first view on this machine, or after the ledger
// was deleted: every commit's changed folders, every answer's versions),
// and brought up to date when nothing is new (every view after).
func BenchmarkRevealLedger(b *testing.B) {
	ctx := context.Background()
	dir, _ := revealJournal(b)
	repo, err := gitsync.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	j := &Journal{Dir: dir, Repo: repo, Store: journal.Store{Root: dir}}
	b.Run("whole-history", func(b *testing.B) {
		for b.Loop() {
			os.RemoveAll(revealLedgerPath(j))
			if _, err := readRevealLedger(ctx, j); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("up-to-date", func(b *testing.B) {
		for b.Loop() {
			if _, err := readRevealLedger(ctx, j); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The ledger as 25 years of daily sealed answers by both would leave
	// it (the benchmark's answers were committed revealed, never sealed):
	// a view checks the last day's answer of Alex's, reading its month.
	l, err := readRevealLedger(ctx, j)
	if err != nil {
		b.Fatal(err)
	}
	answers, _, err := j.Store.List(journal.Query{Kinds: []journal.Kind{journal.KindAnswer}})
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range answers {
		c, _ := e.Field(journal.FieldCommit)
		name := ledgerShard(e.Path)
		l.shard(name)[e.Path] = &journal.AnswerHistory{First: c, Sealed: []string{c}, Revealed: true}
		l.dirty[name] = true
	}
	for name := range l.dirty {
		data, _ := json.Marshal(l.shards[name])
		if err := os.WriteFile(filepath.Join(l.dir, name+".json"), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	last := answers[len(answers)-1]
	b.Run("check-one-answer", func(b *testing.B) {
		for b.Loop() {
			if r := newRevealChecker(ctx, j).check(last); r != journal.RevealKept {
				b.Fatalf("%s: %q", last.Path, r)
			}
		}
	})
}
