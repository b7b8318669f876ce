package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

func TestAppendSafe(t *testing.T) {
	for _, tc := range []struct {
		in   string
		mode safeMode
		want string
	}{
		{"plain text, é and ♥\n\twith a tab", modeText, "plain text, é and ♥\n\twith a tab"},
		{"\x1b]52;c;cHduZWQ=\x07", modeText, "␛]52;c;cHduZWQ=␇"},
		{"\x1b]0;owned\x07\x1b[2J", modeText, "␛]0;owned␇␛[2J"},
		{"a\rb\x00c\x7fd", modeText, "a␍b␀c␡d"},
		{"C1 \u009b31m and \u0085", modeText, "C1 \ufffd31m and \ufffd"},
		{"raw \x9b[31m and \xff", modeText, "raw \ufffd[31m and \ufffd"},
		{"cut \xe2\x82", modeText, "cut \ufffd\ufffd"},
		{"a real \ufffd stays", modeText, "a real \ufffd stays"},
		{"name\nfake line\tx", modeLine, "name␊fake line␉x"},
		{"ics\r\nline\rlone", modeDocument, "ics\r\nline␍lone"},
		{"\r50%\r100%", modeLive, "\r50%\r100%"},
		{"\r\x1b[2K", modeLive, "\r␛[2K"},
	} {
		got, n := appendSafe(nil, []byte(tc.in), tc.mode, "", false)
		if string(got) != tc.want || n != len(tc.in) {
			t.Errorf("appendSafe(%q, %d) = %q, %d; want %q", tc.in, tc.mode, got, n, tc.want)
		}
	}
	if got := oneLine("2026/11/x\x1b]0;t\x07\n.md"); got != "2026/11/x␛]0;t␇␊.md" {
		t.Errorf("oneLine = %q", got)
	}
	if s := "already fine/é.md"; oneLine(s) != s {
		t.Errorf("oneLine changed %q", s)
	}
}

// The palette's marker becomes ESC [ only in a writer that knows it; the
// same bytes from a file (ESC [ itself, or a guess at the marker) do not.
func TestPaletteThroughTheFilter(t *testing.T) {
	var out bytes.Buffer
	s := &IOStreams{Out: &out, Color: true}
	s.guard()
	p := s.Palette()
	fmt.Fprintf(s.Out, "%s \x1b[31mred from a file\x1b[0m %s\n", p.Bold("bold"), p.Cyan("cyan"))
	s.flush()
	want := "\x1b[1mbold\x1b[0m ␛[31mred from a file␛[0m \x1b[36mcyan\x1b[0m\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
	// Another process's marker (a file that holds one) is only text.
	other := (&colorMark{}).get()
	out.Reset()
	fmt.Fprintf(s.Out, "%s31mforged", other)
	s.flush()
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("a marker not this process's became ESC: %q", out.String())
	}
	// Colour off: the palette writes nothing.
	if got := (&IOStreams{}).Palette().Red("x"); got != "x" {
		t.Errorf("palette off: %q", got)
	}
}

// A write cut anywhere (inside a UTF-8 sequence, a marker, a CRLF) comes
// out as the same write whole would.
func TestTermWriterSplits(t *testing.T) {
	mark := &colorMark{}
	m := mark.get()
	in := []byte("é♥ \x1b]0;x\x07 " + m + "1mbold" + m + "0m \r\n end \u009b \xe2\x82 ok\r")
	for _, mode := range []safeMode{modeText, modeLine, modeDocument, modeLive} {
		var whole bytes.Buffer
		w := newTermWriter(&whole, mode, mark)
		w.Write(in)
		w.Flush()
		for cut := 0; cut <= len(in); cut++ {
			var got bytes.Buffer
			w := newTermWriter(&got, mode, mark)
			w.Write(in[:cut])
			w.Write(in[cut:])
			w.Flush()
			if got.String() != whole.String() {
				t.Fatalf("mode %d, cut at %d: %q, whole %q", mode, cut, got.String(), whole.String())
			}
		}
		r := rand.New(rand.NewPCG(1, uint64(mode)))
		for range 200 {
			var got bytes.Buffer
			w := newTermWriter(&got, mode, mark)
			for rest := in; len(rest) > 0; {
				n := 1 + r.IntN(len(rest))
				w.Write(rest[:n])
				rest = rest[n:]
			}
			w.Flush()
			if got.String() != whole.String() {
				t.Fatalf("mode %d, random cuts: %q, whole %q", mode, got.String(), whole.String())
			}
		}
	}
}

func TestJSONSafe(t *testing.T) {
	s := "tea \x1b]0;owned\x07 \u009b31m \x7f é ♥ \u0080\u009f\u00a0"
	data, err := encodeJSON(map[string]string{"t": s})
	if err != nil {
		t.Fatal(err)
	}
	if !checkTerminalSafe(data, false, false) {
		t.Errorf("JSON holds control characters: %q", data)
	}
	var back map[string]string
	if err := json.Unmarshal(data, &back); err != nil || back["t"] != s {
		t.Errorf("JSON does not hold the text exactly: %q, %v", back["t"], err)
	}
}

// FuzzTermWriter: whatever is written, in whatever pieces, nothing a
// terminal obeys comes out, and the pieces make what the whole makes.
func FuzzTermWriter(f *testing.F) {
	f.Add([]byte("\x1b]52;c;cHduZWQ=\x07\r\n\u009b31m\xff"), 3)
	f.Add([]byte("plain\ttext\n"), 0)
	f.Fuzz(func(t *testing.T, in []byte, cut int) {
		for _, mode := range []safeMode{modeText, modeLine} {
			var whole, parts bytes.Buffer
			w := newTermWriter(&whole, mode, nil)
			w.Write(in)
			w.Flush()
			if !checkTerminalSafe(whole.Bytes(), false, false) {
				t.Fatalf("mode %d: %q let through %q", mode, in, whole.Bytes())
			}
			if cut < 0 {
				cut = -cut
			}
			c := cut % (len(in) + 1)
			w = newTermWriter(&parts, mode, nil)
			w.Write(in[:c])
			w.Write(in[c:])
			w.Flush()
			if whole.String() != parts.String() {
				t.Fatalf("cut at %d: %q, whole %q", c, parts.String(), whole.String())
			}
		}
	})
}

// paletteSGR is what reconnect's own colours look like on the wire.
var paletteSGR = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// checkTerminalSafe reports whether out is UTF-8 holding no control
// character but newline and tab: no ESC (but reconnect's colours, when
// colour is on), no BEL, no CR (but before LF, when crlf), no DEL, no C1.
func checkTerminalSafe(out []byte, color, crlf bool) bool {
	if color {
		out = paletteSGR.ReplaceAll(out, nil)
	}
	if crlf {
		out = bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n"))
	}
	if !utf8.Valid(out) {
		return false
	}
	for _, r := range string(out) {
		if (r < ' ' && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) {
			return false
		}
	}
	return true
}

// What a partner can put in a file: an OSC 52 that writes the clipboard,
// an OSC 0 that sets the window title, a screen clear, C1's CSI.
const (
	hostileText  = "Tea \x1b]52;c;cHduZWQ=\x07 then \x1b]0;owned\x07 and \x1b[2J and \u009b31m red"
	hostileTitle = "Ramen \x1b]52;c;cHduZWQ=\x07\x1b]0;owned\x07\x1b[2J\u009b31m a\rb"
	// In YAML's double quotes: \e is ESC, \a BEL, \x9b U+009B.
	hostileTitleYAML = `"Ramen \e]52;c;cHduZWQ=\a\e]0;owned\a\e[2J\x9b31m a\rb"`
)

// writeHostileJournal fills the journal at dir with the partner's crafted
// files and commits them with git, as a sync would bring them in.
func writeHostileJournal(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"2026/11/2026-11-21-checkin-alex.md": "---\nkind: checkin\nauthor: alex\ndate: 2026-11-21\ncreated: 2026-11-21T20:00:00+01:00\nmood: " + hostileTitleYAML + "\n---\n\n## Rose\n" + hostileText + "\n\n## Bud\nThe weekend\n",
		"2026/11/2026-11-21-answer-alex.md":  "---\nkind: answer\nauthor: alex\ndate: 2026-11-21\ncreated: 2026-11-21T20:01:00+01:00\nquestion-id: 1\nquestion: " + hostileTitleYAML + "\n---\n\n" + hostileText + "\n",
		// A raw C1 CSI (0x9b, not UTF-8) in a file name; in a file's text the
		// codec refuses it (not UTF-8) and says so in a warning.
		"2026/11/2026-11-21-thanks-alex-\x9b[2J.md": "---\nkind: thanks\nauthor: alex\ndate: 2026-11-21\ncreated: 2026-11-21T20:02:00+01:00\n---\n\nTea, named oddly\n",
		"2026/11/2026-11-21-thanks-alex-200200.md": "---\nkind: thanks\nauthor: alex\ndate: 2026-11-21\ncreated: 2026-11-21T20:02:00+01:00\n---\n\n" +
			"Tea and a raw CSI \x9b[2J\n",
		"2026/10/2026-10-21-thanks-alex-100000.md": "---\nkind: thanks\nauthor: alex\ndate: 2026-10-21\ncreated: 2026-10-21T10:00:00+02:00\n---\n\n" + hostileText + "\n",
		"bucket/ramen.md":                          "---\nkind: bucket\nauthor: alex\ndate: 2026-11-20\ncreated: 2026-11-20T20:00:00+01:00\ntitle: " + hostileTitleYAML + "\nstatus: open\n---\n\n" + hostileText + "\n",
		"bucket/done.md":                           "---\nkind: bucket\nauthor: alex\ndate: 2026-11-19\ncreated: 2026-11-19T20:00:00+01:00\ntitle: Pottery\nstatus: done\ndone: " + hostileTitleYAML + "\ndone-by: " + hostileTitleYAML + "\n---\n",
		"dates/dinner.md":                          "---\nkind: date\nauthor: alex\ndate: 2026-11-20\ncreated: 2026-11-20T20:00:00+01:00\ntitle: " + hostileTitleYAML + "\non: 2026-11-27\nstatus: planned\n---\n\n" + hostileText + "\n",
		"bucket/ramen-2.md":                        "---\nkind: bucket\nauthor: alex\ndate: 2026-11-20\ncreated: 2026-11-20T20:01:00+01:00\ntitle: \"Ramen again\\e]0;owned\\a\\nfake\"\nstatus: open\n---\n",
		// An entry whose file name holds a newline.
		"2026/11/2026-11-21-thanks-alex-2\nreconnect: fake.md": "---\nkind: thanks\nauthor: alex\ndate: 2026-11-21\ncreated: 2026-11-21T20:03:00+01:00\n---\n\nTea, on two lines of a name\n",
		// A conflict copy (one whose name held a control character would
		// never pass the path gate).
		"2026/11/2026-11-20-checkin-sam.conflict-alex-abc1234.md": "---\nkind: checkin\nauthor: sam\ndate: 2026-11-20\ncreated: 2026-11-20T20:00:00+01:00\n---\n\n## Rose\nTheirs\n",
		// Broken files whose names hold escape sequences and a newline.
		"2026/11/2026-11-21-checkin-\x1b[2J\x1b]0;owned\x07.md":            "not front matter \x1b]52;c;cHduZWQ=\x07\n",
		"2026/11/2026-11-21-thanks-alex-1\nreconnect: hint: run rm -rf.md": "---\nkind: [\x1b]0;owned\x07\n---\n",
	}
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "alex: a hostile partner's files")
}

// TestTerminalSafety: every command that prints what a file holds (entry
// text, titles, names, paths, fields, broken files' names, conflict
// names) lets no control character through to stdout or stderr, with
// colour off and forced on, paged or not; the palette's own colours
// still work; and --json holds the file's text exactly.
func TestTerminalSafety(t *testing.T) {
	a, out, errOut := testApp(t, false)
	for _, args := range [][]string{{"init", "--name", "sam"}, {"ask", "--answer", "Mine"}} {
		if code := a.Run(args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	j, err := a.openJournal(false)
	if err != nil {
		t.Fatal(err)
	}
	writeHostileJournal(t, j.Dir)

	human := [][]string{
		{"show"}, {"log"}, {"search", "tea"}, {"today"}, {}, {"memories"}, {"stats"},
		{"bucket", "list"}, {"date", "list"}, {"ask"}, {"status"},
		{"export", "--format", "markdown"}, {"export", "--format", "html"},
		{"export", "--format", "ics"}, {"export", "--format", "json"},
		{"log", "--json"}, {"show", "--json"}, {"search", "tea", "--json"},
		{"today", "--json"}, {"memories", "--json"}, {"status", "--json"},
		{"checkin", "--rose", "Mine"}, // echoes the partner's check-in
	}
	run := func(name string, args []string, color bool) (stdout, stderr []byte) {
		t.Helper()
		out.Reset()
		errOut.Reset()
		a.IO.Color = color
		if code := a.Run(args); code != 0 {
			t.Fatalf("%s %v: exit %d: %s", name, args, code, errOut)
		}
		return bytes.Clone(out.Bytes()), bytes.Clone(errOut.Bytes())
	}
	for _, color := range []bool{false, true} {
		for _, args := range human {
			name := fmt.Sprintf("color=%v", color)
			stdout, stderr := run(name, args, color)
			ics := len(args) == 3 && args[2] == "ics"
			if !checkTerminalSafe(stdout, color, ics) {
				t.Errorf("%s %v: stdout lets a control character through:\n%q", name, args, stdout)
			}
			if !checkTerminalSafe(stderr, color, false) {
				t.Errorf("%s %v: stderr lets a control character through:\n%q", name, args, stderr)
			}
			if !color && (bytes.IndexByte(stdout, 0x1b) >= 0 || bytes.IndexByte(stderr, 0x1b) >= 0) {
				t.Errorf("%s %v: an ESC with colour off", name, args)
			}
		}
	}

	// What was sent is shown, visibly, not dropped.
	stdout, stderr := run("show", []string{"show"}, false)
	if !bytes.Contains(stdout, []byte("Tea ␛]52;c;cHduZWQ=␇ then ␛]0;owned␇ and ␛[2J and \ufffd31m red")) {
		t.Errorf("show does not show the text visibly:\n%s", stdout)
	}
	// A file whose name holds a control character never passes the path
	// gate (internal/gitpath): it is not read as an entry at all.
	if bytes.Contains(stdout, []byte("Tea, named oddly")) {
		t.Errorf("show read a file whose name holds a raw C1 byte:\n%s", stdout)
	}
	if !bytes.Contains(stderr, []byte("reconnect: warning: skipped 2026/11/2026-11-21-thanks-alex-200200.md:8: not valid utf-8")) {
		t.Errorf("a broken file is not named in its warning:\n%s", stderr)
	}
	if bytes.Contains(stderr, []byte("\nreconnect: hint: run rm")) {
		t.Errorf("a newline in a file name started a line of its own:\n%s", stderr)
	}
	stdout, _ = run("checkin", []string{"checkin", "--rose", "Mine again"}, false)
	if !bytes.Contains(stdout, []byte("Alex's check-in today:")) || !bytes.Contains(stdout, []byte("␛]0;owned␇")) {
		t.Errorf("checkin's echo of the partner's check-in:\n%s", stdout)
	}
	stdout, _ = run("bucket list", []string{"bucket", "list"}, false)
	if !bytes.Contains(stdout, []byte("Ramen ␛]52;c;cHduZWQ=␇␛]0;owned␇␛[2J\ufffd31m a␍b")) {
		t.Errorf("bucket list does not show the title visibly:\n%s", stdout)
	}

	stdout, _ = run("log", []string{"log"}, false)
	if bytes.Contains(stdout, []byte("Tea, on two lines of a name")) {
		t.Errorf("log read a file whose name holds a newline:\n%s", stdout)
	}
	// An error that quotes titles (two items match): exit 2, each title on
	// its line, shown safely.
	out.Reset()
	errOut.Reset()
	if code := a.Run([]string{"bucket", "done", "ramen"}); code != exitUsage {
		t.Fatalf("bucket done ramen: exit %d, want 2 (two items match): %s", code, errOut)
	}
	if !checkTerminalSafe(errOut.Bytes(), false, false) || !bytes.Contains(errOut.Bytes(), []byte("Ramen again␛]0;owned␇␊fake  (added 2026-11-20)\n")) {
		t.Errorf("an error quoting titles:\n%q", errOut)
	}

	// Colours still work with colour on: the palette's, and only those.
	stdout, _ = run("log", []string{"log"}, true)
	if !bytes.Contains(stdout, []byte("\x1b[36m2026-11-21\x1b[0m")) || !bytes.Contains(stdout, []byte("\x1b[1mAlex\x1b[0m")) {
		t.Errorf("log with colour on has no colours:\n%q", stdout)
	}

	// Every path status --json names (exactly), status shows on one line.
	stdout, _ = run("status --json", []string{"status", "--json"}, false)
	var st statusView
	if err := json.Unmarshal(stdout, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Conflicts) == 0 {
		t.Fatalf("status --json lists no conflict copy: %s", stdout)
	}
	human2, _ := run("status", []string{"status"}, false)
	for _, c := range st.Conflicts {
		if !bytes.Contains(human2, []byte("  "+oneLine(c)+"\n")) {
			t.Errorf("status does not list %q as %q:\n%s", c, oneLine(c), human2)
		}
	}

	// --json: the file's text, exactly.
	stdout, _ = run("export --format json", []string{"export", "--format", "json"}, false)
	var entries []struct {
		Path     string            `json:"path"`
		Author   string            `json:"author"`
		Fields   map[string]any    `json:"fields"`
		Sections map[string]string `json:"sections"`
	}
	if err := json.Unmarshal(stdout, &entries); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, e := range entries {
		switch e.Path {
		case "2026/11/2026-11-21-checkin-alex.md":
			found++
			if e.Sections["Rose"] != hostileText || e.Fields["mood"] != hostileTitle {
				t.Errorf("export --format json changed the check-in: %q, %q", e.Sections["Rose"], e.Fields["mood"])
			}
		case "bucket/ramen.md":
			found++
			if e.Fields["title"] != hostileTitle {
				t.Errorf("export --format json changed the title: %q", e.Fields["title"])
			}
		}
	}
	if found != 2 {
		t.Errorf("export --format json lacks the crafted entries:\n%s", stdout)
	}
	for _, args := range [][]string{{"log", "--json"}, {"show", "--json"}, {"search", "tea", "--json"}, {"memories", "--json"}} {
		stdout, _ := run("json", args, false)
		var v any
		if err := json.Unmarshal(stdout, &v); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !holdsString(v, hostileText) {
			t.Errorf("%v does not hold the entry's text exactly:\n%s", args, stdout)
		}
	}
	stdout, _ = run("today --json", []string{"today", "--json"}, false)
	var today todayView
	if err := json.Unmarshal(stdout, &today); err != nil {
		t.Fatal(err)
	}
	if today.NextDate == nil || today.NextDate.Title != hostileTitle {
		t.Errorf("today --json changed the date's title: %+v", today.NextDate)
	}

	// Paged (a terminal, with a pager): the pager is given safe text.
	a.IO.OutTTY, a.IO.Pager = true, "cat -u"
	defer func() { a.IO.OutTTY, a.IO.Pager = false, "" }()
	for _, args := range [][]string{{"log"}, {"search", "tea"}, {"memories"}} {
		for _, color := range []bool{false, true} {
			stdout, stderr := run("paged", args, color)
			if !checkTerminalSafe(stdout, color, false) || !checkTerminalSafe(stderr, color, false) {
				t.Errorf("paged %v: a control character went through:\n%q\n%q", args, stdout, stderr)
			}
			if !bytes.Contains(stdout, []byte("␛]0;owned␇")) {
				t.Errorf("paged %v: the text did not go through the pager:\n%s", args, stdout)
			}
		}
	}
}

// holdsString reports whether s is one of the strings in v, decoded JSON.
func holdsString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if holdsString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holdsString(e, s) {
				return true
			}
		}
	}
	return false
}

// The filter changes nothing of what reconnect writes itself: help and the
// completion scripts (files a shell reads) come out byte for byte.
func TestFilterKeepsReconnectsOwnOutput(t *testing.T) {
	for _, args := range [][]string{{"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"},
		{"completion", "powershell"}, {"--help"}, {"export", "--help"}} {
		var want bytes.Buffer
		root := RootForDocs()
		root.SetOut(&want)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		a, out, errOut := testApp(t, false)
		if code := a.Run(args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if !bytes.Equal(out.Bytes(), want.Bytes()) {
			t.Errorf("%v: the filter changed reconnect's own output", args)
		}
	}
}
