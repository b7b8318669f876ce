package cmd

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

func TestNewsFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var got *newsOptions
	c := newNewsCmd(a, func(_ context.Context, o *newsOptions) error { got = o; return nil })
	c.SetArgs([]string{"--json", "--all"})
	c.SetOut(a.IO.Out)
	if err := c.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got == nil || !got.JSON || !got.All {
		t.Fatalf("flags not read: %+v", got)
	}
	if got.IO != a.IO || got.Now == nil || got.Author == nil || got.OpenJournal == nil || got.Freshen == nil {
		t.Errorf("dependencies not filled: %+v", got)
	}
	c = newNewsCmd(a, func(context.Context, *newsOptions) error { return nil })
	c.SetArgs([]string{"extra"})
	c.SetOut(a.IO.Out)
	c.SetErr(a.IO.ErrOut)
	c.SilenceUsage, c.SilenceErrors = true, true
	if err := c.ExecuteContext(context.Background()); exitCode(err) != exitUsage {
		t.Errorf("news extra: %v, want a usage error", err)
	}
}

// newsApp is a test App whose journal holds Sam's own check-in and a
// thank-you from Alex, its text with what a terminal would obey (as a file
// from the partner's side may hold).
func newsApp(t *testing.T) (*App, *Journal, *bytes.Buffer) {
	t.Helper()
	a, out, errOut := testApp(t, false)
	for _, args := range [][]string{
		{"checkin", "--rose", "A long run", "--thorn", "Sore knees"},
	} {
		if code := a.Run(append([]string{"--no-sync"}, args...)); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	j, err := a.openJournal(false)
	if err != nil {
		t.Fatal(err)
	}
	thanks := "---\nkind: thanks\nauthor: alex\ndate: 2026-11-21\ncreated: 2026-11-21T20:00:00+01:00\n---\n\nFor the soup \x1b[31mred\x1b[0m\n"
	abs, err := j.Store.Abs("2026/11/2026-11-21-thanks-alex-200000.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(abs, []byte(thanks), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	return a, j, out
}

// newsOpts is 'news' as who, on buffers, against a's journal and clock.
func newsOpts(a *App, who string) (*newsOptions, *bytes.Buffer) {
	io, out, _ := bufferStreams()
	return &newsOptions{IO: io, Now: a.clock(), Author: func() (string, error) { return who, nil }, OpenJournal: a.openJournal}, out
}

func TestRunNewsShowsThenMarksSeen(t *testing.T) {
	a, j, _ := newsApp(t)
	ctx := context.Background()

	// --json first: exact, and it marks nothing.
	opts, out := newsOpts(a, "sam")
	opts.JSON = true
	if err := runNews(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"first_look": true`) || !strings.Contains(out.String(), `For the soup \u001b[31mred`) {
		t.Errorf("news --json:\n%s", out)
	}
	if _, err := os.Stat(newsStatePath(j, "sam")); err == nil {
		t.Error("news --json marked the news seen")
	}

	opts, out = newsOpts(a, "sam")
	if err := runNews(ctx, opts); err != nil {
		t.Fatal(err)
	}
	want := "New from Alex in the last 3 days\n  ♥ Alex thanked you today:\n    For the soup"
	if !strings.HasPrefix(out.String(), want) {
		t.Errorf("news:\n%s\nwant it to start with\n%s", out, want)
	}
	if strings.Contains(out.String(), "A long run") {
		t.Errorf("your own check-in is news:\n%s", out)
	}

	opts, out = newsOpts(a, "sam")
	if err := runNews(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "Nothing new from Alex since Sat 21 Nov.\n" {
		t.Errorf("news once seen: %q", got)
	}

	// --all shows it again, and marks nothing.
	opts, out = newsOpts(a, "sam")
	opts.All = true
	if err := runNews(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "New from Alex in the last 60 days\n") {
		t.Errorf("news --all:\n%s", out)
	}

	// Another name on this machine has a mark of its own: Alex has not
	// looked, and sees Sam's check-in.
	opts, out = newsOpts(a, "alex")
	if err := runNews(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Sam checked in today") || !strings.Contains(out.String(), "Sore knees") {
		t.Errorf("news as alex:\n%s", out)
	}
}

// What a file holds reaches the terminal through the filter; --json keeps
// it exact.
func TestNewsIsTerminalSafe(t *testing.T) {
	a, _, out := newsApp(t)
	if code := a.Run([]string{"news"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if s := out.String(); strings.Contains(s, "\x1b") || !strings.Contains(s, "For the soup") {
		t.Errorf("news let an escape through:\n%q", s)
	}
	out.Reset()
	if code := a.Run([]string{"news", "--json", "--all"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if s := out.String(); !strings.Contains(s, `For the soup \u001b[31mred`) {
		t.Errorf("news --json is not exact:\n%s", s)
	}
}

func TestPrintNewsOnTheEveningScreen(t *testing.T) {
	a, j, _ := newsApp(t)
	now := a.Now()

	// Another day's screen shows no news and marks nothing.
	io, out, _ := bufferStreams()
	printNews(io, j, "sam", now, civil.Of(now).AddDays(-1))
	if out.Len() != 0 {
		t.Errorf("news on another day's screen:\n%s", out)
	}
	if _, err := os.Stat(newsStatePath(j, "sam")); err == nil {
		t.Error("another day's screen marked the news seen")
	}

	io, out, _ = bufferStreams()
	printNews(io, j, "sam", now, civil.Of(now))
	if !strings.HasPrefix(out.String(), "New from Alex in the last 3 days\n") || !strings.HasSuffix(out.String(), "\n\n") {
		t.Errorf("evening screen news:\n%q", out)
	}
	io, out, _ = bufferStreams()
	printNews(io, j, "sam", now, civil.Of(now))
	if out.Len() != 0 {
		t.Errorf("seen news shown again:\n%s", out)
	}
}

func TestArrivalLines(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	at := time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC)
	entry := func(k journal.Kind, who string) *journal.Entry {
		e := journal.New(k, who, day, at)
		e.Path = journal.PathFor(e, nil)
		return e
	}
	withThorn := entry(journal.KindCheckin, "sam")
	withThorn.SetSection("Thorn", "Sore knees")
	noThorn := entry(journal.KindCheckin, "sam")
	noThorn.SetSection("Rose", "A run")
	reply := entry(journal.KindReply, "alex")
	old := journal.NewReply("alex", day, at, "2026/01/2026-01-02-checkin-sam.md", "late")

	tests := []struct {
		name string
		news journal.News
		want []string
	}{
		{name: "nothing", want: nil},
		{
			name: "the issue's line",
			news: journal.News{Items: []journal.NewsItem{
				{Entry: entry(journal.KindThanks, "alex")}, {Entry: entry(journal.KindCheckin, "alex")},
				{Entry: reply, To: withThorn}, {Entry: entry(journal.KindThanks, "alex")},
			}},
			want: []string{"Alex wrote: a check-in, a reply to your Thorn, 2 thank-yous"},
		},
		{
			name: "replies to a check-in without a Thorn, or not read",
			news: journal.News{Items: []journal.NewsItem{{Entry: reply, To: noThorn}, {Entry: old}}},
			want: []string{"Alex wrote: 2 replies to your check-ins"},
		},
		{
			name: "the rituals, and a sealed answer by name only",
			news: journal.News{
				Items: []journal.NewsItem{
					{Entry: entry(journal.KindWin, "alex")}, {Entry: entry(journal.KindUnion, "alex")},
					{Entry: entry(journal.KindChallenge, "alex")}, {Entry: entry(journal.KindDate, "alex")},
				},
				Sealed: []journal.SealedNews{{Author: "alex", Date: day}},
			},
			want: []string{"Alex wrote: a win, an answer, sealed until you answer, State of the Union notes, a challenge day done, a date plan"},
		},
		{
			name: "one line each, by name",
			news: journal.News{Items: []journal.NewsItem{{Entry: entry(journal.KindWin, "kim")}, {Entry: entry(journal.KindWin, "alex")}}},
			want: []string{"Alex wrote: a win", "Kim wrote: a win"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := arrivalLines(tt.news, "sam")
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
