package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// initOptions is what 'init' uses: its dependencies (filled from the App
// by the constructor), then its argument and flags.
type initOptions struct {
	IO     *IOStreams
	Author func() (string, error)
	// UseName makes --name who writes, for this invocation.
	UseName func(name string)
	// JournalDir is where the journal goes when no DIR is given.
	JournalDir func() (string, error)
	// InitJournal creates a journal at dir (absent or empty).
	InitJournal func(dir string) (*Journal, error)
	// Sync syncs the journal (its lock held) as who.
	Sync func(ctx context.Context, j *Journal, who string) (gitsync.Result, error)
	// Deadline bounds a sync the user asked for.
	Deadline func(ctx context.Context) (context.Context, context.CancelFunc)
	// Remember saves the journal's folder and the name for this machine
	// ("" leaves one as it is).
	Remember func(dir, name string) error
	// KeyDir is where this machine's key for an encrypted remote is;
	// Signature signs the commit that turns encryption on.
	KeyDir    func() string
	Signature func(who string) gitsync.Signature

	Dir     string
	Name    string
	Remote  string
	Encrypt bool
}

// newInitCmd is 'init'. runF runs it, given the options filled from the
// argument and flags; nil is runInit.
func newInitCmd(a *App, runF func(context.Context, *initOptions) error) *cobra.Command {
	if runF == nil {
		runF = runInit
	}
	opts := &initOptions{IO: a.IO, Author: a.author,
		UseName:    func(name string) { a.override("name", name, "--name") },
		JournalDir: a.journalDir, InitJournal: a.initJournal, Sync: a.syncLocked,
		Deadline: a.explicitDeadline, Remember: a.remember, KeyDir: func() string { return a.cfgDir }, Signature: a.signature}
	c := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new journal",
		Long: `Create a new, empty journal: a git repository on branch main with a
README.md explaining the folder and a reconnect.yaml marking it.

Without DIR the journal goes to the usual place (--journal,
$RECONNECT_JOURNAL, config journal, or ~/.local/share/reconnect). With DIR
it goes there, and this machine remembers DIR as its journal. --name saves
your author name for this machine.

The journal is yours alone on this machine, whatever the umask: its folder
(even one that already existed) and .git are 0700, its files 0600, and a
folder remote that --remote creates is 0700 too.

--remote sets where the journal syncs and sends it there. The remote may be
empty (a new bare repository, a new project on your git host); one that
already holds a journal is refused: use 'reconnect join URL' to start from
your partner's.

With --encrypt (and --remote) the remote holds only age ciphertext: the
journal stays plain here, and the host sees sizes and push times, nothing
else. Your key is made in the config folder; see 'reconnect keys'.

You rarely need init: the first check-in creates a journal by itself.`,
		Example: `  reconnect init
  reconnect init ~/Documents/us --name sam
  reconnect init --remote git@github.com:sam/us-journal.git
  reconnect init --remote /mnt/nas/us.git
  reconnect init --encrypt --remote git@github.com:sam/us-journal.git`,
		Args: maxArgs(1, "one DIR"),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runF(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Name, "name", "", "your author `name` on this machine, a slug like sam")
	c.Flags().StringVar(&opts.Remote, "remote", "", "the `URL` to sync with (an empty remote, or a folder for a new bare one)")
	c.Flags().BoolVar(&opts.Encrypt, "encrypt", false, "the remote holds only encrypted data (needs --remote)")
	return c
}

func runInit(ctx context.Context, opts *initOptions) error {
	if opts.Name != "" {
		if err := journal.ValidAuthor(opts.Name); err != nil {
			return badInput(err)
		}
		opts.UseName(opts.Name)
	}
	if opts.Encrypt && opts.Remote == "" {
		return withHint(usagef("--encrypt needs --remote: it is the remote that is encrypted"),
			"reconnect init --encrypt --remote URL")
	}
	dir, empty, err := startDir(opts.Dir, opts.JournalDir)
	if err != nil {
		return err
	}
	if !empty {
		err := usagef("%s is already a journal", dir)
		if opts.Encrypt {
			return withHint(err, "move it to an encrypted remote: %s", initCmdLine(opts, dir, "remote", "--encrypt", cleanURL(opts.Remote)))
		}
		if opts.Remote != "" {
			return withHint(err, "to share it: %s && %s", initCmdLine(opts, dir, "remote", cleanURL(opts.Remote)), initCmdLine(opts, dir, "sync"))
		}
		return withHint(err, "use it as it is; '%s' shows it", initCmdLine(opts, dir, "today"))
	}
	_, statErr := os.Stat(dir)
	existed := statErr == nil
	j, err := opts.InitJournal(dir)
	if err != nil {
		return err
	}
	if opts.Encrypt {
		if err := encryptNew(opts, j); err != nil {
			removeContents(j.Dir)
			return err
		}
	}
	if opts.Remote != "" {
		if err := publish(ctx, opts, j); err != nil {
			if _, gone := os.Stat(filepath.Join(dir, journalMarker)); gone != nil {
				// Refused: publish took the journal away again.
				if !existed {
					os.Remove(dir)
				}
				return err
			}
			// Created but not sent (offline): remember it all the same.
			if rerr := rememberInit(opts, dir); rerr != nil {
				return rerr
			}
			return err
		}
	}
	if err := rememberInit(opts, dir); err != nil {
		return err
	}
	opts.IO.Printf("Created a new journal in %s\n", dir)
	if opts.Remote != "" && opts.Encrypt {
		opts.IO.Printf("It syncs with %s, encrypted: the host sees only ciphertext. Invite your partner: reconnect keys invite\n",
			oneLine(gitsync.Redact(opts.Remote)))
	} else if opts.Remote != "" {
		opts.IO.Printf("It syncs with %s. On your partner's machine: reconnect join %s\n",
			oneLine(gitsync.Redact(opts.Remote)), oneLine(shellQuote(cleanURL(opts.Remote)))) // a secret goes by RECONNECT_TOKEN, never in a line to copy
	}
	return nil
}

// initCmdLine is the command line of verb with args for the journal init
// was pointed at: with --journal when init was given a DIR.
func initCmdLine(opts *initOptions, dir, verb string, args ...string) string {
	line := "reconnect"
	if opts.Dir != "" {
		line += " --journal " + shellQuote(dir)
	}
	line += " " + verb
	for _, a := range args {
		line += " " + shellQuote(a)
	}
	return line
}

// rememberInit saves the journal's folder and the name given to init for
// this machine: the folder only when init was given one.
func rememberInit(opts *initOptions, dir string) error {
	if opts.Dir == "" {
		dir = ""
	}
	return opts.Remember(dir, opts.Name)
}

// remember saves dir as this machine's journal and name as its author
// name; "" leaves one as it is, and with both "" nothing is written.
func (a *App) remember(dir, name string) error {
	if dir == "" && name == "" {
		return nil
	}
	if dir != "" {
		a.cfg.Journal = dir
	}
	if name != "" {
		a.cfg.Name = name
	}
	return saveConfig(a.cfgDir, a.cfg)
}

// publish sets the remote of the new journal j and sends the journal
// there. A remote that holds another journal is refused and the new
// journal is removed again, so the command leaves nothing behind.
func publish(ctx context.Context, opts *initOptions, j *Journal) error {
	url := opts.Remote
	undo := func() { removeContents(j.Dir) }
	if err := j.Repo.SetRemote(url); err != nil {
		undo()
		return badInput(err)
	}
	who, err := opts.Author()
	if err != nil {
		undo()
		return err
	}
	ctx, cancel := opts.Deadline(ctx)
	defer cancel()
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = opts.Sync(ctx, j, who)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gitsync.ErrRemoteHasJournal):
		undo()
		join := "reconnect join " + shellQuote(cleanURL(url))
		if opts.Name != "" {
			join += " --name " + opts.Name
		}
		if opts.Dir != "" {
			join += " " + shellQuote(j.Dir)
		}
		return withHint(fmt.Errorf("%s already holds a journal: %w", gitsync.Redact(url), err),
			"to share your partner's journal, start from it: %s", join)
	case isOffline(err):
		return withHint(fmt.Errorf("created the journal in %s, but could not send it: %w", j.Dir, err),
			"the remote is saved; run 'reconnect sync' when it is reachable")
	}
	undo()
	return syncErrorHint(err)
}

// removeContents empties dir, which this command filled.
func removeContents(dir string) {
	names, _ := os.ReadDir(dir)
	for _, n := range names {
		os.RemoveAll(filepath.Join(dir, n.Name()))
	}
}
