package cmd

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
)

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
  reconnect config set sync.interval 10m`,
		Args: exactArgs(0, "a subcommand: get, set or list"),
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(newConfigGetCmd(a, nil), newConfigSetCmd(a, nil), newConfigListCmd(a, nil))
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
		Use:               "set KEY VALUE",
		Short:             "Change one setting",
		Example:           "  reconnect config set name sam\n  reconnect config set sync.auto false",
		Args:              exactArgs(2, "a KEY and a VALUE"),
		ValidArgsFunction: completeConfigKeys,
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
	opts.IO.Printf("%s = %s\n", k.name, shownValue(k, cfg))
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
