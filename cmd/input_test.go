package cmd

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/journal"
)

// endless is a reader that never ends, like `yes |`.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'y'
	}
	return len(p), nil
}

// TestReadTextLimit: up to maxText is read whole; more is an error naming
// the limit and how much was given, never a shorter text.
func TestReadTextLimit(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    io.Reader
		want string // error, "" for none
	}{
		{"empty", strings.NewReader(""), ""},
		{"at the limit", strings.NewReader(strings.Repeat("x", maxText)), ""},
		{"one byte over", strings.NewReader(strings.Repeat("x", maxText+1)),
			"piped text is over the 1 MiB limit (1048577 bytes given); nothing was saved"},
		{"1.5 MiB", strings.NewReader(strings.Repeat("x", 3*maxText/2)),
			"piped text is over the 1 MiB limit (1.5 MiB given); nothing was saved"},
		{"endless", endless{},
			"piped text is over the 1 MiB limit (more than 64 MiB given); nothing was saved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAllText(tc.r)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var tl *tooLongError
			if err == nil || err.Error() != tc.want || !errors.As(err, &tl) || got != "" {
				t.Fatalf("got %d bytes, %v; want the error %q", len(got), err, tc.want)
			}
			if exitCode(err) != exitUsage || !strings.Contains(hintOf(err), "at most 1 MiB") {
				t.Errorf("exit %d, hint %q", exitCode(err), hintOf(err))
			}
		})
	}
}

func TestSizeString(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB",
		maxText: "1 MiB", maxText + 1: "1048577 bytes", 3 * maxText / 2: "1.5 MiB", 64 << 20: "64 MiB",
	} {
		if got := sizeString(n); got != want {
			t.Errorf("sizeString(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestTooMuchTextSavesNothing: every way text comes in refuses more than
// the limit with exit 2, and writes nothing at all (the journal is not
// even created).
func TestTooMuchTextSavesNothing(t *testing.T) {
	rose := strings.Repeat("A long Rose. ", 3*maxText/2/13)
	for _, tc := range []struct {
		args  []string
		stdin string
		edit  string // what the editor writes, for --edit
		want  string
	}{
		{[]string{"checkin"}, "## Rose\n" + rose + "\n## Thorn\nThe commute\n", "", "piped text is over the 1 MiB limit (1.5 MiB given)"},
		{[]string{"union"}, "## Appreciations\n" + rose, "", "piped text is over the 1 MiB limit (1.5 MiB given)"},
		{[]string{"thanks"}, rose, "", "piped text is over"},
		{[]string{"win"}, rose, "", "piped text is over"},
		{[]string{"ask", "--answer", "-"}, rose, "", "piped text is over"},
		{[]string{"checkin", "--edit"}, "", "## Rose\n" + rose + "\n## Thorn\nThe commute\n", "the text from the editor is over the 1 MiB limit (1.5 MiB given)"},
		{[]string{"union", "--edit"}, "", "## Appreciations\n" + rose, "the text from the editor is over"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			a, out, errOut := preparedApp(t, false, nil)
			a.IO.In = strings.NewReader(tc.stdin)
			a.Editor = writingEditor(tc.edit)
			if code := a.Run(tc.args); code != exitUsage || !strings.Contains(errOut.String(), tc.want) ||
				!strings.Contains(errOut.String(), "nothing was saved") {
				t.Fatalf("exit %d:\n%s", code, errOut)
			}
			if strings.Contains(out.String(), "Saved") {
				t.Errorf("output: %s", out)
			}
			if _, err := a.openJournal(false); err == nil {
				t.Error("the journal was created")
			}
		})
	}
}

// writingEditor is an $EDITOR that writes text over the file.
type writingEditor string

func (w writingEditor) Edit(_ context.Context, _ func(string) string, path string) error {
	return os.WriteFile(path, []byte(w), 0o600)
}

// TestNothingDroppedWithoutAWord: text that was lost quietly before (after
// an unclosed comment, under a heading written twice, with a control
// character in a form) is now an error, exit 2, and nothing is saved.
func TestNothingDroppedWithoutAWord(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		tty    bool
		stdin  string
		edit   string
		prompt *scriptPrompter
		want   string
	}{
		{name: "editor, unclosed comment", args: []string{"checkin", "--edit"},
			edit: "## Rose\nA walk <!-- add the photo\n\n## Thorn\nThe commute\n",
			want: "the '<!--' comment on line 2 is never closed"},
		{name: "piped union, unclosed comment", args: []string{"union"},
			stdin: "## Appreciations\nThe soup\n<!-- note\n## One thing, gently\nMornings\n",
			want:  "the '<!--' comment on line 3 is never closed"},
		{name: "piped check-in, Rose twice", args: []string{"checkin"},
			stdin: "## Rose\nA long lunch\n## Thorn\nThe commute\n## ROSE\nThe walk home\n",
			want:  "the piped check-in has '## Rose' twice"},
		{name: "piped union, a step twice", args: []string{"union"},
			stdin: "## Appreciations\nThe soup\n## appreciations\nThe flowers\n",
			want:  "the piped State of the Union has '## Appreciations' twice"},
		{name: "editor, Rose twice", args: []string{"checkin", "--edit"},
			edit: "## Rose\nA long lunch\n## Bud\n\n## Rose\nThe walk home\n",
			want: "the text from the editor has '## Rose' twice"},
		{name: "check-in form, a control character", args: []string{"checkin"}, tty: true,
			prompt: &scriptPrompter{forms: []map[string]string{{"Rose": "A long lunch", "Thorn": "The \x07commute"}}},
			want:   "Thorn: control character in text U+0007"},
		{name: "ask form, a control character", args: []string{"ask"}, tty: true,
			prompt: &scriptPrompter{forms: []map[string]string{{"answer": "More \x1b walks"}}},
			want:   "answer: control character in text U+001B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Prompter
			if tc.prompt != nil {
				p = tc.prompt
			}
			a, _, errOut := preparedApp(t, tc.tty, p)
			a.IO.In = strings.NewReader(tc.stdin)
			a.Editor = writingEditor(tc.edit)
			if code := a.Run(tc.args); code != exitUsage || !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("exit %d:\n%s\nwant %q", code, errOut, tc.want)
			}
			if _, err := a.openJournal(false); err == nil {
				t.Error("the journal was created")
			}
		})
	}
}

// An empty repeat of a heading is no clash, whichever comes first.
func TestMergeSections(t *testing.T) {
	got, err := mergeSections(journal.ParseSections("## Rose\n\n## Bud\nHike\n## rose\nLunch\n## BUD\n\n"), "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Heading != "Rose" || got[0].Text != "Lunch" || got[1].Heading != "Bud" || got[1].Text != "Hike" {
		t.Errorf("merged %+v", got)
	}
}

func TestStripComments(t *testing.T) {
	for in, want := range map[string]string{
		"a <!-- b --> c":            "a  c",
		"<!-- x\ny -->\n## Rose\nr": "\n## Rose\nr",
		"a <!--> b":                 "a  b",
		"no comment":                "no comment",
	} {
		if got, err := stripComments(in); err != nil || got != want {
			t.Errorf("stripComments(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := stripComments("<!-- ok -->\n## Rose\na <!-- open\n## Thorn\nb"); err == nil ||
		!strings.Contains(err.Error(), "line 3") || exitCode(err) != exitUsage {
		t.Errorf("unclosed comment: %v", err)
	}
}

// A form at a terminal cannot hold more than formMaxLines in a field: a
// longer prefilled text is refused before the form is shown, and an answer
// that filled the field may have been cut, so it is refused too.
func TestFormLineLimit(t *testing.T) {
	long := strings.Repeat("line\n", formMaxLines) + "one more"
	_, err := huhPrompter{}.Form(t.Context(), "", []FormField{{Key: "Rose", Value: long}})
	if err == nil || exitCode(err) != exitUsage || !strings.Contains(err.Error(), "Rose has 10001 lines") {
		t.Errorf("prefilled: %v", err)
	}
	full := strings.Repeat("line\n", formMaxLines-1) + "last"
	if err := formKept([]FormField{{Key: "Rose"}}, map[string]string{"Rose": full}); err == nil || exitCode(err) != exitUsage {
		t.Errorf("filled: %v", err)
	}
	if err := formKept([]FormField{{Key: "Rose"}}, map[string]string{"Rose": "short"}); err != nil {
		t.Error(err)
	}
	if err := formCanHold([]FormField{{Key: "Rose", Value: full}}); err != nil {
		t.Error(err)
	}
}

// The editor's file is read through the same reader.
func TestEditorFileOverLimit(t *testing.T) {
	a, _, _ := preparedApp(t, false, nil)
	a.Editor = writingEditor("## Rose\n" + strings.Repeat("x", maxText))
	_, err := a.editSections(t.Context(), "")
	var tl *tooLongError
	if !errors.As(err, &tl) {
		t.Fatalf("%v", err)
	}
}
