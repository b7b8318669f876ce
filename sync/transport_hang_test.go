package sync

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// hangGuard is how long a test waits for something that must happen
// promptly before it calls it a hang. It is a guard against a test that
// never ends, not a speed limit.
const hangGuard = 20 * time.Second

// hangingRemote is a server that takes the connection and then never
// answers, as the client sees it.
type hangingRemote struct {
	url  string
	auth Auth
	// waiting is closed once the client is waiting on the server.
	waiting <-chan struct{}
	// held is how many connections or requests the client still holds
	// open on the server.
	held func() int
}

var hangingRemotes = []struct {
	name  string
	start func(t *testing.T) hangingRemote
}{
	{"silent ssh", func(t *testing.T) hangingRemote {
		s := gittest.NewSilentServer(t)
		key, kh := gittest.SSHClientFiles(t, t.TempDir())
		return hangingRemote{
			url:     s.SSHURL("sam", "journal.git"),
			auth:    Auth{SSHKeyFile: key, KnownHostsFile: kh},
			waiting: s.Connected(),
			held:    func() int { _, open := s.Conns(); return open },
		}
	}},
	{"ssh stuck after the handshake", func(t *testing.T) hangingRemote {
		s := gittest.NewSSHServer(t)
		started := s.HangAfterLogin(t)
		return hangingRemote{
			url:     s.URL("/journal.git"),
			auth:    Auth{SSHKeyFile: s.UserKey, KnownHostsFile: s.KnownHosts},
			waiting: started,
			held:    func() int { return 0 }, // sshd ends the session itself
		}
	}},
	{"silent http", func(t *testing.T) hangingRemote {
		s := gittest.NewSilentHTTPServer(t)
		return hangingRemote{url: s.URL("journal.git"), auth: Auth{Token: "s3cret-token-value"},
			waiting: s.Waiting(), held: func() int { _, n := s.Requests(); return n }}
	}},
	{"http stalling in the body", func(t *testing.T) hangingRemote {
		s := gittest.NewStallingHTTPServer(t)
		return hangingRemote{url: s.URL("journal.git"), auth: Auth{Token: "s3cret-token-value"},
			waiting: s.Waiting(), held: func() int { _, n := s.Requests(); return n }}
	}},
}

// hangingOps are the network operations of the package, each on a new
// journal whose remote is url. prepare does what needs no network; after
// checks what the failed operation left.
var hangingOps = []struct {
	name    string
	prepare func(t *testing.T, url string, auth Auth) (run func(context.Context) error, after func(*testing.T))
}{
	{"sync", func(t *testing.T, url string, auth Auth) (func(context.Context) error, func(*testing.T)) {
		c := rsInit(t, "sam")
		c.auth = auth
		if err := c.r.SetRemote(url); err != nil {
			t.Fatal(err)
		}
		c.write(rsEntry("sam", "2026-11-21", "thanks", "written while the remote hangs"))
		run := func(ctx context.Context) error {
			unlock, err := c.r.Lock(context.Background())
			if err != nil {
				return err
			}
			defer unlock()
			_, err = c.r.Sync(ctx, c.opts())
			return err
		}
		return run, func(t *testing.T) { c.checkClean() }
	}},
	{"fetch", func(t *testing.T, url string, auth Auth) (func(context.Context) error, func(*testing.T)) {
		c := rsInit(t, "sam")
		c.auth = auth
		if err := c.r.SetRemote(url); err != nil {
			t.Fatal(err)
		}
		return func(ctx context.Context) error { return c.r.Fetch(ctx, c.opts()) },
			func(t *testing.T) { c.checkClean() }
	}},
	{"clone", func(t *testing.T, url string, auth Auth) (func(context.Context) error, func(*testing.T)) {
		dir := filepath.Join(t.TempDir(), "alex")
		run := func(ctx context.Context) error {
			_, err := Clone(ctx, url, dir, auth)
			return err
		}
		return run, func(t *testing.T) {
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed clone left %s behind (%v)", dir, err)
			}
		}
	}},
}

// A server that takes the connection and then says nothing (or stops in
// the middle of an answer) holds a sync, a fetch or a clone only until the
// context's deadline: the error is then ErrOffline, wrapping the deadline,
// and the connection is closed.
func TestNetworkEndsAtDeadline(t *testing.T) {
	for _, srv := range hangingRemotes {
		for _, op := range hangingOps {
			t.Run(srv.name+"/"+op.name, func(t *testing.T) {
				t.Parallel()
				remote := srv.start(t)
				run, after := op.prepare(t, remote.url, remote.auth)
				ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
				defer cancel()
				err := hangReturns(t, func() error { return run(ctx) })
				if !errors.Is(err, ErrOffline) || !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want ErrOffline wrapping context.DeadlineExceeded", err)
				}
				hangReleased(t, remote.held)
				after(t)
			})
		}
	}
}

// Ctrl-C while the client waits on a server that does not answer (in the
// SSH handshake, or for an HTTP answer) ends the operation with
// context.Canceled, which is not the offline class.
func TestNetworkEndsOnCancel(t *testing.T) {
	for _, srv := range hangingRemotes {
		for _, op := range hangingOps {
			t.Run(srv.name+"/"+op.name, func(t *testing.T) {
				t.Parallel()
				remote := srv.start(t)
				run, after := op.prepare(t, remote.url, remote.auth)
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				go func() {
					select {
					case <-remote.waiting:
						cancel()
					case <-ctx.Done():
					}
				}()
				err := hangReturns(t, func() error { return run(ctx) })
				if !errors.Is(err, context.Canceled) || errors.Is(err, ErrOffline) {
					t.Fatalf("err = %v, want context.Canceled", err)
				}
				hangReleased(t, remote.held)
				after(t)
			})
		}
	}
}

// hangReturns runs op and returns its error, failing the test if op does
// not return within hangGuard.
func hangReturns(t *testing.T, op func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- op() }()
	select {
	case err := <-done:
		return err
	case <-time.After(hangGuard):
		t.Fatalf("still waiting on the server %s after it started; its context ended long before", hangGuard)
		return nil
	}
}

// hangReleased waits until the client has let go of every connection or
// request it held on the server (held counts them), and fails the test if
// that does not happen within hangGuard.
func hangReleased(t *testing.T, held func() int) {
	t.Helper()
	for end := time.Now().Add(hangGuard); held() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the client still holds %d connections on the server", held())
		}
	}
}

// An ssh-agent that takes the connection and never answers (one forwarded
// over a connection that died) holds a sync only until the deadline too.
func TestStuckAgentEndsAtDeadline(t *testing.T) {
	agentSock := gittest.NewSilentSocket(t)
	t.Setenv("SSH_AUTH_SOCK", agentSock.Socket)
	remote := gittest.NewSilentServer(t)
	_, kh := gittest.SSHClientFiles(t, t.TempDir())
	c := rsInit(t, "sam")
	c.remote = remote.SSHURL("sam", "journal.git")
	c.auth = Auth{KnownHostsFile: kh, SSHKeyFile: filepath.Join(t.TempDir(), "none")}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err := hangReturns(t, func() error {
		_, err := c.r.Sync(ctx, c.opts())
		return err
	})
	if !errors.Is(err, ErrOffline) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrOffline wrapping context.DeadlineExceeded", err)
	}
	if total, _ := agentSock.Conns(); total == 0 {
		t.Fatal("the agent was never asked")
	}
	hangReleased(t, func() int { _, open := agentSock.Conns(); return open })
}
