package cmd

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// The read commands' runX take what they use: these tests call them with
// buffers, an identity and a journal opener of their own.

func TestHeatmapWeeksFit(t *testing.T) {
	for _, tc := range []struct{ width, weeks int }{
		{0, 1}, {6, 1}, {7, 1}, {9, 2}, {40, 17}, {60, 27}, {79, 37}, {80, 37}, {81, 38},
		{100, 47}, {108, 51}, {109, 52}, {200, 52},
	} {
		got := heatmapWeeksFit(tc.width)
		if got != tc.weeks {
			t.Errorf("heatmapWeeksFit(%d) = %d, want %d", tc.width, got, tc.weeks)
		}
		// What the rule says fits does: the widest line is the month names.
		if tc.width >= 7 && 4+2*got+1 > tc.width {
			t.Errorf("heatmapWeeksFit(%d) = %d takes %d columns", tc.width, got, 4+2*got+1)
		}
	}
	h := newHeatmap(date("2026-11-21"))
	for _, width := range []int{40, 60, 80, 108, 120} {
		for _, l := range heatmapLines(Palette{}, h, heatmapWeeksFit(width)) {
			if textWidth(l) > width {
				t.Errorf("at %d columns: %q is %d wide", width, l, textWidth(l))
			}
		}
	}
}

func TestAuthorFilter(t *testing.T) {
	noName := func() (string, error) { return "", errors.New("no name") }
	for _, tc := range []struct {
		in   []string
		me   func() (string, error)
		want []string
		code int
	}{
		{nil, sam, nil, 0},
		{[]string{"me"}, sam, []string{"sam"}, 0},
		{[]string{"ALEX", " me", "alex"}, sam, []string{"alex", "sam"}, 0},
		{[]string{"alex"}, noName, []string{"alex"}, 0},
		{[]string{"me"}, noName, nil, exitError},
		{[]string{"../x"}, sam, nil, exitUsage},
		{[]string{""}, sam, nil, exitUsage},
		{[]string{"-sam"}, sam, nil, exitUsage},
	} {
		got, err := authorFilter(tc.in, tc.me)
		if exitCode(err) != tc.code || !slices.Equal(got, tc.want) {
			t.Errorf("authorFilter(%q) = %q, %v; want %q, exit %d", tc.in, got, err, tc.want, tc.code)
		}
		if err != nil && tc.code == exitUsage && !strings.Contains(err.Error(), "--author") {
			t.Errorf("authorFilter(%q): %v does not name --author", tc.in, err)
		}
	}
}

func TestEntryHeader(t *testing.T) {
	e := newEntryAt("bucket", "sam", date("2026-11-21"), challengeNow)
	e.Path = "bucket/take-the-night-train-to-the-far-north.md"
	title := "Take the night train to the far north and watch the lights"
	for _, tc := range []struct {
		width int
		want  []string
	}{
		{200, []string{"2026-11-21  Sam  bucket: " + title + "  " + e.Path}},
		{90, []string{"2026-11-21  Sam  bucket: " + title, "  " + e.Path}},
		{60, []string{"2026-11-21  Sam  bucket: Take the night train to the far no…", "  " + e.Path}},
	} {
		got := entryHeader(Palette{}, e, title, false, tc.width, nil)
		if !slices.Equal(got, tc.want) {
			t.Errorf("at %d columns:\n%q\nwant\n%q", tc.width, got, tc.want)
		}
	}
}

// readsJournal is a journal with Sam's and Alex's entries, today and a
// year ago, and the App (Sam's) that wrote it.
func readsJournal(t *testing.T) (*App, func(context.Context) (*Journal, error)) {
	t.Helper()
	a, _, errOut := preparedApp(t, false, nil)
	// Alex writes into the same journal, as RECONNECT_AUTHOR says.
	alex, _, alexErr := testApp(t, false)
	env := alex.Getenv
	alex.Getenv = func(k string) string {
		switch k {
		case "RECONNECT_AUTHOR":
			return "alex"
		case "RECONNECT_JOURNAL":
			return a.Getenv(k)
		}
		return env(k)
	}
	for _, w := range []struct {
		app  *App
		args []string
	}{
		{a, []string{"checkin", "--date", "2025-11-21", "--rose", "Sam a year ago by the river"}},
		{a, []string{"checkin", "--rose", "Sam walked all the way along the river to the old harbour and back again, talking about everything"}},
		{alex, []string{"checkin", "--date", "2025-11-21", "--rose", "Alex a year ago by the river"}},
		{alex, []string{"checkin", "--rose", "Alex by the river too"}},
		{alex, []string{"thanks", "For the river walk"}},
	} {
		if code := w.app.Run(append([]string{"--no-sync"}, w.args...)); code != 0 {
			t.Fatalf("%v: exit %d: %s%s", w.args, code, errOut, alexErr)
		}
	}
	return a, func(context.Context) (*Journal, error) { return a.openJournal(false) }
}

// narrowLines fails the test for a line of out wider than width.
func narrowLines(t *testing.T, what string, out string, width int) {
	t.Helper()
	for l := range strings.SplitSeq(out, "\n") {
		if textWidth(l) > width {
			t.Errorf("%s: %q is %d columns, more than %d", what, l, textWidth(l), width)
		}
	}
}

func TestRunReadsByAuthor(t *testing.T) {
	ctx := context.Background()
	a, open := readsJournal(t)
	only := func(t *testing.T, what, out, want, not string) {
		t.Helper()
		if !strings.Contains(out, want) || strings.Contains(out, not) {
			t.Errorf("%s: want %q and no %q:\n%s", what, want, not, out)
		}
		narrowLines(t, what, out, 80)
	}

	io, out, _ := bufferStreams()
	if err := runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Authors: []string{"me"}}); err != nil {
		t.Fatal(err)
	}
	only(t, "log --author me", out.String(), "Sam walked", "Alex")

	io, out, _ = bufferStreams()
	if err := runSearch(ctx, &searchOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Words: []string{"river"}, Authors: []string{"alex"}}); err != nil {
		t.Fatal(err)
	}
	only(t, "search --author alex", out.String(), "3 entries match", "Sam")

	io, out, _ = bufferStreams()
	if err := runShow(ctx, &showOptions{reader: reader{IO: io, Now: a.clock(), Author: sam, OpenJournal: open}, Authors: []string{"alex"}}); err != nil {
		t.Fatal(err)
	}
	only(t, "show --author alex", out.String(), "Alex by the river too", "Sam")

	io, out, _ = bufferStreams()
	if err := runStats(ctx, &statsOptions{reader: reader{IO: io, Now: a.clock(), Author: sam, OpenJournal: open}, Authors: []string{"me"}}); err != nil {
		t.Fatal(err)
	}
	only(t, "stats --author me", out.String(), "  Sam        2 entries: checkin 2", "Alex")
	if !strings.Contains(out.String(), "The last 37 weeks, since ") {
		t.Errorf("stats at 80 columns:\n%s", out)
	}

	io, out, _ = bufferStreams()
	if err := runMemories(ctx, &memoriesOptions{reader: reader{IO: io, Now: a.clock(), Author: sam, OpenJournal: open}, Authors: []string{"alex"}}); err != nil {
		t.Fatal(err)
	}
	only(t, "memories --author alex", out.String(), "Alex a year ago", "Sam")

	io, out, _ = bufferStreams()
	if err := runExport(ctx, &exportOptions{reader: reader{IO: io, Now: a.clock(), Author: sam, OpenJournal: open}, Format: "markdown", Authors: []string{"me"}}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Sam a year ago") || strings.Contains(s, "Alex") {
		t.Errorf("export --author me:\n%s", s)
	}

	// --json is never fitted.
	io, out, _ = bufferStreams()
	if err := runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Authors: []string{"sam"}, JSON: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "back again, talking about everything") {
		t.Errorf("log --json is cut:\n%s", out)
	}
}

// A wider or narrower terminal: the views fit it.
func TestRunReadsFitTheWidth(t *testing.T) {
	ctx := context.Background()
	a, open := readsJournal(t)
	for _, width := range []int{40, 60, 120} {
		io, out, _ := bufferStreams()
		io.Width = width
		io.Color = width == 60 // colour takes no columns
		if err := runStats(ctx, &statsOptions{reader: reader{IO: io, Now: a.clock(), Author: sam, OpenJournal: open}}); err != nil {
			t.Fatal(err)
		}
		narrowLines(t, "stats", out.String(), width)
		if want := heatmapWeeksFit(width); (want == heatmapWeeks) != strings.Contains(out.String(), "The last 52 weeks\n") {
			t.Errorf("stats at %d columns, %d weeks:\n%s", width, want, out)
		}
		out.Reset()
		if err := runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}}); err != nil {
			t.Fatal(err)
		}
		narrowLines(t, "log", out.String(), width)
		out.Reset()
		if err := runShow(ctx, &showOptions{reader: reader{IO: io, Now: a.clock(), Author: sam, OpenJournal: open}}); err != nil {
			t.Fatal(err)
		}
		narrowLines(t, "show", out.String(), width)
	}
}

// A bad --author is refused before the journal is opened.
func TestRunReadsRefuseABadAuthor(t *testing.T) {
	ctx := context.Background()
	open := func(context.Context) (*Journal, error) {
		t.Error("opened the journal")
		return nil, errors.New("no")
	}
	io, out, _ := bufferStreams()
	bad := []string{"../x"}
	for name, err := range map[string]error{
		"log":      runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Authors: bad}),
		"search":   runSearch(ctx, &searchOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Words: []string{"x"}, Authors: bad}),
		"show":     runShow(ctx, &showOptions{reader: reader{IO: io, Now: fixedClock, Author: sam, OpenJournal: open}, Authors: bad}),
		"stats":    runStats(ctx, &statsOptions{reader: reader{IO: io, Now: fixedClock, Author: sam, OpenJournal: open}, Authors: bad}),
		"memories": runMemories(ctx, &memoriesOptions{reader: reader{IO: io, Now: fixedClock, Author: sam, OpenJournal: open}, Authors: bad}),
		"export":   runExport(ctx, &exportOptions{reader: reader{IO: io, Now: fixedClock, Author: sam, OpenJournal: open}, Format: "json", Authors: bad}),
	} {
		if exitCode(err) != exitUsage || !strings.Contains(err.Error(), `--author: `) || !strings.Contains(err.Error(), `"../x"`) {
			t.Errorf("%s --author ../x: %v", name, err)
		}
	}
	if out.Len() > 0 {
		t.Errorf("printed %q", out)
	}
}

// The constructors fill Options from the flags and the App; runF sees them
// instead of the command running.
func TestReadFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	authors := []string{"me", "alex", "sam"}

	var lo *logOptions
	if err := execFlags(t, newLogCmd(a, func(_ context.Context, o *logOptions) error { lo = o; return nil }),
		"--author", "me,alex", "--author", "sam", "--kind", "checkin", "--since", "2026-11-01", "--json"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lo.Authors, authors) || !slices.Equal(lo.Kinds, []string{"checkin"}) || lo.Since != date("2026-11-01") || !lo.JSON ||
		lo.IO != a.IO || lo.Author == nil || lo.OpenJournal == nil {
		t.Errorf("log options: %+v", lo)
	}

	var so *searchOptions
	if err := execFlags(t, newSearchCmd(a, func(_ context.Context, o *searchOptions) error { so = o; return nil }),
		"walk  river", "--author", "me,alex,sam"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(so.Words, []string{"walk", "river"}) || !slices.Equal(so.Authors, authors) {
		t.Errorf("search options: %+v", so)
	}

	var sh *showOptions
	if err := execFlags(t, newShowCmd(a, func(_ context.Context, o *showOptions) error { sh = o; return nil }),
		"2026-11-20", "--author", "alex"); err != nil {
		t.Fatal(err)
	}
	if sh.Date != date("2026-11-20") || !slices.Equal(sh.Authors, []string{"alex"}) || sh.Now == nil {
		t.Errorf("show options: %+v", sh)
	}
	err := execFlags(t, newShowCmd(a, func(context.Context, *showOptions) error { t.Error("ran"); return nil }),
		"2026-11-20", "--date", "2026-11-19")
	if exitCode(err) != exitUsage {
		t.Errorf("show DATE --date: %v", err)
	}

	var st *statsOptions
	if err := execFlags(t, newStatsCmd(a, func(_ context.Context, o *statsOptions) error { st = o; return nil }),
		"--author", "me", "--date", "2026-06-30", "--json"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Authors, []string{"me"}) || st.Date != date("2026-06-30") || !st.JSON {
		t.Errorf("stats options: %+v", st)
	}

	var mo *memoriesOptions
	if err := execFlags(t, newMemoriesCmd(a, func(_ context.Context, o *memoriesOptions) error { mo = o; return nil }),
		"--author", "alex"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(mo.Authors, []string{"alex"}) || !mo.Date.IsZero() {
		t.Errorf("memories options: %+v", mo)
	}

	var ex *exportOptions
	if err := execFlags(t, newExportCmd(a, func(_ context.Context, o *exportOptions) error { ex = o; return nil }),
		"--format", "ics", "-o", "cal.ics", "--author", "me", "--until", "2026-12-31"); err != nil {
		t.Fatal(err)
	}
	if ex.Format != "ics" || ex.Out != "cal.ics" || !slices.Equal(ex.Authors, []string{"me"}) || ex.Until != date("2026-12-31") ||
		ex.UnionEvery == nil || ex.UnionDue == nil {
		t.Errorf("export options: %+v", ex)
	}
}
