package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// The evening screen syncs first, but never waits longer than its bound:
// against a remote that takes the connection and never answers, it shows
// what is here within the bound, and says as of when.
func TestEveningScreenWithAHangingRemote(t *testing.T) {
	const bound = 500 * time.Millisecond
	for _, s := range []struct {
		name string
		url  func(t *testing.T) (url string, reached func() bool)
	}{
		{"http", func(t *testing.T) (string, func() bool) {
			srv := gittest.NewSilentHTTPServer(t)
			return srv.URL("journal.git"), func() bool { n, _ := srv.Requests(); return n > 0 }
		}},
		{"ssh", func(t *testing.T) (string, func() bool) {
			srv := gittest.NewSilentServer(t)
			return srv.SSHURL("sam", "journal.git"), func() bool { n, _ := srv.Conns(); return n > 0 }
		}},
	} {
		t.Run(s.name, func(t *testing.T) {
			a, out, errOut := testApp(t, false)
			url, reached := s.url(t)
			key, _ := gittest.SSHClientFiles(t, t.TempDir())
			for _, args := range [][]string{{"init", "--name", "sam"}, {"remote", url},
				{"config", "set", "sync.ssh_key", key}} {
				if code := a.Run(args); code != 0 {
					t.Fatalf("%v: exit %d: %s", args, code, errOut)
				}
			}
			j, err := a.openJournal(false)
			if err != nil {
				t.Fatal(err)
			}
			// The last sync that worked, an hour ago; the last try, just now
			// (a read that keeps the interval would not try again).
			last := a.Now().Add(-time.Hour - 12*time.Minute)
			writeSyncState(j, syncState{LastAttempt: a.Now(), LastSync: last})
			out.Reset()
			errOut.Reset()

			opts := newTodayOptions(a)
			opts.FreshBound = bound
			done := make(chan error, 1)
			start := time.Now()
			go func() { done <- runToday(context.Background(), opts) }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the evening screen still waiting 20s after it started; its bound is 500ms")
			}
			took := time.Since(start)
			if err != nil {
				t.Fatalf("today: %v\n%s", err, errOut)
			}
			if !reached() {
				t.Fatalf("the screen never tried the remote:\n%s", errOut)
			}
			if took > bound+time.Second {
				t.Errorf("the screen took %s, bound %s", took, bound)
			}
			for _, want := range []string{"Saturday 21 November 2026 · as of 20:02\n", "You have not checked in yet"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if want := "could not sync (the remote is not reachable); showing what is here"; !strings.Contains(errOut.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		})
	}
}

// How old a stale screen is, said from now.
func TestAsOf(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	now := time.Date(2026, 11, 21, 21, 14, 3, 0, cet)
	for _, tc := range []struct {
		last time.Time
		want string
	}{
		{time.Time{}, "not synced yet"},
		{time.Date(2026, 11, 21, 20, 2, 0, 0, cet), "as of 20:02"},
		{time.Date(2026, 11, 21, 19, 2, 0, 0, time.UTC), "as of 20:02"}, // in now's zone
		{time.Date(2026, 11, 20, 23, 59, 0, 0, cet), "as of yesterday 23:59"},
		{time.Date(2026, 11, 2, 8, 5, 0, 0, cet), "as of Mon 2 Nov 2026 08:05"},
	} {
		if got := asOf(freshness{Stale: true, AsOf: tc.last}, now); got != tc.want {
			t.Errorf("asOf(%v) = %q, want %q", tc.last, got, tc.want)
		}
	}
}
