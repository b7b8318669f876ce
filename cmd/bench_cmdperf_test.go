package cmd

import (
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// The work stats and search do once journal.Store.List has returned, on
// the generated journal's entries as List gives them (newest first).

// benchEntries is every entry of the generated journal, of every kind as
// search lists them, and the journal's last day.
func benchEntries(b *testing.B) ([]*journal.Entry, civil.Date) {
	b.Helper()
	dir := benchJournal(b)
	day := civil.Of(lastDay(b, dir))
	q := journal.Query{Until: day}
	for _, k := range journal.Kinds() {
		q.Kinds = append(q.Kinds, k.Kind)
	}
	entries, _, err := (journal.Store{Root: dir}).List(q)
	if err != nil || len(entries) < 40000 {
		b.Fatalf("%d entries, %v", len(entries), err)
	}
	return entries, day
}

func BenchmarkComputeStats(b *testing.B) {
	entries, day := benchEntries(b)
	bucket, _, err := (journal.Store{Root: benchJournal(b)}).Bucket()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if v := computeStats(entries, bucket, "sam", day); len(v.Partners) != 2 {
			b.Fatalf("%d partners", len(v.Partners))
		}
	}
}

// BenchmarkSearchEntries is matching: two words found in a few entries,
// and a word found in none.
func BenchmarkSearchEntries(b *testing.B) {
	entries, _ := benchEntries(b)
	for _, words := range [][]string{{"walk", "river"}, {"zzzz"}} {
		b.Run(words[0], func(b *testing.B) {
			q := journal.NewSearch(words)
			for b.Loop() {
				q.Filter(entries)
			}
		})
	}
}

// BenchmarkSnippets is the line shown for each of the some 36,000 entries
// a search for "the" finds.
func BenchmarkSnippets(b *testing.B) {
	entries, _ := benchEntries(b)
	words := journal.NewSearch([]string{"the"})
	hits := words.Filter(entries)
	for b.Loop() {
		for _, e := range hits {
			snippet(e, words, 76)
		}
	}
}
