package sync

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// pushDue reports whether Sync pushes to end even with nothing new to
// send: a compaction asked for ([compactDue]); a rollback accepted, whose
// push takes the remote past the count this machine saw (rollback.go); or
// an invitation [Seal.Drop] names still on the remote (one used, or one
// expired), which then goes at once rather than at the next write.
func pushDue(end remoteEnd, main plumbing.Hash) bool {
	if compactDue(end, main) {
		return true
	}
	s, ok := end.(*sealedRemote)
	if !ok || !s.fetched || s.tip.IsZero() || s.rec.Main != main.String() {
		return false
	}
	return s.behind(s.rec, s.seen()) || s.dropDue()
}

// dropDue reports whether the remote's tree holds an invitation that
// Seal.Drop names.
func (s *sealedRemote) dropDue() bool { return len(s.dropsOnRemote()) > 0 }

// dropsOnRemote are the invitations Seal.Drop names that the remote's tree
// (as last fetched) holds.
func (s *sealedRemote) dropsOnRemote() []string {
	if len(s.seal.Drop) == 0 || s.tip.IsZero() {
		return nil
	}
	c, err := object.GetCommit(s.store, s.tip)
	if err != nil {
		return nil
	}
	t, err := c.Tree()
	if err != nil {
		return nil
	}
	e, err := t.FindEntry("invites")
	if err != nil || e.Mode != filemode.Dir {
		return nil
	}
	it, err := object.GetTree(s.store, e.Hash)
	if err != nil {
		return nil
	}
	var on []string
	for _, ie := range it.Entries {
		for _, d := range s.seal.Drop {
			if ie.Name == d {
				on = append(on, d)
			}
		}
	}
	return on
}
