package sync

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
)

// Errors of the remote side. Test them with errors.Is; the command layer maps
// them to exit codes ([ErrOffline] to 3; [ErrAuth], [ErrHostKey],
// [ErrCleartext] and [ErrCertificate] to 4).
var (
	// ErrOffline: the remote could not be reached (no network, the host
	// does not answer, a remote folder whose drive is not mounted). Every
	// local commit is safe; a later sync sends it.
	ErrOffline = errors.New("remote not reachable")
	// ErrAuth: the remote refused the credentials, or none were usable (no
	// token for an HTTPS remote that needs one, no SSH key the server
	// accepts, a key file protected by a passphrase and no ssh-agent).
	ErrAuth = errors.New("remote refused the credentials")
	// ErrHostKey: an SSH server's host key is not in known_hosts, or
	// differs from the one there. The error is a *[HostKeyError] carrying
	// the key's fingerprint and how to trust it.
	ErrHostKey = errors.New("ssh host key not trusted")
	// ErrCleartext: a token or password would travel unencrypted, over a
	// plain http:// address to another machine. It is refused before any
	// connection: nothing was sent. Plain http carries credentials only
	// to this machine (localhost, 127.0.0.0/8, ::1).
	ErrCleartext = errors.New("a token is never sent over plain http")
	// ErrCertificate: an HTTPS server's certificate is not trusted (an
	// unknown authority, another host's name, expired). The error names
	// the x509 reason.
	ErrCertificate = errors.New("the server's certificate is not trusted")
	// ErrRemoteHasJournal: the remote holds a journal whose history shares
	// nothing with the local one (both partners ran init). Nothing was
	// changed; clone the remote instead, or sync with
	// Options.AllowUnrelated to merge the two journals.
	ErrRemoteHasJournal = errors.New("remote already holds another journal")
	// ErrNoRemote: no remote was given and the journal has none set.
	ErrNoRemote = errors.New("no remote set")
	// ErrRemoteEmpty: Clone found no branch main on the remote; start the
	// journal with init and set the remote instead.
	ErrRemoteEmpty = errors.New("remote has no journal yet")
	// ErrRemoteNotFound: there is no repository at the remote address (or
	// the server hides a private one from a client without access).
	ErrRemoteNotFound = errors.New("remote repository not found")
	// ErrRejected: the remote kept refusing the push: the partner pushed
	// again during each of several attempts, or a server rule refused it.
	// The merge is committed locally; a later sync tries again.
	ErrRejected = errors.New("remote rejected the push")
)

// originName is the one remote a journal has.
const originName = "origin"

// trackingRef is the last known position of the remote's main, as git names
// it, so that git status and git log show ahead/behind too.
const trackingRef = plumbing.ReferenceName("refs/remotes/origin/main")

// SetRemote makes url the journal's remote (origin). Credentials in url are
// never stored: a password or token is removed before .git/config is
// written (see [StripCredentials]); pass it as Auth.Token instead. A folder
// path is stored as an absolute path. The branch main is set to track
// origin's main, so git pull and git push work for a partner using git.
func (r *Repo) SetRemote(rawURL string) error {
	if err := CheckRemote(rawURL); err != nil {
		return fmt.Errorf("set remote: %w", err)
	}
	clean, _, _ := StripCredentials(rawURL)
	if isFolderURL(clean) {
		p, err := folderPath(clean)
		if err != nil {
			return fmt.Errorf("set remote %s: %w", Redact(rawURL), err)
		}
		clean = p
	}
	cfg, err := r.git.Config()
	if err != nil {
		return fmt.Errorf("set remote: read config: %w", err)
	}
	cfg.Remotes[originName] = &config.RemoteConfig{
		Name:  originName,
		URLs:  []string{clean},
		Fetch: []config.RefSpec{"+refs/heads/*:refs/remotes/origin/*"},
	}
	cfg.Branches["main"] = &config.Branch{Name: "main", Remote: originName, Merge: Branch}
	if err := r.git.SetConfig(cfg); err != nil {
		return fmt.Errorf("set remote: write config: %w", err)
	}
	return nil
}

// RemoteURL is the journal's remote (origin) as stored, without
// credentials; "" (and no error) when none is set.
func (r *Repo) RemoteURL() (string, error) {
	cfg, err := r.git.Config()
	if err != nil {
		return "", fmt.Errorf("read config: %w", err)
	}
	rc, ok := cfg.Remotes[originName]
	if !ok || len(rc.URLs) == 0 {
		return "", nil
	}
	return rc.URLs[0], nil
}

// StripCredentials splits a remote address into the address to store and
// show, and the credentials it carried. From https://user:secret@host/x it
// returns https://user@host/x, "user", "secret". A bare token in the user
// position of an HTTP(S) address (https://ghp_xxx@github.com/x, a form git
// accepts) is recognised as a secret and removed too: a user part longer
// than 32 characters, or one starting with a known token prefix. SSH
// addresses keep their user (git@github.com:x); other addresses come back
// unchanged.
func StripCredentials(rawURL string) (clean, user, secret string) {
	rawURL = strings.TrimSpace(rawURL)
	if !strings.Contains(rawURL, "://") {
		return rawURL, "", "" // a folder, or scp-like user@host:path (no secret there)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL, "", ""
	}
	// A git remote has no use for a query; one in a pasted address is most
	// likely a token (?token=..., ?private_token=...).
	query := u.RawQuery
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	if u.User != nil {
		user = u.User.Username()
		if pw, ok := u.User.Password(); ok {
			secret = pw
			u.User = url.User(user)
		} else if (u.Scheme == "http" || u.Scheme == "https") && looksLikeToken(user) {
			secret, user = user, ""
		}
		if user == "" {
			u.User = nil
		}
	}
	if secret == "" {
		secret = query
	}
	return u.String(), user, secret
}

var tokenPrefixes = []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "x-token-auth:"}

func looksLikeToken(user string) bool {
	if len(user) > 32 {
		return true
	}
	for _, p := range tokenPrefixes {
		if strings.HasPrefix(user, p) {
			return true
		}
	}
	return false
}

var (
	// scheme://user:secret@ -> scheme://user:***@
	redactPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^/@\s:]*):[^@/\s]*@`)
	// scheme://host/path?query -> scheme://host/path?***
	redactQuery = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://[^\s?]*)\?[^\s]*`)
	// http(s)://token@ -> http(s)://***@, for tokens in the user position
	redactUser = regexp.MustCompile(`(https?://)([^/@\s:]+)@`)
)

// Redact hides the secrets in a remote address, or in any text holding
// addresses (an error message): user:secret@ becomes user:***@, and a token
// used as the user of an HTTP(S) address becomes ***. Use it wherever an
// address is shown.
func Redact(s string) string {
	s = redactPassword.ReplaceAllString(s, "${1}:***@")
	s = redactQuery.ReplaceAllString(s, "${1}?***")
	return redactUser.ReplaceAllStringFunc(s, func(m string) string {
		sub := redactUser.FindStringSubmatch(m)
		if looksLikeToken(sub[2]) {
			return sub[1] + "***@"
		}
		return m
	})
}

// isFolderURL reports whether a remote address is a folder on this machine
// (a path or a file:// URL) rather than a network address.
func isFolderURL(u string) bool {
	if strings.HasPrefix(u, "file://") {
		return true
	}
	ep, err := transport.NewEndpoint(u)
	return err == nil && ep.Protocol == "file"
}

// folderPath is the absolute path of a folder remote.
func folderPath(u string) (string, error) {
	p := u
	if strings.HasPrefix(u, "file://") {
		pu, err := url.Parse(u)
		if err != nil {
			return "", fmt.Errorf("bad file URL: %w", err)
		}
		p = pu.Path
	}
	if strings.HasPrefix(p, "~/") {
		return "", fmt.Errorf("a folder remote must not start with ~ (the shell expands it; give the full path)")
	}
	return filepath.Abs(filepath.FromSlash(p))
}

// remoteLocation is the address Sync, Fetch and Status use: the one given,
// or origin's.
func (r *Repo) remoteLocation(given string) (loc string, isOrigin bool, err error) {
	origin, err := r.RemoteURL()
	if err != nil {
		return "", false, err
	}
	if given == "" {
		if origin == "" {
			return "", false, fmt.Errorf("%w: set one with the journal's remote setting", ErrNoRemote)
		}
		return origin, true, nil
	}
	clean, _, _ := StripCredentials(given)
	if isFolderURL(clean) && isFolderURL(origin) {
		a, errA := folderPath(clean)
		b, errB := folderPath(origin)
		return given, errA == nil && errB == nil && a == b, nil
	}
	return given, clean == origin, nil
}

// ErrBadRemote is an address reconnect cannot sync with.
var ErrBadRemote = errors.New("not a remote reconnect can use")

// CheckRemote tells whether an address is one reconnect can sync with: a
// folder path or file:// URL, an ssh:// or scp-like user@host:path address,
// or an http(s):// URL. Anything else wraps [ErrBadRemote].
func CheckRemote(rawURL string) error {
	clean, _, _ := StripCredentials(rawURL)
	if clean == "" {
		return fmt.Errorf("%w: empty address", ErrBadRemote)
	}
	if isFolderURL(clean) {
		if _, err := folderPath(clean); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadRemote, Redact(rawURL), err)
		}
		return nil
	}
	ep, err := transport.NewEndpoint(clean)
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadRemote, Redact(rawURL), err)
	}
	switch ep.Protocol {
	case "http", "https", "ssh":
		return nil
	}
	return fmt.Errorf("%w: %s: protocol %q is not supported (use a folder, ssh or https)", ErrBadRemote, Redact(rawURL), ep.Protocol)
}
