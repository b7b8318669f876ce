package cmd

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"golang.org/x/term"
)

// IOStreams is the terminal: where input comes from, where output goes, and
// what the other end is. Everything that prints or prompts goes through it,
// so tests can swap in buffers.
//
// Once [App.Run] has begun, Out and ErrOut filter what is written to them
// by the terminal-safety rule (termsafe.go): whatever a file holds, no
// control character reaches the terminal, and only the [Palette]'s own
// colours become escape sequences.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// InTTY, OutTTY and ErrTTY say whether stdin, stdout and stderr are
	// terminals.
	InTTY, OutTTY, ErrTTY bool
	// Color is on as [colorOn] says: --color, CLICOLOR_FORCE, NO_COLOR,
	// a terminal.
	Color bool
	// Width of the terminal in columns; 80 when unknown.
	Width int
	// Pager is the command that pages long output on a terminal ("" = none).
	Pager string

	// getenv is the environment FromEnv read.
	getenv func(string) string
	// quiet is --quiet (SetQuiet), for Successf.
	quiet bool

	pagerProc *exec.Cmd
	pagerIn   io.WriteCloser
	realOut   io.Writer

	// rawOut and rawErr are the streams Out and ErrOut filter; only the
	// filters and the pager's process write to them.
	rawOut, rawErr  io.Writer
	liveOut, liveEr *termWriter
	marks           *colorMark
}

// guard puts the terminal-safety filter on Out and ErrOut, once; [App.Run]
// calls it before any command runs.
func (s *IOStreams) guard() {
	if s.marks == nil {
		s.marks = &colorMark{}
	}
	if _, ok := s.Out.(*termWriter); !ok && s.Out != nil {
		s.rawOut, s.Out = s.Out, newTermWriter(s.Out, modeText, s.marks)
	}
	if _, ok := s.ErrOut.(*termWriter); !ok && s.ErrOut != nil {
		s.rawErr, s.ErrOut = s.ErrOut, newTermWriter(s.ErrOut, modeText, s.marks)
	}
}

// flush writes out what the filters held back at the end of a write (the
// start of a UTF-8 sequence); [App.Run] calls it when the command is done.
func (s *IOStreams) flush() {
	// --quiet lasts for one command.
	s.quiet = false
	if q, ok := s.Out.(*quietWriter); ok {
		s.Out = q.next
	}
	if q, ok := s.ErrOut.(*quietWriter); ok {
		s.ErrOut = q.next
	}
	for _, w := range []io.Writer{s.Out, s.ErrOut, s.liveOut, s.liveEr} {
		if q, ok := w.(*quietWriter); ok {
			w = q.next
		}
		if t, ok := w.(*termWriter); ok && t != nil {
			_ = t.Flush()
		}
	}
}

// raw is the stream under a filter: w itself when it is not one.
func raw(w, under io.Writer) io.Writer {
	if under != nil {
		return under
	}
	return w
}

// LiveOut is standard output for a line redrawn in place ("\r" kept, as
// the together timer draws its bar); everything else is filtered as Out.
func (s *IOStreams) LiveOut() io.Writer {
	if s.liveOut == nil {
		s.liveOut = newTermWriter(raw(s.Out, s.rawOut), modeLive, s.marks)
	}
	return s.liveOut
}

// LiveErr is [IOStreams.LiveOut] on standard error: a progress counter, the
// remote's progress of a sync.
func (s *IOStreams) LiveErr() io.Writer {
	if s.liveEr == nil {
		s.liveEr = newTermWriter(raw(s.ErrOut, s.rawErr), modeLive, s.marks)
	}
	return s.liveEr
}

// WriteDocument writes an export to standard output: filtered as Out, but
// CRLF line ends pass (an ics calendar needs them).
func (s *IOStreams) WriteDocument(data []byte) error {
	out := s.Out
	if q, ok := out.(*quietWriter); ok {
		out = q.next
	}
	if t, ok := out.(*termWriter); ok {
		if err := t.Flush(); err != nil {
			return err
		}
	}
	w := newTermWriter(raw(s.Out, s.rawOut), modeDocument, s.marks)
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Flush()
}

// SetQuiet is --quiet: once hush says so (a write has been saved), what
// goes to Out is dropped, and so are the "Synced:" notes on ErrOut. What a
// command prints before it saves (a question, data) still shows, and so do
// errors, warnings and every other line on ErrOut.
func (s *IOStreams) SetQuiet(hush func() bool) {
	if _, ok := s.Out.(*quietWriter); ok {
		return
	}
	s.quiet = true
	s.Out = &quietWriter{next: s.Out, hush: hush}
	s.ErrOut = &quietWriter{next: s.ErrOut, hush: hush, only: " Synced: "}
}

// quietWriter drops what is written once hush says so: everything, or
// only writes that hold the text only. The streams print a line a write.
type quietWriter struct {
	next io.Writer
	hush func() bool
	only string
}

func (q *quietWriter) Write(p []byte) (int, error) {
	if q.hush() && (q.only == "" || bytes.Contains(p, []byte(q.only))) {
		return len(p), nil
	}
	return q.next.Write(p)
}

// SystemStreams wraps the process's own stdin, stdout and stderr.
func SystemStreams(getenv func(string) string) *IOStreams {
	s := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Width: 80}
	s.InTTY = term.IsTerminal(int(os.Stdin.Fd()))
	s.OutTTY = term.IsTerminal(int(os.Stdout.Fd()))
	s.ErrTTY = term.IsTerminal(int(os.Stderr.Fd()))
	if s.OutTTY {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
			s.Width = w
		}
	}
	s.FromEnv(getenv)
	// COLUMNS, as for ls, says the width when set: a view fits it.
	if w, err := strconv.Atoi(getenv("COLUMNS")); err == nil && w > 0 {
		s.Width = w
	}
	return s
}

// FromEnv sets the colour and the pager from the environment, for a
// standard output that is a terminal or not (OutTTY): the --color and
// --no-pager flags may still change them ([IOStreams.SetColorMode]).
func (s *IOStreams) FromEnv(getenv func(string) string) {
	s.getenv = getenv
	s.Color = colorOn(colorAuto, s.OutTTY, getenv)
	s.Pager = ""
	if s.OutTTY {
		s.Pager = pagerCommand(getenv)
	}
}

// pagerCommand is the pager named by the environment: RECONNECT_PAGER,
// then PAGER, then less. A set but empty RECONNECT_PAGER is no pager.
func pagerCommand(getenv func(string) string) string {
	for _, k := range []string{"RECONNECT_PAGER", "PAGER"} {
		if v := getenv(k); strings.TrimSpace(v) != "" {
			return v
		}
	}
	return "less"
}

// The values of --color.
const (
	colorAuto   = "auto"
	colorAlways = "always"
	colorNever  = "never"
)

// colorOn is the colour rule, as gh's: --color always or never decides;
// otherwise CLICOLOR_FORCE (set and not "0") turns colour on even off a
// terminal, then NO_COLOR (set and not empty, https://no-color.org) or
// CLICOLOR=0 turn it off, and otherwise a terminal has colour unless TERM
// is dumb. An empty NO_COLOR is as if it were unset.
func colorOn(mode string, tty bool, getenv func(string) string) bool {
	switch mode {
	case colorAlways:
		return true
	case colorNever:
		return false
	}
	if v := getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	if getenv("NO_COLOR") != "" || getenv("CLICOLOR") == "0" {
		return false
	}
	return tty && getenv("TERM") != "dumb"
}

// SetColorMode applies --color (auto, always or never) and --no-pager.
func (s *IOStreams) SetColorMode(mode string, noPager bool) error {
	switch mode {
	case colorAuto, "":
		// the environment's choice, made by FromEnv (or by hand in tests)
	case colorAlways, colorNever:
		getenv := s.getenv
		if getenv == nil {
			getenv = func(string) string { return "" }
		}
		s.Color = colorOn(mode, s.OutTTY, getenv)
	default:
		return usagef("--color %q: want auto, always or never", mode)
	}
	if noPager {
		s.Pager = ""
	}
	return nil
}

// CanPrompt reports whether interactive forms may be shown.
func (s *IOStreams) CanPrompt() bool { return s.InTTY && s.OutTTY }

// StartPager sends Out through the pager when Out is a terminal. StopPager
// must be called after the output is written.
func (s *IOStreams) StartPager() {
	if !s.OutTTY || s.Pager == "" || s.Pager == "cat" {
		return
	}
	fields, err := splitCommand(s.Pager)
	if err != nil || len(fields) == 0 {
		s.Errorf("reconnect: pager %q: %v; printing without it\n", s.Pager, err)
		return
	}
	c := exec.Command(fields[0], fields[1:]...)
	c.Env = pagerEnv(os.Environ())
	// The pager draws on the terminal itself; what it is given to page
	// is filtered like Out.
	c.Stdout, c.Stderr = raw(s.Out, s.rawOut), raw(s.ErrOut, s.rawErr)
	w, err := c.StdinPipe()
	if err != nil {
		return
	}
	if err := c.Start(); err != nil {
		s.Errorf("reconnect: pager %q: %v; printing without it\n", s.Pager, err)
		return
	}
	s.pagerProc, s.pagerIn, s.realOut = c, w, s.Out
	s.Out = newTermWriter(w, modeText, s.marks)
}

// StopPager waits for the pager to finish.
func (s *IOStreams) StopPager() {
	if s.pagerProc == nil {
		return
	}
	if t, ok := s.Out.(*termWriter); ok {
		_ = t.Flush()
	}
	s.pagerIn.Close()
	_ = s.pagerProc.Wait()
	s.Out, s.pagerProc, s.pagerIn = s.realOut, nil, nil
}

// Palette colours text when colour is on and leaves it alone otherwise.
// It never writes ESC itself: it writes a marker that only the filter on
// Out and ErrOut turns into the escape sequence (termsafe.go), so the
// colours work and nothing from a file can pass for them. A Palette made
// by hand with on and no marker (tests of a renderer) writes ESC '['.
type Palette struct {
	on   bool
	mark string // stands for ESC '['
}

func (s *IOStreams) Palette() Palette {
	if !s.Color {
		return Palette{}
	}
	if s.marks == nil {
		s.marks = &colorMark{}
	}
	return Palette{on: true, mark: s.marks.get()}
}

func (p Palette) wrap(code, text string) string {
	if !p.on || text == "" {
		return text
	}
	csi := "\x1b["
	if p.mark != "" {
		csi = p.mark
	}
	return csi + code + "m" + text + csi + "0m"
}

func (p Palette) Bold(s string) string    { return p.wrap("1", s) }
func (p Palette) Dim(s string) string     { return p.wrap("2", s) }
func (p Palette) Green(s string) string   { return p.wrap("32", s) }
func (p Palette) Yellow(s string) string  { return p.wrap("33", s) }
func (p Palette) Magenta(s string) string { return p.wrap("35", s) }
func (p Palette) Cyan(s string) string    { return p.wrap("36", s) }
func (p Palette) Red(s string) string     { return p.wrap("31", s) }

// Printf writes to Out.
func (s *IOStreams) Printf(format string, a ...any) { fmt.Fprintf(s.Out, format, a...) }

// Successf is what a change outside the journal says it did ('config
// set'): Printf, unless --quiet.
func (s *IOStreams) Successf(format string, a ...any) {
	if !s.quiet {
		s.Printf(format, a...)
	}
}

// Errorf writes to ErrOut.
func (s *IOStreams) Errorf(format string, a ...any) { fmt.Fprintf(s.ErrOut, format, a...) }
