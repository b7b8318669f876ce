package sync

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

func TestStripCredentials(t *testing.T) {
	tests := []struct {
		in, clean, user, secret string
	}{
		{"https://sam:tok3n@example.com/j.git", "https://sam@example.com/j.git", "sam", "tok3n"},
		{"https://:tok3n@example.com/j.git", "https://example.com/j.git", "", "tok3n"},
		{"https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/a/j.git", "https://github.com/a/j.git", "", "ghp_abcdefghijklmnopqrstuvwxyz0123"},
		{"https://sam@example.com/j.git", "https://sam@example.com/j.git", "sam", ""},
		{"https://example.com/j.git", "https://example.com/j.git", "", ""},
		{"ssh://git@example.com:2222/j.git", "ssh://git@example.com:2222/j.git", "git", ""},
		{"git@github.com:a/j.git", "git@github.com:a/j.git", "", ""},
		{"/media/usb/journal.git", "/media/usb/journal.git", "", ""},
		{"  https://sam:x@h/j  ", "https://sam@h/j", "sam", "x"},
		{"https://example.com/j.git?token=SECRET", "https://example.com/j.git", "", "token=SECRET"},
		{"https://sam@example.com/j.git?private_token=SECRET#x", "https://sam@example.com/j.git", "sam", "private_token=SECRET"},
	}
	for _, tt := range tests {
		clean, user, secret := StripCredentials(tt.in)
		if clean != tt.clean || user != tt.user || secret != tt.secret {
			t.Errorf("StripCredentials(%q) = %q, %q, %q; want %q, %q, %q", tt.in, clean, user, secret, tt.clean, tt.user, tt.secret)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://sam:tok3n@example.com/j.git", "https://sam:***@example.com/j.git"},
		{"fetch https://sam:tok3n@example.com/j.git: refused", "fetch https://sam:***@example.com/j.git: refused"},
		{"https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/j", "https://***@github.com/j"},
		{"https://sam@example.com/j.git", "https://sam@example.com/j.git"},
		{"ssh://git@example.com/j.git", "ssh://git@example.com/j.git"},
		{"git@github.com:a/j.git", "git@github.com:a/j.git"},
		{"two: http://a:b@h1/x and https://c:d@h2/y", "two: http://a:***@h1/x and https://c:***@h2/y"},
		{"fetch https://h/j.git?token=SECRET: refused", "fetch https://h/j.git?*** refused"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSetRemote(t *testing.T) {
	c := rsInit(t, "sam")
	if got, err := c.r.RemoteURL(); err != nil || got != "" {
		t.Fatalf("RemoteURL before any: %q, %v", got, err)
	}
	tests := []struct{ in, want string }{
		{"https://sam:s3cret-value@example.com/j.git", "https://sam@example.com/j.git"},
		{"git@github.com:sam/j.git", "git@github.com:sam/j.git"},
		{"file:///media/usb/j.git", "/media/usb/j.git"},
	}
	for _, tt := range tests {
		if err := c.r.SetRemote(tt.in); err != nil {
			t.Fatal(err)
		}
		got, err := c.r.RemoteURL()
		if err != nil || got != tt.want {
			t.Fatalf("SetRemote(%q): RemoteURL = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	cfg, err := os.ReadFile(filepath.Join(c.r.Dir, ".git", "config"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), "s3cret") {
		t.Fatalf(".git/config holds a secret:\n%s", cfg)
	}
	// A relative folder is stored absolute.
	wd, _ := os.Getwd()
	if err := c.r.SetRemote("rel/j.git"); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.r.RemoteURL(); got != filepath.Join(wd, "rel", "j.git") {
		t.Fatalf("relative folder stored as %q", got)
	}
}

func TestCheckRemote(t *testing.T) {
	for _, ok := range []string{"/media/usb/j.git", "file:///media/usb/j.git", "git@github.com:a/j.git",
		"ssh://git@example.com:2222/j.git", "https://example.com/j.git", "http://127.0.0.1:8080/j.git"} {
		if err := CheckRemote(ok); err != nil {
			t.Errorf("CheckRemote(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "ftp://example.com/j.git", "gopher://h/x"} {
		if err := CheckRemote(bad); !errors.Is(err, ErrBadRemote) {
			t.Errorf("CheckRemote(%q) = %v, want ErrBadRemote", bad, err)
		}
	}
}

// A bare repository made by 'git init --bare' with master as its default
// has HEAD on an unborn master: the first push points it at main, so a
// plain 'git clone' of it checks the journal out.
func TestFolderPushPointsHEADAtMain(t *testing.T) {
	remote := filepath.Join(t.TempDir(), "us.git")
	gittest.Git(t, "", "-c", "init.defaultBranch=master", "init", "-q", "--bare", remote)
	c := rsInit(t, "sam")
	if err := c.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	c.sync()
	if got := gittest.Git(t, remote, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Fatalf("remote HEAD = %s, want refs/heads/main", got)
	}
	gittest.Fsck(t, remote)
}
