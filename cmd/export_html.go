package cmd

import (
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
)

// bookTemplate is the memory book: one HTML file with its CSS inline, no
// script and nothing fetched from anywhere.
//
//go:embed export_book.html.tmpl
var bookTemplate string

// bookView is what one page of the memory book shows: the whole book on
// one page, or the index of a book split by year, or one year of it.
type bookView struct {
	Names     string // "Sam & Alex"
	Span      string // "October 2026 – November 2026"
	Kicker    string // above the names: "Our memory book", or the year
	Generated string
	Partners  []bookPartner
	Stats     statsView
	Glance    bool // the figures, the bucket list, the dates, the challenge
	Heat      *bookHeat
	Months    []bookMonth
	Years     []bookYear // the index of a split book: a page a year
	Nav       *bookNav   // a year's page: the index, the years before and after
	Lede      string     // a year's page: what it holds
	Bucket    struct{ Done, Open []bookItem }
	Dates     []bookItem
	Challenge *bookChallenge
	Entries   int
}

type bookPartner struct {
	Name  string
	Class string // p0, p1, ...: the partner's colour
}

type bookMonth struct {
	Name  string
	ID    string
	Year  int
	Count int
	Days  []bookDay
}

type bookDay struct {
	Weekday string // "Fri"
	Day     int
	Cols    [][]bookEntry // one column per partner, in the order of Partners
}

type bookEntry struct {
	Author   bookPartner
	Label    string // "check-in"
	Class    string // the kind, for its colour
	Title    string
	Question string
	Sections []bookSection
	Hidden   bool
	Replies  []bookReply
}

// bookSection is an entry's section with its Markdown rendered.
type bookSection struct {
	Heading string
	HTML    template.HTML
}

// bookReply is a reply shown under the check-in it answers.
type bookReply struct {
	Author   bookPartner
	When     string // "", or the day it was written when not the check-in's
	Sections []bookSection
}

type bookItem struct {
	Title string
	Note  template.HTML
	Meta  string
	Done  bool
}

// bookHeat is the heatmap of the book's days, a strip a year.
type bookHeat struct {
	From, To string // "12 October 2026"
	Years    []bookHeatmap
}

type bookHeatmap struct {
	Year          int
	From, To      string // its first and last day: "1 January 2024"
	Width, Height int    // in SVG units
	ShownWidth    int    // in CSS pixels: a year fills a laptop's page
	ShownHeight   int
	Cells         []bookCell
	Months        []bookLabel
	Weekdays      []bookLabel
}

type bookCell struct {
	X, Y, Level int
	Title       string
}

type bookLabel struct {
	X, Y int
	Text string
}

// bookYear is a year's page, as the index links to it.
type bookYear struct {
	Year    int
	File    string
	Entries int
	Days    int // days with something written
}

// bookNav is the way about a split book from a year's page.
type bookNav struct {
	Index      string
	Prev, Next *bookYear
}

type bookChallenge struct {
	Heading string
	Status  string
	Rows    []bookChallengeRow
}

type bookChallengeRow struct {
	Partner  bookPartner
	DaysDone int
	Cells    []bookChallengeCell
}

type bookChallengeCell struct {
	Day   int
	Class string // both, one, missed, ahead
	Title string
}

// Heatmap geometry, in SVG units.
const (
	heatStep = 14
	heatLeft = 30
	heatTop  = 18
	// heatScale is how much larger than its SVG units a heatmap is drawn,
	// in quarters: a whole year then fills the page at 1280 pixels, and
	// scrolls in its box on a phone.
	heatScale = 5
)

// bookYearsOnePage is how many calendar years a memory book holds on one
// page; a longer one is an index and a page a year ([bookPages]).
const bookYearsOnePage = 2

// bookRange is the days a memory book covers: its heatmap, and its pages
// when it is split by year.
type bookRange struct{ From, To civil.Date }

// bookRangeOf is the days a book shows: from since (else the first dated
// entry, else the year to day) to day.
func bookRangeOf(entries []*journal.Entry, since, day civil.Date) bookRange {
	r := bookRange{From: since, To: day}
	if r.From.IsZero() {
		r.From = day.AddDays(-364)
		for _, e := range entries {
			if e.Kind != journal.KindBucket && e.Kind != journal.KindDate {
				r.From = e.Date
				break
			}
		}
	}
	if r.To.Before(r.From) {
		r.To = r.From
	}
	return r
}

// years is how many calendar years r touches.
func (r bookRange) years() int { return r.To.Year - r.From.Year + 1 }

// bookData builds the memory book from entries (oldest first, as shown to
// who), the challenge facts, the days it covers and the day it is made as
// of. step is called once per entry placed.
func bookData(entries []*journal.Entry, f challengeFacts, who string, rng bookRange, day, generated civil.Date, step func(n, total int)) bookView {
	v := bookView{Kicker: "Our memory book", Glance: true}
	v.Generated = generated.In(time.UTC).Format("2 January 2006")
	var dated, bucket, dates []*journal.Entry
	for _, e := range entries {
		switch e.Kind {
		case journal.KindBucket:
			bucket = append(bucket, e)
		case journal.KindDate:
			dates = append(dates, e)
		default:
			dated = append(dated, e)
		}
	}
	v.Entries = len(dated)
	v.Stats = computeStats(entries, bucket, who, day)

	// Partners: you first, then who else wrote, in the order stats found them.
	index := map[string]int{}
	for _, p := range v.Stats.Partners {
		index[p.Name] = len(v.Partners)
		v.Partners = append(v.Partners, bookPartner{Name: displayName(p.Name), Class: fmt.Sprintf("p%d", len(v.Partners)%4)})
	}
	partnerOf := func(slug string) bookPartner {
		if i, ok := index[slug]; ok {
			return v.Partners[i]
		}
		index[slug] = len(v.Partners)
		v.Partners = append(v.Partners, bookPartner{Name: displayName(slug), Class: fmt.Sprintf("p%d", len(v.Partners)%4)})
		return v.Partners[len(v.Partners)-1]
	}
	for _, e := range append(slices.Clone(bucket), dates...) {
		partnerOf(e.Author)
	}
	names := make([]string, len(v.Partners))
	for i, p := range v.Partners {
		names[i] = p.Name
	}
	v.Names = strings.Join(names, " & ")
	if v.Names == "" {
		v.Names = "Us"
	}
	if len(dated) > 0 {
		first, last := dated[0].Date.In(time.UTC).Format("January 2006"), dated[len(dated)-1].Date.In(time.UTC).Format("January 2006")
		v.Span = first
		if last != first {
			v.Span = first + " – " + last
		}
	}

	// Replies go under the check-in they answer, when it is in the book.
	replies := bookReplies(dated)

	// The timeline: months, days, a column per partner.
	for n, e := range dated {
		step(n+1, len(dated))
		if replies.placed[e.Path] {
			continue
		}
		m := e.Date.In(time.UTC).Format("January 2006")
		if len(v.Months) == 0 || v.Months[len(v.Months)-1].Name != m {
			v.Months = append(v.Months, bookMonth{Name: m, ID: fmt.Sprintf("m%04d-%02d", e.Date.Year, e.Date.Month), Year: e.Date.Year})
		}
		month := &v.Months[len(v.Months)-1]
		if len(month.Days) == 0 || month.Days[len(month.Days)-1].Day != e.Date.Day {
			month.Days = append(month.Days, bookDay{Weekday: e.Date.In(time.UTC).Format("Mon"), Day: e.Date.Day})
		}
		d := &month.Days[len(month.Days)-1]
		p := partnerOf(e.Author)
		for len(d.Cols) <= index[e.Author] {
			d.Cols = append(d.Cols, nil)
		}
		be := bookEntryOf(e, p)
		for _, r := range replies.of[e.Path] {
			br := bookReply{Author: partnerOf(r.Author), Sections: bookSections(r.Sections())}
			if r.Date != e.Date {
				br.When = r.Date.In(time.UTC).Format("2 January 2006")
			}
			be.Replies = append(be.Replies, br)
		}
		month.Count += 1 + len(be.Replies)
		d.Cols[index[e.Author]] = append(d.Cols[index[e.Author]], be)
	}
	for i := range v.Months {
		for j := range v.Months[i].Days {
			d := &v.Months[i].Days[j]
			for len(d.Cols) < len(v.Partners) {
				d.Cols = append(d.Cols, nil)
			}
		}
	}

	for _, e := range bucket {
		it := bookItem{Title: e.Title(), Note: bookNote(e), Done: e.IsDone()}
		it.Meta = fmt.Sprintf("added by %s, %s", displayName(e.Author), e.Date.In(time.UTC).Format("2 Jan 2006"))
		if d, ok := e.DateField(journal.FieldDone); ok && it.Done {
			it.Meta = "done " + d.In(time.UTC).Format("2 Jan 2006") + " · " + it.Meta
		}
		if it.Done {
			v.Bucket.Done = append(v.Bucket.Done, it)
		} else {
			v.Bucket.Open = append(v.Bucket.Open, it)
		}
	}
	slices.SortStableFunc(dates, func(x, y *journal.Entry) int {
		a, _ := x.DateField(journal.FieldOn)
		b, _ := y.DateField(journal.FieldOn)
		return a.Compare(b)
	})
	for _, e := range dates {
		it := bookItem{Title: e.Title(), Note: bookNote(e), Done: e.IsDone(), Meta: "planned by " + displayName(e.Author)}
		if on, ok := e.DateField(journal.FieldOn); ok {
			it.Meta = on.In(time.UTC).Format("Mon 2 Jan 2006") + " · " + it.Meta
		}
		v.Dates = append(v.Dates, it)
	}

	v.Heat = bookHeatOf(dated, rng)
	v.Challenge = bookChallengeOf(f, v.Stats.Partners, partnerOf, who, day)
	return v
}

// repliesPlaced is the replies of a book that answer a check-in in it:
// by the check-in's path, oldest first, and which replies those are.
type repliesPlaced struct {
	of     map[string][]*journal.Entry
	placed map[string]bool
}

// bookReplies finds, among dated (oldest first), the replies to a check-in
// also among them ('reconnect reply' names it in fields.to).
func bookReplies(dated []*journal.Entry) repliesPlaced {
	out := repliesPlaced{of: map[string][]*journal.Entry{}, placed: map[string]bool{}}
	paths := map[string]bool{}
	for _, e := range dated {
		if e.Kind == journal.KindCheckin {
			paths[e.Path] = true
		}
	}
	for _, e := range dated {
		if e.Kind != journal.KindReply {
			continue
		}
		if to, ok := e.Field(journal.FieldTo); ok && paths[to] {
			out.of[to] = append(out.of[to], e)
			out.placed[e.Path] = true
		}
	}
	return out
}

// bookNote is an entry's body as one note, its Markdown rendered.
func bookNote(e *journal.Entry) template.HTML {
	var parts []string
	for _, s := range e.Sections() {
		parts = append(parts, s.Text)
	}
	if len(parts) == 0 {
		return ""
	}
	return markdownHTML(strings.Join(parts, "\n\n"))
}

// bookSections is an entry's sections with their Markdown rendered; empty
// ones are left out.
func bookSections(secs []journal.Section) []bookSection {
	out := make([]bookSection, 0, len(secs))
	for _, s := range secs {
		if strings.TrimSpace(s.Text) == "" {
			continue
		}
		out = append(out, bookSection{Heading: s.Heading, HTML: markdownHTML(s.Text)})
	}
	return out
}

func bookEntryOf(e *journal.Entry, p bookPartner) bookEntry {
	b := bookEntry{Author: p, Label: kindLabel(e.Kind), Class: string(e.Kind), Title: e.Title()}
	secs := e.Sections()
	b.Hidden, _ = e.BoolField(journal.FieldHidden)
	switch e.Kind {
	case journal.KindThanks:
		b.Label = "thank you"
	case journal.KindWin:
		b.Label = "a small win"
	case journal.KindAnswer:
		b.Label = "question of the day"
		b.Question, _ = e.Field(journal.FieldQuestion)
	case journal.KindReply:
		b.Label = "reply"
	case journal.KindTogether:
		b.Label = "phones away, together"
		spent, _ := e.Field(journal.FieldSpent)
		planned, _ := e.Field(journal.FieldPlanned)
		b.Title = fmt.Sprintf("%s of %s", spent, planned)
	case journal.KindChallenge:
		n, em, ph := e.ChallengeMarks()
		b.Title = fmt.Sprintf("Day %d", n)
		if act, err := challenge.Day(n); err == nil {
			var did []string
			if em {
				did = append(did, act.Emotional)
			}
			if ph {
				did = append(did, act.Physical)
			}
			b.Title += ": " + act.Theme
			secs = append([]journal.Section{{Text: strings.Join(did, "\n")}}, secs...)
		}
	case journal.KindChallengeStart:
		b.Label = "30-day challenge"
		b.Title = "Started the challenge"
		if on, ok := e.DateField(journal.FieldOn); ok {
			b.Title += ", day 1 on " + on.In(time.UTC).Format("2 January")
		}
	}
	if b.Hidden {
		// The stand-in for a sealed answer: its words are reconnect's, shown
		// as they are.
		for _, s := range secs {
			b.Sections = append(b.Sections, bookSection{HTML: template.HTML(template.HTMLEscapeString(s.Text))})
		}
		return b
	}
	b.Sections = bookSections(secs)
	return b
}

// bookHeatOf is the heatmap of rng's days, a strip for each calendar year
// it touches, counting dated's entries day by day.
func bookHeatOf(dated []*journal.Entry, rng bookRange) *bookHeat {
	first := dayNumber(rng.From)
	counts := make([]int, dayNumber(rng.To)-first+1)
	for _, e := range dated {
		if i := dayNumber(e.Date) - first; i >= 0 && i < len(counts) {
			counts[i]++
		}
	}
	h := &bookHeat{From: rng.From.In(time.UTC).Format("2 January 2006"), To: rng.To.In(time.UTC).Format("2 January 2006")}
	for y := rng.From.Year; y <= rng.To.Year; y++ {
		from, to := civil.Date{Year: y, Month: time.January, Day: 1}, civil.Date{Year: y, Month: time.December, Day: 31}
		if from.Before(rng.From) {
			from = rng.From
		}
		if rng.To.Before(to) {
			to = rng.To
		}
		off := dayNumber(from) - first
		h.Years = append(h.Years, bookHeatmapOf(y, from, counts[off:off+dayNumber(to)-dayNumber(from)+1]))
	}
	return h
}

// bookHeatmapOf draws counts, one a day from from, as SVG cells: weeks
// across, Monday at the top, as 'reconnect stats' does in the terminal.
func bookHeatmapOf(year int, from civil.Date, counts []int) bookHeatmap {
	lead := (int(from.Weekday()) + 6) % 7 // days from Monday to from
	weeks := (lead + len(counts) + 6) / 7
	out := bookHeatmap{Year: year, Width: heatLeft + weeks*heatStep, Height: heatTop + 7*heatStep,
		From: from.In(time.UTC).Format("2 January 2006"), To: from.AddDays(len(counts) - 1).In(time.UTC).Format("2 January 2006")}
	out.ShownWidth, out.ShownHeight = out.Width*heatScale/4, out.Height*heatScale/4
	last, lastW := time.Month(0), -3
	for w := range weeks {
		d := from.AddDays(max(w*7-lead, 0)) // the column's first day in the strip
		if d.Month != last && w-lastW >= 3 && (w < weeks-2 || len(out.Months) == 0) {
			out.Months = append(out.Months, bookLabel{X: heatLeft + w*heatStep, Y: heatTop - 6, Text: d.In(time.UTC).Format("Jan")})
			last, lastW = d.Month, w
		}
	}
	for i, wd := range []string{"Mon", "Wed", "Fri", "Sun"} {
		out.Weekdays = append(out.Weekdays, bookLabel{X: 0, Y: heatTop + (2*i)*heatStep + 9, Text: wd})
	}
	for i, n := range counts {
		d := from.AddDays(i)
		title := fmt.Sprintf("%s: %d entries", d.In(time.UTC).Format("Mon 2 Jan 2006"), n)
		if n == 1 {
			title = strings.TrimSuffix(title, "ies") + "y"
		}
		out.Cells = append(out.Cells, bookCell{X: heatLeft + ((lead+i)/7)*heatStep, Y: heatTop + ((lead+i)%7)*heatStep, Level: level(n), Title: title})
	}
	return out
}

// bookCount is n things, n with thousands separators: "1 entry",
// "1,234 entries".
func bookCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// thousands is n with a comma between each group of three digits: 1,234.
func thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}

// bookChallengeOf is the grid of the run active on day, or else the last
// one (or the one ahead); nil when there has been none.
func bookChallengeOf(f challengeFacts, stats []partnerStats, partnerOf func(string) bookPartner, who string, day civil.Date) *bookChallenge {
	st := challenge.StateLookingBack(f.Starts, day)
	if st.Status == challenge.None {
		return nil
	}
	r := st.Run
	c := &bookChallenge{}
	switch st.Status {
	case challenge.Active:
		c.Heading = fmt.Sprintf("Day %d of %d", r.DayOn(day), challenge.Length)
		c.Status = fmt.Sprintf("started %s, ends %s", r.Start.In(time.UTC).Format("2 January 2006"), r.End().In(time.UTC).Format("2 January"))
	case challenge.Upcoming:
		c.Heading = "Starting " + r.Start.In(time.UTC).Format("2 January 2006")
	default:
		c.Heading = fmt.Sprintf("%s to %s", r.Start.In(time.UTC).Format("2 January"), r.End().In(time.UTC).Format("2 January 2006"))
		c.Status = "finished"
	}
	var authors []string
	for _, p := range stats {
		authors = append(authors, p.Name)
	}
	for _, d := range f.Dones {
		if r.Contains(d.Date) && !slices.Contains(authors, d.Author) {
			authors = append(authors, d.Author)
		}
	}
	if len(authors) == 0 {
		authors = []string{who}
	}
	plan := challenge.Plan()
	t := r.DayOn(day)
	for _, pr := range challenge.ProgressOf(r, f.Dones, authors, day) {
		row := bookChallengeRow{Partner: partnerOf(pr.Author), DaysDone: pr.DaysDone}
		for i, m := range pr.Days {
			act := plan[i]
			cell := bookChallengeCell{Day: i + 1}
			switch {
			case m.Emotional && m.Physical:
				cell.Class, cell.Title = "both", "both done"
			case m.Emotional:
				cell.Class, cell.Title = "one", "emotional done"
			case m.Physical:
				cell.Class, cell.Title = "one", "physical done"
			case i+1 < t:
				cell.Class, cell.Title = "missed", "not done"
			default:
				cell.Class, cell.Title = "ahead", "ahead"
			}
			cell.Title = fmt.Sprintf("Day %d, %s: %s. %s / %s", i+1, act.Theme, cell.Title, act.Emotional, act.Physical)
			row.Cells = append(row.Cells, cell)
		}
		c.Rows = append(c.Rows, row)
	}
	return c
}

// bookFile is one page of the memory book: its file name in the folder
// it goes to, and what it shows.
type bookFile struct {
	Name string
	View bookView
}

// bookPages is the memory book as pages: all of v on one page when it
// covers up to [bookYearsOnePage] calendar years (or onePage says so),
// else an index (the figures, the bucket list, the dates, the challenge and
// a link a year) and a page a year (its heatmap and its months), the
// years' pages first.
func bookPages(v bookView, onePage bool) []bookFile {
	if onePage || v.Heat == nil || len(v.Heat.Years) <= bookYearsOnePage {
		return []bookFile{{Name: "index.html", View: v}}
	}
	var years []bookYear
	for _, h := range v.Heat.Years {
		y := bookYear{Year: h.Year, File: fmt.Sprintf("%d.html", h.Year)}
		for _, c := range h.Cells {
			if c.Level > 0 {
				y.Days++
			}
		}
		for _, m := range v.Months {
			if m.Year == h.Year {
				y.Entries += m.Count
			}
		}
		years = append(years, y)
	}
	var files []bookFile
	for i, h := range v.Heat.Years {
		p := v
		p.Kicker, p.Glance, p.Years = strconv.Itoa(h.Year), false, nil
		p.Heat = &bookHeat{From: h.From, To: h.To, Years: []bookHeatmap{h}}
		p.Months = slices.DeleteFunc(slices.Clone(v.Months), func(m bookMonth) bool { return m.Year != h.Year })
		p.Span = ""
		if len(p.Months) > 0 {
			p.Span = p.Months[0].Name
			if last := p.Months[len(p.Months)-1].Name; last != p.Span {
				p.Span += " – " + last
			}
		}
		p.Nav = &bookNav{Index: "index.html"}
		if i > 0 {
			p.Nav.Prev = &years[i-1]
		}
		if i+1 < len(years) {
			p.Nav.Next = &years[i+1]
		}
		p.Lede = fmt.Sprintf("%s in %d, on %s.", bookCount(years[i].Entries, "entry", "entries"), h.Year, bookCount(years[i].Days, "day", "days"))
		files = append(files, bookFile{Name: years[i].File, View: p})
	}
	index := v
	index.Heat, index.Months, index.Years = nil, nil, years
	return append(files, bookFile{Name: "index.html", View: index})
}

// exportHTML renders the memory book.
func exportHTML(v bookView) ([]byte, error) {
	t, err := template.New("book").Funcs(template.FuncMap{
		"count": bookCount,
		"num":   thousands,
		"add":   func(a, b int) int { return a + b },
	}).Parse(bookTemplate)
	if err != nil {
		return nil, fmt.Errorf("memory book template: %w", err)
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		return nil, fmt.Errorf("memory book: %w", err)
	}
	return []byte(b.String()), nil
}

// bookFolder is the absolute path of the folder --out names, or "" when it
// names no existing folder (then it is a file, [exportTarget]).
func bookFolder(name string) string {
	dir, err := filepath.Abs(expandHome(name))
	if err != nil {
		return ""
	}
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}

// bookTooLong is the error for a book of a page a year asked to go to one
// file or to standard output: it is not cut to fit.
func bookTooLong(v bookView, out string) error {
	first, last := v.Heat.Years[0].Year, v.Heat.Years[len(v.Heat.Years)-1].Year
	where := "standard output"
	if out != "" {
		where = out + ", a file"
	}
	return withHint(usagef("the memory book covers %d years (%d to %d): it is an index and a page a year, which cannot go to %s", last-first+1, first, last, where),
		"write it into a folder: mkdir book && reconnect export --format html --out book; or as one long page with --one-page")
}

// writeBook renders the book's pages and writes them into dir, each file
// whole, the years first and the index last; nothing is written when a
// page does not render.
func writeBook(io *IOStreams, dir, name string, book []bookFile, count int) error {
	data := make([][]byte, len(book))
	for i, f := range book {
		var err error
		if data[i], err = exportHTML(f.View); err != nil {
			return err
		}
	}
	for i, f := range book {
		if err := fsutil.WriteFile(filepath.Join(dir, f.Name), data[i], fsutil.FileMode); err != nil {
			return fmt.Errorf("export to %s: %w", filepath.Join(name, f.Name), err)
		}
	}
	what := "entries"
	if count == 1 {
		what = "entry"
	}
	pages := "index.html"
	if n := len(book) - 1; n > 0 {
		pages += fmt.Sprintf(" and a page a year, %s to %s", book[0].Name, book[n-1].Name)
	}
	io.Errorf("Exported %d %s to %s: %s\n", count, what, name, pages)
	return nil
}
