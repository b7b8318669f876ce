package cmd

import (
	"strings"
	"testing"
)

func TestColorOn(t *testing.T) {
	for _, tc := range []struct {
		mode string
		tty  bool
		env  map[string]string
		want bool
	}{
		{mode: "auto", tty: true, env: nil, want: true},
		{mode: "auto", tty: false, env: nil, want: false},
		{mode: "auto", tty: true, env: map[string]string{"TERM": "dumb"}, want: false},
		{mode: "auto", tty: true, env: map[string]string{"NO_COLOR": "1"}, want: false},
		{mode: "auto", tty: true, env: map[string]string{"NO_COLOR": ""}, want: true}, // empty is unset
		{mode: "auto", tty: true, env: map[string]string{"CLICOLOR": "0"}, want: false},
		{mode: "auto", tty: false, env: map[string]string{"CLICOLOR_FORCE": "1"}, want: true},
		{mode: "auto", tty: false, env: map[string]string{"CLICOLOR_FORCE": "0"}, want: false},
		{mode: "auto", tty: false, env: map[string]string{"CLICOLOR_FORCE": ""}, want: false},
		{mode: "auto", tty: true, env: map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, want: true},
		{mode: "auto", tty: false, env: map[string]string{"CLICOLOR_FORCE": "yes", "TERM": "dumb"}, want: true},
		{mode: "always", tty: false, env: map[string]string{"NO_COLOR": "1"}, want: true},
		{mode: "always", tty: false, env: map[string]string{"TERM": "dumb"}, want: true},
		{mode: "never", tty: true, env: map[string]string{"CLICOLOR_FORCE": "1"}, want: false},
		{mode: "never", tty: true, env: nil, want: false},
	} {
		getenv := func(k string) string { return tc.env[k] }
		if got := colorOn(tc.mode, tc.tty, getenv); got != tc.want {
			t.Errorf("colorOn(%s, tty=%v, %v) = %v, want %v", tc.mode, tc.tty, tc.env, got, tc.want)
		}
	}
}

func TestSetColorMode(t *testing.T) {
	s := &IOStreams{Pager: "less"}
	s.FromEnv(func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] })
	if s.Color || s.Pager != "" {
		t.Fatalf("off a terminal: colour %v, pager %q", s.Color, s.Pager)
	}
	if err := s.SetColorMode("always", true); err != nil || !s.Color || s.Pager != "" {
		t.Errorf("always: colour %v, pager %q, %v", s.Color, s.Pager, err)
	}
	if err := s.SetColorMode("never", false); err != nil || s.Color {
		t.Errorf("never: colour %v, %v", s.Color, err)
	}
	if err := s.SetColorMode("sometimes", false); exitCode(err) != exitUsage {
		t.Errorf("sometimes: %v (exit %d), want exit 2", err, exitCode(err))
	}
	tty := &IOStreams{OutTTY: true}
	tty.FromEnv(func(k string) string { return map[string]string{"PAGER": "most -s"}[k] })
	if tty.Pager != "most -s" {
		t.Errorf("PAGER: %q", tty.Pager)
	}
	if _ = tty.SetColorMode("auto", true); tty.Pager != "" {
		t.Errorf("--no-pager left %q", tty.Pager)
	}
	tty.FromEnv(func(k string) string {
		return map[string]string{"PAGER": "most", "RECONNECT_PAGER": "less -S"}[k]
	})
	if tty.Pager != "less -S" {
		t.Errorf("RECONNECT_PAGER: %q", tty.Pager)
	}
}

// --quiet drops what a write prints once it has saved, and only then;
// the "Synced:" notes go with it, other notes stay; it lasts one command.
func TestQuietAfterAWrite(t *testing.T) {
	a, out, errOut := testApp(t, false)
	if code := a.Run([]string{"thanks", "--quiet", "For the tea"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out.Len() != 0 {
		t.Errorf("thanks --quiet printed %q", out)
	}
	if code := a.Run([]string{"log", "-q"}); code != 0 || !strings.Contains(out.String(), "For the tea") {
		t.Errorf("log -q: exit %d, %q", code, out)
	}
	out.Reset()
	if code := a.Run([]string{"thanks", "For the walk"}); code != 0 || !strings.Contains(out.String(), "Saved") {
		t.Errorf("thanks after a quiet one: exit %d, %q", code, out)
	}
	hushed := false
	var b strings.Builder
	s := &IOStreams{Out: &b, ErrOut: &b}
	s.SetQuiet(func() bool { return hushed })
	s.Errorf("before\n")
	hushed = true
	s.Printf("✓ Saved\n")
	s.Errorf("↻ Synced: sent 1 change.\n")
	s.Errorf("! Both of you changed the same thing\n")
	if got := b.String(); got != "before\n! Both of you changed the same thing\n" {
		t.Errorf("quiet streams wrote %q", got)
	}
}
