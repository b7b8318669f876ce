package cmd

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

func newBucketCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:   "bucket",
		Short: "Your shared bucket list of small adventures",
		Long: `A shared bucket list: small, achievable adventures to do together. Each
item is a file under bucket/ that both of you can add to and tick off.

An item is named by the number 'bucket list' shows, or by any part of its
title that only it has.`,
		Example: `  reconnect bucket add "Try the new ramen place"
  reconnect bucket add "Pottery class" --note "Both total beginners"
  reconnect bucket list
  reconnect bucket done ramen --note "The spicy miso was worth it"
  reconnect bucket remove 3`,
		Args: exactArgs(0, "a subcommand: add, list, done or remove"),
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(newBucketAddCmd(a, nil), newBucketListCmd(a, nil), newBucketDoneCmd(a, nil), newBucketRemoveCmd(a, nil))
	return c
}

// bucketAddOptions is what 'bucket add' uses: its dependencies (filled from
// the App by the constructor), then its flags.
type bucketAddOptions struct {
	IO    *IOStreams
	Now   func() time.Time
	Write func(ctx context.Context, fn writeFunc) (*Journal, error)

	Date        civil.Date
	Title, Note string
}

// newBucketAddCmd is 'bucket add'. runF runs it, given the options filled
// from the flags; nil is runBucketAdd.
func newBucketAddCmd(a *App, runF func(context.Context, *bucketAddOptions) error) *cobra.Command {
	if runF == nil {
		runF = runBucketAdd
	}
	opts := &bucketAddOptions{IO: a.IO, Now: a.clock(), Write: a.write}
	c := &cobra.Command{
		Use:   "add TITLE",
		Short: "Add an item to the bucket list",
		Example: `  reconnect bucket add "Visit the quirky museum we always drive past"
  reconnect bucket add "One-night getaway" --note "A town an hour away"`,
		Args: exactArgs(1, "one TITLE (quote it)"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Title = args[0]
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day it was added (default today)")
	c.Flags().StringVar(&opts.Note, "note", "", "a note about the item")
	return c
}

func runBucketAdd(ctx context.Context, opts *bucketAddOptions) error {
	saved, err := addShared(ctx, opts.Write, opts.Now(), opts.Title, opts.Note, opts.Date,
		func(title, who string, day civil.Date) *journal.Entry {
			return journal.NewBucketItem(title, who, day, opts.Now())
		},
		func(title string) string { return "bucket add: " + title })
	if err != nil {
		return err
	}
	opts.IO.Printf("%s Added to the bucket list: %s (%s)\n", opts.IO.Palette().Green("✓"), oneLine(saved.Title()), saved.Path)
	return nil
}

// bucketListOptions is what 'bucket list' uses: its dependencies (filled
// from the App by the constructor), then its flags.
type bucketListOptions struct {
	IO          *IOStreams
	OpenJournal func(create bool) (*Journal, error)

	All, JSON bool
}

// newBucketListCmd is 'bucket list'. runF runs it, given the options filled
// from the flags; nil is runBucketList.
func newBucketListCmd(a *App, runF func(context.Context, *bucketListOptions) error) *cobra.Command {
	if runF == nil {
		runF = runBucketList
	}
	opts := &bucketListOptions{IO: a.IO, OpenJournal: a.openJournal}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "Show the bucket list",
		Example: `  reconnect bucket list
  reconnect bucket list --all     # done items too
  reconnect bucket list --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVarP(&opts.All, "all", "a", false, "include items already done")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the items as JSON")
	return c
}

func runBucketList(_ context.Context, opts *bucketListOptions) error {
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	items, err := bucketList().items(j, opts.IO.warn)
	if err != nil {
		return err
	}
	var shown []sharedItem
	for _, it := range items {
		if opts.All || !it.Entry.IsDone() {
			shown = append(shown, it)
		}
	}
	if opts.JSON {
		out := make([]*journal.Entry, len(shown))
		for i, it := range shown {
			out[i] = it.Entry
		}
		return writeJSONTo(opts.IO.Out, entriesJSON(out))
	}
	if len(shown) == 0 {
		if len(items) == 0 {
			opts.IO.Printf("The bucket list is empty. Add a small adventure: reconnect bucket add \"Try the new ramen place\"\n")
		} else {
			opts.IO.Printf("Everything on the bucket list is done. Time to dream up more: reconnect bucket add TITLE\n")
		}
		return nil
	}
	opts.IO.printBucket(shown)
	return nil
}

func (a *App) printBucket(items []sharedItem) { a.IO.printBucket(items) }

// printBucket prints bucket list items, one a line.
func (s *IOStreams) printBucket(items []sharedItem) {
	p := s.Palette()
	width := len(strconv.Itoa(items[len(items)-1].N))
	for _, it := range items {
		mark := "[ ]"
		if it.Entry.IsDone() {
			mark = p.Green("[x]")
		}
		by, _ := it.Entry.Field("done-by")
		extra := p.Dim(fmt.Sprintf("added by %s", displayName(it.Entry.Author)))
		if it.Entry.IsDone() {
			when, _ := it.Entry.Field("done")
			extra = p.Dim(fmt.Sprintf("done %s by %s", oneLine(when), displayName(by)))
		}
		if gitsync.IsConflictCopy(it.Entry.Path) {
			extra += "  " + p.Yellow("(conflict copy)")
		}
		s.Printf("%*d %s %s  %s\n", width, it.N, mark, oneLine(it.Entry.Title()), extra)
	}
}

// bucketDoneText is what 'bucket done' says.
var bucketDoneText = sharedDoneText{
	short: "Tick off a bucket list item",
	example: `  reconnect bucket done 2
  reconnect bucket done ramen --note "The spicy miso was worth it"`,
	ref:     "the item's number or part of its title",
	dayHelp: "the day you did it (default today)",
	cheer:   "Celebrate the small wins!",
}

// newBucketDoneCmd is 'bucket done'. runF runs it, given the options filled
// from the flags; nil is runSharedDone.
func newBucketDoneCmd(a *App, runF func(context.Context, *sharedDoneOptions) error) *cobra.Command {
	return newListDoneCmd(a, bucketList(), bucketDoneText, runF)
}

// bucketRemoveOptions is what 'bucket remove' uses: its dependencies
// (filled from the App by the constructor), then its argument.
type bucketRemoveOptions struct {
	IO    *IOStreams
	Write func(ctx context.Context, fn writeFunc) (*Journal, error)

	Ref string
}

// newBucketRemoveCmd is 'bucket remove'. runF runs it, given the options
// filled from the arguments; nil is runBucketRemove.
func newBucketRemoveCmd(a *App, runF func(context.Context, *bucketRemoveOptions) error) *cobra.Command {
	if runF == nil {
		runF = runBucketRemove
	}
	opts := &bucketRemoveOptions{IO: a.IO, Write: a.write}
	c := &cobra.Command{
		Use:     "remove REF",
		Aliases: []string{"rm"},
		Short:   "Take an item off the bucket list",
		Example: `  reconnect bucket remove 3
  reconnect bucket remove "skydiving"`,
		Args: exactArgs(1, "one REF: the item's number or part of its title"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Ref = args[0]
			return runF(c.Context(), opts)
		},
		ValidArgsFunction: bucketList().complete(a.prepare, a.openJournal),
	}
	return c
}

func runBucketRemove(ctx context.Context, opts *bucketRemoveOptions) error {
	var title string
	_, err := opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		it, err := bucketList().find(j, opts.Ref, opts.IO.warn)
		if err != nil {
			return "", nil, err
		}
		title = it.Entry.Title()
		return "bucket remove: " + title, []gitsync.Change{{Path: it.Entry.Path, Delete: true}}, nil
	})
	if err != nil {
		return err
	}
	opts.IO.Printf("%s Removed from the bucket list: %s\n", opts.IO.Palette().Green("✓"), oneLine(title))
	return nil
}

// optionalText cleans an optional flag's text: "" stays "", anything else
// must be real text.
func optionalText(flag, v string) (string, error) {
	if v == "" {
		return "", nil
	}
	t, err := journal.CleanText(v)
	if err != nil {
		return "", badInput(fmt.Errorf("%s: %w", flag, err))
	}
	return t, nil
}
