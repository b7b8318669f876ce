package sync

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// Rollback. Every push to an encrypted remote counts (the head's N), and
// this machine remembers the highest push it has seen on the remote or
// sent there, with the journal's main that push named ([sealedSeen], in
// the local copy's folder). A fetch that opens a head with a lower count,
// or the same count naming another main, is refused with a
// [RollbackError] before anything of it is applied: the host restored an
// older copy of the remote, or is hiding pushes that came after. A push
// continues the counter above both the remote's and the remembered one, so
// that it climbs through compactions, through a move to another encrypted
// remote ('reconnect remote --encrypt') and through a rollback the user
// accepted ([Seal.AcceptRollback]).

// ErrRollback: the encrypted remote is at an earlier state than one this
// machine saw there (or sent there). Nothing of it was applied, and
// nothing was sent.
var ErrRollback = errors.New("the encrypted remote went back to an earlier state")

// RollbackError is a fetch refused by the rollback check: the remote is
// at push At, this machine saw push Saw there (naming main SawMain). It
// wraps [ErrRollback].
type RollbackError struct {
	Remote  string
	At, Saw uint64
	SawMain string
}

func (e *RollbackError) Error() string {
	at := fmt.Sprintf("it is at push #%d, this machine saw push #%d there", e.At, e.Saw)
	if e.At == e.Saw {
		at = fmt.Sprintf("it is at a push #%d other than the push #%d this machine saw there", e.At, e.Saw)
	}
	return fmt.Sprintf("%v: %s (journal commit %s): the host restored an old copy of it, or is hiding newer pushes; nothing of it was applied, and nothing was sent",
		ErrRollback, at, shortString(e.SawMain))
}

func (e *RollbackError) Unwrap() error { return ErrRollback }

func shortString(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// sealedSeenName is the file, in the local copy's folder, of the highest
// push this machine has seen on the encrypted remote.
const sealedSeenName = "seen.json"

// sealedSeen is the highest push this machine has seen on an encrypted
// remote or sent there: its count, the journal's main it named, and which
// remote (its address, as [remoteEnd.String] gives it). A count seen on
// another remote is compared with nothing, but a push still counts above
// it.
type sealedSeen struct {
	Remote string `json:"remote"`
	N      uint64 `json:"n"`
	Main   string `json:"main"`
}

func (s *sealedRemote) seenPath() string { return filepath.Join(s.dir, sealedSeenName) }

// seen reads what this machine remembers; a missing or unreadable file is
// nothing seen (it is written whole or not at all).
func (s *sealedRemote) seen() sealedSeen {
	var seen sealedSeen
	if b, err := os.ReadFile(s.seenPath()); err == nil {
		if json.Unmarshal(b, &seen) != nil {
			return sealedSeen{}
		}
	}
	return seen
}

// behind reports whether the head rec is older than what seen remembers
// of this remote: a lower count, or the same count naming another main.
func (s *sealedRemote) behind(rec sealedHead, seen sealedSeen) bool {
	if seen.Remote != s.String() || seen.N == 0 {
		return false
	}
	return rec.N < seen.N || rec.N == seen.N && rec.Main != seen.Main
}

// checkRollback refuses the head rec when it is older than what this
// machine saw, unless the seal accepts a rollback.
func (s *sealedRemote) checkRollback(rec sealedHead) error {
	seen := s.seen()
	if !s.behind(rec, seen) || s.seal.AcceptRollback {
		return nil
	}
	return &RollbackError{Remote: s.String(), At: rec.N, Saw: seen.N, SawMain: seen.Main}
}

// saw remembers rec, the head just fetched or pushed, when it is newer
// than what is remembered (or of another remote); the file is replaced
// whole.
func (s *sealedRemote) saw(rec sealedHead) error {
	seen := s.seen()
	if seen.Remote == s.String() && rec.N <= seen.N {
		return nil
	}
	b, err := json.Marshal(sealedSeen{Remote: s.String(), N: rec.N, Main: rec.Main})
	if err != nil {
		return err
	}
	if err := fsutil.WriteFile(s.seenPath(), b, fsutil.FileMode); err != nil {
		return fmt.Errorf("remember the encrypted remote's push #%d: %w", rec.N, err)
	}
	return nil
}

// nextN is the count of the next push: above the remote's and above any
// this machine saw.
func (s *sealedRemote) nextN() uint64 {
	return max(s.rec.N, s.seen().N) + 1
}
