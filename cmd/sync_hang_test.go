package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// reconnect sync against a remote that takes the connection and never
// answers exits 3 (not reachable, everything saved here) when its deadline
// passes. The command's own deadline is at least a minute
// ([App.explicitDeadline]); the test gives it a shorter parent, which it
// inherits.
func TestSyncWithAHangingRemoteExits3(t *testing.T) {
	for _, s := range []struct {
		name string
		url  func(t *testing.T) string
	}{
		{"http", func(t *testing.T) string { return gittest.NewSilentHTTPServer(t).URL("journal.git") }},
		{"ssh", func(t *testing.T) string { return gittest.NewSilentServer(t).SSHURL("sam", "journal.git") }},
	} {
		t.Run(s.name, func(t *testing.T) {
			a, _, errOut := testApp(t, false)
			key, _ := gittest.SSHClientFiles(t, t.TempDir()) // the server never gets as far as host keys
			for _, args := range [][]string{{"init", "--name", "sam"}, {"remote", s.url(t)}, {"config", "set", "sync.ssh_key", key}} {
				if code := a.Run(args); code != 0 {
					t.Fatalf("%v: exit %d: %s", args, code, errOut)
				}
			}
			errOut.Reset()
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			root := newRootCmd(a)
			root.SetArgs([]string{"sync"})
			root.SetOut(a.IO.Out)
			root.SetErr(a.IO.ErrOut)
			done := make(chan error, 1)
			go func() { done <- root.ExecuteContext(ctx) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("reconnect sync still waiting 20s after it started; its deadline passed long before")
			}
			if code := exitCode(err); code != exitOffline {
				t.Fatalf("exit %d (%v), want %d", code, err, exitOffline)
			}
			a.printError(err)
			for _, want := range []string{"remote not reachable", "hint: everything is saved here"} {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
}
