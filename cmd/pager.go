package cmd

import (
	"errors"
	"strings"
)

// pagerEnv is the pager's environment: the process's own, with LESS=FRX
// (quit when it fits, keep colours, no clearing) and LV=-c only where the
// user has set neither, as gh does: a LESS of your own is yours.
func pagerEnv(environ []string) []string {
	env := append([]string(nil), environ...)
	for _, kv := range []string{"LESS=FRX", "LV=-c"} {
		key, _, _ := strings.Cut(kv, "=")
		set := false
		for _, e := range environ {
			if strings.HasPrefix(e, key+"=") {
				set = true
				break
			}
		}
		if !set {
			env = append(env, kv)
		}
	}
	return env
}

// errUnterminated is a quote or a backslash left open in a command.
var errUnterminated = errors.New("unterminated quote or backslash")

// splitCommand splits a command line such as $PAGER into words as a POSIX
// shell would, without running one: blanks separate words; 'single quotes'
// keep everything; "double quotes" keep everything but a backslash before
// " \ $ or `; a backslash outside quotes keeps the next character. No
// variables, globs or substitutions are expanded.
func splitCommand(line string) ([]string, error) {
	var (
		words  []string
		cur    strings.Builder
		inWord bool
	)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '\\':
			if i+1 >= len(rs) {
				return nil, errUnterminated
			}
			i++
			if rs[i] != '\n' { // a backslash-newline joins lines
				cur.WriteRune(rs[i])
				inWord = true
			}
		case r == '\'':
			inWord = true
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return nil, errUnterminated
			}
			cur.WriteString(string(rs[i+1 : j]))
			i = j
		case r == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("\"\\$`\n", rs[j+1]) {
					j++
					if rs[j] != '\n' {
						cur.WriteRune(rs[j])
					}
					continue
				}
				cur.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errUnterminated
			}
			i = j
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
