package journal

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing/filemode"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/internal/gitpath"
)

// Store is the journal folder on disk. Paths given to and returned by its
// methods are slash-separated and relative to Root.
type Store struct{ Root string }

// Query selects entries. A zero field does not restrict: zero Since or Until
// is an open bound, no Kinds is every kind, no Authors is every author.
// Since and Until are inclusive.
type Query struct {
	Since, Until civil.Date
	Kinds        []Kind
	Authors      []string

	// MayHold, when not nil, lets a read skip entries without decoding
	// them: it is asked about a string that holds, verbatim, every value
	// of an entry's front matter and the text of each of its sections
	// (among other bytes), and an entry for which it reports false is left
	// out. It is a filter ahead of the caller's own, not instead of it:
	// entries are not always asked about, and [Query.Match] ignores it.
	MayHold func(text string) bool
}

// Match reports whether e is selected by q.
func (q Query) Match(e *Entry) bool {
	switch {
	case !q.Since.IsZero() && e.Date.Before(q.Since),
		!q.Until.IsZero() && e.Date.After(q.Until),
		len(q.Kinds) > 0 && !slices.Contains(q.Kinds, e.Kind),
		len(q.Authors) > 0 && !slices.Contains(q.Authors, e.Author):
		return false
	}
	return true
}

// List is the dated entries (those under YYYY/MM/) that match q, newest
// first: by Date, then Created, both descending, then by Path. Shared items
// (the bucket list) are listed too when q.Kinds names their kind.
//
// Only the month folders inside [q.Since, q.Until] are read, and a file whose
// name follows the path scheme is not opened when its name puts it outside
// the query's dates or kinds. Dotfiles, README.md, reconnect.yaml and files
// not ending in .md are skipped; conflict copies (*.conflict-*.md) are
// entries like any other. A file that cannot be read or parsed is returned
// among warnings (a [*ParseError] when it did not parse) and the listing goes
// on; err is for a journal folder that cannot be read at all.
func (s Store) List(q Query) (entries []*Entry, warnings []error, err error) {
	sels, err := s.selsFor(q)
	if err != nil {
		return nil, nil, err
	}
	all, warnings := s.read(sels, nil)
	for _, e := range all {
		if q.Match(e) {
			entries = append(entries, e)
		}
	}
	slices.SortFunc(entries, func(a, b *Entry) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
	return entries, warnings, nil
}

// selsFor is the folders that can hold entries matching q: the years and
// months inside its dates, and the folders of the shared kinds it names.
func (s Store) selsFor(q Query) ([]folderSel, error) {
	years, err := readDirNames(s.Root)
	if err != nil {
		return nil, fmt.Errorf("list journal: %w", err)
	}
	lo, hi := monthKey(q.Since), monthKey(q.Until)
	keep := func(name string) bool { return nameMayMatch(name, q) }
	var sels []folderSel
	for _, y := range years {
		year, ok := number(y, 4, 0, 9999)
		if !ok || (lo > 0 && year < lo/100) || (hi > 0 && year > hi/100) {
			continue
		}
		sels = append(sels, folderSel{top: y, keep: keep, mayHold: q.MayHold, months: func(m string) bool {
			month, ok := number(m, 2, 1, 12)
			key := year*100 + month
			return ok && (lo == 0 || key >= lo) && (hi == 0 || key <= hi)
		}})
	}
	for _, info := range kinds() {
		if info.Placement == SharedItem && slices.Contains(q.Kinds, info.Kind) {
			sels = append(sels, folderSel{top: info.Folder, mayHold: q.MayHold})
		}
	}
	return sels, nil
}

// Bucket is the bucket list: every entry in bucket/, in the order they
// were added (see [Store.Shared]).
func (s Store) Bucket() ([]*Entry, []error, error) { return s.Shared(KindBucket) }

// Shared is every item of a shared kind (the bucket list, planned dates)
// in its folder, in the order they were added: by day, then by the moment
// they were created, then by path. Files that do not parse, or that hold
// another kind, come back as warnings.
func (s Store) Shared(kind Kind) ([]*Entry, []error, error) {
	info, ok := lookupKind(kind)
	if !ok || info.Placement != SharedItem {
		return nil, nil, fmt.Errorf("%w: %q is not a shared kind", ErrUnknownKind, kind)
	}
	all, warnings := s.read([]folderSel{{top: info.Folder}}, nil)
	var items []*Entry
	for _, e := range all {
		if e.Kind != kind {
			warnings = append(warnings, fmt.Errorf("%s: a %s entry in the %s folder is not a %s", e.Path, e.Kind, info.Folder, sharedNoun(kind)))
			continue
		}
		items = append(items, e)
	}
	slices.SortFunc(items, byAdded)
	return items, warnings, nil
}

// sharedNoun names one item of a shared kind, for messages.
func sharedNoun(k Kind) string {
	if k == KindBucket {
		return "bucket-list item"
	}
	return "planned date"
}

// byAdded orders shared items the way they were added: by day, then by
// the moment they were created, then by path.
func byAdded(a, b *Entry) int {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c
	}
	if c := a.Created.Compare(b.Created); c != 0 {
		return c
	}
	return cmp.Compare(a.Path, b.Path)
}

// Read reads and parses one entry. A missing file is an error wrapping
// [ErrNotFound]; a file that does not parse is a [*ParseError].
func (s Store) Read(rel string) (*Entry, error) {
	abs, err := s.Abs(rel)
	if err != nil {
		return nil, err
	}
	rel = path.Clean(rel)
	data, err := os.ReadFile(abs)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) { // ENOTDIR: below a file
		return nil, fmt.Errorf("read entry %s: %w", rel, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read entry %s: %w", rel, err)
	}
	return Parse(rel, data)
}

// Write validates e and writes it atomically at e.Path, private to the user
// (see [fsutil.WriteFile]). It does not commit anything.
func (s Store) Write(e *Entry) error {
	if err := e.Validate(); err != nil {
		return fmt.Errorf("write entry %s: %w", e.Path, err)
	}
	abs, err := s.Abs(e.Path)
	if err != nil {
		return err
	}
	if err := fsutil.WriteFile(abs, e.Render(), fsutil.FileMode); err != nil {
		return fmt.Errorf("write entry %s: %w", e.Path, err)
	}
	return nil
}

// Exists reports whether something is at rel; it suits [PathFor].
func (s Store) Exists(rel string) bool {
	abs, err := s.Abs(rel)
	if err != nil {
		return false
	}
	_, err = os.Lstat(abs)
	return err == nil
}

// Abs is the file-system path of rel. A path that is empty, absolute or
// leaves the journal, or one the gate for paths from git refuses
// ([gitpath.Check]: .git in any case or alias, control characters,
// over-long names), is an error wrapping [ErrBadPath].
func (s Store) Abs(rel string) (string, error) {
	native := filepath.FromSlash(rel)
	if !filepath.IsLocal(native) {
		return "", fmt.Errorf("%w %q: want a path inside the journal", ErrBadPath, rel)
	}
	if err := gitpath.Check(path.Clean(filepath.ToSlash(native)), filemode.Regular); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadPath, err)
	}
	return filepath.Join(s.Root, native), nil
}

// readDirNames is the names in a folder, unsorted (callers sort what they
// keep); errNotDir when dir is a file.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, errNotDir
	}
	return f.Readdirnames(-1)
}

// isEntryName reports whether a file name in an entry folder can be an
// entry: a Markdown file, and a name the gate for paths from git lets in
// ([gitpath.Check]), so that a file git must not hold (one with control
// characters in its name, say) is never read as an entry.
func isEntryName(name string) bool {
	return strings.HasSuffix(name, ".md") && len(name) > len(".md") &&
		!strings.HasPrefix(name, ".") && name != "README.md" && name != "reconnect.yaml" &&
		gitpath.Check(name, filemode.Regular) == nil
}

// nameMayMatch looks at a name written by the path scheme
// (YYYY-MM-DD-<kind>-...) and reports false only when the name puts the
// file outside q; other names may match.
func nameMayMatch(name string, q Query) bool {
	if len(name) < 11 || name[10] != '-' {
		return true
	}
	d, err := civil.Parse(name[:10])
	if err != nil {
		return true
	}
	if (!q.Since.IsZero() && d.Before(q.Since)) || (!q.Until.IsZero() && d.After(q.Until)) {
		return false
	}
	if len(q.Kinds) == 0 {
		return true
	}
	// A name can be read two ways when a kind and an author both have
	// hyphens (challenge-start-x: kind challenge by start-x, or kind
	// challenge-start by x): the file may match if any reading does.
	named := false
	for _, info := range kinds() {
		if strings.HasPrefix(name[11:], string(info.Kind)+"-") {
			named = true
			if slices.Contains(q.Kinds, info.Kind) {
				return true
			}
		}
	}
	return !named
}

// monthKey is YYYYMM, or 0 for the zero date.
func monthKey(d civil.Date) int {
	if d.IsZero() {
		return 0
	}
	return d.Year*100 + int(d.Month)
}

// number reads a folder name of exactly width digits within [lo, hi].
func number(s string, width, lo, hi int) (int, bool) {
	if len(s) != width {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= lo && n <= hi
}

// inParallel runs jobs 0..n-1 on up to workers goroutines, each job taken
// by the next free worker. newWorker makes one worker's job function, so a
// worker can keep its own buffers between jobs.
func inParallel(n, workers int, newWorker func() func(int)) {
	if workers <= 1 {
		do := newWorker()
		for i := range n {
			do(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		do := newWorker()
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				do(i)
			}
		})
	}
	wg.Wait()
}
