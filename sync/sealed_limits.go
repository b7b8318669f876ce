package sync

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"
)

// What a fetch reads from an encrypted remote is bounded.
//
// The remote's blobs are written by a partner (or by anyone holding the
// couple's public keys: age does not say who encrypted) and served by a
// host, and a fetch holds what it takes in memory until all of it has
// checked out (it applies all or nothing). A few hundred KiB can inflate
// to gigabytes (a pack of one blob of zeros), a delta of a few bytes can
// declare any size, and a host can serve a blob of any size. So:
//
//   - a sealed blob's size is read from its object header before the blob
//     is: more than its limit allows, encrypted ([sealedSize]), is
//     refused unread;
//   - the decryption streams, and stops one byte past the limit
//     ([decrypt]);
//   - a pack's objects are counted from their headers, each delta at the
//     size its header says it makes, before the pack is parsed
//     ([checkPack]): the objects the packs of one fetch hold in memory
//     count at most [maxSealedFetch]. The parser's passing buffers come
//     on top (each object's bytes again while it is read, a delta's base
//     while it is applied): the peak stays within a small multiple.
//
// Past a limit the fetch fails with [ErrSealedTooLarge], which names what
// and the limit, and applies nothing. The plain sync has no byte limits
// to share (there were none to reuse): these are the encrypted remote's,
// here and nowhere else.
const (
	// maxSealedHead bounds the head record, decrypted, and each object
	// of a sealed commit read as git (the commit, its trees). The head
	// lists at most [compactAt] packs (about 100 bytes each) and the
	// couple's keys, a tree as many names: a few KiB.
	maxSealedHead = 1 << 20

	// sealedObjectCost is what one object is counted for besides its
	// bytes: the parser's and the memory store's records of it.
	sealedObjectCost = 512
)

// maxSealedFetch bounds what one fetch takes from the packs: their
// objects as they inflate (a delta counted at the size it makes), each
// with [sealedObjectCost] more for its bookkeeping, and so each pack's
// decrypted bytes. A first fetch takes the whole history: the generated
// journal of 25 years (two partners writing every day) is 88,797 objects
// of 66 MiB, counted 109 MiB. A push checks its pack against it too, so
// that one partner never sends what the other's fetch would refuse. (A
// variable only so that a test can lower it.)
var maxSealedFetch int64 = 256 << 20

// streamAbove is the size past which an object of a folder remote or of
// the encrypted remote's local copy is read from disk as it is used (a
// copy, a decryption) rather than into memory whole first: a blob of a
// hostile remote is then refused by its size, or read a chunk at a time.
// A journal's own objects are far smaller.
const streamAbove = 1 << 20

// sealedSize is the most that plain bytes take encrypted with age: its
// header (64 KiB: hundreds of recipients) and 16 bytes of nonce and of
// tag per 64 KiB chunk.
func sealedSize(plain int64) int64 {
	const chunk = 64 << 10
	return plain + (plain/chunk+2)*16 + 64<<10
}

// tooLarge is [ErrSealedTooLarge], with what was too large and the limit.
func tooLarge(format string, args ...any) error {
	return fmt.Errorf("%w: "+format+"; nothing of it was applied", append([]any{ErrSealedTooLarge}, args...)...)
}

// sizeOf writes n bytes for a message: "256 MiB", "1.5 MiB", "12 KiB".
func sizeOf(n int64) string {
	switch {
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// heldBy is what the objects of mem count against [maxSealedFetch].
func heldBy(mem *memory.Storage) int64 {
	var n int64
	for _, o := range mem.Objects {
		n += o.Size() + sealedObjectCost
	}
	return n
}

// checkPack reads the object headers of pack (a decrypted git pack)
// before it is parsed, and refuses it with [ErrSealedTooLarge] when its
// objects would bring what the fetch holds from held past limit: each
// object counted at the size its header declares (the parser allocates
// that much, and the scanner refuses an object that inflates to more),
// and each delta also at the size its own header says it makes (the
// delta's first bytes, inflated). The pack is inflated once, into
// nothing: the memory this takes is a few buffers. A pack that does not
// read as one is [ErrSealedBroken].
func checkPack(pack []byte, held, limit int64) error {
	broken := func(err error) error { return fmt.Errorf("%w: a pack: %v", ErrSealedBroken, err) }
	over := func(why string) error {
		return tooLarge("%s; a fetch takes at most %s of objects", why, sizeOf(limit))
	}
	sc := packfile.NewScanner(bytes.NewReader(pack))
	_, count, err := sc.Header()
	if err != nil {
		return broken(err)
	}
	if int64(count) > (limit-held)/sealedObjectCost {
		return over(fmt.Sprintf("a pack holds %d objects", count))
	}
	for range count {
		oh, err := sc.NextObjectHeader()
		if err != nil {
			return broken(err)
		}
		held += sealedObjectCost
		if oh.Length < 0 || oh.Length > limit-held {
			return over(fmt.Sprintf("a pack's object declares %s", sizeOf(oh.Length)))
		}
		held += oh.Length
		// inflated into nothing but a delta's first bytes; the scanner
		// stops one byte past the declared size
		w := prefixWriter{buf: make([]byte, 0, 2*binary.MaxVarintLen64)}
		if _, _, err := sc.NextObject(&w); err != nil {
			return broken(err)
		}
		if oh.Type != plumbing.OFSDeltaObject && oh.Type != plumbing.REFDeltaObject {
			continue
		}
		makes, ok := deltaTarget(w.buf)
		if !ok {
			return broken(errors.New("a delta whose header does not read"))
		}
		if makes > limit-held {
			return over(fmt.Sprintf("a pack's delta makes an object of %s", sizeOf(makes)))
		}
		held += makes
	}
	return nil
}

// deltaTarget is the size of the object a git delta makes: the second of
// the two base-128 sizes its data opens with (the first is its base's).
func deltaTarget(b []byte) (int64, bool) {
	_, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, false
	}
	t, m := binary.Uvarint(b[n:])
	if m <= 0 || t > 1<<62 {
		return 0, false
	}
	return int64(t), true
}

// prefixWriter keeps the first cap(buf) bytes written to it and takes the
// rest into nothing.
type prefixWriter struct{ buf []byte }

func (w *prefixWriter) Write(p []byte) (int, error) {
	if n := min(len(p), cap(w.buf)-len(w.buf)); n > 0 {
		w.buf = append(w.buf, p[:n]...)
	}
	return len(p), nil
}

// boundedReads reads the objects of a store that are at most max bytes:
// a larger one is refused before it is read, with [ErrSealedTooLarge],
// kept in err (the callers' own messages carry it only as text).
type boundedReads struct {
	storer.EncodedObjectStorer
	max int64
	err error
}

func (b *boundedReads) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	if n, err := b.EncodedObjectSize(h); err == nil && n > b.max {
		b.err = tooLarge("the sealed commit's object %s is %s, more than the %s it may be", short(h), sizeOf(n), sizeOf(b.max))
		return nil, b.err
	}
	return b.EncodedObjectStorer.EncodedObject(t, h)
}
