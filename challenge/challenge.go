// Package challenge is the 30-day reconnection challenge: the plan of daily
// activities (embedded from plan.yaml, the guide's table word for word plus a
// halfway look-back on day 15 and a celebration on day 30), the arithmetic
// that turns a calendar date into a challenge day, and the folds that turn
// plain facts from the journal ([Start] and [Done]) into the one run both
// partners agree on ([ActiveRun]) and each partner's [Progress].
//
// Nothing here reads files, prints or looks at the clock: callers pass the
// facts and today's date, so two clones holding the same entries compute the
// same answer.
//
// # Errors
//
// [Day] returns an error wrapping [ErrNoSuchDay] for a day outside 1..[Length].
// The plan is embedded at build time and checked by the package tests; a
// malformed plan.yaml is a build defect, and [Plan] panics on first use rather
// than return a partial plan.
package challenge

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Length is the number of days in a run of the challenge.
const Length = 30

// ErrNoSuchDay is wrapped by the error [Day] returns for a day outside
// 1..[Length].
var ErrNoSuchDay = errors.New("no such challenge day")

// Activity is one day of the plan: an emotional and a physical activity
// (a couple picks one, or both) under a short theme.
type Activity struct {
	Day       int
	Emotional string
	Physical  string
	Theme     string
	// Try is the reconnect command that helps with the day's activity,
	// like "reconnect date plan" on the day to plan a date; "" for most.
	Try string
}

//go:embed plan.yaml
var planYAML []byte

// loadPlan parses the embedded plan once; the result is never modified, and
// callers get copies.
var loadPlan = sync.OnceValues(func() ([]Activity, error) { return parsePlan(planYAML) })

// Plan is the 30 days of the challenge, day 1 first.
func Plan() []Activity {
	p, err := loadPlan()
	if err != nil {
		panic(fmt.Sprintf("challenge: embedded plan.yaml: %v", err))
	}
	return slices.Clone(p)
}

// Day is the activity of day n of a run, 1..[Length].
func Day(n int) (Activity, error) {
	if n < 1 || n > Length {
		return Activity{}, fmt.Errorf("day %d: %w (want 1 to %d)", n, ErrNoSuchDay, Length)
	}
	p, err := loadPlan()
	if err != nil {
		panic(fmt.Sprintf("challenge: embedded plan.yaml: %v", err))
	}
	return p[n-1], nil
}

type planFile struct {
	Days []struct {
		Day       int    `yaml:"day"`
		Theme     string `yaml:"theme"`
		Emotional string `yaml:"emotional"`
		Physical  string `yaml:"physical"`
		Try       string `yaml:"try"`
	} `yaml:"days"`
}

// parsePlan decodes and validates a plan: exactly Length days, numbered
// 1..Length in order, every activity non-empty.
func parsePlan(b []byte) ([]Activity, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f planFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse plan: %w", err)
	}
	if len(f.Days) != Length {
		return nil, fmt.Errorf("parse plan: %d days, want %d", len(f.Days), Length)
	}
	out := make([]Activity, 0, Length)
	for i, d := range f.Days {
		a := Activity{
			Day:       d.Day,
			Emotional: strings.TrimSpace(d.Emotional),
			Physical:  strings.TrimSpace(d.Physical),
			Theme:     strings.TrimSpace(d.Theme),
			Try:       strings.TrimSpace(d.Try),
		}
		switch {
		case a.Day != i+1:
			return nil, fmt.Errorf("parse plan: entry %d is day %d, want day %d", i+1, a.Day, i+1)
		case a.Emotional == "" || a.Physical == "" || a.Theme == "":
			return nil, fmt.Errorf("parse plan: day %d: empty emotional, physical or theme", a.Day)
		case a.Try != "" && !strings.HasPrefix(a.Try, "reconnect "):
			return nil, fmt.Errorf("parse plan: day %d: try %q is not a reconnect command", a.Day, a.Try)
		}
		out = append(out, a)
	}
	return out, nil
}
