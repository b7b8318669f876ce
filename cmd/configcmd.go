package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// annotRawConfig marks a command that works on config.yaml even when the
// file does not load ('config edit', 'config path'): its PersistentPreRunE
// goes on with an empty config.
const annotRawConfig = "reconnect/raw-config"

func newConfigCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "config",
		Short: "Read and change this machine's settings",
		Long: `Read and change the settings of this machine, kept in config.yaml in
$RECONNECT_CONFIG_DIR, $XDG_CONFIG_HOME/reconnect or ~/.config/reconnect.

Keys:
` + configKeyHelp() + `
A value of the wrong kind is refused, by 'config set' and in the file alike
(exit 2, naming the file, the key and what it wants): sync.auto is true or
false, union.every a whole number, the durations are like 10s or 5m, and
text that YAML would read as a number (a token of digits) is put in quotes.`,
		Example: `  reconnect config list
  reconnect config set name sam
  reconnect config get journal
  reconnect config set sync.interval 10m
  reconnect config unset sync.interval
  reconnect config edit
  reconnect config path`,
		Args: exactArgs(0, "a subcommand: get, set, unset, list, edit or path"),
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(newConfigGetCmd(a, nil), newConfigSetCmd(a, nil), newConfigUnsetCmd(a, nil), newConfigListCmd(a, nil),
		newConfigEditCmd(a, nil), newConfigPathCmd(a, nil))
	return c
}

// completeConfigKeys offers the config keys for a KEY argument.
func completeConfigKeys(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, k := range configKeys() {
		out = append(out, k.name+"\t"+k.help)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// configGetOptions is what 'config get' uses.
type configGetOptions struct {
	IO     *IOStreams
	Config func() *Config // the file as read

	Key string
}

// newConfigGetCmd is 'config get'; runF nil is runConfigGet.
func newConfigGetCmd(a *App, runF func(context.Context, *configGetOptions) error) *cobra.Command {
	if runF == nil {
		runF = runConfigGet
	}
	opts := &configGetOptions{IO: a.IO, Config: a.config}
	return &cobra.Command{
		Use:               "get KEY",
		Short:             "Print one setting",
		Example:           "  reconnect config get name",
		Args:              exactArgs(1, "one KEY"),
		ValidArgsFunction: completeConfigKeys,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runF(c.Context(), opts)
		},
	}
}

func runConfigGet(_ context.Context, opts *configGetOptions) error {
	k, err := findConfigKey(opts.Key)
	if err != nil {
		return err
	}
	opts.IO.Printf("%s\n", shownValue(k, opts.Config()))
	return nil
}

// configSetOptions is what 'config set' uses.
type configSetOptions struct {
	IO        *IOStreams
	Config    func() *Config // the file as read, changed and written back
	ConfigDir func() string

	Key, Value string
}

// newConfigSetCmd is 'config set'; runF nil is runConfigSet.
func newConfigSetCmd(a *App, runF func(context.Context, *configSetOptions) error) *cobra.Command {
	if runF == nil {
		runF = runConfigSet
	}
	opts := &configSetOptions{IO: a.IO, Config: a.config, ConfigDir: func() string { return a.cfgDir }}
	return &cobra.Command{
		Use:     "set KEY VALUE",
		Short:   "Change one setting",
		Example: "  reconnect config set name sam\n  reconnect config set sync.auto false",
		Args:    exactArgs(2, "a KEY and a VALUE"),
		ValidArgsFunction: func(c *cobra.Command, args []string, s string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 1 {
				return completeConfigValue(args[0])
			}
			return completeConfigKeys(c, args, s)
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.Key, opts.Value = args[0], args[1]
			return runF(c.Context(), opts)
		},
	}
}

func runConfigSet(_ context.Context, opts *configSetOptions) error {
	k, err := findConfigKey(opts.Key)
	if err != nil {
		return err
	}
	cfg := opts.Config()
	if err := k.set(cfg, opts.Value); err != nil {
		return err
	}
	if err := saveConfig(opts.ConfigDir(), cfg); err != nil {
		return err
	}
	opts.IO.Successf("%s = %s\n", k.name, shownValue(k, cfg))
	return nil
}

// configListOptions is what 'config list' uses.
type configListOptions struct {
	IO        *IOStreams
	Setting   func(key string) setting // a key's value in this invocation, and its source
	ConfigDir func() string

	JSON bool
}

// newConfigListCmd is 'config list'; runF nil is runConfigList.
func newConfigListCmd(a *App, runF func(context.Context, *configListOptions) error) *cobra.Command {
	if runF == nil {
		runF = runConfigList
	}
	opts := &configListOptions{IO: a.IO, Setting: a.listedSetting, ConfigDir: func() string { return a.cfgDir }}
	c := &cobra.Command{
		Use:   "list",
		Short: "Print every setting and where it came from",
		Long: `Print every setting as this command line sees it, and where its value came
from: a flag (--as, --journal), the environment (RECONNECT_NAME, then the
older RECONNECT_AUTHOR, RECONNECT_JOURNAL, RECONNECT_TOKEN), the config file,
or the default, in that order of precedence. With no name given anywhere,
name is your login name, and says so. A token is never printed.`,
		Example: "  reconnect config list\n  RECONNECT_NAME=sam reconnect config list --json",
		Args:    exactArgs(0, "no arguments"),
		RunE:    func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the settings and their sources as JSON")
	return c
}

func runConfigList(_ context.Context, opts *configListOptions) error {
	var all []setting
	for _, k := range configKeys() {
		all = append(all, opts.Setting(k.name))
	}
	if opts.JSON {
		out := make([]settingJSON, len(all))
		for i, s := range all {
			out[i] = s.json()
		}
		return writeJSONTo(opts.IO.Out, out)
	}
	opts.IO.Printf("# %s\n", filepath.Join(opts.ConfigDir(), "config.yaml"))
	for _, s := range all {
		if l := s.label(); l != "" {
			opts.IO.Printf("%s = %s (%s)\n", s.key.name, s.shown(), l)
		} else {
			opts.IO.Printf("%s = %s\n", s.key.name, s.shown())
		}
	}
	return nil
}

// shownValue is a key's value for printing: secrets are never shown, and
// an unset key shows its default.
func shownValue(k configKey, c *Config) string {
	v := k.get(c)
	switch {
	case k.secret && v != "":
		return "(set, hidden)"
	case v == "" && k.def != "":
		return k.def + " (default)"
	case v == "":
		return "(not set)"
	}
	return v
}

func configKeyHelp() string {
	var s string
	for _, k := range configKeys() {
		s += fmt.Sprintf("  %-14s %s\n", k.name, k.help)
	}
	return s
}

// configUnsetOptions is what 'config unset' uses.
type configUnsetOptions struct {
	IO        *IOStreams
	Config    func() *Config // the file as read, changed and written back
	ConfigDir func() string

	Key string
}

// newConfigUnsetCmd is 'config unset'; runF nil is runConfigUnset.
func newConfigUnsetCmd(a *App, runF func(context.Context, *configUnsetOptions) error) *cobra.Command {
	if runF == nil {
		runF = runConfigUnset
	}
	opts := &configUnsetOptions{IO: a.IO, Config: a.config, ConfigDir: func() string { return a.cfgDir }}
	return &cobra.Command{
		Use:               "unset KEY",
		Short:             "Remove one setting from the file, back to its default",
		Example:           "  reconnect config unset sync.interval\n  reconnect config unset sync.token",
		Args:              exactArgs(1, "one KEY"),
		ValidArgsFunction: completeConfigKeys,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Key = args[0]
			return runF(c.Context(), opts)
		},
	}
}

func runConfigUnset(_ context.Context, opts *configUnsetOptions) error {
	k, err := findConfigKey(opts.Key)
	if err != nil {
		return err
	}
	cfg := opts.Config()
	was, err := unsetConfig(cfg, k.name)
	if err != nil {
		return err
	}
	if !was {
		opts.IO.Successf("%s was not set in the file; it is %s\n", k.name, shownValue(k, cfg))
		return nil
	}
	if err := saveConfig(opts.ConfigDir(), cfg); err != nil {
		return err
	}
	opts.IO.Successf("%s unset; it is %s\n", k.name, shownValue(k, cfg))
	return nil
}

// configPathOptions is what 'config path' uses.
type configPathOptions struct {
	IO        *IOStreams
	ConfigDir func() string
}

// newConfigPathCmd is 'config path'; runF nil is runConfigPath.
func newConfigPathCmd(a *App, runF func(context.Context, *configPathOptions) error) *cobra.Command {
	if runF == nil {
		runF = runConfigPath
	}
	opts := &configPathOptions{IO: a.IO, ConfigDir: func() string { return a.cfgDir }}
	return &cobra.Command{
		Use:         "path",
		Short:       "Print where the config file is (it may not exist yet)",
		Example:     "  reconnect config path\n  cat \"$(reconnect config path)\"",
		Args:        exactArgs(0, "no arguments"),
		Annotations: map[string]string{annotRawConfig: "yes"},
		RunE:        func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
}

func runConfigPath(_ context.Context, opts *configPathOptions) error {
	opts.IO.Printf("%s\n", filepath.Join(opts.ConfigDir(), "config.yaml"))
	return nil
}

// configEditOptions is what 'config edit' uses.
type configEditOptions struct {
	IO        *IOStreams
	Editor    Editor
	Getenv    func(string) string // the environment the editor is named in
	ConfigDir func() string
}

// newConfigEditCmd is 'config edit'; runF nil is runConfigEdit.
func newConfigEditCmd(a *App, runF func(context.Context, *configEditOptions) error) *cobra.Command {
	if runF == nil {
		runF = runConfigEdit
	}
	opts := &configEditOptions{IO: a.IO, Editor: a.Editor, Getenv: a.Getenv, ConfigDir: func() string { return a.cfgDir }}
	return &cobra.Command{
		Use:   "edit",
		Short: "Edit the config file in $VISUAL or $EDITOR",
		Long: `Open config.yaml in your editor ($VISUAL, else $EDITOR, else vi). You edit a
copy: when you are done it is checked as every command checks the file, and
only a good copy replaces config.yaml. A copy with a bad value or bad YAML
is refused (exit 2, naming the problem): config.yaml stays as it was, and
what you wrote is kept in config.rejected.yaml beside it, for you to fix.
It works on a config.yaml that does not load, to fix it.`,
		Example:     "  reconnect config edit\n  EDITOR=nano reconnect config edit",
		Args:        exactArgs(0, "no arguments"),
		Annotations: map[string]string{annotRawConfig: "yes"},
		RunE:        func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
}

func runConfigEdit(ctx context.Context, opts *configEditOptions) error {
	dir := opts.ConfigDir()
	path := filepath.Join(dir, "config.yaml")
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read config %s: %w", path, err)
	}
	start := old
	if old == nil {
		start = []byte(configHeader + "# keys:\n" + commentLines(configKeyHelp()))
	}
	// The copy keeps .yaml, for the editor's highlighting, and mode 0600:
	// it may hold a token.
	edit := filepath.Join(dir, "config.edit.yaml")
	if err := fsutil.WriteFile(edit, start, fsutil.FileMode); err != nil {
		return fmt.Errorf("write config copy %s: %w", edit, err)
	}
	defer os.Remove(edit)
	if err := opts.Editor.Edit(ctx, opts.Getenv, edit); err != nil {
		return fmt.Errorf("edit %s: %w; config.yaml is unchanged", path, err)
	}
	got, err := os.ReadFile(edit)
	if err != nil {
		return fmt.Errorf("read config copy %s: %w", edit, err)
	}
	if bytes.Equal(got, start) {
		opts.IO.Successf("No change to %s\n", path)
		return nil
	}
	if _, err := loadConfigFile(edit); err != nil {
		rejected := filepath.Join(dir, "config.rejected.yaml")
		if werr := fsutil.WriteFile(rejected, got, fsutil.FileMode); werr != nil {
			return fmt.Errorf("write %s: %w", rejected, werr)
		}
		msg := strings.ReplaceAll(err.Error(), edit, "the edited config")
		return withHint(badInput(errors.New(msg+"; config.yaml is unchanged")),
			"what you wrote is in %s: fix it there and copy it over, or run 'reconnect config edit' again", rejected)
	}
	if err := fsutil.WriteFile(path, got, fsutil.FileMode); err != nil {
		return fmt.Errorf("write config %s: %w", path, err)
	}
	opts.IO.Successf("Saved %s\n", path)
	return nil
}

// commentLines makes every line of text a YAML comment.
func commentLines(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("#" + l + "\n")
	}
	return b.String()
}
