package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/internal/streak"
	"github.com/reconnect-app/reconnect/journal"
)

// Config is this machine's settings, the file config.yaml in the config
// folder. It is written only from this struct (never from flags or the
// environment), atomically, with mode 0600.
//
// The yaml tags say how it is written, the mapstructure tags how viper
// decodes the file into it.
type Config struct {
	Name    string     `yaml:"name,omitempty" mapstructure:"name"`
	Journal string     `yaml:"journal,omitempty" mapstructure:"journal"`
	Sync    SyncConfig `yaml:"sync,omitempty" mapstructure:"sync"`
	Union   struct {
		Every *int `yaml:"every,omitempty" mapstructure:"every"`
	} `yaml:"union,omitempty" mapstructure:"union"`
	Nudge struct {
		After string `yaml:"after,omitempty" mapstructure:"after"`
	} `yaml:"nudge,omitempty" mapstructure:"nudge"`
	Drift DriftConfig `yaml:"drift,omitempty" mapstructure:"drift"` // cmd/drift.go
	// Calendar is calendar.alarm (cmd/calendar_alarm.go).
	Calendar struct {
		Alarm string `yaml:"alarm,omitempty" mapstructure:"alarm"`
	} `yaml:"calendar,omitempty" mapstructure:"calendar"`
}

// SyncConfig is the sync section of the config.
type SyncConfig struct {
	Auto     *bool  `yaml:"auto,omitempty" mapstructure:"auto"`
	Timeout  string `yaml:"timeout,omitempty" mapstructure:"timeout"`
	Interval string `yaml:"interval,omitempty" mapstructure:"interval"`
	SSHKey   string `yaml:"ssh_key,omitempty" mapstructure:"ssh_key"`
	Token    string `yaml:"token,omitempty" mapstructure:"token"`
}

// configKey describes one key of `reconnect config`. set checks a value
// typed after 'config set' and stores it; a value in the file must first
// be of the key's YAML type (want), then pass the same set.
type configKey struct {
	name, help, def string
	secret          bool
	want            valueType
	get             func(*Config) string
	set             func(*Config, string) error
}

// valueType is the type a config value has in config.yaml.
type valueType int

const (
	textValue     valueType = iota // a string
	boolValue                      // true or false
	intValue                       // a whole number
	durationValue                  // a string such as 10s or 5m
)

func (t valueType) String() string {
	switch t {
	case boolValue:
		return "true or false"
	case intValue:
		return "a whole number"
	case durationValue:
		return "a duration like 10s or 5m"
	}
	return "text"
}

func boolPtr(b bool) *bool { return &b }

func configKeys() []configKey {
	durationKey := func(name, help, def string, field func(*Config) *string) configKey {
		return configKey{name: name, help: help, def: def, want: durationValue,
			get: func(c *Config) string { return *field(c) },
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil || d <= 0 {
					return usagef("%s: %q is not a duration like 10s or 5m", name, v)
				}
				*field(c) = v
				return nil
			}}
	}
	return []configKey{
		{name: "name", help: "who you are in the journal, a slug like sam",
			get: func(c *Config) string { return c.Name },
			set: func(c *Config, v string) error {
				if err := journal.ValidAuthor(v); err != nil {
					return badInput(err)
				}
				c.Name = v
				return nil
			}},
		{name: "journal", help: "the journal folder on this machine",
			get: func(c *Config) string { return c.Journal },
			set: func(c *Config, v string) error {
				abs, err := filepath.Abs(expandHome(v))
				if err != nil {
					return badInput(err)
				}
				c.Journal = abs
				return nil
			}},
		{name: "sync.auto", help: "sync after every write when a remote is set", def: "true", want: boolValue,
			get: func(c *Config) string {
				if c.Sync.Auto == nil {
					return ""
				}
				return strconv.FormatBool(*c.Sync.Auto)
			},
			set: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return usagef("sync.auto: %q is not true or false", v)
				}
				c.Sync.Auto = boolPtr(b)
				return nil
			}},
		durationKey("sync.timeout", "how long a sync after a write may take", "10s",
			func(c *Config) *string { return &c.Sync.Timeout }),
		durationKey("sync.interval", "how often read commands fetch the partner's entries", "5m",
			func(c *Config) *string { return &c.Sync.Interval }),
		{name: "sync.ssh_key", help: "an SSH private key file, when ssh-agent has none",
			get: func(c *Config) string { return c.Sync.SSHKey },
			set: func(c *Config, v string) error {
				abs, err := filepath.Abs(expandHome(v))
				if err != nil {
					return badInput(err)
				}
				c.Sync.SSHKey = abs
				return nil
			}},
		{name: "sync.token", help: "a token for an HTTPS remote (never printed)", secret: true,
			get: func(c *Config) string { return c.Sync.Token },
			set: func(c *Config, v string) error {
				if strings.ContainsAny(v, " \t\r\n") {
					return usagef("sync.token: a token has no spaces")
				}
				c.Sync.Token = v
				return nil
			}},
		{name: "union.every", help: "days between State of the Union meetings", def: "7", want: intValue,
			get: func(c *Config) string {
				if c.Union.Every == nil {
					return ""
				}
				return strconv.Itoa(*c.Union.Every)
			},
			set: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 365 {
					return usagef("union.every: %q is not a number of days from 1 to 365", v)
				}
				c.Union.Every = &n
				return nil
			}},
		nudgeAfterKey(), // nudge.go
		// When one partner drifts (cmd/drift.go).
		{name: "drift.enabled", help: "offer a small gesture on the evening screen when only you have been checking in", def: "true", want: boolValue,
			get: func(c *Config) string { return formatBoolPtr(c.Drift.Enabled) },
			set: func(c *Config, v string) error {
				b, err := strconv.ParseBool(v)
				if err != nil {
					return usagef("drift.enabled: %q is not true or false", v)
				}
				c.Drift.Enabled = boolPtr(b)
				return nil
			}},
		{name: "drift.days", help: "days only you checked in, of the last four weeks, before a gesture is offered", def: "5", want: intValue,
			get: func(c *Config) string { return formatIntPtr(c.Drift.Days) },
			set: func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > streak.DriftTalkDays {
					return usagef("drift.days: %q is not a number of days from 1 to %d", v, streak.DriftTalkDays)
				}
				c.Drift.Days = &n
				return nil
			}},
		calendarAlarmKey(),
	}
}

func findConfigKey(name string) (configKey, error) {
	var names []string
	for _, k := range configKeys() {
		if k.name == name {
			return k, nil
		}
		names = append(names, k.name)
	}
	sort.Strings(names)
	return configKey{}, usagef("unknown config key %q (known: %s)", name, strings.Join(names, ", "))
}

// configDir is where config.yaml lives: $RECONNECT_CONFIG_DIR, else
// $XDG_CONFIG_HOME/reconnect, else ~/.config/reconnect.
func configDir(getenv func(string) string) string {
	if d := getenv("RECONNECT_CONFIG_DIR"); d != "" {
		return d
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "reconnect")
	}
	return filepath.Join(homeDir(getenv), ".config", "reconnect")
}

func homeDir(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		h, _ := os.UserHomeDir()
		return filepath.Join(h, strings.TrimPrefix(p, "~"))
	}
	return p
}

// loadConfig reads config.yaml with a viper of its own (never a global one).
// A missing file is an empty config; a broken one is an error naming it. A
// value of the wrong type, or one 'config set' would refuse, is exit 2
// naming the file, the key and what it wants: never ignored, never a default
// in its place.
func loadConfig(dir string) (*Config, error) {
	return loadConfigFile(filepath.Join(dir, "config.yaml"))
}

// loadConfigFile is [loadConfig] of the file at path ('config edit' checks
// an edited copy with it).
func loadConfigFile(path string) (*Config, error) {
	cfg := &Config{}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	if err := checkConfig(v.AllSettings()); err != nil {
		return nil, withHint(badInput(fmt.Errorf("config %s: %w", path, err)),
			"fix the value in the file or remove its line; 'reconnect config --help' lists the keys")
	}
	// Every known value has its type (checked above): decode them straight
	// into the struct; unknown keys are left in the file.
	if err := v.Unmarshal(cfg); err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	return cfg, nil
}

// checkConfig checks every known key of the file's settings (as viper
// read them: nested maps, values typed by YAML) against its type and the
// rules of 'config set'.
func checkConfig(settings map[string]any) error {
	for _, k := range configKeys() {
		raw, set, err := lookupSetting(settings, k.name)
		if err != nil {
			return err
		}
		if !set {
			continue
		}
		text, ok := settingText(raw, k.want)
		if !ok {
			err := fmt.Errorf("%s: %s is %s, want %s", k.name, shownSetting(raw, k.secret), yamlTypeName(raw), k.want)
			if k.want == textValue {
				if _, scalar := settingText(raw, intValue); scalar || yamlTypeName(raw) == "a boolean" {
					err = fmt.Errorf("%w (put it in quotes)", err)
				}
			}
			return err
		}
		if err := k.set(&Config{}, text); err != nil {
			if !strings.HasPrefix(err.Error(), k.name+":") {
				err = fmt.Errorf("%s: %w", k.name, err)
			}
			return err
		}
	}
	return nil
}

// lookupSetting finds a dotted key in nested settings; a section that is
// not a map of keys (sync: true) is an error.
func lookupSetting(settings map[string]any, key string) (any, bool, error) {
	cur := settings
	parts := strings.Split(key, ".")
	for i, part := range parts[:len(parts)-1] {
		v, ok := cur[part]
		if !ok || v == nil {
			return nil, false, nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			section := strings.Join(parts[:i+1], ".")
			return nil, false, fmt.Errorf("%s: %s is %s, want a section of keys such as %s", section,
				shownSetting(v, false), yamlTypeName(v), strings.Join(parts[:i+2], "."))
		}
		cur = m
	}
	v, ok := cur[parts[len(parts)-1]]
	return v, ok && v != nil && v != "", nil // empty, like absent, is unset
}

// settingText is a file's value as 'config set' would be given it, when it
// has the type t.
func settingText(raw any, t valueType) (string, bool) {
	switch v := raw.(type) {
	case string:
		return v, t == textValue || t == durationValue
	case bool:
		return strconv.FormatBool(v), t == boolValue
	case int:
		return strconv.Itoa(v), t == intValue
	case int64:
		return strconv.FormatInt(v, 10), t == intValue
	case uint64:
		return strconv.FormatUint(v, 10), t == intValue
	}
	return "", false
}

// yamlTypeName says what a value read from YAML is, for a message.
func yamlTypeName(raw any) string {
	switch raw.(type) {
	case string:
		return "text"
	case bool:
		return "a boolean"
	case int, int64, uint64:
		return "a whole number"
	case float64:
		return "a number with a fraction"
	case []any:
		return "a list"
	case map[string]any:
		return "a section of keys"
	case time.Time:
		return "a date"
	}
	return fmt.Sprintf("a %T", raw)
}

// shownSetting is a value of the file for a message: quoted text, the
// value of a number or a boolean, and nothing of a secret, a list or a
// section.
func shownSetting(raw any, secret bool) string {
	if secret {
		return "the value"
	}
	switch v := raw.(type) {
	case string:
		return strconv.Quote(v)
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(v)
	}
	return "the value"
}

// configHeader is the first line of a config.yaml reconnect writes.
const configHeader = "# reconnect settings for this machine; see 'reconnect config --help'\n"

// saveConfig writes cfg atomically with mode 0600.
func saveConfig(dir string, cfg *Config) error {
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "config.yaml")
	if err := fsutil.WriteFile(path, append([]byte(configHeader), data...), fsutil.FileMode); err != nil {
		return fmt.Errorf("write config %s: %w", path, err)
	}
	return nil
}

// Effective settings, with defaults applied.

func (c *Config) syncAuto() bool { return c.Sync.Auto == nil || *c.Sync.Auto }

func (c *Config) syncTimeout() time.Duration { return durationOr(c.Sync.Timeout, 10*time.Second) }

func (c *Config) syncInterval() time.Duration { return durationOr(c.Sync.Interval, 5*time.Minute) }

func (c *Config) unionEvery() int {
	if c.Union.Every == nil {
		return 7
	}
	return *c.Union.Every
}

func durationOr(s string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d
	}
	return def
}

// unsetConfig removes the dotted key from cfg, and the section it leaves
// empty; it reports whether the key was set. It goes through the YAML the
// struct writes, so it holds for every key of [configKeys].
func unsetConfig(cfg *Config, key string) (bool, error) {
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return false, err
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return false, err
	}
	parts := strings.Split(key, ".")
	cur, parents := m, []map[string]any{}
	for _, p := range parts[:len(parts)-1] {
		sub, ok := cur[p].(map[string]any)
		if !ok {
			return false, nil
		}
		parents = append(parents, cur)
		cur = sub
	}
	last := parts[len(parts)-1]
	if _, ok := cur[last]; !ok {
		return false, nil
	}
	delete(cur, last)
	for i := len(parents) - 1; i >= 0 && len(cur) == 0; i-- {
		delete(parents[i], parts[i])
		cur = parents[i]
	}
	out, err := yaml.Marshal(m)
	if err != nil {
		return false, err
	}
	var next Config
	if err := yaml.Unmarshal(out, &next); err != nil {
		return false, err
	}
	*cfg = next
	return true, nil
}
