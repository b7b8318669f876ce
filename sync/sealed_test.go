package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// rsKeys makes an identity for each name; the seals encrypt to all.
func rsKeys(t testing.TB, names ...string) map[string]*Seal {
	t.Helper()
	ids := map[string]*age.X25519Identity{}
	var to []age.Recipient
	for _, n := range names {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = id
		to = append(to, id.Recipient())
	}
	seals := map[string]*Seal{}
	for _, n := range names {
		seals[n] = &Seal{Identities: []age.Identity{ids[n]}, Recipients: to}
	}
	return seals
}

// rsSealedRemote is rsNewRemote with an encrypted remote: first pushes,
// the others clone with their own keys.
func rsSealedRemote(t testing.TB, first string, others ...string) (string, []*rsClone) {
	t.Helper()
	seals := rsKeys(t, append([]string{first}, others...)...)
	remote := gittest.Bare(t)
	a := rsInit(t, first)
	a.seal = seals[first]
	if err := a.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	if res := a.sync(); res.State != StatePushed {
		t.Fatalf("first push: state %q, want %q", res.State, StatePushed)
	}
	clones := []*rsClone{a}
	for _, o := range others {
		clones = append(clones, rsSealedClone(t, remote, o, seals[o]))
	}
	return remote, clones
}

func rsSealedClone(t testing.TB, remote, author string, seal *Seal) *rsClone {
	t.Helper()
	c := &rsClone{t: t, author: author, seal: seal}
	r, err := CloneSealed(context.Background(), remote, filepath.Join(t.TempDir(), author), c.opts())
	if err != nil {
		t.Fatalf("clone for %s: %v", author, err)
	}
	c.r = r
	return c
}

// remoteBytes is every object the bare repository holds, decompressed, as
// git itself prints them.
func remoteBytes(t *testing.T, remote string) []byte {
	t.Helper()
	cmd := exec.Command(gittest.GitPath(t), "cat-file", "--batch-all-objects", "--batch")
	cmd.Dir = remote
	cmd.Env = gittest.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git cat-file: %v", err)
	}
	return out
}

// The host learns nothing: after both partners wrote and synced, no byte
// of any object in the remote holds an entry's words, a name, a date or a
// kind; and both journals are the same, plain.
func TestSealedRemoteHoldsOnlyCiphertext(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	var secrets []string
	for i := 0; i < 4; i++ {
		for _, c := range cs {
			text := fmt.Sprintf("Zebra-crossing secret %d of %s", i, c.author)
			p, content := rsEntry(c.author, fmt.Sprintf("2026-11-2%d", i), []string{"checkin", "answer", "gratitude", "memory"}[i], text)
			c.write(p, content)
			secrets = append(secrets, text)
			c.sync()
		}
	}
	sam.sync()
	rsSameTrees(t, sam, alex)
	if got := alex.file("2026/11/2026-11-23-memory-sam.md"); !strings.Contains(got, "Zebra-crossing secret 3 of sam") {
		t.Fatalf("alex's copy is not plain: %q", got)
	}
	all := remoteBytes(t, remote)
	// Names as they appear in paths, front matter and commits (a bare
	// three letters could turn up in random ciphertext by chance).
	needles := append(secrets, "Zebra", "-sam.md", "-alex.md", "author: sam", "author: alex", "Sam <", "Alex <",
		"2026-11", "2026/11", "checkin", "answer", "gratitude", "memory", "README", "reconnect.yaml", "write:", "merge",
		"example.com")
	for _, n := range needles {
		if bytes.Contains(all, []byte(n)) {
			t.Errorf("the remote holds %q", n)
		}
	}
	gittest.Fsck(t, remote)
}

// The randomized convergence run, with an encrypted remote.
func TestSyncRandomConvergenceSealed(t *testing.T) {
	t.Parallel()
	// One seed here: the plain test runs three through the same steps;
	// -seed and -rounds replay any other (see TestSyncRandomConvergence).
	seeds, rounds := []uint64{1}, 60
	if testing.Short() {
		rounds = 25
	}
	if *rsSeed != 0 {
		seeds = []uint64{*rsSeed}
	}
	if *rsRounds > 0 {
		rounds = *rsRounds
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rsRandomRun(t, seed, rounds, rsSealedRemote)
		})
	}
}

// A clone with a key the journal is not encrypted to cannot read it, and
// a journal without keys cannot either; a plain clone is refused.
func TestSealedWrongKeyAndKeyless(t *testing.T) {
	remote, _ := rsSealedRemote(t, "sam")
	stranger := rsKeys(t, "kim")["kim"]
	_, err := CloneSealed(context.Background(), remote, filepath.Join(t.TempDir(), "kim"), Options{Signature: Signature{Name: "Kim", Email: "kim@example.com", When: rsEpoch}, Seal: stranger})
	if !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), "other keys") {
		t.Fatalf("a wrong key: %v, want ErrNoKey", err)
	}
	_, err = CloneSealed(context.Background(), remote, filepath.Join(t.TempDir(), "nokey"), Options{Signature: Signature{Name: "Kim", Email: "kim@example.com", When: rsEpoch}, Seal: &Seal{}})
	if !errors.Is(err, ErrNoKey) {
		t.Fatalf("no key: %v, want ErrNoKey", err)
	}
	_, err = Clone(context.Background(), remote, filepath.Join(t.TempDir(), "plain"), Auth{})
	if !errors.Is(err, ErrRemoteSealed) {
		t.Fatalf("a plain clone: %v, want ErrRemoteSealed", err)
	}
	// A plain journal syncing with it is refused, and sends nothing.
	kim := rsInit(t, "kim")
	kim.remote = remote
	before := gittest.Git(t, remote, "rev-parse", "main")
	if _, err := kim.trySync(); !errors.Is(err, ErrRemoteSealed) {
		t.Fatalf("a plain sync: %v, want ErrRemoteSealed", err)
	}
	if after := gittest.Git(t, remote, "rev-parse", "main"); after != before {
		t.Fatal("a plain sync moved the encrypted remote")
	}
}

// tamper replaces the remote's packs with change(pack), as a
// hostile host could, in a new sealed commit on main.
func tamper(t *testing.T, remote string, change func([]byte) []byte) {
	t.Helper()
	rewriteSealed(t, remote, func(s storer.EncodedObjectStorer, root []object.TreeEntry) []object.TreeEntry {
		for i, re := range root {
			if re.Name != "packs" {
				continue
			}
			packsTree, err := object.GetTree(s, re.Hash)
			if err != nil {
				t.Fatal(err)
			}
			// every pack, once: the one new to the partner among them
			for k := range packsTree.Entries {
				pe := &packsTree.Entries[k]
				d, _ := readBlob(s, pe.Hash)
				if pe.Hash, err = storeBlob(s, change(d)); err != nil {
					t.Fatal(err)
				}
			}
			if root[i].Hash, err = storeEntries(s, packsTree.Entries); err != nil {
				t.Fatal(err)
			}
		}
		return root
	})
}

// A pack changed or cut short on the host is refused whole: nothing is
// applied, main and the remote-tracking branch stay where they were.
func TestSealedTamperedPackRefused(t *testing.T) {
	t.Parallel()
	for name, change := range map[string]func([]byte) []byte{
		"flipped": func(b []byte) []byte {
			b = append([]byte(nil), b...)
			b[len(b)-20] ^= 1
			return b
		},
		"truncated": func(b []byte) []byte { return b[:len(b)-17] },
		"foreign": func(b []byte) []byte {
			other := rsKeys(t, "eve")["eve"]
			out, err := encrypt([]byte("PACK nonsense"), other.Recipients)
			if err != nil {
				t.Fatal(err)
			}
			return out
		},
	} {
		t.Run(name, func(t *testing.T) {
			remote, cs := rsSealedRemote(t, "sam", "alex")
			sam, alex := cs[0], cs[1]
			p, content := rsEntry("sam", "2026-11-22", "checkin", "new words")
			sam.write(p, content)
			sam.sync()
			tamper(t, remote, change)
			head := gittest.Git(t, alex.r.Dir, "rev-parse", "main")
			tracking := gittest.Git(t, alex.r.Dir, "rev-parse", "refs/remotes/origin/main")
			_, err := alex.trySync()
			want := ErrSealedBroken
			if name == "foreign" {
				want = ErrNoKey
			}
			if !errors.Is(err, want) {
				t.Fatalf("sync of a %s pack: %v, want %v", name, err, want)
			}
			if got := gittest.Git(t, alex.r.Dir, "rev-parse", "main"); got != head {
				t.Fatal("main moved")
			}
			if got := gittest.Git(t, alex.r.Dir, "rev-parse", "refs/remotes/origin/main"); got != tracking {
				t.Fatal("the remote-tracking branch moved")
			}
			if _, err := alex.r.git.CommitObject(plumbing.NewHash(gittest.Git(t, sam.r.Dir, "rev-parse", "main"))); err == nil {
				t.Fatal("the tampered pack's commit was stored")
			}
		})
	}
}

// --compact replaces the packs with one, and a fresh clone reads it; the
// next push adds to it again.
func TestSealedCompact(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	for i := 0; i < 3; i++ {
		p, content := rsEntry("sam", fmt.Sprintf("2026-11-2%d", i), "checkin", fmt.Sprintf("day %d", i))
		sam.write(p, content)
		sam.sync()
	}
	count := func() int {
		out := gittest.Git(t, remote, "ls-tree", "--name-only", "main", "packs/")
		return len(strings.Fields(out))
	}
	if n := count(); n != 4 {
		t.Fatalf("%d packs before compaction, want 4", n)
	}
	p, content := rsEntry("sam", "2026-11-24", "checkin", "compacted")
	sam.write(p, content)
	sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: sam.seal.Recipients, Compact: true}
	sam.sync()
	if n := count(); n != 1 {
		t.Fatalf("%d packs after compaction, want 1", n)
	}
	alex.sync()
	rsSameTrees(t, sam, alex)
	kim := rsSealedClone(t, remote, "kim", &Seal{Identities: alex.seal.Identities, Recipients: alex.seal.Recipients})
	rsSameTrees(t, sam, kim)
}

// An invitation pushed with the journal stays on the remote, through other
// pushes, until a push drops it; a key added to the recipients re-encrypts
// the whole history for it, in one pack.
func TestSealedInviteAndNewKey(t *testing.T) {
	t.Parallel()
	remote, cs := rsSealedRemote(t, "sam")
	sam := cs[0]
	newcomer := rsKeys(t, "alex")["alex"]
	id := strings.Repeat("ab", 16)
	sam.seal = &Seal{Identities: sam.seal.Identities, Recipients: append(sam.seal.Recipients, newcomer.Recipients...),
		Invite: &Invite{ID: id, Data: []byte("opaque")}}
	for i := 0; i < 2; i++ {
		p, content := rsEntry("sam", fmt.Sprintf("2026-11-2%d", i), "checkin", "before alex")
		sam.write(p, content)
		sam.sync()
	}
	if n := len(strings.Fields(gittest.Git(t, remote, "ls-tree", "--name-only", "main", "packs/"))); n != 2 {
		t.Fatalf("%d packs, want 2 (one re-encrypted for the new key, then one)", n)
	}
	got, err := ReadInvite(context.Background(), remote, Auth{}, id)
	if err != nil || string(got) != "opaque" {
		t.Fatalf("ReadInvite: %q %v", got, err)
	}
	if _, err := ReadInvite(context.Background(), remote, Auth{}, strings.Repeat("cd", 16)); !errors.Is(err, ErrNoInvite) {
		t.Fatalf("another id: %v", err)
	}
	alex := rsSealedClone(t, remote, "alex", &Seal{Identities: newcomer.Identities, Recipients: sam.seal.Recipients, Drop: []string{id}})
	rsSameTrees(t, sam, alex)
	p, content := rsEntry("alex", "2026-11-22", "checkin", "joined")
	alex.write(p, content)
	alex.sync()
	if _, err := ReadInvite(context.Background(), remote, Auth{}, id); !errors.Is(err, ErrNoInvite) {
		t.Fatalf("after the joiner's push: %v", err)
	}
}
