package cmd

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/term"
)

// IOStreams is the terminal: where input comes from, where output goes, and
// what the other end is. Everything that prints or prompts goes through it,
// so tests can swap in buffers.
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
	realOut   io.Writer
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
	c.Stdout, c.Stderr = s.Out, s.ErrOut
	w, err := c.StdinPipe()
	if err != nil {
		return
	}
	if err := c.Start(); err != nil {
		return
	}
	s.pagerProc, s.realOut, s.Out = c, s.Out, w
}

// StopPager waits for the pager to finish.
func (s *IOStreams) StopPager() {
	if s.pagerProc == nil {
		return
	}
	if c, ok := s.Out.(io.Closer); ok {
		c.Close()
	}
	_ = s.pagerProc.Wait()
	s.Out, s.pagerProc = s.realOut, nil
}

// Palette colours text when colour is on and leaves it alone otherwise.
type Palette struct{ on bool }

func (s *IOStreams) Palette() Palette { return Palette{on: s.Color} }

func (p Palette) wrap(code, text string) string {
	if !p.on || text == "" {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
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
