package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

func TestBookMarkdownIsSafe(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // in the HTML
		not      []string // never in it
	}{
		{"emphasis", "**soup** and _rain_", []string{"<strong>soup</strong>", "<em>rain</em>"}, nil},
		{"list", "- tent\n- train", []string{"<li>tent</li>", "<li>train</li>"}, nil},
		{"line breaks kept", "one\ntwo", []string{"one<br>"}, nil},
		{"inline script escaped", "soup <script>alert(1)</script>",
			[]string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"inline tag escaped", "Tired & <b>cold</b>", []string{"Tired &amp; &lt;b&gt;cold&lt;/b&gt;"}, []string{"<b>"}},
		{"html block escaped", "<div onclick=\"steal()\">hi</div>", []string{"&lt;div onclick=&quot;steal()&quot;&gt;"}, []string{"<div"}},
		{"script block escaped", "<script>\nalert(1)\n</script>", []string{"&lt;script&gt;"}, []string{"<script"}},
		{"web link kept", "see [the recipe](https://example.com/soup)",
			[]string{`<a href="https://example.com/soup" rel="noopener noreferrer">the recipe</a>`}, nil},
		{"javascript link is text", "[click](javascript:alert(1))", []string{"click"}, []string{"<a", "javascript:"}},
		{"javascript link in capitals", "[click](JaVaScRiPt:alert(1))", []string{"click"}, []string{"<a", "alert"}},
		{"entity-hidden javascript", "[click](&#106;avascript:alert(1))", []string{"click"}, []string{"<a"}},
		{"data link is text", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"x"}, []string{"<a", "data:"}},
		{"relative link is text", "[x](../../etc/passwd)", []string{"x"}, []string{"<a", "passwd"}},
		{"autolink kept", "<https://example.com>", []string{`<a href="https://example.com" rel="noopener noreferrer">https://example.com</a>`}, nil},
		{"javascript autolink is text", "<javascript:alert(1)>", nil, []string{"<a"}},
		{"mail", "<sam@example.com>", []string{`href="mailto:sam@example.com"`}, nil},
		{"image is a link, never loaded", "![our cat](https://example.com/cat.png)",
			[]string{`<a href="https://example.com/cat.png" rel="noopener noreferrer">our cat</a>`}, []string{"<img"}},
		{"unsafe image is its text", "![x](javascript:alert(1))", []string{"x"}, []string{"<img", "<a"}},
		{"quote in a link", `[x](https://example.com/"onmouseover="alert(1))`, nil, []string{`"onmouseover`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(markdownHTML(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("markdownHTML(%q) = %q, want it to hold %q", tt.in, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("markdownHTML(%q) = %q, holds %q", tt.in, got, n)
				}
			}
		})
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"}, {7, "7"}, {999, "999"}, {1000, "1,000"}, {1234, "1,234"}, {51637, "51,637"},
		{999999, "999,999"}, {1000000, "1,000,000"}, {-1234, "-1,234"}, {-999, "-999"},
	}
	for _, tt := range tests {
		if got := thousands(tt.n); got != tt.want {
			t.Errorf("thousands(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := bookCount(1, "entry", "entries"); got != "1 entry" {
		t.Errorf("bookCount(1) = %q", got)
	}
	if got := bookCount(18800, "entry", "entries"); got != "18,800 entries" {
		t.Errorf("bookCount(18800) = %q", got)
	}
}

func datedEntry(kind journal.Kind, day string) *journal.Entry {
	return &journal.Entry{Kind: kind, Author: "sam", Date: date(day)}
}

func TestBookRangeOf(t *testing.T) {
	day := date("2026-11-21")
	entries := []*journal.Entry{datedEntry(journal.KindBucket, "2020-01-01"), datedEntry(journal.KindCheckin, "2024-03-05")}
	tests := []struct {
		name      string
		entries   []*journal.Entry
		since     string
		from, to  string
		wantYears int
	}{
		{"from the first dated entry", entries, "", "2024-03-05", "2026-11-21", 3},
		{"from --since", entries, "2026-01-01", "2026-01-01", "2026-11-21", 1},
		{"--since before the first entry", entries, "2023-06-01", "2023-06-01", "2026-11-21", 4},
		{"nothing written: the year to day", nil, "", "2025-11-22", "2026-11-21", 2},
	}
	for _, tt := range tests {
		var since civil.Date
		if tt.since != "" {
			since = date(tt.since)
		}
		r := bookRangeOf(tt.entries, since, day)
		if r.From.String() != tt.from || r.To.String() != tt.to || r.years() != tt.wantYears {
			t.Errorf("%s: %s to %s, %d years; want %s to %s, %d", tt.name, r.From, r.To, r.years(), tt.from, tt.to, tt.wantYears)
		}
	}
}

func TestBookHeatmapCoversTheRange(t *testing.T) {
	dated := []*journal.Entry{
		datedEntry(journal.KindCheckin, "2025-12-01"), // before the range
		datedEntry(journal.KindCheckin, "2025-12-30"),
		datedEntry(journal.KindThanks, "2025-12-30"),
		datedEntry(journal.KindCheckin, "2026-01-02"),
		datedEntry(journal.KindCheckin, "2026-02-01"), // after it
	}
	h := bookHeatOf(dated, bookRange{From: date("2025-12-30"), To: date("2026-01-03")})
	if h.From != "30 December 2025" || h.To != "3 January 2026" {
		t.Errorf("range %s to %s", h.From, h.To)
	}
	if len(h.Years) != 2 || h.Years[0].Year != 2025 || h.Years[1].Year != 2026 {
		t.Fatalf("strips: %+v", h.Years)
	}
	var titles []string
	var levels []int
	for _, y := range h.Years {
		for _, c := range y.Cells {
			titles = append(titles, c.Title)
			levels = append(levels, c.Level)
		}
	}
	wantTitles := []string{"Tue 30 Dec 2025: 2 entries", "Wed 31 Dec 2025: 0 entries",
		"Thu 1 Jan 2026: 0 entries", "Fri 2 Jan 2026: 1 entry", "Sat 3 Jan 2026: 0 entries"}
	if !slices.Equal(titles, wantTitles) {
		t.Errorf("cells:\n%q\nwant\n%q", titles, wantTitles)
	}
	if !slices.Equal(levels, []int{2, 0, 0, 1, 0}) {
		t.Errorf("levels %v", levels)
	}
	// Tuesday 30 December is in the second row of its strip; Thursday
	// 1 January the fourth of the next.
	if c := h.Years[0].Cells[0]; c.Y != heatTop+1*heatStep || c.X != heatLeft {
		t.Errorf("30 December at %d,%d", c.X, c.Y)
	}
	if c := h.Years[1].Cells[0]; c.Y != heatTop+3*heatStep || c.X != heatLeft {
		t.Errorf("1 January at %d,%d", c.X, c.Y)
	}
	if y := h.Years[1]; y.From != "1 January 2026" || y.To != "3 January 2026" {
		t.Errorf("2026's strip: %s to %s", y.From, y.To)
	}
}

// bookTestApp is a journal of two with a check-in on each of days, both
// partners, and the challenge started.
func bookTestApp(t *testing.T, days ...string) (*App, *bytes.Buffer, *bytes.Buffer) {
	a, out, errOut := testApp(t, false)
	for _, d := range days {
		runIn(t, a, out, errOut, "", "checkin", "--date", d, "--rose", "Tea on "+d)
		runIn(t, a, out, errOut, "", "checkin", "--as", "alex", "--date", d, "--bud", "Walk on "+d)
	}
	return a, out, errOut
}

func TestExportHTMLHeatmapFollowsTheFlags(t *testing.T) {
	a, out, errOut := bookTestApp(t, "2026-03-10", "2026-11-20")
	page := runIn(t, a, out, errOut, "", "export", "--format", "html", "--since", "2026-03-01", "--until", "2026-03-31")
	if got := strings.Count(page, "<rect "); got != 31 {
		t.Errorf("--since 2026-03-01 --until 2026-03-31: %d squares, want 31", got)
	}
	if !strings.Contains(page, "From 1 March 2026 to 31 March 2026") {
		t.Error("the heatmap does not say which days it covers")
	}
	if !strings.Contains(page, "<title>Tue 10 Mar 2026: 2 entries</title>") {
		t.Error("10 March does not show its two check-ins")
	}
	page = runIn(t, a, out, errOut, "", "export", "--format", "html", "--date", "2026-03-15")
	if got := strings.Count(page, "<rect "); got != 6 {
		t.Errorf("--date 2026-03-15: %d squares, want 6 (10 to 15 March)", got)
	}
}

func TestExportHTMLRepliesUnderTheCheckin(t *testing.T) {
	a, out, errOut := bookTestApp(t, "2026-11-20")
	runIn(t, a, out, errOut, "", "reply", "--as", "alex", "2026-11-20", "It sounds like you *loved* it")
	page := runIn(t, a, out, errOut, "", "export", "--format", "html")
	start := strings.Index(page, "Tea on 2026-11-20")
	if start < 0 {
		t.Fatal("Sam's check-in is not in the book")
	}
	end := strings.Index(page[start:], "</article>")
	article := page[start : start+end]
	if !strings.Contains(article, `<div class="reply p1"><div class="meta">↳ <span class="name">Alex</span> replied on 21 November 2026</div>`) ||
		!strings.Contains(article, "It sounds like you <em>loved</em> it") {
		t.Errorf("the reply is not under Sam's check-in:\n%s", article)
	}
	if strings.Count(page, "It sounds like you") != 1 || strings.Contains(page, "· reply</div>") {
		t.Error("the reply is also shown on its own")
	}
	if !strings.Contains(page, "November 2026<small>3 entries</small>") {
		t.Error("the month does not count the reply")
	}
}

func TestExportHTMLLegends(t *testing.T) {
	a, out, errOut := bookTestApp(t, "2026-11-19", "2026-11-20")
	runIn(t, a, out, errOut, "", "challenge", "start", "--on", "2026-11-19")
	runIn(t, a, out, errOut, "", "challenge", "done", "--date", "2026-11-20", "--emotional", "--physical")
	runIn(t, a, out, errOut, "", "challenge", "done", "--as", "alex", "--date", "2026-11-20", "--emotional")
	page := runIn(t, a, out, errOut, "", "export", "--format", "html")
	for _, want := range []string{
		`<div class="legend" aria-label="fewer to more entries in a day"><span>less</span><i class="l0"></i><i class="l1"></i><i class="l2"></i><i class="l3"></i><i class="l4"></i><span>more</span></div>`,
		`<div class="key"><span class="p0"><span class="name">Sam</span>: <i class="k-both"></i>both activities <i class="k-one"></i>one of the two</span>` +
			`<span class="p1"><span class="name">Alex</span>: <i class="k-both"></i>both activities <i class="k-one"></i>one of the two</span>` +
			`<span><i class="k-missed"></i>missed</span><span><i class="k-ahead"></i>ahead</span></div>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the book has no\n%s", want)
		}
	}
	if !regexp.MustCompile(`\.p1 \{ --pc: var\(--p1\); \}`).MatchString(page) || !strings.Contains(page, ".key .k-both { background: var(--pc)") {
		t.Error("the key's swatches do not take each partner's colour")
	}
}

func TestExportHTMLSplitByYear(t *testing.T) {
	a, out, errOut := bookTestApp(t, "2024-06-01", "2026-11-20")
	runIn(t, a, out, errOut, "", "checkin", "--date", "2025-02-03", "--rose", "See [the map](https://example.com/map)")

	// Three calendar years: not to standard output, not to one file.
	dir := t.TempDir()
	for _, args := range [][]string{
		{"export", "--format", "html"},
		{"export", "--format", "html", "--out", filepath.Join(dir, "book.html")},
	} {
		out.Reset()
		errOut.Reset()
		if code := a.Run(args); code != 2 {
			t.Errorf("%s: exit %d, want 2", strings.Join(args, " "), code)
		}
		if !strings.Contains(errOut.String(), "the memory book covers 3 years (2024 to 2026)") || !strings.Contains(errOut.String(), "--one-page") || out.Len() > 0 {
			t.Errorf("%s: %q", strings.Join(args, " "), errOut)
		}
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("a refused export wrote %d files", len(files))
	}
	runIn(t, a, out, errOut, "", "export", "--format", "html", "--out", dir)
	if !strings.Contains(errOut.String(), "index.html and a page a year, 2024.html to 2026.html") {
		t.Errorf("stderr: %q", errOut)
	}
	var names []string
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		names = append(names, f.Name())
	}
	if !slices.Equal(names, []string{"2024.html", "2025.html", "2026.html", "index.html"}) {
		t.Fatalf("files: %v", names)
	}
	pages := map[string]string{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		pages[n] = string(b)
		checkSelfContained(t, n, string(b))
	}
	for _, y := range []string{"2024", "2025", "2026"} {
		if !strings.Contains(pages["index.html"], `<a href="`+y+`.html"><b>`+y+`</b>`) {
			t.Errorf("the index does not link to %s.html", y)
		}
		if !strings.Contains(pages[y+".html"], `<a href="index.html">All our years</a>`) {
			t.Errorf("%s.html does not link back to the index", y)
		}
	}
	if !strings.Contains(pages["2025.html"], `<a href="2024.html">← 2024</a>`) || !strings.Contains(pages["2025.html"], `<a href="2026.html">2026 →</a>`) {
		t.Error("2025.html does not link to the years either side")
	}
	if !strings.Contains(pages["2024.html"], "Tea on 2024-06-01") || strings.Contains(pages["2024.html"], "Tea on 2026-11-20") {
		t.Error("2024.html does not hold 2024, and 2024 alone")
	}
	if strings.Count(pages["2025.html"], "<rect ") != 365 || !strings.Contains(pages["2025.html"], "From 1 January 2025 to 31 December 2025") {
		t.Error("2025.html's heatmap is not 2025")
	}
	if strings.Count(pages["2024.html"], "<rect ") != 214 { // 1 June to 31 December
		t.Errorf("2024.html's heatmap has %d squares, want 214", strings.Count(pages["2024.html"], "<rect "))
	}
	if strings.Contains(pages["index.html"], "Tea on") || !strings.Contains(pages["index.html"], "At a glance") {
		t.Error("the index holds the days, or not the figures")
	}

	// --one-page: one file however long, the heatmap a strip a year.
	book := filepath.Join(dir, "one.html")
	runIn(t, a, out, errOut, "", "export", "--format", "html", "--one-page", "--out", book)
	b, err := os.ReadFile(book)
	if err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, "one.html", string(b))
	if got := strings.Count(string(b), "<svg "); got != 3 {
		t.Errorf("one page: %d heatmap strips, want 3", got)
	}
	if got := strings.Count(string(b), "<rect "); got != 214+365+325 {
		t.Errorf("one page: %d squares, want 904", got)
	}
	if code := a.Run([]string{"export", "--format", "json", "--one-page"}); code != 2 {
		t.Errorf("--one-page with json: exit %d, want 2", code)
	}
}

// checkSelfContained fails unless page parses, has its style inline and
// refers to nothing outside the book but the web links written in entries.
func checkSelfContained(t *testing.T, name, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s does not parse: %v", name, err)
	}
	links := 0
	var walk func(n *html.Node, inEntry bool)
	walk = func(n *html.Node, inEntry bool) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "img", "iframe", "object", "embed", "base":
				t.Errorf("%s has a <%s>", name, n.Data)
			}
			for _, at := range n.Attr {
				if at.Key == "class" && strings.Contains(" "+at.Val+" ", " md ") {
					inEntry = true
				}
			}
			for _, at := range n.Attr {
				v := strings.ToLower(at.Val)
				web := strings.Contains(v, "http://") || strings.Contains(v, "https://")
				switch {
				case at.Key == "href" && web && inEntry && n.Data == "a":
					links++
				case web:
					t.Errorf("%s: <%s %s=%q> refers to the network", name, n.Data, at.Key, at.Val)
				case at.Key == "href" && !strings.HasPrefix(v, "#") && !regexp.MustCompile(`^(index|\d{4})\.html$`).MatchString(v):
					t.Errorf("%s: <%s href=%q> points outside the book", name, n.Data, at.Val)
				case at.Key == "src" || at.Key == "srcset" || at.Key == "style" && strings.Contains(v, "url("):
					t.Errorf("%s: <%s %s=%q> loads something", name, n.Data, at.Key, at.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inEntry)
		}
	}
	walk(doc, false)
	if !strings.Contains(page, "<style>") || strings.Contains(page, "url(") || strings.Contains(page, "@import") {
		t.Errorf("%s: its CSS is not inline, or loads something", name)
	}
	outside := regexp.MustCompile(`https?://`).FindAllStringIndex(page, -1)
	if len(outside) != links {
		t.Errorf("%s: %d web addresses, %d of them entry links", name, len(outside), links)
	}
}

func TestPlainParagraphIsGoldmarks(t *testing.T) {
	for _, text := range []string{
		"Tea", "Thank you for picking me up at the station. I love how you do that",
		`She said "yes" (finally), it's 10:30 - and 2 + 2 = 4; fine?`, "Été à Paris, 東京 too",
		"www.example.com and https://example.com/a", "a  b",
	} {
		if !plainParagraph(text) {
			t.Errorf("plainParagraph(%q) = false", text)
			continue
		}
		var b bytes.Buffer
		if err := bookMarkdown.Convert([]byte(text), &b); err != nil {
			t.Fatal(err)
		}
		want, _ := html.Parse(strings.NewReader(b.String()))
		got, _ := html.Parse(strings.NewReader(string(markdownHTML(text))))
		var w, g bytes.Buffer
		_ = html.Render(&w, want)
		_ = html.Render(&g, got)
		if w.String() != g.String() {
			t.Errorf("%q: fast %q, goldmark %q", text, markdownHTML(text), b.String())
		}
	}
	for _, text := range []string{"", "# Title", "- item", "1. first", "  indented", "**b**", "a_b", "x & y", "a\nb", "<b>", "[x](y)", "end  ", "> quote", "`code`", "a\\*b", "---", "=== "} {
		if plainParagraph(text) {
			t.Errorf("plainParagraph(%q) = true", text)
		}
	}
}
