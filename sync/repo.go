package sync

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// Sentinel errors; see the package documentation for when each is returned.
var (
	ErrNotRepo   = errors.New("not a journal repository")
	ErrLocked    = errors.New("journal is locked by another reconnect")
	ErrNoChange  = errors.New("nothing to commit")
	ErrNotOnMain = errors.New("HEAD is not on branch main")
	ErrBrokenRef = errors.New("the branch is damaged")
)

// Branch is the one branch a journal has.
const Branch = plumbing.ReferenceName("refs/heads/main")

// Signature is who made a commit and when (author and committer alike).
type Signature struct {
	Name, Email string
	When        time.Time
}

// Change is one file of a commit: its new content, or its removal.
// Path is slash-separated and relative to the root of the repository.
type Change struct {
	Path   string
	Data   []byte
	Delete bool
}

// Repo is a journal: a git repository with a work tree at Dir.
type Repo struct {
	// Dir is the root of the work tree, the folder holding .git.
	Dir string

	// Notify, when set, hears one-line messages the caller should pass
	// on: a lock it waits for, a branch restored after a crash, an index
	// it could not update. Nil: they are dropped.
	Notify func(msg string)

	git    *git.Repository
	gitDir string
	objs   *durableStore // every object read and written goes through it

	lockGiveUp time.Duration // how long Lock waits at most; 0: lockGiveUp
}

func newRepo(dir, gitDir string, g *git.Repository) *Repo {
	return &Repo{Dir: dir, git: g, gitDir: gitDir, objs: newDurableStore(g.Storer, gitDir)}
}

// Init creates a journal repository in dir and commits files as its first
// commit, with message msg. dir is created (mode 0700) if missing; it may
// exist (it is made 0700), but must not already hold a .git. Everything in
// .git is private, whatever the umask ([Repo.MakeAllPrivate]). HEAD points at refs/heads/main.
// With no files the first commit has the empty tree.
func Init(dir string, sig Signature, msg string, files ...Change) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, fsutil.DirMode); err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	clearUnfinished(abs)
	if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
		return nil, fmt.Errorf("init %s: already a git repository", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	g, err := git.PlainInitWithOptions(abs, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: Branch},
	})
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	r := newRepo(abs, filepath.Join(abs, ".git"), g)
	// A folder that already existed keeps its mode (0755 under the usual
	// umask), and go-git makes .git with its own: both 0700 before a
	// single object is written.
	if err := r.MakePrivate(); err != nil {
		os.RemoveAll(r.gitDir)
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	if err := r.markUnfinished(); err != nil {
		os.RemoveAll(r.gitDir)
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	if _, err := r.Commit(msg, sig, files...); err != nil {
		// Leave no half-made repository for the next attempt to trip on.
		os.RemoveAll(r.gitDir)
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	if err := r.markFinished(); err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	// go-git's own files in .git (config, HEAD, its folders) lose the
	// group's and others' bits too. .git is already 0700, so a failure
	// here exposes nothing and does not undo the journal.
	_ = makeTreePrivate(r.gitDir)
	return r, nil
}

// unfinishedMarker is a file in the git folder of a journal that [Init] or
// [Clone] is still making. A start killed half-way leaves it; since both
// start from an empty folder, whatever is in the folder then is theirs,
// and the next start clears it and begins again.
const unfinishedMarker = "reconnect-unfinished"

// Unfinished reports whether dir holds a journal whose [Init] or [Clone]
// was stopped before it finished: one to start again, not to open.
func Unfinished(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git", unfinishedMarker))
	return err == nil
}

// markUnfinished writes the marker, with the names the folder held
// before the start (normally none): the only ones a later start keeps.
func (r *Repo) markUnfinished() error {
	var b strings.Builder
	b.WriteString("a journal being made; the folder held before:\n")
	if ents, err := os.ReadDir(r.Dir); err == nil {
		for _, e := range ents {
			if e.Name() != ".git" {
				b.WriteString(e.Name() + "\n")
			}
		}
	}
	return writeDurable(filepath.Join(r.gitDir, unfinishedMarker), []byte(b.String()))
}

// clearUnfinished removes what a killed [Init] or [Clone] made in dir:
// everything but what the folder held before it started.
func clearUnfinished(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, ".git", unfinishedMarker))
	if err != nil {
		return
	}
	keep := map[string]bool{}
	lines := strings.Split(string(b), "\n")
	for _, l := range lines[1:] {
		if l != "" {
			keep[l] = true
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !keep[e.Name()] {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func (r *Repo) markFinished() error {
	if err := os.Remove(filepath.Join(r.gitDir, unfinishedMarker)); err != nil {
		return err
	}
	return syncDir(r.gitDir)
}

// Open opens the journal whose work tree is dir. It returns an error
// wrapping [ErrNotRepo], naming dir, when dir has no .git.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	gitDir, err := findGitDir(abs)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	g, err := git.PlainOpen(abs)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	return newRepo(abs, gitDir, g), nil
}

// findGitDir is dir/.git, or the folder a .git file points at (a linked
// work tree or a separate git dir).
func findGitDir(dir string) (string, error) {
	dot := filepath.Join(dir, ".git")
	fi, err := os.Stat(dot)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%w: %s has no .git", ErrNotRepo, dir)
	}
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		return dot, nil
	}
	b, err := os.ReadFile(dot)
	if err != nil {
		return "", err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	target, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", fmt.Errorf("%w: %s is not a gitdir file", ErrNotRepo, dot)
	}
	target = strings.TrimSpace(target)
	if !filepath.IsAbs(target) {
		target = filepath.Join(dir, target)
	}
	return target, nil
}

// Git is the underlying go-git repository, for the remote side.
func (r *Repo) Git() *git.Repository { return r.git }

// Head is the commit refs/heads/main points at, or the zero hash (and no
// error) while the branch is unborn: no file, no packed line and no
// reflog. A branch file that is empty, cut short or unreadable, or missing
// while its reflog shows it had commits, is an error wrapping
// [ErrBrokenRef], never an unborn branch: a journal with history never gets
// a second root. [Repo.Lock] repairs such a branch where it can.
func (r *Repo) Head() (plumbing.Hash, error) {
	return r.mainState()
}

// checkOnMain refuses to write when HEAD has been moved off main by hand:
// the work tree and the index would then belong to another branch.
func (r *Repo) checkOnMain() error {
	ref, err := r.git.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return fmt.Errorf("read HEAD: %w", err)
	}
	if ref.Type() != plumbing.SymbolicReference || ref.Target() != Branch {
		return fmt.Errorf("%w in %s (it is %s)", ErrNotOnMain, r.Dir, ref)
	}
	return nil
}
