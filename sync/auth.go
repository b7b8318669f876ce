package sync

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"
	"github.com/skeema/knownhosts"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"
)

// Auth holds the credentials for a remote. None of it is ever written into
// the repository or shown in a message.
type Auth struct {
	// Token is sent as the password of HTTP basic auth to an HTTPS remote
	// (the user is the one in the address, else "reconnect"). Empty: the
	// password in the address, if any, else no auth.
	Token string
	// SSHKeyFile is a private key for SSH remotes, used after the keys of a
	// running ssh-agent (SSH_AUTH_SOCK). Empty: ~/.ssh/id_ed25519,
	// id_ecdsa and id_rsa, those that exist. A key protected by a
	// passphrase must be loaded into ssh-agent.
	SSHKeyFile string
	// KnownHostsFile is the known_hosts file that SSH host keys are checked
	// against. Empty: ~/.ssh/known_hosts.
	KnownHostsFile string
}

// defaultHTTPUser is the user name sent with a token when the address names
// none; GitHub, GitLab and Gitea accept any name with a token.
const defaultHTTPUser = "reconnect"

// HostKeyError is the error for an SSH server whose host key is not trusted.
// It matches [ErrHostKey] with errors.Is.
type HostKeyError struct {
	// Host is the server as known_hosts names it (host, or [host]:port).
	Host string
	// KeyType and Fingerprint describe the key the server presented;
	// Fingerprint is in OpenSSH's SHA256:... form.
	KeyType, Fingerprint string
	// Changed is set when known_hosts holds a different key for the host:
	// the server was reinstalled, or someone is in the middle.
	Changed bool
	// KnownHosts is the file that was checked.
	KnownHosts string
	port       int
	hostname   string
}

func (e *HostKeyError) Error() string {
	keyscan := "ssh-keyscan"
	if e.port != 0 && e.port != 22 {
		keyscan += " -p " + strconv.Itoa(e.port)
	}
	keyscan += " " + e.hostname + " >> " + e.KnownHosts
	if e.Changed {
		return fmt.Sprintf("ssh host key for %s has CHANGED (%s %s); it differs from the one in %s. "+
			"If the server was reinstalled, confirm the new fingerprint with its owner, remove the old line "+
			"(ssh-keygen -R %s -f %s), then add the new one (%s)",
			e.Host, e.KeyType, e.Fingerprint, e.KnownHosts, e.Host, e.KnownHosts, keyscan)
	}
	return fmt.Sprintf("ssh host %s is unknown (%s %s is not in %s). "+
		"Confirm the fingerprint with the server's owner, then trust it: %s",
		e.Host, e.KeyType, e.Fingerprint, e.KnownHosts, keyscan)
}

// Is makes errors.Is(err, ErrHostKey) true.
func (e *HostKeyError) Is(target error) bool { return target == ErrHostKey }

// hostKeyCheck verifies SSH host keys against one known_hosts file and
// remembers the refusal, which go-git would otherwise flatten into text.
type hostKeyCheck struct {
	file string
	db   *knownhosts.HostKeyDB // nil when the file does not exist yet

	mu      gosync.Mutex
	refused *HostKeyError
}

func newHostKeyCheck(file string) (*hostKeyCheck, error) {
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("find known_hosts: %w", err)
		}
		file = filepath.Join(home, ".ssh", "known_hosts")
	}
	c := &hostKeyCheck{file: file}
	db, err := knownhosts.NewDB(file)
	switch {
	case err == nil:
		c.db = db
	case errors.Is(err, fs.ErrNotExist):
		// No known_hosts yet: every host is unknown, and the error says
		// how to add it.
	default:
		return nil, fmt.Errorf("read known_hosts %s: %w", file, err)
	}
	return c, nil
}

func (c *hostKeyCheck) callback(hostname string, remote net.Addr, key ssh.PublicKey) error {
	var err error
	if c.db != nil {
		err = c.db.HostKeyCallback()(hostname, remote, key)
		if err == nil {
			return nil
		}
	}
	var keyErr *xknownhosts.KeyError
	if c.db != nil && !errors.As(err, &keyErr) {
		return err // revoked key, unreadable file
	}
	host, portStr, splitErr := net.SplitHostPort(hostname)
	if splitErr != nil {
		host = hostname
	}
	port, _ := strconv.Atoi(portStr)
	hke := &HostKeyError{
		Host:        knownhosts.Normalize(hostname),
		KeyType:     key.Type(),
		Fingerprint: ssh.FingerprintSHA256(key),
		Changed:     keyErr != nil && len(keyErr.Want) > 0,
		KnownHosts:  c.file,
		port:        port,
		hostname:    host,
	}
	c.mu.Lock()
	c.refused = hke
	c.mu.Unlock()
	return hke
}

func (c *hostKeyCheck) algorithms(hostWithPort string) []string {
	if c.db == nil {
		return nil
	}
	return c.db.HostKeyAlgorithms(hostWithPort)
}

func (c *hostKeyCheck) refusal() *HostKeyError {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refused
}

// sshAuth is what an SSH connection offers and checks: the keys of the
// key files and of ssh-agent, and the host key against known_hosts.
type sshAuth struct {
	user      string
	keys      []ssh.Signer // from key files
	keyErr    error        // why a key file named explicitly cannot be used
	agentSock string       // ssh-agent's socket, asked at each connection
	check     *hostKeyCheck
	algos     []string
}

// clientConfig is the SSH configuration for one connection offering
// signers. It has no Timeout: the connection is bound to the context.
func (a *sshAuth) clientConfig(signers []ssh.Signer) *ssh.ClientConfig {
	return &ssh.ClientConfig{
		User:              a.user,
		Auth:              []ssh.AuthMethod{ssh.PublicKeys(signers...)},
		HostKeyCallback:   a.check.callback,
		HostKeyAlgorithms: a.algos,
	}
}

// signers are the keys to offer on one connection: ssh-agent's, then the
// key files'. The agent is asked over a connection bound to ctx, so a
// stuck agent (one forwarded over a connection that died) ends with the
// context too; release closes it once the SSH connection is done with it.
func (a *sshAuth) signers(ctx context.Context) (_ []ssh.Signer, release func(), _ error) {
	var out []ssh.Signer
	release = func() {}
	if a.agentSock != "" {
		if conn, err := dialContext(ctx, "unix", a.agentSock, 0); err == nil {
			if ss, err := agent.NewClient(conn).Signers(); err == nil {
				out = append(out, ss...)
			}
			release = func() { conn.Close() }
		}
	}
	out = append(out, a.keys...)
	if len(out) > 0 {
		return out, release, nil
	}
	release()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if a.keyErr != nil {
		return nil, nil, a.keyErr
	}
	return nil, nil, errNoSSHKey
}

var errNoSSHKey = fmt.Errorf("%w: no ssh key: start ssh-agent with your key loaded, or name a key file", ErrAuth)

// newSSHAuth reads the key file (or the default ones when no file is
// named) and known_hosts. ssh-agent is asked at each connection.
func newSSHAuth(ep *transport.Endpoint, auth Auth) (*sshAuth, error) {
	check, err := newHostKeyCheck(auth.KnownHostsFile)
	if err != nil {
		return nil, err
	}
	user := ep.User
	if user == "" {
		user = currentUser()
	}
	files := []string{auth.SSHKeyFile}
	explicit := auth.SSHKeyFile != ""
	if !explicit {
		if home, err := os.UserHomeDir(); err == nil {
			files = []string{
				filepath.Join(home, ".ssh", "id_ed25519"),
				filepath.Join(home, ".ssh", "id_ecdsa"),
				filepath.Join(home, ".ssh", "id_rsa"),
			}
		}
	}
	a := &sshAuth{user: user, agentSock: os.Getenv("SSH_AUTH_SOCK"), check: check,
		algos: check.algorithms(sshHostWithPort(ep))}
	for _, f := range files {
		if f == "" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			if explicit {
				a.keyErr = fmt.Errorf("%w: read ssh key: %w", ErrAuth, err)
			}
			continue
		}
		s, err := ssh.ParsePrivateKey(b)
		if err != nil {
			var pp *ssh.PassphraseMissingError
			if errors.As(err, &pp) {
				a.keyErr = fmt.Errorf("%w: ssh key %s is protected by a passphrase; load it into ssh-agent (ssh-add %s)", ErrAuth, f, f)
			} else {
				a.keyErr = fmt.Errorf("%w: ssh key %s: %w", ErrAuth, f, err)
			}
			continue
		}
		a.keys = append(a.keys, s)
	}
	if len(a.keys) == 0 && a.agentSock == "" {
		if a.keyErr != nil {
			return nil, a.keyErr
		}
		return nil, errNoSSHKey
	}
	return a, nil
}

// sshHostWithPort is where an SSH remote is reached, including a
// Hostname/Port from ~/.ssh/config (read through go-git's
// DefaultSSHConfig, as its own transport did).
func sshHostWithPort(ep *transport.Endpoint) string {
	host, port := ep.Host, ep.Port
	if gitssh.DefaultSSHConfig != nil {
		if h := gitssh.DefaultSSHConfig.Get(ep.Host, "Hostname"); h != "" {
			host = h
			if p, err := strconv.Atoi(gitssh.DefaultSSHConfig.Get(ep.Host, "Port")); err == nil {
				port = p
			}
		}
	}
	if port <= 0 {
		port = 22
	}
	return net.JoinHostPort(host, strconv.Itoa(port))
}

func currentUser() string {
	for _, k := range []string{"USER", "LOGNAME", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "git"
}

// httpAuth is basic auth with the token, or the credentials of the address.
func httpAuth(ep *transport.Endpoint, auth Auth) transport.AuthMethod {
	user, pass := ep.User, ep.Password
	if auth.Token != "" {
		pass = auth.Token
	}
	if pass == "" && user != "" && looksLikeToken(user) {
		user, pass = "", user
	}
	if pass == "" {
		return nil
	}
	if user == "" {
		user = defaultHTTPUser
	}
	return &githttp.BasicAuth{Username: user, Password: pass}
}

// checkCleartext refuses to send credentials (basic, from httpAuth) over a
// plain http:// address to anything but this machine, before any
// connection is made. loc is the redacted address for the message.
func checkCleartext(ep *transport.Endpoint, basic transport.AuthMethod, loc string) error {
	if ep.Protocol != "http" || basic == nil || isLoopbackHost(ep.Host) {
		return nil
	}
	return fmt.Errorf("remote %s: %w to another machine; use an https:// address", loc, ErrCleartext)
}

// isLoopbackHost reports whether host names this machine: localhost, an
// address in 127.0.0.0/8, or ::1. Nothing is looked up: any other name
// could resolve anywhere.
func isLoopbackHost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if h == "localhost" {
		return true
	}
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i] // an IPv6 zone
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// certificateError is the x509 reason an HTTPS server's certificate was
// refused, when e is (or wraps) one: nil otherwise.
func certificateError(e error) error {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		roots    x509.SystemRootsError
		verify   *tls.CertificateVerificationError
	)
	switch {
	case errors.As(e, &unknown):
		return unknown
	case errors.As(e, &hostname):
		return hostname
	case errors.As(e, &invalid):
		return invalid
	case errors.As(e, &roots):
		return roots
	case errors.As(e, &verify):
		return verify.Err
	}
	return nil
}

// classify turns a transport failure into the package's errors: ErrOffline,
// ErrAuth, ErrHostKey (the recorded *HostKeyError), ErrCertificate,
// ErrRemoteNotFound, or the context's error. loc is the redacted address for the message. Secrets
// are removed from the text of anything else.
func classify(ctx context.Context, err error, loc string, check *hostKeyCheck, secrets ...string) error {
	if err == nil {
		return nil
	}
	if check != nil {
		if hke := check.refusal(); hke != nil {
			return hke
		}
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return contextEnded(loc, ctxErr)
	}
	for _, e := range causes(err) {
		if cert := certificateError(e); cert != nil {
			return fmt.Errorf("%s: %w: %s; if this is your own server, add its certificate to the system's trust store",
				loc, ErrCertificate, scrubText(cert.Error(), secrets))
		}
		switch {
		case errors.Is(e, ErrOffline), errors.Is(e, ErrAuth), errors.Is(e, ErrHostKey),
			errors.Is(e, ErrCertificate), errors.Is(e, ErrCleartext),
			errors.Is(e, ErrRejected), errors.Is(e, ErrRemoteNotFound):
			return scrub(err, secrets)
		case errors.Is(e, context.Canceled), errors.Is(e, context.DeadlineExceeded):
			return contextEnded(loc, e)
		case errors.Is(e, transport.ErrAuthenticationRequired), errors.Is(e, transport.ErrAuthorizationFailed),
			errors.Is(e, transport.ErrInvalidAuthMethod):
			return fmt.Errorf("%s: %w (%s)", loc, ErrAuth, scrubText(e.Error(), secrets))
		case errors.Is(e, transport.ErrRepositoryNotFound):
			return fmt.Errorf("%s: %w", loc, ErrRemoteNotFound)
		}
		var dnsErr *net.DNSError
		var opErr *net.OpError
		switch {
		case errors.As(e, &dnsErr), errors.As(e, &opErr),
			errors.Is(e, syscall.ECONNREFUSED), errors.Is(e, syscall.ECONNRESET),
			errors.Is(e, syscall.ENETUNREACH), errors.Is(e, syscall.EHOSTUNREACH),
			errors.Is(e, syscall.ETIMEDOUT), errors.Is(e, os.ErrDeadlineExceeded):
			return fmt.Errorf("%s: %w (%s)", loc, ErrOffline, scrubText(e.Error(), secrets))
		}
		var netErr net.Error
		if errors.As(e, &netErr) && netErr.Timeout() {
			return fmt.Errorf("%s: %w (%s)", loc, ErrOffline, scrubText(e.Error(), secrets))
		}
		if strings.Contains(e.Error(), "ssh: unable to authenticate") {
			return fmt.Errorf("%s: %w: the server accepted none of the ssh keys offered", loc, ErrAuth)
		}
	}
	return scrub(fmt.Errorf("%s: %w", loc, err), secrets)
}

// contextEnded is the error of an exchange cut short by its context: the
// cancellation itself (Ctrl-C), or, for a deadline, a remote that did not
// answer in time, which is [ErrOffline] and still wraps
// context.DeadlineExceeded.
func contextEnded(loc string, ctxErr error) error {
	if errors.Is(ctxErr, context.DeadlineExceeded) {
		return &noAnswerError{loc: loc, err: ctxErr}
	}
	return ctxErr
}

type noAnswerError struct {
	loc string
	err error
}

func (e *noAnswerError) Error() string {
	return e.loc + ": " + ErrOffline.Error() + ": no answer in the time allowed"
}

func (e *noAnswerError) Unwrap() []error { return []error{ErrOffline, e.err} }

// causes lists err and everything it wraps, including go-git's error
// types that hold a cause without an Unwrap method.
func causes(err error) []error {
	var out []error
	queue := []error{err}
	for len(queue) > 0 && len(out) < 32 {
		e := queue[0]
		queue = queue[1:]
		if e == nil {
			continue
		}
		out = append(out, e)
		switch x := e.(type) {
		case *plumbing.UnexpectedError:
			queue = append(queue, x.Err)
		case *plumbing.PermanentError:
			queue = append(queue, x.Err)
		case interface{ Unwrap() []error }:
			queue = append(queue, x.Unwrap()...)
		case interface{ Unwrap() error }:
			queue = append(queue, x.Unwrap())
		}
	}
	return out
}

// scrub keeps err's identity for errors.Is but removes secrets and
// credentials in addresses from its text.
func scrub(err error, secrets []string) error {
	msg := scrubText(err.Error(), secrets)
	if msg == err.Error() {
		return err
	}
	return &scrubbedError{msg: msg, err: err}
}

func scrubText(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "***")
		}
	}
	return Redact(s)
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }
