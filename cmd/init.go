package cmd

import (
	"context"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/journal"
)

type initOptions struct {
	Dir  string
	Name string
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

You rarely need init: the first check-in creates a journal by itself.`,
		Example: `  reconnect init
  reconnect init ~/Documents/us --name sam`,
		Args: maxArgs(1, "one DIR"),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runInit(c.Context(), a, opts)
		},
	}
	c.Flags().StringVar(&opts.Name, "name", "", "your author `name` on this machine, a slug like sam")
	return c
}

func runInit(ctx context.Context, a *App, opts *initOptions) error {
	if opts.Name != "" {
		if err := journal.ValidAuthor(opts.Name); err != nil {
			return badInput(err)
		}
		a.global.author = opts.Name
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
	if _, err := a.initJournal(dir); err != nil {
		return err
	}
	if opts.Dir != "" || opts.Name != "" {
		if opts.Dir != "" {
			a.cfg.Journal = dir
		}
		if opts.Name != "" {
			a.cfg.Name = opts.Name
		}
		if err := saveConfig(a.cfgDir, a.cfg); err != nil {
			return err
		}
	}
	a.IO.Printf("Created a new journal in %s\n", dir)
	return nil
}
