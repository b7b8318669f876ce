package sync

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
)

// fzIdx writes a version-2 pack index of names: header, fan-out, names,
// CRCs, offsets, the pack's and its own checksum.
func fzIdx(names []plumbing.Hash) []byte {
	slices.SortFunc(names, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
	names = slices.Compact(names)
	b := []byte("\377tOc\x00\x00\x00\x02")
	var fan [256]uint32
	for _, h := range names {
		for i := int(h[0]); i < 256; i++ {
			fan[i]++
		}
	}
	for _, n := range fan {
		b = binary.BigEndian.AppendUint32(b, n)
	}
	for _, h := range names {
		b = append(b, h[:]...)
	}
	for i := range names {
		b = binary.BigEndian.AppendUint32(b, uint32(i)) // CRC
	}
	for i := range names {
		b = binary.BigEndian.AppendUint32(b, uint32(12+i*10)) // offset
	}
	b = append(b, make([]byte, sha1.Size)...) // the pack's checksum
	sum := sha1.Sum(b)
	return append(b, sum[:]...)
}

// FuzzIdxHas builds a pack index from names and asks idxHas about each
// name, a near miss of each and one more hash; go-git's idxfile decoder,
// reading the same file, must give the same answers. The data is also
// read as a pack index as it is: openIdx and idxHas never panic on it, nor
// allocate what a damaged fan-out claims.
func FuzzIdxHas(f *testing.F) {
	f.Add([]byte{}, []byte{0})
	f.Add(bytes.Repeat([]byte{0xff}, 40), []byte{0xff, 0xff})
	f.Add([]byte("\x00aaaaaaaaaaaaaaaaaaa\x00aaaaaaaaaaaaaaaaaab\x7fzzzzzzzzzzzzzzzzzzz"), []byte("\x00aaaaaaaaaaaaaaaaaaa"))
	f.Fuzz(func(t *testing.T, data, query []byte) {
		var names []plumbing.Hash
		for i := 0; i+20 <= len(data); i += 20 {
			names = append(names, plumbing.Hash(data[i:i+20]))
		}
		var q plumbing.Hash
		copy(q[:], query)
		asks := []plumbing.Hash{q}
		for _, h := range names {
			near := h
			near[19] ^= 1
			asks = append(asks, h, near)
		}
		raw := fzIdx(names)
		name := filepath.Join(t.TempDir(), "pack.idx")
		if err := os.WriteFile(name, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		ix, err := openIdx(name)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.f.Close()
		ref := idxfile.NewMemoryIndex()
		if err := idxfile.NewDecoder(bytes.NewReader(raw)).Decode(ref); err != nil {
			t.Fatalf("go-git cannot read the index: %v", err)
		}
		for _, h := range asks {
			got, err := idxHas(ix, h)
			if err != nil {
				t.Fatalf("idxHas(%s): %v", h, err)
			}
			want, err := ref.Contains(h)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("idxHas(%s) = %v, go-git says %v", h, got, want)
			}
		}

		// The data as an index file, the header made right: no panic and
		// no allocation beyond the file's size, whatever it holds.
		if len(data) >= 8 {
			copy(data, "\377tOc\x00\x00\x00\x02")
		}
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if ix2, err := openIdx(name); err == nil {
			defer ix2.f.Close()
			_, _ = idxHas(ix2, q)
		}
	})
}
