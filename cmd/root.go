package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/journal"
)

func newRootCmd(a *App) *cobra.Command {
	rootToday := newTodayOptions(a)
	root := &cobra.Command{
		Use:   "reconnect",
		Short: "Small daily rituals for a couple, kept in a shared journal",
		Long: `reconnect keeps a couple's journal of small daily rituals: a Rose, Bud
and Thorn check-in each evening, gratitude notes, the question of the day,
the 30-day reconnection challenge, small wins, date nights, a shared bucket
list and a weekly State of the Union.

Every entry is a small Markdown file in a git repository that both partners
share; read it in any editor. Run with no command to see today.

Who you are is your name, config name: the first write asks for it at a
terminal (elsewhere it is your login name, said once), and --as NAME or
$RECONNECT_NAME give another for one command. --author, on the commands
that read, only picks whose entries they show.

What the files hold is printed with its control characters shown as
symbols (an escape as ␛, a bell as ␇, a carriage return as ␍), never sent
to your terminal as they are: a file, yours or your partner's, cannot set
the clipboard, the window title or clear the screen. --json keeps the text
exact, JSON-escaped.

Colour follows --color, then CLICOLOR_FORCE and NO_COLOR; long output goes
through $PAGER unless --no-pager; --quiet keeps a write silent once saved.
More in 'reconnect help environment', 'help files', 'help formats' and
'help exit-codes'.`,
		Example: `  reconnect checkin                  # Rose, Bud and Thorn for today
  reconnect thanks "for the coffee"  # a gratitude note
  reconnect bucket add "Try the new ramen place"
  reconnect log --since 2026-11-01   # what you both wrote this month`,
		Version:       a.buildVersion().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			err := usagef("unknown command %q", args[0])
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				return withHint(err, "did you mean 'reconnect %s'?", s[0])
			}
			return withHint(err, "see 'reconnect --help'")
		},
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			if err := a.IO.SetColorMode(a.global.color, a.global.noPager); err != nil {
				return withHint(err, "see 'reconnect help environment'")
			}
			a.wrote = nil // nothing written yet by this command
			if a.global.quiet {
				a.IO.SetQuiet(func() bool { return a.wrote != nil })
			}
			if err := a.prepare(); err != nil {
				if c.Annotations[annotRawConfig] == "" {
					return err
				}
				// 'config edit' and 'config path' work on a broken file.
				a.cfg = &Config{}
			}
			return a.bindSettings(c.Flags())
		},
		// After a write has been reported, share it.
		PersistentPostRun: func(c *cobra.Command, _ []string) {
			if a.wrote != nil {
				a.autoSync(c.Context(), a.wrote, a.who)
			}
		},
		RunE: func(c *cobra.Command, _ []string) error {
			return runToday(c.Context(), rootToday)
		},
	}
	// Bare 'reconnect' is 'reconnect today', flags included.
	addDateFlag(root, &rootToday.Date, "the day to show (default today)")
	root.Flags().BoolVar(&rootToday.JSON, "json", false, "print the day as JSON")
	root.SetVersionTemplate("reconnect version {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return flagError(c, err, a.args)
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.global.journal, "journal", "", "the journal `folder` (default: $RECONNECT_JOURNAL, config journal, $XDG_DATA_HOME/reconnect or ~/.local/share/reconnect)")
	pf.StringVar(&a.global.name, "as", "", "who you are: your `name` in the journal (default: $RECONNECT_NAME, config name, your login name)")
	pf.BoolVar(&a.global.noSync, "no-sync", false, "do not talk to the remote in this command")
	pf.StringVar(&a.global.color, "color", colorAuto, "colour the output: `when` is auto, always or never (see 'reconnect help environment')")
	pf.BoolVar(&a.global.noPager, "no-pager", false, "do not send long output through the pager")
	pf.BoolVarP(&a.global.quiet, "quiet", "q", false, "a write prints nothing once saved (errors and warnings still do)")
	_ = root.RegisterFlagCompletionFunc("color", cobra.FixedCompletions([]string{colorAuto, colorAlways, colorNever}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("journal", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})

	root.AddGroup(
		&cobra.Group{ID: "rituals", Title: "Rituals:"},
		&cobra.Group{ID: "look", Title: "Looking back:"},
		&cobra.Group{ID: "share", Title: "Sharing with your partner:"},
		&cobra.Group{ID: "setup", Title: "Setting up:"},
	)
	for _, c := range []*cobra.Command{newCheckinCmd(a, nil), newThanksCmd(a, nil), newBucketCmd(a),
		newChallengeCmd(a), newAskCmd(a, nil), newReplyCmd(a, nil), newUnionCmd(a, nil), newWinCmd(a, nil),
		newDateCmd(a), newIdeaCmd(a, nil), newTogetherCmd(a, nil), newBeginCmd(a, nil)} {
		c.GroupID = "rituals"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newTodayCmd(a, nil), newNewsCmd(a, nil), newShowCmd(a, nil), newLogCmd(a, nil), newSearchCmd(a, nil), newStatsCmd(a, nil), newMemoriesCmd(a, nil), newExportCmd(a, nil)} {
		c.GroupID = "look"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newSyncCmd(a, nil), newStatusCmd(a, nil), newJoinCmd(a, nil), newRemoteCmd(a, nil)} {
		c.GroupID = "share"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newInitCmd(a, nil), newConfigCmd(a), newRenameCmd(a, nil), newRepairCmd(a, nil), newVersionCmd(a, nil)} {
		c.GroupID = "setup"
		root.AddCommand(c)
	}
	root.AddCommand(newKeysCmd(a, nil))
	root.SetHelpCommandGroupID("setup")
	addHelpTopics(root)
	for _, c := range []*cobra.Command{newNudgeCmd(a, nil), newRemindCmd(a, nil)} {
		c.GroupID = "setup"
		root.AddCommand(c)
	}
	root.SetCompletionCommandGroupID("setup")
	root.SuggestionsMinimumDistance = 2
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = `  reconnect completion bash > ~/.local/share/bash-completion/completions/reconnect
  reconnect completion zsh > "${fpath[1]}/_reconnect"
  reconnect completion fish > ~/.config/fish/completions/reconnect.fish
  reconnect completion powershell | Out-String | Invoke-Expression`
			c.Args = cobra.ArbitraryArgs
			c.RunE = func(c *cobra.Command, args []string) error {
				if len(args) > 0 {
					return usagef("no completion for shell %q: want bash, zsh, fish or powershell", args[0])
				}
				return c.Help()
			}
		}
	}
	a.wireFlags(root) // the clock and completion of date flags, --author, --as
	return root
}

// prepare loads the config once per invocation, before any command runs.
func (a *App) prepare() error {
	if a.cfg != nil {
		return nil
	}
	a.cfgDir = configDir(a.Getenv)
	cfg, err := loadConfig(a.cfgDir)
	if err != nil && hintOf(err) == "" {
		return withHint(err, "fix or remove the file; 'reconnect config list' shows what it holds")
	}
	if err != nil {
		return err
	}
	a.cfg = cfg
	return nil
}

// flagError is a flag that did not parse: exit 2, with a hint. --author
// is a filter of the read commands, never who you are: where a command has
// no --author, the hint says that --as is.
func flagError(c *cobra.Command, err error, args []string) error {
	if strings.HasPrefix(err.Error(), "unknown flag: --author") && c.Flags().Lookup("author") == nil {
		name := "NAME"
		for i, arg := range args {
			if v, ok := strings.CutPrefix(arg, "--author="); ok && v != "" {
				name = v
				break
			}
			if arg == "--author" && i+1 < len(args) {
				name = args[i+1]
				break
			}
		}
		if journal.ValidAuthor(name) != nil {
			name = "NAME"
		}
		return withHint(badInput(err), "who you are is --as: %s; --author only picks whose entries a read shows (log, search, show...)",
			strings.TrimSpace("reconnect --as "+name+" "+commandPath(c)))
	}
	return withHint(badInput(err), "see '%s --help'", c.CommandPath())
}

func commandPath(c *cobra.Command) string {
	return strings.TrimSpace(strings.TrimPrefix(c.CommandPath(), "reconnect"))
}

// exactArgs is cobra.ExactArgs with an error that maps to exit 2.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return withHint(usagef("%s takes %s (got %d arguments)", commandPath(c), what, len(args)),
				"see '%s --help'", c.CommandPath())
		}
		return nil
	}
}

// maxArgs is cobra.MaximumNArgs with an error that maps to exit 2.
func maxArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) > n {
			return withHint(usagef("%s takes at most %s (got %d arguments)", commandPath(c), what, len(args)),
				"see '%s --help'", c.CommandPath())
		}
		return nil
	}
}

// completeKinds offers the entry kinds for --kind.
func completeKinds(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, k := range journal.Kinds() {
		out = append(out, fmt.Sprintf("%s\t%s", k.Kind, k.Description))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// RootForDocs is the whole command tree, for generating man pages and
// completions at release time. It is never executed.
func RootForDocs() *cobra.Command {
	root := newRootCmd(NewApp(&IOStreams{Width: 80}, "dev"))
	root.DisableAutoGenTag = true
	return root
}
