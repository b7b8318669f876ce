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

type initOptions struct {
	Dir    string
	Name   string
	Remote string
}

func newInitCmd(a *App) *cobra.Command {
	opts := &initOptions{}
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

You rarely need init: the first check-in creates a journal by itself.`,
		Example: `  reconnect init
  reconnect init ~/Documents/us --name sam
  reconnect init --remote git@github.com:sam/us-journal.git
  reconnect init --remote /mnt/nas/us.git`,
		Args: maxArgs(1, "one DIR"),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runInit(c.Context(), a, opts)
		},
	}
	c.Flags().StringVar(&opts.Name, "name", "", "your author `name` on this machine, a slug like sam")
	c.Flags().StringVar(&opts.Remote, "remote", "", "the `URL` to sync with (an empty remote, or a folder for a new bare one)")
	return c
}

func runInit(ctx context.Context, a *App, opts *initOptions) error {
	if opts.Name != "" {
		if err := journal.ValidAuthor(opts.Name); err != nil {
			return badInput(err)
		}
		a.override("name", opts.Name, "--name")
	}
	dir, err := a.journalDir()
	if opts.Dir != "" {
		dir, err = filepath.Abs(expandHome(opts.Dir))
	}
	if err != nil {
		return err
	}
	empty, err := journalState(dir)
	if err != nil {
		return err
	}
	if !empty {
		return withHint(usagef("%s is already a journal", dir), "use it as it is; 'reconnect today' shows it")
	}
	_, statErr := os.Stat(dir)
	existed := statErr == nil
	j, err := a.initJournal(dir)
	if err != nil {
		return err
	}
	if opts.Remote != "" {
		if err := a.publish(ctx, j, opts.Remote); err != nil {
			if _, gone := os.Stat(filepath.Join(dir, journalMarker)); gone != nil {
				// Refused: publish took the journal away again.
				if !existed {
					os.Remove(dir)
				}
				return err
			}
			// Created but not sent (offline): remember it all the same.
			if rerr := a.rememberInit(dir, opts); rerr != nil {
				return rerr
			}
			return err
		}
	}
	if err := a.rememberInit(dir, opts); err != nil {
		return err
	}
	a.IO.Printf("Created a new journal in %s\n", dir)
	if opts.Remote != "" {
		clean, _, _ := gitsync.StripCredentials(opts.Remote) // a secret goes by RECONNECT_TOKEN, never in a line to copy
		a.IO.Printf("It syncs with %s. On your partner's machine: reconnect join %s\n",
			oneLine(gitsync.Redact(opts.Remote)), oneLine(shellQuote(clean)))
	}
	return nil
}

// rememberInit saves the journal's folder and the name given to init for
// this machine.
func (a *App) rememberInit(dir string, opts *initOptions) error {
	if opts.Dir == "" && opts.Name == "" {
		return nil
	}
	if opts.Dir != "" {
		a.cfg.Journal = dir
	}
	if opts.Name != "" {
		a.cfg.Name = opts.Name
	}
	return saveConfig(a.cfgDir, a.cfg)
}

// publish sets url as the new journal's remote and sends the journal there.
// A remote that holds another journal is refused and the new journal is
// removed again, so the command leaves nothing behind.
func (a *App) publish(ctx context.Context, j *Journal, url string) error {
	undo := func() { removeContents(j.Dir) }
	if err := j.Repo.SetRemote(url); err != nil {
		undo()
		return badInput(err)
	}
	who, err := a.author()
	if err != nil {
		undo()
		return err
	}
	ctx, cancel := a.explicitDeadline(ctx)
	defer cancel()
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	_, err = a.syncLocked(ctx, j, who)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gitsync.ErrRemoteHasJournal):
		undo()
		return withHint(fmt.Errorf("%s already holds a journal: %w", gitsync.Redact(url), err),
			"to share your partner's journal, start from it: 'reconnect join %s'", gitsync.Redact(url))
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
