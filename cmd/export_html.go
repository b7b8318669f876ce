package cmd

import (
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// bookTemplate is the memory book: one HTML file with its CSS inline, no
// script and nothing fetched from anywhere.
//
//go:embed export_book.html.tmpl
var bookTemplate string

// bookView is what the memory book shows.
type bookView struct {
	Names     string // "Sam & Alex"
	Span      string // "October 2026 – November 2026"
	Generated string
	Partners  []bookPartner
	Stats     statsView
	Heatmap   bookHeatmap
	Months    []bookMonth
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
	Sections []journal.Section
	Hidden   bool
}

type bookItem struct {
	Title string
	Note  string
	Meta  string
	Done  bool
}

type bookHeatmap struct {
	Width, Height int
	Cells         []bookCell
	Months        []bookLabel
	Weekdays      []bookLabel
	Legend        []bookCell
}

type bookCell struct {
	X, Y, Level int
	Title       string
}

type bookLabel struct {
	X, Y int
	Text string
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
	heatCell   = 11
	heatStep   = 14
	heatLeft   = 30
	heatTop    = 18
	bookLegend = 5
)

// bookData builds the memory book from entries (oldest first, as shown to
// who), the challenge facts and the day the book is made as of. step is
// called once per entry placed.
func bookData(entries []*journal.Entry, f challengeFacts, who string, day, generated civil.Date, step func(n, total int)) bookView {
	var v bookView
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

	// The timeline: months, days, a column per partner.
	for n, e := range dated {
		step(n+1, len(dated))
		m := e.Date.In(time.UTC).Format("January 2006")
		if len(v.Months) == 0 || v.Months[len(v.Months)-1].Name != m {
			v.Months = append(v.Months, bookMonth{Name: m, ID: fmt.Sprintf("m%04d-%02d", e.Date.Year, e.Date.Month)})
		}
		month := &v.Months[len(v.Months)-1]
		month.Count++
		if len(month.Days) == 0 || month.Days[len(month.Days)-1].Day != e.Date.Day {
			month.Days = append(month.Days, bookDay{Weekday: e.Date.In(time.UTC).Format("Mon"), Day: e.Date.Day})
		}
		d := &month.Days[len(month.Days)-1]
		p := partnerOf(e.Author)
		for len(d.Cols) <= index[e.Author] {
			d.Cols = append(d.Cols, nil)
		}
		d.Cols[index[e.Author]] = append(d.Cols[index[e.Author]], bookEntryOf(e, p))
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
		it := bookItem{Title: e.Title(), Note: firstText(e), Done: e.IsDone()}
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
		it := bookItem{Title: e.Title(), Note: firstText(e), Done: e.IsDone(), Meta: "planned by " + displayName(e.Author)}
		if on, ok := e.DateField(journal.FieldOn); ok {
			it.Meta = on.In(time.UTC).Format("Mon 2 Jan 2006") + " · " + it.Meta
		}
		v.Dates = append(v.Dates, it)
	}

	v.Heatmap = bookHeatmapOf(v.Stats.Heatmap)
	v.Challenge = bookChallengeOf(f, v.Stats.Partners, partnerOf, who, day)
	return v
}

// firstText is an entry's body as one text: its free text and sections.
func firstText(e *journal.Entry) string {
	var parts []string
	for _, s := range e.Sections() {
		parts = append(parts, s.Text)
	}
	return strings.Join(parts, "\n")
}

func bookEntryOf(e *journal.Entry, p bookPartner) bookEntry {
	b := bookEntry{Author: p, Label: kindLabel(e.Kind), Class: string(e.Kind), Title: e.Title(), Sections: e.Sections()}
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
			b.Sections = append([]journal.Section{{Text: strings.Join(did, "\n")}}, b.Sections...)
		}
	case journal.KindChallengeStart:
		b.Label = "30-day challenge"
		b.Title = "Started the challenge"
		if on, ok := e.DateField(journal.FieldOn); ok {
			b.Title += ", day 1 on " + on.In(time.UTC).Format("2 January")
		}
	}
	return b
}

// bookHeatmapOf draws stats' 52 weeks as SVG cells: weeks across, Monday
// at the top, as 'reconnect stats' does in the terminal.
func bookHeatmapOf(h heatmap) bookHeatmap {
	weeks := (len(h.Counts) + 6) / 7
	out := bookHeatmap{Width: heatLeft + weeks*heatStep, Height: heatTop + 7*heatStep + 22}
	last := time.Month(0)
	for w := range weeks {
		d := h.start.AddDays(7 * w)
		if d.Month != last && (w > 0 || d.Day <= 7) && w < weeks-2 {
			out.Months = append(out.Months, bookLabel{X: heatLeft + w*heatStep, Y: heatTop - 6, Text: d.In(time.UTC).Format("Jan")})
			last = d.Month
		}
	}
	for i, wd := range []string{"Mon", "Wed", "Fri", "Sun"} {
		out.Weekdays = append(out.Weekdays, bookLabel{X: 0, Y: heatTop + (2*i)*heatStep + 9, Text: wd})
	}
	for i, n := range h.Counts {
		d := h.start.AddDays(i)
		title := fmt.Sprintf("%s: %d entries", d.In(time.UTC).Format("Mon 2 Jan 2006"), n)
		if n == 1 {
			title = strings.TrimSuffix(title, "ies") + "y"
		}
		out.Cells = append(out.Cells, bookCell{X: heatLeft + (i/7)*heatStep, Y: heatTop + (i%7)*heatStep, Level: level(n), Title: title})
	}
	legendX := out.Width - bookLegend*heatStep
	for l := range bookLegend {
		out.Legend = append(out.Legend, bookCell{X: legendX + l*heatStep, Y: heatTop + 7*heatStep + 8, Level: l})
	}
	return out
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

// exportHTML renders the memory book.
func exportHTML(v bookView) ([]byte, error) {
	t, err := template.New("book").Funcs(template.FuncMap{
		"plural": plural,
		"add":    func(a, b int) int { return a + b },
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
