package cmd

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	"golang.org/x/net/html"

	"github.com/reconnect-app/reconnect/challenge"
	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// runIn runs one command line on a, with stdin, and fails the test unless
// it exits 0. It returns what the command printed on standard output.
func runIn(t *testing.T, a *App, out, errOut *bytes.Buffer, stdin string, args ...string) string {
	t.Helper()
	out.Reset()
	errOut.Reset()
	a.IO.In = strings.NewReader(stdin)
	if code := a.Run(args); code != 0 {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut)
	}
	return out.String()
}

// checkICSLines checks the physical lines of an iCalendar text: CRLF ends,
// at most 75 octets each, and no UTF-8 sequence split across a fold.
func checkICSLines(t *testing.T, text string) {
	t.Helper()
	if !strings.HasSuffix(text, "\r\n") {
		t.Fatalf("the calendar does not end with CRLF")
	}
	for i, l := range strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
	}
}

// parseICS reads a calendar back: its events by UID without the couple's
// part (what is before the '@'). Every UID must be id@couple.reconnect,
// one couple for all, and every event must have a SEQUENCE, and a
// LAST-MODIFIED equal to its DTSTAMP.
func parseICS(t *testing.T, data []byte) map[string]*ics.VEvent {
	t.Helper()
	events, _ := parseICSCouple(t, data)
	return events
}

// parseICSCouple is [parseICS] and the couple's id in the UIDs ("" when
// no event).
func parseICSCouple(t *testing.T, data []byte) (map[string]*ics.VEvent, string) {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse the export back: %v", err)
	}
	events := map[string]*ics.VEvent{}
	couple := ""
	for _, ev := range cal.Events() {
		uid := ev.Id()
		id, domain, ok := strings.Cut(uid, "@")
		c, ok2 := strings.CutSuffix(domain, ".reconnect")
		if !ok || !ok2 || c == "" || strings.ContainsAny(c, ".@") {
			t.Fatalf("UID %q is not id@couple.reconnect", uid)
		}
		if couple != "" && c != couple {
			t.Errorf("UID %q: couple %q, want %q as in the others", uid, c, couple)
		}
		couple = c
		if events[id] != nil {
			t.Errorf("UID %s twice", uid)
		}
		events[id] = ev
		if prop(ev, ics.ComponentPropertySequence) == "" {
			t.Errorf("UID %s has no SEQUENCE", uid)
		}
		if m := prop(ev, ics.ComponentPropertyLastModified); m == "" || m != prop(ev, ics.ComponentPropertyDtstamp) {
			t.Errorf("UID %s: LAST-MODIFIED %q, DTSTAMP %q; want both, the same", uid, m, prop(ev, ics.ComponentPropertyDtstamp))
		}
	}
	return events, couple
}

func prop(ev *ics.VEvent, p ics.ComponentProperty) string {
	if x := ev.GetProperty(p); x != nil {
		return x.Value
	}
	return ""
}

func TestExportICS(t *testing.T) {
	a, out, errOut := testApp(t, false)
	title := "Dîner à la maison: Japon, ramen; the long way round — ünïcödé ✨✨✨ 日本料理"
	note := "Bring the thermos, the \"good\" one; and \\ a backslash\nSecond line"
	runIn(t, a, out, errOut, "", "checkin", "--date", "2026-11-14", "--rose", "Pumpkins")
	runIn(t, a, out, errOut, "", "date", "plan", title, "--on", "2026-11-28", "--note", note)
	runIn(t, a, out, errOut, "", "date", "plan", "Walk in the park", "--on", "2026-11-01", "--date", "2026-10-20")
	runIn(t, a, out, errOut, "", "date", "done", "Walk in the park")
	runIn(t, a, out, errOut, "## Appreciations\nThe soup\n", "union", "--date", "2026-11-15")
	runIn(t, a, out, errOut, "", "challenge", "start", "--on", "2026-11-19")

	first := runIn(t, a, out, errOut, "", "export", "--format", "ics")
	checkICSLines(t, first)
	events := parseICS(t, []byte(first))
	if len(events) != 2+30+1 {
		t.Fatalf("%d events, want 2 dates, 30 challenge days and the State of the Union", len(events))
	}

	// A second export, later and after more was written, keeps every UID.
	written := a.Now().UTC().Format("20060102T150405Z")
	later := a.Now().Add(49 * time.Hour)
	a.Now = func() time.Time { return later }
	runIn(t, a, out, errOut, "", "checkin", "--rose", "Snow")
	second := runIn(t, a, out, errOut, "", "export", "--format", "ics")
	checkICSLines(t, second)
	again := parseICS(t, []byte(second))
	for uid := range events {
		if again[uid] == nil {
			t.Errorf("UID %s is gone from the second export", uid)
		}
	}
	if len(again) != len(events) {
		t.Errorf("second export has %d events, want %d", len(again), len(events))
	}
	// DTSTAMP and LAST-MODIFIED come from the journal, not the clock:
	// the union's is the day of the last one.
	if got := prop(again["union"], ics.ComponentPropertyDtstamp); got != "20261115T000000Z" {
		t.Errorf("DTSTAMP = %q, want the last State of the Union's day", got)
	}
	if got := prop(again["challenge-2026-11-19-day-03"], ics.ComponentPropertyLastModified); got != written {
		t.Errorf("a challenge day's LAST-MODIFIED = %q, want when the run was started", got)
	}
	if got := prop(again["date-walk-in-the-park"], ics.ComponentPropertyLastModified); got != written {
		t.Errorf("a date done the day it was written: LAST-MODIFIED = %q, want when it was written", got)
	}
	// Nothing in the calendar changed: the same bytes.
	if second != first {
		t.Errorf("a second export of the same calendar differs:\n%s\n---\n%s", first, second)
	}
	if third := runIn(t, a, out, errOut, "", "export", "--format", "ics"); third != second {
		t.Errorf("exporting twice gives different bytes")
	}

	date := events["date-diner-a-la-maison-japon-ramen-the-long-way-round-unicode"]
	if date == nil {
		t.Fatalf("no event for the planned date among %v", sortedKeys(events))
	}
	if got := ics.FromText(prop(date, ics.ComponentPropertySummary)); got != "Date: "+title {
		t.Errorf("summary = %q", got)
	}
	if got := ics.FromText(prop(date, ics.ComponentPropertyDescription)); !strings.HasPrefix(got, note+"\n\nPlanned by Sam on 2026-11-21.") {
		t.Errorf("description = %q", got)
	}
	start := date.GetProperty(ics.ComponentPropertyDtStart)
	if start.Value != "20261128" || start.ICalParameters["VALUE"][0] != "DATE" {
		t.Errorf("DTSTART = %+v, want the all-day 20261128", start)
	}
	if got := prop(date, ics.ComponentPropertyDtEnd); got != "20261129" {
		t.Errorf("DTEND = %q", got)
	}
	if got := prop(events["date-walk-in-the-park"], ics.ComponentPropertyDescription); !strings.Contains(got, "Done on 2026-11-21") {
		t.Errorf("a done date's description = %q", got)
	}

	day3 := events["challenge-2026-11-19-day-03"]
	if day3 == nil || prop(day3, ics.ComponentPropertyDtStart) != "20261121" {
		t.Fatalf("challenge day 3 = %+v", day3)
	}
	desc := ics.FromText(prop(day3, ics.ComponentPropertyDescription))
	if !strings.Contains(desc, "Emotional: Leave a sweet note") || !strings.Contains(desc, "\nPhysical: ") {
		t.Errorf("day 3's description = %q, want both activities", desc)
	}

	union := events["union"]
	if got := prop(union, ics.ComponentPropertyDtStart); got != "20261115" {
		t.Errorf("the union cadence starts %q, want the last one, 20261115", got)
	}
	if got := prop(union, ics.ComponentPropertyRrule); got != "FREQ=DAILY;INTERVAL=7" {
		t.Errorf("RRULE = %q", got)
	}

	// Raw escaping of TEXT values.
	for _, want := range []string{`\;`, `\,`, `\\ a backslash\nSecond line`} {
		if !strings.Contains(strings.ReplaceAll(first, "\r\n ", ""), want) {
			t.Errorf("the export has no %s", want)
		}
	}
}

func TestExportICSFoldsMultiByteText(t *testing.T) {
	for _, tc := range []struct{ name, unit string }{
		{"ascii", "a"},
		{"two octets", "é"},
		{"three octets", "✨"},
		{"four octets", "😀"},
		{"mixed", "a é ✨😀;,\\"},
		{"no spaces", "日本料理"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for n := 1; n <= 120; n += 7 {
				text := strings.Repeat(tc.unit, n)
				e := journal.NewDatePlan("x", "sam", civil.Date{Year: 2026, Month: 11, Day: 1}, time.Time{}, civil.Date{Year: 2026, Month: 11, Day: 2})
				e.Path = "dates/x.md"
				e.SetField(journal.FieldTitle, text)
				e.SetSection("", text)
				data := exportICS(icsInput{Dates: []*journal.Entry{e}, Couple: "x"})
				checkICSLines(t, string(data))
				ev := parseICS(t, data)["date-x"]
				if ev == nil {
					t.Fatalf("n=%d: no event", n)
				}
				if got := ics.FromText(prop(ev, ics.ComponentPropertySummary)); got != "Date: "+text {
					t.Errorf("n=%d: summary unfolds to %q", n, got)
				}
			}
		})
	}
}

func TestExportICSWithoutUnionOrRun(t *testing.T) {
	a, out, errOut := testApp(t, false)
	runIn(t, a, out, errOut, "", "checkin", "--rose", "Tea")
	events := parseICS(t, []byte(runIn(t, a, out, errOut, "", "export", "--format", "ics")))
	if len(events) != 1 {
		t.Fatalf("%d events, want only the State of the Union", len(events))
	}
	if got := prop(events["union"], ics.ComponentPropertyDtStart); got != "20261121" {
		t.Errorf("with no State of the Union yet, the cadence starts %q, want today", got)
	}
}

func TestExportProgress(t *testing.T) {
	for _, tc := range []struct {
		name string
		tty  bool
		want string
	}{
		{"terminal", true, "\rReading…\rReading… 250 of 600 entries\r"},
		{"not a terminal", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, _, errOut := testApp(t, false)
			a.IO.ErrTTY = tc.tty
			p := progressAfter(a.IO, "Reading", 0)
			if tc.tty {
				for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
					p.mu.Lock()
					shown := p.shown
					p.mu.Unlock()
					if shown || time.Now().After(deadline) {
						break
					}
				}
			}
			for n := 1; n <= 300; n++ {
				p.step(n, 600)
			}
			p.done()
			got := errOut.String()
			if !strings.HasPrefix(got, tc.want) && !(tc.want == "" && got == "") {
				t.Errorf("progress wrote %q, want it to start %q", got, tc.want)
			}
			if tc.tty && !strings.HasSuffix(got, strings.Repeat(" ", utf8.RuneCountInString("Reading… 250 of 600 entries"))+"\r") {
				t.Errorf("progress did not clear its line: %q", got)
			}
		})
	}
}

func TestExportHTML(t *testing.T) {
	a, out, errOut := testApp(t, false)
	runIn(t, a, out, errOut, "", "checkin", "--date", "2026-10-12", "--rose", "Your soup <script>alert(1)</script>", "--thorn", "Tired & <b>cold</b>")
	runIn(t, a, out, errOut, "", "checkin", "--as", "alex", "--date", "2026-10-12", "--bud", "The trip in spring")
	runIn(t, a, out, errOut, "", "thanks", "--as", "alex", "--date", "2026-11-14", "For picking me up in the rain")
	runIn(t, a, out, errOut, "", "bucket", "add", "See the northern lights")
	runIn(t, a, out, errOut, "", "bucket", "add", "Try the new ramen place")
	runIn(t, a, out, errOut, "", "bucket", "done", "Try the new ramen place")
	runIn(t, a, out, errOut, "", "challenge", "start", "--on", "2026-11-19")
	runIn(t, a, out, errOut, "", "challenge", "done", "--date", "2026-11-20", "--emotional", "--physical")

	page := runIn(t, a, out, errOut, "", "export", "--format", "html")
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("the memory book does not parse: %v", err)
	}
	var texts []string
	count := map[string]int{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			count[n.Data]++
			for _, at := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(at.Val))
				if (at.Key == "href" || at.Key == "src" || at.Key == "xlink:href") && !strings.HasPrefix(v, "#") {
					t.Errorf("<%s %s=%q> points outside the file", n.Data, at.Key, at.Val)
				}
				if strings.Contains(v, "http://") || strings.Contains(v, "https://") {
					t.Errorf("<%s %s=%q> refers to the network", n.Data, at.Key, at.Val)
				}
			}
		case html.TextNode:
			texts = append(texts, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, el := range []string{"script", "link", "img", "iframe", "object"} {
		if count[el] > 0 {
			t.Errorf("the book has %d <%s> elements, want none", count[el], el)
		}
	}
	if strings.Contains(page, "url(") || strings.Contains(page, "@import") {
		t.Error("the CSS loads something")
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{
		"Your soup <script>alert(1)</script>", // shown as text
		"Tired & <b>cold</b>",
		"Sam & Alex",
		"For picking me up in the rain",
		"October 2026", "November 2026",
		"See the northern lights", "Try the new ramen place",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the book's text has no %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>cold") {
		t.Error("user text reached the page unescaped")
	}
	// The heatmap covers the exported days, 12 October to 21 November: a
	// square each (it showed the last 52 weeks whatever was exported).
	if count["svg"] != 1 || count["rect"] != 41 {
		t.Errorf("heatmap: %d svg, %d rect", count["svg"], count["rect"])
	}
	if got := strings.Count(page, `class="cell both"`); got != 1 {
		t.Errorf("the challenge grid has %d days with both activities, want 1", got)
	}
	if got := strings.Count(page, `class="cell `); got != 2*challenge.Length {
		t.Errorf("the challenge grid has %d cells, want 30 for each of you", got)
	}
	// Bucket: done before open, each in its list.
	if i, j := strings.Index(all, "Try the new ramen place"), strings.Index(all, "See the northern lights"); i < 0 || j < i {
		t.Error("the done bucket item is not in the first list")
	}
}

func TestExportHTMLEmptyRange(t *testing.T) {
	a, out, errOut := testApp(t, false)
	runIn(t, a, out, errOut, "", "checkin", "--rose", "Tea")
	page := runIn(t, a, out, errOut, "", "export", "--format", "html", "--since", "2020-01-01", "--until", "2020-12-31")
	if !strings.Contains(page, "Nothing written in these days yet.") {
		t.Error("an empty book does not say so")
	}
	if _, err := html.Parse(strings.NewReader(page)); err != nil {
		t.Fatal(err)
	}
}

// Two journals started apart are two couples: their calendars' UIDs
// differ. A journal's couple is derived from its first commit.
func TestExportICSCouple(t *testing.T) {
	export := func(author string) (string, string) {
		a, out, errOut := testApp(t, false)
		getenv := a.Getenv
		a.Getenv = func(k string) string {
			if k == "RECONNECT_AUTHOR" {
				return author
			}
			return getenv(k)
		}
		runIn(t, a, out, errOut, "", "date", "plan", "Picnic", "--on", "2026-11-28")
		data := runIn(t, a, out, errOut, "", "export", "--format", "ics")
		events, couple := parseICSCouple(t, []byte(data))
		if events["date-picnic"] == nil || events["union"] == nil {
			t.Fatalf("%s: events %v", author, sortedKeys(events))
		}
		j, err := a.openJournal(false)
		if err != nil {
			t.Fatal(err)
		}
		root, err := j.Repo.RootCommit()
		if err != nil {
			t.Fatal(err)
		}
		if want := journal.DeriveCoupleID(root.String()); couple != want {
			t.Errorf("%s: couple %q, want %q from the first commit %s", author, couple, want, root)
		}
		return couple, data
	}
	sam, samData := export("sam")
	kim, kimData := export("kim")
	if sam == kim {
		t.Errorf("two journals started apart share the couple %q", sam)
	}
	if strings.Contains(kimData, "@"+sam+".") || strings.Contains(samData, "@"+kim+".") {
		t.Errorf("one couple's UID in the other's calendar")
	}
}
