package cmd

import (
	"context"
	"fmt"
	"strings"
	"testing"

	gitsync "github.com/reconnect-app/reconnect/sync"
)

// 'sync --accept-rollback' and '--compact' land in the syncer, which hands
// them to the encrypted remote's seal.
func TestSyncSealFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var sync *syncCmdOptions
	if err := execFlags(t, newSyncCmd(a, func(_ context.Context, o *syncCmdOptions) error { sync = o; return nil }),
		"--accept-rollback", "--compact"); err != nil {
		t.Fatal(err)
	}
	if !sync.Sync.AcceptRollback || !sync.Sync.Compact {
		t.Errorf("sync --accept-rollback --compact: %+v", sync.Sync)
	}
	if err := execFlags(t, newSyncCmd(a, func(_ context.Context, o *syncCmdOptions) error { sync = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if sync.Sync.AcceptRollback {
		t.Error("a plain sync accepts a rollback")
	}
}

// 'keys invite --expires' lands in its options; a lifetime it does not
// take is exit 2 before the journal is opened.
func TestKeysInviteExpiresFlag(t *testing.T) {
	a, _, _ := testApp(t, false)
	c := newKeysCmd(a, nil)
	for _, tc := range []struct {
		arg  string
		want string
	}{
		{"0d", "not a time like 3d, 1w or 12h"},
		{"31d", "at most 30 days"},
		{"2x", "not a time like"},
	} {
		err := execFlags(t, c, "invite", "--expires", tc.arg)
		if exitCode(err) != exitUsage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("keys invite --expires %s: %v (exit %d)", tc.arg, err, exitCode(err))
		}
	}
}

// A rollback is exit 4, with a hint that names the way through.
func TestRollbackExitAndHint(t *testing.T) {
	err := syncErrorHint(fmt.Errorf("fetch from x: %w", &gitsync.RollbackError{At: 2, Saw: 3}))
	if exitCode(err) != exitAuth {
		t.Errorf("rollback: exit %d, want %d", exitCode(err), exitAuth)
	}
	if h := hintOf(err); !strings.Contains(h, "reconnect sync --accept-rollback") {
		t.Errorf("rollback hint: %q", h)
	}
}
