package cmd

import (
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The challenge's two activities, as 'challenge done' offers them.
var pickerOptions = []string{
	"Emotional: Tell each other one thing you admired today",
	"Physical: Take a 20-minute walk together, phones away",
}

var ansiSeq = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)

// The picker at a terminal of 80x24 shows every option, not only the
// highlighted one.
func TestChooseShowsEveryOption(t *testing.T) {
	for _, options := range [][]string{pickerOptions[:1], pickerOptions, append(slices.Clone(pickerOptions), "Both, twice", "Neither")} {
		var picked []int
		f, _ := chooseForm("Day 3 of 30 · Kindness: what did you do?", options, &picked)
		f.Init()
		f.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		view := ansiSeq.ReplaceAllString(f.View(), "")
		for _, o := range options {
			if !strings.Contains(view, o) {
				t.Errorf("%d options: %q is not shown:\n%s", len(options), o, view)
			}
		}
		if !strings.Contains(view, "Kindness: what did you do?") {
			t.Errorf("the title is not shown:\n%s", view)
		}
		if n := strings.Count(view, "\n") + 1; n > 24 {
			t.Errorf("the picker takes %d lines of 24", n)
		}
	}
}

// Enter with nothing ticked picks the highlighted option; ticked options
// are what was ticked.
func TestChooseEnter(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
		want []int
	}{
		{"enter alone picks the first", []string{"\r"}, []int{0}},
		{"down then enter picks the second", []string{"\x1b[B", "\r"}, []int{1}},
		{"a tick is what counts", []string{"x", "\x1b[B", "\r"}, []int{0}},
		{"both ticked", []string{"x", "\x1b[B", "x", "\r"}, []int{0, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan struct{})
			defer close(done)
			p := huhPrompter{in: &keysReader{chunks: tc.keys, done: done}, out: io.Discard}
			got, err := p.Choose(t.Context(), "Day 3 of 30 · Kindness: what did you do?", pickerOptions)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("picked %v, want %v", got, tc.want)
			}
		})
	}
}

// The picker run as at a terminal of 80x24: what it draws holds every
// option, and Enter, typed once the picker is drawn, picks the highlighted
// one.
func TestChooseRunAt80x24(t *testing.T) {
	out := &drawnWriter{want: "what did you do?", drawn: make(chan struct{})}
	keys := &afterDrawn{drawn: out.drawn, keys: "\r", done: make(chan struct{})}
	defer close(keys.done)
	var picked []int
	f, ms := chooseForm("Day 3 of 30 · Kindness: what did you do?", pickerOptions, &picked)
	// WithProgramOptions replaces the options: first.
	f = f.WithProgramOptions(tea.WithWindowSize(80, 24)).WithInput(keys).WithOutput(out)
	if err := f.RunWithContext(t.Context()); err != nil {
		t.Fatal(err)
	}
	drawn := ansiSeq.ReplaceAllString(out.String(), "")
	for _, o := range pickerOptions {
		if !strings.Contains(drawn, o) {
			t.Errorf("%q was never drawn:\n%s", o, drawn)
		}
	}
	if got := chosen(picked, ms); !slices.Equal(got, []int{0}) {
		t.Errorf("picked %v, want [0]", got)
	}
}

// drawnWriter is a terminal's screen: it keeps what is drawn and closes
// drawn once want has been.
type drawnWriter struct {
	mu    sync.Mutex
	buf   strings.Builder
	want  string
	drawn chan struct{}
}

func (w *drawnWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.drawn)
	}
	return len(p), nil
}

func (w *drawnWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// afterDrawn types keys once the form is drawn (or after a bound, for the
// test to fail rather than hang), then waits for done.
type afterDrawn struct {
	drawn <-chan struct{}
	keys  string
	done  chan struct{}
	sent  bool
}

func (k *afterDrawn) Read(p []byte) (int, error) {
	if k.sent {
		<-k.done
		return 0, io.EOF
	}
	select {
	case <-k.drawn:
	case <-time.After(10 * time.Second):
	}
	k.sent = true
	return copy(p, k.keys), nil
}
