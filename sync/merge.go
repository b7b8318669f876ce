package sync

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/reconnect-app/reconnect/internal/gitpath"
)

// MergeFunc merges one Markdown file that both partners changed. base is the
// common version, nil when both added the file. It returns the merged
// content and true, or false when the two still clash (the same key or
// section changed both ways).
type MergeFunc func(path string, base, ours, theirs []byte) ([]byte, bool)

// mergeInput is one three-way merge of trees.
type mergeInput struct {
	s                  storer.EncodedObjectStorer
	base, ours, theirs *object.Tree // base nil: no common history
	theirsCommit       *object.Commit
	oursCommit         *object.Commit // nil: unknown (names a conflict copy of ours "ours")
	mergeFile          MergeFunc
	authorName         func(name string) string              // Options.AuthorName
	writtenBy          func(path string, data []byte) string // Options.WrittenBy
	// protect are the versions of this user's entries that someone
	// else's commits in theirs made (see yours.go): not applied.
	protect foreign
}

// mergeOutput is the merged tree and what the merge did. What the work
// tree gets is the difference between ours and the merged tree
// ([Repo.planWorktree]).
type mergeOutput struct {
	tree      plumbing.Hash
	conflicts []string // conflict copies written, sorted
	merged    []string // files merged line by line by MergeFile, sorted
	// quarantined are changes of theirs to a path where ours stays,
	// because theirs is an entry the gate refuses.
	quarantined []Quarantined
	// protected are changes to this user's entries that were not applied.
	protected []Protection
}

type sideChange struct {
	from, to *object.TreeEntry // nil: absent on that side
	// fromErr and toErr are the gate's verdict ([gitpath.Join]) on the
	// path with each side's entry: nil when it may reach the work tree.
	// An entry the gate refuses is a leaf here, even a folder: it is
	// carried whole, never walked into.
	fromErr, toErr error
	// parent and name place the entry: the folder (which the gate let in)
	// and the name as the tree holds it.
	parent, name string
}

// parts is the path of the change as tree names: for an edit that puts
// back an entry the gate refuses, name and all.
func (c sideChange) parts() []string {
	if c.parent == "" {
		return []string{c.name}
	}
	return append(strings.Split(c.parent, "/"), c.name)
}

// bad reports whether either side of the change is an entry the gate
// refuses.
func (c sideChange) bad() bool { return c.fromErr != nil || c.toErr != nil }

// mergeTrees merges theirs into ours over base. Each side's change is taken
// where the other did not touch the path; identical results are no
// conflict; a file deleted on one side and modified on the other is kept
// modified; a Markdown file changed both ways goes through mergeFile; what
// still clashes keeps ours at the path and theirs beside it as
// <name>.conflict-<author>-<short hash><ext>. A file and a folder at one
// path keep the folder at the path and the file beside it, the same way.
// An entry of theirs the gate refuses is carried into the merged tree as
// it is, to be kept out of the work tree. Nothing is ever dropped. Only
// the folders that change are rebuilt ([EditTree]).
func mergeTrees(ctx context.Context, in mergeInput) (mergeOutput, error) {
	oursCh, err := diffTrees(ctx, in.s, in.base, in.ours)
	if err != nil {
		return mergeOutput{}, err
	}
	theirsCh, err := diffTrees(ctx, in.s, in.base, in.theirs)
	if err != nil {
		return mergeOutput{}, err
	}
	paths := make([]string, 0, len(theirsCh))
	for p := range theirsCh {
		paths = append(paths, p)
	}
	sort.Strings(paths)

	var out mergeOutput
	var edits []TreeEdit
	taken := make(map[string]bool) // paths the merge writes
	edit := func(p string, c sideChange, e TreeEdit) {
		e.Path = p
		if c.bad() {
			e.parts = c.parts()
		}
		edits = append(edits, e)
		taken[p] = true
	}
	for _, p := range paths {
		tc := theirsCh[p]
		oc, touched := oursCh[p]
		if by, ok := in.protect.protectedBy(p, tc.to); ok && !tc.bad() && (tc.from != nil || touched && oc.to != nil) {
			if err := keepYours(in, p, by, tc, oc, touched, &out, &edits, taken); err != nil {
				return mergeOutput{}, err
			}
			continue
		}
		switch {
		case !touched:
			if tc.to == nil {
				edit(p, tc, TreeEdit{Delete: true})
				continue
			}
			edit(p, tc, TreeEdit{Blob: tc.to.Hash, Mode: tc.to.Mode})
		case sameEntry(oc.to, tc.to):
			// Both made the same change.
		case tc.to == nil:
			// They deleted what we modified: keep ours.
		case oc.to == nil:
			// We deleted what they modified: keep theirs.
			edit(p, tc, TreeEdit{Blob: tc.to.Hash, Mode: tc.to.Mode})
		case tc.toErr != nil:
			// Both changed it, theirs to something the gate refuses: ours
			// stays, theirs is only in their commit.
			out.quarantined = append(out.quarantined, Quarantined{Path: p, Reason: reason(tc.toErr)})
		case oc.toErr != nil:
			// Ours is what the gate refuses (from an earlier merge); theirs
			// is a plain file: take it.
			edit(p, tc, TreeEdit{Blob: tc.to.Hash, Mode: tc.to.Mode})
		default:
			if err := mergeBoth(in, p, tc, oc, &out, &edits, taken); err != nil {
				return mergeOutput{}, err
			}
		}
	}
	if edits, err = folderClashes(in, edits, &out, taken); err != nil {
		return mergeOutput{}, err
	}
	if len(edits) == 0 {
		out.tree = in.ours.Hash
		return out, nil
	}
	out.tree, err = EditTree(in.s, in.ours.Hash, edits)
	if err != nil {
		return mergeOutput{}, fmt.Errorf("build merged tree: %w", err)
	}
	sort.Strings(out.conflicts)
	sort.Strings(out.merged)
	return out, nil
}

// folderClashes settles a file and a folder at one path, which a tree
// cannot hold both of: theirs puts a file where ours keeps a folder, or
// theirs puts files below a file of ours that stays. The folder keeps the
// path; the file, theirs or ours, goes beside it as a conflict copy, as
// in any clash: nothing is replaced, and the work tree never has to write
// below a file.
func folderClashes(in mergeInput, edits []TreeEdit, out *mergeOutput, taken map[string]bool) ([]TreeEdit, error) {
	puts := make(map[string]int)
	deleted := make(map[string]bool)
	below := make(map[string]bool) // folders some put lands in
	for i, e := range edits {
		if e.parts != nil {
			continue // carried as it is; never written out
		}
		if e.Delete {
			deleted[e.Path] = true
			continue
		}
		puts[e.Path] = i
		for a := path.Dir(e.Path); a != "."; a = path.Dir(a) {
			below[a] = true
		}
	}
	order := make([]string, 0, len(puts))
	for p := range puts {
		order = append(order, p)
	}
	sort.Strings(order)
	short := func(c *object.Commit) string {
		if c == nil {
			return "0000000"
		}
		return c.Hash.String()[:7]
	}

	// Theirs puts a file where a folder stays.
	var drop []int
	for _, p := range order {
		i := puts[p]
		e := edits[i]
		if isTree(e.Mode) || (!below[p] && !oursFolderStays(in, p, deleted)) {
			continue
		}
		data, err := readBlob(in.s, e.Blob)
		if err != nil {
			return nil, fmt.Errorf("merge %s: %w", p, err)
		}
		cp, err := conflictPath(in.ours, p, in.copyAuthorOr(p, data, in.theirsCommit, e.Blob), short(in.theirsCommit), e.Blob, taken)
		if err != nil {
			return nil, err
		}
		if cp == "" {
			drop = append(drop, i) // that very copy is already there
			continue
		}
		edits[i].Path = cp
		taken[cp] = true
		out.conflicts = append(out.conflicts, cp)
	}
	for k := len(drop) - 1; k >= 0; k-- {
		edits = append(edits[:drop[k]], edits[drop[k]+1:]...)
	}

	// Theirs puts files below a file of ours that stays.
	moved := make(map[string]bool)
	for _, p := range order {
		for a := path.Dir(p); a != "."; a = path.Dir(a) {
			if _, put := puts[a]; put || deleted[a] || moved[a] {
				break
			}
			oe := findEntry(in.ours, a)
			if oe == nil || isTree(oe.Mode) {
				continue
			}
			moved[a] = true
			author := "ours"
			if data, err := readBlob(in.s, oe.Hash); err == nil {
				if w := in.copyAuthor(a, data, in.oursCommit, oe.Hash); w != "" {
					author = w
				}
			}
			cp, err := conflictPath(in.ours, a, author, short(in.oursCommit), oe.Hash, taken)
			if err != nil {
				return nil, err
			}
			edits = append(edits, TreeEdit{Path: a, Delete: true})
			if cp != "" {
				edits = append(edits, TreeEdit{Path: cp, Blob: oe.Hash, Mode: oe.Mode})
				taken[cp] = true
				out.conflicts = append(out.conflicts, cp)
			}
			break
		}
	}
	return edits, nil
}

// oursFolderStays reports whether ours has a folder at p that still holds
// a file once the merge's deletions are done.
func oursFolderStays(in mergeInput, p string, deleted map[string]bool) bool {
	return folderStays(in.s, in.ours, p, deleted)
}

// folderStays reports whether the tree t has a folder at p that still
// holds a file once the paths in deleted are gone.
func folderStays(s storer.EncodedObjectStorer, t *object.Tree, p string, deleted map[string]bool) bool {
	e := findEntry(t, p)
	if e == nil || !isTree(e.Mode) {
		return false
	}
	stays := false
	var walk func(p string, h plumbing.Hash)
	walk = func(p string, h plumbing.Hash) {
		t, err := object.GetTree(s, h)
		if err != nil {
			stays = true // unreadable: assume it holds something
			return
		}
		for _, c := range t.Entries {
			if stays {
				return
			}
			cp := p + "/" + c.Name
			if isTree(c.Mode) {
				walk(cp, c.Hash)
			} else if !deleted[cp] {
				stays = true
			}
		}
	}
	walk(p, e.Hash)
	return stays
}

// mergeBoth handles a file both sides changed to different results.
func mergeBoth(in mergeInput, p string, tc, oc sideChange, out *mergeOutput, edits *[]TreeEdit, taken map[string]bool) error {
	theirsData, err := readBlob(in.s, tc.to.Hash)
	if err != nil {
		return fmt.Errorf("merge %s: %w", p, err)
	}
	if in.mergeFile != nil && isMarkdown(p) && worktreeFile(oc.to.Mode) && worktreeFile(tc.to.Mode) {
		oursData, err := readBlob(in.s, oc.to.Hash)
		if err != nil {
			return fmt.Errorf("merge %s: %w", p, err)
		}
		var baseData []byte
		if tc.from != nil {
			if baseData, err = readBlob(in.s, tc.from.Hash); err != nil {
				return fmt.Errorf("merge %s: %w", p, err)
			}
		}
		if merged, ok := in.mergeFile(p, baseData, oursData, theirsData); ok {
			out.merged = append(out.merged, p)
			if bytes.Equal(merged, oursData) {
				return nil
			}
			h, err := putBlob(in.s, merged)
			if err != nil {
				return fmt.Errorf("merge %s: %w", p, err)
			}
			*edits = append(*edits, TreeEdit{Path: p, Blob: h, Mode: oc.to.Mode})
			taken[p] = true
			return nil
		}
	}
	// Still clashing: ours stays at the path, theirs goes beside it.
	_, err = putBeside(in, p, in.copyAuthorOr(p, theirsData, in.theirsCommit, tc.to.Hash), tc.to.Hash, out, edits, taken)
	return err
}

// putBeside keeps theirs (blob) as a conflict copy of p named after
// author, and returns its path: "" when ours already holds that very copy.
func putBeside(in mergeInput, p, author string, blob plumbing.Hash, out *mergeOutput, edits *[]TreeEdit, taken map[string]bool) (string, error) {
	cp, err := conflictPath(in.ours, p, author, in.theirsCommit.Hash.String()[:7], blob, taken)
	if err != nil || cp == "" {
		return "", err
	}
	*edits = append(*edits, TreeEdit{Path: cp, Blob: blob, Mode: filemode.Regular})
	taken[cp] = true
	out.conflicts = append(out.conflicts, cp)
	return cp, nil
}

// keepYours settles a change someone else made to this user's entry at p
// (yours.go): yours stays as it is in ours; a delete is not applied; an
// edit goes beside yours as a conflict copy named after who made it.
func keepYours(in mergeInput, p, by string, tc, oc sideChange, touched bool, out *mergeOutput, edits *[]TreeEdit, taken map[string]bool) error {
	yours := tc.from // untouched by ours: the base's version is ours
	if touched {
		yours = oc.to
	}
	if tc.to == nil {
		if yours != nil {
			out.protected = append(out.protected, Protection{Path: p, By: by})
		}
		return nil
	}
	if sameEntry(yours, tc.to) {
		return nil
	}
	cp, err := putBeside(in, p, by, tc.to.Hash, out, edits, taken)
	if err != nil || cp == "" {
		return err // "": that very copy is already there
	}
	out.protected = append(out.protected, Protection{Path: p, By: by, Copy: cp})
	return nil
}

// conflictPath names the copy of theirs: <name>.conflict-<author>-<short><ext>,
// with -2, -3... if a different file already has the name. It returns "" when
// ours already holds exactly this copy.
func conflictPath(ours *object.Tree, p, author, short string, blob plumbing.Hash, taken map[string]bool) (string, error) {
	for i := 1; i < 1000; i++ {
		cp := ConflictCopyName(p, author, short, i)
		if taken[cp] {
			continue
		}
		e, err := ours.FindEntry(cp)
		if err != nil {
			return cp, nil // free
		}
		if e.Hash == blob {
			return "", nil
		}
	}
	return "", fmt.Errorf("merge %s: no free name for a conflict copy", p)
}

// ConflictCopyName is the n-th name (1, 2...) for a copy of p holding
// author's version, tagged short: <name>.conflict-<author>-<short><ext>,
// then -2, -3... before the extension.
func ConflictCopyName(p, author, short string, n int) string {
	dir, file := path.Split(p)
	ext := path.Ext(file)
	stem := strings.TrimSuffix(file, ext)
	suffix := ""
	if n > 1 {
		suffix = fmt.Sprintf("-%d", n)
	}
	tail := ConflictMarker + author + "-" + short + suffix + ext
	return dir + cutBytes(stem, gitpath.MaxName-len(tail)) + tail
}

// ConflictMarker is in the name of every conflict copy a merge writes.
const ConflictMarker = ".conflict-"

// IsConflictCopy reports whether a journal path is a conflict copy written
// by a merge.
func IsConflictCopy(p string) bool {
	return strings.Contains(path.Base(p), ConflictMarker)
}

// worktreeFile reports whether a tree entry of mode m is a plain file that
// the work tree holds (links and submodules are left to git).
func worktreeFile(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}

func isMarkdown(p string) bool {
	return strings.EqualFold(path.Ext(p), ".md")
}

func sameEntry(a, b *object.TreeEntry) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Hash == b.Hash && a.Mode == b.Mode
}

// diffTrees lists the files changed from a to b (a nil: empty), by path.
// It reads only the folders whose hashes differ: go-git's DiffTree decodes
// every subfolder of each folder it compares, which on a journal of 25
// years is every year and every month.
func diffTrees(ctx context.Context, s storer.EncodedObjectStorer, a, b *object.Tree) (map[string]sideChange, error) {
	out := make(map[string]sideChange)
	if err := diffTreeInto(ctx, s, "", a, b, out); err != nil {
		return nil, err
	}
	return out, nil
}

// entryPairs is the entries of trees a and b (nil: empty) by name, each
// with its entry on either side (nil: absent there).
func entryPairs(a, b *object.Tree) map[string][2]*object.TreeEntry {
	byName := make(map[string][2]*object.TreeEntry)
	for i, t := range []*object.Tree{a, b} {
		if t == nil {
			continue
		}
		for k := range t.Entries {
			e := &t.Entries[k]
			pair := byName[e.Name]
			pair[i] = e
			byName[e.Name] = pair
		}
	}
	return byName
}

func diffTreeInto(ctx context.Context, s storer.EncodedObjectStorer, prefix string, a, b *object.Tree, out map[string]sideChange) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if a != nil && b != nil && a.Hash == b.Hash {
		return nil
	}
	byName := entryPairs(a, b)
	parent := strings.TrimSuffix(prefix, "/")
	for name, pair := range byName {
		ea, eb := pair[0], pair[1]
		if sameEntry(ea, eb) {
			continue
		}
		p := prefix + name
		var errA, errB error
		if ea != nil {
			_, errA = gitpath.Join(parent, name, ea.Mode)
		}
		if eb != nil {
			_, errB = gitpath.Join(parent, name, eb.Mode)
		}
		var subA, subB *object.Tree
		if ea != nil && errA == nil && ea.Mode == filemode.Dir {
			t, err := object.GetTree(s, ea.Hash)
			if err != nil {
				return fmt.Errorf("read tree %s: %w", p, err)
			}
			subA, ea = t, nil
		}
		if eb != nil && errB == nil && eb.Mode == filemode.Dir {
			t, err := object.GetTree(s, eb.Hash)
			if err != nil {
				return fmt.Errorf("read tree %s: %w", p, err)
			}
			subB, eb = t, nil
		}
		if ea != nil || eb != nil {
			c := sideChange{from: ea, to: eb, parent: parent, name: name}
			if ea != nil {
				c.fromErr = errA
			}
			if eb != nil {
				c.toErr = errB
			}
			out[p] = c
		}
		if subA != nil || subB != nil {
			if err := diffTreeInto(ctx, s, p+"/", subA, subB, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyAuthorOr names the partner in a conflict copy of p: [mergeInput.copyAuthor],
// else "partner".
func (in mergeInput) copyAuthorOr(p string, data []byte, c *object.Commit, blob plumbing.Hash) string {
	if a := in.copyAuthor(p, data, c, blob); a != "" {
		return a
	}
	return "partner"
}

// copyAuthor names a conflict copy of p that holds blob (its content data),
// the version commit c has: after the person whose version it is, who made
// that change ([mergeInput.madeBy]), not after who first wrote the file (a
// bucket item's author is who added it, not who changed it since). When
// the history cannot tell, after who the file says wrote it
// ([Options.WrittenBy]), else the author of c; "" if none is known.
func (in mergeInput) copyAuthor(p string, data []byte, c *object.Commit, blob plumbing.Hash) string {
	if a := in.madeBy(c, p, blob); a != "" {
		return a
	}
	if in.writtenBy != nil {
		if a := in.writtenBy(p, data); a != "" {
			return a
		}
	}
	return in.commitAuthor(c)
}

// maxMadeBy bounds how many commits [mergeInput.madeBy] goes back through.
const maxMadeBy = 1000

// madeBy is the author name of the commit that made blob the version of p
// that commit c holds: going back from c, through a parent that holds the
// same version as long as there is one, the first commit none of whose
// parents holds it (a merge that made a new version is its author's). ""
// when that cannot be told: c unknown, no author names, a commit that
// cannot be read, or more than maxMadeBy commits back.
func (in mergeInput) madeBy(c *object.Commit, p string, blob plumbing.Hash) string {
	if c == nil || in.authorName == nil || in.s == nil {
		return ""
	}
	for range maxMadeBy {
		var next *object.Commit
		for _, ph := range c.ParentHashes {
			pc, err := object.GetCommit(in.s, ph)
			if err != nil {
				return ""
			}
			t, err := pc.Tree()
			if err != nil {
				return ""
			}
			if e := findEntry(t, p); e != nil && e.Hash == blob {
				next = pc
				break
			}
		}
		if next == nil {
			return in.commitAuthor(c)
		}
		c = next
	}
	return ""
}

// commitAuthor is the author name of commit c ([Options.AuthorName]); ""
// if unknown.
func (in mergeInput) commitAuthor(c *object.Commit) string {
	return authorOf(in.authorName, c)
}

// authorOf is the author name of commit c by name; "" if unknown.
func authorOf(name func(string) string, c *object.Commit) string {
	if name == nil || c == nil {
		return ""
	}
	return name(c.Author.Name)
}

func readBlob(s storer.EncodedObjectStorer, h plumbing.Hash) ([]byte, error) {
	o, err := s.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	defer rd.Close()
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return b, nil
}

// putBlob stores data as a blob object and is its hash.
func putBlob(s storer.EncodedObjectStorer, data []byte) (plumbing.Hash, error) {
	o := s.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	o.SetSize(int64(len(data)))
	w, err := o.Writer()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return plumbing.ZeroHash, err
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, err
	}
	return s.SetEncodedObject(o)
}

// cutBytes is s cut to at most n bytes at a rune boundary, so that a
// conflict copy of a long name is still a name the path gate lets through.
func cutBytes(s string, n int) string {
	for len(s) > max(n, 0) {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
