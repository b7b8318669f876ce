package cmd

import (
	"fmt"
	"testing"

	gitsync "github.com/reconnect-app/reconnect/sync"
)

// An encrypted remote that holds more than a fetch reads is refused remote
// data, like a damaged one: exit 4.
func TestExitSealedTooLarge(t *testing.T) {
	err := fmt.Errorf("fetch from /r.git: %w: a pack's object declares 512 MiB", gitsync.ErrSealedTooLarge)
	if code := exitCode(err); code != exitAuth {
		t.Fatalf("exitCode(%v) = %d, want %d", err, code, exitAuth)
	}
}
