package cmd

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// notifier shows one desktop notification.
type notifier interface {
	Notify(ctx context.Context, title, body string) error
}

// execNotifier runs a program with the title and body as arguments of
// their own, never through a shell.
type execNotifier struct {
	path string
	args func(title, body string) []string
}

// notifyTimeout is how long a notifier may take.
const notifyTimeout = 10 * time.Second

func (n execNotifier) Notify(ctx context.Context, title, body string) error {
	ctx, cancel := context.WithTimeout(ctx, notifyTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, n.path, n.args(title, body)...).CombinedOutput()
	if err != nil {
		if msg := strings.TrimSpace(string(out)); msg != "" {
			return fmt.Errorf("%s: %w: %s", filepath.Base(n.path), err, oneLine(msg))
		}
		return fmt.Errorf("%s: %w", filepath.Base(n.path), err)
	}
	return nil
}

// findNotifier is the desktop's notifier: notify-send on Linux and other
// Unix desktops, osascript on macOS; nil when there is none.
func findNotifier(goos string, lookPath func(string) (string, error)) notifier {
	if goos == "darwin" {
		if p, err := lookPath("osascript"); err == nil {
			// The text reaches AppleScript as argv, never as script.
			return execNotifier{path: p, args: func(title, body string) []string {
				return []string{"-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)",
					"-e", "end run", title, body}
			}}
		}
		return nil
	}
	if p, err := lookPath("notify-send"); err == nil {
		return execNotifier{path: p, args: func(title, body string) []string {
			return []string{"--app-name=reconnect", "--", title, body}
		}}
	}
	return nil
}

// remindOptions is what 'remind' uses: its dependencies, then its flags.
type remindOptions struct {
	IO      *IOStreams
	Tonight tonight
	Getenv  func(string) string
	// StateDir is where the evening last reminded of is kept.
	StateDir func() string
	// Notifier is the desktop's notifier, nil when there is none.
	Notifier func() notifier
	// GOOS and LookPath decide how --install sets the reminder up.
	GOOS       string
	LookPath   func(string) (string, error)
	Executable func() (string, error)

	Install, Uninstall, Yes bool
}

// newRemindCmd is 'remind'. runF runs it, given the options filled from
// the flags; nil is runRemind (tests pass their own to see how flags are
// read).
func newRemindCmd(a *App, runF func(context.Context, *remindOptions) error) *cobra.Command {
	if runF == nil {
		runF = runRemind
	}
	opts := &remindOptions{IO: a.IO, Tonight: tonightFrom(a), Getenv: a.Getenv, StateDir: a.stateDir,
		Notifier: func() notifier { return findNotifier(runtime.GOOS, exec.LookPath) },
		GOOS:     runtime.GOOS, LookPath: exec.LookPath, Executable: os.Executable}
	c := &cobra.Command{
		Use:   "remind",
		Short: "A desktop notification, once an evening, when something waits",
		Long: `Show a desktop notification when something is waiting for you this
evening: what 'reconnect nudge' would say, after nudge.after (19:00 unless
set). At most once an evening, and never once you have checked in today.
Run it as often as you like; --install has it run every 15 minutes.

It uses notify-send on Linux (from libnotify) and osascript on macOS. With
neither, it says so on stderr once that evening, and exits 0. The evening
last reminded of is kept on this computer only, in $XDG_STATE_HOME/reconnect
(or ~/.local/state/reconnect).

--install shows the files it will write, asks at a terminal (or needs
--yes), and writes them: a systemd user timer on Linux with systemd
(~/.config/systemd/user/reconnect-remind.service and .timer), a launchd
agent on macOS (~/Library/LaunchAgents/app.reconnect.remind.plist).
It does not start them: it prints the one line that does. Elsewhere it
prints a crontab line and writes nothing. --uninstall removes exactly the
files --install wrote.`,
		Example: `  reconnect remind
  reconnect remind --install
  reconnect remind --install --yes    # from a script
  reconnect remind --uninstall`,
		Args: exactArgs(0, "no arguments"),
		PreRunE: func(*cobra.Command, []string) error {
			if opts.Install && opts.Uninstall {
				return usagef("--install and --uninstall go one at a time")
			}
			if opts.Yes && !opts.Install {
				return usagef("--yes goes with --install")
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.Install, "install", false, "run it every 15 minutes: a systemd user timer, a launchd agent or a crontab line")
	c.Flags().BoolVar(&opts.Uninstall, "uninstall", false, "remove what --install wrote")
	c.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "with --install: write the files without asking")
	return c
}

// remindState is the evening last reminded of, for one journal and name.
type remindState struct {
	Evening string `json:"evening"`
}

func remindStatePath(stateDir, journalDir, who string) string {
	sum := sha256.Sum256([]byte(journalDir))
	return filepath.Join(stateDir, "remind-"+hex.EncodeToString(sum[:8])+"-"+who+".json")
}

func runRemind(ctx context.Context, opts *remindOptions) error {
	switch {
	case opts.Install:
		return installRemind(opts)
	case opts.Uninstall:
		return uninstallRemind(opts)
	}
	w, who, dir, err := opts.Tonight.waiting()
	if err != nil || len(w) == 0 {
		return err
	}
	evening := civil.Of(opts.Tonight.Now()).String()
	path := remindStatePath(opts.StateDir(), dir, who)
	var st remindState
	if data, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(data, &st) // a broken file is an evening not yet reminded of
	}
	if st.Evening == evening {
		return nil
	}
	body := oneLine(nudgeLine(w, Palette{}))
	if n := opts.Notifier(); n == nil {
		opts.IO.Errorf("reconnect: no notifier found (notify-send or osascript): %s\n", body)
	} else if err := n.Notify(ctx, "reconnect", body); err != nil {
		return fmt.Errorf("show a notification: %w", err)
	}
	data, _ := json.Marshal(remindState{Evening: evening})
	if err := fsutil.WriteFile(path, data, fsutil.FileMode); err != nil {
		return fmt.Errorf("remember tonight's reminder: %w", err)
	}
	return nil
}

// remindMarker is in every file --install writes; --uninstall removes only
// files that hold it.
const remindMarker = "Written by 'reconnect remind --install'; 'reconnect remind --uninstall' removes it."

// remindTimer is the systemd timer's unit name.
const remindTimer = "reconnect-remind.timer"

// remindPlan is how the reminder is set up on this system: the files to
// write, the line that starts it, or (files empty) a crontab line.
type remindPlan struct {
	files []plannedFile
	start string // the command that starts it once written
	stop  string // the command that stops what is still loaded once removed
	// links are where enabling it links to one of files; --uninstall
	// removes such a link with the file.
	links []string
	cron  string
}

type plannedFile struct{ path, content string }

// planRemind is the setup for exe: systemd on Linux with systemctl, launchd
// on macOS, a crontab line elsewhere.
func planRemind(opts *remindOptions, exe string) (remindPlan, error) {
	if strings.ContainsFunc(exe, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return remindPlan{}, usagef("the path of reconnect has a control character: %s", oneLine(exe))
	}
	home := homeDir(opts.Getenv)
	switch {
	case opts.GOOS == "darwin":
		path := filepath.Join(home, "Library", "LaunchAgents", "app.reconnect.remind.plist")
		return remindPlan{files: []plannedFile{{path, launchdPlist(exe)}},
			start: "launchctl load -w " + shellQuote(path), stop: "launchctl remove app.reconnect.remind"}, nil
	case opts.GOOS == "linux" && hasSystemctl(opts.LookPath):
		dir := filepath.Join(home, ".config", "systemd", "user")
		if d := opts.Getenv("XDG_CONFIG_HOME"); d != "" {
			dir = filepath.Join(d, "systemd", "user")
		}
		return remindPlan{
			files: []plannedFile{
				{filepath.Join(dir, "reconnect-remind.service"), systemdService(exe)},
				{filepath.Join(dir, remindTimer), systemdTimer},
			},
			start: "systemctl --user daemon-reload && systemctl --user enable --now " + remindTimer,
			stop:  "systemctl --user stop " + remindTimer + " && systemctl --user daemon-reload",
			links: []string{filepath.Join(dir, "timers.target.wants", remindTimer)},
		}, nil
	}
	return remindPlan{cron: "*/15 * * * * " + strings.ReplaceAll(shellQuote(exe), "%", `\%`) + " remind"}, nil
}

func hasSystemctl(lookPath func(string) (string, error)) bool {
	_, err := lookPath("systemctl")
	return err == nil
}

func systemdService(exe string) string {
	return "# " + remindMarker + `
[Unit]
Description=reconnect: a gentle reminder when something waits tonight

[Service]
Type=oneshot
ExecStart=` + systemdArg(exe) + ` remind
`
}

// systemdTimer runs the service every 15 minutes; 'remind' itself decides
// whether the evening has started (nudge.after), so changing it needs no
// new timer.
const systemdTimer = "# " + remindMarker + `
[Unit]
Description=reconnect: look every 15 minutes for what waits tonight

[Timer]
OnCalendar=*:0/15
AccuracySec=1min

[Install]
WantedBy=timers.target
`

// systemdArg is one word of an ExecStart line: % and $ doubled, quoted
// when it holds a space, a quote or a backslash.
func systemdArg(s string) string {
	s = strings.NewReplacer("%", "%%", "$", "$$").Replace(s)
	if strings.ContainsAny(s, " \t\"'\\;") {
		s = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return s
}

func launchdPlist(exe string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(exe))
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- ` + remindMarker + ` -->
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>app.reconnect.remind</string>
	<key>ProgramArguments</key>
	<array>
		<string>` + b.String() + `</string>
		<string>remind</string>
	</array>
	<key>StartInterval</key>
	<integer>900</integer>
</dict>
</plist>
`
}

func installRemind(opts *remindOptions) error {
	exe, err := opts.Executable()
	if err != nil {
		return fmt.Errorf("find the reconnect program: %w", err)
	}
	plan, err := planRemind(opts, exe)
	if err != nil {
		return err
	}
	out := opts.IO
	if plan.cron != "" {
		out.Printf("No systemd or launchd here: add this line with 'crontab -e' to be reminded every 15 minutes:\n\n  %s\n", oneLine(plan.cron))
		return nil
	}
	out.Printf("reconnect remind --install writes:\n")
	for _, f := range plan.files {
		out.Printf("\n%s\n", oneLine(f.path))
		for _, line := range strings.Split(strings.TrimSuffix(f.content, "\n"), "\n") {
			out.Printf("%s\n", strings.TrimRight("    "+oneLine(line), " "))
		}
	}
	if !opts.Yes {
		if !out.CanPrompt() {
			return withHint(usagef("--install writes the files above: confirm with --yes; nothing was written"),
				"reconnect remind --install --yes")
		}
		out.Printf("\nWrite them? [y/N] ")
		answer, _ := bufio.NewReader(out.In).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			out.Printf("Nothing written.\n")
			return nil
		}
	}
	out.Printf("\n")
	for _, f := range plan.files {
		if old, err := os.ReadFile(f.path); err == nil && string(old) == f.content {
			out.Printf("Unchanged %s\n", oneLine(f.path))
			continue
		}
		if err := fsutil.WriteFile(f.path, []byte(f.content), fsutil.FileMode); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
		out.Printf("Wrote %s\n", oneLine(f.path))
	}
	out.Printf("To start it: %s\n", oneLine(plan.start))
	return nil
}

func uninstallRemind(opts *remindOptions) error {
	plan, err := planRemind(opts, "reconnect")
	if err != nil {
		return err
	}
	out := opts.IO
	if plan.cron != "" {
		out.Printf("No systemd or launchd here: remove the line with 'reconnect remind' from 'crontab -e'.\n")
		return nil
	}
	removed := map[string]bool{}
	for _, f := range plan.files {
		data, err := os.ReadFile(f.path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", f.path, err)
		}
		if !strings.Contains(string(data), remindMarker) {
			out.Errorf("reconnect: left %s alone: reconnect did not write it\n", oneLine(f.path))
			continue
		}
		if err := os.Remove(f.path); err != nil {
			return fmt.Errorf("remove %s: %w", f.path, err)
		}
		out.Printf("Removed %s\n", oneLine(f.path))
		removed[f.path] = true
	}
	// What 'systemctl --user enable' linked to a file just removed.
	for _, link := range plan.links {
		target, err := os.Readlink(link)
		if err != nil {
			continue
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(link), target)
		}
		if removed[filepath.Clean(target)] {
			if err := os.Remove(link); err != nil {
				return fmt.Errorf("remove %s: %w", link, err)
			}
			out.Printf("Removed %s\n", oneLine(link))
		}
	}
	if len(removed) == 0 {
		out.Printf("Nothing to remove: no reminder was installed.\n")
		return nil
	}
	out.Printf("If it is still running: %s\n", oneLine(plan.stop))
	return nil
}
