package cmd

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// revealDay is the n-th day of the reveal tests.
func revealDay(n int) civil.Date { return civil.Date{Year: 2026, Month: 11, Day: 20 + n} }

// commitAnswers commits entries to j in one commit.
func commitAnswers(t *testing.T, j *Journal, entries ...*journal.Entry) {
	t.Helper()
	var changes []gitsync.Change
	for _, e := range entries {
		e.Path = journal.PathFor(e, nil)
		changes = append(changes, changeFor(e))
	}
	sig := gitsync.Signature{Name: "test", Email: "test@reconnect.local", When: challengeNow}
	if _, err := j.Repo.Commit("answers", sig, changes...); err != nil {
		t.Fatal(err)
	}
}

// answerOf is who's answer of day n, sealed to keyDir's answer key when
// keyDir is not "".
func answerOf(t *testing.T, who string, n int, text, keyDir string) *journal.Entry {
	t.Helper()
	d := revealDay(n)
	e := journal.NewAnswer(who, d, time.Date(d.Year, d.Month, d.Day, 21, 0, 0, 0, time.UTC), 1, "What made you smile?", text)
	if keyDir != "" {
		id, err := sealKey(keyDir)
		if err != nil {
			t.Fatal(err)
		}
		if err := journal.SealAnswer(e, id.Recipient()); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// A sync reveals, after the first, only what changed since the last
// reveal that left nothing due (the reveal mark): the answers that arrived
// since are found, what was due and refused is said again, and a mark of
// a commit that is gone falls back to reading every answer.
func TestRevealSinceMark(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	j, err := tj.open(false)
	if err != nil {
		t.Fatal(err)
	}
	j.KeyDir = t.TempDir()
	sig := gitsync.Signature{Name: "sam", Email: "sam@reconnect.local", When: challengeNow}
	reveal := func(want bool) {
		t.Helper()
		got, err := revealAnswers(ctx, j, "sam", sig)
		if err != nil || got != want {
			t.Fatalf("revealAnswers = %v, %v; want %v", got, err, want)
		}
	}
	markIsHead := func() {
		t.Helper()
		mark, ok := readRevealMark(j, "sam")
		head, _ := j.Repo.Head()
		if !ok || mark != head {
			t.Fatalf("the reveal mark is %v (%v), want main's %v", mark, ok, head)
		}
	}
	sealed := func(n int) bool {
		t.Helper()
		e, err := j.Store.Read(journal.PathFor(answerOf(t, "sam", n, "", ""), nil))
		if err != nil {
			t.Fatal(err)
		}
		return journal.IsSealed(e)
	}

	// Day 1: Sam alone has answered; nothing is due, and the mark says so.
	commitAnswers(t, j, answerOf(t, "sam", 1, "The walk", j.KeyDir))
	reveal(false)
	markIsHead()

	// Alex's answer arrives: found by what changed since the mark.
	commitAnswers(t, j, answerOf(t, "alex", 1, "Cooking", ""))
	reveal(true)
	if sealed(1) {
		t.Fatal("day 1 still sealed")
	}
	markIsHead()

	// Sam's answer of day 2 comes from Sam's other computer after Alex's.
	commitAnswers(t, j, answerOf(t, "alex", 2, "Tea", ""))
	reveal(false)
	commitAnswers(t, j, answerOf(t, "sam", 2, "Rain", j.KeyDir))
	reveal(true)
	if sealed(2) {
		t.Fatal("day 2 still sealed")
	}

	// A mark of a commit this repository does not hold: every answer is
	// read.
	commitAnswers(t, j, answerOf(t, "sam", 3, "Music", j.KeyDir), answerOf(t, "alex", 3, "Books", ""))
	if err := os.WriteFile(revealMarkPath(j, "sam"), []byte(strings.Repeat("ab", 20)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	reveal(true)
	if sealed(3) {
		t.Fatal("day 3 still sealed")
	}
	markIsHead()

	// A copy of a sealed answer to another day is refused, and the mark
	// stays where it was, so that the next sync says so again.
	commitAnswers(t, j, answerOf(t, "sam", 4, "Stars", j.KeyDir))
	reveal(false)
	before, _ := readRevealMark(j, "sam")
	copied := answerOf(t, "sam", 4, "", "")
	copied.Path = journal.PathFor(copied, nil)
	e, err := j.Store.Read(copied.Path)
	if err != nil {
		t.Fatal(err)
	}
	replay, err := journal.Parse(strings.ReplaceAll(e.Path, revealDay(4).String(), revealDay(5).String()),
		[]byte(strings.ReplaceAll(string(e.Render()), revealDay(4).String(), revealDay(5).String())))
	if err != nil {
		t.Fatal(err)
	}
	commitAnswers(t, j, replay, answerOf(t, "alex", 5, "Snow", ""))
	for range 2 {
		if _, err := revealAnswers(ctx, j, "sam", sig); err == nil || !strings.Contains(err.Error(), "was not revealed") {
			t.Fatalf("revealAnswers of a copy = %v, want it refused", err)
		}
		if mark, _ := readRevealMark(j, "sam"); mark != before {
			t.Fatalf("the mark moved past a refused reveal: %v, was %v", mark, before)
		}
	}
}
