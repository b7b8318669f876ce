package gittest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// SSHD is where OpenSSH's server is installed.
const SSHD = "/usr/sbin/sshd"

// SSHServer is a real sshd listening on 127.0.0.1, running as the current
// user with a private configuration: its own host key, public-key login only,
// for the current user, with one authorized key.
type SSHServer struct {
	// Host and Port are where the server listens.
	Host string
	Port int
	// User is the login name (the current user).
	User string
	// UserKey is the private key (OpenSSH format, no passphrase) the server
	// accepts; UserKey+".pub" is its public half.
	UserKey string
	// HostKey is the server's private host key; HostKey+".pub" is its public
	// half.
	HostKey string
	// KnownHosts is a known_hosts file that trusts this server and nothing
	// else.
	KnownHosts string
	// Dir is the server's private folder (config, keys, logs).
	Dir string

	cmd  *exec.Cmd
	done chan error

	mu  sync.Mutex
	log bytes.Buffer
}

// NewSSHServer starts sshd and stops it when the test ends. It skips the test
// when sshd is not installed.
func NewSSHServer(tb testing.TB) *SSHServer {
	tb.Helper()
	if _, err := os.Stat(SSHD); err != nil {
		tb.Skipf("sshd is not installed at %s (apt-get install openssh-server): %v", SSHD, err)
	}
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		tb.Skipf("ssh-keygen is not installed: %v", err)
	}
	u, err := user.Current()
	if err != nil {
		tb.Fatalf("current user: %v", err)
	}
	if os.Geteuid() == 0 {
		// Run as root, sshd insists on its privilege-separation folder, which
		// systemd creates at boot and a container may lack.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			tb.Fatalf("sshd needs /run/sshd: %v", err)
		}
	}

	dir := tb.TempDir()
	s := &SSHServer{
		Host:       "127.0.0.1",
		User:       u.Username,
		UserKey:    filepath.Join(dir, "id_ed25519"),
		HostKey:    filepath.Join(dir, "host_ed25519"),
		KnownHosts: filepath.Join(dir, "known_hosts"),
		Dir:        dir,
	}
	for _, k := range []string{s.UserKey, s.HostKey} {
		if out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-N", "", "-C", "gittest", "-f", k).CombinedOutput(); err != nil {
			tb.Fatalf("ssh-keygen: %v: %s", err, out)
		}
	}
	userPub := readFile(tb, s.UserKey+".pub")
	hostPub := readFile(tb, s.HostKey+".pub")
	authorized := filepath.Join(dir, "authorized_keys")
	writeFile(tb, authorized, userPub)

	// A free port: bind, read it, release it for sshd.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	l.Close()

	fields := strings.Fields(hostPub)
	writeFile(tb, s.KnownHosts, fmt.Sprintf("[%s]:%d %s %s\n", s.Host, s.Port, fields[0], fields[1]))

	config := filepath.Join(dir, "sshd_config")
	writeFile(tb, config, strings.Join([]string{
		"Port " + strconv.Itoa(s.Port),
		"ListenAddress " + s.Host,
		"HostKey " + s.HostKey,
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"AuthorizedKeysFile " + authorized,
		"StrictModes no",
		"UsePAM no",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"AllowUsers " + s.User,
		"AllowTcpForwarding no",
		"X11Forwarding no",
		"PrintMotd no",
		"LogLevel INFO",
		"",
	}, "\n"))

	cmd := exec.Command(SSHD, "-D", "-e", "-f", config)
	cmd.Dir = dir
	stderr, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start sshd: %v", err)
	}
	s.cmd = cmd
	s.done = make(chan error, 1)

	// sshd says when it listens; read its log until then, and keep reading
	// (into s.log) so it never blocks on a full pipe.
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			s.appendLog(line)
			if !signalled && strings.Contains(line, "Server listening on") {
				signalled = true
				close(ready)
			}
		}
		if !signalled {
			close(ready)
		}
		_, _ = io.Copy(io.Discard, stderr)
		s.done <- cmd.Wait()
	}()
	tb.Cleanup(s.stop)

	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		tb.Fatalf("sshd did not start listening within 30s:\n%s", s.Log())
	}
	if !isListening(s.Addr()) {
		tb.Fatalf("sshd is not listening on %s:\n%s", s.Addr(), s.Log())
	}
	return s
}

func (s *SSHServer) appendLog(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.WriteString(line + "\n")
}

// Log is what sshd has logged so far, for failure messages.
func (s *SSHServer) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// Addr is host:port.
func (s *SSHServer) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// URL is the ssh:// address of the repository at the absolute path p.
func (s *SSHServer) URL(p string) string {
	return fmt.Sprintf("ssh://%s@%s%s", s.User, s.Addr(), filepath.ToSlash(p))
}

// GitSSHCommand is a GIT_SSH_COMMAND value that makes the git CLI log in
// with the user key and trust only this server.
func (s *SSHServer) GitSSHCommand() string {
	return fmt.Sprintf("ssh -i %s -o IdentitiesOnly=yes -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o BatchMode=yes -F /dev/null",
		s.UserKey, s.KnownHosts)
}

// stop ends sshd and waits for it. It first lets the sessions sshd forked
// finish (a client that hung up may leave one closing for a moment), so that
// sshd reaps them; a session orphaned by its parent's exit would linger as a
// zombie.
func (s *SSHServer) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if len(childrenOf(s.cmd.Process.Pid)) == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// childrenOf lists the processes whose parent is pid, from /proc; elsewhere
// it returns nothing.
func childrenOf(pid int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var kids []int
	for _, e := range ents {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) >= 2 && f[1] == strconv.Itoa(pid) {
			kids = append(kids, child)
		}
	}
	return kids
}

func isListening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func readFile(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func writeFile(tb testing.TB, name, data string) {
	tb.Helper()
	if err := os.WriteFile(name, []byte(data), 0o600); err != nil {
		tb.Fatal(err)
	}
}
