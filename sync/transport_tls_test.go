package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// A token or a password goes over plain http:// only to this machine; to
// any other host the remote is refused before a connection is made (the
// hosts below do not resolve: a connection would fail as offline, not as
// ErrCleartext).
func TestTokenNeverOverPlainHTTP(t *testing.T) {
	for _, tc := range []struct {
		url     string
		token   string
		refused bool
	}{
		{"http://example.invalid/us.git", "s3cret-token", true},
		{"http://reconnect:s3cret-pass@example.invalid/us.git", "", true},
		{"http://s3cret-token-in-the-user-part-0123456789@example.invalid/us.git", "", true},
		{"http://127.0.0.1.example.invalid/us.git", "s3cret-token", true},
		{"http://localhost.example.invalid/us.git", "s3cret-token", true},
		{"http://10.0.0.1/us.git", "s3cret-token", true},
		{"http://[fe80::1]/us.git", "s3cret-token", true},
		// This machine, https, or nothing to send: no refusal.
		{"http://127.0.0.1:8080/us.git", "s3cret-token", false},
		{"http://127.1.2.3/us.git", "s3cret-token", false},
		{"http://localhost/us.git", "s3cret-token", false},
		{"http://LocalHost.:8080/us.git", "s3cret-token", false},
		{"http://[::1]:8080/us.git", "s3cret-token", false},
		{"https://example.invalid/us.git", "s3cret-token", false},
		{"http://example.invalid/us.git", "", false},
	} {
		_, err := openRemote(tc.url, Auth{Token: tc.token}, nil)
		switch {
		case tc.refused && !errors.Is(err, ErrCleartext):
			t.Errorf("%s: %v, want ErrCleartext", tc.url, err)
		case tc.refused && (!strings.Contains(err.Error(), "use an https:// address") || !strings.Contains(err.Error(), "example.invalid") && !strings.Contains(err.Error(), "10.0.0.1") && !strings.Contains(err.Error(), "fe80::1")):
			t.Errorf("%s: %q should name the remote and say to use https", tc.url, err)
		case tc.refused && strings.Contains(err.Error(), "s3cret"):
			t.Errorf("%s: the error shows the secret: %v", tc.url, err)
		case !tc.refused && err != nil:
			t.Errorf("%s: %v, want no refusal", tc.url, err)
		}
	}
}

// Sync and Clone with a token and a plain http:// remote elsewhere fail
// with ErrCleartext at once, and a refused clone leaves nothing behind.
func TestSyncAndCloneRefuseCleartext(t *testing.T) {
	sam := rsInit(t, "sam")
	sam.auth = Auth{Token: "s3cret-token"}
	sam.remote = "http://example.invalid/us.git"
	start := time.Now()
	if _, err := sam.trySync(); !errors.Is(err, ErrCleartext) {
		t.Fatalf("sync: %v, want ErrCleartext", err)
	}
	dir := filepath.Join(t.TempDir(), "alex")
	if _, err := Clone(context.Background(), "http://example.invalid/us.git", dir, Auth{Token: "s3cret-token"}); !errors.Is(err, ErrCleartext) {
		t.Fatalf("clone: %v, want ErrCleartext", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused clone left %s behind (%v)", dir, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("refusing took %v: something was looked up or dialled", d)
	}
}

// To this machine a token still goes over plain http: the loopback server
// of the tests, named localhost rather than 127.0.0.1.
func TestTokenOverPlainHTTPToLocalhost(t *testing.T) {
	t.Parallel()
	s, url := rsHTTPRemote(t)
	url = strings.Replace(url, "http://127.0.0.1:", "http://localhost:", 1)
	sam := rsInit(t, "sam")
	sam.auth = Auth{Token: s.Token}
	sam.remote = url
	if res, err := sam.trySync(); err != nil || res.State != StatePushed {
		t.Fatalf("sync to %s: %v %q", url, err, res.State)
	}
}

// An HTTPS server whose certificate no authority vouches for: sync and
// clone fail with ErrCertificate and a message a person can act on, not
// go-git's text; the token is not in it, and nothing is left of the clone.
func TestUntrustedCertificate(t *testing.T) {
	root := t.TempDir()
	gittest.BareAt(t, filepath.Join(root, "journal.git"))
	s := gittest.NewHTTPSServer(t, root, "reconnect", "s3cret-token-value")
	url := s.URL("journal.git")

	sam := rsInit(t, "sam")
	sam.auth = Auth{Token: s.Token}
	sam.remote = url
	_, err := sam.trySync()
	if !errors.Is(err, ErrCertificate) {
		t.Fatalf("sync: %v, want ErrCertificate", err)
	}
	for _, want := range []string{url, "the server's certificate is not trusted: x509: ",
		"; if this is your own server, add its certificate to the system's trust store"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), s.Token) || strings.Contains(err.Error(), "Get \"") {
		t.Errorf("the message shows the token or go-git's request: %v", err)
	}

	dir := filepath.Join(t.TempDir(), "alex")
	if _, err := Clone(context.Background(), url, dir, Auth{Token: s.Token}); !errors.Is(err, ErrCertificate) {
		t.Fatalf("clone: %v, want ErrCertificate", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused clone left %s behind (%v)", dir, err)
	}
	if total, _ := s.Requests(); total != 0 {
		t.Errorf("the server answered %d requests: the token may have been sent to it", total)
	}
}

// Every kind of certificate failure (an unknown authority, another host's
// name, expired), however go-git wraps it, is ErrCertificate with the x509
// reason.
func TestClassifyCertificateErrors(t *testing.T) {
	s := gittest.NewHTTPSServer(t, t.TempDir(), "u", "p")
	cert := s.Certificate()
	for _, tc := range []struct {
		x509 error
		want string
	}{
		{x509.UnknownAuthorityError{Cert: cert}, "x509: certificate signed by unknown authority"},
		{x509.HostnameError{Certificate: cert, Host: "git.example.org"}, "x509: certificate is valid for"},
		{x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired, Detail: "current time is after the end"}, "x509: certificate has expired or is not yet valid"},
	} {
		wrapped := plumbing.NewUnexpectedError(&url.Error{Op: "Get", URL: "https://git.example.org/us.git/info/refs",
			Err: &tls.CertificateVerificationError{Err: tc.x509}})
		err := classify(context.Background(), wrapped, "https://git.example.org/us.git", nil, "p")
		if !errors.Is(err, ErrCertificate) {
			t.Errorf("%T: %v, want ErrCertificate", tc.x509, err)
			continue
		}
		want := "https://git.example.org/us.git: the server's certificate is not trusted: " + tc.want
		if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "add its certificate to the system's trust store") {
			t.Errorf("%T: %q, want it to start %q and end with the advice", tc.x509, err, want)
		}
	}
}
