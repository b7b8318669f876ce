package sync

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
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

	"github.com/reconnect-app/reconnect/internal/gitpath"
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
	// refresh: the file only lost its stat data (touched, copied); the
	// index entry gets the new stat data, nothing is committed.
	refresh bool
	hash    plumbing.Hash
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
	var out []Change
	for _, e := range edits {
		if !e.refresh {
			out = append(out, e.change)
		}
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
	return r.commitScanned(sig, edits)
}

// commitScanned commits what a scan found: the changed files as one
// commit, and the new stat data of files only touched into the index.
func (r *Repo) commitScanned(sig Signature, edits []handEdit) (plumbing.Hash, error) {
	var changed, refreshed []handEdit
	for _, e := range edits {
		if e.refresh {
			refreshed = append(refreshed, e)
		} else {
			changed = append(changed, e)
		}
	}
	if len(changed) == 0 {
		if err := r.updateIndex(refreshUpdates(refreshed)); err != nil {
			return plumbing.ZeroHash, err
		}
		return plumbing.ZeroHash, fmt.Errorf("commit hand edits: %w", ErrNoChange)
	}
	return r.commitHandEdits(sig, changed, refreshUpdates(refreshed)...)
}

// refreshUpdates are the index updates that record new stat data for files
// whose content did not change.
func refreshUpdates(edits []handEdit) []indexUpdate {
	var ups []indexUpdate
	for _, e := range edits {
		ups = append(ups, indexUpdate{path: e.change.Path, hash: e.hash, stat: e.stat})
	}
	return ups
}

// commitHandEdits commits edits and records them, and the extra index
// updates, in the index.
func (r *Repo) commitHandEdits(sig Signature, edits []handEdit, extra ...indexUpdate) (plumbing.Hash, error) {
	if err := checkSignature(sig); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := r.checkOnMain(); err != nil {
		return plumbing.ZeroHash, err
	}
	edits, err := r.dropFolderClashes(edits)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	treeEdits := make([]TreeEdit, 0, len(edits))
	updates := append(make([]indexUpdate, 0, len(edits)+len(extra)), extra...)
	for _, e := range edits {
		c := e.change
		if c.Delete {
			treeEdits = append(treeEdits, TreeEdit{Path: c.Path, Delete: true})
			updates = append(updates, indexUpdate{path: c.Path, del: true})
			continue
		}
		h, err := putBlob(r.objs, c.Data)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("store %s: %w", c.Path, err)
		}
		treeEdits = append(treeEdits, TreeEdit{Path: c.Path, Blob: h, Mode: filemode.Regular})
		updates = append(updates, indexUpdate{path: c.Path, hash: h, stat: e.stat})
	}
	// Touched but unchanged files get their new stat data recorded, so the
	// next scan does not read them again.
	return r.commitEdits(handEditMessage(edits), sig, treeEdits, func() ([]indexUpdate, error) { return updates, nil })
}

// dropFolderClashes leaves out the hand edits that would replace a
// folder of the last commit by a file, or a file of it by a folder, with
// what is in it (files kept out of the work tree, see [Quarantined]): a
// file a person made where the partner's folder is, say. They stay in the
// work tree, uncommitted, and are named through [Repo.Notify].
func (r *Repo) dropFolderClashes(edits []handEdit) ([]handEdit, error) {
	h, err := r.Head()
	if err != nil {
		return nil, err
	}
	_, head, err := r.commitTree(h)
	if err != nil || head == nil {
		return edits, err
	}
	deleted := make(map[string]bool)
	for _, e := range edits {
		if e.change.Delete {
			deleted[e.change.Path] = true
		}
	}
	kept := edits[:0:0]
	for _, e := range edits {
		p := e.change.Path
		if !e.change.Delete {
			if a := treeBlocker(head, p, deleted); a != "" {
				r.notify(fmt.Sprintf("%q is not committed: %s is a file in the journal where it needs a folder", p, a))
				continue
			}
			if folderStays(r.objs, head, p, deleted) {
				r.notify(fmt.Sprintf("%q is not committed: the journal has a folder there; rename the file", p))
				continue
			}
		}
		kept = append(kept, e)
	}
	return kept, nil
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
	s := r.objs
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
	skip      bool // git's skip-worktree flag: not looked for in the work tree
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
		if flags&entryExtended != 0 {
			ie.skip = binary.BigEndian.Uint16(e[62:64])&extSkipWorktree != 0
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
			skip:      e.SkipWorktree,
		}
	}
	return out, nil
}

// scanHandEdits compares the work tree with the index. Each folder that
// holds tracked files is read once (its names) and its tracked files are
// stat'ed relative to it, in parallel across folders; only files whose stat
// data differs from the index are read. Names the index does not know are
// then checked against the ignore rules, and untracked folders walked.
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
	var indexMtime int64
	if fi, err := os.Stat(filepath.Join(r.gitDir, "index")); err == nil {
		indexMtime = fi.ModTime().UnixNano()
	}

	// The folders to read: every folder holding a tracked file, and every
	// folder above one. An entry at a path the gate refuses (one an older
	// reconnect, or git, let in) names no place in the work tree: it is
	// left alone, never joined onto the journal's folder.
	files := make(map[string][]int) // folder -> its tracked files
	subdirs := make(map[string]map[string]bool)
	for i, e := range entries {
		if gitpath.Check(e.name, filemode.Regular) != nil {
			continue
		}
		dir, _ := splitDir(e.name)
		files[dir] = append(files[dir], i)
		for d := dir; d != ""; {
			parent, base := splitDir(d)
			if subdirs[parent] == nil {
				subdirs[parent] = make(map[string]bool)
			}
			if subdirs[parent][base] {
				break
			}
			subdirs[parent][base] = true
			d = parent
		}
	}
	dirs := make([]string, 0, len(subdirs)+len(files))
	seen := make(map[string]bool)
	for d := range files {
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for d := range subdirs {
		if !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	if !seen[""] {
		dirs = append(dirs, "")
	}
	sort.Strings(dirs)

	results := make([]dirScan, len(dirs))
	jobs := make(chan int)
	workers := min(max(runtime.GOMAXPROCS(0)*2, 2), 8)
	var wg gosync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range jobs {
				d := dirs[k]
				results[k] = r.scanDir(d, entries, files[d], subdirs[d], indexMtime)
			}
		}()
	}
	for k := range dirs {
		jobs <- k
	}
	close(jobs)
	wg.Wait()

	var out []handEdit
	var candidates []string
	for _, res := range results {
		if res.err != nil {
			return nil, res.err
		}
		out = append(out, res.edits...)
		candidates = append(candidates, res.untracked...)
	}
	if len(candidates) > 0 {
		untracked, err := r.scanUntracked(candidates)
		if err != nil {
			return nil, err
		}
		out = append(out, untracked...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].change.Path < out[j].change.Path })
	return out, nil
}

// splitDir splits a slash path into its folder ("" at the root) and name.
func splitDir(p string) (dir, name string) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p
	}
	return p[:i], p[i+1:]
}

// dirScan is what scanning one folder found.
type dirScan struct {
	edits     []handEdit
	untracked []string // paths of names the index does not know
	err       error
}

// scanDir reads one folder: its tracked files (indexes into entries) are
// compared with the index, and its other names reported as untracked.
func (r *Repo) scanDir(rel string, entries []indexEntry, tracked []int, subdirs map[string]bool, indexMtime int64) dirScan {
	var res dirScan
	join := func(name string) string {
		if rel == "" {
			return name
		}
		return rel + "/" + name
	}
	abs := filepath.Join(r.Dir, filepath.FromSlash(rel))
	gone := func() dirScan {
		for _, i := range tracked {
			if checkable(entries[i]) {
				res.edits = append(res.edits, handEdit{change: Change{Path: entries[i].name, Delete: true}})
			}
		}
		return res
	}
	d, err := os.Open(abs)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return gone()
		}
		res.err = fmt.Errorf("list %s: %w", abs, err)
		return res
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if errors.Is(err, syscall.ENOTDIR) {
		return gone() // a file stands where the folder was
	}
	if err != nil {
		res.err = fmt.Errorf("list %s: %w", abs, err)
		return res
	}
	present := make(map[string]bool, len(names))
	for _, n := range names {
		present[n] = true
	}
	known := make(map[string]bool, len(tracked))
	for _, i := range tracked {
		e := &entries[i]
		_, base := splitDir(e.name)
		known[base] = true
		if !checkable(*e) {
			continue
		}
		if !present[base] {
			res.edits = append(res.edits, handEdit{change: Change{Path: e.name, Delete: true}})
			continue
		}
		edit, err := r.checkTracked(d, base, e, indexMtime)
		if err != nil {
			res.err = err
			return res
		}
		if edit != nil {
			res.edits = append(res.edits, *edit)
		}
	}
	for _, n := range names {
		if !known[n] && !subdirs[n] && n != ".git" {
			res.untracked = append(res.untracked, join(n))
		}
	}
	return res
}

// checkable reports whether a tracked file is compared with the work
// tree: not links and submodules, which are git's business, nor what is
// kept out of the work tree (skip-worktree, see [Quarantined]).
func checkable(e indexEntry) bool {
	if e.skip {
		return false
	}
	switch filemode.FileMode(e.mode) {
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		return true
	}
	return false
}

// checkTracked compares one tracked file (name in the open folder dir) with
// its index entry, reading it only when its stat data differs.
func (r *Repo) checkTracked(dir *os.File, name string, e *indexEntry, indexMtime int64) (*handEdit, error) {
	st, err := statAt(dir, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &handEdit{change: Change{Path: e.name, Delete: true}}, nil
		}
		return nil, fmt.Errorf("check %s: %w", e.name, err)
	}
	if st.isDir {
		// A folder now stands where the file was: the file is gone and the
		// folder's files are found as new.
		return &handEdit{change: Change{Path: e.name, Delete: true}}, nil
	}
	if !st.regular {
		return nil, nil
	}
	racy := indexMtime != 0 && st.mtime >= indexMtime
	if !racy && uint32(st.mtime/1e9) == e.mtimeSec && uint32(st.mtime%1e9) == e.mtimeNsec &&
		uint32(st.size) == e.size && (e.ino == 0 || st.ino == 0 || uint32(st.ino) == e.ino) {
		return nil, nil
	}
	full := filepath.Join(r.Dir, filepath.FromSlash(e.name))
	data, fst, err := readStable(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return &handEdit{change: Change{Path: e.name, Delete: true}}, nil
		}
		return nil, fmt.Errorf("check %s: %w", e.name, err)
	}
	if plumbing.ComputeHash(plumbing.BlobObject, data) == e.hash {
		if racy {
			return nil, nil
		}
		// Touched, not changed: refresh the index's stat data so the next
		// scan need not read it.
		return &handEdit{change: Change{Path: e.name, Data: data}, stat: fst, refresh: true, hash: e.hash}, nil
	}
	return &handEdit{change: Change{Path: e.name, Data: data}, stat: fst}, nil
}

// fileInfo is the part of a stat that the scan compares.
type fileInfo struct {
	mtime          int64 // Unix nanoseconds
	size           int64
	ino            uint64 // 0 where the platform has none
	isDir, regular bool
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

// scanUntracked turns the names the index does not know into additions:
// files that are journal content (not hidden, not editor litter, not
// ignored), and the journal files inside new folders.
func (r *Repo) scanUntracked(candidates []string) ([]handEdit, error) {
	ign := &ignoreRules{r: r, byDir: map[string][]gitignore.Pattern{}}
	var out []handEdit
	var visit func(p string) error
	visit = func(p string) error {
		dir, name := splitDir(p)
		if r.removeStrayTemp(p) {
			return nil
		}
		if notJournalName(name) || gitpath.Check(p, filemode.Regular) != nil {
			return nil // not journal content; or a path git must not take
		}
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
		fi, err := os.Lstat(full)
		if err != nil {
			return nil // gone meanwhile
		}
		if ign.match(dir, name, fi.IsDir()) {
			return nil
		}
		switch {
		case fi.IsDir():
			if _, err := os.Lstat(filepath.Join(full, ".git")); err == nil {
				return nil // another repository inside the journal
			}
			f, err := os.Open(full)
			if err != nil {
				return fmt.Errorf("list %s: %w", full, err)
			}
			names, err := f.Readdirnames(-1)
			f.Close()
			if err != nil {
				return fmt.Errorf("list %s: %w", full, err)
			}
			sort.Strings(names)
			for _, n := range names {
				if err := visit(p + "/" + n); err != nil {
					return err
				}
			}
		case fi.Mode().IsRegular():
			data, st, err := readStable(full)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return fmt.Errorf("read %s: %w", p, err)
			}
			out = append(out, handEdit{change: Change{Path: p, Data: data}, stat: st})
		}
		return nil
	}
	sort.Strings(candidates)
	for _, p := range candidates {
		if err := visit(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ignoreRules are .git/info/exclude and the .gitignore files, read on
// demand for the folders of untracked names.
type ignoreRules struct {
	r     *Repo
	byDir map[string][]gitignore.Pattern // folder -> patterns that apply in it
}

func (ig *ignoreRules) patterns(dir string) []gitignore.Pattern {
	if ps, ok := ig.byDir[dir]; ok {
		return ps
	}
	var ps []gitignore.Pattern
	var domain []string
	if dir == "" {
		if b, err := os.ReadFile(filepath.Join(ig.r.gitDir, "info", "exclude")); err == nil {
			ps = append(ps, parseIgnore(b, nil)...)
		}
	} else {
		parent, _ := splitDir(dir)
		ps = append(ps, ig.patterns(parent)...)
		domain = strings.Split(dir, "/")
	}
	if b, err := os.ReadFile(filepath.Join(ig.r.Dir, filepath.FromSlash(dir), ".gitignore")); err == nil {
		ps = append(append([]gitignore.Pattern(nil), ps...), parseIgnore(b, domain)...)
	}
	ig.byDir[dir] = ps
	return ps
}

func (ig *ignoreRules) match(dir, name string, isDir bool) bool {
	ps := ig.patterns(dir)
	if len(ps) == 0 {
		return false
	}
	var parts []string
	if dir != "" {
		parts = strings.Split(dir, "/")
	}
	return gitignore.NewMatcher(ps).Match(append(parts, name), isDir)
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
