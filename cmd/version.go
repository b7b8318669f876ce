package cmd

import (
	"context"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// buildVersion is what this binary says it is, the same way however it
// was built: a release stamps -X main.version and main.date; 'go install
// module@v1.2.3' leaves the module version in the build info; 'go build'
// and 'go run' in a clone leave the commit and its time (vcs.revision,
// vcs.time) when Go stamped them, and a pseudo-version from Go 1.24 on.
type buildVersion struct {
	Version  string `json:"version"`
	Date     string `json:"date,omitempty"` // YYYY-MM-DD, when known
	Commit   string `json:"commit,omitempty"`
	Modified bool   `json:"modified,omitempty"` // built from a clone with changes not committed
	Go       string `json:"go"`
	Platform string `json:"platform"`
}

// String is "X (DATE)", or "X" when the date is not known.
func (v buildVersion) String() string {
	if v.Date == "" {
		return v.Version
	}
	return v.Version + " (" + v.Date + ")"
}

// versionOf works out the version from what the release stamped (version
// and date, "" or "dev" when not stamped) and the build info (nil when
// the binary has none).
func versionOf(stamped, stampedDate string, bi *debug.BuildInfo) buildVersion {
	v := buildVersion{Version: "dev", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	var vcsTime string
	if bi != nil {
		if bi.GoVersion != "" {
			v.Go = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				vcsTime = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	module := ""
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		module = bi.Main.Version
	}
	switch {
	case stamped != "" && stamped != "dev":
		v.Version = stamped
	case module != "":
		v.Version = module
	case v.Commit != "":
		v.Version = "dev-" + shortCommit(v.Commit)
		if v.Modified {
			v.Version += "-dirty"
		}
	}
	for _, d := range []string{stampedDate, vcsTime, pseudoVersionTime(module)} {
		if day := dayOfStamp(d); day != "" {
			v.Date = day
			break
		}
	}
	return v
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// dayOfStamp is the UTC day of an RFC 3339 time or of a YYYY-MM-DD day,
// "" for anything else.
func dayOfStamp(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t.Format(time.DateOnly)
	}
	return ""
}

// pseudoVersionTime is the time in a Go pseudo-version such as
// v0.0.0-20261125123456-abcdef123456 (or v1.2.4-0.2026…), as RFC 3339; ""
// for a release version.
func pseudoVersionTime(v string) string {
	v, _, _ = strings.Cut(v, "+")
	parts := strings.Split(v, "-")
	if len(parts) < 3 {
		return ""
	}
	ts := parts[len(parts)-2]
	if i := strings.LastIndex(ts, "."); i >= 0 {
		ts = ts[i+1:]
	}
	t, err := time.Parse("20060102150405", ts)
	if err != nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

// buildVersion is this binary's version.
func (a *App) buildVersion() buildVersion {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return versionOf(a.Version, a.Date, bi)
}

// version is the build's version alone, such as v1.2.3.
func (a *App) version() string { return a.buildVersion().Version }

// versionOptions is what 'version' uses.
type versionOptions struct {
	IO      *IOStreams
	Version string       // v1.2.3, or dev…
	Build   buildVersion // all of it

	JSON bool
}

// newVersionCmd is 'version'; runF nil is runVersion.
func newVersionCmd(a *App, runF func(context.Context, *versionOptions) error) *cobra.Command {
	if runF == nil {
		runF = runVersion
	}
	b := a.buildVersion()
	opts := &versionOptions{IO: a.IO, Version: b.Version, Build: b}
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version of reconnect",
		Long: `Print the version of reconnect and the day it was built from:
"reconnect version X (YYYY-MM-DD)", as --version does. A release says its
version; 'go install' the module's; a build from a clone its commit.`,
		Example: "  reconnect version\n  reconnect --version\n  reconnect version --json",
		Args:    exactArgs(0, "no arguments"),
		RunE:    func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the version, date, commit, Go version and platform as JSON")
	return c
}

func runVersion(_ context.Context, opts *versionOptions) error {
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, opts.Build)
	}
	opts.IO.Printf("reconnect version %s\n", opts.Build)
	return nil
}
