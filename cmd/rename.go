package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// renameOptions is what 'rename' uses: its dependencies (filled from the
// App by the constructor), then its arguments.
type renameOptions struct {
	IO          *IOStreams
	Author      func() (string, error) // who you are now
	Name        func() setting         // where that name came from
	ConfigName  func() string          // config name, as the file holds it
	Login       func() (string, error)
	SaveName    func(name string) error // sets config name
	OpenJournal func(create bool) (*Journal, error)
	WriteAs     func(ctx context.Context, who string, fn writeFunc) (*Journal, error)

	Old, New string
}

// newRenameCmd is 'rename'. runF nil is runRename.
func newRenameCmd(a *App, runF func(context.Context, *renameOptions) error) *cobra.Command {
	if runF == nil {
		runF = runRename
	}
	opts := &renameOptions{IO: a.IO, Author: a.author,
		Name:        func() setting { return a.setting("name") },
		ConfigName:  func() string { return a.config().Name },
		Login:       a.loginName,
		SaveName:    a.saveName,
		OpenJournal: a.openJournal, WriteAs: a.writeAs}
	return &cobra.Command{
		Use:   "rename OLD NEW",
		Short: "Move the entries you wrote under another name to your name",
		Long: `Move the entries you wrote as OLD to NEW, in one commit: each is written
by NEW, and a file named after OLD gets NEW's name. Shared items you added
or ticked off as OLD say NEW. Use it when you wrote under your login name
(or any other) before choosing your name, so your partner does not see a
third person in the journal.

One of OLD and NEW is who you are (--as, $RECONNECT_NAME, config name or
your login name). Where NEW already has entries, they must be yours: say
so with --as NEW. Nothing is lost: where both names wrote a check-in the
same day, OLD's is kept beside NEW's as a conflict copy, and a line says so.
When config name (or, with none, your login name) is OLD, config name
becomes NEW.

Your partner's entries are never touched: their replies to an entry you
rename still point at its old name.`,
		Example: `  reconnect rename root sam
  reconnect --as sam rename root sam   # sam already has entries, and they are yours`,
		Args: exactArgs(2, "OLD and NEW"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			return runF(c.Context(), opts)
		},
	}
}

func runRename(ctx context.Context, opts *renameOptions) error {
	for _, n := range []struct{ what, name string }{{"OLD", opts.Old}, {"NEW", opts.New}} {
		if err := journal.ValidAuthor(n.name); err != nil {
			return withHint(badInput(fmt.Errorf("%s: %w", n.what, err)),
				"an author name is 1 to 32 lower-case letters, digits or hyphens, like sam")
		}
	}
	if opts.Old == opts.New {
		return usagef("OLD and NEW are both %s: nothing to rename", opts.Old)
	}
	me, err := opts.Author()
	if err != nil {
		return err
	}
	if me != opts.Old && me != opts.New {
		return withHint(usagef("you are %s, neither %s nor %s: rename moves your own entries", me, opts.Old, opts.New),
			"if you wrote as %s, say who you are: reconnect --as %s rename %s %s", opts.Old, opts.New, opts.Old, opts.New)
	}
	j, err := opts.OpenJournal(false)
	if errors.Is(err, errNoJournal) {
		return usagef("no entries written as %s: nothing to rename", opts.Old)
	}
	if err != nil {
		return err
	}
	olds, warnings, err := renamable(j, opts.Old)
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	if len(olds) == 0 {
		return usagef("no entries written as %s: nothing to rename", opts.Old)
	}
	if me != opts.New {
		news, _, err := j.Store.List(journal.Query{Authors: []string{opts.New}})
		if err != nil {
			return err
		}
		if len(news) > 0 {
			return withHint(usagef("%s already has entries here, and you are %s: they may be your partner's; nothing renamed", opts.New, me),
				"if they are yours, say so: reconnect --as %s rename %s %s", opts.New, opts.Old, opts.New)
		}
	}
	name := opts.Name()
	if me == opts.New && name.source != fromFlag {
		// Both names have entries and the user is new: old may well be the
		// partner. Moving a partner's entries into your name takes saying
		// who you are, as a rename from a name you are not does.
		news, _, err := j.Store.List(journal.Query{Authors: []string{opts.New}})
		if err != nil {
			return err
		}
		if len(news) > 0 {
			return withHint(usagef("%s has entries here, and so have you, %s: they may be your partner's; nothing renamed", opts.Old, me),
				"if %s's entries are yours, say so: reconnect --as %s rename %s %s", opts.Old, opts.New, opts.Old, opts.New)
		}
	}

	var moves []journal.Move
	_, err = opts.WriteAs(ctx, opts.New, func(j *Journal, who string) (string, []gitsync.Change, error) {
		olds, _, err := renamable(j, opts.Old) // again, under the lock
		if err != nil {
			return "", nil, err
		}
		copyName := func(p string, n int) string { return gitsync.ConflictCopyName(p, opts.Old, "renamed", n) }
		moves, err = journal.RenameAuthor(olds, opts.Old, opts.New, j.Store.Exists, copyName)
		if err != nil {
			return "", nil, badInput(err)
		}
		if len(moves) == 0 {
			return "", nil, usagef("no entries written as %s: nothing to rename", opts.Old)
		}
		changes := renameChanges(moves)
		return fmt.Sprintf("rename: %s to %s (%s)", opts.Old, opts.New, plural(len(moves), "file")), changes, nil
	})
	if err != nil {
		return err
	}
	p := opts.IO.Palette()
	opts.IO.Printf("%s Renamed %s to %s: %s, in one commit.\n", p.Green("✓"), opts.Old, opts.New, plural(len(moves), "file"))
	for _, m := range moves {
		if m.Copy {
			opts.IO.Printf("  %s had %s %s too; %s's is kept beside it: %s\n",
				displayName(opts.New), m.Entry.Kind, m.Entry.Date, displayName(opts.Old), m.Entry.Path)
		}
	}
	login, _ := opts.Login()
	if cfg := opts.ConfigName(); cfg == opts.Old || (cfg == "" && login == opts.Old) {
		if err := opts.SaveName(opts.New); err != nil {
			return err
		}
		opts.IO.Printf("Your name is now %s (config name).\n", opts.New)
	}
	if name.source == fromEnv && name.value == opts.Old {
		opts.IO.Errorf("reconnect: %s still says %s: set it to %s, or you go on writing as %s\n", name.origin, opts.Old, opts.New, opts.Old)
	}
	return nil
}

// renamable is what a rename of old may change: the dated entries by old
// and the shared items (RenameAuthor picks those old added or ticked off).
func renamable(j *Journal, old string) ([]*journal.Entry, []error, error) {
	entries, warnings, err := j.Store.List(journal.Query{Authors: []string{old}})
	if err != nil {
		return nil, nil, err
	}
	for _, info := range journal.Kinds() {
		if info.Placement != journal.SharedItem {
			continue
		}
		items, w, err := j.Store.Shared(info.Kind)
		if err != nil {
			return nil, nil, err
		}
		warnings = append(warnings, w...)
		for _, it := range items {
			if by, _ := it.Field(journal.FieldDoneBy); it.Author == old || by == old {
				entries = append(entries, it)
			}
		}
	}
	return entries, warnings, nil
}

// renameChanges is the commit's changes for moves: each old path deleted
// where its entry moves, each entry written at its new path.
func renameChanges(moves []journal.Move) []gitsync.Change {
	var changes []gitsync.Change
	for _, m := range moves {
		if m.Moved() {
			changes = append(changes, gitsync.Change{Path: m.From, Delete: true})
		}
		changes = append(changes, changeFor(m.Entry))
	}
	return changes
}
