package sync

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/storage/memory"
)

// remoteEnd is where the partner's history lives: a folder on this machine
// or a server. Both kinds exchange only what is new, and neither runs git.
type remoteEnd interface {
	// fetch stores in local every object of the remote's main that local
	// lacks and returns the commit main points at; zero when the remote
	// has no main yet.
	fetch(ctx context.Context, local storer.EncodedObjectStorer) (plumbing.Hash, error)
	// push sends the objects of the commits from old (exclusive; zero for
	// none) to new and moves the remote's main from old to new. If main is
	// no longer at old it changes nothing and returns an error wrapping
	// errMoved. It returns how many commits it sent.
	push(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error)
	// String is the address, with secrets redacted.
	String() string
	close()
}

// errMoved: the remote's main is not where the push expected it (the
// partner pushed meanwhile). Sync fetches and merges again.
var errMoved = errors.New("remote main moved")

// openRemote opens the remote at loc. For a network address it only
// prepares the credentials; the connection opens with each exchange, bound
// to the exchange's context.
func openRemote(loc string, auth Auth, progress io.Writer) (remoteEnd, error) {
	clean, _, urlSecret := StripCredentials(loc)
	if isFolderURL(clean) {
		p, err := folderPath(clean)
		if err != nil {
			return nil, fmt.Errorf("remote %s: %w", Redact(loc), err)
		}
		return &folderRemote{path: p}, nil
	}
	ep, err := transport.NewEndpoint(loc)
	if err != nil {
		return nil, fmt.Errorf("remote %s: %w", Redact(loc), err)
	}
	n := &netRemote{loc: Redact(clean), progress: progress}
	n.secrets = []string{auth.Token, ep.Password, urlSecret}
	switch ep.Protocol {
	case "http", "https":
		basic := httpAuth(ep, auth)
		if err := checkCleartext(ep, basic, n.loc); err != nil {
			return nil, err
		}
		// Credentials travel in auth only, never in the address.
		ep.User, ep.Password = "", ""
		c, err := client.NewClient(ep)
		if err != nil {
			return nil, fmt.Errorf("remote %s: %w", n.loc, err)
		}
		n.sessions = &httpSessions{client: c, ep: ep, auth: basic}
	case "ssh":
		a, err := newSSHAuth(ep, auth)
		if err != nil {
			return nil, fmt.Errorf("remote %s: %w", n.loc, err)
		}
		ep.Password = ""
		n.check = a.check
		n.sessions = &sshSessions{ep: ep, auth: a, addr: sshHostWithPort(ep)}
	default:
		return nil, fmt.Errorf("remote %s: protocol %q is not supported (use a folder, ssh or https)", n.loc, ep.Protocol)
	}
	return n, nil
}

// sessionOpener opens git sessions with one remote. A session ends when
// the context it was opened with does: its connection, and every read and
// write on it, are bound to that context.
type sessionOpener interface {
	uploadPack(ctx context.Context) (transport.UploadPackSession, error)
	receivePack(ctx context.Context) (transport.ReceivePackSession, error)
}

// httpSessions are go-git's smart-HTTP sessions. go-git sends each
// request with the context given to the session's methods, and net/http
// ends the request, and the reading of its body, with that context.
type httpSessions struct {
	client transport.Transport
	ep     *transport.Endpoint
	auth   transport.AuthMethod
}

func (h *httpSessions) uploadPack(context.Context) (transport.UploadPackSession, error) {
	return h.client.NewUploadPackSession(h.ep, h.auth)
}

func (h *httpSessions) receivePack(context.Context) (transport.ReceivePackSession, error) {
	return h.client.NewReceivePackSession(h.ep, h.auth)
}

// netRemote is a remote reached over SSH or HTTP(S) with git's transport
// sessions. The objects to send are computed here, from the commits between
// the remote's main and ours, not by go-git's push, which walks every object
// reachable from the remote's refs.
type netRemote struct {
	loc      string // redacted, for messages
	sessions sessionOpener
	check    *hostKeyCheck // SSH only
	secrets  []string
	progress io.Writer
}

func (n *netRemote) String() string { return n.loc }
func (n *netRemote) close()         {}

func (n *netRemote) fail(ctx context.Context, what string, err error) error {
	return classify(ctx, fmt.Errorf("%s: %w", what, err), n.loc, n.check, n.secrets...)
}

func (n *netRemote) fetch(ctx context.Context, local storer.EncodedObjectStorer) (_ plumbing.Hash, err error) {
	sess, err := n.sessions.uploadPack(ctx)
	if err != nil {
		return plumbing.ZeroHash, n.fail(ctx, "fetch", err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, n.fail(ctx, "fetch", err)
	}
	head, err := advertisedMain(ar)
	if err != nil || head.IsZero() {
		return head, err
	}
	if has(local, head) {
		return head, nil
	}
	req := packp.NewUploadPackRequestFromCapabilities(ar.Capabilities)
	if n.progress == nil && ar.Capabilities.Supports(capability.NoProgress) {
		_ = req.Capabilities.Set(capability.NoProgress)
	}
	req.Wants = []plumbing.Hash{head}
	req.Haves, err = haves(local, localTips(local))
	if err != nil {
		return plumbing.ZeroHash, err
	}
	resp, err := sess.UploadPack(ctx, req)
	if err != nil {
		return plumbing.ZeroHash, n.fail(ctx, "fetch", err)
	}
	defer resp.Close()
	var r io.Reader = resp
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		d := sideband.NewDemuxer(sideband.Sideband64k, resp)
		d.Progress = progressOrNil(n.progress)
		r = d
	case req.Capabilities.Supports(capability.Sideband):
		d := sideband.NewDemuxer(sideband.Sideband, resp)
		d.Progress = progressOrNil(n.progress)
		r = d
	}
	if err := storePack(local, r); err != nil {
		return plumbing.ZeroHash, n.fail(ctx, "fetch", err)
	}
	if !has(local, head) {
		return plumbing.ZeroHash, fmt.Errorf("fetch from %s: the remote did not send commit %s", n.loc, head)
	}
	return head, nil
}

func progressOrNil(w io.Writer) sideband.Progress {
	if w == nil {
		return nil
	}
	return w
}

func advertisedMain(ar *packp.AdvRefs) (plumbing.Hash, error) {
	refs, err := ar.AllReferences()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read the remote's branches: %w", err)
	}
	ref, err := refs.Reference(Branch)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return ref.Hash(), nil
}

func (n *netRemote) push(ctx context.Context, local storer.EncodedObjectStorer, old, new plumbing.Hash) (int, error) {
	sess, err := n.sessions.receivePack(ctx)
	if err != nil {
		return 0, n.fail(ctx, "push", err)
	}
	defer sess.Close()
	ar, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return 0, n.fail(ctx, "push", err)
	}
	cur := plumbing.ZeroHash
	if err == nil {
		if cur, err = advertisedMain(ar); err != nil {
			return 0, err
		}
	}
	if cur != old {
		return 0, fmt.Errorf("push to %s: %w", n.loc, errMoved)
	}
	commits, objs, err := objectsToSend(local, old, new)
	if err != nil {
		return 0, fmt.Errorf("push to %s: %w", n.loc, err)
	}
	caps := capability.NewList()
	if ar != nil {
		caps = ar.Capabilities
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(caps)
	req.Commands = []*packp.Command{{Name: Branch, Old: old, New: new}}
	if n.progress != nil {
		req.Progress = n.progress
		if caps.Supports(capability.Sideband64k) {
			_ = req.Capabilities.Set(capability.Sideband64k)
		} else if caps.Supports(capability.Sideband) {
			_ = req.Capabilities.Set(capability.Sideband)
		}
	}
	pr, pw := io.Pipe()
	req.Packfile = pr
	done := make(chan error, 1)
	go func() {
		enc := packfile.NewEncoder(pw, local, !caps.Supports(capability.OFSDelta))
		_, err := enc.Encode(objs, packWindow(len(objs)))
		done <- pw.CloseWithError(err)
	}()
	rs, err := sess.ReceivePack(ctx, req)
	_ = pr.Close()
	encErr := <-done
	if rs != nil {
		if rs.UnpackStatus != "" && rs.UnpackStatus != "ok" {
			return 0, fmt.Errorf("push to %s: the remote could not store the objects: %s", n.loc, rs.UnpackStatus)
		}
		for _, cs := range rs.CommandStatuses {
			if cs.Status != "ok" {
				return 0, fmt.Errorf("push to %s: %w: %s", n.loc, errMoved, cs.Status)
			}
		}
	}
	if err != nil {
		return 0, n.fail(ctx, "push", err)
	}
	if encErr != nil {
		return 0, fmt.Errorf("push to %s: build pack: %w", n.loc, encErr)
	}
	return countNonMerge(commits), nil
}

// objectsToSend lists the commits reachable from new but not from old, and
// their new objects, in writing order.
func objectsToSend(s storer.EncodedObjectStorer, old, new plumbing.Hash) ([]*walkNode, []plumbing.Hash, error) {
	g := newCommitGraph(s)
	commits, err := g.only([]plumbing.Hash{new}, []plumbing.Hash{old})
	if err != nil {
		return nil, nil, err
	}
	objs, err := newObjects(s, commits, g)
	if err != nil {
		return nil, nil, err
	}
	return commits, objs, nil
}

func countNonMerge(ns []*walkNode) int {
	n := 0
	for _, c := range ns {
		if len(c.parents) <= 1 {
			n++
		}
	}
	return n
}

// packWindow is the delta window for a pack of n objects: git's 10 for the
// few objects of a sync, none for a first push of a whole journal, where
// looking for deltas costs more than it saves on small text files.
func packWindow(n int) uint {
	if n > 2000 {
		return 0
	}
	return 10
}

// has reports whether s holds object h.
func has(s storer.EncodedObjectStorer, h plumbing.Hash) bool {
	return s.HasEncodedObject(h) == nil
}

// localTips are the commits the local repository knows: main and the last
// known position of the remote's main.
func localTips(s storer.EncodedObjectStorer) []plumbing.Hash {
	d, ok := s.(*durableStore)
	if !ok {
		return nil
	}
	var tips []plumbing.Hash
	for _, name := range []plumbing.ReferenceName{Branch, trackingRef} {
		if h, found, err := readRef(d.gitDir, name); err == nil && found {
			tips = append(tips, h)
		}
	}
	return tips
}

// maxHaves bounds how much of the local history a fetch offers the server
// as common ground. The tips are normally enough: the tracking ref is a
// commit the server has.
const maxHaves = 64

// haves lists the tips and their most recent ancestors, newest first.
func haves(s storer.EncodedObjectStorer, tips []plumbing.Hash) ([]plumbing.Hash, error) {
	g := newCommitGraph(s)
	var q nodeQueue
	seen := make(map[plumbing.Hash]bool)
	for _, t := range tips {
		n, err := g.node(t)
		if err != nil {
			continue
		}
		if !seen[t] {
			seen[t] = true
			q = append(q, n)
		}
	}
	var out []plumbing.Hash
	for len(q) > 0 && len(out) < maxHaves {
		// Small queue: pick the newest by scanning.
		best := 0
		for i := range q {
			if q.Less(i, best) {
				best = i
			}
		}
		n := q[best]
		q = append(q[:best], q[best+1:]...)
		out = append(out, n.hash)
		for _, p := range n.parents {
			if seen[p] {
				continue
			}
			seen[p] = true
			pn, err := g.node(p)
			if err != nil {
				continue // a shallow or damaged history: offer less
			}
			q = append(q, pn)
		}
	}
	return out, nil
}

// looseLimit is git's receive.unpackLimit: a pack of fewer objects is
// stored as loose objects, so that years of syncs do not pile up thousands
// of small packs (go-git looks an object up in every pack in turn).
const looseLimit = 100

// storePack stores the objects of a pack stream in s: as loose objects,
// commits last and parents first, for a small pack; else as one pack file,
// which appears whole or not at all.
func storePack(s storer.EncodedObjectStorer, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	hdr, err := br.Peek(12)
	if err != nil {
		return fmt.Errorf("read pack header: %w", err)
	}
	if string(hdr[:4]) != "PACK" {
		return fmt.Errorf("not a pack stream")
	}
	count := binary.BigEndian.Uint32(hdr[8:12])
	pw, isPW := s.(storer.PackfileWriter)
	if count >= looseLimit && isPW {
		return packfile.WritePackfileToObjectStorage(pw, br)
	}
	mem := memory.NewStorage()
	p, err := packfile.NewParserWithStorage(packfile.NewScanner(br), mem)
	if err != nil {
		return fmt.Errorf("read pack: %w", err)
	}
	if _, err := p.Parse(); err != nil {
		return fmt.Errorf("read pack: %w", err)
	}
	return storeOrdered(s, mem)
}

// storeOrdered copies every object of mem into s, commits last and in
// parent-first order, so that a commit is never stored without its trees
// and parents.
func storeOrdered(dst storer.EncodedObjectStorer, mem *memory.Storage) error {
	var commits []*walkNode
	g := newCommitGraph(mem)
	for _, t := range []plumbing.ObjectType{plumbing.BlobObject, plumbing.TreeObject, plumbing.TagObject, plumbing.CommitObject} {
		iter, err := mem.IterEncodedObjects(t)
		if err != nil {
			return err
		}
		err = iter.ForEach(func(o plumbing.EncodedObject) error {
			if t == plumbing.CommitObject {
				n, err := g.node(o.Hash())
				if err != nil {
					return err
				}
				commits = append(commits, n)
				return nil
			}
			_, err := dst.SetEncodedObject(o)
			return err
		})
		if err != nil {
			return fmt.Errorf("store objects: %w", err)
		}
	}
	for _, c := range topoParentsFirst(commits) {
		o, err := mem.EncodedObject(plumbing.CommitObject, c.hash)
		if err != nil {
			return err
		}
		if _, err := dst.SetEncodedObject(o); err != nil {
			return fmt.Errorf("store commit %s: %w", c.hash, err)
		}
	}
	return nil
}
