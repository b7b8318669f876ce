package cmd

import (
	"context"

	"github.com/spf13/cobra"

	gitsync "github.com/reconnect-app/reconnect/sync"
)

// repairOptions is what 'repair' uses: its dependencies, then its flags.
type repairOptions struct {
	IO          *IOStreams
	OpenJournal func(create bool) (*Journal, error)

	JSON bool
}

// newRepairCmd is 'repair'; runF nil is runRepair.
func newRepairCmd(a *App, runF func(context.Context, *repairOptions) error) *cobra.Command {
	if runF == nil {
		runF = runRepair
	}
	opts := &repairOptions{IO: a.IO, OpenJournal: a.openJournal}
	c := &cobra.Command{
		Use:   "repair",
		Short: "Put the journal right after a crash that nothing else could mend",
		Long: `Every command mends by itself what a crash or a killed reconnect leaves
behind: lock files, half-written temporary files, a branch cut short (it is
restored from its reflog, or from the remote's branch as last synced, and a
line says so). Only when nothing records where the branch was does a
command stop and point here.

repair then points the branch at the newest history the journal holds: of
the commits nothing else builds on, the one with the longest history. It
lists any other such commit, work the chosen history does not contain, so
that nothing is lost without a word. A whole branch is left where it is.
It reads every object once, so it can take a moment on a long journal.`,
		Example: `  reconnect repair
  reconnect repair --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print what was done as JSON")
	return c
}

func runRepair(ctx context.Context, opts *repairOptions) error {
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	res, err := j.Repo.Repair(ctx)
	if err != nil {
		return err
	}
	v := newRepairView(res)
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	if res.Moved {
		opts.IO.Printf("Pointed main at %s, with %d commits of history.\n", v.Head[:7], res.Commits)
	} else {
		opts.IO.Printf("Nothing to repair: main is at %s, with %d commits of history.\n", v.Head[:7], res.Commits)
	}
	for _, o := range v.Others {
		opts.IO.Printf("  not in it: %s (%d commits) %s\n", o.Commit[:7], o.Commits, oneLine(o.Message))
	}
	if len(v.Others) > 0 {
		opts.IO.Printf("To keep one of those, see it with 'git -C %s log COMMIT' and copy what you need back in.\n", j.Dir)
	}
	return nil
}

// repairView is what 'repair --json' prints.
type repairView struct {
	Head    string          `json:"head"`
	Moved   bool            `json:"moved"`
	Commits int             `json:"commits"`
	Others  []repairTipView `json:"others"`
}

type repairTipView struct {
	Commit  string `json:"commit"`
	Commits int    `json:"commits"`
	Message string `json:"message"`
}

func newRepairView(res gitsync.RepairResult) repairView {
	v := repairView{Head: res.Head.String(), Moved: res.Moved, Commits: res.Commits, Others: []repairTipView{}}
	for _, o := range res.Others {
		v.Others = append(v.Others, repairTipView{Commit: o.Hash.String(), Commits: o.Commits, Message: o.Message})
	}
	return v
}
