package cmd

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A value of the wrong type in config.yaml is an error naming the file, the
// key and the type wanted, exit 2; never ignored for a default.
func TestConfigFileTypes(t *testing.T) {
	for _, tc := range []struct {
		file string
		want string // in the error; "" for a file that loads
	}{
		{"name: sam\nsync:\n  auto: false\n  timeout: 30s\n  interval: 10m\nunion:\n  every: 14\n", ""},
		{"name: \"\"\nsync:\n  timeout:\n", ""},
		{"sync:\n  auto: \"yes\"\n", `sync.auto: "yes" is text, want true or false`},
		{"sync:\n  auto: 1\n", "sync.auto: 1 is a whole number, want true or false"},
		{"sync:\n  timeout: 10\n", "sync.timeout: 10 is a whole number, want a duration like 10s or 5m"},
		{"sync:\n  interval: -5m\n", `sync.interval: "-5m" is not a duration`},
		{"union:\n  every: weekly\n", `union.every: "weekly" is text, want a whole number`},
		{"union:\n  every: 7.5\n", "union.every: 7.5 is a number with a fraction, want a whole number"},
		{"union:\n  every: 0\n", `union.every: "0" is not a number of days from 1 to 365`},
		{"sync: true\n", "sync: true is a boolean, want a section of keys"},
		{"name: [a, b]\n", "name: the value is a list, want text"},
		{"name: 42\n", "name: 42 is a whole number, want text (put it in quotes)"},
		{"name: Alex Smith\n", `name: bad author name "Alex Smith"`},
		{"sync:\n  token: 12345678\n", "sync.token: the value is a whole number, want text (put it in quotes)"},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadConfig(dir)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.file, err)
		case tc.want == "":
		case err == nil:
			t.Errorf("%q loaded, want an error with %q", tc.file, tc.want)
		case !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path):
			t.Errorf("%q: %v, want the file and %q", tc.file, err, tc.want)
		case exitCode(err) != exitUsage:
			t.Errorf("%q: exit %d, want 2", tc.file, exitCode(err))
		case strings.Contains(err.Error(), "12345678"):
			t.Errorf("the error shows the token: %v", err)
		}
		var he *hintError
		if err != nil && !errors.As(err, &he) {
			t.Errorf("%q: no hint", tc.file)
		}
	}
}

// 'config set' refuses a value of the wrong type with exit 2, and the file
// keeps what it held.
func TestConfigSetRefusesWrongTypes(t *testing.T) {
	for _, kv := range [][2]string{
		{"sync.auto", "yes please"}, {"sync.timeout", "10"}, {"sync.interval", "soon"},
		{"union.every", "weekly"}, {"union.every", "7.5"}, {"union.every", "0"}, {"name", "-sam"},
	} {
		a, _, errOut := testApp(t, false)
		if code := a.Run([]string{"config", "set", kv[0], kv[1]}); code != exitUsage {
			t.Errorf("config set %s %q: exit %d, want 2 (%s)", kv[0], kv[1], code, errOut)
		}
		if _, err := os.Stat(filepath.Join(a.Getenv("RECONNECT_CONFIG_DIR"), "config.yaml")); err == nil {
			t.Errorf("config set %s %q wrote the file", kv[0], kv[1])
		}
	}
}

// The file is decoded straight into Config, every key to its field.
func TestLoadConfigFillsEveryField(t *testing.T) {
	dir := t.TempDir()
	file := "name: sam\njournal: /j\nsync:\n  auto: false\n  timeout: 30s\n  interval: 10m\n  ssh_key: /k\n  token: \"t0k\"\nunion:\n  every: 14\nnudge:\n  after: \"20:30\"\nother: kept\n"
	file += "drift:\n  enabled: false\n  days: 9\n" // drift.go
	file += "calendar:\n  alarm: 45m\n"             // calendar_alarm.go
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range configKeys() {
		if k.get(cfg) == "" {
			t.Errorf("%s not read", k.name)
		}
	}
	if cfg.Sync.SSHKey != "/k" || *cfg.Union.Every != 14 || *cfg.Sync.Auto {
		t.Errorf("read %+v", cfg)
	}
}
