package cmd

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// The constructors of today, date plan, date list, sync and status fill
// Options from the flags and the App; runF sees them instead of the
// command running.
func TestEveningFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	day := date("2026-11-10")

	var today *todayOptions
	if err := execFlags(t, newTodayCmd(a, func(_ context.Context, o *todayOptions) error { today = o; return nil }),
		"--date", "2026-11-10", "--json"); err != nil {
		t.Fatal(err)
	}
	if today.Date != day || !today.JSON || today.IO != a.IO || today.Now() != a.Now() || today.FreshBound != freshBound ||
		today.Sync == nil || today.Author == nil || today.OpenJournal == nil || today.SharedItems == nil ||
		today.QuestionDay == nil || today.UnionDue == nil || today.PrintAnswers == nil || today.PrintBucket == nil {
		t.Errorf("today: %+v", today)
	}

	var plan *datePlanOptions
	if err := execFlags(t, newDatePlanCmd(a, func(_ context.Context, o *datePlanOptions) error { plan = o; return nil }),
		"Pottery class", "--on", "2026-11-20", "--date", "2026-11-10", "--note", "Aprons"); err != nil {
		t.Fatal(err)
	}
	if plan.Title != "Pottery class" || plan.On != date("2026-11-20") || plan.Date != day || plan.Note != "Aprons" || plan.AddShared == nil {
		t.Errorf("date plan: %+v", plan)
	}

	var list *dateListOptions
	if err := execFlags(t, newDateListCmd(a, func(_ context.Context, o *dateListOptions) error { list = o; return nil }),
		"--date", "2026-11-10", "--all"); err != nil {
		t.Fatal(err)
	}
	if list.Date != day || !list.All || list.JSON || list.Sync == nil || list.OpenJournal == nil || list.SharedItems == nil {
		t.Errorf("date list: %+v", list)
	}

	// Bare 'challenge' is 'challenge today', --date and --json included.
	var out bytes.Buffer
	a.IO.Out = &out
	if err := execFlags(t, newChallengeCmd(a), "--date", "2026-11-10", "--json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"date": "2026-11-10"`) || !strings.Contains(out.String(), `"status": "none"`) {
		t.Errorf("challenge --date --json:\n%s", out.String())
	}

	var sync *syncCmdOptions
	if err := execFlags(t, newSyncCmd(a, func(_ context.Context, o *syncCmdOptions) error { sync = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if sync.Sync == nil || sync.OpenJournal == nil || sync.KeepPrivate == nil {
		t.Errorf("sync: %+v", sync)
	}

	var status *statusOptions
	if err := execFlags(t, newStatusCmd(a, func(_ context.Context, o *statusOptions) error { status = o; return nil }), "--json"); err != nil {
		t.Fatal(err)
	}
	if !status.JSON || status.IO != a.IO || status.OpenJournal == nil {
		t.Errorf("status: %+v", status)
	}
}

// A date is upcoming or passed as seen from the day it is planned on (its
// --date), not from the clock.
func TestRunDatePlanFromItsDay(t *testing.T) {
	ctx := context.Background()
	added := 0
	add := func(_ context.Context, title, _ string, d civil.Date, newItem func(title, who string, day civil.Date) *journal.Entry,
		_ func(string) string) (*journal.Entry, error) {
		added++
		e := newItem(title, "sam", dayOr(d, challengeNow))
		e.Path = "dates/pottery-class.md"
		return e, nil
	}
	for _, tc := range []struct {
		name   string
		day    string // --date, "" for none; the clock says 2026-11-21
		on     string
		want   string
		passed bool
	}{
		{"upcoming from its day", "2026-11-10", "2026-11-20", "Planned: Pottery class, Fri 20 Nov 2026 (dates/pottery-class.md)", false},
		{"on its day", "2026-11-19", "2026-11-19", "Planned: Pottery class, today (", false},
		{"passed from the clock", "", "2026-11-20", "Planned: Pottery class, yesterday (", true},
		{"passed from its day", "2026-11-15", "2026-11-14", "Planned: Pottery class, yesterday (", true},
	} {
		io, out, _ := bufferStreams()
		opts := &datePlanOptions{IO: io, Now: fixedClock, AddShared: add, Title: "Pottery class", On: date(tc.on)}
		if tc.day != "" {
			opts.Date = date(tc.day)
		}
		if err := runDatePlan(ctx, opts); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s: output lacks %q:\n%s", tc.name, tc.want, out)
		}
		if got := strings.Contains(out.String(), "That day has passed"); got != tc.passed {
			t.Errorf("%s: passed said %v, want %v:\n%s", tc.name, got, tc.passed, out)
		}
	}

	added = 0
	io, _, _ := bufferStreams()
	err := runDatePlan(ctx, &datePlanOptions{IO: io, Now: fixedClock, AddShared: add, Title: "Dinner"})
	if exitCode(err) != exitUsage || added != 0 {
		t.Errorf("plan without --on: %v, added %d", err, added)
	}
}

// Before there is a journal, the evening screen welcomes, and says where
// the first check-in puts the journal.
func TestRunTodayScreenWithoutAJournal(t *testing.T) {
	io, out, _ := bufferStreams()
	opts := &todayOptions{IO: io, Now: fixedClock, Author: sam, OpenJournal: noJournal, JournalDir: func() string { return "/home/sam/us" }}
	if err := runToday(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "Welcome to reconnect.") || !strings.Contains(out.String(), "It creates your journal in /home/sam/us.") {
		t.Errorf("welcome:\n%s", out)
	}
}
