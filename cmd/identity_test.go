package cmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nameless is a test App where no name is given anywhere and the login
// name is root.
func nameless(t *testing.T, tty bool) (*App, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	a, out, errOut := testApp(t, tty)
	env := a.Getenv
	a.Getenv = func(k string) string {
		switch k {
		case "RECONNECT_AUTHOR", "RECONNECT_NAME":
			return ""
		case "USER":
			return "root"
		}
		return env(k)
	}
	return a, out, errOut
}

// The first write with no name asks for it at a terminal, the login name
// offered, and keeps the answer as config name: the next write does not ask.
func TestFirstWriteAsksForTheName(t *testing.T) {
	a, out, errOut := nameless(t, true)
	p := &fakePrompter{answers: map[string]string{"name": " Zoë "}}
	a.Prompter = p
	if code := a.Run([]string{"thanks", "For the tea"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(p.asked) != 1 || p.asked[0].Key != "name" || p.asked[0].Value != "root" {
		t.Fatalf("asked %+v, want the name with root offered", p.asked)
	}
	if !strings.Contains(out.String(), "thanks-zoe-") {
		t.Errorf("not written as zoe:\n%s", out)
	}
	if !strings.Contains(errOut.String(), "your name is zoe, saved in") {
		t.Errorf("not said where the name went:\n%s", errOut)
	}
	cfg, err := os.ReadFile(filepath.Join(a.cfgDir, "config.yaml"))
	if err != nil || !strings.Contains(string(cfg), "name: zoe") {
		t.Fatalf("config: %s, %v", cfg, err)
	}
	out.Reset()
	if code := a.Run([]string{"thanks", "For the walk"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(p.asked) != 1 || !strings.Contains(out.String(), "thanks-zoe-") {
		t.Errorf("second write: asked %d times, wrote:\n%s", len(p.asked), out)
	}
}

// Nothing typed is the login name offered; a name that cannot be one is
// exit 2 and nothing is written.
func TestFirstWriteAnswers(t *testing.T) {
	for _, tc := range []struct {
		typed string
		code  int
		want  string
	}{
		{"", 0, "thanks-root-"},
		{"Sam Jones", 0, "thanks-sam-jones-"},
		{"¿?", 2, ""},
	} {
		a, out, errOut := nameless(t, true)
		a.Prompter = &fakePrompter{answers: map[string]string{"name": tc.typed}}
		if code := a.Run([]string{"thanks", "For the tea"}); code != tc.code {
			t.Errorf("%q: exit %d, want %d: %s", tc.typed, code, tc.code, errOut)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%q: wrote %s, want %s", tc.typed, out, tc.want)
		}
	}
}

// Off a terminal, the first write is the login name's and says so, once.
func TestFirstWriteOffATerminal(t *testing.T) {
	a, out, errOut := nameless(t, false)
	line := "reconnect: writing as root (your login name); to choose your name: reconnect config set name NAME"
	// A write that fails does not count: the next one says it again.
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := a.Run([]string{"--journal", file, "thanks", "For the tea"}); code != exitUsage || !strings.Contains(errOut.String(), line) {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	for i := range 2 {
		errOut.Reset()
		if code := a.Run([]string{"thanks", "For the tea"}); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if said := strings.Contains(errOut.String(), line); said != (i == 0) {
			t.Errorf("write %d: said %v:\n%s", i+1, said, errOut)
		}
	}
	if strings.Count(out.String(), "thanks-root-") != 2 {
		t.Errorf("not written as root:\n%s", out)
	}
}

// Reads never ask, and say nothing of the name.
func TestReadsNeverAskTheName(t *testing.T) {
	a, _, errOut := nameless(t, true)
	p := &fakePrompter{}
	a.Prompter = p
	for _, args := range [][]string{{"log"}, {"stats"}, {"config", "list"}} {
		a.Run(args)
	}
	if len(p.asked) != 0 || strings.Contains(errOut.String(), "login name") {
		t.Errorf("asked %+v, said:\n%s", p.asked, errOut)
	}
}

// --author is never who you are: where a command has no --author, the
// error says --as is.
func TestAuthorIsNotIdentity(t *testing.T) {
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"--author", "alex", "checkin", "--rose", "x"}, "reconnect --as alex checkin"},
		{[]string{"thanks", "--author=alex", "x"}, "reconnect --as alex thanks"},
		{[]string{"--author", "alex"}, "reconnect --as alex;"},
		{[]string{"--author", "../x", "win", "x"}, "reconnect --as NAME win"},
	} {
		a, _, errOut := testApp(t, false)
		if code := a.Run(tc.args); code != exitUsage {
			t.Errorf("%v: exit %d", tc.args, code)
		}
		if !strings.Contains(errOut.String(), "unknown flag: --author") || !strings.Contains(errOut.String(), "hint: who you are is --as: "+tc.hint) {
			t.Errorf("%v:\n%s", tc.args, errOut)
		}
	}
	// Any other unknown flag keeps the usual hint.
	a, _, errOut := testApp(t, false)
	if code := a.Run([]string{"checkin", "--colour"}); code != exitUsage || !strings.Contains(errOut.String(), "see 'reconnect checkin --help'") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}

// --as, RECONNECT_NAME and RECONNECT_AUTHOR name who writes.
func TestAsNamesWhoWrites(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--as", "kim", "thanks", "x"}, "thanks-kim-"},
		{map[string]string{"RECONNECT_NAME": "jo", "RECONNECT_AUTHOR": "lee"}, []string{"thanks", "x"}, "thanks-jo-"},
		{map[string]string{"RECONNECT_AUTHOR": "lee"}, []string{"thanks", "x"}, "thanks-lee-"},
		{map[string]string{"RECONNECT_NAME": "jo"}, []string{"--as", "kim", "thanks", "x"}, "thanks-kim-"},
	} {
		a, out, errOut := nameless(t, false)
		env := a.Getenv
		a.Getenv = func(k string) string {
			if v, ok := tc.env[k]; ok {
				return v
			}
			return env(k)
		}
		if code := a.Run(tc.args); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
		if !strings.Contains(out.String(), tc.want) || strings.Contains(errOut.String(), "login name") {
			t.Errorf("%v %v: wrote %s, said %s", tc.env, tc.args, out, errOut)
		}
	}
}

// config list says a name given nowhere is the login name.
func TestConfigListLoginName(t *testing.T) {
	a, out, errOut := nameless(t, false)
	if code := a.Run([]string{"config", "list"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "name = root (your login name)\n") {
		t.Errorf("config list:\n%s", out)
	}
	out.Reset()
	if code := a.Run([]string{"config", "list", "--json"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), `"value": "root",`) || !strings.Contains(out.String(), `"source": "login"`) {
		t.Errorf("config list --json:\n%s", out)
	}
}

// The constructors of config, repair, version and rename fill their
// Options; runF sees them instead of the command running.
func TestSetupCommandFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var get *configGetOptions
	if err := execFlags(t, newConfigGetCmd(a, func(_ context.Context, o *configGetOptions) error { get = o; return nil }), "name"); err != nil {
		t.Fatal(err)
	}
	if get.Key != "name" || get.IO != a.IO || get.Config == nil {
		t.Errorf("config get: %+v", get)
	}
	var set *configSetOptions
	if err := execFlags(t, newConfigSetCmd(a, func(_ context.Context, o *configSetOptions) error { set = o; return nil }), "name", "sam"); err != nil {
		t.Fatal(err)
	}
	if set.Key != "name" || set.Value != "sam" || set.Config == nil || set.ConfigDir == nil {
		t.Errorf("config set: %+v", set)
	}
	var list *configListOptions
	if err := execFlags(t, newConfigListCmd(a, func(_ context.Context, o *configListOptions) error { list = o; return nil }), "--json"); err != nil {
		t.Fatal(err)
	}
	if !list.JSON || list.Setting == nil || list.ConfigDir == nil {
		t.Errorf("config list: %+v", list)
	}
	var repair *repairOptions
	if err := execFlags(t, newRepairCmd(a, func(_ context.Context, o *repairOptions) error { repair = o; return nil }), "--json"); err != nil {
		t.Fatal(err)
	}
	if !repair.JSON || repair.OpenJournal == nil {
		t.Errorf("repair: %+v", repair)
	}
	var version *versionOptions
	if err := execFlags(t, newVersionCmd(a, func(_ context.Context, o *versionOptions) error { version = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if version.Version != "test" {
		t.Errorf("version: %+v", version)
	}
	var rename *renameOptions
	if err := execFlags(t, newRenameCmd(a, func(_ context.Context, o *renameOptions) error { rename = o; return nil }), "root", "sam"); err != nil {
		t.Fatal(err)
	}
	if rename.Old != "root" || rename.New != "sam" || rename.WriteAs == nil || rename.SaveName == nil || rename.Author == nil {
		t.Errorf("rename: %+v", rename)
	}
	rename = nil
	if err := execFlags(t, newRenameCmd(a, func(_ context.Context, o *renameOptions) error { rename = o; return nil }), "root"); exitCode(err) != exitUsage || rename != nil {
		t.Errorf("rename with one name: %v", err)
	}
}

// runConfigSet and runConfigList take what they use.
func TestRunConfig(t *testing.T) {
	io, out, _ := bufferStreams()
	cfg := &Config{}
	dir := t.TempDir()
	if err := runConfigSet(context.Background(), &configSetOptions{IO: io, Config: func() *Config { return cfg },
		ConfigDir: func() string { return dir }, Key: "name", Value: "sam"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "sam" || out.String() != "name = sam\n" {
		t.Errorf("set: %+v, %q", cfg, out)
	}
	out.Reset()
	k, _ := findConfigKey("name")
	if err := runConfigList(context.Background(), &configListOptions{IO: io, ConfigDir: func() string { return dir },
		Setting: func(key string) setting {
			if key == "name" {
				return setting{key: k, value: "sam", source: fromEnv, origin: "RECONNECT_NAME"}
			}
			kk, _ := findConfigKey(key)
			return setting{key: kk, source: fromUnset}
		}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "name = sam (environment RECONNECT_NAME)\n") {
		t.Errorf("list:\n%s", out)
	}
}

// The real form: Enter takes the login name offered; typing replaces it.
func TestAskNameHuh(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"\r"}, "root"},
		{[]string{"\x7f\x7f\x7f\x7f", "Sam", "\r"}, "sam"},
	} {
		done := make(chan struct{})
		p := huhPrompter{in: &keysReader{chunks: tc.keys, done: done}, out: io.Discard}
		got, err := askName(t.Context(), p, "root")
		close(done)
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.keys, got, err, tc.want)
		}
	}
}
