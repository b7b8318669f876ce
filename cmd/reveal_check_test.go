package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/gittest"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// revealPartner is one partner's clone in the two-journal reveal test.
type revealPartner struct {
	t   *testing.T
	who string
	j   *Journal
}

func (p *revealPartner) sync() {
	p.t.Helper()
	opt := gitsync.Options{Signature: sig(p.who), MergeFile: journal.MergeFiles, EntryAuthor: journal.Owner,
		AuthorName: journal.AuthorName, WrittenBy: journal.WrittenBy}
	if _, err := p.j.Repo.Sync(context.Background(), opt); err != nil {
		p.t.Fatalf("%s: sync: %v", p.who, err)
	}
}

func (p *revealPartner) commit(e *journal.Entry) {
	p.t.Helper()
	if _, err := p.j.Repo.Commit("answer", sig(p.who), changeFor(e)); err != nil {
		p.t.Fatalf("%s: commit: %v", p.who, err)
	}
}

// reveal is what Sam's sync does after the merge: reveal what is due,
// and send it.
func (p *revealPartner) reveal() {
	p.t.Helper()
	if _, err := revealAnswers(context.Background(), p.j, p.who, sig(p.who)); err != nil {
		p.t.Fatalf("%s: reveal: %v", p.who, err)
	}
	p.sync()
}

// sees is how p's views show the partner's answer of revealDay(1): the
// text show prints, its field reveal, and ask's reveal field.
func (p *revealPartner) sees(author string) (text, field, ask string) {
	p.t.Helper()
	day := revealDay(1)
	entries, _, err := listShown(p.j, journal.Query{Since: day, Until: day, Kinds: []journal.Kind{journal.KindAnswer}}, p.who)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Author == author {
			text = sectionText(e)
			field, _ = e.Field(journal.FieldReveal)
		}
	}
	v, err := questionDay(p.j, p.who, day, nil, func([]error) {})
	if err != nil {
		p.t.Fatal(err)
	}
	if v.Answers[author] != text {
		p.t.Errorf("ask shows %q, show %q", v.Answers[author], text)
	}
	return text, field, v.Reveal[author]
}

// Two journals and a remote: Alex's views hold Sam's revealed answer to
// the commitment it was first sealed with. A hand edit after the reveal
// that recomputes the commitment in the file is shown as not matching; an
// edit through reconnect (sealed again, revealed again) as edited after
// both answers were revealed.
func TestRevealCheckedAgainstFirstSeal(t *testing.T) {
	ctx := context.Background()
	remote := gittest.Bare(t)
	samDir := filepath.Join(t.TempDir(), "sam")
	repo, err := gitsync.Init(samDir, sig("sam"), "journal: start", gitsync.Change{Path: journalMarker, Data: []byte(journalSettings)})
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	sam := &revealPartner{t: t, who: "sam", j: &Journal{Dir: samDir, Repo: repo, Store: journal.Store{Root: samDir}, KeyDir: t.TempDir()}}
	sam.sync()
	alexDir := filepath.Join(t.TempDir(), "alex")
	arepo, err := gitsync.Clone(ctx, remote, alexDir, gitsync.Auth{})
	if err != nil {
		t.Fatal(err)
	}
	alex := &revealPartner{t: t, who: "alex", j: &Journal{Dir: alexDir, Repo: arepo, Store: journal.Store{Root: alexDir}, KeyDir: t.TempDir()}}

	// Sam answers, sealed; Alex answers; Sam's computer reveals.
	mine := answerOf(t, "sam", 1, "The walk after dinner", sam.j.KeyDir)
	mine.Path = journal.PathFor(mine, nil)
	sam.commit(mine)
	sam.sync()
	alex.sync()
	theirs := answerOf(t, "alex", 1, "Cooking together", "")
	theirs.Path = journal.PathFor(theirs, nil)
	alex.commit(theirs)
	alex.sync()
	sam.sync()
	sam.reveal()
	alex.sync()
	if text, field, ask := alex.sees("sam"); text != "The walk after dinner" || field != "" || ask != "" {
		t.Fatalf("after the reveal Alex sees %q (reveal %q, ask %q)", text, field, ask)
	}

	// Sam changes the revealed answer by hand, the commitment in the file
	// recomputed for the new text: it passes its own commitment, not the
	// first seal's.
	e, err := sam.j.Store.Read(mine.Path)
	if err != nil {
		t.Fatal(err)
	}
	salt, _ := e.Field(journal.FieldSalt)
	e.SetSection("", "Something kinder")
	e.SetField(journal.FieldCommit, journal.Commitment(salt, "Something kinder"))
	if journal.CheckRevealed(e) != nil {
		t.Fatal("the forged file does not pass its own commitment: the test proves nothing")
	}
	sam.commit(e)
	sam.sync()
	alex.sync()
	text, field, ask := alex.sees("sam")
	if field != string(journal.RevealChanged) || ask != field || !strings.HasPrefix(text, mismatchNote("sam")) || !strings.Contains(text, "Something kinder") {
		t.Fatalf("after the forged edit Alex sees %q (reveal %q, ask %q)", text, field, ask)
	}

	// The ledger is a file a month and a head; deleted, or with a head
	// this clone does not hold, it is read again from the whole history,
	// and says the same.
	ledger := revealLedgerPath(alex.j)
	for _, name := range []string{"head", "2026-11.json"} {
		if _, err := os.Stat(filepath.Join(ledger, name)); err != nil {
			t.Fatalf("the ledger: %v", err)
		}
	}
	for _, spoil := range []func() error{
		func() error { return os.RemoveAll(ledger) },
		func() error {
			return os.WriteFile(filepath.Join(ledger, "head"), []byte(strings.Repeat("ab", 20)+"\n"), 0o600)
		},
		func() error { return os.WriteFile(filepath.Join(ledger, "2026-11.json"), []byte("{broken"), 0o600) },
	} {
		if err := spoil(); err != nil {
			t.Fatal(err)
		}
		if _, field, _ := alex.sees("sam"); field != string(journal.RevealChanged) {
			t.Fatalf("with the ledger spoiled Alex sees reveal %q", field)
		}
	}

	// Sam edits through reconnect: the answer sealed again, then revealed
	// again with its new commitment.
	if e, err = sam.j.Store.Read(mine.Path); err != nil {
		t.Fatal(err)
	}
	e.SetSection("", "The walk, and the talk on the way back")
	id, err := sealKey(sam.j.KeyDir)
	if err != nil {
		t.Fatal(err)
	}
	if err := journal.SealAnswer(e, id.Recipient()); err != nil {
		t.Fatal(err)
	}
	sam.commit(e)
	sam.reveal()
	alex.sync()
	text, field, ask = alex.sees("sam")
	if field != string(journal.RevealEdited) || ask != field || !strings.HasPrefix(text, editedNote("sam")) || !strings.Contains(text, "the talk on the way back") {
		t.Fatalf("after an edit through reconnect Alex sees %q (reveal %q, ask %q)", text, field, ask)
	}
}
