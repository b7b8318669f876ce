package cmd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

func TestNudgeLine(t *testing.T) {
	long := strings.Repeat("a-very-long-name", 2)
	for _, tc := range []struct {
		name string
		w    []journal.Waiting
		want string
	}{
		{"nothing", []journal.Waiting{}, ""},
		{"the check-in", []journal.Waiting{{What: journal.WaitCheckin}},
			"♥ Tonight's check-in, when you're ready · reconnect checkin"},
		{"the partner, the check-in not counted", []journal.Waiting{{What: journal.WaitPartnerCheckedIn, Who: "alex"}, {What: journal.WaitCheckin}},
			"♥ Alex checked in · reconnect checkin"},
		{"the partner and two more", []journal.Waiting{{What: journal.WaitPartnerCheckedIn, Who: "alex"},
			{What: journal.WaitReply, Who: "alex"}, {What: journal.WaitUnion}, {What: journal.WaitCheckin}},
			"♥ Alex checked in · reconnect checkin (+2)"},
		{"a reply", []journal.Waiting{{What: journal.WaitReply, Who: "alex"}, {What: journal.WaitCheckin}},
			"♥ Alex replied to you · reconnect news"},
		{"a date", []journal.Waiting{{What: journal.WaitDate, Title: "Pottery class"}, {What: journal.WaitCheckin}},
			"♥ Date tonight: Pottery class"},
		{"a long title is shortened", []journal.Waiting{{What: journal.WaitDate, Title: strings.Repeat("Walk in the park ", 5)}},
			"♥ Date tonight: Walk in the park Walk in the park Walk in t…"},
		{"a title's control characters are shown", []journal.Waiting{{What: journal.WaitDate, Title: "Dinner\x1b]0;x\x07"}},
			"♥ Date tonight: Dinner␛]0;x␇"},
		{"the union", []journal.Waiting{{What: journal.WaitUnion}, {What: journal.WaitCheckin}},
			"♥ State of the Union is due · reconnect union"},
		{"a long name", []journal.Waiting{{What: journal.WaitPartnerCheckedIn, Who: long}, {What: journal.WaitDate}, {What: journal.WaitCheckin}},
			"♥ A-very-long-namea-ver… checked in · reconnect checkin (+1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := nudgeLine(tc.w, Palette{})
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > nudgeWidth {
				t.Errorf("%d characters", n)
			}
		})
	}
}

// nudgeJournal is a journal folder with the given entries, as journalState
// knows one: a .git folder and the marker.
func nudgeJournal(t *testing.T, entries ...*journal.Entry) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, journalMarker), []byte(journalSettings), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		e.Path = journal.PathFor(e, nil)
		if err := (journal.Store{Root: dir}).Write(e); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testTonight(dir string, now time.Time, after string) tonight {
	return tonight{Now: func() time.Time { return now }, Author: sam,
		JournalDir: func() (string, error) { return dir, nil },
		After:      func() string { return after }, UnionEvery: func() int { return 7 }}
}

func TestRunNudge(t *testing.T) {
	ctx := context.Background()
	evening := time.Date(2026, 11, 21, 20, 0, 0, 0, time.Local)
	day := civil.Of(evening)
	union := journal.New(journal.KindUnion, "sam", day, evening)
	union.SetSection("Appreciations", "the soup")
	alex := journal.New(journal.KindCheckin, "alex", day, evening)
	alex.SetSection("Rose", "lunch")
	dir := nudgeJournal(t, union, alex)

	for _, tc := range []struct {
		name, after string
		now         time.Time
		json        bool
		want        string
	}{
		{"before the evening", "19:00", evening.Add(-2 * time.Hour), false, ""},
		{"the evening", "", evening, false, "♥ Alex checked in · reconnect checkin\n"},
		{"a later evening", "20:01", evening, false, ""},
		{"json", "19:00", evening, true, `"what": "partner-checked-in"`},
		{"json before the evening", "19:00", evening.Add(-2 * time.Hour), true, "[]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, out, errOut := bufferStreams()
			err := runNudge(ctx, &nudgeOptions{IO: io, Tonight: testTonight(dir, tc.now, tc.after), JSON: tc.json})
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); (tc.want == "" && got != "") || !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if errOut.Len() > 0 {
				t.Errorf("stderr %q", errOut)
			}
		})
	}

	// Nothing was written: no read cache, no lock, no news mark.
	if names, err := os.ReadDir(filepath.Join(dir, ".git")); err != nil || len(names) != 0 {
		t.Errorf("nudge wrote into .git: %v %v", names, err)
	}

	// No journal yet: nothing, and no error.
	io, out, _ := bufferStreams()
	if err := runNudge(ctx, &nudgeOptions{IO: io, Tonight: testTonight(filepath.Join(dir, "none"), evening, "19:00")}); err != nil || out.Len() > 0 {
		t.Errorf("no journal: %v, %q", err, out)
	}
	// A bad nudge.after is exit 2 naming the key.
	io, _, _ = bufferStreams()
	err := runNudge(ctx, &nudgeOptions{IO: io, Tonight: testTonight(dir, evening, "7pm")})
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), `nudge.after: "7pm"`) {
		t.Errorf("bad nudge.after: %v", err)
	}
	// The author is not read before the evening.
	tn := testTonight(dir, evening.Add(-2*time.Hour), "19:00")
	tn.Author = func() (string, error) { return "", errors.New("no author") }
	io, _, _ = bufferStreams()
	if err := runNudge(ctx, &nudgeOptions{IO: io, Tonight: tn}); err != nil {
		t.Errorf("before the evening: %v", err)
	}
}

func TestNudgeFlags(t *testing.T) {
	var got *nudgeOptions
	app := NewApp(&IOStreams{In: strings.NewReader("")}, "test")
	c := newNudgeCmd(app, func(_ context.Context, o *nudgeOptions) error { got = o; return nil })
	c.SetArgs([]string{"--json"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.JSON || got.Tonight.Now == nil || got.Tonight.After == nil {
		t.Errorf("options: %+v", got)
	}
}

func TestNudgeAfterKey(t *testing.T) {
	k := nudgeAfterKey()
	c := &Config{}
	if err := k.set(c, "7:30"); err != nil || c.Nudge.After != "07:30" || k.get(c) != "07:30" {
		t.Errorf("set 7:30: %v, %q", err, c.Nudge.After)
	}
	if err := k.set(c, "19h"); exitCode(err) != exitUsage || !strings.Contains(err.Error(), "nudge.after") {
		t.Errorf("set 19h: %v", err)
	}
}
