package cmd

import (
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// The settings of one invocation come, in this order of precedence, from a
// flag given on the command line, an environment variable, config.yaml and
// the key's default. The chain is built once per invocation (in the root
// command's PersistentPreRunE, see [App.bindSettings]), never in a global
// viper: its viper holds the flags bound for this command line, the file as
// read into [Config] (so a 'config set' earlier in the same App is seen) and
// the defaults. The environment is read through [App.Getenv], which tests
// replace, between the flags and the file, where viper puts it.

// Where a setting's value came from, as 'config list --json' says it.
const (
	fromFlag    = "flag"
	fromEnv     = "env"
	fromFile    = "file"
	fromDefault = "default"
	fromLogin   = "login" // name only: none given, so the login name
	fromUnset   = "unset"
)

// settingBinding is how a key can be given besides the file and its
// default: a flag of the root command and environment variables, the
// first set of them winning.
type settingBinding struct {
	flag string
	env  []string
}

// settingBindings are the keys that a flag or the environment can set.
// Who you are is one noun, name: --as, RECONNECT_NAME, then the older
// RECONNECT_AUTHOR, then config name (init and join --name override it).
var settingBindings = map[string]settingBinding{
	"name":       {flag: "as", env: []string{"RECONNECT_NAME", "RECONNECT_AUTHOR"}},
	"journal":    {flag: "journal", env: []string{"RECONNECT_JOURNAL"}},
	"sync.token": {env: []string{"RECONNECT_TOKEN"}},
}

// settings is the precedence chain of one invocation.
type settings struct {
	v      *viper.Viper
	flags  map[string]*pflag.Flag // by key, the flags bound
	getenv func(string) string
	file   string // config.yaml's path, for saying where a value came from
	// overrides are values a command's own flag gives a setting (init
	// --name), by key, with that flag.
	overrides map[string]string
}

// override sets key for the rest of this invocation, above everything
// else, as the command's flag says (init --name is who writes).
func (a *App) override(key, value, flag string) {
	a.setting(key) // bound
	a.settings.v.Set(key, value)
	if a.settings.overrides == nil {
		a.settings.overrides = map[string]string{}
	}
	a.settings.overrides[key] = flag
}

// setting is one key's value in this invocation and where it came from.
type setting struct {
	key    configKey
	value  string // "" when not set
	source string // fromFlag, fromEnv, fromFile, fromDefault, fromLogin or fromUnset
	origin string // the flag (--as), the variable or the file's path
}

// bindSettings builds this invocation's chain from the config already
// loaded (see [App.prepare]), the command line's flags and the environment.
func (a *App) bindSettings(flags *pflag.FlagSet) error {
	v := viper.New()
	file := map[string]any{}
	for _, k := range configKeys() {
		if k.def != "" {
			v.SetDefault(k.name, k.def)
		}
		if val := k.get(a.cfg); val != "" {
			setNested(file, k.name, val)
		}
	}
	if err := v.MergeConfigMap(file); err != nil {
		return err
	}
	if flags == nil {
		// Prepared without a command line (tests, completion): the flags
		// are what their variables hold.
		flags = pflag.NewFlagSet("reconnect", pflag.ContinueOnError)
		for _, f := range []struct {
			name string
			p    *string
		}{{"journal", &a.global.journal}, {"as", &a.global.name}} {
			flags.StringVar(f.p, f.name, *f.p, "")
			if *f.p != "" {
				_ = flags.Set(f.name, *f.p)
			}
		}
	}
	s := &settings{v: v, flags: map[string]*pflag.Flag{}, getenv: a.Getenv,
		file: filepath.Join(a.cfgDir, "config.yaml")}
	for key, b := range settingBindings {
		if b.flag == "" {
			continue
		}
		// A flag given empty (--as "") is as good as not given.
		if f := flags.Lookup(b.flag); f != nil && f.Changed && f.Value.String() != "" {
			if err := v.BindPFlag(key, f); err != nil {
				return err
			}
			s.flags[key] = f
		}
	}
	a.settings = s
	return nil
}

// setNested sets a dotted key in nested maps, as a YAML file holds it.
func setNested(m map[string]any, key, val string) {
	parts := strings.Split(key, ".")
	for _, p := range parts[:len(parts)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = val
}

// lookup is the value of k in this invocation: the first of a flag given,
// its environment variable when set, the file, the default.
func (s *settings) lookup(k configKey) setting {
	b := settingBindings[k.name]
	if o, ok := s.overrides[k.name]; ok {
		return setting{key: k, value: s.v.GetString(k.name), source: fromFlag, origin: o}
	}
	if f := s.flags[k.name]; f != nil && f.Changed && f.Value.String() != "" {
		return setting{key: k, value: s.v.GetString(k.name), source: fromFlag, origin: "--" + f.Name}
	}
	for _, env := range b.env {
		if val := s.getenv(env); val != "" {
			return setting{key: k, value: val, source: fromEnv, origin: env}
		}
	}
	if s.v.InConfig(k.name) {
		if val := s.v.GetString(k.name); val != "" {
			return setting{key: k, value: val, source: fromFile, origin: s.file}
		}
	}
	if k.def != "" {
		return setting{key: k, value: s.v.GetString(k.name), source: fromDefault}
	}
	return setting{key: k, source: fromUnset}
}

// setting is the value of the key name in this invocation; see
// [settings.lookup].
func (a *App) setting(name string) setting {
	k, err := findConfigKey(name)
	if err != nil {
		k = configKey{name: name}
	}
	if a.cfg == nil {
		a.cfg = &Config{}
	}
	if a.settings == nil { // prepared without a command line (tests, completion)
		if err := a.bindSettings(nil); err != nil {
			return setting{key: k, source: fromUnset}
		}
	}
	return a.settings.lookup(k)
}

// listedSetting is [App.setting] as 'config list' shows it: a name given
// nowhere is the login name, which writes use.
func (a *App) listedSetting(name string) setting {
	s := a.setting(name)
	if name == "name" && s.source == fromUnset {
		if login, err := a.loginName(); err == nil {
			s.value, s.source, s.origin = login, fromLogin, "USER"
		}
	}
	return s
}

// config is the config file as read (empty before it is).
func (a *App) config() *Config {
	if a.cfg == nil {
		a.cfg = &Config{}
	}
	return a.cfg
}

// shown is the setting's value for a person: a secret is never shown.
func (s setting) shown() string {
	switch {
	case s.source == fromUnset:
		return "(not set)"
	case s.key.secret:
		return "(set, hidden)"
	}
	return s.value
}

// label says where the value came from, for 'config list'; "" for a key
// not set.
func (s setting) label() string {
	switch s.source {
	case fromFlag:
		return "flag " + s.origin
	case fromEnv:
		return "environment " + s.origin
	case fromFile:
		return "config file"
	case fromDefault:
		return "default"
	case fromLogin:
		return "your login name"
	}
	return ""
}

// settingJSON is one line of 'config list --json'.
type settingJSON struct {
	Key    string `json:"key"`
	Value  string `json:"value,omitempty"` // never a secret's
	Hidden bool   `json:"hidden,omitempty"`
	Source string `json:"source"`           // flag, env, file, default, login or unset
	Origin string `json:"origin,omitempty"` // the flag, the variable or the file
}

func (s setting) json() settingJSON {
	out := settingJSON{Key: s.key.name, Value: s.value, Source: s.source, Origin: s.origin}
	if s.key.secret && s.value != "" {
		out.Value, out.Hidden = "", true
	}
	return out
}
