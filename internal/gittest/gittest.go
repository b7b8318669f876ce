// Package gittest is the test harness for the sync engine: real git parts on
// the loopback interface, started per test and stopped when it ends.
//
//   - [Git] runs the git command-line tool in a folder, isolated from the
//     machine's and the user's git configuration. The product never runs git;
//     tests use it to play a plain-git partner and to check the engine's work
//     ([Fsck], [Tree]).
//   - [Bare] creates an empty bare repository whose HEAD is main.
//   - [NewHTTPServer] serves a folder of bare repositories with the real
//     git-http-backend (CGI) behind basic authentication, pushes allowed;
//     [NewHTTPSServer] does it over TLS with a certificate no client trusts.
//   - [NewSSHServer] runs a real sshd on 127.0.0.1 with its own host key, a
//     user key, an authorized_keys file and a known_hosts file for clients;
//     [SSHServer.HangAfterLogin] makes it a host stuck after the handshake.
//   - [NewSilentServer], [NewSilentSocket], [NewSilentHTTPServer] and
//     [NewStallingHTTPServer] take connections and never answer (or stop
//     half-way through an answer), for clients that must give up when
//     their context ends; [SSHClientFiles] gives such a client a key.
//
// Every helper takes a testing.TB and fails the test (t.Fatal) when the git
// part cannot be started or a git command fails; [NewSSHServer] skips the test
// when sshd is not installed. Nothing here prints or outlives its test.
package gittest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// GitPath is the git binary the harness runs. It is looked up in PATH, then in
// the usual install folders, so tests that empty PATH (to prove the product
// needs no git) can still check their results with git.
func GitPath(tb testing.TB) string {
	tb.Helper()
	if p, err := exec.LookPath("git"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/bin/git", "/usr/local/bin/git", "/opt/homebrew/bin/git"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	tb.Skip("git is not installed; the test needs it to check the result")
	return ""
}

// Env is the environment git runs with in tests: no system or global
// configuration, a fixed identity, no prompts, and the default branch main.
func Env() []string {
	env := []string{
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Plain Git",
		"GIT_AUTHOR_EMAIL=plain@example.com",
		"GIT_COMMITTER_NAME=Plain Git",
		"GIT_COMMITTER_EMAIL=plain@example.com",
		"GIT_CONFIG_COUNT=2",
		"GIT_CONFIG_KEY_0=init.defaultBranch",
		"GIT_CONFIG_VALUE_0=main",
		"GIT_CONFIG_KEY_1=advice.detachedHead",
		"GIT_CONFIG_VALUE_1=false",
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// GitErr runs git with args in dir (extra environment entries in env) and
// returns its standard output and, on failure, an error carrying its
// standard error.
func GitErr(tb testing.TB, dir string, env []string, args ...string) (string, error) {
	tb.Helper()
	cmd := exec.Command(GitPath(tb), args...)
	cmd.Dir = dir
	cmd.Env = append(Env(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return out.String(), &Error{Args: args, Err: err, Stderr: errb.String()}
	}
	return out.String(), nil
}

// Error is a failed git command.
type Error struct {
	Args   []string
	Err    error
	Stderr string
}

func (e *Error) Error() string {
	return "git " + strings.Join(e.Args, " ") + ": " + e.Err.Error() + ": " + strings.TrimSpace(e.Stderr)
}

func (e *Error) Unwrap() error { return e.Err }

// Git runs git with args in dir and returns its standard output with the
// trailing newline removed; a failure fails the test.
func Git(tb testing.TB, dir string, args ...string) string {
	tb.Helper()
	out, err := GitErr(tb, dir, nil, args...)
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimRight(out, "\n")
}

// Bare creates an empty bare repository (HEAD pointing at main) in a new
// temporary folder and returns its path.
func Bare(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "remote.git")
	BareAt(tb, dir)
	return dir
}

// BareAt creates an empty bare repository at dir (HEAD pointing at main).
func BareAt(tb testing.TB, dir string) {
	tb.Helper()
	Git(tb, filepath.Dir(dir), "init", "--quiet", "--bare", "--initial-branch=main", dir)
}

// Fsck runs git fsck --strict on the repository at dir and fails the test
// when git finds anything wrong (dangling objects are fine).
func Fsck(tb testing.TB, dir string) {
	tb.Helper()
	out, err := GitErr(tb, dir, nil, "fsck", "--strict", "--no-progress", "--no-dangling")
	if err != nil {
		tb.Fatalf("fsck %s: %v\n%s", dir, err, out)
	}
}

// Tree lists the files of commit-ish rev in the repository at dir, each as
// "path blob-hash", sorted. Two clones hold the same journal when their
// trees list the same.
func Tree(tb testing.TB, dir, rev string) []string {
	tb.Helper()
	out := Git(tb, dir, "ls-tree", "-r", "--format=%(path) %(objectname)", rev)
	if out == "" {
		return nil
	}
	lines := strings.Split(out, "\n")
	sort.Strings(lines)
	return lines
}

// Show is the content of path at commit-ish rev in the repository at dir.
func Show(tb testing.TB, dir, rev, path string) string {
	tb.Helper()
	out, err := GitErr(tb, dir, nil, "show", rev+":"+path)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
