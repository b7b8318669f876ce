package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// These tests run the real binary, as a user does, against remotes that
// take the connection and never answer: a signal ends a command that is
// waiting on the network, and a write's own sync gives up at sync.timeout.

// procGuard is how long a test waits for the process to reach a state or
// to end before it calls it a hang: a guard, not a speed limit.
const procGuard = 20 * time.Second

// buildReconnect builds the command into a temporary folder.
func buildReconnect(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go tool is needed to build the binary: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "reconnect")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// hangRemote is a remote that never answers, and how to reach it.
type hangRemote struct {
	url     string
	env     []string        // credentials for it
	config  [][]string      // config keys to set for it
	waiting <-chan struct{} // closed once a client waits on it
}

var hangRemotes = []struct {
	name  string
	start func(t *testing.T, home string) hangRemote
}{
	{"http", func(t *testing.T, home string) hangRemote {
		s := gittest.NewSilentHTTPServer(t)
		return hangRemote{url: s.URL("journal.git"), env: []string{"RECONNECT_TOKEN=s3cret-token-value"},
			waiting: s.Waiting()}
	}},
	{"ssh", func(t *testing.T, home string) hangRemote {
		s := gittest.NewSilentServer(t)
		key, _ := gittest.SSHClientFiles(t, filepath.Join(home, ".ssh")) // known_hosts in its usual place
		return hangRemote{url: s.SSHURL("sam", "journal.git"), config: [][]string{{"sync.ssh_key", key}},
			waiting: s.Connected()}
	}},
}

// user is one person's machine: a home, a config and a journal whose
// remote is r.
type user struct {
	t       *testing.T
	bin     string
	env     []string
	home    string
	journal string
}

func newUser(t *testing.T, bin string, start func(*testing.T, string) hangRemote) (*user, hangRemote) {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	u := &user{t: t, bin: bin, home: home, journal: filepath.Join(home, "journal")}
	r := start(t, home)
	u.env = append(gittest.Env(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"RECONNECT_CONFIG_DIR="+filepath.Join(home, "config"),
		"USER=sam",
		"NO_COLOR=1",
		"SSH_AUTH_SOCK=",
	)
	u.env = append(u.env, r.env...)
	u.must("init", u.journal, "--name", "sam")
	u.must("remote", r.url)
	for _, kv := range r.config {
		u.must("config", "set", kv[0], kv[1])
	}
	return u, r
}

func (u *user) command(args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.Command(u.bin, args...)
	cmd.Env = u.env
	cmd.Dir = u.home
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs reconnect and returns its exit status and output, failing the
// test if it does not end within procGuard.
func (u *user) run(args ...string) (int, string) {
	u.t.Helper()
	cmd, out := u.command(args...)
	if err := cmd.Start(); err != nil {
		u.t.Fatal(err)
	}
	return u.wait(cmd, out, args)
}

func (u *user) wait(cmd *exec.Cmd, out *bytes.Buffer, args []string) (int, string) {
	u.t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(procGuard):
		_ = cmd.Process.Kill()
		<-done
		u.t.Fatalf("reconnect %s still running after %s:\n%s", strings.Join(args, " "), procGuard, out)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	}
	u.t.Fatalf("reconnect %s: %v", strings.Join(args, " "), err)
	return 0, ""
}

func (u *user) must(args ...string) string {
	u.t.Helper()
	code, out := u.run(args...)
	if code != 0 {
		u.t.Fatalf("reconnect %s: exit %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// consistent fails unless the journal is sound for git, clean, and takes
// another write.
func (u *user) consistent() {
	u.t.Helper()
	gittest.Fsck(u.t, u.journal)
	if st := gittest.Git(u.t, u.journal, "status", "--porcelain", "--untracked-files=all"); st != "" {
		u.t.Fatalf("git status is not clean:\n%s", st)
	}
	u.must("--no-sync", "thanks", "ok")
}

// TestHangingRemote runs the real binary (built once) against remotes that
// never answer.
func TestHangingRemote(t *testing.T) {
	bin := buildReconnect(t)
	t.Run("signal", func(t *testing.T) { testSignalEndsSync(t, bin) })
	t.Run("write", func(t *testing.T) { testWriteSavesHere(t, bin) })
}

// Ctrl-C (SIGINT) or a SIGTERM while reconnect sync waits on a remote that
// never answers ends it at once with exit 130, and leaves the journal
// consistent.
func testSignalEndsSync(t *testing.T, bin string) {
	for _, r := range hangRemotes {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			t.Run(r.name+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				u, remote := newUser(t, bin, r.start)
				u.must("--no-sync", "thanks", "for waiting")
				cmd, out := u.command("sync")
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				select {
				case <-remote.waiting:
				case <-time.After(procGuard):
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					t.Fatalf("reconnect sync never reached the remote:\n%s", out)
				}
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				if code, out := u.wait(cmd, out, []string{"sync"}); code != 130 {
					t.Fatalf("exit %d after %s, want 130:\n%s", code, sig, out)
				}
				u.consistent()
			})
		}
	}
}

// A write whose own sync meets a remote that never answers is saved, says
// so once sync.timeout has passed, and exits 0; so does a read that syncs
// first.
func testWriteSavesHere(t *testing.T, bin string) {
	for _, r := range hangRemotes {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			u, _ := newUser(t, bin, r.start)
			u.must("config", "set", "sync.timeout", "500ms")
			code, out := u.run("thanks", "x")
			if code != 0 || !strings.Contains(out, "Saved here; the remote is not reachable right now, it will sync later.") {
				t.Fatalf("exit %d, want 0 and \"Saved here\":\n%s", code, out)
			}
			if log := gittest.Git(t, u.journal, "log", "--format=%s", "-1"); !strings.Contains(log, "thanks") {
				t.Fatalf("the entry was not committed: last commit %q", log)
			}
			u.consistent()

			// A read that syncs first (the evening screen) gives up on it
			// too, and shows what is here.
			u.must("config", "set", "sync.interval", "1ms")
			code, out = u.run("today")
			if code != 0 || !strings.Contains(out, "could not sync (the remote is not reachable); showing what is here") {
				t.Fatalf("today: exit %d, want 0 and the local journal:\n%s", code, out)
			}
		})
	}
}
