package sync

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	gosync "sync"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Hand edits are files changed in the work tree without reconnect: edited
// in an editor, added, or removed. They are found the way git status finds
// them: every file the index records is lstat'ed, and only a file whose stat
// data differs from the index is read and hashed; every folder is listed to
// find new files. The stat calls run in parallel. The cost grows with the
// number of files in the journal (as git's own index refresh does), but not
// with its history.

// ErrUnfinishedMerge is returned when the journal's index holds a merge that
// git started and nobody finished: resolve it with git first.
var ErrUnfinishedMerge = errors.New("the journal has an unfinished git merge")

// handEdit is one file that differs from the index.
type handEdit struct {
	change Change
	stat   fileStat // of the file as read (zero for a removal)
}

// HandEdits lists the changes made in the work tree outside reconnect, as
// Changes against the last commit, sorted by path. Files and folders whose
// names start with a dot, editor backups (name~, .swp) and paths matched by
// .gitignore or .git/info/exclude are not journal files and are left out
// unless already committed.
func (r *Repo) HandEdits() ([]Change, error) {
	edits, err := r.scanHandEdits()
	if err != nil {
		return nil, err
	}
	out := make([]Change, len(edits))
	for i, e := range edits {
		out[i] = e.change
	}
	return out, nil
}

// CommitHandEdits commits the hand edits (see [Repo.HandEdits]) as one
// commit by sig, and returns it. With nothing edited it returns an error
// wrapping [ErrNoChange]. The caller holds the lock. The files are not
// rewritten: what is committed is what was read, and the index records the
// stat data the files had when they were read.
func (r *Repo) CommitHandEdits(sig Signature) (plumbing.Hash, error) {
	if err := r.finishInterruptedSync(); err != nil {
		return plumbing.ZeroHash, err
	}
	edits, err := r.scanHandEdits()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if len(edits) == 0 {
		return plumbing.ZeroHash, fmt.Errorf("commit hand edits: %w", ErrNoChange)
	}
	return r.commitHandEdits(sig, edits)
}

func (r *Repo) commitHandEdits(sig Signature, edits []handEdit) (plumbing.Hash, error) {
	if err := checkSignature(sig); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.checkOnMain(); err != nil {
		return plumbing.ZeroHash, err
	}
	head, err := r.Head()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	s := r.git.Storer
	baseTree := plumbing.ZeroHash
	if !head.IsZero() {
		c, err := object.GetCommit(s, head)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read HEAD commit %s: %w", head, err)
		}
		baseTree = c.TreeHash
	}
	treeEdits := make([]TreeEdit, 0, len(edits))
	updates := make([]indexUpdate, 0, len(edits))
	for _, e := range edits {
		c := e.change
		if c.Delete {
			treeEdits = append(treeEdits, TreeEdit{Path: c.Path, Delete: true})
			updates = append(updates, indexUpdate{path: c.Path, del: true})
			continue
		}
		h, err := storeBlob(r, c.Data)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("store %s: %w", c.Path, err)
		}
		treeEdits = append(treeEdits, TreeEdit{Path: c.Path, Blob: h, Mode: filemode.Regular})
		updates = append(updates, indexUpdate{path: c.Path, hash: h, stat: e.stat})
	}
	tree, err := EditTree(s, baseTree, treeEdits)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if !head.IsZero() && tree == baseTree {
		// Touched but unchanged: record the new stat data so the next scan
		// does not read them again.
		if err := r.updateIndex(updates); err != nil {
			return plumbing.ZeroHash, err
		}
		return plumbing.ZeroHash, fmt.Errorf("commit hand edits: %w", ErrNoChange)
	}
	msg := handEditMessage(edits)
	c := &object.Commit{
		Author:    object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
		Committer: object.Signature{Name: sig.Name, Email: sig.Email, When: sig.When},
		Message:   msg,
		TreeHash:  tree,
	}
	if !head.IsZero() {
		c.ParentHashes = []plumbing.Hash{head}
	}
	h, err := storeCommit(r, c)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.moveMain(head, h); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.updateIndex(updates); err != nil {
		return h, fmt.Errorf("committed hand edits as %s, but: %w", h, err)
	}
	return h, nil
}

func handEditMessage(edits []handEdit) string {
	if len(edits) == 1 {
		verb := "edit"
		if edits[0].change.Delete {
			verb = "remove"
		}
		return fmt.Sprintf("%s by hand: %s\n", verb, edits[0].change.Path)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "edits by hand: %d files\n\n", len(edits))
	for _, e := range edits {
		if e.change.Delete {
			fmt.Fprintf(&b, "removed %s\n", e.change.Path)
		} else {
			fmt.Fprintf(&b, "%s\n", e.change.Path)
		}
	}
	return b.String()
}

func storeCommit(r *Repo, c *object.Commit) (plumbing.Hash, error) {
	s := r.git.Storer
	o := s.NewEncodedObject()
	if err := c.Encode(o); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode commit: %w", err)
	}
	h, err := s.SetEncodedObject(o)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("store commit: %w", err)
	}
	return h, nil
}

// indexEntry is what a scan needs of an index entry.
type indexEntry struct {
	name      string
	hash      plumbing.Hash
	mode      uint32
	mtimeSec  uint32
	mtimeNsec uint32
	ino       uint32
	size      uint32
	stage     int
}

// readIndexEntries reads .git/index: versions 2 and 3 directly (names and
// stat data only, no allocation per field), version 4 through go-git. A
// missing index is empty.
func (r *Repo) readIndexEntries() ([]indexEntry, error) {
	name := filepath.Join(r.gitDir, "index")
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	if len(b) < 12 || string(b[:4]) != "DIRC" {
		return nil, fmt.Errorf("read index %s: not an index file", name)
	}
	version := binary.BigEndian.Uint32(b[4:8])
	count := int(binary.BigEndian.Uint32(b[8:12]))
	if version == 4 {
		return decodeIndexV4(b)
	}
	if version != 2 && version != 3 {
		return nil, fmt.Errorf("read index %s: version %d is not supported", name, version)
	}
	out := make([]indexEntry, 0, count)
	pos := 12
	for i := 0; i < count; i++ {
		if pos+62 > len(b) {
			return nil, fmt.Errorf("read index %s: truncated", name)
		}
		e := b[pos:]
		var ie indexEntry
		ie.mtimeSec = binary.BigEndian.Uint32(e[8:12])
		ie.mtimeNsec = binary.BigEndian.Uint32(e[12:16])
		ie.ino = binary.BigEndian.Uint32(e[20:24])
		ie.mode = binary.BigEndian.Uint32(e[24:28])
		ie.size = binary.BigEndian.Uint32(e[36:40])
		copy(ie.hash[:], e[40:60])
		flags := binary.BigEndian.Uint16(e[60:62])
		ie.stage = int(flags>>12) & 3
		off := 62
		if flags&0x4000 != 0 {
			off += 2
		}
		nameLen := int(flags & 0xfff)
		if nameLen == 0xfff {
			nul := bytes.IndexByte(e[off:], 0)
			if nul < 0 {
				return nil, fmt.Errorf("read index %s: truncated", name)
			}
			nameLen = nul
		}
		if off+nameLen > len(e) {
			return nil, fmt.Errorf("read index %s: truncated", name)
		}
		ie.name = string(e[off : off+nameLen])
		entryLen := (off + nameLen + 8) &^ 7
		pos += entryLen
		out = append(out, ie)
	}
	return out, nil
}

func decodeIndexV4(b []byte) ([]indexEntry, error) {
	var idx index.Index
	if err := index.NewDecoder(bytes.NewReader(b)).Decode(&idx); err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	out := make([]indexEntry, len(idx.Entries))
	for i, e := range idx.Entries {
		out[i] = indexEntry{
			name:      e.Name,
			hash:      e.Hash,
			mode:      uint32(e.Mode),
			mtimeSec:  uint32(e.ModifiedAt.Unix()),
			mtimeNsec: uint32(e.ModifiedAt.Nanosecond()),
			ino:       e.Inode,
			size:      e.Size,
			stage:     int(e.Stage),
		}
	}
	return out, nil
}

// scanHandEdits compares the work tree with the index.
func (r *Repo) scanHandEdits() ([]handEdit, error) {
	entries, err := r.readIndexEntries()
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.stage != 0 {
			return nil, fmt.Errorf("%w in %s (%s is unmerged): finish or abort it with git", ErrUnfinishedMerge, r.Dir, e.name)
		}
	}
	idxInfo, err := os.Stat(filepath.Join(r.gitDir, "index"))
	var indexMtime int64
	if err == nil {
		indexMtime = idxInfo.ModTime().UnixNano()
	}

	// Tracked files: lstat each, in parallel; read only the suspicious.
	edits := make([]*handEdit, len(entries))
	errs := make([]error, len(entries))
	workers := runtime.GOMAXPROCS(0) * 2
	if workers > 8 {
		workers = 8
	}
	var wg gosync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				edits[i], errs[i] = r.checkTracked(&entries[i], indexMtime)
			}
		}(w)
	}
	wg.Wait()
	var out []handEdit
	for i := range entries {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if edits[i] != nil {
			out = append(out, *edits[i])
		}
	}

	// New files: list every folder, skipping what is not journal content.
	untracked, err := r.scanUntracked(entries)
	if err != nil {
		return nil, err
	}
	out = append(out, untracked...)
	sort.Slice(out, func(i, j int) bool { return out[i].change.Path < out[j].change.Path })
	return out, nil
}

// checkTracked compares one tracked file with its index entry.
func (r *Repo) checkTracked(e *indexEntry, indexMtime int64) (*handEdit, error) {
	switch filemode.FileMode(e.mode) {
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
	default:
		return nil, nil // symbolic links and submodules are git's business
	}
	name := filepath.Join(r.Dir, filepath.FromSlash(e.name))
	fi, err := os.Lstat(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return &handEdit{change: Change{Path: e.name, Delete: true}}, nil
		}
		return nil, fmt.Errorf("check %s: %w", e.name, err)
	}
	if fi.IsDir() {
		// A folder now stands where the file was: the file is gone and the
		// folder's files are found as new.
		return &handEdit{change: Change{Path: e.name, Delete: true}}, nil
	}
	if !fi.Mode().IsRegular() {
		return nil, nil
	}
	mt := fi.ModTime()
	racy := indexMtime != 0 && mt.UnixNano() >= indexMtime
	if !racy && uint32(mt.Unix()) == e.mtimeSec && uint32(mt.Nanosecond()) == e.mtimeNsec &&
		uint32(fi.Size()) == e.size && (e.ino == 0 || inode(fi) == 0 || inode(fi) == e.ino) {
		return nil, nil
	}
	data, fst, err := readStable(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &handEdit{change: Change{Path: e.name, Delete: true}}, nil
		}
		return nil, fmt.Errorf("check %s: %w", e.name, err)
	}
	if plumbing.ComputeHash(plumbing.BlobObject, data) == e.hash {
		return nil, nil // touched, not changed
	}
	return &handEdit{change: Change{Path: e.name, Data: data}, stat: fst}, nil
}

// inode is the file's inode number as the index keeps it (32 bits), or 0
// where the platform has none.
func inode(fi fs.FileInfo) uint32 {
	var st fileStat
	fillStat(&st, fi)
	return st.ino
}

// readStable reads a file and the stat data it had while being read; it
// reads again if the file changed meanwhile (an editor saving).
func readStable(name string) ([]byte, fileStat, error) {
	for attempt := 0; ; attempt++ {
		before, err := statFile(name)
		if err != nil {
			return nil, fileStat{}, err
		}
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, fileStat{}, err
		}
		after, err := statFile(name)
		if err != nil {
			return nil, fileStat{}, err
		}
		if before == after && int64(after.size) == int64(uint32(len(data))) || attempt == 3 {
			return data, after, nil
		}
	}
}

// scanUntracked lists the folders of the work tree and returns the files in
// them that the index does not know, as additions.
func (r *Repo) scanUntracked(entries []indexEntry) ([]handEdit, error) {
	tracked := make(map[string]bool, len(entries))
	for _, e := range entries {
		tracked[e.name] = true
		for d := path.Dir(e.name); d != "."; d = path.Dir(d) {
			if tracked[d+"/"] {
				break
			}
			tracked[d+"/"] = true
		}
	}
	var patterns []gitignore.Pattern
	if b, err := os.ReadFile(filepath.Join(r.gitDir, "info", "exclude")); err == nil {
		patterns = append(patterns, parseIgnore(b, nil)...)
	}
	var out []handEdit
	var walk func(rel string, domain []string, patterns []gitignore.Pattern, trackedDir bool) error
	walk = func(rel string, domain []string, patterns []gitignore.Pattern, trackedDir bool) error {
		dir := filepath.Join(r.Dir, filepath.FromSlash(rel))
		f, err := os.Open(dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return fmt.Errorf("list %s: %w", dir, err)
		}
		names, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			return fmt.Errorf("list %s: %w", dir, err)
		}
		sort.Strings(names)
		for _, n := range names {
			if n == ".gitignore" {
				if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
					patterns = append(append([]gitignore.Pattern(nil), patterns...), parseIgnore(b, domain)...)
				}
				break
			}
		}
		m := gitignore.NewMatcher(patterns)
		for _, n := range names {
			p := n
			if rel != "" {
				p = rel + "/" + n
			}
			if trackedDir && tracked[p] {
				continue
			}
			isDir := tracked[p+"/"]
			if !isDir {
				fi, err := os.Lstat(filepath.Join(dir, n))
				if err != nil {
					continue // gone meanwhile
				}
				switch {
				case fi.IsDir():
					isDir = true
				case fi.Mode().IsRegular():
				default:
					continue // links, sockets: not journal files
				}
			}
			if isDir {
				if n == ".git" || (!tracked[p+"/"] && notJournalName(n)) {
					continue
				}
				if !tracked[p+"/"] && m.Match(append(append([]string(nil), domain...), n), true) {
					continue
				}
				if _, err := os.Lstat(filepath.Join(dir, n, ".git")); err == nil {
					continue // another repository inside the journal
				}
				if err := walk(p, append(append([]string(nil), domain...), n), patterns, tracked[p+"/"]); err != nil {
					return err
				}
				continue
			}
			if notJournalName(n) || m.Match(append(append([]string(nil), domain...), n), false) {
				continue
			}
			data, st, err := readStable(filepath.Join(dir, n))
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				return fmt.Errorf("read %s: %w", p, err)
			}
			out = append(out, handEdit{change: Change{Path: p, Data: data}, stat: st})
		}
		return nil
	}
	if err := walk("", nil, patterns, true); err != nil {
		return nil, err
	}
	return out, nil
}

func parseIgnore(b []byte, domain []string) []gitignore.Pattern {
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// notJournalName reports names that are never journal content: hidden
// files and folders (editor and OS state, reconnect's own temporary files),
// editor backups and swap files.
func notJournalName(n string) bool {
	switch {
	case strings.HasPrefix(n, "."), strings.HasSuffix(n, "~"),
		strings.HasPrefix(n, "#") && strings.HasSuffix(n, "#"),
		strings.HasSuffix(n, ".swp"), strings.HasSuffix(n, ".swo"), strings.HasSuffix(n, ".swx"),
		strings.HasSuffix(n, ".tmp"), strings.HasSuffix(n, ".bak"),
		n == "Thumbs.db", n == "desktop.ini", n == "4913":
		return true
	}
	return false
}
