package cmd

import (
	"context"
	"fmt"
	"strconv"

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
	c.AddCommand(newBucketAddCmd(a), newBucketListCmd(a), newSharedDoneCmd(a, bucketList(), sharedDoneText{
		short: "Tick off a bucket list item",
		example: `  reconnect bucket done 2
  reconnect bucket done ramen --note "The spicy miso was worth it"`,
		ref:     "the item's number or part of its title",
		dayHelp: "the day you did it (default today)",
		cheer:   "Celebrate the small wins!",
	}), newBucketRemoveCmd(a))
	return c
}

type bucketAddOptions struct {
	Date        civil.Date
	Title, Note string
}

func newBucketAddCmd(a *App) *cobra.Command {
	opts := &bucketAddOptions{}
	c := &cobra.Command{
		Use:   "add TITLE",
		Short: "Add an item to the bucket list",
		Example: `  reconnect bucket add "Visit the quirky museum we always drive past"
  reconnect bucket add "One-night getaway" --note "A town an hour away"`,
		Args: exactArgs(1, "one TITLE (quote it)"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Title = args[0]
			return runBucketAdd(c.Context(), a, opts)
		},
	}
	addDateFlag(c, &opts.Date, "the day it was added (default today)")
	c.Flags().StringVar(&opts.Note, "note", "", "a note about the item")
	return c
}

func runBucketAdd(ctx context.Context, a *App, opts *bucketAddOptions) error {
	saved, err := a.addShared(ctx, opts.Title, opts.Note, opts.Date,
		func(title, who string, day civil.Date) *journal.Entry {
			return journal.NewBucketItem(title, who, day, a.Now())
		},
		func(title string) string { return "bucket add: " + title })
	if err != nil {
		return err
	}
	a.IO.Printf("%s Added to the bucket list: %s (%s)\n", a.IO.Palette().Green("✓"), oneLine(saved.Title()), saved.Path)
	return nil
}

type bucketListOptions struct {
	All, JSON bool
}

func newBucketListCmd(a *App) *cobra.Command {
	opts := &bucketListOptions{}
	c := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "Show the bucket list",
		Example: `  reconnect bucket list
  reconnect bucket list --all     # done items too
  reconnect bucket list --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runBucketList(c.Context(), a, opts) },
	}
	c.Flags().BoolVarP(&opts.All, "all", "a", false, "include items already done")
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the items as JSON")
	return c
}

func runBucketList(ctx context.Context, a *App, opts *bucketListOptions) error {
	j, err := a.openJournal(false)
	if err != nil {
		return err
	}
	items, err := a.sharedItems(j, bucketList())
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
		return a.writeJSON(entriesJSON(out))
	}
	if len(shown) == 0 {
		if len(items) == 0 {
			a.IO.Printf("The bucket list is empty. Add a small adventure: reconnect bucket add \"Try the new ramen place\"\n")
		} else {
			a.IO.Printf("Everything on the bucket list is done. Time to dream up more: reconnect bucket add TITLE\n")
		}
		return nil
	}
	a.printBucket(shown)
	return nil
}

func (a *App) printBucket(items []sharedItem) {
	p := a.IO.Palette()
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
		a.IO.Printf("%*d %s %s  %s\n", width, it.N, mark, oneLine(it.Entry.Title()), extra)
	}
}

func newBucketRemoveCmd(a *App) *cobra.Command {
	c := &cobra.Command{
		Use:     "remove REF",
		Aliases: []string{"rm"},
		Short:   "Take an item off the bucket list",
		Example: `  reconnect bucket remove 3
  reconnect bucket remove "skydiving"`,
		Args: exactArgs(1, "one REF: the item's number or part of its title"),
		RunE: func(c *cobra.Command, args []string) error {
			return runBucketRemove(c.Context(), a, args[0])
		},
		ValidArgsFunction: a.completeShared(bucketList()),
	}
	return c
}

func runBucketRemove(ctx context.Context, a *App, ref string) error {
	var title string
	_, err := a.write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		it, err := a.findShared(j, bucketList(), ref)
		if err != nil {
			return "", nil, err
		}
		title = it.Entry.Title()
		return "bucket remove: " + title, []gitsync.Change{{Path: it.Entry.Path, Delete: true}}, nil
	})
	if err != nil {
		return err
	}
	a.IO.Printf("%s Removed from the bucket list: %s\n", a.IO.Palette().Green("✓"), oneLine(title))
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
