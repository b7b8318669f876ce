// What a fetch reads from an encrypted remote is bounded
// (sealed_limits.go). The two attacks first written as failing tests by a
// review (TestSealedAttack*) allocated gigabytes before the limits were
// in; each now refuses, or streams, in a few MiB.
package sync

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/reconnect-app/reconnect/internal/gittest"
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
	z, _ := zlib.NewWriterLevel(&pack, zlib.BestSpeed)
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
// inflates to 512 MiB. The fetch refuses it by its object's declared size
// (checkPack) before inflating any of it: ErrSealedTooLarge, naming the
// limit, and nothing applied. Before the limits, openPack parsed every
// object into memory whole: 4.5 GiB allocated.
func TestSealedAttackPartnerPackBomb(t *testing.T) {
	if raceDetector {
		t.Skip("allocations of hundreds of MiB under the race detector: run without -race")
	}
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
	before := rsState(t, alex)
	var err error
	used := allocatedBy(func() { _, err = alex.trySync() })
	if err == nil {
		t.Fatal("the sync took a pack bomb without an error")
	}
	if used > n/4 {
		t.Fatalf("the sync allocated %d MiB for a pack of %d KiB before refusing it (%v): no limit", used>>20, len(bomb)>>10, err)
	}
	if !errors.Is(err, ErrSealedTooLarge) || !strings.Contains(err.Error(), "512 MiB") || !strings.Contains(err.Error(), "256 MiB") {
		t.Fatalf("the refusal does not say what was too large and the limit: %v", err)
	}
	t.Logf("refused: %v", err)
	rsSameState(t, alex, before)
}

// The host serves a pack blob of junk (64 MiB: the size check refuses a
// blob past the limit unread, TestOpenBlobSizeFirst; this one is within
// it). age refuses it at its first chunk, and neither the folder's copy
// nor the decryption holds it whole: before, readBlob read the ciphertext
// into memory, then decrypt the plaintext (io.ReadAll, no limit), 18
// times its size allocated in all.
func TestSealedAttackHostHugeBlob(t *testing.T) {
	if raceDetector {
		t.Skip("allocations of hundreds of MiB under the race detector: run without -race")
	}
	const n = 64 << 20
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	p, content := rsEntry("sam", "2026-11-22", "checkin", "new words")
	sam.write(p, content)
	sam.sync()
	tamper(t, remote, func(b []byte) []byte { return append(append([]byte(nil), b...), make([]byte, n)...) })
	before := rsState(t, alex)
	var err error
	used := allocatedBy(func() { _, err = alex.trySync() })
	if err == nil {
		t.Fatal("the sync took a 64 MiB pack of junk without an error")
	}
	if used > n/2 {
		t.Fatalf("the sync allocated %d MiB for a junk blob before refusing it (%v): no limit", used>>20, err)
	}
	if !errors.Is(err, ErrSealedBroken) {
		t.Fatalf("junk after a pack: %v, want %v", err, ErrSealedBroken)
	}
	rsSameState(t, alex, before)
}

// rsState is what a refused fetch must leave as it was: main, the
// remote-tracking branch and the work tree.
func rsState(t *testing.T, c *rsClone) []string {
	t.Helper()
	return append([]string{
		gittest.Git(t, c.r.Dir, "rev-parse", "main"),
		gittest.Git(t, c.r.Dir, "rev-parse", "refs/remotes/origin/main"),
	}, c.tree()...)
}

func rsSameState(t *testing.T, c *rsClone, before []string) {
	t.Helper()
	if after := rsState(t, c); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("a refused fetch changed the journal:\nbefore %q\nafter  %q", before, after)
	}
	c.checkClean()
}

// rewriteSealed replaces the remote's main with a sealed commit whose
// root tree is change(the root tree's entries), as a hostile host could.
func rewriteSealed(t *testing.T, remote string, change func(s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry) {
	t.Helper()
	g, err := git.PlainOpen(remote)
	if err != nil {
		t.Fatal(err)
	}
	s := g.Storer
	tip := plumbing.NewHash(gittest.Git(t, remote, "rev-parse", "main"))
	c, err := object.GetCommit(s, tip)
	if err != nil {
		t.Fatal(err)
	}
	root, err := c.Tree()
	if err != nil {
		t.Fatal(err)
	}
	rh, err := storeEntries(s, change(s, append([]object.TreeEntry(nil), root.Entries...)))
	if err != nil {
		t.Fatal(err)
	}
	nc := &object.Commit{Author: sealedSig, Committer: sealedSig, Message: sealedMessage, TreeHash: rh, ParentHashes: []plumbing.Hash{tip}}
	o := s.NewEncodedObject()
	if err := nc.Encode(o); err != nil {
		t.Fatal(err)
	}
	h, err := s.SetEncodedObject(o)
	if err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, remote, "update-ref", "refs/heads/main", h.String())
}

// set replaces the entry name of entries (a tree's, sorted) with e.
func set(entries []object.TreeEntry, e object.TreeEntry) []object.TreeEntry {
	for i := range entries {
		if entries[i].Name == e.Name {
			entries[i] = e
			return entries
		}
	}
	t := append(entries, e)
	sort.Slice(t, func(i, j int) bool { return t[i].Name < t[j].Name })
	return t
}

// A head that decrypts to more than maxSealedHead is refused when the
// limit is reached, and one bigger than that encrypted unread; a sealed
// tree bigger than it is refused before it is decoded. Nothing applied.
func TestSealedHeadAndTreeBounded(t *testing.T) {
	for name, tc := range map[string]struct {
		change func(t *testing.T, seal *Seal, s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry
		want   string
	}{
		"head decrypts past the limit": {func(t *testing.T, seal *Seal, s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry {
			// within the size its limit allows encrypted: refused
			// by the decryption, at the limit
			head, err := encrypt(bytes.Repeat([]byte(" "), maxSealedHead+1), seal.Recipients)
			if err != nil {
				t.Fatal(err)
			}
			h, err := storeBlob(s, head)
			if err != nil {
				t.Fatal(err)
			}
			return set(root, object.TreeEntry{Name: "head", Mode: filemode.Regular, Hash: h})
		}, "the head decrypts to more than 1 MiB"},
		"head blob past the limit": {func(t *testing.T, seal *Seal, s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry {
			h, err := storeBlob(s, make([]byte, sealedSize(maxSealedHead)+1))
			if err != nil {
				t.Fatal(err)
			}
			return set(root, object.TreeEntry{Name: "head", Mode: filemode.Regular, Hash: h})
		}, "the head is 1.1 MiB encrypted; it may decrypt to 1 MiB at most"},
		"packs tree past the limit": {func(t *testing.T, seal *Seal, s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry {
			var pt []object.TreeEntry
			blob, err := storeBlob(s, []byte("x"))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; len(pt)*60 < maxSealedHead; i++ {
				pt = append(pt, object.TreeEntry{Name: fmt.Sprintf("%032x", i), Mode: filemode.Regular, Hash: blob})
			}
			h, err := storeEntries(s, pt)
			if err != nil {
				t.Fatal(err)
			}
			return set(root, object.TreeEntry{Name: "packs", Mode: filemode.Dir, Hash: h})
		}, "more than the 1 MiB it may be"},
	} {
		t.Run(name, func(t *testing.T) {
			remote, cs := rsSealedRemote(t, "sam", "alex")
			sam, alex := cs[0], cs[1]
			p, content := rsEntry("sam", "2026-11-22", "checkin", "new words")
			sam.write(p, content)
			sam.sync()
			rewriteSealed(t, remote, func(s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry {
				return tc.change(t, sam.seal, s, root)
			})
			before := rsState(t, alex)
			_, err := alex.trySync()
			if !errors.Is(err, ErrSealedTooLarge) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("sync: %v, want %v saying %q", err, ErrSealedTooLarge, tc.want)
			}
			rsSameState(t, alex, before)
		})
	}
}

// sizedStore is a store holding one object of a given size, which must not
// be read.
type sizedStore struct {
	storer.EncodedObjectStorer
	t    *testing.T
	size int64
}

func (s sizedStore) EncodedObjectSize(plumbing.Hash) (int64, error) { return s.size, nil }
func (s sizedStore) EncodedObject(plumbing.ObjectType, plumbing.Hash) (plumbing.EncodedObject, error) {
	s.t.Fatal("an object bigger than its limit was read")
	return nil, nil
}

// A blob bigger than its limit allows encrypted is refused by its size,
// before any of it is read; a limit of 0 (a fetch that has taken all it
// may) refuses any pack.
func TestOpenBlobSizeFirst(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	for _, tc := range []struct {
		size, max int64
		want      string
	}{
		{sealedSize(maxSealedFetch) + 1, maxSealedFetch, "a pack is 256.1 MiB encrypted; it may decrypt to 256 MiB at most"},
		{1 << 40, maxSealedFetch, "a pack is 1048576 MiB encrypted"},
		{sealedSize(0) + 1, 0, "it may decrypt to 0 bytes at most"},
	} {
		_, err := openBlob(sizedStore{t: t, size: tc.size}, plumbing.ZeroHash, []age.Identity{id}, "a pack", tc.max)
		if !errors.Is(err, ErrSealedTooLarge) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("a blob of %d bytes, limit %d: %v, want %q", tc.size, tc.max, err, tc.want)
		}
	}
}

// countingReader counts what is read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decrypt takes up to its limit and refuses one byte more, reading no
// further than a chunk past the limit; damage is ErrSealedBroken.
func TestDecryptLimit(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	ids, to := []age.Identity{id}, []age.Recipient{id.Recipient()}
	seal := func(n int) []byte {
		out, err := encrypt(bytes.Repeat([]byte("a"), n), to)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, n := range []int{0, 1, 64 << 10, 64<<10 + 1, 1 << 20} {
		data := seal(n)
		got, err := decrypt(bytes.NewReader(data), ids, "a part", int64(n), int64(len(data)))
		if err != nil || len(got) != n {
			t.Errorf("%d bytes, limit %d: %d bytes, %v", n, n, len(got), err)
		}
		if n == 0 {
			continue
		}
		_, err = decrypt(bytes.NewReader(data), ids, "a part", int64(n-1), int64(len(data)))
		if !errors.Is(err, ErrSealedTooLarge) || !strings.Contains(err.Error(), "a part decrypts to more than") {
			t.Errorf("%d bytes, limit %d: %v, want %v", n, n-1, err, ErrSealedTooLarge)
		}
	}
	big := seal(8 << 20)
	r := &countingReader{r: bytes.NewReader(big)}
	if _, err := decrypt(r, ids, "a part", 1<<10, int64(len(big))); !errors.Is(err, ErrSealedTooLarge) {
		t.Fatalf("8 MiB, limit 1 KiB: %v", err)
	}
	if r.n > 256<<10 {
		t.Errorf("8 MiB, limit 1 KiB: read %d KiB of it", r.n>>10)
	}
	bad := seal(1 << 20)
	bad[len(bad)/2] ^= 1
	if _, err := decrypt(bytes.NewReader(bad), ids, "a part", 2<<20, int64(len(bad))); !errors.Is(err, ErrSealedBroken) {
		t.Errorf("a changed byte: %v, want %v", err, ErrSealedBroken)
	}
}

// packOf is a pack of blobs (deltas among them when they look alike).
func packOf(t *testing.T, blobs ...[]byte) (pack []byte, sizes int64) {
	t.Helper()
	mem := memory.NewStorage()
	var hs []plumbing.Hash
	for _, b := range blobs {
		h, err := storeBlob(mem, b)
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
		sizes += int64(len(b))
	}
	var buf bytes.Buffer
	if _, err := packfile.NewEncoder(&buf, mem, false).Encode(hs, 10); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), sizes
}

// rawPack is a pack of count objects whose bytes are body, as a hostile
// partner could write one.
func rawPack(count uint32, body ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("PACK")
	binary.Write(&b, binary.BigEndian, uint32(2))
	binary.Write(&b, binary.BigEndian, count)
	for _, p := range body {
		b.Write(p)
	}
	return b.Bytes()
}

// objHeader is a pack object's header: its type and declared size.
func objHeader(typ plumbing.ObjectType, size uint64) []byte {
	b := []byte{byte(typ)<<4 | byte(size&0x0f)}
	for size >>= 4; size != 0; size >>= 7 {
		b[len(b)-1] |= 0x80
		b = append(b, byte(size&0x7f))
	}
	return b
}

func deflated(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	z.Write(data)
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkPack counts a pack's objects from their headers, deltas at the
// size they make, before anything is parsed.
func TestCheckPack(t *testing.T) {
	text := bytes.Repeat([]byte("The walk by the river, and the bench. "), 400)
	var blobs [][]byte
	for i := range 6 {
		blobs = append(blobs, append(append([]byte(nil), text...), fmt.Sprint(i)...))
	}
	honest, sizes := packOf(t, blobs...)
	if len(honest) > int(sizes)/2 {
		t.Fatalf("the pack is %d bytes for %d: no deltas, the test shows less than it should", len(honest), sizes)
	}
	// what it makes in memory, at least: each object whole
	least := sizes + 6*sealedObjectCost
	if err := checkPack(honest, 0, 10*least); err != nil {
		t.Fatalf("an honest pack: %v", err)
	}
	if err := checkPack(honest, 0, least-1); !errors.Is(err, ErrSealedTooLarge) {
		t.Fatalf("an honest pack over the limit: %v", err)
	}
	if err := checkPack(honest, 9*least, 10*least); !errors.Is(err, ErrSealedTooLarge) {
		t.Fatalf("an honest pack after others fill the limit: %v", err)
	}
	refDelta := func(makes uint64) []byte {
		data := binary.AppendUvarint(binary.AppendUvarint(nil, 10), makes)
		data = append(data, 0x0a) // an insert of 10 bytes would follow
		return append(append(objHeader(plumbing.REFDeltaObject, uint64(len(data))), make([]byte, 20)...), deflated(t, data)...)
	}
	for _, tc := range []struct {
		name string
		pack []byte
		want error
		says string
	}{
		{"an object that declares 1 TiB", rawPack(1, objHeader(plumbing.BlobObject, 1<<40)), ErrSealedTooLarge, "a pack's object declares 1048576 MiB; a fetch takes at most 256 MiB"},
		{"a delta that makes 1 TiB", rawPack(1, refDelta(1<<40)), ErrSealedTooLarge, "a pack's delta makes an object of 1048576 MiB"},
		{"a delta that makes the limit", rawPack(1, refDelta(uint64(maxSealedFetch))), ErrSealedTooLarge, "makes an object of 256 MiB"},
		{"a delta that makes 1 KiB", rawPack(1, refDelta(1<<10)), nil, ""},
		{"a billion objects", rawPack(1 << 30), ErrSealedTooLarge, "a pack holds 1073741824 objects"},
		{"no pack", []byte("PACK nonsense"), ErrSealedBroken, ""},
		{"a delta cut short", rawPack(1, append(append(objHeader(plumbing.REFDeltaObject, 1), make([]byte, 20)...), deflated(t, []byte{0x80})...)), ErrSealedBroken, "a delta whose header does not read"},
		{"an object that inflates past its size", rawPack(1, append(objHeader(plumbing.BlobObject, 3), deflated(t, []byte("four"))...)), ErrSealedBroken, ""},
	} {
		err := checkPack(tc.pack, 0, maxSealedFetch)
		if !errors.Is(err, tc.want) || tc.want == nil && err != nil || !strings.Contains(fmt.Sprint(err), tc.says) {
			t.Errorf("%s: %v, want %v saying %q", tc.name, err, tc.want, tc.says)
		}
	}
}

func TestDeltaTarget(t *testing.T) {
	for _, tc := range []struct {
		b    []byte
		want int64
		ok   bool
	}{
		{[]byte{10, 20}, 20, true},
		{[]byte{0x80, 0x01, 0xff, 0x7f}, 16383, true},
		{[]byte{10}, 0, false},
		{nil, 0, false},
		{[]byte{10, 0x80}, 0, false},
		{append([]byte{1}, bytes.Repeat([]byte{0xff}, 11)...), 0, false},
	} {
		got, ok := deltaTarget(tc.b)
		if got != tc.want || ok != tc.ok {
			t.Errorf("deltaTarget(%x) = %d, %v; want %d, %v", tc.b, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSizeOf(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1 << 10: "1 KiB", 1536: "1.5 KiB",
		1 << 20: "1 MiB", 256 << 20: "256 MiB", 256<<20 + 100<<10: "256.1 MiB",
	} {
		if got := sizeOf(n); got != want {
			t.Errorf("sizeOf(%d) = %q, want %q", n, got, want)
		}
	}
}

// A push never sends what the partner's fetch would refuse: a pack over
// the fetch limit fails the push with ErrSealedTooLarge, the remote as it
// was; under the limit the same entry goes through. (The limit is
// lowered for the test; serial, so no parallel test sees it.)
func TestSealedPushWithinTheFetchLimit(t *testing.T) {
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	words := strings.Repeat("every evening a long letter to you, ", 200)
	p, content := rsEntry("sam", "2026-11-22", "checkin", words)
	sam.write(p, content)
	before := gittest.Git(t, remote, "rev-parse", "main")

	old := maxSealedFetch
	maxSealedFetch = 4 << 10
	_, err := sam.trySync()
	maxSealedFetch = old
	if !errors.Is(err, ErrSealedTooLarge) || !strings.Contains(err.Error(), "push to") || !strings.Contains(err.Error(), "4 KiB") {
		t.Fatalf("a push over the fetch limit = %v, want ErrSealedTooLarge naming the push and the limit", err)
	}
	if after := gittest.Git(t, remote, "rev-parse", "main"); after != before {
		t.Fatalf("the remote moved from %s to %s on a refused push", before, after)
	}

	sam.sync()
	alex.sync()
	rsSameTrees(t, sam, alex)
}
