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

type memoriesOptions struct {
	Date civil.Date
	JSON bool
}

func newMemoriesCmd(a *App) *cobra.Command {
	opts := &memoriesOptions{}
	c := &cobra.Command{
		Use:   "memories",
		Short: "On this day: what you both wrote a month, six months and years ago",
		Long: `On this day: both partners' entries from this day one month ago, six
months ago, one year ago and every earlier year the journal goes back, each
with how long ago it was. A good thing to read together.

A day that does not exist in the earlier month (the 31st, the 29th of
February) looks at that month's last day.`,
		Example: `  reconnect memories
  reconnect memories --date 2026-12-24    # what Christmas Eves looked like
  reconnect memories --json | jq '.memories[].ago'`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runMemories(c.Context(), a, opts) },
	}
	addDateFlag(c, &opts.Date, "look back from this day (default today)")
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

func runMemories(ctx context.Context, a *App, opts *memoriesOptions) error {
	day := a.dateOr(opts.Date)
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	a.freshen(ctx, j)
	v := memoriesView{Date: day, Memories: []memory{}}
	for _, m := range memoryDays(day, firstYear(j.Dir, day.Year)) {
		entries, warnings, err := a.listShown(j, journal.Query{Since: m.Date, Until: m.Date})
		if err != nil {
			return err
		}
		a.warn(warnings)
		if len(entries) > 0 {
			m.Entries = entries
			v.Memories = append(v.Memories, m)
		}
	}
	if opts.JSON {
		return a.writeJSON(v)
	}
	p := a.IO.Palette()
	heading := "On this day, " + day.In(time.UTC).Format("2 January")
	if len(v.Memories) == 0 {
		a.IO.Printf("%s: nothing written a month, six months or a year ago yet.\n", heading)
		return nil
	}
	a.IO.StartPager()
	defer a.IO.StopPager()
	a.IO.Printf("%s\n", p.Bold(heading))
	for _, m := range v.Memories {
		a.IO.Printf("\n%s\n", p.Magenta(fmt.Sprintf("%s ago, %s", m.Ago, m.Date.In(time.UTC).Format("Monday 2 January 2006"))))
		for i, e := range m.Entries {
			if i > 0 {
				fmt.Fprintln(a.IO.Out)
			}
			a.renderEntry(a.IO.Out, e)
		}
	}
	return nil
}
