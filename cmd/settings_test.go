package cmd

import (
	"testing"

	"github.com/spf13/pflag"
)

// The precedence chain: a flag given, then the environment, then the file,
// then the default; each value says where it came from.
func TestSettingsPrecedence(t *testing.T) {
	five := 5
	for _, tc := range []struct {
		name        string
		args        []string
		env         map[string]string
		cfg         Config
		key         string
		value, from string
	}{
		{"flag over all", []string{"--as", "kim"}, map[string]string{"RECONNECT_NAME": "jo", "RECONNECT_AUTHOR": "lee"}, Config{Name: "alex"}, "name", "kim", fromFlag},
		{"env over file", nil, map[string]string{"RECONNECT_AUTHOR": "jo"}, Config{Name: "alex"}, "name", "jo", fromEnv},
		{"RECONNECT_NAME over file", nil, map[string]string{"RECONNECT_NAME": "jo"}, Config{Name: "alex"}, "name", "jo", fromEnv},
		{"RECONNECT_NAME over RECONNECT_AUTHOR", nil, map[string]string{"RECONNECT_NAME": "jo", "RECONNECT_AUTHOR": "lee"}, Config{Name: "alex"}, "name", "jo", fromEnv},
		{"empty env is unset", nil, map[string]string{"RECONNECT_AUTHOR": "", "RECONNECT_NAME": ""}, Config{Name: "alex"}, "name", "alex", fromFile},
		{"empty flag is unset", []string{"--as", ""}, nil, Config{Name: "alex"}, "name", "alex", fromFile},
		{"no name anywhere", nil, nil, Config{}, "name", "", fromUnset},
		{"file", nil, nil, Config{Journal: "/j"}, "journal", "/j", fromFile},
		{"journal flag", []string{"--journal", "/f"}, map[string]string{"RECONNECT_JOURNAL": "/e"}, Config{Journal: "/j"}, "journal", "/f", fromFlag},
		{"unset", nil, nil, Config{}, "journal", "", fromUnset},
		{"default", nil, nil, Config{}, "union.every", "7", fromDefault},
		{"file over default", nil, nil, Config{Union: struct {
			Every *int `yaml:"every,omitempty" mapstructure:"every"`
		}{&five}}, "union.every", "5", fromFile},
		{"token from env", nil, map[string]string{"RECONNECT_TOKEN": "t"}, Config{Sync: SyncConfig{Token: "f"}}, "sync.token", "t", fromEnv},
		{"no flag for a file key", []string{"--as", "kim"}, nil, Config{Sync: SyncConfig{Interval: "1m"}}, "sync.interval", "1m", fromFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &App{Getenv: func(k string) string { return tc.env[k] }, cfg: &tc.cfg, cfgDir: t.TempDir()}
			fs := pflag.NewFlagSet("reconnect", pflag.ContinueOnError)
			fs.StringVar(&a.global.name, "as", "", "")
			fs.StringVar(&a.global.journal, "journal", "", "")
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			if err := a.bindSettings(fs); err != nil {
				t.Fatal(err)
			}
			s := a.setting(tc.key)
			if s.value != tc.value || s.source != tc.from {
				t.Errorf("%s = %q from %s, want %q from %s", tc.key, s.value, s.source, tc.value, tc.from)
			}
		})
	}
}
