package cmd

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/internal/streak"
	"github.com/reconnect-app/reconnect/prompts"
)

// When one partner drifts (the guide's "What if my partner isn't
// interested in reconnecting?"): the evening screen offers one small
// gesture, nothing expected back, and after three weeks the calm, honest
// talk. The rule is [streak.Drift]; the texts are prompts/drift.yaml.
// Never a guilt trip: nothing shown counts the partner's missed days.

// DriftConfig is the drift section of the config.
type DriftConfig struct {
	Enabled *bool `yaml:"enabled,omitempty" mapstructure:"enabled"`
	Days    *int  `yaml:"days,omitempty" mapstructure:"days"`
}

// driftDefaultDays is drift.days when unset.
const driftDefaultDays = 5

// driftDays is how many lone days bring a gesture; 0 when drift is off.
func (c *Config) driftDays() int {
	if c == nil {
		return driftDefaultDays
	}
	if c.Drift.Enabled != nil && !*c.Drift.Enabled {
		return 0
	}
	if c.Drift.Days == nil {
		return driftDefaultDays
	}
	return *c.Drift.Days
}

func formatBoolPtr(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func formatIntPtr(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// driftView is what the evening screen offers when one partner drifts,
// also its JSON: no counts, no names.
type driftView struct {
	Stage   string `json:"stage"` // gesture or talk
	Heading string `json:"heading"`
	Text    string `json:"text"`
	Note    string `json:"note,omitempty"`
}

// driftOn is what drift offers who on day, from the check-ins by day and
// author; couple is everyone in the journal lately, who included; after is
// drift.days (0: off). nil when there is nothing to offer.
func driftOn(checkins map[civil.Date]map[string]bool, who string, couple []string, day civil.Date, after int) *driftView {
	if after <= 0 {
		return nil
	}
	hasPartner := false
	for _, n := range couple {
		hasPartner = hasPartner || n != who
	}
	at := func(i int) civil.Date { return day.AddDays(i) }
	you := func(i int) bool { return checkins[at(i)][who] }
	partner := func(i int) bool {
		for n := range checkins[at(i)] {
			if n != who {
				return true
			}
		}
		return false
	}
	texts := prompts.DriftTexts()
	switch streak.Drift(0, after, hasPartner, you, partner) {
	case streak.Gesture:
		return &driftView{Stage: streak.Gesture.String(), Heading: texts.Heading, Text: prompts.GestureOf(day), Note: texts.Note}
	case streak.Talk:
		return &driftView{Stage: streak.Talk.String(), Heading: texts.Talk.Heading, Text: texts.Talk.Text}
	}
	return nil
}

// driftMarkPath is where this machine remembers the last day who was
// shown a gesture: in the journal's .git folder, never synced.
func driftMarkPath(j *Journal, who string) string {
	return filepath.Join(j.Dir, ".git", "reconnect-drift-"+who)
}

// driftShownOn says whether who was shown drift's offer for day already.
func driftShownOn(j *Journal, who string, day civil.Date) bool {
	data, err := os.ReadFile(driftMarkPath(j, who))
	return err == nil && strings.TrimSpace(string(data)) == day.String()
}

// markDriftShown remembers that who was shown drift's offer for day;
// failing to is only the offer shown again.
func markDriftShown(j *Journal, who string, day civil.Date) {
	_ = fsutil.WriteFile(driftMarkPath(j, who), []byte(day.String()+"\n"), fsutil.FileMode)
}

// printDrift prints drift's offer, in the guide's words.
func printDrift(out *IOStreams, d *driftView) {
	p := out.Palette()
	out.Printf("\n%s\n", p.Bold(d.Heading))
	for _, l := range wrapLine("  "+strings.Join(strings.Fields(d.Text), " "), 74, "  ") {
		out.Printf("%s\n", l)
	}
	if d.Note != "" {
		out.Printf("  %s\n", p.Dim(d.Note))
	}
}
