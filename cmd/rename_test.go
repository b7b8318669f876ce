package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Both names wrote a check-in the same day: the rename keeps both, OLD's
// as a copy beside NEW's, and says so. NEW having entries needs --as NEW.
func TestRenameKeepsBothCheckins(t *testing.T) {
	a, out, errOut := nameless(t, false)
	run := func(code int, args ...string) {
		t.Helper()
		if got := a.Run(args); got != code {
			t.Fatalf("%v: exit %d, want %d: %s", args, got, code, errOut)
		}
	}
	run(0, "--as", "root", "checkin", "--date", "2026-11-20", "--rose", "A long run")
	run(0, "--as", "sam", "checkin", "--date", "2026-11-20", "--rose", "Pho")
	run(0, "--as", "root", "thanks", "For the pho")
	dir := a.Getenv("RECONNECT_JOURNAL")

	errOut.Reset()
	run(2, "rename", "root", "sam")
	if !strings.Contains(errOut.String(), "sam already has entries here, and you are root") ||
		!strings.Contains(errOut.String(), "reconnect --as sam rename root sam") {
		t.Errorf("refusal:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "2026/11/2026-11-20-checkin-root.md")); err != nil {
		t.Fatalf("a refused rename moved the entry: %v", err)
	}

	out.Reset()
	run(0, "--as", "sam", "rename", "root", "sam")
	for _, want := range []string{
		"Renamed root to sam: 2 files, in one commit.",
		"Sam had checkin 2026-11-20 too; Root's is kept beside it: 2026/11/2026-11-20-checkin-sam.conflict-root-renamed.md",
		"Your name is now sam (config name).",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
	for file, text := range map[string]string{
		"2026/11/2026-11-20-checkin-sam.md":                       "Pho",
		"2026/11/2026-11-20-checkin-sam.conflict-root-renamed.md": "A long run",
		"2026/11/2026-11-21-thanks-sam-211403.md":                 "For the pho",
	} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil || !strings.Contains(string(b), text) || !strings.Contains(string(b), "author: sam\n") {
			t.Errorf("%s: %q, %v", file, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "2026/11/2026-11-20-checkin-root.md")); err == nil {
		t.Errorf("root's check-in is still there")
	}
}

// A name the environment gives is not changed by a rename: it says so.
func TestRenameSaysTheEnvironmentStillNamesOld(t *testing.T) {
	a, out, errOut := nameless(t, false)
	env := a.Getenv
	a.Getenv = func(k string) string {
		if k == "RECONNECT_NAME" {
			return "jo"
		}
		return env(k)
	}
	if code := a.Run([]string{"thanks", "For the tea"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if code := a.Run([]string{"rename", "jo", "joanna"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "RECONNECT_NAME still says jo: set it to joanna") {
		t.Errorf("stderr:\n%s", errOut)
	}
	if strings.Contains(out.String(), "Your name is now") {
		t.Errorf("config name changed, though it was not jo:\n%s", out)
	}
}
