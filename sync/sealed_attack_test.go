//go:build sealedattack

// Attacks on the encrypted remote found by review (see the review report):
// each test here FAILS on the code as it is, and passes once the fix it
// names is made. They are kept out of 'go test ./...' by the build tag;
// run them with
//
//	go test -tags sealedattack ./sync -run SealedAttack -v
//
// and drop the tag when the fix is in.
package sync

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"runtime"
	"testing"
)

// allocatedBy is how many bytes f allocates.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// bombPack is a valid git pack of one blob of n zero bytes: a few hundred
// KiB that inflate to n.
func bombPack(t *testing.T, n int) []byte {
	t.Helper()
	var pack bytes.Buffer
	pack.WriteString("PACK")
	binary.Write(&pack, binary.BigEndian, uint32(2))
	binary.Write(&pack, binary.BigEndian, uint32(1))
	// object header: type 3 (blob), size n, little-endian base-128
	size := uint64(n)
	b := byte(3<<4) | byte(size&0x0f)
	size >>= 4
	for size != 0 {
		pack.WriteByte(b | 0x80)
		b = byte(size & 0x7f)
		size >>= 7
	}
	pack.WriteByte(b)
	z := zlib.NewWriter(&pack)
	zero := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(zero) {
		if _, err := z.Write(zero[:min(left, len(zero))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum(pack.Bytes())
	pack.Write(sum[:])
	return pack.Bytes()
}

// A partner (who holds the recipients, so can encrypt) pushes a pack that
// inflates to 512 MiB. The fetch must refuse it by a limit (an error that
// names it) before holding it in memory; today openPack parses every
// object into a memory.Storage, whole (sync/sealed.go openPack, fetch).
//
// Fix: bound what a fetch takes from a sealed remote: a limit on the
// decrypted pack (io.LimitReader in decrypt, an error past it, like
// journal's maxSealed), and a parser storing into the durable store (or a
// size check per object header, packfile.ObjectHeader.Length, before
// inflating), with an ErrTooLarge-like sentinel.
func TestSealedAttackPartnerPackBomb(t *testing.T) {
	const n = 512 << 20
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	p, content := rsEntry("sam", "2026-11-22", "checkin", "new words")
	sam.write(p, content)
	sam.sync()
	bomb := bombPack(t, n)
	tamper(t, remote, func([]byte) []byte {
		out, err := encrypt(bomb, sam.seal.Recipients)
		if err != nil {
			t.Fatal(err)
		}
		return out
	})
	var err error
	used := allocatedBy(func() { _, err = alex.trySync() })
	if err == nil {
		t.Fatal("the sync took a pack bomb without an error")
	}
	if used > n/4 {
		t.Fatalf("the sync allocated %d MiB for a pack of %d KiB before refusing it (%v): no limit", used>>20, len(bomb)>>10, err)
	}
}

// The host serves a pack blob of 256 MiB of junk. age would refuse it at
// its first chunk, but readBlob reads the whole ciphertext into memory
// first, then decrypt reads the plaintext whole (io.ReadAll, no limit).
//
// Fix: decrypt streaming from the object's reader (o.Reader()) into the
// parser, with a limit on the ciphertext's size (EncodedObjectSize checked
// before reading) that is an error past it.
func TestSealedAttackHostHugeBlob(t *testing.T) {
	const n = 256 << 20
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	p, content := rsEntry("sam", "2026-11-22", "checkin", "new words")
	sam.write(p, content)
	sam.sync()
	tamper(t, remote, func(b []byte) []byte { return append(append([]byte(nil), b...), make([]byte, n)...) })
	var err error
	used := allocatedBy(func() { _, err = alex.trySync() })
	if err == nil {
		t.Fatal("the sync took a 256 MiB pack of junk without an error")
	}
	if used > n/2 {
		t.Fatalf("the sync allocated %d MiB for a junk blob before refusing it (%v): no limit", used>>20, err)
	}
}
