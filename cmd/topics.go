package cmd

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/journal"
)

// helpTopic is a 'reconnect help TOPIC' page that is no command: a list of
// terms and what they mean, between an intro and an outro. The same pages
// are the man page's ENVIRONMENT, FILES and EXIT STATUS (manSection).
type helpTopic struct {
	name, short string
	man         string // the man page section it also is, "" for none
	intro       string
	items       func() [][2]string // term, meaning
	outro       string
}

func helpTopics() []helpTopic {
	return []helpTopic{
		{name: "environment", short: "The environment variables reconnect reads", man: "ENVIRONMENT",
			intro: "reconnect reads these environment variables. A flag wins over the variable, and the\nvariable over the config file (see 'reconnect config list').",
			items: environmentItems},
		{name: "exit-codes", short: "What reconnect's exit status means", man: "EXIT STATUS",
			intro: "reconnect exits with one of these statuses:",
			items: exitCodeItems},
		{name: "files", short: "The files reconnect reads and writes", man: "FILES",
			intro: "The journal is the folder of Markdown files both of you share (see 'reconnect help\nformats'); everything else stays on this machine:",
			items: fileItems},
		{name: "formats", short: "The journal's file format: Markdown with YAML front matter, per kind",
			intro: formatsIntro,
			items: kindItems,
			outro: formatsOutro},
	}
}

func environmentItems() [][2]string {
	return [][2]string{
		{"RECONNECT_NAME", "who you are in the journal, as --as (a slug like sam); RECONNECT_AUTHOR is its older name"},
		{"RECONNECT_JOURNAL", "the journal folder, as --journal"},
		{"RECONNECT_CONFIG_DIR", "the folder of config.yaml (default $XDG_CONFIG_HOME/reconnect)"},
		{"RECONNECT_TOKEN", "a token for an HTTPS remote, as config sync.token; never printed"},
		{"RECONNECT_PAGER, PAGER", "the pager for long output on a terminal (default less), split into words as a shell would; RECONNECT_PAGER wins; cat, or --no-pager, turns paging off"},
		{"LESS, LV", "given to the pager as FRX and -c only when you have not set them"},
		{"NO_COLOR", "when set and not empty, no colour (https://no-color.org); --color always still colours"},
		{"CLICOLOR_FORCE", "when set and not 0, colour even when the output is no terminal; --color never still does not"},
		{"CLICOLOR", "0 turns colour off, as NO_COLOR does"},
		{"TERM", "dumb turns colour off"},
		{"COLUMNS", "the width views fit, when set (default the terminal's, or 80)"},
		{"VISUAL, EDITOR", "the editor for --edit, 'union' and 'config edit', run through the shell (default vi)"},
		{"XDG_CONFIG_HOME", "where the config folder is (default ~/.config)"},
		{"XDG_DATA_HOME", "where the default journal is (default ~/.local/share)"},
		{"XDG_STATE_HOME", "where drafts and reminder state are kept (default ~/.local/state)"},
		{"HOME", "your home folder, for the defaults above and ~ in paths"},
		{"USER, LOGNAME, USERNAME", "your login name: your name in the journal when none is set, and the user of an ssh:// remote without one"},
		{"SSH_AUTH_SOCK", "the ssh-agent that holds your SSH keys"},
		{"GOGC, GOMEMLIMIT", "Go's garbage collector settings; when neither is set reconnect tunes it for a short command"},
	}
}

// exitCodeItems is the exit-code map (exitRules) as a list: one line a
// status, in order, the rules with the same status together.
func exitCodeItems() [][2]string {
	means := map[int][]string{exitOK: {"success"}}
	for _, r := range exitRules() {
		means[r.code] = append(means[r.code], r.means)
	}
	// What no rule matches exits 1 (exitCode).
	means[exitError] = append(means[exitError], "any other error: a file that cannot be read or written, a broken journal")
	codes := make([]int, 0, len(means))
	for c := range means {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	items := make([][2]string, 0, len(codes))
	for _, c := range codes {
		items = append(items, [2]string{fmt.Sprint(c), strings.Join(means[c], "; ")})
	}
	return items
}

func fileItems() [][2]string {
	return [][2]string{
		{"$XDG_CONFIG_HOME/reconnect/config.yaml", "this machine's settings, mode 0600 ('reconnect config path'; moved by $RECONNECT_CONFIG_DIR)"},
		{"$XDG_CONFIG_HOME/reconnect/config.rejected.yaml", "an edit 'config edit' refused, kept for you to fix"},
		{"$XDG_CONFIG_HOME/reconnect/age-identity.txt", "this machine's key for an encrypted remote, mode 0600 ('reconnect keys'); never in the journal or its .git"},
		{"$XDG_CONFIG_HOME/reconnect/answer-identity.txt", "the key your answers to the question of the day are sealed with until your partner answers too, mode 0600, made here and never shared"},
		{"$XDG_DATA_HOME/reconnect", "the journal, unless --journal, $RECONNECT_JOURNAL or config journal names another folder: a git repository"},
		{"JOURNAL/YYYY/MM/*.md", "the dated entries, one small Markdown file each (see 'reconnect help formats')"},
		{"JOURNAL/bucket/*.md, JOURNAL/dates/*.md", "the shared bucket list and planned dates, a file an item"},
		{"JOURNAL/*.conflict-WHO-HASH.md", "your partner's version of a file you both changed, kept beside yours"},
		{"JOURNAL/.git/reconnect-*", "what this machine remembers about the journal, never synced: reconnect-sync.json (last sync), reconnect-seen-WHO.json (news seen), reconnect-revealed-WHO (where the last reveal of your sealed answers left off), reconnect-reveals/ (what the history says of each sealed answer, a file a month, to check reveals against), reconnect-drift-WHO, reconnect-cache/ (a cache of parsed entries, safe to delete), reconnect-sealed/ (the encrypted remote's commits, as fetched, and seen.json, the highest push seen there), reconnect-invites.json (the invitations made here and when they expire), and the sync's lock and crash marks"},
		{"$XDG_STATE_HOME/reconnect/drafts/", "what you typed into a form that was interrupted, kept 7 days, mode 0600"},
		{"$XDG_STATE_HOME/reconnect/remind-*.json", "the evening 'reconnect remind' last reminded of"},
		{"~/.config/systemd/user/reconnect-remind.*", "the reminder 'remind --install' sets up on Linux (~/Library/LaunchAgents/app.reconnect.remind.plist on macOS)"},
	}
}

const formatsIntro = `Every entry is a UTF-8 Markdown file that starts with YAML front matter
between two --- lines, then free text and "## Heading" sections:

    ---
    kind: checkin
    author: sam
    date: 2026-11-21
    created: 2026-11-21T21:14:03+01:00
    ---

    ## Rose
    The walk by the river.

kind, author and date are required; author is a slug (lower-case letters,
digits and hyphens), date is YYYY-MM-DD. Keys and sections reconnect does
not know are kept when it rewrites a file. The kinds, their sections and
where their files are:`

const formatsOutro = `Files are placed by kind: "per author per day" is YYYY/MM/YYYY-MM-DD-KIND-AUTHOR.md;
"many per day" adds the time, -HHMMSS; a "shared item" lives in its folder,
named from its title, and both of you edit it.`

func kindItems() [][2]string {
	var items [][2]string
	for _, k := range journal.Kinds() {
		text := k.Description + " (" + k.Placement.String()
		if k.Folder != "" {
			text += ", in " + k.Folder + "/"
		}
		text += ")"
		if len(k.Sections) > 0 {
			text += "; sections: " + strings.Join(k.Sections, ", ")
		}
		items = append(items, [2]string{string(k.Kind), text})
	}
	return items
}

// text is the topic for a terminal, wrapped to width.
func (t helpTopic) text(width int) string {
	var b strings.Builder
	b.WriteString(t.intro + "\n\n")
	for _, it := range t.items() {
		b.WriteString("  " + it[0] + "\n")
		b.WriteString(wrapIndent(it[1], "      ", width))
	}
	if t.outro != "" {
		b.WriteString("\n" + t.outro + "\n")
	}
	return b.String()
}

// wrapIndent wraps text to width, each line indented.
func wrapIndent(text, indent string, width int) string {
	if width < 40 {
		width = 40
	}
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(text) {
		if line != indent && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}

// addHelpTopics adds the topics to 'reconnect help' as commands with no
// Run (cobra's "additional help topics"), and makes 'help NOSUCH' an error.
func addHelpTopics(root *cobra.Command) {
	var names []string
	for _, t := range helpTopics() {
		names = append(names, t.name)
		root.AddCommand(&cobra.Command{
			Use:   t.name,
			Short: t.short,
			Long:  t.short + ".\n\n" + t.text(80),
		})
	}
	// The topics are read with 'reconnect help TOPIC': the usage says so.
	tmpl := root.UsageTemplate()
	topicLine := "{{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}"
	if i := strings.Index(tmpl, "Additional help topics:"); i >= 0 && strings.Contains(tmpl[i:], topicLine) {
		tmpl = tmpl[:i] + strings.Replace(tmpl[i:], topicLine,
			`{{rpad (printf "reconnect help %s" .Name) 26}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}`, 1)
		root.SetUsageTemplate(tmpl)
	}
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() != "help" {
			continue
		}
		help := c
		run := help.Run
		help.Run = nil
		help.RunE = func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				if cmd, _, err := root.Find(args); err != nil || cmd == root {
					return withHint(usagef("no help for %q", strings.Join(args, " ")),
						"the topics are %s; 'reconnect --help' lists the commands", strings.Join(names, ", "))
				}
			}
			run(c, args)
			return nil
		}
	}
}

// ManSections is the man page's ENVIRONMENT, EXIT STATUS and FILES, in
// roff, from the same lists as the help topics; internal/gendocs adds it
// to reconnect.1.
func ManSections() string {
	var b strings.Builder
	for _, t := range helpTopics() {
		if t.man == "" {
			continue
		}
		fmt.Fprintf(&b, ".SH %s\n.PP\n%s\n", t.man, roffEscape(t.intro))
		for _, it := range t.items() {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fP\n%s\n", roffEscape(it[0]), roffEscape(it[1]))
		}
	}
	return b.String()
}

// roffEscape keeps text from being read as roff: backslashes doubled, and
// no line that starts with . or '.
func roffEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}
