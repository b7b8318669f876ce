package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(rev, when, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: when}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tc := range []struct {
		name          string
		stamped, date string
		bi            *debug.BuildInfo
		want          string
	}{
		{name: "release", stamped: "1.4.0", date: "2026-11-20T10:00:00Z",
			bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, want: "1.4.0 (2026-11-20)"},
		{name: "release stamped with a day", stamped: "1.4.0", date: "2026-11-20", want: "1.4.0 (2026-11-20)"},
		{name: "release without a date falls back on the commit's",
			stamped: "1.4.0", bi: &debug.BuildInfo{Settings: vcs("abcdef1234567890", "2026-11-19T23:30:00-02:00", "false")},
			want: "1.4.0 (2026-11-20)"},
		{name: "go install module@version", stamped: "dev",
			bi: &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, want: "v1.4.0"},
		{name: "go install module@commit", stamped: "dev",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261125123456-abcdef123456"}},
			want: "v0.0.0-20261125123456-abcdef123456 (2026-11-25)"},
		{name: "go build in a clone (Go 1.24+)", stamped: "dev",
			bi: &debug.BuildInfo{Main: debug.Module{Version: "v1.3.1-0.20261124080000-abcdef123456+dirty"},
				Settings: vcs("abcdef1234567890", "2026-11-24T08:00:00Z", "true")},
			want: "v1.3.1-0.20261124080000-abcdef123456+dirty (2026-11-24)"},
		{name: "go build with vcs, no module version", stamped: "",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("abcdef1234567890", "2026-11-24T08:00:00Z", "false")},
			want: "dev-abcdef123456 (2026-11-24)"},
		{name: "go build, changes not committed", stamped: "",
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("abcdef1234567890", "2026-11-24T08:00:00Z", "true")},
			want: "dev-abcdef123456-dirty (2026-11-24)"},
		{name: "go run, nothing stamped", stamped: "dev",
			bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, want: "dev"},
		{name: "no build info", want: "dev"},
	} {
		if got := versionOf(tc.stamped, tc.date, tc.bi).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestVersionJSON(t *testing.T) {
	var out bytes.Buffer
	opts := &versionOptions{IO: &IOStreams{Out: &out}, JSON: true,
		Build: versionOf("1.4.0", "2026-11-20T10:00:00Z", &debug.BuildInfo{GoVersion: "go1.26.0",
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}})}
	if err := runVersion(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if got["version"] != "1.4.0" || got["date"] != "2026-11-20" || got["commit"] != "abc" || got["go"] != "go1.26.0" || got["platform"] == "" {
		t.Errorf("version --json = %s", out.String())
	}
}
