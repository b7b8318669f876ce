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
	completeKeys := func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, k := range configKeys() {
			out = append(out, k.name+"\t"+k.help)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	get := &cobra.Command{
		Use:               "get KEY",
		Short:             "Print one setting",
		Example:           "  reconnect config get name",
		Args:              exactArgs(1, "one KEY"),
		ValidArgsFunction: completeKeys,
		RunE: func(c *cobra.Command, args []string) error {
			k, err := findConfigKey(args[0])
			if err != nil {
				return err
			}
			a.IO.Printf("%s\n", shownValue(k, a.cfg))
			return nil
		},
	}
	set := &cobra.Command{
		Use:               "set KEY VALUE",
		Short:             "Change one setting",
		Example:           "  reconnect config set name sam\n  reconnect config set sync.auto false",
		Args:              exactArgs(2, "a KEY and a VALUE"),
		ValidArgsFunction: completeKeys,
		RunE: func(c *cobra.Command, args []string) error {
			return runConfigSet(c.Context(), a, args[0], args[1])
		},
	}
	listJSON := false
	list := &cobra.Command{
		Use:   "list",
		Short: "Print every setting and where it came from",
		Long: `Print every setting as this command line sees it, and where its value came
from: a flag (--author, --journal), the environment (RECONNECT_AUTHOR,
RECONNECT_JOURNAL, RECONNECT_TOKEN), the config file, or the default, in
that order of precedence. A token is never printed.`,
		Example: "  reconnect config list\n  RECONNECT_AUTHOR=sam reconnect config list --json",
		Args:    exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			return runConfigList(a, listJSON)
		},
	}
	list.Flags().BoolVar(&listJSON, "json", false, "print the settings and their sources as JSON")
	c.AddCommand(get, set, list)
	return c
}

func runConfigSet(_ context.Context, a *App, key, value string) error {
	k, err := findConfigKey(key)
	if err != nil {
		return err
	}
	if err := k.set(a.cfg, value); err != nil {
		return err
	}
	if err := saveConfig(a.cfgDir, a.cfg); err != nil {
		return err
	}
	a.IO.Printf("%s = %s\n", k.name, shownValue(k, a.cfg))
	return nil
}

func runConfigList(a *App, asJSON bool) error {
	var all []setting
	for _, k := range configKeys() {
		all = append(all, a.setting(k.name))
	}
	if asJSON {
		out := make([]settingJSON, len(all))
		for i, s := range all {
			out[i] = s.json()
		}
		return a.writeJSON(out)
	}
	a.IO.Printf("# %s\n", filepath.Join(a.cfgDir, "config.yaml"))
	for _, s := range all {
		if l := s.label(); l != "" {
			a.IO.Printf("%s = %s (%s)\n", s.key.name, s.shown(), l)
		} else {
			a.IO.Printf("%s = %s\n", s.key.name, s.shown())
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
