package sync

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// An invitation Seal.Drop names goes at the next sync, even one with
// nothing new to send; a sync whose Drop names nothing on the remote
// pushes nothing.
func TestSealedDropWithNothingToSend(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam")
	sam := cs[0]
	id := strings.Repeat("ab", 16)
	keep := strings.Repeat("cd", 16)
	for _, inv := range []string{id, keep} {
		sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, Invite: &Invite{ID: inv, Data: []byte("opaque")}}
		p, content := rsEntry("sam", "2026-11-2"+inv[:1], "checkin", "words "+inv)
		sam.write(p, content)
		sam.sync()
	}
	before := gittest.Git(t, remote, "rev-parse", "main")
	sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, Drop: []string{id}}
	if res := sam.sync(); res.State != StateUpToDate || res.Pushed != 0 {
		t.Fatalf("drop: %+v", res)
	}
	if len(sam.seal.OnRemote) != 1 || sam.seal.OnRemote[0] != id {
		t.Fatalf("OnRemote after the fetch = %v, want the invitation dropped", sam.seal.OnRemote)
	}
	if gittest.Git(t, remote, "rev-parse", "main") == before {
		t.Fatal("the remote did not move: the invitation is still there")
	}
	if _, err := ReadInvite(context.Background(), remote, Auth{}, id); !errors.Is(err, ErrNoInvite) {
		t.Fatalf("the dropped invitation: %v", err)
	}
	if _, err := ReadInvite(context.Background(), remote, Auth{}, keep); err != nil {
		t.Fatalf("the other invitation: %v", err)
	}
	after := gittest.Git(t, remote, "rev-parse", "main")
	sam.sync()
	if len(sam.seal.OnRemote) != 0 {
		t.Fatalf("OnRemote once dropped = %v", sam.seal.OnRemote)
	}
	if gittest.Git(t, remote, "rev-parse", "main") != after {
		t.Fatal("a sync with nothing to drop pushed")
	}
}
