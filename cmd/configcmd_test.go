package cmd

import (
	"context"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestUnsetConfig(t *testing.T) {
	full := func() *Config {
		c := &Config{Name: "sam", Journal: "/j"}
		c.Sync.Timeout, c.Sync.Interval, c.Sync.Auto = "20s", "10m", boolPtr(false)
		n := 14
		c.Union.Every = &n
		return c
	}
	for _, tc := range []struct {
		key  string
		was  bool
		want string // the YAML left
	}{
		{"name", true, "journal: /j\nsync:\n    auto: false\n    timeout: 20s\n    interval: 10m\nunion:\n    every: 14\n"},
		{"sync.interval", true, "name: sam\njournal: /j\nsync:\n    auto: false\n    timeout: 20s\nunion:\n    every: 14\n"},
		{"union.every", true, "name: sam\njournal: /j\nsync:\n    auto: false\n    timeout: 20s\n    interval: 10m\n"},
		{"sync.auto", true, "name: sam\njournal: /j\nsync:\n    timeout: 20s\n    interval: 10m\nunion:\n    every: 14\n"},
		{"sync.token", false, "name: sam\njournal: /j\nsync:\n    auto: false\n    timeout: 20s\n    interval: 10m\nunion:\n    every: 14\n"},
		{"drift.days", false, "name: sam\njournal: /j\nsync:\n    auto: false\n    timeout: 20s\n    interval: 10m\nunion:\n    every: 14\n"},
	} {
		c := full()
		was, err := unsetConfig(c, tc.key)
		if err != nil || was != tc.was {
			t.Errorf("unset %s: was %v, %v", tc.key, was, err)
		}
		out, _ := yaml.Marshal(c)
		if string(out) != tc.want {
			t.Errorf("unset %s left:\n%s\nwant:\n%s", tc.key, out, tc.want)
		}
	}
	// The last key of a section takes the section with it.
	c := &Config{}
	c.Sync.Timeout = "5s"
	if was, _ := unsetConfig(c, "sync.timeout"); !was {
		t.Fatal("sync.timeout was set")
	}
	if out, _ := yaml.Marshal(c); string(out) != "{}\n" {
		t.Errorf("left %q", out)
	}
}

// The new commands' constructors fill their options and read their flags.
func TestConfigAndVersionOptions(t *testing.T) {
	a, _, _ := testApp(t, false)
	var unset *configUnsetOptions
	if err := execFlags(t, newConfigUnsetCmd(a, func(_ context.Context, o *configUnsetOptions) error { unset = o; return nil }), "sync.timeout"); err != nil {
		t.Fatal(err)
	}
	if unset.Key != "sync.timeout" || unset.Config == nil || unset.ConfigDir == nil || unset.IO == nil {
		t.Errorf("config unset: %+v", unset)
	}
	var edit *configEditOptions
	if err := execFlags(t, newConfigEditCmd(a, func(_ context.Context, o *configEditOptions) error { edit = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if edit.Editor == nil || edit.Getenv == nil || edit.ConfigDir == nil {
		t.Errorf("config edit: %+v", edit)
	}
	var path *configPathOptions
	if err := execFlags(t, newConfigPathCmd(a, func(_ context.Context, o *configPathOptions) error { path = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if path.ConfigDir == nil {
		t.Errorf("config path: %+v", path)
	}
	var version *versionOptions
	if err := execFlags(t, newVersionCmd(a, func(_ context.Context, o *versionOptions) error { version = o; return nil }), "--json"); err != nil {
		t.Fatal(err)
	}
	if !version.JSON || version.Version != "test" || version.Build.Version != "test" {
		t.Errorf("version: %+v", version)
	}
	var remote *remoteOptions
	if err := execFlags(t, newRemoteCmd(a, func(_ context.Context, o *remoteOptions) error { remote = o; return nil }), "--json"); err != nil {
		t.Fatal(err)
	}
	if !remote.JSON || remote.Set {
		t.Errorf("remote: %+v", remote)
	}
	if err := execFlags(t, newRemoteCmd(a, nil), "--json", "/x.git"); exitCode(err) != exitUsage {
		t.Errorf("remote --json URL: %v", err)
	}
}
