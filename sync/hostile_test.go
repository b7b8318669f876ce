package sync

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/reconnect-app/reconnect/internal/gitpath"
	"github.com/reconnect-app/reconnect/internal/gittest"
)

// The hostile-partner suite: a partner who uses plain git crafts trees no
// reconnect would write (with git's plumbing, and raw tree objects where
// git mktree refuses a name) and pushes them to the shared remote. For
// each class of path, in a journal that joins (Clone) and in one that
// syncs (a fast-forward, and a merge with an entry of the victim's own),
// nothing is written outside the journal, .git is not changed, nothing
// runs (real git status in the journal would run a planted fsmonitor
// command), the victim's entries stay, git status is clean, git fsck
// passes, and both partners keep syncing afterwards.
//
// git fsck runs without --strict here: the partner's crafted trees are
// shared history, in the remote and in every clone, and --strict turns
// git's warnings about them (hasDotdot, hasDotgit, ...) into errors.

// hpEntry is one entry of a tree object.
type hpEntry struct {
	mode string // as git writes it: 100644, 100755, 120000, 160000, 40000
	name string
	hash string // hex
}

// hpRemote crafts objects in a bare repository with real git.
type hpRemote struct {
	t   *testing.T
	dir string
}

func (h *hpRemote) git(stdin []byte, args ...string) string {
	h.t.Helper()
	cmd := exec.Command(gittest.GitPath(h.t), args...)
	cmd.Dir = h.dir
	cmd.Env = gittest.Env()
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimRight(out.String(), "\n")
}

func (h *hpRemote) blob(content string) string {
	return h.git([]byte(content), "hash-object", "-w", "--stdin")
}

// tree stores a tree object with exactly these entries, in git's order,
// whatever their names: git hash-object --literally takes what git mktree
// refuses (a slash in a name).
func (h *hpRemote) tree(entries []hpEntry) string {
	h.t.Helper()
	sorted := append([]hpEntry(nil), entries...)
	key := func(e hpEntry) string {
		if e.mode == "40000" {
			return e.name + "/"
		}
		return e.name
	}
	sort.Slice(sorted, func(i, j int) bool { return key(sorted[i]) < key(sorted[j]) })
	var raw bytes.Buffer
	for _, e := range sorted {
		bin, err := hex.DecodeString(e.hash)
		if err != nil || len(bin) != 20 {
			h.t.Fatalf("bad hash %q", e.hash)
		}
		raw.WriteString(e.mode + " " + e.name + "\x00")
		raw.Write(bin)
	}
	return h.git(raw.Bytes(), "hash-object", "-t", "tree", "--literally", "-w", "--stdin")
}

// entries lists the tree at rev (a commit or tree, "rev:path" for a
// folder in it).
func (h *hpRemote) entries(rev string) []hpEntry {
	out := h.git(nil, "ls-tree", "-z", rev)
	var es []hpEntry
	for _, rec := range strings.Split(out, "\x00") {
		if rec == "" {
			continue
		}
		meta, name, _ := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		mode := f[0]
		if mode == "040000" {
			mode = "40000"
		}
		es = append(es, hpEntry{mode: mode, name: name, hash: f[2]})
	}
	return es
}

// put is the tree t (a hash; "" for empty) with e added in the folder at
// dir (slash-separated, "" for t itself), replacing an entry of that name.
func (h *hpRemote) put(t string, dir string, e hpEntry) string {
	var es []hpEntry
	if t != "" {
		es = h.entries(t)
	}
	if dir == "" {
		kept := es[:0]
		for _, x := range es {
			if x.name != e.name {
				kept = append(kept, x)
			}
		}
		return h.tree(append(kept, e))
	}
	first, rest, _ := strings.Cut(dir, "/")
	sub := ""
	for _, x := range es {
		if x.name == first && x.mode == "40000" {
			sub = x.hash
		}
	}
	return h.put(t, "", hpEntry{mode: "40000", name: first, hash: h.put(sub, rest, e)})
}

// push commits tree on top of the remote's main, as the partner, and
// moves main there.
func (h *hpRemote) push(tree, msg string) string {
	parent := h.git(nil, "rev-parse", "main")
	c := h.git([]byte(msg+"\n"), "-c", "user.name=Alex", "-c", "user.email=alex@example.com",
		"commit-tree", tree, "-p", parent)
	h.git(nil, "update-ref", "refs/heads/main", c, parent)
	return c
}

// hpClass is one kind of path a hostile partner sends.
type hpClass struct {
	name string
	// add puts the hostile entries into the tree root (the remote's main
	// tree) and returns the new tree; marker is a file that a planted
	// command would create.
	add func(h *hpRemote, root, marker string) string
	// outside: the path would land outside the journal or in .git, and a
	// join is refused whole.
	outside bool
	// october: a file at 2026/10, where the folder for October belongs.
	october bool
	// kept are the paths a sync names as kept out of the work tree
	// ("ABS" stands for the absolute name of the marker).
	kept []string
}

// hpGitDir is a .git folder as a partner would plant it: a config that
// runs a command on the next git status, and a hook.
func hpGitDir(h *hpRemote, marker string) string {
	cfg := h.blob("[core]\n\tfsmonitor = \"touch " + marker + "\"\n\thooksPath = hooks\n")
	hook := h.blob("#!/bin/sh\ntouch " + marker + "\n")
	hooks := h.tree([]hpEntry{{"100755", "post-checkout", hook}, {"100755", "fsmonitor-watchman", hook}})
	return h.tree([]hpEntry{{"100644", "config", cfg}, {"40000", "hooks", hooks}})
}

func hpClasses() []hpClass {
	dotGitNamed := func(name string) func(h *hpRemote, root, marker string) string {
		return func(h *hpRemote, root, marker string) string {
			return h.put(root, "", hpEntry{"40000", name, hpGitDir(h, marker)})
		}
	}
	return []hpClass{
		{name: "dotdot", outside: true, kept: []string{".."}, add: func(h *hpRemote, root, marker string) string {
			pwned := h.tree([]hpEntry{{"100644", "PWNED.txt", h.blob("pwned\n")}})
			up := h.tree([]hpEntry{{"40000", "..", pwned}, {"100644", "PWNED.txt", h.blob("pwned\n")}})
			return h.put(root, "", hpEntry{"40000", "..", up})
		}},
		{name: "dotgit", outside: true, kept: []string{".git"}, add: dotGitNamed(".git")},
		{name: "dotgit-upper", outside: true, kept: []string{".GIT"}, add: dotGitNamed(".GIT")},
		{name: "dotgit-dot", outside: true, kept: []string{".git."}, add: dotGitNamed(".git.")},
		{name: "dotgit-space", outside: true, kept: []string{".git "}, add: dotGitNamed(".git ")},
		{name: "dotgit-ntfs-short", outside: true, kept: []string{"git~1"}, add: dotGitNamed("git~1")},
		{name: "dotgit-zwnj", outside: true, kept: []string{".g\u200cit"}, add: dotGitNamed(".g\u200cit")},
		{name: "dotgit-in-a-folder", outside: true, kept: []string{"2026/.git"}, add: func(h *hpRemote, root, marker string) string {
			return h.put(root, "2026", hpEntry{"40000", ".git", hpGitDir(h, marker)})
		}},
		{name: "slash-in-name", outside: true, kept: []string{".git/config"}, add: func(h *hpRemote, root, marker string) string {
			cfg := h.blob("[core]\n\tfsmonitor = \"touch " + marker + "\"\n")
			return h.put(root, "", hpEntry{"100644", ".git/config", cfg})
		}},
		{name: "absolute", outside: true, kept: []string{"ABS"}, add: func(h *hpRemote, root, marker string) string {
			return h.put(root, "", hpEntry{"100644", filepath.ToSlash(marker) + "-abs", h.blob("pwned\n")})
		}},
		{name: "long-name", kept: []string{"2026/11/" + strings.Repeat("x", 300) + ".md"}, add: func(h *hpRemote, root, marker string) string {
			return h.put(root, "2026/11", hpEntry{"100644", strings.Repeat("x", 300) + ".md", h.blob("long\n")})
		}},
		{name: "control-chars", kept: []string{"2026/11/esc\x1b]52;c;cHduZWQ=\x07\x1b[2J.md", "new\nline.md"}, add: func(h *hpRemote, root, marker string) string {
			root = h.put(root, "2026/11", hpEntry{"100644", "esc\x1b]52;c;cHduZWQ=\x07\x1b[2J.md", h.blob("esc\n")})
			return h.put(root, "", hpEntry{"100644", "new\nline.md", h.blob("newline\n")})
		}},
		{name: "symlink", kept: []string{"2026/11/up.md", "passwd.md"}, add: func(h *hpRemote, root, marker string) string {
			root = h.put(root, "", hpEntry{"120000", "passwd.md", h.blob("/etc/passwd")})
			return h.put(root, "2026/11", hpEntry{"120000", "up.md", h.blob("../../x")})
		}},
		{name: "gitlink", kept: []string{"vendor"}, add: func(h *hpRemote, root, marker string) string {
			return h.put(root, "", hpEntry{"160000", "vendor", strings.Repeat("1", 40)})
		}},
		{name: "file-where-october-goes", october: true, add: func(h *hpRemote, root, marker string) string {
			return h.put(root, "2026", hpEntry{"100644", "10", h.blob("a file where a folder belongs\n")})
		}},
	}
}

// hpListing is every name under dir, except the folders in skip (and
// what is in them).
func hpListing(t *testing.T, dir string, skip ...string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		for _, s := range skip {
			if p == s {
				return filepath.SkipDir
			}
		}
		out[p] = true
		return nil
	})
	return out
}

// hpSetup is a remote, the partner alex (a reconnect clone, whose remote
// a plain-git partner also pushes to) and the victim sam's journal in
// base/home/sam/journal, both with one entry each, synced.
type hpSetup struct {
	remote *hpRemote
	alex   *rsClone
	sam    *rsClone // nil until joined, for the join variant
	base   string   // everything a victim's journal could reach with ..
	marker string
	mine   map[string]string // the victim's entries: path -> content
	kept   bool              // the class has paths kept out of the work tree
}

func hpNewSetup(t *testing.T) *hpSetup {
	t.Helper()
	remote := gittest.Bare(t)
	alex := rsInit(t, "alex")
	if err := alex.r.SetRemote(remote); err != nil {
		t.Fatal(err)
	}
	alex.sync()
	s := &hpSetup{remote: &hpRemote{t: t, dir: remote}, alex: alex, base: t.TempDir(), mine: map[string]string{}}
	s.marker = filepath.Join(s.base, "MARKER")
	if err := os.MkdirAll(filepath.Join(s.base, "home", "sam"), 0o700); err != nil {
		t.Fatal(err)
	}
	pa, ca := rsEntry("alex", "2026-11-20", "checkin", "## Rose\nalex's day")
	alex.write(pa, ca)
	alex.sync()
	return s
}

// clone makes the victim's journal, by reconnect's Clone.
func (s *hpSetup) clone(t *testing.T) (*Repo, error) {
	return Clone(context.Background(), s.remote.dir, filepath.Join(s.base, "home", "sam", "journal"), Auth{})
}

func (s *hpSetup) victimWrites(t *testing.T, date, text string) {
	p, c := rsEntry("sam", date, "checkin", text)
	s.sam.write(p, c)
	s.mine[p] = c
}

// check runs every check on the victim's journal.
func (s *hpSetup) check(t *testing.T, before map[string]bool, config []byte) {
	t.Helper()
	dir := s.sam.r.Dir
	after := hpListing(t, s.base, dir)
	for p := range after {
		if !before[p] {
			t.Errorf("written outside the journal: %s", p)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dir, ".git", "config")); err != nil || (config != nil && !bytes.Equal(got, config)) ||
		bytes.Contains(got, []byte("fsmonitor")) || bytes.Contains(got, []byte("hooksPath")) {
		t.Errorf(".git/config changed: %q (%v)", got, err)
	}
	for _, hook := range []string{"post-checkout", "fsmonitor-watchman"} {
		if _, err := os.Lstat(filepath.Join(dir, ".git", "hooks", hook)); err == nil {
			t.Errorf(".git/hooks/%s was planted", hook)
		}
	}
	if out := gittest.Git(t, dir, "status", "--porcelain", "--untracked-files=all"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
	if _, err := os.Lstat(s.marker); err == nil {
		t.Errorf("the partner's command ran: %s exists", s.marker)
	}
	if out, err := gittest.GitErr(t, dir, nil, "fsck", "--no-progress", "--no-dangling"); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
	for p, c := range s.mine {
		if got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p))); err != nil || string(got) != c {
			t.Errorf("the victim's %s is gone or changed: %q, %v", p, got, err)
		}
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == ".git" {
			return filepath.SkipDir
		}
		mode := filemode.Regular
		switch {
		case d.IsDir():
			mode = filemode.Dir
		case d.Type()&fs.ModeSymlink != 0:
			mode = filemode.Symlink
		}
		if err := gitpath.Check(filepath.ToSlash(rel), mode); err != nil {
			t.Errorf("materialised in the journal: %v", err)
		}
		return nil
	})
	rsHasPaths(t, s.sam, "README.md")
	for p := range s.mine {
		rsHasPaths(t, s.sam, p)
	}
}

// goesOn checks that both partners keep syncing: the partner's reconnect
// takes the result in, both write and sync, and they end with the same
// journal, clean.
func (s *hpSetup) goesOn(t *testing.T) {
	t.Helper()
	if _, err := s.alex.trySync(); err != nil {
		t.Fatalf("alex: sync after the hostile commit: %v", err)
	}
	s.wantStatus(t, s.alex, s.kept)
	pa, ca := rsEntry("alex", "2026-11-23", "checkin", "## Rose\nlater")
	s.alex.write(pa, ca)
	if _, err := s.alex.trySync(); err != nil {
		t.Fatalf("alex: sync: %v", err)
	}
	s.victimWrites(t, "2026-11-23", "## Rose\nlater too")
	for _, c := range []*rsClone{s.sam, s.alex, s.sam} {
		res, err := c.trySync()
		if err != nil {
			t.Fatalf("%s: sync: %v", c.author, err)
		}
		if len(res.Quarantined) > 0 {
			t.Errorf("%s: a later sync names %v as kept out again", c.author, res.Quarantined)
		}
	}
	rsSameTrees(t, s.sam, s.alex)
	rsHasPaths(t, s.sam, pa)
	rsHasPaths(t, s.alex, pa)
	for p := range s.mine {
		rsHasPaths(t, s.alex, p)
	}
	for _, c := range []*rsClone{s.sam, s.alex} {
		if out := gittest.Git(t, c.r.Dir, "status", "--porcelain", "--untracked-files=all"); out != "" {
			t.Errorf("%s: git status is not clean:\n%s", c.author, out)
		}
	}
}

// october writes the victim's October entry where the partner put a file
// at 2026/10: a clear error naming the file, nothing committed; then the
// victim moves the file aside with git, as the error says, and writes.
func (s *hpSetup) october(t *testing.T) {
	t.Helper()
	r := s.sam.r
	head, _ := r.Head()
	p, c := rsEntry("sam", "2026-10-05", "checkin", "## Rose\nan October day")
	unlock, err := r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Commit("write: "+p, s.sam.sig(), Change{Path: p, Data: []byte(c)})
	unlock()
	var fe *FolderError
	if !errors.As(err, &fe) || fe.File != "2026/10" || !fe.Tracked {
		t.Fatalf("October write = %v; want a *FolderError naming 2026/10, tracked", err)
	}
	if now, _ := r.Head(); now != head {
		t.Fatal("the failed write committed something")
	}
	gittest.Git(t, r.Dir, "mv", "2026/10", "2026/10.md")
	gittest.Git(t, r.Dir, "commit", "-q", "-m", "move 2026/10 aside")
	s.sam.write(p, c)
	s.mine[p] = c
}

// wantKept fails unless the sync named exactly the class's paths as kept
// out of the work tree, and Status lists what is kept out.
func (s *hpSetup) wantKept(t *testing.T, class hpClass, res Result) {
	t.Helper()
	var want, got []string
	for _, k := range class.kept {
		want = append(want, strings.ReplaceAll(k, "ABS", filepath.ToSlash(s.marker)+"-abs"))
	}
	for _, q := range res.Quarantined {
		got = append(got, q.Path)
		if q.Reason == "" {
			t.Errorf("kept out without a reason: %q", q.Path)
		}
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sync named %q as kept out; want %q", got, want)
	}
	s.wantStatus(t, s.sam, len(want) > 0)
}

// wantStatus fails unless Status lists something kept out (or nothing),
// each a path the gate refuses or one below a file.
func (s *hpSetup) wantStatus(t *testing.T, c *rsClone, some bool) {
	t.Helper()
	st, err := c.r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if some != (len(st.Quarantined) > 0) {
		t.Errorf("%s: status lists %v as kept out", c.author, st.Quarantined)
	}
	for _, q := range st.Quarantined {
		if q.Reason == "" || q.Path == "" {
			t.Errorf("%s: status lists %#v", c.author, q)
		}
	}
}

func TestHostilePartner(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the hostile-partner suite runs git for every class")
	}
	for _, class := range hpClasses() {
		t.Run(class.name+"/join", func(t *testing.T) {
			t.Parallel()
			s := hpNewSetup(t)
			s.kept = len(class.kept) > 0
			s.remote.push(class.add(s.remote, s.remote.git(nil, "rev-parse", "main^{tree}"), s.marker), "hostile: "+class.name)
			before := hpListing(t, s.base)
			r, err := s.clone(t)
			if class.outside {
				journal := filepath.Join(s.base, "home", "sam", "journal")
				for p := range hpListing(t, s.base, journal) {
					if !before[p] {
						t.Errorf("written outside the journal: %s", p)
					}
				}
				if b, err := os.ReadFile(filepath.Join(journal, ".git", "config")); err == nil && bytes.Contains(b, []byte("fsmonitor")) {
					t.Errorf("the partner's .git/config replaced the journal's:\n%s", b)
				}
				if !errors.Is(err, ErrBadPath) {
					t.Fatalf("join = %v; want it refused with ErrBadPath", err)
				}
				for p := range hpListing(t, s.base) {
					if !before[p] {
						t.Errorf("left behind: %s", p)
					}
				}
				if _, err := os.Lstat(s.marker); err == nil {
					t.Errorf("the partner's command ran")
				}
				return
			}
			if err != nil {
				t.Fatalf("join: %v", err)
			}
			s.sam = &rsClone{t: t, author: "sam", r: r}
			config, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "config"))
			before = hpListing(t, s.base, r.Dir)
			s.wantStatus(t, s.sam, len(class.kept) > 0)
			if class.october {
				s.october(t)
			}
			s.check(t, before, config)
			s.goesOn(t)
			s.check(t, before, config)
		})
		for _, merge := range []bool{false, true} {
			variant := "sync-fast-forward"
			if merge {
				variant = "sync-merge"
			}
			t.Run(class.name+"/"+variant, func(t *testing.T) {
				t.Parallel()
				s := hpNewSetup(t)
				s.kept = len(class.kept) > 0
				r, err := s.clone(t)
				if err != nil {
					t.Fatal(err)
				}
				s.sam = &rsClone{t: t, author: "sam", r: r}
				s.victimWrites(t, "2026-11-21", "## Rose\nsam's own day")
				s.sam.sync()
				s.alex.sync()
				s.remote.push(class.add(s.remote, s.remote.git(nil, "rev-parse", "main^{tree}"), s.marker), "hostile: "+class.name)
				if merge {
					if class.october {
						s.victimWrites(t, "2026-10-04", "## Rose\nOctober, before the partner's file")
					} else {
						s.victimWrites(t, "2026-11-22", "## Rose\nwritten meanwhile")
					}
				}
				config, _ := os.ReadFile(filepath.Join(r.Dir, ".git", "config"))
				before := hpListing(t, s.base, r.Dir)
				res, err := s.sam.trySync()
				if err != nil {
					t.Fatalf("sync with the hostile commit: %v", err)
				}
				s.wantKept(t, class, res)
				if class.october && merge {
					// A file and a folder at 2026/10: the folder with the
					// victim's entry keeps the path, the partner's file
					// goes beside it.
					if len(res.Conflicts) != 1 || !strings.HasPrefix(res.Conflicts[0], "2026/10.conflict-plain-git-") {
						t.Errorf("conflicts %q; want the partner's file beside the folder", res.Conflicts)
					} else {
						s.mine[res.Conflicts[0]] = "a file where a folder belongs\n"
					}
				}
				if class.october && !merge {
					s.october(t)
				}
				s.check(t, before, config)
				s.goesOn(t)
				s.check(t, before, config)
			})
		}
	}
}
