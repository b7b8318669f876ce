package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

func TestParseAlarmLead(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    time.Duration
		trigger string
		bad     bool
	}{
		{in: "1h", want: time.Hour, trigger: "-PT1H"},
		{in: "30m", want: 30 * time.Minute, trigger: "-PT30M"},
		{in: "1h30m", want: 90 * time.Minute, trigger: "-PT1H30M"},
		{in: "24h", want: 24 * time.Hour, trigger: "-P1D"},
		{in: "26h5m", want: 26*time.Hour + 5*time.Minute, trigger: "-P1DT2H5M"},
		{in: "168h", want: 7 * 24 * time.Hour, trigger: "-P7D"},
		{in: "off", want: 0},
		{in: "OFF", want: 0},
		{in: "0", want: 0},
		{in: "0s", want: 0},
		{in: "169h", bad: true},
		{in: "-1h", bad: true},
		{in: "90s", bad: true},
		{in: "1x", bad: true},
		{in: "soon", bad: true},
		{in: "", bad: true},
	} {
		got, err := parseAlarmLead(tc.in)
		if tc.bad {
			if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "calendar.alarm") {
				t.Errorf("parseAlarmLead(%q) = %v, %v, want exit 2 naming the key", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseAlarmLead(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
		if tc.trigger != "" {
			if tr := icsLead(got); tr != tc.trigger {
				t.Errorf("icsLead(%v) = %q, want %q", got, tr, tc.trigger)
			}
		}
	}
}

func TestEveryText(t *testing.T) {
	for days, want := range map[int]string{1: "every day", 7: "every week", 14: "every 2 weeks", 10: "every 10 days"} {
		if got := everyText(days); got != want {
			t.Errorf("everyText(%d) = %q, want %q", days, got, want)
		}
	}
	for days, want := range map[int]string{14: "FREQ=WEEKLY;INTERVAL=2", 7: "FREQ=WEEKLY;INTERVAL=1", 10: "FREQ=DAILY;INTERVAL=10"} {
		if got := icsEvery(days); got != want {
			t.Errorf("icsEvery(%d) = %q, want %q", days, got, want)
		}
	}
}

// TestDatePlanEveryFlag: --every is read into the options, and a bad one is
// exit 2 before anything is written.
func TestDatePlanEveryFlag(t *testing.T) {
	a, _, _ := testApp(t, false)
	var got *datePlanOptions
	c := newDatePlanCmd(a, func(_ context.Context, o *datePlanOptions) error { got = o; return nil })
	c.SetArgs([]string{"Date night", "--on", "2026-11-27", "--every", "2w"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Every != "2w" || got.On.String() != "2026-11-27" {
		t.Fatalf("options = %+v", got)
	}
	wrote := false
	opts := &datePlanOptions{IO: a.IO, Now: a.Now, Title: "x", On: got.On, Every: "fortnightly",
		AddShared: func(context.Context, string, string, civil.Date, func(string, string, civil.Date) *journal.Entry, func(string) string) (*journal.Entry, error) {
			wrote = true
			return nil, nil
		}}
	if err := runDatePlan(context.Background(), opts); exitCode(err) != 2 || wrote {
		t.Errorf("--every fortnightly: %v, wrote %v; want exit 2 and nothing written", err, wrote)
	}
}

// TestExportICSDateChanges: a date that recurs has an RRULE; a move keeps
// the UID and bumps SEQUENCE; a cancel is STATUS:CANCELLED with SEQUENCE
// bumped again; the alarm follows calendar.alarm and leaves cancelled and
// done dates alone.
func TestExportICSDateChanges(t *testing.T) {
	a, out, errOut := testApp(t, false)
	long := strings.Repeat("Takeout on the couch, phones away, ", 4) + "日本料理 ✨"
	runIn(t, a, out, errOut, "", "date", "plan", "Date night", "--on", "2026-11-27", "--every", "2w")
	runIn(t, a, out, errOut, "", "date", "plan", long, "--on", "2026-12-05")
	runIn(t, a, out, errOut, "", "date", "plan", "Pottery", "--on", "2026-12-12", "--every", "10d")
	runIn(t, a, out, errOut, "", "date", "plan", "Walk", "--on", "2026-11-20", "--date", "2026-11-19")
	runIn(t, a, out, errOut, "", "date", "done", "Walk")

	first := runIn(t, a, out, errOut, "", "export", "--format", "ics")
	checkICSLines(t, first)
	events := parseICS(t, []byte(first))
	night := events["date-date-night"]
	if night == nil {
		t.Fatalf("no event for the date night among %v", sortedKeys(events))
	}
	if got := prop(night, ics.ComponentPropertyRrule); got != "FREQ=WEEKLY;INTERVAL=2" {
		t.Errorf("RRULE = %q", got)
	}
	if got := prop(events["date-pottery"], ics.ComponentPropertyRrule); got != "FREQ=DAILY;INTERVAL=10" {
		t.Errorf("RRULE every 10 days = %q", got)
	}
	if got := prop(night, ics.ComponentPropertySequence); got != "0" {
		t.Errorf("a new date has SEQUENCE %q, want 0", got)
	}
	alarms := func(ev *ics.VEvent) []*ics.VAlarm {
		if ev == nil {
			return nil
		}
		return ev.Alarms()
	}
	if al := alarms(night); len(al) != 1 || prop2(al[0].ComponentBase, ics.ComponentPropertyTrigger) != "-PT1H" ||
		prop2(al[0].ComponentBase, ics.ComponentPropertyAction) != "DISPLAY" ||
		ics.FromText(prop2(al[0].ComponentBase, ics.ComponentPropertyDescription)) != "Date night: Date night" {
		t.Errorf("the date night's alarms = %+v, want one DISPLAY at -PT1H", al)
	}
	if al := alarms(events["union"]); len(al) != 1 || prop2(al[0].ComponentBase, ics.ComponentPropertyTrigger) != "-PT1H" {
		t.Errorf("the State of the Union's alarms = %+v", al)
	}
	if al := alarms(events["date-walk"]); len(al) != 0 {
		t.Errorf("a done date has alarms %+v", al)
	}
	for uid, ev := range events {
		if strings.HasPrefix(uid, "challenge-") && len(ev.Alarms()) != 0 {
			t.Errorf("challenge day %s has an alarm", uid)
		}
	}
	longUID := ""
	for uid := range events {
		if strings.HasPrefix(uid, "date-takeout") {
			longUID = uid
		}
	}
	if got := ics.FromText(prop2(events[longUID].Alarms()[0].ComponentBase, ics.ComponentPropertyDescription)); got != "Date night: "+long {
		t.Errorf("a long alarm text unfolds to %q", got)
	}

	// Move, then cancel: the same UID, SEQUENCE 1 then 2.
	runIn(t, a, out, errOut, "", "date", "move", "night", "--on", "2026-11-28")
	moved := parseICS(t, []byte(runIn(t, a, out, errOut, "", "export", "--format", "ics")))
	if ev := moved["date-date-night"]; ev == nil || prop(ev, ics.ComponentPropertySequence) != "1" ||
		prop(ev, ics.ComponentPropertyDtStart) != "20261128" || prop(ev, ics.ComponentPropertyStatus) != "TENTATIVE" {
		t.Errorf("after a move: %+v", ev)
	}
	runIn(t, a, out, errOut, "", "date", "cancel", "night")
	runIn(t, a, out, errOut, "", "config", "set", "calendar.alarm", "30m")
	text := runIn(t, a, out, errOut, "", "export", "--format", "ics")
	checkICSLines(t, text)
	cancelled := parseICS(t, []byte(text))
	ev := cancelled["date-date-night"]
	if ev == nil || prop(ev, ics.ComponentPropertySequence) != "2" || prop(ev, ics.ComponentPropertyStatus) != "CANCELLED" {
		t.Fatalf("after a cancel: %+v", ev)
	}
	if len(ev.Alarms()) != 0 {
		t.Errorf("a cancelled date keeps its alarm")
	}
	if len(cancelled) != len(events) {
		t.Errorf("%d events after the cancel, want %d: a cancelled date stays, cancelled", len(cancelled), len(events))
	}
	if al := cancelled["union"].Alarms(); len(al) != 1 || prop2(al[0].ComponentBase, ics.ComponentPropertyTrigger) != "-PT30M" {
		t.Errorf("calendar.alarm 30m: %+v", al)
	}

	runIn(t, a, out, errOut, "", "config", "set", "calendar.alarm", "off")
	if text := runIn(t, a, out, errOut, "", "export", "--format", "ics"); strings.Contains(text, "VALARM") {
		t.Errorf("calendar.alarm off still has alarms")
	}
}

func prop2(c ics.ComponentBase, p ics.ComponentProperty) string {
	if x := c.GetProperty(p); x != nil {
		return x.Value
	}
	return ""
}

// TestDateDoneRecurring: ticking off a date that recurs ticks off its last
// day as a date of its own; the series goes on, in the list and in the
// calendar (one event, the series), and a part of the title still names
// the series.
func TestDateDoneRecurring(t *testing.T) {
	a, out, errOut := testApp(t, false)
	runIn(t, a, out, errOut, "", "date", "plan", "Date night", "--on", "2026-12-04", "--every", "1w")
	if code := a.Run([]string{"date", "done", "night"}); code != 2 || !strings.Contains(errOut.String(), "starts on 2026-12-04: there is none to tick off yet") {
		t.Fatalf("done before the first day: exit %d: %s", code, errOut)
	}
	runIn(t, a, out, errOut, "", "date", "move", "night", "--on", "2026-11-14")
	got := runIn(t, a, out, errOut, "", "date", "done", "night", "--note", "Ramen")
	if !strings.Contains(got, "Done: Date night, today. The next one is Sat 28 Nov 2026.") {
		t.Errorf("date done says %q", got)
	}
	if code := a.Run([]string{"date", "done", "night"}); code != 2 || !strings.Contains(errOut.String(), `"Date night" on 2026-11-21 is already done`) {
		t.Errorf("done twice: exit %d: %s", code, errOut)
	}
	list := runIn(t, a, out, errOut, "", "date", "list")
	if !strings.Contains(list, "Sat 28 Nov 2026  Date night  every week") || strings.Count(list, "Date night") != 1 {
		t.Errorf("date list = %q", list)
	}
	events := parseICS(t, []byte(runIn(t, a, out, errOut, "", "export", "--format", "ics")))
	if len(events) != 2 || events["date-date-night"] == nil {
		t.Errorf("events %v, want the series and the State of the Union", sortedKeys(events))
	}
	runIn(t, a, out, errOut, "", "date", "cancel", "night")
}
