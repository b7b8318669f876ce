package cmd

import (
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
	// Color is on for a terminal unless NO_COLOR is set or TERM is dumb.
	Color bool
	// Width of the terminal in columns; 80 when unknown.
	Width int
	// Pager is the command that pages long output on a terminal ("" = none).
	Pager string

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
	for _, w := range []io.Writer{s.Out, s.ErrOut, s.liveOut, s.liveEr} {
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
	if t, ok := s.Out.(*termWriter); ok {
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
		s.Color = colorAllowed(getenv)
		s.Pager = getenv("RECONNECT_PAGER")
		if s.Pager == "" {
			s.Pager = getenv("PAGER")
		}
		if s.Pager == "" {
			s.Pager = "less"
		}
	}
	// COLUMNS, as for ls, says the width when set: a view fits it.
	if w, err := strconv.Atoi(getenv("COLUMNS")); err == nil && w > 0 {
		s.Width = w
	}
	return s
}

func colorAllowed(getenv func(string) string) bool {
	if _, set := lookup(getenv, "NO_COLOR"); set {
		return false
	}
	return getenv("TERM") != "dumb"
}

// lookup treats an empty value as unset, except for NO_COLOR, whose mere
// presence counts (https://no-color.org): getenv cannot tell them apart, so
// NO_COLOR is looked up in the process environment too.
func lookup(getenv func(string) string, key string) (string, bool) {
	if v := getenv(key); v != "" {
		return v, true
	}
	_, ok := os.LookupEnv(key)
	return "", ok
}

// CanPrompt reports whether interactive forms may be shown.
func (s *IOStreams) CanPrompt() bool { return s.InTTY && s.OutTTY }

// StartPager sends Out through the pager when Out is a terminal. StopPager
// must be called after the output is written.
func (s *IOStreams) StartPager() {
	if !s.OutTTY || s.Pager == "" || s.Pager == "cat" {
		return
	}
	fields := strings.Fields(s.Pager)
	c := exec.Command(fields[0], fields[1:]...)
	c.Env = append(os.Environ(), "LESS=FRX", "LV=-c")
	// The pager draws on the terminal itself; what it is given to page
	// is filtered like Out.
	c.Stdout, c.Stderr = raw(s.Out, s.rawOut), raw(s.ErrOut, s.rawErr)
	w, err := c.StdinPipe()
	if err != nil {
		return
	}
	if err := c.Start(); err != nil {
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

// Errorf writes to ErrOut.
func (s *IOStreams) Errorf(format string, a ...any) { fmt.Fprintf(s.ErrOut, format, a...) }
