package main

import (
	"bytes"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/reconnect-app/reconnect/cmd"
	"github.com/reconnect-app/reconnect/internal/gittest"
)

// TestMain lets the testscript scenarios run the real CLI in-process as the
// command "reconnect". RECONNECT_TEST_NOW (RFC 3339) pins the clock, so
// scenarios about "today" are deterministic; RECONNECT_TEST_TTY=1 makes
// standard output count as a terminal. Both exist only in this test binary,
// never in the product.
func TestMain(m *testing.M) {
	gittest.UseMemoryTemp() // see gittest.Main
	testscript.Main(m, map[string]func(){
		"reconnect": func() {
			streams := cmd.SystemStreams(os.Getenv)
			if os.Getenv("RECONNECT_TEST_TTY") != "" {
				// Standard output counts as a terminal (colour, pager).
				streams.OutTTY = true
				streams.FromEnv(os.Getenv)
			}
			app := cmd.NewApp(streams, "v0.0.0-test")
			if now := os.Getenv("RECONNECT_TEST_NOW"); now != "" {
				t, err := time.Parse(time.RFC3339, now)
				if err != nil {
					panic(err)
				}
				app.Now = func() time.Time { return t }
			}
			os.Exit(app.Run(os.Args[1:]))
		},
	})
}

// TestScripts runs every scenario in testdata/script: what a user types and
// what they see.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits":     cmdExits,
			"bigfile":   cmdBigfile,
			"tlsserver": cmdTLSServer,
			"stdoutvar": cmdStdoutVar,
		},
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, "home")
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
			env.Setenv("USER", "sam")
			env.Setenv("TZ", "Europe/Paris")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("RECONNECT_TEST_NOW", "2026-11-21T21:14:03+01:00")
			// A real git for scenarios that check what reconnect wrote.
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "test")
			env.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "test")
			env.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
			return nil
		},
	})
}

// cmdExits runs a program and checks its exit status:
//
//	exits 2 reconnect log --kind diary
//
// Its stdout and stderr are kept for the stdout and stderr commands.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// cmdStdoutVar puts in the variable VAR the first group REGEXP matches in
// the last command's stdout (an invitation code, to pass on):
//
//	stdoutvar CODE 'join .* --invite (\S+)'
func cmdStdoutVar(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: stdoutvar VAR REGEXP")
	}
	m := regexp.MustCompile(args[1]).FindStringSubmatch(ts.ReadFile("stdout"))
	if len(m) < 2 {
		ts.Fatalf("stdoutvar: %q matches nothing in stdout", args[1])
	}
	ts.Setenv(args[0], m[1])
}

// cmdBigfile writes a file of SIZE bytes of plain text lines, for scenarios
// about limits:
//
//	bigfile rose.txt 1572864
func cmdBigfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigfile NAME SIZE")
	}
	size, err := strconv.Atoi(args[1])
	if err != nil || size < 0 {
		ts.Fatalf("bigfile: bad size %q", args[1])
	}
	line := []byte("A long, slow evening and every minute of it worth writing down.\n")
	data := bytes.Repeat(line, size/len(line)+1)[:size]
	if err := os.WriteFile(ts.MkAbs(args[0]), data, 0o600); err != nil {
		ts.Fatalf("bigfile: %v", err)
	}
}

// cmdTLSServer starts an HTTPS server on 127.0.0.1 for the rest of the
// scenario, with httptest's certificate, which no authority vouches for,
// and puts its address in the variable VAR:
//
//	tlsserver URL
func cmdTLSServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: tlsserver VAR")
	}
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.URL)
}
