package cmd

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// App is everything a command depends on, built once in [Main] and handed
// down: the terminal, the clock, the environment, the prompter and the
// editor. Tests replace any of them. There is no package-level state.
type App struct {
	IO       *IOStreams
	Now      func() time.Time
	Getenv   func(string) string
	Prompter Prompter
	Editor   Editor
	Version  string
	Date     string // the release's build date (-X main.date), "" when not stamped

	// Resolved per invocation, before a command runs.
	cfgDir   string
	cfg      *Config   // config.yaml as read, what 'config set' writes back
	settings *settings // flags, environment, file and defaults
	global   globalFlags
	// wrote is the journal a command committed to, synced once the
	// command has said what it saved (see [App.autoSync]).
	wrote *Journal
	who   string
	args  []string // the command line, for a flag error's hint
}

type globalFlags struct {
	journal string
	name    string // --as
	noSync  bool
	color   string // --color: auto, always or never
	noPager bool
	quiet   bool
}

// Main runs the command line args and returns the exit status.
func Main(args []string, streams *IOStreams, version, date string) int {
	tuneGC(os.Getenv)
	a := NewApp(streams, version)
	a.Date = date
	return a.Run(args)
}

// gcPercent is how far the heap may grow over what is live before the
// collector runs. A command lives for a moment, and a read of ten years of
// entries builds tens of megabytes that all stay live until it ends: at
// Go's default of 100 the collector traces them four or five times over,
// about a third of a warm stats' CPU (docs/benchmarks.md, "Reading").
const gcPercent = 400

// tuneGC sets the collector for a short-lived command, unless GOGC or
// GOMEMLIMIT in the environment say otherwise.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" && getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// NewApp is an App talking to the real world.
func NewApp(streams *IOStreams, version string) *App {
	return &App{
		IO:       streams,
		Now:      time.Now,
		Getenv:   os.Getenv,
		Prompter: huhPrompter{},
		Editor:   externalEditor{},
		Version:  version,
	}
}

// Run executes one command line. Ctrl-C cancels the context; the command
// stops at the next safe point and the exit status is 130.
//
// Out and ErrOut are put behind the terminal-safety filter first
// (termsafe.go), for everything the command and cobra print.
func (a *App) Run(args []string) int {
	a.IO.guard()
	defer a.IO.flush()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(a)
	a.args = args
	root.SetArgs(args)
	root.SetIn(a.IO.In)
	root.SetOut(a.IO.Out)
	root.SetErr(a.IO.ErrOut)
	err := root.ExecuteContext(ctx)
	if err != nil {
		a.printError(err)
	}
	return exitCode(err)
}

func (a *App) printError(err error) {
	p := Palette{on: false}
	a.IO.Errorf("reconnect: %s\n", err)
	h := hintOf(err)
	if h == "" && errors.Is(err, gitsync.ErrBrokenRef) && !strings.Contains(err.Error(), "reconnect repair") {
		h = "a write or 'reconnect sync' restores it from its reflog; where none can, 'reconnect repair' does"
	}
	if h != "" {
		a.IO.Errorf("reconnect: %s %s\n", p.Bold("hint:"), h)
	}
}

// clock is a.Now as a command's Options holds it: read at each call, so a
// clock a test sets later is the one used.
func (a *App) clock() func() time.Time { return func() time.Time { return a.Now() } }

// author is who you are: --as, RECONNECT_NAME (or RECONNECT_AUTHOR),
// config name, or the login name. An explicit name must already be a slug;
// the login name is lower-cased first. It never asks: reads use it, and a
// write goes through [App.writer].
func (a *App) author() (string, error) {
	if s := a.setting("name"); s.value != "" {
		from := s.origin
		if s.source == fromFile {
			from = "config name"
		}
		if err := journal.ValidAuthor(s.value); err != nil {
			return "", withHint(badInput(fmt.Errorf("%s: %w", from, err)),
				"an author name is 1 to 32 lower-case letters, digits or hyphens, like sam, and starts with a letter or digit")
		}
		return s.value, nil
	}
	return a.loginName()
}

// loginName is the login name lower-cased, when it is a valid author name.
func (a *App) loginName() (string, error) {
	login := a.Getenv("USER")
	if login == "" {
		if u, err := user.Current(); err == nil {
			login = u.Username
		}
	}
	login = strings.ToLower(login)
	if err := journal.ValidAuthor(login); err != nil {
		return "", withHint(badInput(fmt.Errorf("login name: %w", err)),
			"choose a name with 'reconnect config set name sam' or --as sam")
	}
	return login, nil
}

// writer is who writes, for a write: [App.author], unless no name is set
// anywhere. Then, at a terminal, it asks for the name (the login name
// offered) and saves it as config name; off one, it is the login name, and
// says so until a write has been made with it ([App.loginNameSaid]).
func (a *App) writer(ctx context.Context) (who string, login bool, err error) {
	if a.setting("name").value != "" {
		who, err := a.author()
		return who, false, err
	}
	name, loginErr := a.loginName()
	if !a.IO.CanPrompt() {
		if loginErr != nil {
			return "", false, loginErr
		}
		if !a.loginNameSaid(name) {
			a.IO.Errorf("reconnect: writing as %s (your login name); to choose your name: reconnect config set name NAME\n", name)
			login = true
		}
		return name, login, nil
	}
	name, err = askName(ctx, a.Prompter, name)
	if err != nil {
		return "", false, err
	}
	if err := a.saveName(name); err != nil {
		return "", false, err
	}
	a.IO.Errorf("reconnect: your name is %s, saved in %s; to change it: reconnect config set name NAME\n",
		name, filepath.Join(a.cfgDir, "config.yaml"))
	return name, false, nil
}

// askName asks a person at a terminal for their name in the journal,
// offering login (which may be ""). An answer is made an author name
// ("Zoë" is zoe); nothing typed is the login name.
func askName(ctx context.Context, p Prompter, login string) (string, error) {
	answers, err := p.Form(ctx, "Your name in the journal", []FormField{{Key: "name", Title: "Your name",
		Description: "your partner sees it on everything you write: lower-case letters, digits or hyphens",
		Placeholder: "sam", Value: login, Line: true}})
	if err != nil {
		return "", err
	}
	typed := strings.TrimSpace(answers["name"])
	if typed == "" {
		typed = login
	}
	name := journal.AuthorName(typed)
	if err := journal.ValidAuthor(name); err != nil {
		return "", withHint(badInput(fmt.Errorf("your name %q: %w", typed, err)),
			"an author name is 1 to 32 lower-case letters, digits or hyphens, like sam; or give it: reconnect config set name sam")
	}
	return name, nil
}

// saveName sets config name, as 'reconnect config set name' does, and for
// the rest of this invocation too.
func (a *App) saveName(name string) error {
	if a.cfg == nil {
		a.cfg = &Config{}
	}
	k, err := findConfigKey("name")
	if err != nil {
		return err
	}
	if err := k.set(a.cfg, name); err != nil {
		return err
	}
	if err := saveConfig(a.cfgDir, a.cfg); err != nil {
		return err
	}
	a.setting("name") // bound
	return a.settings.v.MergeConfigMap(map[string]any{"name": name})
}

// nameNoticeFile, in the state folder, holds the login name a write was
// said to use, so that it is said once.
const nameNoticeFile = "login-name-said"

// loginNameSaid reports whether a write has said it used login.
func (a *App) loginNameSaid(login string) bool {
	b, err := os.ReadFile(filepath.Join(a.stateDir(), nameNoticeFile))
	return err == nil && strings.TrimSpace(string(b)) == login
}

// markLoginNameSaid remembers that a write said it used login, so that
// later ones are quiet.
func (a *App) markLoginNameSaid(login string) {
	_ = fsutil.WriteFile(filepath.Join(a.stateDir(), nameNoticeFile), []byte(login+"\n"), fsutil.FileMode)
}

// defaultJournalDir is $XDG_DATA_HOME/reconnect or ~/.local/share/reconnect.
func (a *App) defaultJournalDir() string {
	if d := a.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "reconnect")
	}
	return filepath.Join(homeDir(a.Getenv), ".local", "share", "reconnect")
}

// journalDir is where the journal is: --journal, RECONNECT_JOURNAL, config
// journal, or the default.
func (a *App) journalDir() (string, error) {
	dir := a.setting("journal").value
	if dir == "" {
		dir = a.defaultJournalDir()
	}
	return filepath.Abs(expandHome(dir))
}

// Journal is an open journal: its folder, its git repository and its files.
type Journal struct {
	Dir   string
	Repo  *gitsync.Repo
	Store journal.Store
	// KeyDir is where this machine's key is: it opens your sealed
	// answers (cmd/reveal.go); "" is no key.
	KeyDir string
}

var errNoJournal = errors.New("no journal yet")

const journalMarker = "reconnect.yaml"

// startDir is the folder init or join works in, and what is there: given
// (DIR, ~ expanded, made absolute), or else where the journal goes by
// default ([App.journalDir]); empty as [journalState] says.
func startDir(given string, byDefault func() (string, error)) (dir string, empty bool, err error) {
	if given != "" {
		dir, err = filepath.Abs(expandHome(given))
	} else {
		dir, err = byDefault()
	}
	if err != nil {
		return "", false, err
	}
	empty, err = journalState(dir)
	return dir, empty, err
}

// journalState says what is at dir: nothing usable yet (absent or an empty
// folder), a journal, or something that must not be touched.
func journalState(dir string) (empty bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, nil
	case err != nil:
		return false, err
	case !fi.IsDir():
		return false, usagef("journal path %s is a file, not a folder", dir)
	}
	if gitsync.Unfinished(dir) {
		return true, nil // an init or join that was stopped: start again
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		if _, err := os.Stat(filepath.Join(dir, journalMarker)); err != nil {
			return false, withHint(usagef("%s is a git repository but not a reconnect journal (no %s)", dir, journalMarker),
				"point --journal at your journal, or at an empty folder to start one")
		}
		return false, nil
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	if len(names) > 0 {
		return false, withHint(usagef("%s is a folder that is not a reconnect journal", dir),
			"point --journal at your journal, or at an empty folder to start one")
	}
	return true, nil
}

// openJournal opens the journal. With create, a missing journal is made
// and one line says where.
func (a *App) openJournal(create bool) (*Journal, error) {
	dir, err := a.journalDir()
	if err != nil {
		return nil, err
	}
	empty, err := journalState(dir)
	if err != nil {
		return nil, err
	}
	if empty {
		if !create {
			return nil, withHint(fmt.Errorf("%w in %s", errNoJournal, dir),
				"write a first entry with 'reconnect checkin', or run 'reconnect init' (or 'reconnect join URL' for your partner's)")
		}
		j, err := a.initJournal(dir)
		if err != nil {
			return nil, err
		}
		a.IO.Errorf("Created a new journal in %s\n", dir)
		return j, nil
	}
	repo, err := gitsync.Open(dir)
	if err != nil {
		return nil, err
	}
	return a.journalAt(dir, repo), nil
}

// readJournal opens the journal for a read command that also works before
// there is one: nil (and no error) when there is no journal yet; otherwise
// the journal, brought up to date with the partner's at most once per
// sync.interval.
func (a *App) readJournal(ctx context.Context) (*Journal, error) {
	j, err := a.openToRead(ctx)
	if errors.Is(err, errNoJournal) {
		return nil, nil
	}
	return j, err
}

// openToRead opens the journal for a read command, brought up to date with
// the partner's at most once per sync.interval; no journal is an error
// with a hint.
func (a *App) openToRead(ctx context.Context) (*Journal, error) {
	j, err := a.openJournal(false)
	if err != nil {
		return nil, err
	}
	a.freshen(ctx, j)
	return j, nil
}

// initJournal creates a journal at dir (absent or empty).
func (a *App) initJournal(dir string) (*Journal, error) {
	who, err := a.author()
	if err != nil {
		return nil, err
	}
	repo, err := gitsync.Init(dir, a.signature(who), "journal: start",
		gitsync.Change{Path: "README.md", Data: []byte(journalReadme)},
		gitsync.Change{Path: journalMarker, Data: []byte(journalSettings)},
	)
	if err != nil {
		return nil, fmt.Errorf("create journal in %s: %w", dir, err)
	}
	return a.journalAt(dir, repo), nil
}

// journalAt is the journal at dir, its repository's notes (a lock it
// waits for, a branch restored after a crash) passed on to stderr.
func (a *App) journalAt(dir string, repo *gitsync.Repo) *Journal {
	repo.Notify = a.notice
	return &Journal{Dir: dir, Repo: repo, Store: journal.Store{Root: dir}, KeyDir: a.cfgDir}
}

// notice is one line on stderr, for what the user should know but that is
// no failure.
func (a *App) notice(msg string) {
	a.IO.Errorf("reconnect: %s\n", oneLine(msg))
}

func (a *App) signature(who string) gitsync.Signature {
	return gitsync.Signature{Name: who, Email: who + "@reconnect.local", When: a.Now()}
}

// writeFunc decides, from the journal on disk and who writes, what a write
// changes and its commit message (see [App.write]).
type writeFunc func(j *Journal, who string) (msg string, changes []gitsync.Change, err error)

// write opens (or creates) the journal, takes its lock, lets fn decide what
// to change from what is on disk, and commits it as one commit, as who
// writes ([App.writer]).
func (a *App) write(ctx context.Context, fn writeFunc) (*Journal, error) {
	who, login, err := a.writer(ctx)
	if err != nil {
		return nil, err
	}
	j, err := a.writeAs(ctx, who, fn)
	if err == nil && login {
		a.markLoginNameSaid(who)
	}
	return j, err
}

// writeAs is [App.write] as who.
func (a *App) writeAs(ctx context.Context, who string, fn writeFunc) (*Journal, error) {
	j, err := a.openJournal(true)
	if err != nil {
		return nil, err
	}
	a.keepPrivate(j)
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	msg, changes, err := fn(j, who)
	if err != nil {
		return nil, err
	}
	if _, err := j.Repo.Commit(msg, a.signature(who), changes...); err != nil && !errors.Is(err, gitsync.ErrNoChange) {
		if fe := (*gitsync.FolderError)(nil); errors.As(err, &fe) {
			return nil, folderInTheWay(j, fe)
		}
		return nil, fmt.Errorf("commit %q: %w", msg, err)
	}
	a.wrote, a.who = j, who
	return j, nil
}

// keepPrivate makes the journal's folder and .git 0700 again before a
// write, should either have been opened to others since (DESIGN §2); a
// failure is said, and the write goes on.
func (a *App) keepPrivate(j *Journal) {
	if err := j.Repo.MakePrivate(); err != nil {
		a.notice(fmt.Sprintf("the journal could not be kept private: %v", err))
	}
}

// folderInTheWay says which file stands where a folder belongs, and how
// to move it aside.
func folderInTheWay(j *Journal, fe *gitsync.FolderError) error {
	err := fmt.Errorf("%s is a file where %s belongs", oneLine(fe.File), journal.DescribeFolder(fe.File))
	if fe.Tracked {
		return withHint(err, "rename or remove it, then try again: git -C '%s' mv '%s' '%s.md' && git -C '%s' commit -m 'move %s aside'",
			j.Dir, fe.File, fe.File, j.Dir, fe.File)
	}
	return withHint(err, "rename or remove it, then try again: mv '%s' '%s.md'",
		filepath.Join(j.Dir, filepath.FromSlash(fe.File)), filepath.Join(j.Dir, filepath.FromSlash(fe.File)))
}

// newEntryAt is an entry by who on day, created at now (to the second).
func newEntryAt(kind journal.Kind, who string, day civil.Date, now time.Time) *journal.Entry {
	return journal.New(kind, who, day, now.Truncate(time.Second))
}

// changeFor renders e at its path.
func changeFor(e *journal.Entry) gitsync.Change {
	return gitsync.Change{Path: e.Path, Data: e.Render()}
}

const journalSettings = `# Settings shared by both partners' copies of this journal.
# This file also marks the folder as a reconnect journal.
format: 1
# couple: the id in your calendar's events (export --format ics), set apart
# from every other couple's; without it, it comes from the journal's first
# commit, the same in both your copies.
`

// journalReadme is the README.md written into a new journal.
//
//go:embed journal_readme.md
var journalReadme string
