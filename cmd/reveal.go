package cmd

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"filippo.io/age"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"

	"github.com/reconnect-app/reconnect/internal/keys"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// Sealed answers (journal/answer_seal.go): your answer to the question of
// the day is written encrypted to your own key, so that your partner can
// read it neither with reconnect nor with cat or git until they have
// answered that day too. This file opens your own sealed answers for your
// views, and reveals them — rewrites them plain, with the salt of their
// commitment — once your partner's answer for that day has arrived: after
// each sync, and before 'ask' and 'today' read the journal.

// sealKey is the key your answers are sealed to: the answer key, made on
// this machine when there is none yet (so sealing works on a plain remote
// too), never the remote's key, which an invitation may have carried (the
// partner who made it saw its code); keyDir "" is no key.
func sealKey(keyDir string) (*age.X25519Identity, error) {
	if keyDir == "" {
		return nil, keys.ErrNoIdentity
	}
	return keys.LoadOrCreateAnswer(keyDir)
}

// openKey opens your sealed answers: with the answer key, or the remote's
// key for answers sealed before there was an answer key; an error when
// this machine has neither.
func openKey(keyDir string) (age.Identity, error) {
	if keyDir == "" {
		return nil, keys.ErrNoIdentity
	}
	var ids eitherKey
	ans, err := keys.LoadAnswer(keyDir)
	switch {
	case err == nil:
		ids = append(ids, ans)
	case !errors.Is(err, keys.ErrNoIdentity):
		return nil, err
	}
	own, err := keys.Load(keyDir)
	switch {
	case err == nil:
		ids = append(ids, own)
	case !errors.Is(err, keys.ErrNoIdentity):
		return nil, err
	}
	if len(ids) == 0 {
		return nil, keys.ErrNoIdentity
	}
	return ids, nil
}

// eitherKey opens what any of its keys opens.
type eitherKey []age.Identity

func (k eitherKey) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, id := range k {
		b, err := id.Unwrap(stanzas)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			continue
		}
		return b, err
	}
	return nil, age.ErrIncorrectIdentity
}

// sectionText is e's text.
func sectionText(e *journal.Entry) string {
	t, _ := e.Section("")
	return t
}

// withEntryText is a copy of e with text as its text (the entry read from
// the store is never changed in place).
func withEntryText(e *journal.Entry, text string) *journal.Entry {
	c, err := journal.Parse(e.Path, e.Render())
	if err != nil {
		c = e
	}
	c.Path = e.Path
	c.SetSection("", text)
	return c
}

// mismatchNote is the warning shown above a revealed answer whose text is
// not the one its author sealed.
func mismatchNote(author string) string {
	return fmt.Sprintf("⚠ %s's answer does not match what was sealed", displayName(author))
}

// openSealed is the text of the sealed answer e when this machine's key
// opens it (a mismatch with its commitment noted above it).
func openSealed(keyDir string, e *journal.Entry) (string, bool) {
	id, err := openKey(keyDir)
	if err != nil {
		return "", false
	}
	text, _, err := journal.OpenAnswer(e, id)
	switch {
	case errors.Is(err, journal.ErrCommitMismatch):
		return mismatchNote(e.Author) + "\n\n" + text, true
	case err != nil:
		return "", false
	}
	return text, true
}

// openedAnswer is your sealed answer e with its text opened.
func openedAnswer(j *Journal, e *journal.Entry) *journal.Entry {
	text, ok := openSealed(j.KeyDir, e)
	if !ok {
		text = unopenedNote
	}
	return withEntryText(e, text)
}

// unopenedNote stands for your own sealed answer on a computer without
// the key it was sealed with.
const unopenedNote = "(your sealed answer cannot be opened on this computer: it holds another key)"

// revealDue is who's sealed answers whose day has an answer by someone
// else too. A sync runs it every time, so it looks only at what changed
// since the last reveal that left nothing due ([revealMark]): the days of
// the answers that arrived or changed since, found by a diff of two trees.
// Without a mark (a first sync, a mark of a commit that is gone) it reads
// all of who's answers ([revealDueAll]).
func revealDue(ctx context.Context, j *Journal, who string) ([]*journal.Entry, error) {
	mark, ok := readRevealMark(j, who)
	if !ok || j.Repo == nil {
		return revealDueAll(j, who)
	}
	paths, err := j.Repo.ChangedSince(ctx, mark)
	if errors.Is(err, gitsync.ErrUnknownCommit) {
		return revealDueAll(j, who)
	}
	if err != nil {
		return nil, err
	}
	days := map[civil.Date]bool{}
	for _, p := range paths {
		e, err := j.Store.Read(p)
		if err != nil {
			continue // gone, or not an entry: nothing to reveal for it
		}
		if e.Kind == journal.KindAnswer {
			days[e.Date] = true
		}
	}
	var due []*journal.Entry
	for _, d := range slices.SortedFunc(maps.Keys(days), civil.Date.Compare) {
		day, _, err := j.Store.List(journal.Query{Since: d, Until: d, Kinds: []journal.Kind{journal.KindAnswer}})
		if err != nil {
			return nil, err
		}
		for _, e := range day {
			if e.Author == who && journal.RevealDue(e, day) {
				due = append(due, e)
			}
		}
	}
	return due, nil
}

// revealDueAll is [revealDue] over the whole journal: it reads who's
// sealed answers first (their ciphertext lets the read skip the others
// undecoded), then only those days.
func revealDueAll(j *Journal, who string) ([]*journal.Entry, error) {
	mine, _, err := j.Store.List(journal.Query{Kinds: []journal.Kind{journal.KindAnswer}, Authors: []string{who},
		MayHold: func(text string) bool { return strings.Contains(text, "BEGIN AGE ENCRYPTED FILE") }})
	if err != nil {
		return nil, err
	}
	var due []*journal.Entry
	for _, e := range mine {
		if !journal.IsSealed(e) {
			continue
		}
		day, _, err := j.Store.List(journal.Query{Since: e.Date, Until: e.Date, Kinds: []journal.Kind{journal.KindAnswer}})
		if err != nil {
			return nil, err
		}
		if journal.RevealDue(e, day) {
			due = append(due, e)
		}
	}
	return due, nil
}

// revealMarkPath is who's reveal mark: main's commit when a reveal last
// left nothing of who's due behind (every answer then due revealed, none
// refused). It is this machine's, never synced.
func revealMarkPath(j *Journal, who string) string {
	return filepath.Join(j.Dir, ".git", "reconnect-revealed-"+who)
}

// readRevealMark is who's reveal mark; false when there is none to trust.
func readRevealMark(j *Journal, who string) (plumbing.Hash, bool) {
	data, err := os.ReadFile(revealMarkPath(j, who))
	if err != nil {
		return plumbing.ZeroHash, false
	}
	s := strings.TrimSpace(string(data))
	if len(s) != 40 || !plumbing.IsHash(s) {
		return plumbing.ZeroHash, false
	}
	return plumbing.NewHash(s), true
}

// markRevealed records main's commit as who's reveal mark; a mark that
// cannot be written only makes the next reveal read everything.
func markRevealed(j *Journal, who string) {
	if j.Repo == nil {
		return
	}
	h, err := j.Repo.Head()
	if err != nil || h.IsZero() {
		return
	}
	_ = fsutil.WriteFile(revealMarkPath(j, who), []byte(h.String()+"\n"), fsutil.FileMode)
}

// revealAnswers rewrites, in one commit as who, who's sealed answers whose
// day your partner has answered too, plain (the caller holds the lock).
// It reports whether it committed anything.
func revealAnswers(ctx context.Context, j *Journal, who string, sig gitsync.Signature) (bool, error) {
	if who == "" {
		return false, nil
	}
	due, err := revealDue(ctx, j, who)
	if err != nil {
		return false, err
	}
	if len(due) == 0 {
		markRevealed(j, who)
		return false, nil
	}
	id, err := openKey(j.KeyDir)
	if err != nil {
		return false, fmt.Errorf("reveal your sealed answers: %w", err)
	}
	var changes []gitsync.Change
	var refused []error
	for _, e := range due {
		c, err := journal.Parse(e.Path, e.Render())
		if err != nil {
			return false, err
		}
		c.Path = e.Path
		err = journal.RevealAnswer(c, id)
		if errors.Is(err, journal.ErrSealedElsewhere) {
			// A copy of a sealed answer to another day: never revealed;
			// the others are.
			refused = append(refused, fmt.Errorf("your answer of %s was not revealed: %w (%s)", e.Date, err, e.Path))
			continue
		}
		if err != nil {
			return false, fmt.Errorf("reveal your answer of %s: %w", e.Date, err)
		}
		changes = append(changes, changeFor(c))
	}
	if len(changes) == 0 {
		return false, errors.Join(refused...)
	}
	msg := fmt.Sprintf("answer: %s reveals %s", who, plural(len(changes), "sealed answer"))
	if _, err := j.Repo.Commit(msg, sig, changes...); err != nil && !errors.Is(err, gitsync.ErrNoChange) {
		return false, fmt.Errorf("commit %q: %w", msg, err)
	}
	if len(refused) == 0 {
		markRevealed(j, who) // a refusal is said again at each sync
	}
	return true, errors.Join(refused...)
}

// revealAndSend is what a sync does once it has succeeded (res): it
// reveals who's sealed answers whose day the partner has answered too, and
// sends the reveal at once; when that second sync fails, the next one
// sends it. The result is res with what the second one sent.
func (s *syncer) revealAndSend(ctx context.Context, j *Journal, who string, opt gitsync.Options, res gitsync.Result) gitsync.Result {
	revealed, err := revealAnswers(ctx, j, who, opt.Signature)
	if err != nil {
		s.IO.Errorf("reconnect: %s\n", oneLine(err.Error()))
	}
	if !revealed {
		return res
	}
	again, err := j.Repo.Sync(ctx, opt)
	if err != nil {
		return res
	}
	sealedSynced(j, opt, again)
	return withSecondSync(res, again)
}

// withSecondSync is res followed by again, a sync that sent what the
// first one's outcome wrote (a reveal, a re-encryption): one result, as
// the user reads it.
func withSecondSync(res, again gitsync.Result) gitsync.Result {
	res.Pushed += again.Pushed
	res.Pulled += again.Pulled
	switch {
	case again.Pushed == 0:
	case res.State == gitsync.StateUpToDate:
		res.State = gitsync.StatePushed
	case res.State == gitsync.StatePulled:
		res.State = gitsync.StateMerged // taken in, and sent
	}
	return res
}
