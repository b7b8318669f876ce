package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	gosync "sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/utils/ioutil"
	"golang.org/x/crypto/ssh"
)

// The SSH transport is written here rather than taken from go-git, whose
// ssh client dials and runs the SSH handshake without a context (its
// ClientConfig.Timeout bounds only the TCP connect): a server that accepts
// the connection and never answers would hold a command forever. go-git
// has no hook for the dial. Here every session runs on a connection bound
// to the context of the exchange ([bindConn]), so the dial, the handshake
// and every read and write of git-upload-pack and git-receive-pack end
// when that context does. The git protocol itself is go-git's packp
// messages, as in its transport.

// sshConnectTimeout bounds the TCP connect when the context has no
// deadline, as ssh.ClientConfig.Timeout did.
const sshConnectTimeout = 30 * time.Second

// sshSessions opens git sessions over SSH to one remote.
type sshSessions struct {
	ep   *transport.Endpoint
	auth *sshAuth
	addr string // host:port to dial, after ~/.ssh/config
}

func (s *sshSessions) uploadPack(ctx context.Context) (transport.UploadPackSession, error) {
	return s.open(ctx, transport.UploadPackServiceName)
}

func (s *sshSessions) receivePack(ctx context.Context) (transport.ReceivePackSession, error) {
	return s.open(ctx, transport.ReceivePackServiceName)
}

// open connects, runs the handshake and starts service on the remote's
// path. Everything the session does afterwards is bound to ctx too.
func (s *sshSessions) open(ctx context.Context, service string) (_ *sshSession, err error) {
	signers, releaseAgent, err := s.auth.signers(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			releaseAgent()
		}
	}()
	conn, err := dialContext(ctx, "tcp", s.addr, sshConnectTimeout)
	if err != nil {
		return nil, err
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, s.addr, s.auth.clientConfig(signers))
	if err != nil {
		conn.Close()
		return nil, err
	}
	client := ssh.NewClient(c, chans, reqs)
	sess, err := s.start(client, service)
	if err != nil {
		client.Close()
		return nil, err
	}
	sess.release = releaseAgent
	return sess, nil
}

func (s *sshSessions) start(client *ssh.Client, service string) (*sshSession, error) {
	ss, err := client.NewSession()
	if err != nil {
		return nil, err
	}
	stdin, err := ss.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := ss.StdoutPipe()
	if err != nil {
		return nil, err
	}
	stderr, err := ss.StderrPipe()
	if err != nil {
		return nil, err
	}
	sess := &sshSession{
		client:  client,
		ss:      ss,
		stdin:   stdin,
		stdout:  stdout,
		receive: service == transport.ReceivePackServiceName,
		stderr:  newStderrTail(stderr),
	}
	if err := ss.Start(service + " " + shellQuote(s.ep.Path)); err != nil {
		return nil, err
	}
	return sess, nil
}

// shellQuote quotes s for the remote's POSIX shell as git does
// (sq_quote_buf): in single quotes, with ' and ! closed, escaped and
// reopened.
func shellQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		if r == '\'' || r == '!' {
			b.WriteString(`'\`)
			b.WriteRune(r)
			b.WriteByte('\'')
			continue
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// sshSession is one run of git-upload-pack or git-receive-pack over SSH.
// It implements go-git's transport.UploadPackSession and
// transport.ReceivePackSession. Its connection is bound to the context it
// was opened with; the contexts given to its methods are that one.
type sshSession struct {
	client  *ssh.Client
	ss      *ssh.Session
	stdin   io.WriteCloser
	stdout  io.Reader
	stderr  *stderrTail
	release func()
	receive bool

	advRefs  *packp.AdvRefs
	packRun  bool // a request was sent: no flush-pkt to end politely
	finished bool
	closed   bool
}

func (s *sshSession) AdvertisedReferences() (*packp.AdvRefs, error) {
	return s.AdvertisedReferencesContext(context.Background())
}

// AdvertisedReferencesContext reads the server's branches and
// capabilities.
func (s *sshSession) AdvertisedReferencesContext(context.Context) (*packp.AdvRefs, error) {
	if s.advRefs != nil {
		return s.advRefs, nil
	}
	ar := packp.NewAdvRefs()
	if err := ar.Decode(s.stdout); err != nil {
		var line *pktline.ErrorLine
		var data *packp.ErrUnexpectedData
		switch {
		case errors.Is(err, packp.ErrEmptyAdvRefs):
			// An empty repository: nothing to fetch, but one can push.
			if !s.receive {
				s.finish()
				return nil, transport.ErrEmptyRemoteRepository
			}
		case errors.Is(err, packp.ErrEmptyInput):
			// The command ended without a word on its output; its
			// error output says why.
			s.finished = true
			return nil, s.stderr.failure()
		case errors.As(err, &line):
			if isRepoNotFound(line.Text) {
				return nil, transport.ErrRepositoryNotFound
			}
			return nil, err
		case errors.As(err, &data) && isRepoNotFound(string(data.Data)):
			return nil, transport.ErrRepositoryNotFound
		default:
			return nil, err
		}
	}
	if !s.receive && ar.IsEmpty() {
		return nil, transport.ErrEmptyRemoteRepository
	}
	transport.FilterUnsupportedCapabilities(ar.Capabilities)
	s.advRefs = ar
	return ar, nil
}

// UploadPack sends the wants and haves and returns the server's answer;
// the pack follows in it. Closing the response closes the session.
func (s *sshSession) UploadPack(ctx context.Context, req *packp.UploadPackRequest) (*packp.UploadPackResponse, error) {
	if req.IsEmpty() {
		s.finish()
		return nil, transport.ErrEmptyUploadPackRequest
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.AdvertisedReferencesContext(ctx); err != nil {
		return nil, err
	}
	s.packRun = true
	if err := req.UploadRequest.Encode(s.stdin); err != nil {
		return nil, fmt.Errorf("send wants: %w", err)
	}
	if err := req.UploadHaves.Encode(s.stdin, true); err != nil {
		return nil, fmt.Errorf("send haves: %w", err)
	}
	if err := pktline.NewEncoder(s.stdin).Encodef("done\n"); err != nil {
		return nil, fmt.Errorf("send done: %w", err)
	}
	if err := s.stdin.Close(); err != nil {
		return nil, fmt.Errorf("send done: %w", err)
	}
	r, err := ioutil.NonEmptyReader(s.stdout)
	if errors.Is(err, ioutil.ErrEmptyReader) {
		return nil, transport.ErrEmptyUploadPackRequest
	}
	if err != nil {
		return nil, err
	}
	res := packp.NewUploadPackResponse(req)
	if err := res.Decode(ioutil.NewReadCloser(r, s)); err != nil {
		return nil, fmt.Errorf("read the upload-pack answer: %w", err)
	}
	return res, nil
}

// ReceivePack sends the ref update and its pack, and reads the server's
// report.
func (s *sshSession) ReceivePack(ctx context.Context, req *packp.ReferenceUpdateRequest) (*packp.ReportStatus, error) {
	if _, err := s.AdvertisedReferencesContext(ctx); err != nil {
		return nil, err
	}
	s.packRun = true
	if err := req.Encode(s.stdin); err != nil {
		return nil, err
	}
	if err := s.stdin.Close(); err != nil {
		return nil, err
	}
	if !req.Capabilities.Supports(capability.ReportStatus) {
		return nil, s.Close()
	}
	r := s.stdout
	var d *sideband.Demuxer
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		d = sideband.NewDemuxer(sideband.Sideband64k, r)
	case req.Capabilities.Supports(capability.Sideband):
		d = sideband.NewDemuxer(sideband.Sideband, r)
	}
	if d != nil {
		d.Progress = req.Progress
		r = d
	}
	report := packp.NewReportStatus()
	if err := report.Decode(r); err != nil {
		return nil, err
	}
	if err := report.Error(); err != nil {
		return report, err
	}
	return report, s.Close()
}

// finish ends the exchange politely when no request was sent: a flush-pkt
// tells the server there is nothing more.
func (s *sshSession) finish() {
	if s.finished {
		return
	}
	s.finished = true
	if !s.packRun {
		_, _ = s.stdin.Write(pktline.FlushPkt)
	}
}

// Close ends the session and the connection. It may be called again.
func (s *sshSession) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.finish()
	_ = s.ss.Close()
	err := s.client.Close()
	s.stderr.wait() // the channel is gone with the connection
	if s.release != nil {
		s.release()
	}
	if err != nil && !isClosedConn(err) {
		return err
	}
	return nil
}

func isClosedConn(err error) bool {
	return err != nil && strings.Contains(err.Error(), "use of closed network connection")
}

// stderrTail keeps the start of a remote command's error output, which
// says why it failed (a repository that does not exist).
type stderrTail struct {
	done chan struct{}
	mu   gosync.Mutex
	buf  bytes.Buffer
}

const stderrKeep = 4 << 10

func newStderrTail(r io.Reader) *stderrTail {
	t := &stderrTail{done: make(chan struct{})}
	go func() {
		defer close(t.done)
		p := make([]byte, 1024)
		for {
			n, err := r.Read(p)
			t.mu.Lock()
			if room := stderrKeep - t.buf.Len(); room > 0 {
				t.buf.Write(p[:min(n, room)])
			}
			t.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return t
}

// wait returns when the error output has ended: when the command or the
// connection did (the connection ends with the session's context).
func (t *stderrTail) wait() { <-t.done }

// failure is the error of a command that ended without answering, from
// the first line of its error output that is not an empty "remote:".
func (t *stderrTail) failure() error {
	t.wait()
	t.mu.Lock()
	text := t.buf.String()
	t.mu.Unlock()
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || isEmptyRemoteLine(line) {
			continue
		}
		if isRepoNotFound(line) {
			return transport.ErrRepositoryNotFound
		}
		return fmt.Errorf("the server said: %s", line)
	}
	return io.ErrUnexpectedEOF
}

// isEmptyRemoteLine is "remote:" alone, or followed by a rule of "=".
func isEmptyRemoteLine(line string) bool {
	rest, ok := strings.CutPrefix(line, "remote:")
	return ok && strings.Trim(rest, " =") == ""
}

// isRepoNotFound recognises what servers say for a repository that does
// not exist (or that they hide): git's own messages and those of the
// common hosts.
func isRepoNotFound(s string) bool {
	for _, m := range []string{
		"Repository not found.",
		"repository does not exist.",
		"does not appear to be a git repository",
		"no such repository",
		"access denied",
		"Repository does not exist or you do not have access",
		"The project you were looking for could not be found",
	} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
