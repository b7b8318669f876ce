package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// The check of a partner's revealed answer (journal.CheckReveal) holds it
// to the commitment of the first sealed version of its file, as the
// journal's history has it, not to the commitment the file carries now:
// an author who changes a revealed answer and recomputes the commitment in
// the file is caught. What the history says of every answer file is kept
// in the reveal ledger, .git/reconnect-reveals.json (this machine's, never
// synced, safe to delete), brought up to date from the commits that are
// new since it was last, so that a view pays for what is new, not for the
// age of the journal.
//
// What a view shows of a partner's answer, by what the check found:
//   - kept (the text is the one first sealed): the answer, nothing more;
//   - edited (revealed as sealed, then changed by its author through
//     reconnect, which seals it again and reveals it again with a new
//     commitment): "✎ Alex edited this answer after both answers were
//     revealed" above it, and reveal: edited among its fields in --json;
//   - changed (the text is not the one first sealed, and that one was
//     never revealed: a reveal that changed it, a commitment recomputed,
//     a file edited by hand): "⚠ Alex's answer does not match what was
//     sealed" above it, and reveal: changed in --json.
//
// An answer file never sealed in the history (written plain, or by hand,
// or not yet committed), or whose name is not reconnect's (the ledger follows the files
// named YYYY-MM-DD-answer-…), is held to its own commitment.

// revealLedger is what main's history says of the answer files, up to
// Head: the answer files sealed at least once, by path.
type revealLedger struct {
	Head    string                            `json:"head"`
	Answers map[string]*journal.AnswerHistory `json:"answers"`
}

func revealLedgerPath(j *Journal) string {
	return filepath.Join(j.Dir, ".git", "reconnect-reveals.json")
}

// isAnswerName reports whether the path is named as reconnect names
// answers.
func isAnswerName(p string) bool {
	base := p[strings.LastIndexByte(p, '/')+1:]
	return strings.HasSuffix(base, ".md") && len(base) > 11 && strings.HasPrefix(base[10:], "-"+string(journal.KindAnswer)+"-")
}

// readRevealLedger is the ledger brought up to main: from the commits new
// since it was written (all of them, the first time or when its head is
// gone), written back when it moved.
func readRevealLedger(ctx context.Context, j *Journal) (*revealLedger, error) {
	l := &revealLedger{Answers: map[string]*journal.AnswerHistory{}}
	if data, err := os.ReadFile(revealLedgerPath(j)); err == nil {
		if json.Unmarshal(data, l) != nil || l.Answers == nil {
			l = &revealLedger{Answers: map[string]*journal.AnswerHistory{}} // a broken ledger is read again from history
		}
	}
	var from plumbing.Hash
	if plumbing.IsHash(l.Head) {
		from = plumbing.NewHash(l.Head)
	}
	head, err := j.Repo.VersionsSince(ctx, from, isAnswerName, l.add)
	if errors.Is(err, gitsync.ErrUnknownCommit) {
		l = &revealLedger{Answers: map[string]*journal.AnswerHistory{}}
		head, err = j.Repo.VersionsSince(ctx, plumbing.ZeroHash, isAnswerName, l.add)
	}
	if err != nil {
		return nil, err
	}
	if head.String() != l.Head {
		l.Head = head.String()
		if data, err := json.Marshal(l); err == nil {
			_ = fsutil.WriteFile(revealLedgerPath(j), data, fsutil.FileMode) // unwritten: read again next time
		}
	}
	return l, nil
}

// add folds version v of an answer file into its history
// ([journal.AnswerHistory]); a file is recorded from its first seal on.
func (l *revealLedger) add(v gitsync.FileVersion) error {
	h := l.Answers[v.Path]
	sealed := bytes.Contains(v.Data, []byte("BEGIN AGE ENCRYPTED FILE"))
	if !sealed && (h == nil || h.Revealed) {
		return nil // nothing it could change: parsed only when it may
	}
	e, err := journal.Parse(v.Path, v.Data)
	if err != nil || e.Kind != journal.KindAnswer {
		return nil
	}
	if h == nil {
		if !journal.IsSealed(e) {
			return nil
		}
		h = &journal.AnswerHistory{}
		l.Answers[v.Path] = h
	}
	h.Add(e)
	return nil
}

// revealChecker checks the revealed answers of one view, reading the
// ledger once, when the first answer needs it.
type revealChecker struct {
	ctx    context.Context
	j      *Journal
	ledger *revealLedger
	err    error
}

func newRevealChecker(ctx context.Context, j *Journal) *revealChecker {
	return &revealChecker{ctx: ctx, j: j}
}

// check is what the check of e found ([journal.CheckReveal]). Without
// the history (no repository, or one that cannot be read), e is held to
// its own commitment.
func (c *revealChecker) check(e *journal.Entry) journal.RevealCheck {
	if _, ok := e.Field(journal.FieldCommit); !ok || e.Kind != journal.KindAnswer || journal.IsSealed(e) {
		return journal.RevealKept
	}
	if c.ledger == nil && c.err == nil && c.j != nil && c.j.Repo != nil {
		c.ledger, c.err = readRevealLedger(c.ctx, c.j)
	}
	if c.ledger == nil {
		return journal.CheckReveal(e, journal.AnswerHistory{})
	}
	h := c.ledger.Answers[e.Path]
	if h == nil {
		return journal.CheckReveal(e, journal.AnswerHistory{})
	}
	return journal.CheckReveal(e, *h)
}

// note is the line a view shows above a partner's answer whose check
// found r, "" for none.
func revealNote(author string, r journal.RevealCheck) string {
	switch r {
	case journal.RevealEdited:
		return editedNote(author)
	case journal.RevealChanged:
		return mismatchNote(author)
	}
	return ""
}

// editedNote is the line shown above an answer its author edited after
// both answers were revealed.
func editedNote(author string) string {
	return fmt.Sprintf("✎ %s edited this answer after both answers were revealed", displayName(author))
}

// checkedAnswer is a copy of e, a partner's answer, with the note of its
// check above its text and the field reveal set; e itself when it passes.
func (c *revealChecker) checkedAnswer(e *journal.Entry) *journal.Entry {
	r := c.check(e)
	if r == journal.RevealKept {
		return e
	}
	out := withEntryText(e, revealNote(e.Author, r)+"\n\n"+sectionText(e))
	out.SetField(journal.FieldReveal, string(r))
	return out
}

// checkNews sets, on copies, the field reveal of the partner's revealed
// answers among items whose check against their first seal did not pass
// ([journal.FieldReveal]): renderNews says so above the text, and --json
// has it among the entry's fields.
func checkNews(ctx context.Context, j *Journal, items []journal.NewsItem) {
	chk := newRevealChecker(ctx, j)
	for i, it := range items {
		if it.Entry == nil || it.Entry.Kind != journal.KindAnswer {
			continue
		}
		if r := chk.check(it.Entry); r != journal.RevealKept {
			c := withEntryText(it.Entry, sectionText(it.Entry))
			c.SetField(journal.FieldReveal, string(r))
			items[i].Entry = c
		}
	}
}
