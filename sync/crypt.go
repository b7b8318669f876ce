package sync

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Private from the host: an encrypted remote.
//
// A journal whose [Options.Seal] is set keeps its own history plain (every
// editor, every command and git work as before) and sends its remote only
// age ciphertext. The remote is an ordinary git repository (a folder, SSH,
// HTTPS: the transports of a plain sync) whose branch main holds "sealed"
// commits. A sealed commit's tree holds only:
//
//	head            the head record, encrypted: the journal's main commit,
//	                the packs in order (each with the commit it brings the
//	                history up to) and a counter
//	packs/<id>      a git packfile of the objects new since the previous
//	                push, encrypted; <id> is random
//
// and the commit itself carries nothing of the journal: the author and
// committer are "reconnect", the time is fixed, the message is fixed. So
// the host sees how many pushes there were, their sizes and when they came
// (it receives them), and nothing else: no text, no file names, dates,
// authors, kinds or commit messages.
//
// Both parts are encrypted with age (X25519) to every recipient of the
// couple (each partner's key, and a recovery key if made). age is
// authenticated encryption: a byte changed, cut or added makes the
// decryption fail, and a fetch then applies nothing ([ErrSealedBroken]).
// What a fetch takes is checked again as git objects (each object's id is
// the hash of its content) and must hold the head's commit whole before any
// of it is stored.
//
// The threat model, honestly:
//
//   - The host (or anyone who copies the remote) learns sizes and push
//     times, and nothing it can read. It can delete the remote (then the
//     next sync sends the whole journal again), or serve an older state of
//     it (a rollback, or a remote frozen while pushes seem to land). The
//     head counts the pushes, and each machine remembers the highest
//     count it saw on the remote or sent there, with the main it named
//     (rollback.go): a head with a lower count, or the same count and
//     another main (a fork), is refused with [ErrRollback] before anything
//     of it is applied. A rollback would lose nothing anyway (the
//     journal's own history is whole on each machine) but it could hide
//     a partner's newer pushes; now it is seen, by every machine that
//     synced past the state served. What it cannot see: pushes this
//     machine never saw (a host that shows each partner only their own
//     pushes, from the first, is caught only when they compare), and a
//     remote emptied (taken as a new one). A restore the user made on
//     purpose goes through with [Seal.AcceptRollback]; the push after it
//     counts on above what was seen, so the partner's machine takes it.
//     Nothing the host serves makes a partner accept anything that a key
//     of the couple did not encrypt.
//   - age does not say who encrypted: anyone holding the couple's
//     recipients (the public keys, which are in the journal) could encrypt
//     a head and packs that decrypt fine. Only the host and the partners
//     can write to the remote, and the host does not know the recipients
//     (they are in the journal, which reaches the host only encrypted); a
//     partner can forge, but a partner can also simply write. For two
//     partners this is acceptable; it is not a signature.
//   - A partner's private key (the identity) lives only in the config
//     folder of each machine, 0600, never in the journal or its .git. The
//     recovery key exists only on the paper it was printed to. Losing every
//     key loses the remote copy: nobody can decrypt it, not the host, not
//     reconnect's authors.
//   - The local journal is plain: the protection is against the host, not
//     against someone with the machine.
//   - Neither the host nor a partner can make a fetch take unbounded
//     memory (a blob of gigabytes, a pack of a few KiB that inflates to
//     them): what a fetch reads is checked against the limits of
//     sealed_limits.go before it is read, and past them the fetch fails
//     with [ErrSealedTooLarge] and applies nothing.
//
// An invitation (see [Invite], [ReadInvite]) is a bundle encrypted with an age
// passphrase (scrypt) and stored on the remote as invites/<id>: whoever
// holds the code (the id and the passphrase) can read the couple's
// recipients from it; it holds no private key. The joiner then adds their
// own recipient to the journal; the host, without the code, sees only
// another encrypted blob, and scrypt makes guessing the passphrase slow.
// A join takes its invitation off the remote at once (the blob holds the
// joiner's key). An invitation expires (a week unless told; the time is
// inside the encrypted blob, so the host cannot move it): a join after
// that refuses it, and the machine that made it names it in [Seal.Drop]
// from then on, so that its next sync takes it off the remote. One still
// there then was never used ([Seal.OnRemote]): its key leaves the couple's
// recipients, and that sync re-encrypts the history without it. A host
// that kept a copy of the blob, and learns the code, still reads what was
// pushed before; nothing after.

var (
	// ErrSealedBroken: what the encrypted remote holds was changed, cut
	// short, or is not what reconnect writes; nothing of it was applied.
	ErrSealedBroken = errors.New("the encrypted remote's data is damaged or was tampered with")
	// ErrNoKey: no key of this machine opens the encrypted remote (it was
	// encrypted for other keys, or this machine has none).
	ErrNoKey = errors.New("no key on this machine opens the encrypted remote")
	// ErrRemoteSealed: the remote is encrypted and this journal syncs in
	// plain: nothing was fetched or sent.
	ErrRemoteSealed = errors.New("the remote is encrypted")
	// ErrSealedTooLarge: the encrypted remote holds more than a fetch
	// reads (a head, a pack, or objects that inflate past the limits of
	// sealed_limits.go); the error names what and the limit, and nothing
	// of it was applied.
	ErrSealedTooLarge = errors.New("the encrypted remote holds more than a fetch reads")
)

// Seal is what an encrypted remote needs: the keys that open it and the
// keys everything is encrypted to.
type Seal struct {
	// Identities open what the remote holds (this partner's key).
	Identities []age.Identity
	// Recipients are the couple's public keys: everything sent is
	// encrypted to all of them.
	Recipients []age.Recipient
	// Compact replaces every pack on the remote with one at the next
	// push (done by itself past [compactAt] packs), encrypted to the
	// Recipients of now: set it when a key was added, so that the new key
	// reads the whole history.
	Compact bool
	// Invite, when set, is left on the remote by the next push, as
	// invites/<ID> (see [ReadInvite]). Later pushes keep it there, until
	// a push whose Drop names it.
	Invite *Invite
	// Drop names invitations the next push removes from the remote (the
	// one this machine joined with, and expired ones this machine made).
	Drop []string
	// OnRemote is set by each fetch: the invitations Drop names that the
	// remote held then (a sync takes them off). An expired invitation
	// still there was never used (a join takes its own off at once): the
	// caller can then take its key off the Recipients.
	OnRemote []string
	// AcceptRollback lets a fetch take a remote at an earlier state than
	// this machine saw (a copy restored on purpose) instead of refusing it
	// with [ErrRollback]; the push that follows counts above both.
	AcceptRollback bool
}

// Invite is an invitation on an encrypted remote: an opaque blob (the
// keys package encrypts it with a passphrase) under a random id.
type Invite struct {
	ID   string
	Data []byte
}

// encrypt encrypts data to every recipient.
func encrypt(data []byte, to []age.Recipient) ([]byte, error) {
	if len(to) == 0 {
		return nil, fmt.Errorf("encrypt: no recipients (the journal lists no keys)")
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to...)
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	return buf.Bytes(), nil
}

// openBlob decrypts the blob h of s, at most max bytes of plaintext.
// The blob's size is checked before any of it is read (what max
// decrypts from, with age's overhead: [sealedSize]), and the decryption
// streams from the object's reader and stops one byte past max: a blob
// bigger than its limit, or one that decrypts to more, is
// [ErrSealedTooLarge], not an allocation. what names the part.
func openBlob(s storer.EncodedObjectStorer, h plumbing.Hash, ids []age.Identity, what string, max int64) ([]byte, error) {
	size, err := s.EncodedObjectSize(h)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSealedBroken, what, err)
	}
	if size > sealedSize(max) {
		return nil, tooLarge("%s is %s encrypted; it may decrypt to %s at most", what, sizeOf(size), sizeOf(max))
	}
	o, err := s.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSealedBroken, what, err)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSealedBroken, what, err)
	}
	defer rd.Close()
	return decrypt(rd, ids, what, max, size)
}

// decrypt opens r with ids, whole: any damage anywhere fails it, and
// nothing is returned. It reads at most max bytes of plaintext: more is
// [ErrSealedTooLarge], read no further. size is r's length when known
// (else 0). what names the part, for the error.
func decrypt(r io.Reader, ids []age.Identity, what string, max, size int64) ([]byte, error) {
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: %s cannot be read without a key (run 'reconnect keys', or join with an invitation)", ErrNoKey, what)
	}
	dr, err := age.Decrypt(r, ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("%w: %s is encrypted for other keys", ErrNoKey, what)
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrSealedBroken, what, err)
	}
	// The buffer grows as the plaintext comes, from a chunk: a blob that
	// fails to decrypt early costs no more than that.
	var buf bytes.Buffer
	buf.Grow(int(min(size, max+1, 64<<10)) + bytes.MinRead)
	n, err := buf.ReadFrom(io.LimitReader(dr, max+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrSealedBroken, what, err)
	}
	if n > max {
		return nil, tooLarge("%s decrypts to more than %s", what, sizeOf(max))
	}
	return buf.Bytes(), nil
}
