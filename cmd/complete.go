package cmd

import (
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Completion: what <TAB> offers for a value that is not a file. Each
// function here returns ShellCompDirectiveNoFileComp unless a file or a
// folder is what the value is, so the shell never falls back to file
// names for a day, a name or a duration. Candidates are filtered by what
// is typed, and descriptions follow a tab, on one line.

// completeDays offers days for a date flag, counted from the day of now:
// today, yesterday (tomorrow for a flag that leans ahead), the seven
// weekday names, then the last seven days (the next seven, leaning
// ahead) as YYYY-MM-DD, each with what it is.
func completeDays(now func() time.Time, lean civil.Lean) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return dayCandidates(civil.Of(now()), lean, toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// completeDayArg is [completeDays] for a first argument that is a DATE.
func completeDayArg(now func() time.Time, lean civil.Lean) cobra.CompletionFunc {
	days := completeDays(now, lean)
	return func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 || c.Flags().Changed("date") {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return days(c, args, toComplete)
	}
}

// dayCandidates is what [completeDays] offers, from today, for what is
// typed so far.
func dayCandidates(today civil.Date, lean civil.Lean, typed string) []string {
	step, next, nextName := -1, today.AddDays(-1), "yesterday"
	if lean == civil.Ahead {
		step, next, nextName = 1, today.AddDays(1), "tomorrow"
	}
	out := []string{"today\t" + today.String(), nextName + "\t" + next.String()}
	for i := 0; i < 7; i++ {
		d := today.AddDays(step * i)
		out = append(out, strings.ToLower(d.Weekday().String())+"\t"+d.String())
	}
	for i := 0; i < 7; i++ {
		d := today.AddDays(step * i)
		what := d.Weekday().String()
		switch i {
		case 0:
			what += ", today"
		case 1:
			what += ", " + nextName
		}
		out = append(out, d.String()+"\t"+what)
	}
	return withPrefix(out, strings.ToLower(typed))
}

// withPrefix keeps the candidates whose value starts with typed.
func withPrefix(candidates []string, typed string) []string {
	var out []string
	for _, c := range candidates {
		value, _, _ := strings.Cut(c, "\t")
		if strings.HasPrefix(value, typed) {
			out = append(out, c)
		}
	}
	return out
}

// completeAuthors offers the couple ([recentAuthors]: who checked in
// lately, read from the entries' cache) for --author (me too, when me),
// --as or --to; nothing from a journal when there is none. --author takes a comma-separated
// list: the names already typed before a comma are kept.
func (a *App) completeAuthors(me bool) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if a.prepare() != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		who, _ := a.author()
		var names []string
		if j, err := a.openJournal(false); err == nil {
			names = recentAuthors(j, civil.Of(a.Now()), func([]error) {})
		}
		return authorCandidates(names, who, me, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// authorCandidates is what [App.completeAuthors] offers: me (when me),
// then names, who described as you, for what is typed so far; in a
// comma-separated list, for its last name, and never one already in it.
func authorCandidates(names []string, who string, me bool, typed string) []string {
	before, last := "", typed
	if i := strings.LastIndex(typed, ","); i >= 0 {
		before, last = typed[:i+1], typed[i+1:]
	}
	given := strings.Split(strings.ToLower(before), ",")
	var out []string
	add := func(name, what string) {
		if slices.Contains(given, name) {
			return
		}
		if what != "" {
			name += "\t" + what
		}
		out = append(out, before+name)
	}
	if me {
		add("me", "you")
	}
	if who != "" && !slices.Contains(names, who) {
		names = append([]string{who}, names...)
	}
	for _, n := range names {
		what := ""
		if n == who {
			what = "you"
		}
		add(n, what)
	}
	return withPrefix(out, strings.ToLower(before+last))
}

// completeConfigValue offers values for 'config set KEY <TAB>': its
// default, durations for a duration, true and false, a folder for the
// journal and a file for the SSH key; nothing for an unknown key.
func completeConfigValue(key string) ([]string, cobra.ShellCompDirective) {
	k, err := findConfigKey(key)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	switch k.name {
	case "journal":
		return nil, cobra.ShellCompDirectiveFilterDirs
	case "sync.ssh_key":
		return nil, cobra.ShellCompDirectiveDefault
	}
	var values []string
	switch k.want {
	case durationValue:
		values = []string{"10s", "30s", "1m", "5m", "15m", "1h"}
	case boolValue:
		values = []string{"true", "false"}
	}
	if k.def != "" && !slices.Contains(values, k.def) {
		values = append([]string{k.def}, values...)
	}
	var out []string
	for _, v := range values {
		if v == k.def {
			v += "\tthe default"
		}
		out = append(out, v)
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}

// completeURL is for a remote's URL ('join URL', 'remote URL'): an SSH or
// HTTPS address is pasted, never a file, so nothing is offered, not even
// file names. A folder is a remote too (a shared drive): once what is
// typed starts like a path (/, ./, ../, ~), folders are offered.
func completeURL(toComplete string) ([]string, cobra.ShellCompDirective) {
	for _, p := range []string{"/", ".", "~"} {
		if strings.HasPrefix(toComplete, p) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		}
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeJoinArgs is for 'join URL [DIR]': [completeURL], then a folder.
func completeJoinArgs(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return completeURL(toComplete)
	case 1:
		return nil, cobra.ShellCompDirectiveFilterDirs
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeRemoteArg is for 'remote [URL]': [completeURL].
func completeRemoteArg(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return completeURL(toComplete)
}
