package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
)

// exportOptions is what 'export' uses: its dependencies (filled from the
// App by the constructor), then its flags.
type exportOptions struct {
	reader
	// UnionEvery is the State of the Union's cadence in days, UnionDue
	// when it is next due (for a calendar).
	UnionEvery func() int
	UnionDue   func(*Journal, civil.Date) (unionView, error)
	// Alarm is how long before an event a calendar's alarm goes off
	// (calendar.alarm; 0 for none).
	Alarm func() time.Duration

	Authors      []string
	Format       string
	Out          string
	Since, Until civil.Date
	Date         civil.Date
	OnePage      bool // html: one page, however many years
}

// exportFormats are the formats export writes, by name.
var exportFormats = []string{"json", "markdown", "html", "ics"}

// newExportCmd is 'export'. runF runs it, given the options filled from
// the flags; nil is runExport (tests pass their own).
func newExportCmd(a *App, runF func(context.Context, *exportOptions) error) *cobra.Command {
	if runF == nil {
		runF = runExport
	}
	opts := &exportOptions{
		reader:     a.reader(),
		UnionEvery: func() int { return a.cfg.unionEvery() },
		UnionDue:   a.unionDue,
		Alarm:      func() time.Duration { return a.cfg.calendarAlarm() },
	}
	c := &cobra.Command{
		Use:   "export --format FORMAT",
		Short: "Write the journal out as one file: JSON, Markdown, a memory book or a calendar",
		Long: `Write the whole journal (or the days between --since and --until) out as
one file, oldest first:

  json       every entry as the JSON that 'reconnect log --json' prints
  markdown   one readable document, month by month, then the bucket list
  html       a memory book to open in a browser together, nothing fetched
             from the network. Your story month by month with the two of
             you side by side (Markdown shown as such, replies under the
             check-in they answer), the exported days as a heatmap, the
             bucket list done and open, your dates and the challenge grid.
             It reads well on a phone and prints well. Up to two calendar
             years it is one page; a longer book is an index and a page a
             year, written with --out into a folder (index.html, 2024.html,
             ...); --one-page makes it one file however long
  ics        a calendar (RFC 5545) to import into the one you already use:
             your planned dates (done ones too), the 30 days of the running
             challenge with each day's two activities, and the State of the
             Union every union.every days from the last one. Each event keeps
             its UID from one export to the next, so importing again updates
             the events rather than adding them twice. --since and --until
             pick the days of dates and challenge days

--author exports only what that partner wrote (me: you); in a calendar,
the dates they planned (the challenge and the State of the Union are both
of yours).

Without --out the export goes to standard output; with it, the file is
written whole or not at all, readable only by you, into a folder that must
already exist. A memory book given a folder as --out is written into it:
its index.html, and a page a year when it has them (the years first, the
index last, each file whole).

The file is the journal's text exactly. On standard output, as in all that
reconnect prints, a control character from an entry (an escape sequence, a
bell, a carriage return) is shown as its symbol (␛, ␇, ␍) rather than sent
to your terminal; everything else is the same. A calendar (ics) cannot hold
control characters at all: there they are shown the same way, file or not.`,
		Example: `  reconnect export --format markdown --out journal.md
  reconnect export --format json --since 2026-01-01 | jq length
  reconnect export --format html --out memory-book.html --since 2026-01-01
  mkdir book && reconnect export --format html --out book   # a page a year
  reconnect export --format markdown --author me --out mine.md
  reconnect export --format ics --out reconnect.ics     # then import it in your calendar`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	f := c.Flags()
	f.StringVar(&opts.Format, "format", "", "what to write: "+strings.Join(exportFormats, ", "))
	f.StringVarP(&opts.Out, "out", "o", "", "write to this `file` instead of standard output")
	f.Var(dateValue{&opts.Since}, "since", "only entries on or after this day")
	f.Var(dateValue{&opts.Until}, "until", "only entries on or before this day")
	f.BoolVar(&opts.OnePage, "one-page", false, "html: the memory book as one page, however many years it holds")
	addDateFlag(c, &opts.Date, "export as the journal stood on this day: nothing written after it")
	addAuthorFilter(c, &opts.Authors)
	_ = c.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exportFormats, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

func runExport(ctx context.Context, opts *exportOptions) error {
	format := strings.ToLower(strings.TrimSpace(opts.Format))
	if format == "md" {
		format = "markdown"
	}
	if !slices.Contains(exportFormats, format) {
		err := usagef("--format %q: want one of %s", opts.Format, strings.Join(exportFormats, ", "))
		if opts.Format == "" {
			err = usagef("export needs --format: one of %s", strings.Join(exportFormats, ", "))
		}
		return withHint(err, "for example: reconnect export --format markdown --out journal.md")
	}
	if opts.OnePage && format != "html" {
		return usagef("--one-page is for a memory book (--format html), not %s", format)
	}
	var out, outDir string
	if opts.Out != "" {
		var err error
		if format == "html" {
			outDir = bookFolder(opts.Out)
		}
		if outDir == "" {
			if out, err = exportTarget(opts.Out); err != nil {
				return err
			}
		}
	}
	until := opts.Until
	if !opts.Date.IsZero() && (until.IsZero() || opts.Date.Before(until)) {
		until = opts.Date
	}
	authors, err := authorFilter(opts.Authors, opts.Author)
	if err != nil {
		return err
	}
	q, err := readQuery(opts.Since, until, nil, authors)
	if err != nil {
		return err
	}
	for _, k := range journal.Kinds() {
		q.Kinds = append(q.Kinds, k.Kind)
	}
	j, err := opts.OpenJournal(ctx)
	if err != nil {
		return err
	}
	today := civil.Of(opts.Now())
	var data []byte
	var book []bookFile
	count, what := 0, "entries"
	switch format {
	case "ics":
		in, err := icsData(opts, j, dayOr(opts.Date, opts.Now()), authors)
		if err != nil {
			return err
		}
		data = exportICS(in)
		count, what = strings.Count(string(data), "BEGIN:VEVENT"), "events"
	default:
		pr := newProgress(opts.IO, "Reading the journal")
		who := viewer(opts.Author)
		entries, warnings, err := listShown(j, q, who)
		pr.done()
		if err != nil {
			return err
		}
		opts.IO.warn(warnings)
		slices.Reverse(entries) // oldest first
		count = len(entries)
		switch format {
		case "json":
			if data, err = encodeJSON(entriesJSON(entries)); err != nil {
				return err
			}
		case "markdown":
			data = exportMarkdown(entries)
		case "html":
			day := until
			if day.IsZero() {
				day = today
			}
			f, err := readChallengeSince(j, civil.Date{}, opts.IO.warn)
			if err != nil {
				return err
			}
			pr := newProgress(opts.IO, "Making the memory book")
			v := bookData(entries, f, who, bookRangeOf(entries, opts.Since, day), day, today, pr.step)
			pr.done()
			if book = bookPages(v, opts.OnePage); len(book) > 1 && outDir == "" {
				return bookTooLong(v, opts.Out)
			}
			if outDir != "" {
				return writeBook(opts.IO, outDir, opts.Out, book, count)
			}
			if data, err = exportHTML(book[0].View); err != nil {
				return err
			}
		}
	}
	if opts.Out == "" {
		// A document, kept as it is but for what a terminal would obey:
		// standard output is filtered like everything reconnect prints
		// (termsafe.go). --out writes the file exact.
		return opts.IO.WriteDocument(data)
	}
	if err := fsutil.WriteFile(out, data, fsutil.FileMode); err != nil {
		return fmt.Errorf("export to %s: %w", opts.Out, err)
	}
	if count == 1 {
		what = map[string]string{"entries": "entry", "events": "event"}[what]
	}
	opts.IO.Errorf("Exported %d %s to %s\n", count, what, opts.Out)
	return nil
}

// exportTarget is the absolute path --out names, refused (exit 2, before
// anything is read) when its folder does not exist or is not a folder: an
// export never makes folders, so a typo in the path is not a new folder
// somewhere with the journal in it.
func exportTarget(name string) (string, error) {
	out, err := filepath.Abs(expandHome(name))
	if err != nil {
		return "", badInput(fmt.Errorf("--out %s: %w", name, err))
	}
	dir := filepath.Dir(out)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", withHint(usagef("--out %s: the folder %s does not exist", name, dir),
			"create the folder first, or write the export somewhere else")
	case err != nil:
		return "", badInput(fmt.Errorf("--out %s: %w", name, err))
	case !fi.IsDir():
		return "", usagef("--out %s: %s is a file, not a folder", name, dir)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return "", usagef("--out %s is a folder; name a file in it", name)
	}
	return out, nil
}

// kindLabel is how a kind reads in a heading.
func kindLabel(k journal.Kind) string {
	switch k {
	case journal.KindCheckin:
		return "check-in"
	case journal.KindThanks:
		return "thanks"
	case journal.KindUnion:
		return "State of the Union"
	case journal.KindChallenge:
		return "challenge day"
	case journal.KindChallengeStart:
		return "challenge start"
	case journal.KindBucket:
		return "bucket list"
	}
	return string(k)
}

// exportMarkdown is entries (oldest first) as one document: dated entries
// month by month, then the bucket list and the planned dates.
func exportMarkdown(entries []*journal.Entry) []byte {
	var b strings.Builder
	b.WriteString("# Our journal\n")
	var shared []*journal.Entry
	month := ""
	for _, e := range entries {
		if e.Kind == journal.KindBucket || e.Kind == journal.KindDate {
			shared = append(shared, e)
			continue
		}
		if m := e.Date.In(time.UTC).Format("January 2006"); m != month {
			month = m
			fmt.Fprintf(&b, "\n## %s\n", m)
		}
		fmt.Fprintf(&b, "\n### %s: %s, %s", e.Date.In(time.UTC).Format("Monday 2 January"), displayName(e.Author), kindLabel(e.Kind))
		if t := e.Title(); t != "" {
			fmt.Fprintf(&b, ": %s", t)
		}
		b.WriteString("\n")
		if q, ok := e.Field(journal.FieldQuestion); ok && q != "" {
			fmt.Fprintf(&b, "\n> %s\n", q)
		}
		writeMarkdownSections(&b, e)
	}
	slices.SortStableFunc(shared, func(x, y *journal.Entry) int { return cmp.Compare(x.Kind, y.Kind) })
	kind := journal.Kind("")
	for _, e := range shared {
		if e.Kind != kind {
			kind = e.Kind
			title := "Bucket list"
			if kind == journal.KindDate {
				title = "Dates"
			}
			fmt.Fprintf(&b, "\n## %s\n\n", title)
		}
		box := "[ ]"
		if e.IsDone() {
			box = "[x]"
		}
		line := fmt.Sprintf("- %s %s (added by %s on %s", box, e.Title(), displayName(e.Author), e.Date)
		if d, ok := e.DateField(journal.FieldOn); ok {
			line += ", for " + d.String()
		}
		if d, ok := e.DateField(journal.FieldDone); ok {
			line += ", done " + d.String()
		}
		b.WriteString(line + ")\n")
	}
	return []byte(b.String())
}

func writeMarkdownSections(b *strings.Builder, e *journal.Entry) {
	for _, s := range e.Sections() {
		b.WriteString("\n")
		if s.Heading != "" {
			fmt.Fprintf(b, "**%s**\n\n", s.Heading)
		}
		b.WriteString(s.Text + "\n")
	}
}

// progressDelay is how long an export runs before it says how far it got:
// a quick export prints nothing.
const progressDelay = 300 * time.Millisecond

// progressEvery is how many entries pass between two updates of the counter.
const progressEvery = 250

// progress is a one-line counter on standard error, updated in place, for
// an export that takes more than a moment; off a terminal it says nothing.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	timer *time.Timer
	shown bool
	line  string
}

// newProgress starts a counter labelled label on the streams' stderr; it
// appears after progressDelay, if the work is still going on.
func newProgress(s *IOStreams, label string) *progress { return progressAfter(s, label, progressDelay) }

func progressAfter(s *IOStreams, label string, delay time.Duration) *progress {
	p := &progress{label: label}
	if !s.ErrTTY {
		return p
	}
	p.w = s.LiveErr()
	p.timer = time.AfterFunc(delay, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.w != nil {
			p.shown = true
			p.print(p.label + "…")
		}
	})
	return p
}

// step says n of total are done, every progressEvery entries once shown.
func (p *progress) step(n, total int) {
	if p.w == nil || (n%progressEvery != 0 && n != total) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		p.print(fmt.Sprintf("%s… %d of %d entries", p.label, n, total))
	}
}

func (p *progress) print(line string) {
	pad := max(utf8.RuneCountInString(p.line)-utf8.RuneCountInString(line), 0)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.line = line
}

// done clears the counter's line.
func (p *progress) done() {
	if p.timer != nil {
		p.timer.Stop()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", utf8.RuneCountInString(p.line)))
	}
	p.w = nil
}
