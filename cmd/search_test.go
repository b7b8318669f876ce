package cmd

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

func TestHighlight(t *testing.T) {
	on := Palette{on: true}
	for _, tc := range []struct {
		p     Palette
		s     string
		words []string
		want  string
	}{
		{on, "A walk by the River", []string{"river", "walk"}, "A \x1b[1;33mwalk\x1b[0m by the \x1b[1;33mRiver\x1b[0m"},
		{on, "walkwalk", []string{"walk"}, "\x1b[1;33mwalk\x1b[0m\x1b[1;33mwalk\x1b[0m"},
		{Palette{}, "A walk", []string{"walk"}, "A walk"},
		{on, "nothing", []string{"walk"}, "nothing"},
	} {
		if got := highlight(tc.p, tc.s, tc.words); got != tc.want {
			t.Errorf("highlight(%q, %q) = %q, want %q", tc.s, tc.words, got, tc.want)
		}
	}
}

func TestAround(t *testing.T) {
	line := "one two three four five six seven eight nine ten eleven twelve"
	got := around(line, 40, 44, 20)
	if len([]rune(got)) > 22 || got[0:3] != "…" {
		t.Errorf("around = %q", got)
	}
	if got := around("short", 0, 5, 20); got != "short" {
		t.Errorf("around(short) = %q", got)
	}
}

// plainSnippet and plainAround are snippet and around as first written:
// line by line with strings.Split, rune by rune with journal.IndexFold, through
// []rune. The faster ones must give the same text.
func plainSnippet(e *journal.Entry, words []string, width int) string {
	for _, s := range e.Sections() {
		for _, line := range strings.Split(s.Text, "\n") {
			for _, w := range words {
				i, j := journal.IndexFold(line, w)
				if i < 0 {
					continue
				}
				label := ""
				if s.Heading != "" {
					label = s.Heading + ": "
				}
				return label + plainAround(strings.TrimSpace(line), i, j, width-len([]rune(label)))
			}
		}
	}
	for _, s := range e.Sections() {
		if line := strings.TrimSpace(strings.SplitN(s.Text, "\n", 2)[0]); line != "" {
			return plainAround(line, 0, 0, width)
		}
	}
	return ""
}

func plainAround(line string, i, j, width int) string {
	runes := []rune(line)
	if len(runes) <= width {
		return line
	}
	start := max(utf8.RuneCountInString(line[:min(i, len(line))])-width/3, 0)
	end := min(start+width, len(runes))
	start = max(end-width, 0)
	out := string(runes[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(runes) {
		out += "…"
	}
	return out
}

func TestSnippetMatchesPlain(t *testing.T) {
	pieces := []string{"walk", "WALK", "Walking", "river", " ", " ", "  ", "\n", "\n", "the", "\u212a", "\u017f", "ks", "été", "ÉTÉ",
		"İ", "i", "a long stretch of words with nothing much in them", "tea", "☕", "—", "’s"}
	queries := [][]string{{"walk"}, {"river", "walk"}, {"KS"}, {"k"}, {"s"}, {"été"}, {"\u212a"}, {"İ"}, {"i"}, {"zzz"}, {"tea", "☕"}, {"’s"}}
	r := rand.New(rand.NewPCG(3, 4))
	text := func() string {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	at := time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)
	for n := range 3000 {
		e := journal.New(journal.KindCheckin, "sam", civil.Date{Year: 2026, Month: 11, Day: 21}, at)
		e.SetSection("", text())
		for _, h := range []string{"Rose", "Bud", "Thorn"}[:r.IntN(4)] {
			e.SetSection(h, text())
		}
		words, width := queries[n%len(queries)], 10+r.IntN(90)
		if got, want := snippet(e, journal.NewSearch(words), width), plainSnippet(e, words, width); got != want {
			t.Fatalf("snippet(%q, %q, %d) = %q, want %q", e.Sections(), words, width, got, want)
		}
	}
	for range 3000 {
		line := text()
		if r.IntN(3) == 0 {
			k := r.IntN(len(line) + 1)
			line = line[:k] + "\xff" + line[k:] // not UTF-8
		}
		i, width := r.IntN(len(line)+1), 1+r.IntN(60)
		if got, want := around(line, i, i, width), plainAround(line, i, i, width); got != want {
			t.Fatalf("around(%q, %d, %d) = %q, want %q", line, i, width, got, want)
		}
	}
}

// A warm cache lets search skip entries without decoding them
// (journal.Query.MayHold); what it finds must not change.
func TestSearchSameWithWarmCache(t *testing.T) {
	a, run := searchApp(t)
	run("thanks", "for the walk by the river")
	run("thanks", "for the \u212aind words") // a Kelvin sign, which k matches
	run("bucket", "add", "Swim in the RIVER")
	dir := a.Getenv("RECONNECT_JOURNAL")
	// A title the YAML writes escaped: the stored text holds it decoded.
	writeFile(t, filepath.Join(dir, "bucket", "cafe.md"),
		"---\nkind: bucket\nauthor: alex\ndate: 2026-11-20\ncreated: 2026-11-20T10:00:00+01:00\ntitle: \"caf\\u00e9 by the lake\"\n---\n")
	queries := [][]string{{"river"}, {"kind"}, {"CAFÉ", "lake"}, {"swim", "river"}, {"the"}}
	for i, out := range searchColdThenWarm(t, dir, run, queries) {
		if strings.Contains(out, "Nothing matches") {
			t.Errorf("search %v: %s", queries[i], out)
		}
	}
}

// searchApp is an App whose run gives a command line's output, failing the
// test on a non-zero exit.
func searchApp(t *testing.T) (*App, func(args ...string) string) {
	t.Helper()
	a, out, errOut := testApp(t, false)
	return a, func(args ...string) string {
		t.Helper()
		out.Reset()
		if code := a.Run(append([]string{"--no-sync"}, args...)); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out.String()
	}
}

// searchColdThenWarm runs each query with the read cache as the first read
// leaves it (too new to be trusted), then again once the cache is trusted,
// and fails where the two differ; it returns the cold outputs.
func searchColdThenWarm(t *testing.T, dir string, run func(args ...string) string, queries [][]string) []string {
	t.Helper()
	var cold []string
	for _, q := range queries {
		cold = append(cold, run(append([]string{"search"}, q...)...))
	}
	shards, _ := filepath.Glob(filepath.Join(dir, ".git", "reconnect-cache", "*"))
	if len(shards) == 0 {
		t.Fatal("no cache written")
	}
	later := time.Now().Add(time.Hour)
	for _, s := range shards {
		if err := os.Chtimes(s, later, later); err != nil {
			t.Fatal(err)
		}
	}
	for i, q := range queries {
		if got := run(append([]string{"search"}, q...)...); got != cold[i] {
			t.Errorf("search %v with a warm cache:\n%s\nwith a cold one:\n%s", q, got, cold[i])
		}
	}
	return cold
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A partner's answer you have not answered yet is searched as it is shown
// (the question and a line saying they answered), whether or not the cache
// lets search skip entries: the warm search must find what the cold one
// does, and neither may depend on the hidden text.
func TestSearchHiddenAnswerSameWithWarmCache(t *testing.T) {
	a, run := searchApp(t)
	run("ask", "--as", "alex", "--answer", "A slow Sunday")
	dir := a.Getenv("RECONNECT_JOURNAL")
	cold := searchColdThenWarm(t, dir, run, [][]string{{"answered"}, {"answer", "see"}, {"slow"}})
	if strings.Contains(cold[2], "slow") && !strings.Contains(cold[2], "Nothing matches") {
		t.Errorf("search for the hidden text found it:\n%s", cold[2])
	}
}
