package cmd

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// sharedList is one of the lists both partners add to and tick off: the
// bucket list and planned dates. Their items are files in a folder of their
// own (journal.Store.Shared), named on the command line by a REF.
type sharedList struct {
	kind journal.Kind
	noun string // one item, in messages: "bucket item", "date"
	cmd  string // the command that lists them: "bucket", "date"
}

func bucketList() sharedList { return sharedList{journal.KindBucket, "bucket item", "bucket"} }
func dateList() sharedList   { return sharedList{journal.KindDate, "date", "date"} }

// sharedItem is an item with the number its list shows for it. Numbers
// count every item in the order they were added, so a number means the same
// item whether done items are shown or not.
type sharedItem struct {
	N     int
	Entry *journal.Entry
}

// sharedItems is [sharedList.items], warnings on stderr.
func (a *App) sharedItems(j *Journal, l sharedList) ([]sharedItem, error) { return l.items(j, a.warn) }

// items is the list's items, numbered; warnings about files that could not
// be read go to warn.
func (l sharedList) items(j *Journal, warn func([]error)) ([]sharedItem, error) {
	entries, warnings, err := j.Store.Shared(l.kind)
	if err != nil {
		return nil, err
	}
	warn(warnings)
	items := make([]sharedItem, len(entries))
	for i, e := range entries {
		items[i] = sharedItem{N: i + 1, Entry: e}
	}
	return items, nil
}

// addShared adds an item to a list as one commit: title (one line) and an
// optional note are checked first, then newItem makes the entry for who on
// the day it is added, and msg names the commit.
func (a *App) addShared(ctx context.Context, rawTitle, rawNote string, date civil.Date,
	newItem func(title, who string, day civil.Date) *journal.Entry, msg func(title string) string) (*journal.Entry, error) {
	return addShared(ctx, a.write, a.Now(), rawTitle, rawNote, date, newItem, msg)
}

// addShared is [App.addShared] with what it uses: write commits, now is
// the time now.
func addShared(ctx context.Context, write func(context.Context, writeFunc) (*Journal, error), now time.Time,
	rawTitle, rawNote string, date civil.Date,
	newItem func(title, who string, day civil.Date) *journal.Entry, msg func(title string) string) (*journal.Entry, error) {
	title, err := journal.CleanText(rawTitle)
	if err != nil {
		return nil, badInput(fmt.Errorf("title: %w", err))
	}
	if strings.Contains(title, "\n") {
		return nil, usagef("title: a title is one line")
	}
	note, err := optionalText("--note", rawNote)
	if err != nil {
		return nil, err
	}
	day, err := writeDayAt(date, now)
	if err != nil {
		return nil, err
	}
	var saved *journal.Entry
	_, err = write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newItem(title, who, day)
		if note != "" {
			e.SetSection("", note)
		}
		e.Path = journal.PathFor(e, j.Store.Exists)
		saved = e
		return msg(title), []gitsync.Change{changeFor(e)}, nil
	})
	return saved, err
}

// find resolves REF: a number from the list, or a part of one title (of
// several, the one that is not a day of a series ticked off). No match or
// several are exit 2, listing the candidates; warnings about files that
// could not be read go to warn.
func (l sharedList) find(j *Journal, ref string, warn func([]error)) (sharedItem, error) {
	items, err := l.items(j, warn)
	if err != nil {
		return sharedItem{}, err
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return sharedItem{}, usagef("an empty REF names no %s", l.noun)
	}
	if n, err := strconv.Atoi(ref); err == nil {
		for _, it := range items {
			if it.N == n {
				return it, nil
			}
		}
		return sharedItem{}, withHint(usagef("no %s number %d", l.noun, n), "'reconnect %s list --all' shows the numbers", l.cmd)
	}
	var matches []sharedItem
	for _, it := range items {
		if strings.EqualFold(it.Entry.Title(), ref) {
			return it, nil
		}
		if strings.Contains(strings.ToLower(it.Entry.Title()), strings.ToLower(ref)) {
			matches = append(matches, it)
		}
	}
	if len(matches) > 1 {
		// A day of a series ticked off has the series' title: the
		// series is what a part of it names.
		series := slices.DeleteFunc(slices.Clone(matches), func(it sharedItem) bool { return it.Entry.Series() != "" })
		if len(series) == 1 {
			return series[0], nil
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return sharedItem{}, withHint(usagef("no %s matches %q", l.noun, ref), "'reconnect %s list --all' shows them all", l.cmd)
	}
	var names []string
	for _, m := range matches {
		names = append(names, fmt.Sprintf("  %d %s  (added %s)", m.N, oneLine(m.Entry.Title()), m.Entry.Date))
	}
	return sharedItem{}, withHint(usagef("%q matches %d %ss:\n%s", ref, len(matches), l.noun, strings.Join(names, "\n")),
		"use the number, or more of the title")
}

// markDone ticks off the item REF names, on day, with an optional note
// under '## Done', as one commit, and returns the item's title: write
// commits, warnings go to warn, now is the time now. A date cancelled is
// not ticked off; for a date that recurs, the last of its days on or
// before day is ticked off, as a date of its own ([journal.NewDateHad]),
// and had is that day, next the series' next one (the series goes on).
func (l sharedList) markDone(ctx context.Context, write func(context.Context, writeFunc) (*Journal, error), warn func([]error),
	now time.Time, ref, note string, day civil.Date) (title string, had, next civil.Date, err error) {
	_, err = write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		it, err := l.find(j, ref, warn)
		if err != nil {
			return "", nil, err
		}
		title = it.Entry.Title()
		if it.Entry.IsDone() {
			return "", nil, usagef("%q is already done", title)
		}
		if it.Entry.IsCancelled() {
			return "", nil, withHint(usagef("%q was cancelled", oneLine(title)), "plan it again: reconnect %s plan TITLE --on DAY", l.cmd)
		}
		e := it.Entry
		if every := it.Entry.EveryDays(); every > 0 {
			var ok bool
			if had, ok = e.LastOn(day); !ok {
				on, _ := e.DateField(journal.FieldOn)
				return "", nil, usagef("%q starts on %s: there is none to tick off yet", oneLine(title), on)
			}
			all, _, err := j.Store.Shared(l.kind)
			if err != nil {
				return "", nil, err
			}
			if journal.HadOn(all, e.Path, had) != nil {
				return "", nil, usagef("%q on %s is already done", oneLine(title), had)
			}
			next, _ = e.NextOn(had.AddDays(1))
			e = journal.NewDateHad(e, who, now, had, day)
			e.Path = journal.PathFor(e, j.Store.Exists)
		} else {
			e.MarkDone(who, day)
		}
		if note != "" {
			e.SetSection("Done", note)
		}
		msg := l.cmd + " done: " + title
		if !had.IsZero() {
			msg += " " + had.String()
		}
		return msg, []gitsync.Change{changeFor(e)}, nil
	})
	return title, had, next, err
}

// complete offers the open items of the list for a REF argument: prepare
// resolves the config and --journal first, open opens the journal.
func (l sharedList) complete(prepare func() error, open func(create bool) (*Journal, error)) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 || prepare() != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		j, err := open(false)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		entries, _, _ := j.Store.Shared(l.kind)
		var out []string
		for i, e := range entries {
			if !e.IsDone() && !e.IsCancelled() {
				// One line: a newline or a tab in a title would be a
				// candidate or a description of its own to the shell.
				out = append(out, fmt.Sprintf("%d\t%s", i+1, oneLine(e.Title())))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// sharedDoneOptions is what 'bucket done' and 'date done' use: their
// dependencies (filled from the App by the constructor), the list and
// what is said when done, then the flags.
type sharedDoneOptions struct {
	IO    *IOStreams
	Now   func() time.Time
	Write func(ctx context.Context, fn writeFunc) (*Journal, error)

	List  sharedList
	Cheer string

	Date      civil.Date
	Ref, Note string
}

// sharedDoneText is what differs between 'bucket done' and 'date done'.
type sharedDoneText struct {
	short, example, ref, dayHelp, cheer string
}

// newListDoneCmd is 'done' of list l. runF runs it, given the options
// filled from the flags; nil is runSharedDone.
func newListDoneCmd(a *App, l sharedList, t sharedDoneText, runF func(context.Context, *sharedDoneOptions) error) *cobra.Command {
	if runF == nil {
		runF = runSharedDone
	}
	opts := &sharedDoneOptions{IO: a.IO, Now: a.clock(), Write: a.write, List: l, Cheer: t.cheer}
	c := &cobra.Command{
		Use:     "done REF",
		Short:   t.short,
		Example: t.example,
		Args:    exactArgs(1, "one REF: "+t.ref),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Ref = args[0]
			return runF(c.Context(), opts)
		},
		ValidArgsFunction: l.complete(a.prepare, a.openJournal),
	}
	addDateFlag(c, &opts.Date, t.dayHelp)
	c.Flags().StringVar(&opts.Note, "note", "", "how it went")
	return c
}

func runSharedDone(ctx context.Context, opts *sharedDoneOptions) error {
	note, err := optionalText("--note", opts.Note)
	if err != nil {
		return err
	}
	day, err := writeDayAt(opts.Date, opts.Now())
	if err != nil {
		return err
	}
	title, had, next, err := opts.List.markDone(ctx, opts.Write, opts.IO.warn, opts.Now(), opts.Ref, note, day)
	if err != nil {
		return err
	}
	if !had.IsZero() {
		opts.IO.Printf("%s Done: %s, %s. The next one is %s.\n", opts.IO.Palette().Green("✓"), oneLine(title),
			strings.TrimPrefix(relDayFrom(day, had), "on "), strings.TrimPrefix(relDayFrom(day, next), "on "))
		return nil
	}
	opts.IO.Printf("%s Done: %s. %s\n", opts.IO.Palette().Green("✓"), oneLine(title), opts.Cheer)
	return nil
}
