package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"charm.land/huh/v2"
)

// FormField is one question of an interactive form.
type FormField struct {
	Key         string
	Title       string
	Description string
	Placeholder string
	Value       string
	// Line is a one-line answer (a name): Enter saves it; the other fields
	// take text on several lines.
	Line bool
}

// Prompter shows interactive forms. It is only used when [IOStreams.CanPrompt]
// says a person is at a terminal; every form has a flag or stdin path too.
type Prompter interface {
	// Form asks every field and returns the answers by key. A form the
	// person interrupts (Ctrl-C, or the context ends) returns what every
	// field held at that moment together with an error wrapping
	// [context.Canceled], so that what was typed can be kept as a draft;
	// any other error returns no answers.
	Form(ctx context.Context, title string, fields []FormField) (map[string]string, error)
	// Choose asks for any number of the options and returns their indexes;
	// at a terminal every option is shown, and Enter with none ticked picks
	// the highlighted one.
	Choose(ctx context.Context, title string, options []string) ([]int, error)
}

// huhPrompter draws forms with charmbracelet/huh on the terminal; in and
// out, when set, replace the terminal (tests type keys into a form).
type huhPrompter struct {
	in  io.Reader
	out io.Writer
}

func (p huhPrompter) run(ctx context.Context, f *huh.Form) error {
	if p.in != nil {
		f = f.WithInput(p.in)
	}
	if p.out != nil {
		// Off a terminal there is no window size: give the form one (an
		// empty one-line field of no width makes huh's input panic).
		f = f.WithOutput(p.out).WithWidth(80)
	}
	return f.RunWithContext(ctx)
}

func (p huhPrompter) Form(ctx context.Context, title string, fields []FormField) (map[string]string, error) {
	if err := formCanHold(fields); err != nil {
		return nil, err
	}
	values := make([]string, len(fields))
	var group []huh.Field
	if title != "" {
		group = append(group, huh.NewNote().Title(oneLine(title)))
	}
	// huh draws on the terminal itself, past the filter on Out: what it
	// shows that is not being edited is filtered here (termsafe.go).
	for i, f := range fields {
		values[i] = f.Value
		if f.Line {
			group = append(group, huh.NewInput().
				Title(oneLine(f.Title)).
				Description(safeText(f.Description)).
				Placeholder(oneLine(f.Placeholder)).
				Value(&values[i]))
			continue
		}
		group = append(group, huh.NewText().
			Title(oneLine(f.Title)).
			Description(safeText(f.Description)).
			Placeholder(oneLine(f.Placeholder)).
			Lines(3).
			Value(&values[i]))
	}
	// huh keeps each field's value up to date as it is typed, so an
	// interrupted form still holds what was typed.
	err := p.run(ctx, huh.NewForm(huh.NewGroup(group...)))
	out := make(map[string]string, len(fields))
	for i, f := range fields {
		out[f.Key] = values[i]
	}
	if err != nil {
		if err = formError(ctx, err); interrupted(err) {
			return out, err
		}
		return nil, err
	}
	if err := formKept(fields, out); err != nil {
		return nil, err
	}
	return out, nil
}

// formMaxLines is the most lines a form's text field holds: the textarea
// under huh (charm.land/bubbles/v2/textarea, maxLines) drops the lines past
// it, without a word, from a prefilled value and from a paste alike.
const formMaxLines = 10000

// formCanHold refuses to show a form whose prefilled text the field would
// cut: saving the form would then cut the entry.
func formCanHold(fields []FormField) error {
	for _, f := range fields {
		if n := strings.Count(f.Value, "\n") + 1; n > formMaxLines {
			return withHint(usagef("the text for %s has %d lines, more than a form can hold (%d); nothing was changed", f.Key, n, formMaxLines),
				"use --edit, or pipe the text in")
		}
	}
	return nil
}

// formKept refuses answers that filled a text field to its last line: a
// paste may have been cut there.
func formKept(fields []FormField, answers map[string]string) error {
	for _, f := range fields {
		if n := strings.Count(answers[f.Key], "\n") + 1; n >= formMaxLines {
			return withHint(usagef("the text for %s reached the form's limit of %d lines and may have been cut; nothing was saved", f.Key, formMaxLines),
				"use --edit, or pipe the text in")
		}
	}
	return nil
}

func (p huhPrompter) Choose(ctx context.Context, title string, options []string) ([]int, error) {
	var picked []int
	f, ms := chooseForm(title, options, &picked)
	if err := p.run(ctx, f); err != nil {
		return nil, formError(ctx, err)
	}
	return chosen(picked, ms), nil
}

// chooseForm is the picker [huhPrompter.Choose] shows: title, then every
// option to tick. picked receives the ticked options' indexes.
//
// The title is the group's, above the options, not the options' own: huh
// sizes a multi-select's list to the options' height less its title's,
// so with a title of one line the last option is cut (two options showed
// as one).
func chooseForm(title string, options []string, picked *[]int) (*huh.Form, *huh.MultiSelect[int]) {
	opts := make([]huh.Option[int], len(options))
	for i, o := range options {
		opts[i] = huh.NewOption(oneLine(o), i)
	}
	ms := huh.NewMultiSelect[int]().Options(opts...).Value(picked)
	return huh.NewForm(huh.NewGroup(ms).Title(oneLine(title)).Description(chooseHelp)), ms
}

// chooseHelp is the picker's hint under its title.
const chooseHelp = "x or space ticks; enter saves (with nothing ticked, the highlighted one)"

// chosen is what a picker submitted: the ticked options, or, with none
// ticked, the highlighted one (Enter on an option picks it). None only
// when no option is highlighted (a filter that matches nothing).
func chosen(picked []int, ms *huh.MultiSelect[int]) []int {
	if len(picked) > 0 {
		return picked
	}
	if i, ok := ms.Hovered(); ok {
		return []int{i}
	}
	return nil
}

// formError turns a form the user walked away from into an interruption:
// Ctrl-C in the form (huh.ErrUserAborted), or the command's context ending
// under it (a signal; huh reports that as huh.ErrTimeout).
func formError(ctx context.Context, err error) error {
	if errors.Is(err, huh.ErrUserAborted) || ctx.Err() != nil {
		return fmt.Errorf("form cancelled: %w", context.Canceled)
	}
	return err
}

// Editor opens a file in the user's editor and waits for it to close.
type Editor interface {
	Edit(ctx context.Context, getenv func(string) string, path string) error
}

// externalEditor runs $VISUAL or $EDITOR (vi, or notepad on Windows, when
// neither is set) through the shell, so "code --wait" works.
type externalEditor struct{}

func (externalEditor) Edit(ctx context.Context, getenv func(string) string, path string) error {
	editor := getenv("VISUAL")
	if editor == "" {
		editor = getenv("EDITOR")
	}
	var c *exec.Cmd
	switch {
	case runtime.GOOS == "windows" && editor == "":
		c = exec.CommandContext(ctx, "notepad", path)
	case runtime.GOOS == "windows":
		c = exec.CommandContext(ctx, "cmd", "/c", editor+" "+path)
	default:
		if editor == "" {
			editor = "vi"
		}
		c = exec.CommandContext(ctx, "sh", "-c", editor+` "$1"`, "sh", path)
	}
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("editor %q: %w", editor, err)
	}
	return nil
}
