package sync

import (
	"bytes"
	"context"
	"testing"

	"filippo.io/age"
)

// A partner who wrote in a journal of their own joins the encrypted
// remote: JoinMerge fetches and opens it with the joiner's key and merges,
// sending nothing; JoinSync then sends the merge encrypted to the couple's
// keys (known once the remote's journal is open); the other partner reads
// the joiner's entries, and the host holds none of their words.
func TestJoinMergeSealed(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "alex")
	alex := cs[0]
	pa, ca := rsEntry("alex", "2026-11-20", "checkin", "Coffee in bed")
	alex.write(pa, ca)
	alex.sync()

	samKey, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	sam := rsInit(t, "sam")
	ps, cs2 := rsEntry("sam", "2026-11-19", "checkin", "Lighthouse pancakes, before joining")
	sam.write(ps, cs2)
	before := remoteMain(t, remote)

	unlock, err := sam.r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Without a key, the encrypted remote cannot be joined.
	if _, err := sam.r.JoinMerge(context.Background(), remote, sam.opts(), settingsFile); err == nil {
		t.Fatal("a plain join of an encrypted remote went through")
	}
	// With a key the remote is not encrypted to yet (an invitation's is),
	// it cannot either: nothing opens it.
	opt := sam.opts()
	opt.Seal = &Seal{Identities: []age.Identity{samKey}, Recipients: []age.Recipient{samKey.Recipient()}}
	if _, err := sam.r.JoinMerge(context.Background(), remote, opt, settingsFile); err == nil {
		t.Fatal("a key the remote is not encrypted to opened it")
	}
	// Alex's key stands in for the invitation's.
	opt.Seal = &Seal{Identities: alex.seal.Identities, Recipients: alex.seal.Recipients}
	res, err := sam.r.JoinMerge(context.Background(), remote, opt, settingsFile)
	if err != nil {
		unlock()
		t.Fatalf("join merge: %v", err)
	}
	if res.State != StateMerged || res.Pushed != 0 || remoteMain(t, remote) != before {
		unlock()
		t.Fatalf("JoinMerge: %+v, and the remote moved: it sends nothing", res)
	}
	rsHasPaths(t, sam, pa, ps)
	res, err = sam.r.JoinSync(context.Background(), opt, res)
	unlock()
	if err != nil || res.Pushed == 0 {
		t.Fatalf("join sync: %+v %v", res, err)
	}
	sam.seal = opt.Seal
	alex.sync()
	rsSameTrees(t, alex, sam)
	rsHasPaths(t, alex, ps)
	if bytes.Contains(remoteBytes(t, remote), []byte("Lighthouse")) {
		t.Fatal("the remote holds the joiner's words")
	}
}
