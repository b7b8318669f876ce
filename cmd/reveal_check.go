package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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
// in the reveal ledger, .git/reconnect-reveals/ (this machine's, never
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
//   - changed (anything else: a reveal that changed the text, an answer
//     sealed again after its author could read the partner's and before
//     its reveal, a commitment recomputed in the file, a hand edit):
//     "⚠ Alex's answer does not match what was sealed" above it, and
//     reveal: changed in --json.
//
// In --json the entry views (show, log, search, export, news) have
// reveal among the entry's fields; ask and today a map "reveal" of
// author to "edited" or "changed". An answer file never sealed in the
// history (written plain, or by hand, or not yet committed), or whose
// name is not reconnect's (the ledger follows the files named
// YYYY-MM-DD-answer-…), is held to its own commitment.

// revealLedger is what main's history says of the answer files that were
// sealed at least once, up to a commit. On disk it is a folder,
// .git/reconnect-reveals/: head (the commit) and a shard a month,
// YYYY-MM.json (other.json for files outside a month's folder), each a
// JSON object of path to [journal.AnswerHistory], so that a view reads the
// months of the answers it shows, not 25 years of them.
type revealLedger struct {
	dir    string
	shards map[string]map[string]*journal.AnswerHistory // by shard name, read when first asked for
	dirty  map[string]bool
	broken bool // a shard could not be read
}

func revealLedgerPath(j *Journal) string {
	return filepath.Join(j.Dir, ".git", "reconnect-reveals")
}

// ledgerShard is the name of the shard a path's history is kept in.
func ledgerShard(p string) string {
	digits := func(s string) bool {
		for _, r := range s {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	if len(p) > 8 && p[4] == '/' && p[7] == '/' && digits(p[:4]) && digits(p[5:7]) {
		return p[:4] + "-" + p[5:7]
	}
	return "other"
}

// isAnswerName reports whether the path is named as reconnect names
// answers.
func isAnswerName(p string) bool {
	base := p[strings.LastIndexByte(p, '/')+1:]
	return strings.HasSuffix(base, ".md") && len(base) > 11 && strings.HasPrefix(base[10:], "-"+string(journal.KindAnswer)+"-")
}

// history is the history of the answer file at p; nil when it was never
// sealed.
func (l *revealLedger) history(p string) *journal.AnswerHistory {
	return l.shard(ledgerShard(p))[p]
}

// shard is the shard named name, read the first time: a missing one is
// empty (no answer of that month was sealed); one that cannot be read
// marks the ledger broken, to be read again from the whole history.
func (l *revealLedger) shard(name string) map[string]*journal.AnswerHistory {
	if m, ok := l.shards[name]; ok {
		return m
	}
	m := map[string]*journal.AnswerHistory{}
	data, err := os.ReadFile(filepath.Join(l.dir, name+".json"))
	switch {
	case err == nil:
		if json.Unmarshal(data, &m) != nil || m == nil {
			m = map[string]*journal.AnswerHistory{}
			l.broken = true
		}
	case !errors.Is(err, fs.ErrNotExist):
		l.broken = true
	}
	l.shards[name] = m
	return m
}

// readRevealLedger is the ledger brought up to main: from the commits new
// since its head (all of them, the first time or when its head is gone),
// the shards it changed written back, then its head. Folding a version
// twice changes nothing, so a ledger whose head was not written (a crash,
// a full disk) is only walked again.
func readRevealLedger(ctx context.Context, j *Journal) (*revealLedger, error) {
	l := &revealLedger{dir: revealLedgerPath(j), shards: map[string]map[string]*journal.AnswerHistory{}, dirty: map[string]bool{}}
	var from plumbing.Hash
	if data, err := os.ReadFile(filepath.Join(l.dir, "head")); err == nil {
		if h := strings.TrimSpace(string(data)); plumbing.IsHash(h) {
			from = plumbing.NewHash(h)
		}
	}
	if from.IsZero() {
		l.reset()
	}
	head, err := j.Repo.VersionsSince(ctx, from, isAnswerName, l.add)
	if errors.Is(err, gitsync.ErrUnknownCommit) {
		l.reset()
		from = plumbing.ZeroHash
		head, err = j.Repo.VersionsSince(ctx, from, isAnswerName, l.add)
	}
	if err != nil {
		return nil, err
	}
	if head == from {
		return l, nil
	}
	// Unwritten, the ledger is only read again from history next time.
	if os.MkdirAll(l.dir, fsutil.DirMode) != nil {
		return l, nil
	}
	for name := range l.dirty {
		data, err := json.Marshal(l.shards[name])
		if err != nil || fsutil.WriteFile(filepath.Join(l.dir, name+".json"), data, fsutil.FileMode) != nil {
			return l, nil
		}
	}
	_ = fsutil.WriteFile(filepath.Join(l.dir, "head"), []byte(head.String()+"\n"), fsutil.FileMode)
	return l, nil
}

// reset empties the ledger, on disk too: it is read again from the whole
// history.
func (l *revealLedger) reset() {
	_ = os.RemoveAll(l.dir)
	l.shards = map[string]map[string]*journal.AnswerHistory{}
	l.dirty = map[string]bool{}
	l.broken = false
}

// add folds version v of an answer file into its history
// ([journal.AnswerHistory]); a file is recorded from its first seal on.
func (l *revealLedger) add(v gitsync.FileVersion) error {
	name := ledgerShard(v.Path)
	h := l.shard(name)[v.Path]
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
		l.shards[name][v.Path] = h
	}
	h.Add(e)
	l.dirty[name] = true
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
	h := c.ledger.history(e.Path)
	if c.ledger.broken {
		// A shard that cannot be read: the whole ledger is read again.
		c.ledger.reset()
		if c.ledger, c.err = readRevealLedger(c.ctx, c.j); c.ledger == nil {
			return journal.CheckReveal(e, journal.AnswerHistory{})
		}
		h = c.ledger.history(e.Path)
	}
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
