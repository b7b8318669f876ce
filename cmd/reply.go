package cmd

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// replyOptions is what 'reply' uses: its dependencies (filled from the App
// by the constructor), then its arguments and flags.
type replyOptions struct {
	IO          *IOStreams
	Now         func() time.Time
	Author      func() (string, error)
	OpenJournal func(create bool) (*Journal, error)
	Freshen     func(ctx context.Context, j *Journal) // brings the partner's entries in
	Write       func(ctx context.Context, fn writeFunc) (*Journal, error)
	Prompter    Prompter

	Day  civil.Date // the day of the check-in answered
	To   string     // whose check-in; "" for the one partner who wrote one
	Text string
}

// newReplyCmd is 'reply'. runF runs it, given the options filled from the
// arguments and flags; nil is runReply.
func newReplyCmd(a *App, runF func(context.Context, *replyOptions) error) *cobra.Command {
	if runF == nil {
		runF = runReply
	}
	opts := &replyOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Freshen: a.freshen,
		Write: a.write, Prompter: a.Prompter}
	var dateFlag civil.Date
	c := &cobra.Command{
		Use:   "reply DATE [TEXT]",
		Short: "Answer your partner's check-in: listen, reflect the feeling, don't fix",
		Long: `Reply to your partner's check-in of a day, their Thorn above all. DATE
is a day as you would say it: today, yesterday, a weekday (friday, last
friday), 3 days ago, or YYYY-MM-DD. This is active listening: listen for the
emotion behind the words, and resist the instinct to jump in with a
solution. Your job isn't to fix it; it's to validate their experience.

Instead of "Wow, your coworker sounds like a jerk," try "It sounds like you
felt really unappreciated when that happened." Starters that help:

  It sounds like you felt...
  What I'm hearing is...
  It makes sense that you'd feel that way.
  Did I get that right?

With no TEXT, piped input is the reply (up to 1 MiB: more is refused, never
cut short); at a terminal their check-in is shown and a form takes your
reply. 'show DATE' shows replies under the check-in they answer.`,
		Example: `  reconnect reply today "It sounds like you felt really unappreciated."
  reconnect reply 2026-11-20 "That sounds exhausting. Tell me more?"
  reconnect reply yesterday                      # a form, at a terminal
  reconnect reply last friday "That sounds like a lot to carry."
  reconnect reply --date 2026-11-20 --to alex "It makes sense you'd feel that way."`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 && !c.Flags().Changed("date") {
				return withHint(usagef("reply takes the DATE of the check-in you answer"),
					"reconnect reply today \"It sounds like you felt...\"")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if c.Flags().Changed("date") {
				opts.Day = dateFlag
			} else {
				d, n, err := dayArg(args, opts.Now(), civil.Back)
				if err != nil {
					return err
				}
				opts.Day, args = d, args[n:]
			}
			opts.Text = strings.Join(args, " ")
			return runF(c.Context(), opts)
		},
	}
	addDateFlag(c, &dateFlag, "the day of the check-in you answer (instead of DATE)")
	c.Flags().StringVar(&opts.To, "to", "", "whose check-in, when more than one partner wrote one that day")
	c.ValidArgsFunction = completeDayArg(opts.Now, civil.Back)
	_ = c.RegisterFlagCompletionFunc("to", a.completeAuthors(false))
	return c
}

func runReply(ctx context.Context, opts *replyOptions) error {
	who, err := opts.Author()
	if err != nil {
		return err
	}
	if opts.To != "" {
		if err := journal.ValidAuthor(opts.To); err != nil {
			return badInput(fmt.Errorf("--to: %w", err))
		}
		if opts.To == who {
			return usagef("--to %s is you: reply to your partner's check-in", who)
		}
	}
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	opts.Freshen(ctx, j)
	target, err := opts.target(j, who)
	if err != nil {
		return err
	}
	text := opts.Text
	if text == "" && opts.IO.CanPrompt() {
		hint, starters := prompts.ListeningCoach()
		opts.IO.Printf("%s's check-in %s:\n", displayName(target.Author), relDayAt(opts.Now(), opts.Day))
		opts.IO.renderSections(opts.IO.Out, target, "  ")
		opts.IO.Printf("\n%s\n\n", opts.IO.Palette().Dim(hint))
		answers, err := opts.Prompter.Form(ctx, "", []FormField{{Key: "text",
			Title:       "Your reply to " + displayName(target.Author),
			Description: "Reflect the feeling; don't fix. " + strings.Join(starters[:min(3, len(starters))], " "),
			Placeholder: starters[0]}})
		if err != nil {
			return err
		}
		text = answers["text"]
		if strings.TrimSpace(text) == "" {
			return usagef("an empty reply is not saved")
		}
	}
	text, err = textInput{opts.IO, opts.Prompter}.read(ctx, text, "reply", "", "")
	if err != nil {
		return err
	}
	var saved *journal.Entry
	_, err = opts.Write(ctx, func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := journal.NewReply(who, civil.Of(opts.Now()), opts.Now(), target.Path, text)
		e.Path = journal.PathFor(e, j.Store.Exists)
		saved = e
		return fmt.Sprintf("reply: %s to %s %s", who, target.Author, target.Date), []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		return err
	}
	opts.IO.Printf("%s Saved your reply to %s's check-in %s (%s)\n", opts.IO.Palette().Green("✓"),
		displayName(target.Author), relDayAt(opts.Now(), target.Date), saved.Path)
	return nil
}

// target is the partner's check-in of opts.Day that a reply answers:
// --to's, or the only one by someone other than who. None, or several
// without --to, is bad input.
func (opts *replyOptions) target(j *Journal, who string) (*journal.Entry, error) {
	to, day := opts.To, opts.Day
	entries, warnings, err := j.Store.List(journal.Query{Since: day, Until: day, Kinds: []journal.Kind{journal.KindCheckin}})
	if err != nil {
		return nil, err
	}
	opts.IO.warn(warnings)
	byAuthor := map[string]*journal.Entry{}
	for _, e := range entries {
		if e.Author == who || (to != "" && e.Author != to) {
			continue
		}
		if _, seen := byAuthor[e.Author]; !seen || isPlainPath(e.Path) {
			byAuthor[e.Author] = e
		}
	}
	names := sortedKeys(byAuthor)
	switch {
	case len(names) == 1:
		return byAuthor[names[0]], nil
	case len(names) == 0 && to != "":
		return nil, withHint(usagef("%s has no check-in %s: nothing to reply to", displayName(to), relDayAt(opts.Now(), day)),
			"'reconnect show %s' shows what was written that day", day)
	case len(names) == 0:
		return nil, withHint(usagef("your partner has no check-in %s: nothing to reply to", relDayAt(opts.Now(), day)),
			"'reconnect show %s' shows what was written that day", day)
	}
	return nil, withHint(usagef("%s checked in %s: say whose check-in you answer", strings.Join(names, " and "), relDayAt(opts.Now(), day)),
		"add --to %s", names[0])
}
