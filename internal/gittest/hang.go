package gittest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// SilentServer is a TCP server on 127.0.0.1 that accepts every connection
// and never says a word: a host that answers the TCP handshake and then
// hangs (a stuck sshd, a firewall that swallows packets after the connect).
// What a client writes is read and dropped, so only the client's reads
// block. Every connection is held open until the client hangs up or the
// test ends.
type SilentServer struct {
	// Host and Port are where the server listens; Socket is the path of a
	// unix socket server's socket.
	Host   string
	Port   int
	Socket string

	l         net.Listener
	connected chan struct{} // closed at the first accepted connection
	wg        sync.WaitGroup

	mu     sync.Mutex
	conns  map[net.Conn]bool
	total  int
	closed bool
}

// NewSilentServer starts a silent server and stops it when the test ends:
// the listener and every connection it holds are closed, and its goroutines
// are gone before the cleanup returns.
func NewSilentServer(tb testing.TB) *SilentServer {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("silent server: %v", err)
	}
	s := newSilent(tb, l)
	s.Host, s.Port = "127.0.0.1", l.Addr().(*net.TCPAddr).Port
	return s
}

// NewSilentSocket is a silent server on a unix socket: an ssh-agent that
// takes the connection and never answers (one forwarded over an SSH
// connection that died).
func NewSilentSocket(tb testing.TB) *SilentServer {
	tb.Helper()
	// Not t.TempDir: a socket's path must stay short.
	dir, err := os.MkdirTemp("", "silent")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "agent.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		tb.Fatalf("silent socket: %v", err)
	}
	s := newSilent(tb, l)
	s.Socket = path
	return s
}

func newSilent(tb testing.TB, l net.Listener) *SilentServer {
	s := &SilentServer{
		l:         l,
		connected: make(chan struct{}),
		conns:     make(map[net.Conn]bool),
	}
	s.wg.Add(1)
	go s.serve()
	tb.Cleanup(s.Close)
	return s
}

func (s *SilentServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.l.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.total++
		if s.total == 1 {
			close(s.connected)
		}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			_, _ = io.Copy(io.Discard, c) // until the client or Close hangs up
			c.Close()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// Addr is host:port.
func (s *SilentServer) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// SSHURL is an ssh:// address for user on this server.
func (s *SilentServer) SSHURL(user, path string) string {
	return fmt.Sprintf("ssh://%s@%s/%s", user, s.Addr(), strings.TrimPrefix(path, "/"))
}

// Connected is closed once a client has connected: from then on the client
// is waiting for an answer that never comes.
func (s *SilentServer) Connected() <-chan struct{} { return s.connected }

// Conns is how many connections the server accepted in all, and how many
// of them are still open (the client has not hung up).
func (s *SilentServer) Conns() (total, open int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total, len(s.conns)
}

// Close stops the server now and closes what it holds (it is also stopped
// when the test ends).
func (s *SilentServer) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.l.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// HangingHTTPServer is an HTTP server on 127.0.0.1 that takes every request
// and then stops answering, in one of two ways: silent (no status line, no
// headers) or stalling (a git smart-HTTP server that advertises a main
// branch, then answers the fetch's request with its headers and the first
// bytes of the body, and nothing more). A handler waits until the client
// goes away or the test ends.
type HangingHTTPServer struct {
	// Stall is true for a stalling server, false for a silent one.
	Stall bool

	srv      *httptest.Server
	stop     chan struct{}
	once     sync.Once
	waiting  chan struct{} // closed when a handler first starts to wait
	waitOnce sync.Once
	mu       sync.Mutex
	requests int
	hanging  int
}

// StalledHead is the commit a stalling server advertises as main; it is in
// no repository.
const StalledHead = "5f1c0a3b9d2e4f6a7b8c9d0e1f2a3b4c5d6e7f80"

// NewSilentHTTPServer starts a server that never answers a request.
func NewSilentHTTPServer(tb testing.TB) *HangingHTTPServer {
	tb.Helper()
	return newHangingHTTPServer(tb, false)
}

// NewStallingHTTPServer starts a server that answers the advertisement of
// a repository whose main is [StalledHead], then stalls in the middle of
// the response to any other request, after its headers.
func NewStallingHTTPServer(tb testing.TB) *HangingHTTPServer {
	tb.Helper()
	return newHangingHTTPServer(tb, true)
}

func newHangingHTTPServer(tb testing.TB, stall bool) *HangingHTTPServer {
	s := &HangingHTTPServer{Stall: stall, stop: make(chan struct{}), waiting: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	// Release the handlers first: httptest's Close waits for them.
	tb.Cleanup(func() {
		s.release()
		s.srv.Close()
	})
	return s
}

func (s *HangingHTTPServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	if s.Stall {
		if strings.HasSuffix(r.URL.Path, "/info/refs") {
			service := r.URL.Query().Get("service")
			w.Header().Set("Content-Type", "application/x-"+service+"-advertisement")
			_, _ = io.WriteString(w, pktLine("# service="+service+"\n")+"0000"+
				pktLine(StalledHead+" HEAD\x00side-band-64k ofs-delta symref=HEAD:refs/heads/main\n")+
				pktLine(StalledHead+" refs/heads/main\n")+"0000")
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, pktLine("NAK\n"))
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	}
	s.mu.Lock()
	s.hanging++
	s.mu.Unlock()
	s.waitOnce.Do(func() { close(s.waiting) })
	select {
	case <-r.Context().Done(): // the client went away
	case <-s.stop:
	}
	s.mu.Lock()
	s.hanging--
	s.mu.Unlock()
}

func pktLine(s string) string { return fmt.Sprintf("%04x%s", len(s)+4, s) }

func (s *HangingHTTPServer) release() { s.once.Do(func() { close(s.stop) }) }

// URL is the address of the repository name on the server.
func (s *HangingHTTPServer) URL(name string) string {
	return s.srv.URL + "/" + strings.TrimPrefix(name, "/")
}

// Waiting is closed once a handler has started to hang: from then on the
// client is waiting for an answer that never comes.
func (s *HangingHTTPServer) Waiting() <-chan struct{} { return s.waiting }

// Requests is how many requests the server took, and how many of them are
// still hanging (their client has not gone away).
func (s *HangingHTTPServer) Requests() (total, hanging int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, s.hanging
}

// SSHClientFiles writes a new ed25519 private key (OpenSSH format, no
// passphrase) and an empty known_hosts file into dir, for a client that
// must get as far as the network before anything refuses it.
func SSHClientFiles(tb testing.TB, dir string) (keyFile, knownHosts string) {
	tb.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "gittest")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	keyFile = filepath.Join(dir, "id_ed25519")
	knownHosts = filepath.Join(dir, "known_hosts")
	writeFile(tb, keyFile, string(pem.EncodeToMemory(block)))
	writeFile(tb, knownHosts, "")
	return keyFile, knownHosts
}

// HangAfterLogin makes the server a git host stuck after the SSH handshake:
// it still logs the user key in, but then runs, instead of the command the
// client asks for, one that reads everything and never writes. The
// returned channel is closed once such a command has started: the client
// is then waiting for git's first words.
func (s *SSHServer) HangAfterLogin(tb testing.TB) <-chan struct{} {
	tb.Helper()
	started := filepath.Join(s.Dir, "hung")
	pub := readFile(tb, s.UserKey+".pub")
	writeFile(tb, filepath.Join(s.Dir, "authorized_keys"),
		fmt.Sprintf("command=\"touch '%s'; exec cat >/dev/null\",no-pty %s", started, pub))
	ch := make(chan struct{})
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			if _, err := os.Stat(started); err == nil {
				close(ch)
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	tb.Cleanup(func() {
		close(stop)
		<-done
	})
	return ch
}
