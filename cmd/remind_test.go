package cmd

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// fakeNotifier records what it was asked to show.
type fakeNotifier struct {
	shown []string
	err   error
}

func (f *fakeNotifier) Notify(_ context.Context, title, body string) error {
	if f.err != nil {
		return f.err
	}
	f.shown = append(f.shown, title+": "+body)
	return nil
}

func TestRunRemind(t *testing.T) {
	ctx := context.Background()
	evening := time.Date(2026, 11, 21, 20, 0, 0, 0, time.Local)
	union := journal.New(journal.KindUnion, "sam", civil.Of(evening), evening)
	union.SetSection("Appreciations", "the soup")
	dir := nudgeJournal(t, union)
	state := t.TempDir()
	n := &fakeNotifier{}
	opts := func(now time.Time) (*remindOptions, *strings.Builder) {
		io, _, _ := bufferStreams()
		var sb strings.Builder
		io.ErrOut = &sb
		return &remindOptions{IO: io, Tonight: testTonight(dir, now, "19:00"), StateDir: func() string { return state },
			Notifier: func() notifier { return n }}, &sb
	}

	o, _ := opts(evening.Add(-3 * time.Hour))
	if err := runRemind(ctx, o); err != nil || len(n.shown) != 0 {
		t.Fatalf("before the evening: %v, %v", err, n.shown)
	}
	o, _ = opts(evening)
	if err := runRemind(ctx, o); err != nil {
		t.Fatal(err)
	}
	want := []string{"reconnect: ♥ Tonight's check-in, when you're ready · reconnect checkin"}
	if !slices.Equal(n.shown, want) {
		t.Fatalf("shown %q", n.shown)
	}
	o, _ = opts(evening.Add(time.Hour))
	if err := runRemind(ctx, o); err != nil || len(n.shown) != 1 {
		t.Errorf("twice an evening: %v, %q", err, n.shown)
	}

	// A notifier that fails is an error, and the evening is tried again.
	next := evening.AddDate(0, 0, 1)
	n.err = errors.New("no D-Bus session")
	o, _ = opts(next)
	if err := runRemind(ctx, o); err == nil || !strings.Contains(err.Error(), "no D-Bus session") {
		t.Errorf("failing notifier: %v", err)
	}
	n.err = nil
	o, _ = opts(next)
	if err := runRemind(ctx, o); err != nil || len(n.shown) != 2 {
		t.Errorf("after a failure: %v, %q", err, n.shown)
	}

	// No notifier: said once that evening, on stderr, exit 0.
	later := evening.AddDate(0, 0, 2)
	for i := range 2 {
		o, errOut := opts(later)
		o.Notifier = func() notifier { return nil }
		if err := runRemind(ctx, o); err != nil {
			t.Fatal(err)
		}
		said := strings.Contains(errOut.String(), "no notifier found (notify-send or osascript)")
		if said != (i == 0) {
			t.Errorf("run %d: %q", i, errOut)
		}
	}

	// Checked in: never.
	mine := journal.New(journal.KindCheckin, "sam", civil.Of(evening.AddDate(0, 0, 3)), evening)
	mine.SetSection("Rose", "a run")
	mine.Path = journal.PathFor(mine, nil)
	if err := (journal.Store{Root: dir}).Write(mine); err != nil {
		t.Fatal(err)
	}
	o, _ = opts(evening.AddDate(0, 0, 3))
	if err := runRemind(ctx, o); err != nil || len(n.shown) != 2 {
		t.Errorf("checked in: %v, %q", err, n.shown)
	}
}

func TestFindNotifier(t *testing.T) {
	found := func(name string) func(string) (string, error) {
		return func(p string) (string, error) {
			if p == name {
				return "/usr/bin/" + p, nil
			}
			return "", exec.ErrNotFound
		}
	}
	body := "♥ Alex checked in; rm -rf ~ \"$(x)\""
	n, ok := findNotifier("linux", found("notify-send")).(execNotifier)
	if !ok || n.path != "/usr/bin/notify-send" {
		t.Fatalf("linux: %+v", n)
	}
	if got := n.args("reconnect", body); !slices.Equal(got, []string{"--app-name=reconnect", "--", "reconnect", body}) {
		t.Errorf("notify-send args %q", got)
	}
	n, ok = findNotifier("darwin", found("osascript")).(execNotifier)
	if !ok {
		t.Fatal("darwin: no osascript")
	}
	got := n.args("reconnect", body)
	if got[len(got)-2] != "reconnect" || got[len(got)-1] != body || strings.Contains(strings.Join(got[:len(got)-2], " "), "Alex") {
		t.Errorf("osascript args %q: the text must be argv, never script", got)
	}
	if findNotifier("linux", found("nothing")) != nil || findNotifier("darwin", found("notify-send")) != nil {
		t.Errorf("a notifier out of nothing")
	}
}

// remindHome is options for --install and --uninstall in a temporary home.
func remindHome(t *testing.T, goos string, systemctl bool) (*remindOptions, string, *strings.Builder) {
	t.Helper()
	home := t.TempDir()
	io, _, _ := bufferStreams()
	var out strings.Builder
	io.Out = &out
	return &remindOptions{IO: io, GOOS: goos,
		Getenv: func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		},
		LookPath: func(p string) (string, error) {
			if p == "systemctl" && systemctl {
				return "/usr/bin/systemctl", nil
			}
			return "", exec.ErrNotFound
		},
		Executable: func() (string, error) { return "/opt/my apps/reconnect", nil },
	}, home, &out
}

func TestInstallRemindSystemd(t *testing.T) {
	ctx := context.Background()
	opts, home, out := remindHome(t, "linux", true)
	dir := filepath.Join(home, ".config", "systemd", "user")
	service, timer := filepath.Join(dir, "reconnect-remind.service"), filepath.Join(dir, "reconnect-remind.timer")

	opts.Install = true
	err := runRemind(ctx, opts)
	if exitCode(err) != exitUsage {
		t.Fatalf("off a terminal without --yes: %v", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("wrote something without --yes")
	}
	if !strings.Contains(out.String(), service) || !strings.Contains(out.String(), "    OnCalendar=*:0/15\n") {
		t.Errorf("not shown first:\n%s", out)
	}

	opts.Yes = true
	if err := runRemind(ctx, opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(service)
	if err != nil || !strings.Contains(string(data), "\nExecStart=\"/opt/my apps/reconnect\" remind\n") ||
		!strings.Contains(string(data), remindMarker) {
		t.Errorf("service: %v\n%s", err, data)
	}
	if data, err := os.ReadFile(timer); err != nil || string(data) != systemdTimer {
		t.Errorf("timer: %v\n%s", err, data)
	}
	if !strings.Contains(out.String(), "To start it: systemctl --user daemon-reload && systemctl --user enable --now reconnect-remind.timer\n") {
		t.Errorf("no start line:\n%s", out)
	}

	// Idempotent.
	out.Reset()
	if err := runRemind(ctx, opts); err != nil || strings.Count(out.String(), "Unchanged ") != 2 {
		t.Errorf("again: %v\n%s", err, out)
	}

	// --uninstall removes exactly what --install wrote, and the link
	// 'systemctl enable' made; nothing else.
	wants := filepath.Join(dir, "timers.target.wants")
	if err := os.MkdirAll(wants, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(timer, filepath.Join(wants, remindTimer)); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.timer")
	if err := os.WriteFile(other, []byte("[Timer]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts.Install, opts.Yes, opts.Uninstall = false, false, true
	out.Reset()
	if err := runRemind(ctx, opts); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{service, timer, filepath.Join(wants, remindTimer)} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("removed another file: %v", err)
	}
	if strings.Count(out.String(), "Removed ") != 3 {
		t.Errorf("said:\n%s", out)
	}

	// A file of that name that reconnect did not write is left alone.
	if err := os.WriteFile(service, []byte("[Service]\nExecStart=/bin/true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runRemind(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(service); err != nil {
		t.Errorf("removed a file reconnect did not write")
	}
	if !strings.Contains(out.String(), "Nothing to remove") {
		t.Errorf("said:\n%s", out)
	}
}

func TestInstallRemindConfirmsAtATerminal(t *testing.T) {
	for _, tc := range []struct {
		answer string
		wrote  bool
	}{{"y\n", true}, {"yes\n", true}, {"\n", false}, {"no\n", false}, {"", false}} {
		opts, home, out := remindHome(t, "linux", true)
		opts.IO.InTTY, opts.IO.OutTTY = true, true
		opts.IO.In = strings.NewReader(tc.answer)
		opts.Install = true
		if err := runRemind(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		_, err := os.Stat(filepath.Join(home, ".config", "systemd", "user", remindTimer))
		if (err == nil) != tc.wrote || !strings.Contains(out.String(), "Write them? [y/N] ") {
			t.Errorf("answer %q: wrote %v\n%s", tc.answer, err == nil, out)
		}
	}
}

func TestInstallRemindLaunchdAndCron(t *testing.T) {
	ctx := context.Background()
	opts, home, out := remindHome(t, "darwin", false)
	opts.Executable = func() (string, error) { return "/Applications/R&D/reconnect", nil }
	opts.Install, opts.Yes = true, true
	if err := runRemind(ctx, opts); err != nil {
		t.Fatal(err)
	}
	plist := filepath.Join(home, "Library", "LaunchAgents", "app.reconnect.remind.plist")
	data, err := os.ReadFile(plist)
	if err != nil || !strings.Contains(string(data), "<string>/Applications/R&amp;D/reconnect</string>") ||
		!strings.Contains(string(data), "<integer>900</integer>") {
		t.Errorf("plist: %v\n%s", err, data)
	}
	if !strings.Contains(out.String(), "To start it: launchctl load -w ") {
		t.Errorf("said:\n%s", out)
	}
	opts.Install, opts.Yes, opts.Uninstall = false, false, true
	if err := runRemind(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(plist); err == nil {
		t.Errorf("plist not removed")
	}

	// No systemd: a crontab line, nothing written.
	opts, home, out = remindHome(t, "linux", false)
	opts.Install = true
	if err := runRemind(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\n  */15 * * * * \"/opt/my apps/reconnect\" remind\n") {
		t.Errorf("said:\n%s", out)
	}
	if names, _ := os.ReadDir(home); len(names) != 0 {
		t.Errorf("wrote %v", names)
	}
}

func TestSystemdArg(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/reconnect":        "/usr/bin/reconnect",
		"/opt/my apps/reconnect":    `"/opt/my apps/reconnect"`,
		"/home/s/100%/reconnect":    "/home/s/100%%/reconnect",
		`/x/it"s\reconnect`:         `"/x/it\"s\\reconnect"`,
		"/home/$USER/bin/reconnect": "/home/$$USER/bin/reconnect",
	} {
		if got := systemdArg(in); got != want {
			t.Errorf("systemdArg(%q) = %s, want %s", in, got, want)
		}
	}
	opts, _, _ := remindHome(t, "linux", true)
	opts.Executable = func() (string, error) { return "/tmp/a\nb", nil }
	opts.Install, opts.Yes = true, true
	if err := runRemind(context.Background(), opts); exitCode(err) != exitUsage {
		t.Errorf("a control character in the path: %v", err)
	}
}

func TestRemindFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{nil, true}, {[]string{"--install"}, true}, {[]string{"--install", "--yes"}, true},
		{[]string{"--uninstall"}, true}, {[]string{"--install", "--uninstall"}, false}, {[]string{"--yes"}, false},
	} {
		var got *remindOptions
		app := NewApp(&IOStreams{In: strings.NewReader("")}, "test")
		c := newRemindCmd(app, func(_ context.Context, o *remindOptions) error { got = o; return nil })
		c.SetArgs(tc.args)
		c.SilenceErrors, c.SilenceUsage = true, true
		err := c.Execute()
		if (err == nil) != tc.ok || (tc.ok && got == nil) {
			t.Errorf("%v: %v", tc.args, err)
		}
	}
}
