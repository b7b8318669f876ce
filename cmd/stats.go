package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

type statsOptions struct {
	Date civil.Date
	JSON bool
}

func newStatsCmd(a *App) *cobra.Command {
	opts := &statsOptions{}
	c := &cobra.Command{
		Use:   "stats",
		Short: "Streaks, counts and a year of days at a glance",
		Long: `How consistent you have been, together: for each of you the current and
the longest streak of days with a check-in, and the couple's streak (days
you both checked in); entries by kind, gratitude notes given, challenge
days done, the bucket list done and open; and the last 52 weeks as a
heatmap, one square per day, darker for days with more written.

A streak still counts when today has no check-in yet: it ends yesterday
until the day is over.`,
		Example: `  reconnect stats
  reconnect stats --date 2026-06-30     # as things stood that day
  reconnect stats --json | jq .couple.current_streak`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runStats(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "look from this day: streaks and the heatmap end there (default today)")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the numbers as JSON")
	return c
}

// partnerStats is one partner's numbers.
type partnerStats struct {
	Name              string         `json:"name"`
	CurrentStreak     int            `json:"current_streak"`
	LongestStreak     int            `json:"longest_streak"`
	CheckinDays       int            `json:"checkin_days"`
	Entries           int            `json:"entries"`
	EntriesByKind     map[string]int `json:"entries_by_kind"`
	GratitudeNotes    int            `json:"gratitude_notes"`
	ChallengeDaysDone int            `json:"challenge_days_done"`
}

type streakStats struct {
	CurrentStreak int `json:"current_streak"`
	LongestStreak int `json:"longest_streak"`
	Days          int `json:"days"`
}

type bucketStats struct {
	Done int `json:"done"`
	Open int `json:"open"`
}

// heatmap is the days from Start (a Monday) to End, with how many entries
// were written on each.
type heatmap struct {
	Start  string `json:"start"`
	End    string `json:"end"`
	Counts []int  `json:"counts"` // one per day from start
	start  civil.Date
}

type statsView struct {
	Date     string         `json:"date"`
	Partners []partnerStats `json:"partners"`
	Couple   streakStats    `json:"couple"`
	Bucket   bucketStats    `json:"bucket"`
	Heatmap  heatmap        `json:"heatmap"`
}

func runStats(ctx context.Context, a *App, opts *statsOptions) error {
	day := a.dateOr(opts.Date)
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	entries, warnings, err := j.Store.List(journal.Query{Until: day})
	if err != nil {
		return err
	}
	a.warn(warnings)
	bucket, warnings, err := j.Store.Bucket()
	if err != nil {
		return err
	}
	a.warn(warnings)
	who, _ := a.author()
	v := computeStats(entries, bucket, who, day)
	if opts.JSON {
		return a.writeJSON(v)
	}
	a.printStats(a.IO.Out, v, day)
	return nil
}

// computeStats folds entries written up to day into the numbers; bucket
// items count when they were added by day. who comes first among partners.
func computeStats(entries, bucket []*journal.Entry, who string, day civil.Date) statsView {
	v := statsView{Date: day.String()}
	byAuthor := map[string]*partnerStats{}
	checkins := map[string]map[civil.Date]bool{}
	challengeDays := map[string]map[civil.Date]bool{}
	perDay := map[civil.Date]int{}
	for _, e := range entries {
		if e.Date.After(day) {
			continue
		}
		p := byAuthor[e.Author]
		if p == nil {
			p = &partnerStats{Name: e.Author, EntriesByKind: map[string]int{}}
			byAuthor[e.Author] = p
			checkins[e.Author] = map[civil.Date]bool{}
			challengeDays[e.Author] = map[civil.Date]bool{}
		}
		p.Entries++
		p.EntriesByKind[string(e.Kind)]++
		perDay[e.Date]++
		switch e.Kind {
		case journal.KindCheckin:
			checkins[e.Author][e.Date] = true
		case journal.KindThanks:
			p.GratitudeNotes++
		case journal.KindChallenge:
			em, _ := e.BoolField(journal.FieldEmotional)
			ph, _ := e.BoolField(journal.FieldPhysical)
			if em || ph {
				challengeDays[e.Author][e.Date] = true
			}
		}
	}
	names := make([]string, 0, len(byAuthor))
	for n := range byAuthor {
		names = append(names, n)
	}
	slices.Sort(names)
	if _, wrote := byAuthor[who]; wrote {
		names = youFirst(who, names)
	}
	both := map[civil.Date]bool{}
	if len(names) >= 2 {
		for d := range checkins[names[0]] {
			all := true
			for _, n := range names[1:] {
				all = all && checkins[n][d]
			}
			if all {
				both[d] = true
			}
		}
	}
	for _, n := range names {
		p := byAuthor[n]
		p.CheckinDays = len(checkins[n])
		p.CurrentStreak, p.LongestStreak = streaks(checkins[n], day)
		p.ChallengeDaysDone = len(challengeDays[n])
		v.Partners = append(v.Partners, *p)
	}
	if v.Partners == nil {
		v.Partners = []partnerStats{}
	}
	v.Couple.CurrentStreak, v.Couple.LongestStreak = streaks(both, day)
	v.Couple.Days = len(both)
	for _, b := range bucket {
		switch {
		case b.Date.After(day):
		case b.IsDone():
			v.Bucket.Done++
		default:
			v.Bucket.Open++
		}
	}
	v.Heatmap = heatmapOf(perDay, day)
	return v
}

// streaks is the current streak of days in set ending on day (or the day
// before, while day has none yet) and the longest run of days up to day.
func streaks(set map[civil.Date]bool, day civil.Date) (current, longest int) {
	d := day
	if !set[d] {
		d = d.AddDays(-1)
	}
	for set[d] {
		current++
		d = d.AddDays(-1)
	}
	days := make([]civil.Date, 0, len(set))
	for x := range set {
		if !x.After(day) {
			days = append(days, x)
		}
	}
	slices.SortFunc(days, civil.Date.Compare)
	run := 0
	for i, x := range days {
		if i > 0 && x.DaysSince(days[i-1]) == 1 {
			run++
		} else {
			run = 1
		}
		longest = max(longest, run)
	}
	return current, longest
}

// heatmapWeeks is how many weeks the heatmap shows.
const heatmapWeeks = 52

// heatmapOf is the last 52 weeks to end, starting on a Monday, so the
// columns are weeks and the rows weekdays.
func heatmapOf(perDay map[civil.Date]int, end civil.Date) heatmap {
	back := (int(end.Weekday()) + 6) % 7 // days since Monday
	start := end.AddDays(-back - 7*(heatmapWeeks-1))
	h := heatmap{Start: start.String(), End: end.String(), start: start}
	for d := start; !d.After(end); d = d.AddDays(1) {
		h.Counts = append(h.Counts, perDay[d])
	}
	return h
}

// level is a day's shade, 0 (nothing) to 4.
func level(n int) int {
	switch {
	case n <= 0:
		return 0
	case n == 1:
		return 1
	case n <= 3:
		return 2
	case n <= 5:
		return 3
	}
	return 4
}

// heatmapLines draws the heatmap for a terminal: a line of month names, then
// one line per weekday. With colour, squares in shades of green; without,
// the plain characters · ░ ▒ ▓ █.
func heatmapLines(p Palette, h heatmap) []string {
	weeks := (len(h.Counts) + 6) / 7
	months := []byte(strings.Repeat(" ", 2*weeks+1))
	last := time.Month(0)
	for w := range weeks {
		d := h.start.AddDays(7 * w)
		if d.Month != last && (w > 0 || d.Day <= 7) {
			name := d.In(time.UTC).Format("Jan")
			if 2*w+len(name) <= len(months) {
				copy(months[2*w:], name)
			}
			last = d.Month
		}
	}
	lines := []string{"    " + strings.TrimRight(string(months), " ")}
	plain := []string{"·", "░", "▒", "▓", "█"}
	shades := []string{"38;5;250", "38;5;151", "38;5;71", "38;5;28", "38;5;22"}
	for wd := range 7 {
		var b strings.Builder
		label := ""
		switch wd {
		case 0:
			label = "Mon"
		case 2:
			label = "Wed"
		case 4:
			label = "Fri"
		case 6:
			label = "Sun"
		}
		fmt.Fprintf(&b, "%-4s", label)
		for w := range weeks {
			i := 7*w + wd
			if i >= len(h.Counts) {
				break
			}
			l := level(h.Counts[i])
			if p.on {
				b.WriteString(p.wrap(shades[l], "■"))
			} else {
				b.WriteString(plain[l])
			}
			b.WriteByte(' ')
		}
		lines = append(lines, strings.TrimRight(b.String(), " "))
	}
	legend := "    less "
	for l := range 5 {
		if p.on {
			legend += p.wrap(shades[l], "■") + " "
		} else {
			legend += plain[l] + " "
		}
	}
	return append(lines, legend+"more")
}

func (a *App) printStats(w io.Writer, v statsView, day civil.Date) {
	p := a.IO.Palette()
	fmt.Fprintf(w, "%s\n\n", p.Bold("As of "+day.In(time.UTC).Format("Monday 2 January 2006")))
	if len(v.Partners) == 0 {
		fmt.Fprintf(w, "Nothing written yet. Start with 'reconnect checkin'.\n")
		return
	}
	days := func(n int) string {
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	}
	fmt.Fprintf(w, "%s\n", p.Bold("Check-in streaks"))
	for _, s := range v.Partners {
		fmt.Fprintf(w, "  %-10s %s now, longest %s\n", displayName(s.Name), p.Green(days(s.CurrentStreak)), days(s.LongestStreak))
	}
	if len(v.Partners) >= 2 {
		fmt.Fprintf(w, "  %-10s %s now, longest %s (%s together in all)\n", "Together", p.Green(days(v.Couple.CurrentStreak)),
			days(v.Couple.LongestStreak), days(v.Couple.Days))
	}
	fmt.Fprintf(w, "\n%s\n", p.Bold("Written"))
	for _, s := range v.Partners {
		kinds := make([]string, 0, len(s.EntriesByKind))
		for _, k := range sortedKeys(s.EntriesByKind) {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, s.EntriesByKind[k]))
		}
		fmt.Fprintf(w, "  %-10s %d entries: %s\n", displayName(s.Name), s.Entries, strings.Join(kinds, ", "))
		fmt.Fprintf(w, "  %-10s %d gratitude notes given, %s of the challenge done\n", "", s.GratitudeNotes, days(s.ChallengeDaysDone))
	}
	fmt.Fprintf(w, "\n%s  %d done, %d open\n", p.Bold("Bucket list"), v.Bucket.Done, v.Bucket.Open)
	fmt.Fprintf(w, "\n%s\n", p.Bold("The last 52 weeks"))
	for _, l := range heatmapLines(p, v.Heatmap) {
		fmt.Fprintln(w, l)
	}
}
