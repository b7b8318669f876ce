package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/streak"
	"github.com/reconnect-app/reconnect/journal"
)

// statsOptions is what 'stats' uses: its dependencies (filled from the
// App by the constructor), then its flags.
type statsOptions struct {
	reader

	Date    civil.Date
	Authors []string
	JSON    bool
}

// newStatsCmd is 'stats'. runF runs it, given the options filled from
// the flags; nil is runStats (tests pass their own).
func newStatsCmd(a *App, runF func(context.Context, *statsOptions) error) *cobra.Command {
	if runF == nil {
		runF = runStats
	}
	opts := &statsOptions{reader: a.reader()}
	c := &cobra.Command{
		Use:   "stats",
		Short: "Streaks, counts and a year of days at a glance",
		Long: `How consistent you have been, together: for each of you the current and
the longest streak of days with a check-in, and the couple's streak (days
you both checked in); entries by kind, gratitude notes given, challenge
days done, the bucket list done and open; and the last weeks as a
heatmap, one square per day, darker for days with more written: 52 weeks
when the terminal is wide enough, as many as fit when it is narrower
(--json always holds 52).

A streak still counts when today has no check-in yet: it ends yesterday
until the day is over. --author counts only what that partner wrote (me:
you): their streak, their entries, the bucket items they added and their
days in the heatmap.`,
		Example: `  reconnect stats
  reconnect stats --date 2026-06-30     # as things stood that day
  reconnect stats --author me
  reconnect stats --json | jq .couple.current_streak`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "look from this day: streaks and the heatmap end there (default today)")
	addAuthorFilter(c, &opts.Authors)
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
	first  int // start's day number
}

type statsView struct {
	Date     string         `json:"date"`
	Partners []partnerStats `json:"partners"`
	Couple   streakStats    `json:"couple"`
	Bucket   bucketStats    `json:"bucket"`
	Heatmap  heatmap        `json:"heatmap"`
}

func runStats(ctx context.Context, opts *statsOptions) error {
	day := dayOr(opts.Date, opts.Now())
	authors, err := authorFilter(opts.Authors, opts.Author)
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(ctx)
	if err != nil {
		return err
	}
	entries, warnings, err := j.Store.List(journal.Query{Until: day, Authors: authors})
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	bucket, warnings, err := j.Store.Bucket()
	if err != nil {
		return err
	}
	opts.IO.warn(warnings)
	if len(authors) > 0 {
		bucket = slices.DeleteFunc(bucket, func(e *journal.Entry) bool { return !slices.Contains(authors, e.Author) })
	}
	v := computeStats(entries, bucket, viewer(opts.Author), day)
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	w := newFitWriter(opts.IO.Out, viewWidth(opts.IO))
	printStats(w, opts.IO.Palette(), v, day, viewWidth(opts.IO))
	return w.Flush()
}

// computeStats folds entries written up to day into the numbers; bucket
// items count when they were added by day. who comes first among partners.
//
// Days are counted as day numbers ([dayNumber]) in slices, not as dates in
// maps: a 25-year journal has some 50,000 entries, and hashing a date for
// each was most of the time stats took once the journal was read.
func computeStats(entries, bucket []*journal.Entry, who string, day civil.Date) statsView {
	v := statsView{Date: day.String()}
	last := dayNumber(day)
	v.Heatmap = newHeatmap(day)
	var tallies []*partnerTally // a couple has two; a linear search beats a map
	var t *partnerTally
	for _, e := range entries {
		d := dayNumber(e.Date)
		if d > last || e.Kind == journal.KindSkip { // a question passed on is not something written
			continue
		}
		if t == nil || t.Name != e.Author {
			t = findTally(tallies, e.Author)
			if t == nil {
				t = &partnerTally{partnerStats: partnerStats{Name: e.Author}}
				tallies = append(tallies, t)
			}
		}
		t.Entries++
		t.countKind(e.Kind)
		v.Heatmap.add(d)
		switch e.Kind {
		case journal.KindCheckin:
			t.checkins = append(t.checkins, d)
		case journal.KindThanks:
			t.GratitudeNotes++
		case journal.KindChallenge:
			_, em, ph := e.ChallengeMarks()
			if (challenge.DayMark{Emotional: em, Physical: ph}).Any() {
				t.challengeDays = append(t.challengeDays, d)
			}
		}
	}
	names := make([]string, 0, len(tallies))
	for _, t := range tallies {
		t.checkins = sortedDays(t.checkins)
		t.challengeDays = sortedDays(t.challengeDays)
		names = append(names, t.Name)
	}
	slices.Sort(names)
	if findTally(tallies, who) != nil {
		names = youFirst(who, names)
	}
	var both []int
	if len(names) >= 2 {
		both = findTally(tallies, names[0]).checkins
		for _, n := range names[1:] {
			both = commonDays(both, findTally(tallies, n).checkins)
		}
	}
	v.Partners = make([]partnerStats, 0, len(names))
	for _, n := range names {
		t := findTally(tallies, n)
		p := t.partnerStats
		p.EntriesByKind = make(map[string]int, len(t.kinds))
		for _, k := range t.kinds {
			p.EntriesByKind[string(k.kind)] = k.n
		}
		p.CheckinDays = len(t.checkins)
		p.CurrentStreak, p.LongestStreak = streaks(t.checkins, last)
		p.ChallengeDaysDone = len(t.challengeDays)
		v.Partners = append(v.Partners, p)
	}
	v.Couple.CurrentStreak, v.Couple.LongestStreak = streaks(both, last)
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
	return v
}

// partnerTally is one partner's numbers while computeStats reads the
// entries: the counts so far, and the days (day numbers, in the order met,
// repeats and all) with a check-in and with challenge activities done.
type partnerTally struct {
	partnerStats
	kinds         []kindCount
	checkins      []int
	challengeDays []int
}

type kindCount struct {
	kind journal.Kind
	n    int
}

// countKind counts one more entry of kind k.
func (t *partnerTally) countKind(k journal.Kind) {
	for i := range t.kinds {
		if t.kinds[i].kind == k {
			t.kinds[i].n++
			return
		}
	}
	t.kinds = append(t.kinds, kindCount{k, 1})
}

// findTally is name's tally, or nil.
func findTally(tallies []*partnerTally, name string) *partnerTally {
	for _, t := range tallies {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// dayNumber is the number of days from 1970-01-01 to d (negative before),
// what d.DaysSince(1970-01-01) is, by arithmetic alone: stats takes it for
// every entry, and going through time.Time for each would cost more than
// the rest of the counting. (Howard Hinnant's days_from_civil.)
func dayNumber(d civil.Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y-- // count from March, so the leap day is the year's last
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era-- // floor, not truncation
	}
	yoe := y - era*400                      // year of the 400-year era, 0 to 399
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1 // day of the March-based year
	doe := yoe*365 + yoe/4 - yoe/100 + doy  // day of the era
	return era*146097 + doe - 719468        // 719468: 0000-03-01 to 1970-01-01
}

// sortedDays sorts day numbers and drops repeats, in place.
func sortedDays(days []int) []int {
	slices.Sort(days)
	return slices.Compact(days)
}

// commonDays is the days in both a and b, both ascending without repeats.
func commonDays(a, b []int) []int {
	var out []int
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// streaks is the current streak of days (day numbers, ascending, no
// repeats) ending on day, as [streak.Current] counts it, and the longest
// run of days up to day ([streak.Longest]).
func streaks(days []int, day int) (current, longest int) {
	current = streak.Current(day, func(d int) bool {
		_, ok := slices.BinarySearch(days, d)
		return ok
	})
	return current, streak.Longest(days, day)
}

// heatmapWeeks is how many weeks the heatmap holds (--json and the memory
// book show them all; a terminal as many as fit, [heatmapWeeksFit]).
const heatmapWeeks = 52

// heatmapWeeksFit is how many weeks of the heatmap fit in width columns:
// a weekday label of 4 columns, then a square and a space a week, and a
// month's name may run one column past the last square. At least one
// week, at most [heatmapWeeks].
func heatmapWeeksFit(width int) int {
	return min(max((width-5)/2, 1), heatmapWeeks)
}

// newHeatmap is the last 52 weeks to end, starting on a Monday, so the
// columns are weeks and the rows weekdays, with nothing written yet; add
// counts the entries.
func newHeatmap(end civil.Date) heatmap {
	back := (int(end.Weekday()) + 6) % 7 // days since Monday
	n := back + 7*(heatmapWeeks-1) + 1
	start := end.AddDays(1 - n)
	return heatmap{Start: start.String(), End: end.String(), Counts: make([]int, n), start: start, first: dayNumber(start)}
}

// add counts one entry written on the day with day number d, when the
// heatmap shows that day.
func (h *heatmap) add(d int) {
	if i := d - h.first; i >= 0 && i < len(h.Counts) {
		h.Counts[i]++
	}
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

// heatmapLines draws the heatmap's last weeks (all, when it holds fewer)
// for a terminal: a line of month names, then one line per weekday. With
// colour, squares in shades of green; without, the plain characters
// · ░ ▒ ▓ █.
func heatmapLines(p Palette, h heatmap, weeks int) []string {
	all := (len(h.Counts) + 6) / 7
	weeks = min(weeks, all)
	skip := all - weeks // weeks left out, the oldest
	months := []byte(strings.Repeat(" ", 2*weeks+1))
	last := time.Month(0)
	for w := range weeks {
		d := h.start.AddDays(7 * (skip + w))
		if d.Month == last {
			continue
		}
		last = d.Month
		// A month is named over its first week, but the first shown when
		// only its end is, and never over the name before it.
		name := d.In(time.UTC).Format("Jan")
		if (w > 0 || d.Day <= 7) && 2*w+len(name) <= len(months) && (w == 0 || months[2*w-1] == ' ') {
			copy(months[2*w:], name)
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
			i := 7*(skip+w) + wd
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

// printStats draws the numbers for a terminal of width columns.
func printStats(w io.Writer, p Palette, v statsView, day civil.Date, width int) {
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
		line := fmt.Sprintf("  %-10s %d entries: %s", displayName(s.Name), s.Entries, strings.Join(kinds, ", "))
		for _, l := range wrapLine(line, width, strings.Repeat(" ", 13)) {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintf(w, "  %-10s %d gratitude notes given, %s of the challenge done\n", "", s.GratitudeNotes, days(s.ChallengeDaysDone))
	}
	fmt.Fprintf(w, "\n%s  %d done, %d open\n", p.Bold("Bucket list"), v.Bucket.Done, v.Bucket.Open)
	weeks := min(heatmapWeeksFit(width), (len(v.Heatmap.Counts)+6)/7)
	span := "The last 52 weeks"
	if weeks < heatmapWeeks {
		from := v.Heatmap.start.AddDays(7 * ((len(v.Heatmap.Counts)+6)/7 - weeks))
		span = fmt.Sprintf("The last %d weeks, since %s", weeks, from.In(time.UTC).Format("Mon 2 Jan 2006"))
		if textWidth(span) > width {
			span = fmt.Sprintf("The last %d weeks", weeks)
		}
	}
	fmt.Fprintf(w, "\n%s\n", p.Bold(span))
	for _, l := range heatmapLines(p, v.Heatmap, weeks) {
		fmt.Fprintln(w, l)
	}
}
