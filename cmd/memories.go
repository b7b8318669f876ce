package cmd

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// memoriesOptions is what 'memories' uses: its dependencies (filled from
// the App by the constructor), then its flags.
type memoriesOptions struct {
	reader

	Date    civil.Date
	Authors []string
	JSON    bool
}

// newMemoriesCmd is 'memories'. runF runs it, given the options filled
// from the flags; nil is runMemories (tests pass their own).
func newMemoriesCmd(a *App, runF func(context.Context, *memoriesOptions) error) *cobra.Command {
	if runF == nil {
		runF = runMemories
	}
	opts := &memoriesOptions{reader: a.reader()}
	c := &cobra.Command{
		Use:   "memories",
		Short: "On this day: what you both wrote a month, six months and years ago",
		Long: `On this day: both partners' entries from this day one month ago, six
months ago, one year ago and every earlier year the journal goes back, each
with how long ago it was. A good thing to read together.

A day that does not exist in the earlier month (the 31st, the 29th of
February) looks at that month's last day. --author looks back at what one
of you wrote (me: you).`,
		Example: `  reconnect memories
  reconnect memories --date 2026-12-24    # what Christmas Eves looked like
  reconnect memories --author me
  reconnect memories --json | jq '.memories[].ago'`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	addDateFlag(c, &opts.Date, "look back from this day (default today)")
	addAuthorFilter(c, &opts.Authors)
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the memories as JSON")
	return c
}

// memory is the entries of one day back.
type memory struct {
	Ago     string           `json:"ago"` // "1 month", "6 months", "1 year", "3 years"
	Date    civil.Date       `json:"date"`
	Entries []*journal.Entry `json:"entries"`
}

type memoriesView struct {
	Date     civil.Date `json:"date"`
	Memories []memory   `json:"memories"`
}

// memoryDays is the days to look back at from day, nearest first: one
// month, six months, then every year down to the year first.
func memoryDays(day civil.Date, first int) []memory {
	out := []memory{{Ago: "1 month", Date: day.AddMonths(-1)}, {Ago: "6 months", Date: day.AddMonths(-6)}}
	for y := 1; day.Year-y >= first; y++ {
		ago := strconv.Itoa(y) + " years"
		if y == 1 {
			ago = "1 year"
		}
		out = append(out, memory{Ago: ago, Date: day.AddMonths(-12 * y)})
	}
	return out
}

// firstYear is the earliest year folder of the journal; year when none.
func firstYear(dir string, year int) int {
	names, err := os.ReadDir(dir)
	if err != nil {
		return year
	}
	first := year
	for _, n := range names {
		if y, err := strconv.Atoi(n.Name()); err == nil && len(n.Name()) == 4 && n.IsDir() && y < first {
			first = y
		}
	}
	return first
}

func runMemories(ctx context.Context, opts *memoriesOptions) error {
	day := dayOr(opts.Date, opts.Now())
	authors, err := authorFilter(opts.Authors, opts.Author)
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(ctx)
	if err != nil {
		return err
	}
	who := viewer(opts.Author)
	v := memoriesView{Date: day, Memories: []memory{}}
	for _, m := range memoryDays(day, firstYear(j.Dir, day.Year)) {
		entries, warnings, err := listShown(j, journal.Query{Since: m.Date, Until: m.Date, Authors: authors}, who)
		if err != nil {
			return err
		}
		opts.IO.warn(warnings)
		if len(entries) > 0 {
			m.Entries = entries
			v.Memories = append(v.Memories, m)
		}
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	p := opts.IO.Palette()
	heading := "On this day, " + day.In(time.UTC).Format("2 January")
	if len(v.Memories) == 0 {
		opts.IO.Printf("%s: nothing written a month, six months or a year ago yet.\n", heading)
		return nil
	}
	opts.IO.StartPager()
	defer opts.IO.StopPager()
	w := newFitWriter(opts.IO.Out, viewWidth(opts.IO))
	fmt.Fprintf(w, "%s\n", p.Bold(heading))
	for _, m := range v.Memories {
		fmt.Fprintf(w, "\n%s\n", p.Magenta(fmt.Sprintf("%s ago, %s", m.Ago, m.Date.In(time.UTC).Format("Monday 2 January 2006"))))
		for i, e := range m.Entries {
			if i > 0 {
				fmt.Fprintln(w)
			}
			opts.IO.renderEntry(w, e)
		}
	}
	return w.Flush()
}
