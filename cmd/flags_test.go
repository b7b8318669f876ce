package cmd

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// Date flags, once wired, read days as people say them against the App's
// clock (testApp: Saturday 2026-11-21); --on leans ahead.
func TestDateFlagsReadDaysAsSaid(t *testing.T) {
	a, _, _ := testApp(t, false)
	wired := func(c *cobra.Command) *cobra.Command { a.wireFlags(c); return c }

	var lo *logOptions
	if err := execFlags(t, wired(newLogCmd(a, func(_ context.Context, o *logOptions) error { lo = o; return nil })),
		"--since", "-7d", "--until", "yesterday", "-n", "3"); err != nil {
		t.Fatal(err)
	}
	if lo.Since != date("2026-11-14") || lo.Until != date("2026-11-20") || lo.Limit != 3 {
		t.Errorf("log --since -7d --until yesterday -n 3: %s %s %d", lo.Since, lo.Until, lo.Limit)
	}

	var plan *datePlanOptions
	if err := execFlags(t, wired(newDatePlanCmd(a, func(_ context.Context, o *datePlanOptions) error { plan = o; return nil })),
		"Dinner", "--on", "friday", "--date", "friday"); err != nil {
		t.Fatal(err)
	}
	if plan.On != date("2026-11-27") || plan.Date != date("2026-11-20") {
		t.Errorf("date plan --on friday --date friday: on %s, date %s", plan.On, plan.Date)
	}

	var ci *checkinOptions
	if err := execFlags(t, wired(newCheckinCmd(a, func(_ context.Context, o *checkinOptions) error { ci = o; return nil })),
		"--date", "last friday", "--rose", "x"); err != nil {
		t.Fatal(err)
	}
	if ci.Date != date("2026-11-20") {
		t.Errorf("checkin --date 'last friday': %s", ci.Date)
	}

	// The clock is read when the flag is, so a clock set later is used.
	now := a.Now()
	a.Now = func() time.Time { return now.AddDate(0, 0, 7) }
	if err := execFlags(t, wired(newLogCmd(a, func(_ context.Context, o *logOptions) error { lo = o; return nil })),
		"--since", "today"); err != nil {
		t.Fatal(err)
	}
	if lo.Since != date("2026-11-28") {
		t.Errorf("log --since today a week later: %s", lo.Since)
	}
	a.Now = func() time.Time { return now }

	// Declared and not wired, a date flag reads YYYY-MM-DD only: a day
	// said needs the clock.
	if err := execFlags(t, newLogCmd(a, func(context.Context, *logOptions) error { return nil }),
		"--since", "yesterday"); exitCode(err) != exitUsage {
		t.Errorf("unwired --since yesterday: %v", err)
	}

	// Bad days and limits are exit 2, and nothing runs.
	for _, args := range [][]string{{"--since", "someday"}, {"--until", "2026-02-30"}, {"-n", "0"}, {"--limit", "-1"}} {
		ran := false
		err := execFlags(t, wired(newLogCmd(a, func(context.Context, *logOptions) error { ran = true; return nil })), args...)
		if exitCode(err) != exitUsage || ran {
			t.Errorf("log %v: %v, ran %v", args, err, ran)
		}
	}
	ran := false
	err := execFlags(t, wired(newDatePlanCmd(a, func(context.Context, *datePlanOptions) error { ran = true; return nil })),
		"Dinner", "--on", "someday")
	if exitCode(err) != exitUsage || ran || !strings.Contains(err.Error(), civil.Forms) {
		t.Errorf("date plan --on someday: %v, ran %v", err, ran)
	}
}

// Every date flag of the tree is wired, and completes.
func TestWireFlagsReachesEveryDateFlag(t *testing.T) {
	a, _, _ := testApp(t, false)
	root := newRootCmd(a)
	var seen []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			switch f.Value.(type) {
			case dateValue:
				t.Errorf("%s --%s is not wired", c.CommandPath(), f.Name)
			case dayValue:
				seen = append(seen, c.CommandPath()+" --"+f.Name)
				if _, ok := c.GetFlagCompletionFunc(f.Name); !ok {
					t.Errorf("%s --%s has no completion", c.CommandPath(), f.Name)
				}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for _, want := range []string{"reconnect --date", "reconnect checkin --date", "reconnect log --since",
		"reconnect date plan --on", "reconnect challenge start --on", "reconnect export --until"} {
		if !slices.Contains(seen, want) {
			t.Errorf("%s is not a wired date flag (wired: %v)", want, seen)
		}
	}
}

// A DATE argument is the longest run of arguments, up to three, that is a
// day; show takes only a day, reply a day and then the text.
func TestDayArgs(t *testing.T) {
	a, _, _ := testApp(t, false)
	for _, tc := range []struct {
		args []string
		want string
		n    int
	}{
		{[]string{"yesterday", "It", "sounds", "hard"}, "2026-11-20", 1},
		{[]string{"last", "friday", "It sounds hard"}, "2026-11-20", 2},
		{[]string{"3", "days", "ago", "Hm"}, "2026-11-18", 3},
		{[]string{"last friday", "Hm"}, "2026-11-20", 1},
		{[]string{"2026-11-19"}, "2026-11-19", 1},
		{[]string{"friday", "next", "time"}, "2026-11-20", 1},
		{[]string{"someday", "x"}, "", 0},
		{[]string{"last", "x"}, "", 0},
	} {
		d, n, err := dayArg(tc.args, a.Now(), civil.Back)
		if tc.want == "" {
			if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "DATE: bad date \""+tc.args[0]+"\"") {
				t.Errorf("dayArg(%q): %v", tc.args, err)
			}
			continue
		}
		if err != nil || d != date(tc.want) || n != tc.n {
			t.Errorf("dayArg(%q) = %s, %d, %v; want %s, %d", tc.args, d, n, err, tc.want, tc.n)
		}
	}

	var sh *showOptions
	runShowF := func(_ context.Context, o *showOptions) error { sh = o; return nil }
	for args, want := range map[string]string{"yesterday": "2026-11-20", "last friday": "2026-11-20",
		"3 days ago": "2026-11-18", "Saturday": "2026-11-21", "-- -1w": "2026-11-14"} {
		sh = nil
		if err := execFlags(t, newShowCmd(a, runShowF), strings.Fields(args)...); err != nil || sh.Date != date(want) {
			t.Errorf("show %s: %v, %+v", args, err, sh)
		}
	}
	for _, args := range []string{"someday", "1 2 3 4", "2026-02-30", "yesterday --date 2026-11-20"} {
		sh = nil
		if err := execFlags(t, newShowCmd(a, runShowF), strings.Fields(args)...); exitCode(err) != exitUsage || sh != nil {
			t.Errorf("show %s: %v, ran %v", args, err, sh != nil)
		}
	}

	var reply *replyOptions
	if err := execFlags(t, newReplyCmd(a, func(_ context.Context, o *replyOptions) error { reply = o; return nil }),
		"last", "friday", "It", "sounds", "hard"); err != nil {
		t.Fatal(err)
	}
	if reply.Day != date("2026-11-20") || reply.Text != "It sounds hard" {
		t.Errorf("reply last friday It sounds hard: %s %q", reply.Day, reply.Text)
	}
}

// log -n keeps the newest N of what matches, in text and in JSON.
func TestRunLogLimit(t *testing.T) {
	ctx := context.Background()
	_, open := readsJournal(t)
	io, out, _ := bufferStreams()
	if err := runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Limit: 2, JSON: true}); err != nil {
		t.Fatal(err)
	}
	var got []struct{ Date, Author, Kind string }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Date != "2026-11-21" || got[1].Date != "2026-11-21" {
		t.Errorf("log -n 2 --json: %+v", got)
	}

	io, out, _ = bufferStreams()
	if err := runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Limit: 1, Authors: []string{"alex"}, Kinds: []string{"checkin"}}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.Count(s, "  Alex  checkin") != 1 || !strings.Contains(s, "Alex by the river too") {
		t.Errorf("log -n 1 --author alex --kind checkin:\n%s", s)
	}

	io, out, _ = bufferStreams()
	if err := runLog(ctx, &logOptions{reader: reader{IO: io, Author: sam, OpenJournal: open}, Limit: 100}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "  2026/") + strings.Count(out.String(), "  2025/"); n != 5 {
		t.Errorf("log -n 100 shows %d entries, want all 5:\n%s", n, out)
	}
}
