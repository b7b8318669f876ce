package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// newsOptions is what 'news' uses: its dependencies, then its flags.
type newsOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	Freshen     func(ctx context.Context, j *Journal)

	JSON bool
	All  bool
}

// newNewsCmd is 'news'. runF runs it, given the options filled from the
// flags; nil is runNews.
func newNewsCmd(a *App, runF func(context.Context, *newsOptions) error) *cobra.Command {
	if runF == nil {
		runF = runNews
	}
	opts := &newsOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Freshen: a.freshen}
	c := &cobra.Command{
		Use:   "news",
		Short: "What your partner wrote since you last looked",
		Long: `Show what your partner wrote since you last looked, with the text:
their check-in, their replies under the check-in of yours they answer,
thank-yous, wins, their answer to the question of the day once you have
answered it too (until then it stays sealed, and new), State of the Union
notes, challenge days done, and bucket-list items and dates they added.
The evening screen ('reconnect', 'today') opens with the same.

What you have seen is kept on this machine only, for each name, in the
journal's .git folder; it is never synced. An entry counts as new when you
have not seen it, or it changed since, whatever its date or its clock says:
one written offline days ago and synced today is new today. Only entries
dated within the last 60 days are looked at. The first time, news goes back
3 days, not through the whole journal.

Shown news is marked seen ('news' and the evening screen both mark it).
--json prints the same as JSON and marks nothing, nor does --all.`,
		Example: `  reconnect news
  reconnect news --json
  reconnect news --all          # everything of the last 60 days, seen or not`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the news as JSON (marks nothing seen)")
	c.Flags().BoolVar(&opts.All, "all", false, "show everything of the last 60 days, seen or not (marks nothing seen)")
	return c
}

// newsJSON is 'news --json'.
type newsJSON struct {
	You string `json:"you"`
	// Since is when you last looked; null the first time, and with --all.
	Since *time.Time `json:"since"`
	// FirstLook is true when you never looked: the news goes back 3 days.
	FirstLook bool               `json:"first_look"`
	Items     []journal.NewsItem `json:"items"`
	// Sealed are answers you may see once you answered that day's question.
	Sealed []journal.SealedNews `json:"sealed"`
}

func runNews(ctx context.Context, opts *newsOptions) error {
	who, err := opts.Author()
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	if opts.Freshen != nil {
		opts.Freshen(ctx, j)
	}
	now := opts.Now()
	today := civil.Of(now)
	entries, err := newsEntries(j, today, opts.IO.warn)
	if err != nil {
		return err
	}
	st := readNewsState(j, who)
	mark := st.Seen
	if opts.All {
		mark = journal.NewsMark{At: now} // nothing seen, but not a first look
	}
	n := journal.NewsSince(entries, who, mark, today)
	checkNews(ctx, j, n.Items)
	if opts.JSON {
		v := newsJSON{You: who, FirstLook: n.First, Items: n.Items, Sealed: n.Sealed}
		if v.Items == nil {
			v.Items = []journal.NewsItem{}
		}
		if v.Sealed == nil {
			v.Sealed = []journal.SealedNews{}
		}
		if !n.First && !opts.All {
			v.Since = &st.Seen.At
		}
		return writeJSONTo(opts.IO.Out, v)
	}
	w := opts.IO.Out
	if len(n.Items) == 0 {
		from := partnerNames(entries, who)
		switch {
		case opts.All:
			fmt.Fprintf(w, "Nothing from %s in the last %d days.\n", from, journal.NewsWindow)
		case n.First:
			fmt.Fprintf(w, "Nothing new from %s in the last %d days.\n", from, journal.NewsFirstDays)
		default:
			fmt.Fprintf(w, "Nothing new from %s since %s.\n", from, sinceDay(now, st.Seen.At))
		}
	} else {
		renderNews(opts.IO, w, n, who, now, newsSince(n, mark, now, opts.All))
	}
	for _, s := range n.Sealed {
		fmt.Fprintf(w, "%s %s has answered the question %s: answer it to see theirs (reconnect ask --date %s)\n",
			opts.IO.Palette().Dim("·"), displayName(s.Author), relDayAt(now, s.Date), s.Date)
	}
	if !opts.All && (len(n.Items) > 0 || n.First) {
		markNewsSeen(j, who, entries, today, now, st)
	}
	return nil
}

// printNews opens the evening screen of day with what the partner wrote
// since who last looked, and marks it seen; nothing when there is nothing
// new, or when day is not today (a look at another day marks nothing).
func printNews(s *IOStreams, j *Journal, who string, now time.Time, day civil.Date) {
	today := civil.Of(now)
	if day != today {
		return
	}
	entries, err := newsEntries(j, today, s.warn)
	if err != nil {
		return // the rest of the screen says what is wrong with the journal
	}
	st := readNewsState(j, who)
	n := journal.NewsSince(entries, who, st.Seen, today)
	checkNews(context.Background(), j, n.Items)
	if len(n.Items) > 0 {
		renderNews(s, s.Out, n, who, now, newsSince(n, st.Seen, now, false))
		fmt.Fprintln(s.Out)
	}
	if len(n.Items) > 0 || n.First {
		markNewsSeen(j, who, entries, today, now, st)
	}
}

// reportArrivals says, after a sync that brought the partner's changes in,
// what they wrote, in one line for each partner: "Alex wrote: a check-in,
// a reply to your Thorn, 2 thank-yous". What arrived is what was not
// announced or seen before (the news mark), so nothing is said twice.
func reportArrivals(s *IOStreams, open func(create bool) (*Journal, error), author func() (string, error), now time.Time, res gitsync.Result) {
	if res.State != gitsync.StatePulled && res.State != gitsync.StateMerged {
		return
	}
	who, err := author()
	if err != nil {
		return
	}
	j, err := open(false)
	if err != nil {
		return
	}
	today := civil.Of(now)
	entries, err := newsEntries(j, today, func([]error) {})
	if err != nil {
		return
	}
	st := readNewsState(j, who)
	known := st.Known
	if known.IsZero() {
		known = st.Seen
	}
	n := journal.NewsSince(entries, who, known, today)
	for _, line := range arrivalLines(n, who) {
		s.Errorf("%s\n", line)
	}
	st.Known = journal.MarkSeen(entries, who, today, now, true)
	writeNewsState(j, who, st)
}

// newsEntries is what the journal holds from NewsWindow days before today
// on, of every kind, conflict copies left out (they are settled by hand).
func newsEntries(j *Journal, today civil.Date, warn func([]error)) ([]*journal.Entry, error) {
	var kinds []journal.Kind
	for _, k := range journal.Kinds() {
		kinds = append(kinds, k.Kind)
	}
	all, warnings, err := j.Store.List(journal.Query{Since: today.AddDays(-journal.NewsWindow), Kinds: kinds})
	if err != nil {
		return nil, err
	}
	warn(warnings)
	entries := all[:0]
	for _, e := range all {
		if isPlainPath(e.Path) {
			entries = append(entries, e)
		}
	}
	return entries, nil
}

// partnerNames names, for a sentence, who else wrote among entries:
// "Alex", "Alex and Kim", or "your partner".
func partnerNames(entries []*journal.Entry, who string) string {
	set := map[string]bool{}
	for _, e := range entries {
		if e.Author != who {
			set[e.Author] = true
		}
	}
	if len(set) == 0 {
		return "your partner"
	}
	var names []string
	for _, n := range sortedKeys(set) {
		names = append(names, displayName(n))
	}
	return strings.Join(names, " and ")
}

// sinceDay is the day of t for "since ...": "Tue 24 Nov".
func sinceDay(now, t time.Time) string { return t.In(now.Location()).Format("Mon 2 Jan") }

// newsSince is how the news heading says which news it is: "since Tue 24
// Nov", "in the last 3 days" the first time, "in the last 60 days" for
// --all.
func newsSince(n journal.News, mark journal.NewsMark, now time.Time, all bool) string {
	switch {
	case all:
		return fmt.Sprintf("in the last %d days", journal.NewsWindow)
	case n.First:
		return fmt.Sprintf("in the last %d days", journal.NewsFirstDays)
	}
	return "since " + sinceDay(now, mark.At)
}

// renderNews prints the news to w in the colours of s: a heading ("New
// from Alex since Tue 24 Nov"), then each item with its text, replies
// under the check-in they answer. Text from files is printed as written:
// s's own streams filter what a terminal would obey.
func renderNews(s *IOStreams, w io.Writer, n journal.News, who string, now time.Time, since string) {
	p := s.Palette()
	var authors []*journal.Entry
	for _, it := range n.Items {
		authors = append(authors, it.Entry)
	}
	fmt.Fprintf(w, "%s %s\n", p.Bold("New from "+partnerNames(authors, who)), since)
	grouped := map[string]bool{}
	for _, it := range n.Items {
		e := it.Entry
		name := displayName(e.Author)
		when := relDayAt(now, e.Date)
		changed := ""
		if it.Changed {
			changed = " (changed)"
		}
		switch e.Kind {
		case journal.KindReply:
			if it.To == nil {
				to, _ := e.Field(journal.FieldTo)
				fmt.Fprintf(w, "  %s %s replied %s to %s%s:\n", p.Magenta("↳"), name, when, cut(oneLine(to), 60), changed)
				s.renderSections(w, e, "  ")
				continue
			}
			if grouped[it.To.Path] {
				continue
			}
			grouped[it.To.Path] = true
			whose := "Your"
			if it.To.Author != who {
				whose = displayName(it.To.Author) + "'s"
			}
			fmt.Fprintf(w, "  %s check-in %s\n", whose, relDayAt(now, it.To.Date))
			if thorn, ok := it.To.Section("Thorn"); ok && strings.TrimSpace(thorn) != "" {
				fmt.Fprintf(w, "    %s\n", p.Bold(sectionLabel(p, "Thorn")))
				for _, line := range strings.Split(thorn, "\n") {
					fmt.Fprintf(w, "      %s\n", line)
				}
			} else {
				s.renderSections(w, it.To, "    ")
			}
			for _, r := range n.Items {
				if r.Entry.Kind == journal.KindReply && r.To != nil && r.To.Path == it.To.Path {
					ch := ""
					if r.Changed {
						ch = " (changed)"
					}
					fmt.Fprintf(w, "    %s %s replied %s%s:\n", p.Magenta("↳"), displayName(r.Entry.Author), relDayAt(now, r.Entry.Date), ch)
					s.renderSections(w, r.Entry, "    ")
				}
			}
		case journal.KindCheckin:
			fmt.Fprintf(w, "  %s %s checked in %s%s\n", p.Green("✓"), name, when, changed)
			s.renderSections(w, e, "    ")
		case journal.KindThanks:
			fmt.Fprintf(w, "  %s %s thanked you %s%s:\n", p.Magenta("♥"), name, when, changed)
			s.renderSections(w, e, "  ")
		case journal.KindWin:
			fmt.Fprintf(w, "  %s %s's win %s%s:\n", p.Yellow("*"), name, when, changed)
			s.renderSections(w, e, "  ")
		case journal.KindAnswer:
			q, _ := e.Field(journal.FieldQuestion)
			fmt.Fprintf(w, "  ? %s answered the question %s%s: %s\n", name, when, changed, oneLine(q))
			if r, _ := e.Field(journal.FieldReveal); r != "" {
				fmt.Fprintf(w, "    %s\n", p.Yellow(revealNote(e.Author, journal.RevealCheck(r))))
			}
			s.renderSections(w, e, "  ")
		case journal.KindUnion:
			fmt.Fprintf(w, "  %s's State of the Union notes %s%s:\n", name, when, changed)
			s.renderSections(w, e, "    ")
		case journal.KindBegin:
			fmt.Fprintf(w, "  %s %s wrote how you begin again %s%s:\n", p.Magenta("♥"), name, when, changed)
			s.renderSections(w, e, "    ")
		case journal.KindChallenge:
			day, emo, phys := e.ChallengeMarks()
			var did []string
			if emo {
				did = append(did, "emotional")
			}
			if phys {
				did = append(did, "physical")
			}
			what := strings.Join(did, " and ")
			if what == "" {
				what = "nothing marked"
			}
			fmt.Fprintf(w, "  %s %s did challenge day %d %s: %s%s\n", p.Green("✓"), name, day, when, what, changed)
			s.renderSections(w, e, "  ")
		case journal.KindChallengeStart:
			on, _ := e.DateField(journal.FieldOn)
			fmt.Fprintf(w, "  %s started a 30-day challenge, from %s%s\n", name, strings.TrimPrefix(relDayAt(now, on), "on "), changed)
		case journal.KindBucket:
			fmt.Fprintf(w, "  %s added to the bucket list: %s\n", name, oneLine(e.Title()))
		case journal.KindDate:
			on, _ := e.DateField(journal.FieldOn)
			fmt.Fprintf(w, "  %s planned a date: %s, %s\n", name, oneLine(e.Title()), strings.TrimPrefix(relDayAt(now, on), "on "))
		}
	}
}

// arrivalLines is one line for each partner that says what they wrote:
// "Alex wrote: a check-in, a reply to your Thorn, 2 thank-yous".
func arrivalLines(n journal.News, who string) []string {
	type counts struct {
		checkins, thornReplies, replies, otherReplies, thanks, wins, answers, sealed,
		unions, begins, days, starts, bucket, dates int
	}
	by := map[string]*counts{}
	get := func(a string) *counts {
		if by[a] == nil {
			by[a] = &counts{}
		}
		return by[a]
	}
	for _, it := range n.Items {
		c := get(it.Entry.Author)
		switch it.Entry.Kind {
		case journal.KindCheckin:
			c.checkins++
		case journal.KindReply:
			switch {
			case it.To != nil && it.To.Author == who:
				if thorn, ok := it.To.Section("Thorn"); ok && strings.TrimSpace(thorn) != "" {
					c.thornReplies++
				} else {
					c.replies++
				}
			case it.To == nil && journal.RepliesTo(it.Entry, who):
				c.replies++
			default:
				c.otherReplies++
			}
		case journal.KindThanks:
			c.thanks++
		case journal.KindWin:
			c.wins++
		case journal.KindAnswer:
			c.answers++
		case journal.KindUnion:
			c.unions++
		case journal.KindBegin:
			c.begins++
		case journal.KindChallenge:
			c.days++
		case journal.KindChallengeStart:
			c.starts++
		case journal.KindBucket:
			c.bucket++
		case journal.KindDate:
			c.dates++
		}
	}
	for _, s := range n.Sealed {
		get(s.Author).sealed++
	}
	count := func(n int, one, many string) string {
		switch n {
		case 0:
			return ""
		case 1:
			return one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	var lines []string
	for _, a := range sortedKeys(by) {
		c := by[a]
		var parts []string
		for _, s := range []string{
			count(c.checkins, "a check-in", "check-ins"),
			count(c.thornReplies, "a reply to your Thorn", "replies to your Thorns"),
			count(c.replies, "a reply to your check-in", "replies to your check-ins"),
			count(c.otherReplies, "a reply", "replies"),
			count(c.thanks, "a thank-you", "thank-yous"),
			count(c.wins, "a win", "wins"),
			count(c.answers, "an answer to the question", "answers to the question"),
			count(c.sealed, "an answer, sealed until you answer", "answers, sealed until you answer"),
			count(c.unions, "State of the Union notes", "State of the Union notes"),
			count(c.begins, "how you begin again", "how you begin again"),
			count(c.days, "a challenge day done", "challenge days done"),
			count(c.starts, "a 30-day challenge start", "30-day challenge starts"),
			count(c.bucket, "a bucket-list item", "bucket-list items"),
			count(c.dates, "a date plan", "date plans"),
		} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		lines = append(lines, displayName(a)+" wrote: "+strings.Join(parts, ", "))
	}
	return lines
}

// newsState is what this machine remembers of what a person has seen, in
// the journal's .git folder (one file per name, never synced): the news
// they were shown (Seen) and what a sync already announced (Known).
type newsState struct {
	Seen  journal.NewsMark `json:"seen"`
	Known journal.NewsMark `json:"known"`
}

func newsStatePath(j *Journal, who string) string {
	return filepath.Join(j.Dir, ".git", "reconnect-seen-"+who+".json")
}

// readNewsState is who's news state; a missing or broken file is a first
// look (the news then goes back a few days only).
func readNewsState(j *Journal, who string) newsState {
	var st newsState
	if data, err := os.ReadFile(newsStatePath(j, who)); err == nil {
		if json.Unmarshal(data, &st) != nil {
			return newsState{}
		}
	}
	return st
}

// writeNewsState writes who's news state atomically; failing to is only a
// news shown again later.
func writeNewsState(j *Journal, who string, st newsState) {
	data, err := json.Marshal(st)
	if err != nil {
		return
	}
	_ = fsutil.WriteFile(newsStatePath(j, who), data, fsutil.FileMode)
}

// markNewsSeen records that who has been shown the news of entries: all
// of it is seen (sealed answers but), and known (nothing of it is
// announced after a later sync).
func markNewsSeen(j *Journal, who string, entries []*journal.Entry, today civil.Date, now time.Time, st newsState) {
	st.Seen = journal.MarkSeen(entries, who, today, now, false)
	st.Known = journal.MarkSeen(entries, who, today, now, true)
	writeNewsState(j, who, st)
}
