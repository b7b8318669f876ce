package gittest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seed makes a work-tree repository with one commit and returns it.
func seed(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "work")
	Git(t, t.TempDir(), "init", "--quiet", dir)
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	Git(t, dir, "add", "a.md")
	Git(t, dir, "commit", "--quiet", "-m", "first")
	return dir
}

func TestBareAndTree(t *testing.T) {
	bare := Bare(t)
	if got := Git(t, bare, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
		t.Fatalf("HEAD = %q, want refs/heads/main", got)
	}
	work := seed(t)
	Git(t, work, "push", "--quiet", bare, "main")
	Fsck(t, bare)
	tree := Tree(t, bare, "main")
	if len(tree) != 1 || !strings.HasPrefix(tree[0], "a.md ") {
		t.Fatalf("Tree = %q", tree)
	}
	if got := Show(t, bare, "main", "a.md"); got != "hello\n" {
		t.Fatalf("Show = %q", got)
	}
}

func TestHTTPServer(t *testing.T) {
	root := t.TempDir()
	BareAt(t, filepath.Join(root, "j.git"))
	s := NewHTTPServer(t, root, "reconnect", "right-token")
	work := seed(t)

	withAuth := func(user, pass string) string {
		u, err := url.Parse(s.URL("j.git"))
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(user, pass)
		return u.String()
	}
	tests := []struct {
		name    string
		url     string
		wantErr bool
	}{
		{"no credentials", s.URL("j.git"), true},
		{"wrong token", withAuth("reconnect", "wrong-token"), true},
		{"right token", withAuth("reconnect", "right-token"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := GitErr(t, work, nil, "push", "--quiet", tt.url, "main")
			if (err != nil) != tt.wantErr {
				t.Fatalf("push err = %v, want error %v", err, tt.wantErr)
			}
		})
	}
	clone := filepath.Join(t.TempDir(), "clone")
	Git(t, t.TempDir(), "clone", "--quiet", withAuth("reconnect", "right-token"), clone)
	if got := Show(t, clone, "HEAD", "a.md"); got != "hello\n" {
		t.Fatalf("cloned a.md = %q", got)
	}
	if total, denied := s.Requests(); denied < 2 || total <= denied {
		t.Fatalf("requests %d, denied %d: want both refusals and successes", total, denied)
	}
}

func TestSSHServer(t *testing.T) {
	s := NewSSHServer(t)
	bare := Bare(t)
	work := seed(t)
	env := []string{"GIT_SSH_COMMAND=" + s.GitSSHCommand()}
	if _, err := GitErr(t, work, env, "push", "--quiet", s.URL(bare), "main"); err != nil {
		t.Fatalf("push over ssh: %v\nsshd log:\n%s", err, s.Log())
	}
	if got := Show(t, bare, "main", "a.md"); got != "hello\n" {
		t.Fatalf("pushed a.md = %q", got)
	}

	// A client that does not know the host key is refused.
	empty := filepath.Join(t.TempDir(), "known_hosts")
	writeFile(t, empty, "")
	strict := strings.Replace(s.GitSSHCommand(), s.KnownHosts, empty, 1)
	if _, err := GitErr(t, work, []string{"GIT_SSH_COMMAND=" + strict}, "ls-remote", s.URL(bare)); err == nil {
		t.Fatal("ls-remote with an empty known_hosts succeeded, want a host-key refusal")
	}
}

// The TLS variant serves the same repositories to a client that trusts its
// certificate, and is refused by one that does not.
func TestHTTPSServer(t *testing.T) {
	root := t.TempDir()
	BareAt(t, filepath.Join(root, "j.git"))
	s := NewHTTPSServer(t, root, "reconnect", "right-token")
	if !strings.HasPrefix(s.URL("j.git"), "https://127.0.0.1:") {
		t.Fatalf("URL %q, want https on 127.0.0.1", s.URL("j.git"))
	}
	get := func(c *http.Client) (*http.Response, error) {
		req, err := http.NewRequest("GET", s.URL("j.git/info/refs?service=git-upload-pack"), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth("reconnect", "right-token")
		return c.Do(req)
	}
	if _, err := get(&http.Client{}); err == nil || !strings.Contains(err.Error(), "x509") {
		t.Fatalf("a client that checks certificates: %v, want an x509 refusal", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := get(trusting)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "git-upload-pack") {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
