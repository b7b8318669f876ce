package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/reconnect-app/reconnect/journal"
)

// maxText is the most text one entry takes in, piped or from the editor.
// More is refused, never cut: a check-in whose Rose fills the limit must
// not be saved without its Thorn.
const maxText = 1 << 20

// maxTextCounted is how far past maxText a refused input is read, only to
// say how much was given; `yes | reconnect thanks` must still end.
const maxTextCounted = 64 << 20

// tooLongError is text over [maxText]. Nothing has been written when it is
// returned.
type tooLongError struct {
	what    string // "piped text"
	given   int64  // bytes read
	atLeast bool   // reading stopped at maxTextCounted: there was more
}

func (e *tooLongError) Error() string {
	given := sizeString(e.given)
	if e.atLeast {
		given = "more than " + given
	}
	return fmt.Sprintf("%s is over the %s limit (%s given); nothing was saved", e.what, sizeString(maxText), given)
}

// tooLong is bad input naming the limit, with a hint.
func tooLong(what string, given int64, atLeast bool) error {
	return withHint(badInput(&tooLongError{what: what, given: given, atLeast: atLeast}),
		"an entry holds at most %s of text: split it into smaller entries", sizeString(maxText))
}

// sizeString is n bytes for a person: "1 MiB", "1.5 MiB", "812 KiB".
// A size just over a limit that would round down to it is given in bytes.
func sizeString(n int64) string {
	var s string
	switch {
	case n >= 1<<20:
		s = strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MiB"
	case n >= 1<<10:
		s = strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<10)), ".0") + " KiB"
	default:
		return fmt.Sprintf("%d bytes", n)
	}
	if n > maxText && s == sizeString(maxText) {
		return fmt.Sprintf("%d bytes", n)
	}
	return s
}

// readAllText reads piped text: the only way text comes in from stdin.
func readAllText(r io.Reader) (string, error) { return readText(r, "piped text") }

// readText reads all of r, what naming it in errors. Over [maxText] it is a
// [tooLongError]: one byte more than the limit is read to know, then (only
// to say how much was given) at most [maxTextCounted].
func readText(r io.Reader, what string) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxText+1))
	if err != nil {
		return "", fmt.Errorf("read %s: %w", what, err)
	}
	if len(data) > maxText {
		rest, _ := io.Copy(io.Discard, io.LimitReader(r, maxTextCounted-int64(len(data))+1))
		given := int64(len(data)) + rest
		if given > maxTextCounted {
			return "", tooLong(what, maxTextCounted, true)
		}
		return "", tooLong(what, given, false)
	}
	return string(data), nil
}

// mergeSections folds Markdown sections by heading, in the order they come,
// what naming the text in errors. A heading that holds text twice (in any
// case) is refused: one would silently replace the other. A repeat without
// text is dropped. Free text (Heading "") is the caller's to check; it is
// left out.
func mergeSections(secs []journal.Section, what string) ([]journal.Section, error) {
	var out []journal.Section
next:
	for _, s := range secs {
		h := strings.TrimSpace(s.Heading)
		if h == "" {
			continue
		}
		for i, o := range out {
			if !strings.EqualFold(strings.TrimSpace(o.Heading), h) {
				continue
			}
			switch {
			case strings.TrimSpace(s.Text) == "":
			case strings.TrimSpace(o.Text) != "":
				first := strings.TrimSpace(o.Heading)
				return nil, withHint(usagef("%s has '## %s' twice; nothing was saved", what, first),
					"put everything for '## %s' under one heading", first)
			default:
				out[i].Text = s.Text
			}
			continue next
		}
		out = append(out, s)
	}
	return out, nil
}

// stripComments removes <!-- --> comments, such as a template's help. A
// comment left open would hide everything after it, so it is refused.
func stripComments(s string) (string, error) {
	var b strings.Builder
	for pos := 0; ; {
		i := strings.Index(s[pos:], "<!--")
		if i < 0 {
			b.WriteString(s[pos:])
			return b.String(), nil
		}
		i += pos
		j := strings.Index(s[i:], "-->")
		if j < 0 {
			return "", withHint(usagef("the '<!--' comment on line %d is never closed, so everything after it would be lost; nothing was saved",
				strings.Count(s[:i], "\n")+1), "close it with '-->', or remove the '<!--'")
		}
		b.WriteString(s[pos:i])
		pos = i + j + 3
	}
}

// headedSections reads Markdown written under '## ' headings, from a form's
// editor or a pipe: the comments stripped, a heading written twice merged
// (see mergeSections), what is named what in messages. Text above the
// first heading is refused with outside, the caller's own error.
func headedSections(data, what string, outside error) ([]journal.Section, error) {
	data, err := stripComments(data)
	if err != nil {
		return nil, err
	}
	secs := journal.ParseSections(data)
	if len(secs) > 0 && secs[0].Heading == "" && strings.TrimSpace(secs[0].Text) != "" {
		return nil, outside
	}
	return mergeSections(secs, what)
}
