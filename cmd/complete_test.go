package cmd

import (
	"slices"
	"testing"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestDayCandidates(t *testing.T) {
	sat := date("2026-11-21")
	for _, tc := range []struct {
		lean  civil.Lean
		typed string
		want  []string
	}{
		{civil.Back, "y", []string{"yesterday\t2026-11-20"}},
		{civil.Back, "T", []string{"today\t2026-11-21", "thursday\t2026-11-19", "tuesday\t2026-11-17"}},
		{civil.Back, "f", []string{"friday\t2026-11-20"}},
		{civil.Ahead, "f", []string{"friday\t2026-11-27"}},
		{civil.Ahead, "to", []string{"today\t2026-11-21", "tomorrow\t2026-11-22"}},
		{civil.Back, "2026-11-1", []string{"2026-11-19\tThursday", "2026-11-18\tWednesday", "2026-11-17\tTuesday",
			"2026-11-16\tMonday", "2026-11-15\tSunday"}},
		{civil.Ahead, "2026-11-2", []string{"2026-11-21\tSaturday, today", "2026-11-22\tSunday, tomorrow",
			"2026-11-23\tMonday", "2026-11-24\tTuesday", "2026-11-25\tWednesday", "2026-11-26\tThursday", "2026-11-27\tFriday"}},
		{civil.Back, "someday", nil},
	} {
		if got := dayCandidates(sat, tc.lean, tc.typed); !slices.Equal(got, tc.want) {
			t.Errorf("dayCandidates(%q, %d) = %q, want %q", tc.typed, tc.lean, got, tc.want)
		}
	}
	if got := dayCandidates(sat, civil.Back, ""); len(got) != 16 {
		t.Errorf("dayCandidates(\"\") has %d candidates, want 16: %q", len(got), got)
	}
}

func TestAuthorCandidates(t *testing.T) {
	names := []string{"alex", "sam"}
	for _, tc := range []struct {
		names []string
		who   string
		me    bool
		typed string
		want  []string
	}{
		{names, "sam", true, "", []string{"me\tyou", "alex", "sam\tyou"}},
		{names, "sam", false, "", []string{"alex", "sam\tyou"}},
		{names, "sam", true, "a", []string{"alex"}},
		{names, "sam", true, "A", []string{"alex"}},
		{names, "sam", true, "me,", []string{"me,alex", "me,sam\tyou"}},
		{names, "sam", true, "alex,s", []string{"alex,sam\tyou"}},
		{nil, "sam", true, "", []string{"me\tyou", "sam\tyou"}}, // no journal yet
		{names, "kim", false, "", []string{"kim\tyou", "alex", "sam"}},
		{names, "", false, "", []string{"alex", "sam"}},
	} {
		if got := authorCandidates(tc.names, tc.who, tc.me, tc.typed); !slices.Equal(got, tc.want) {
			t.Errorf("authorCandidates(%q, %q, %v, %q) = %q, want %q", tc.names, tc.who, tc.me, tc.typed, got, tc.want)
		}
	}
}

func TestCompleteConfigValue(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want []string
		dir  cobra.ShellCompDirective
	}{
		{"sync.timeout", []string{"10s\tthe default", "30s", "1m", "5m", "15m", "1h"}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder},
		{"sync.interval", []string{"10s", "30s", "1m", "5m\tthe default", "15m", "1h"}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder},
		{"sync.auto", []string{"true\tthe default", "false"}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder},
		{"union.every", []string{"7\tthe default"}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder},
		{"journal", nil, cobra.ShellCompDirectiveFilterDirs},
		{"sync.ssh_key", nil, cobra.ShellCompDirectiveDefault},
		{"sync.token", nil, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder},
		{"nope", nil, cobra.ShellCompDirectiveNoFileComp},
	} {
		got, dir := completeConfigValue(tc.key)
		if !slices.Equal(got, tc.want) || dir != tc.dir {
			t.Errorf("completeConfigValue(%q) = %q, %d; want %q, %d", tc.key, got, dir, tc.want, tc.dir)
		}
	}
}

// A URL completes to nothing, never to file names; a path completes to
// folders, which are remotes too.
func TestCompleteURL(t *testing.T) {
	for typed, want := range map[string]cobra.ShellCompDirective{
		"":             cobra.ShellCompDirectiveNoFileComp,
		"git@":         cobra.ShellCompDirectiveNoFileComp,
		"https://":     cobra.ShellCompDirectiveNoFileComp,
		"ssh://":       cobra.ShellCompDirectiveNoFileComp,
		"/mnt/":        cobra.ShellCompDirectiveFilterDirs,
		"./":           cobra.ShellCompDirectiveFilterDirs,
		"../us":        cobra.ShellCompDirectiveFilterDirs,
		"~/shared/us":  cobra.ShellCompDirectiveFilterDirs,
		"shared/us.gi": cobra.ShellCompDirectiveNoFileComp,
	} {
		if got, dir := completeURL(typed); got != nil || dir != want {
			t.Errorf("completeURL(%q) = %q, %d; want %d", typed, got, dir, want)
		}
	}
	if _, dir := completeJoinArgs(nil, []string{"git@example.com:us.git"}, ""); dir != cobra.ShellCompDirectiveFilterDirs {
		t.Errorf("join URL <DIR>: %d", dir)
	}
	if _, dir := completeJoinArgs(nil, []string{"u", "d"}, ""); dir != cobra.ShellCompDirectiveNoFileComp {
		t.Errorf("join URL DIR <more>: %d", dir)
	}
	if _, dir := completeRemoteArg(nil, []string{"u"}, "/"); dir != cobra.ShellCompDirectiveNoFileComp {
		t.Errorf("remote URL <more>: %d", dir)
	}
}
