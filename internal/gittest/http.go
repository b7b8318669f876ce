package gittest

import (
	"crypto/subtle"
	"crypto/x509"
	"io"
	"log"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// HTTPBackend is where Debian and most Linux distributions install git's
// smart-HTTP CGI program.
const HTTPBackend = "/usr/lib/git-core/git-http-backend"

// HTTPServer serves every bare repository below Root over git's smart HTTP
// protocol, with the real git-http-backend, on a loopback address. Every
// request must carry basic auth with User and Token; anything else gets
// 401. Pushes (receive-pack) are allowed for an authenticated user.
type HTTPServer struct {
	// Root is the folder whose bare repositories are served: the repository
	// Root/name.git is at URL("name.git").
	Root string
	// User and Token are the only credentials the server accepts.
	User, Token string

	srv      *httptest.Server
	requests atomic.Int64
	denied   atomic.Int64
}

// NewHTTPServer starts a server for the bare repositories in root, accepting
// user and token. It stops when the test ends. The test is skipped when
// git-http-backend is not installed.
func NewHTTPServer(tb testing.TB, root, user, token string) *HTTPServer {
	tb.Helper()
	s := newHTTPServer(tb, root, user, token)
	s.srv.Start()
	return s
}

// NewHTTPSServer is [NewHTTPServer] over TLS, with httptest's certificate
// for 127.0.0.1 and example.com, signed by no authority a client trusts: a
// client that checks certificates refuses it. Certificate is that
// certificate, for a client that is told to trust it.
func NewHTTPSServer(tb testing.TB, root, user, token string) *HTTPServer {
	tb.Helper()
	s := newHTTPServer(tb, root, user, token)
	// A client that refuses the certificate is what the tests want; the
	// server's log of each refused handshake is noise.
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.StartTLS()
	return s
}

// Certificate is the server's TLS certificate; nil for plain HTTP.
func (s *HTTPServer) Certificate() *x509.Certificate { return s.srv.Certificate() }

func newHTTPServer(tb testing.TB, root, user, token string) *HTTPServer {
	tb.Helper()
	backend := HTTPBackend
	if p, err := GitErr(tb, "", nil, "--exec-path"); err == nil {
		backend = strings.TrimSpace(p) + "/git-http-backend"
	}
	if _, err := os.Stat(backend); err != nil {
		tb.Skipf("git-http-backend is not installed (%v)", err)
	}
	s := &HTTPServer{Root: root, User: user, Token: token}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(s.User)) != 1 ||
			subtle.ConstantTimeCompare([]byte(p), []byte(s.Token)) != 1 {
			s.denied.Add(1)
			w.Header().Set("WWW-Authenticate", `Basic realm="journal"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h := &cgi.Handler{
			Path: backend,
			Env: append(Env(),
				"GIT_PROJECT_ROOT="+s.Root,
				"GIT_HTTP_EXPORT_ALL=1",
				"REMOTE_USER="+u,
			),
			Stderr: io.Discard,
		}
		h.ServeHTTP(w, r)
	}))
	tb.Cleanup(s.srv.Close)
	return s
}

// URL is the address of the repository Root/name, without credentials.
func (s *HTTPServer) URL(name string) string {
	return s.srv.URL + "/" + strings.TrimPrefix(name, "/")
}

// Requests is how many HTTP requests the server has answered, and how many
// of them it refused for bad credentials.
func (s *HTTPServer) Requests() (total, denied int64) {
	return s.requests.Load(), s.denied.Load()
}

// Close stops the server now (it is also stopped when the test ends), so a
// test can see what a client does when the remote is unreachable.
func (s *HTTPServer) Close() { s.srv.Close() }
