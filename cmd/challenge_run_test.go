package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// The challenge commands' runX take what they use: these tests call them
// with buffers, a fixed clock and journal openers of their own, no command
// line.

var challengeNow = time.Date(2026, 11, 21, 21, 14, 3, 0, time.UTC)

func bufferStreams() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Width: 80}, &out, &errOut
}

func fixedClock() time.Time { return challengeNow }

func noJournal(bool) (*Journal, error)               { return nil, fmt.Errorf("%w in /nowhere", errNoJournal) }
func noJournalYet(context.Context) (*Journal, error) { return nil, nil }
func sam() (string, error)                           { return "sam", nil }

func TestRunChallengeWithoutAJournal(t *testing.T) {
	ctx := context.Background()

	io, out, _ := bufferStreams()
	if err := runChallengeList(ctx, &challengeListOptions{IO: io, Now: fixedClock, OpenJournal: noJournal}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(out.String(), "Emotional"); got != 30 {
		t.Errorf("list: %d days, want 30:\n%s", got, out)
	}
	if strings.Contains(out.String(), "(today)") {
		t.Errorf("list marks a day with no run:\n%s", out)
	}

	io, out, _ = bufferStreams()
	if err := runChallengeShow(ctx, &challengeShowOptions{IO: io, Now: fixedClock, ReadJournal: noJournalYet, Day: 16}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "Day 16 of 30") || strings.Contains(out.String(), "In your run") {
		t.Errorf("show 16:\n%s", out)
	}

	io, out, _ = bufferStreams()
	if err := runChallengeToday(ctx, &challengeTodayOptions{IO: io, Now: fixedClock, Author: sam, ReadJournal: noJournalYet}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "No 30-day challenge is running. Start one: reconnect challenge start") {
		t.Errorf("today:\n%s", out)
	}

	io, out, _ = bufferStreams()
	if err := runChallengeStatus(ctx, &challengeStatusOptions{IO: io, Now: fixedClock, Author: sam, ReadJournal: noJournalYet, JSON: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"status": "none"`) || !strings.Contains(out.String(), `"partners": []`) {
		t.Errorf("status --json:\n%s", out)
	}

	io, _, _ = bufferStreams()
	err := runChallengeDone(ctx, &challengeDoneOptions{IO: io, Now: fixedClock, Author: sam, OpenJournal: noJournal, Emotional: true})
	if exitCode(err) != exitUsage || hintOf(err) != "start one: reconnect challenge start" {
		t.Errorf("done with no journal: %v (hint %q)", err, hintOf(err))
	}
}

// What is refused is refused before anything is written.
func TestRunChallengeRefusesBeforeWriting(t *testing.T) {
	ctx := context.Background()
	noWrite := func(context.Context, writeFunc) (*Journal, error) {
		t.Error("wrote")
		return nil, errors.New("no write")
	}
	io, out, _ := bufferStreams()
	for _, on := range []string{"2026-10-01", "2026-12-31"} {
		err := runChallengeStart(ctx, &challengeStartOptions{IO: io, Now: fixedClock, Write: noWrite, On: date(on)})
		if exitCode(err) != exitUsage {
			t.Errorf("start --on %s: %v, want a usage error", on, err)
		}
	}
	err := runChallengeDone(ctx, &challengeDoneOptions{IO: io, Now: fixedClock, Author: sam, OpenJournal: noJournal,
		Write: noWrite, Date: civil.Of(challengeNow).AddDays(1), Physical: true})
	if exitCode(err) != exitUsage {
		t.Errorf("done tomorrow: %v, want a usage error", err)
	}
	if out.Len() > 0 {
		t.Errorf("printed %q", out)
	}
}

// Start, done, status and show on a real journal, through the App's own
// dependencies.
func TestRunChallengeOnAJournal(t *testing.T) {
	ctx := context.Background()
	a, _, _ := preparedApp(t, false, nil)

	io, out, _ := bufferStreams()
	start := &challengeStartOptions{IO: io, Now: a.clock(), Write: a.write, On: date("2026-11-20")}
	if err := runChallengeStart(ctx, start); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "today is day 2 of 30") {
		t.Errorf("start:\n%s", out)
	}

	io, out, _ = bufferStreams()
	done := &challengeDoneOptions{IO: io, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Write: a.write,
		Emotional: true, Note: "We laughed"}
	if err := runChallengeDone(ctx, done); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Day 2 of 30, today: emotional done.") {
		t.Errorf("done:\n%s", out)
	}

	io, out, _ = bufferStreams()
	status := &challengeStatusOptions{IO: io, Now: a.clock(), Author: a.author, ReadJournal: a.readJournal}
	if err := runChallengeStatus(ctx, status); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "30-day challenge: day 2 of 30 · 29 days left") ||
		!strings.Contains(out.String(), "-e··· ") || !strings.Contains(out.String(), "streak 1 · 1 of 30 days") {
		t.Errorf("status:\n%s", out)
	}

	io, out, _ = bufferStreams()
	show := &challengeShowOptions{IO: io, Now: a.clock(), ReadJournal: a.readJournal, Day: 2}
	if err := runChallengeShow(ctx, show); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "In your run it is today.") || !strings.Contains(out.String(), "Sam did the emotional one") ||
		!strings.Contains(out.String(), "We laughed") {
		t.Errorf("show 2:\n%s", out)
	}
}

// The constructors fill Options from the flags and the App; runF sees
// them instead of the command running.
func TestChallengeFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	day := date("2026-11-20")

	var start *challengeStartOptions
	if err := execFlags(t, newChallengeStartCmd(a, func(_ context.Context, o *challengeStartOptions) error { start = o; return nil }),
		"--on", "2026-11-23", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if start.On != date("2026-11-23") || start.Date != day || start.IO != a.IO || start.Write == nil || start.Now() != a.Now() {
		t.Errorf("start: %+v", start)
	}

	var done *challengeDoneOptions
	if err := execFlags(t, newChallengeDoneCmd(a, func(_ context.Context, o *challengeDoneOptions) error { done = o; return nil }),
		"--emotional", "--physical", "--note", "We danced", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if !done.Emotional || !done.Physical || done.Note != "We danced" || done.Date != day ||
		done.Author == nil || done.OpenJournal == nil || done.Write == nil || done.Prompter != a.Prompter {
		t.Errorf("done: %+v", done)
	}

	var show *challengeShowOptions
	runShow := func(_ context.Context, o *challengeShowOptions) error { show = o; return nil }
	if err := execFlags(t, newChallengeShowCmd(a, runShow), " 16", "--json"); err != nil {
		t.Fatal(err)
	}
	if show.Day != 16 || !show.JSON || !show.Date.IsZero() || show.ReadJournal == nil {
		t.Errorf("show: %+v", show)
	}
	for _, bad := range []string{"0", "31", "x"} {
		show = nil
		err := execFlags(t, newChallengeShowCmd(a, runShow), bad)
		if exitCode(err) != exitUsage || show != nil {
			t.Errorf("show %s: %v, ran %v", bad, err, show != nil)
		}
	}

	var status *challengeStatusOptions
	if err := execFlags(t, newChallengeStatusCmd(a, func(_ context.Context, o *challengeStatusOptions) error { status = o; return nil }),
		"--json", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if !status.JSON || status.Date != day || status.Author == nil || status.ReadJournal == nil {
		t.Errorf("status: %+v", status)
	}

	var today *challengeTodayOptions
	if err := execFlags(t, newChallengeTodayCmd(a, func(_ context.Context, o *challengeTodayOptions) error { today = o; return nil }),
		"--json"); err != nil {
		t.Fatal(err)
	}
	if !today.JSON || !today.Date.IsZero() || today.Author == nil || today.ReadJournal == nil {
		t.Errorf("today: %+v", today)
	}

	var list *challengeListOptions
	if err := execFlags(t, newChallengeListCmd(a, func(_ context.Context, o *challengeListOptions) error { list = o; return nil }),
		"--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if list.JSON || list.Date != day || list.OpenJournal == nil {
		t.Errorf("list: %+v", list)
	}
}
