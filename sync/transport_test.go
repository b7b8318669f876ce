package sync

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// rsHTTPRemote serves a new bare repository over git-http-backend with
// basic auth and returns the server and the repository's URL.
func rsHTTPRemote(t *testing.T) (*gittest.HTTPServer, string) {
	t.Helper()
	root := t.TempDir()
	gittest.BareAt(t, filepath.Join(root, "journal.git"))
	s := gittest.NewHTTPServer(t, root, "reconnect", "s3cret-token-value")
	return s, s.URL("journal.git")
}

func TestSyncHTTP(t *testing.T) {
	t.Parallel()
	s, url := rsHTTPRemote(t)
	good := Auth{Token: s.Token}

	a := rsInit(t, "sam")
	a.auth = good
	if err := a.r.SetRemote(url); err != nil {
		t.Fatal(err)
	}
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("first push over http: %q", res.State)
	}
	b := rsCloneOf(t, url, "alex", good)
	pa, ca := rsEntry("sam", "2026-11-21", "checkin", "over http")
	pb, cb := rsEntry("alex", "2026-11-21", "checkin", "also over http")
	a.write(pa, ca)
	b.write(pb, cb)
	a.sync()
	if res := b.sync(); res.State != StateMerged {
		t.Fatalf("state %q", res.State)
	}
	a.sync()
	rsSameTrees(t, a, b)
	a.checkClean()
	b.checkClean()
	// The server's copy is sound and holds both entries.
	gittest.Fsck(t, filepath.Join(s.Root, "journal.git"))
	if got := gittest.Show(t, filepath.Join(s.Root, "journal.git"), "main", pb); got != cb {
		t.Fatalf("server holds %q", got)
	}

	tests := []struct {
		name string
		auth Auth
		url  string
	}{
		{"wrong token", Auth{Token: "wrong-token"}, url},
		{"no token", Auth{}, url},
		{"wrong password in the address", Auth{}, strings.Replace(url, "http://", "http://reconnect:nope@", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &rsClone{t: t, author: "sam", r: a.r, auth: tt.auth, remote: tt.url}
			_, err := c.trySync()
			if !errors.Is(err, ErrAuth) {
				t.Fatalf("sync: %v, want ErrAuth", err)
			}
			if strings.Contains(err.Error(), "nope") || strings.Contains(err.Error(), "wrong-token") {
				t.Fatalf("the error shows a secret: %v", err)
			}
		})
	}

	// A token in the address works, and is not stored.
	withToken := strings.Replace(url, "http://", "http://reconnect:"+s.Token+"@", 1)
	if err := a.r.SetRemote(withToken); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(a.r.Dir, ".git", "config"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), s.Token) {
		t.Fatalf(".git/config holds the token:\n%s", cfg)
	}
	c := &rsClone{t: t, author: "sam", r: a.r, remote: withToken}
	if _, err := c.trySync(); err != nil {
		t.Fatalf("sync with the token in the address: %v", err)
	}

	// The server goes away: offline, and the local commit stays.
	a.write(rsEntry("sam", "2026-11-22", "checkin", "written offline"))
	s.Close()
	if _, err := a.trySync(); !errors.Is(err, ErrOffline) {
		t.Fatalf("sync with the server down: %v, want ErrOffline", err)
	}
}

// rsSSH starts sshd and returns it with a bare repository's ssh URL.
func rsSSH(t *testing.T) (*gittest.SSHServer, string, string) {
	t.Helper()
	s := gittest.NewSSHServer(t)
	bare := gittest.Bare(t)
	return s, bare, s.URL(bare)
}

func TestSyncSSH(t *testing.T) {
	s, bare, url := rsSSH(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	keyAuth := Auth{SSHKeyFile: s.UserKey, KnownHostsFile: s.KnownHosts}

	a := rsInit(t, "sam")
	a.auth = keyAuth
	if err := a.r.SetRemote(url); err != nil {
		t.Fatal(err)
	}
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("first push over ssh: %q", res.State)
	}
	b := rsCloneOf(t, url, "alex", keyAuth)
	pa, ca := rsEntry("sam", "2026-11-21", "checkin", "over ssh")
	pb, cb := rsEntry("alex", "2026-11-21", "checkin", "also over ssh")
	a.write(pa, ca)
	b.write(pb, cb)
	a.sync()
	if res := b.sync(); res.State != StateMerged {
		t.Fatalf("state %q", res.State)
	}
	a.sync()
	rsSameTrees(t, a, b)
	gittest.Fsck(t, bare)
	a.checkClean()
	b.checkClean()

	t.Run("agent", func(t *testing.T) {
		sock := rsAgent(t, s.UserKey)
		t.Setenv("SSH_AUTH_SOCK", sock)
		c := &rsClone{t: t, author: "sam", r: a.r, auth: Auth{KnownHostsFile: s.KnownHosts, SSHKeyFile: filepath.Join(t.TempDir(), "none")}}
		c.write(rsEntry("sam", "2026-11-22", "checkin", "through the agent"))
		if res := c.sync(); res.State != StatePushed {
			t.Fatalf("push with the agent's key: %q", res.State)
		}
	})

	t.Run("unknown host", func(t *testing.T) {
		kh := filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(kh, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		c := &rsClone{t: t, author: "sam", r: a.r, auth: Auth{SSHKeyFile: s.UserKey, KnownHostsFile: kh}}
		_, err := c.trySync()
		var hke *HostKeyError
		if !errors.Is(err, ErrHostKey) || !errors.As(err, &hke) {
			t.Fatalf("sync with an unknown host: %v, want a HostKeyError", err)
		}
		fp := rsFingerprint(t, s.HostKey+".pub")
		if hke.Fingerprint != fp || hke.Changed {
			t.Fatalf("fingerprint %s changed %v, want %s unknown", hke.Fingerprint, hke.Changed, fp)
		}
		for _, want := range []string{fp, "ssh-keyscan -p", kh} {
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("message lacks %q: %v", want, err)
			}
		}
	})

	t.Run("changed host key", func(t *testing.T) {
		other := gittest.NewSSHServer(t) // another server's key, recorded for this one
		line, err := os.ReadFile(other.KnownHosts)
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(line))
		kh := filepath.Join(t.TempDir(), "known_hosts")
		if err := os.WriteFile(kh, []byte("[127.0.0.1]:"+rsPort(s)+" "+f[1]+" "+f[2]+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		c := &rsClone{t: t, author: "sam", r: a.r, auth: Auth{SSHKeyFile: s.UserKey, KnownHostsFile: kh}}
		_, err = c.trySync()
		var hke *HostKeyError
		if !errors.As(err, &hke) || !hke.Changed {
			t.Fatalf("sync with a changed host key: %v, want a changed HostKeyError", err)
		}
	})

	t.Run("key not accepted", func(t *testing.T) {
		other := gittest.NewSSHServer(t) // its user key is not authorized here
		c := &rsClone{t: t, author: "sam", r: a.r, auth: Auth{SSHKeyFile: other.UserKey, KnownHostsFile: s.KnownHosts}}
		if _, err := c.trySync(); !errors.Is(err, ErrAuth) {
			t.Fatalf("sync with a key the server refuses: %v, want ErrAuth", err)
		}
	})

	t.Run("no repository there", func(t *testing.T) {
		missing := s.URL(filepath.Join(t.TempDir(), "none.git"))
		if _, err := Clone(context.Background(), missing, filepath.Join(t.TempDir(), "c"), keyAuth); !errors.Is(err, ErrRemoteNotFound) {
			t.Fatalf("clone: %v, want ErrRemoteNotFound", err)
		}
		c := &rsClone{t: t, author: "sam", r: a.r, auth: keyAuth, remote: missing}
		if _, err := c.trySync(); !errors.Is(err, ErrRemoteNotFound) {
			t.Fatalf("sync: %v, want ErrRemoteNotFound", err)
		}
	})

	t.Run("offline", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close() // nothing listens there now
		c := &rsClone{t: t, author: "sam", r: a.r, auth: keyAuth,
			remote: strings.Replace(url, ":"+rsPort(s)+"/", ":"+strconv.Itoa(port)+"/", 1)}
		if _, err := c.trySync(); !errors.Is(err, ErrOffline) {
			t.Fatalf("sync with no server: %v, want ErrOffline", err)
		}
	})
}

func rsPort(s *gittest.SSHServer) string { return strconv.Itoa(s.Port) }

// rsAgent serves an ssh-agent holding the key in keyFile on a unix socket
// for the test's duration, and returns the socket's path.
func rsAgent(t *testing.T, keyFile string) string {
	t.Helper()
	b, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ssh.ParseRawPrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	keyring := agent.NewKeyring()
	if err := keyring.Add(agent.AddedKey{PrivateKey: key}); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "agent")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "agent.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				go func() { <-ctx.Done(); c.Close() }()
				_ = agent.ServeAgent(keyring, c)
			}()
		}
	}()
	t.Cleanup(func() {
		cancel()
		l.Close()
		<-done
	})
	return sock
}

func rsFingerprint(t *testing.T, pubFile string) string {
	t.Helper()
	b, err := os.ReadFile(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	pk, _, _, _, err := ssh.ParseAuthorizedKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return ssh.FingerprintSHA256(pk)
}

// Many objects at once travel as one pack both ways (a first push, a
// clone): written whole, indexed, and sound for git.
func TestSyncHTTPLargePack(t *testing.T) {
	t.Parallel()
	s, url := rsHTTPRemote(t)
	auth := Auth{Token: s.Token}
	a := rsInit(t, "sam")
	a.auth = auth
	for i := 1; i <= 40; i++ {
		a.write(rsEntry("sam", fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28), "checkin", fmt.Sprint("day ", i)))
	}
	if err := a.r.SetRemote(url); err != nil {
		t.Fatal(err)
	}
	a.sync()
	b := rsCloneOf(t, url, "alex", auth)
	packs, err := filepath.Glob(filepath.Join(b.r.Dir, ".git", "objects", "pack", "*.pack"))
	if err != nil || len(packs) != 1 {
		t.Fatalf("the clone's objects should be one pack: %v %v", packs, err)
	}
	rsSameTrees(t, a, b)
	b.checkClean()
	// And the other way: a folder remote gets a pack for many objects.
	folder := gittest.Bare(t)
	c := &rsClone{t: t, author: "sam", r: a.r, remote: folder}
	c.sync()
	packs, _ = filepath.Glob(filepath.Join(folder, "objects", "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("the folder remote should hold one pack: %v", packs)
	}
	gittest.Fsck(t, folder)
}
