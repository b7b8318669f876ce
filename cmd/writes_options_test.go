package cmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// The ritual commands' runX take what they use: these tests call them with
// buffers, a fixed clock (challengeNow) and a journal in a temporary folder
// opened and written without an App.

// testJournal is a journal in a temporary folder, with the openers and the
// writer the commands' Options hold.
type testJournal struct {
	t      *testing.T
	dir    string
	who    string
	writes int
}

func newTestJournal(t *testing.T, who string) *testJournal {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "journal")
	sig := gitsync.Signature{Name: who, Email: who + "@reconnect.local", When: challengeNow}
	if _, err := gitsync.Init(dir, sig, "journal: start",
		gitsync.Change{Path: journalMarker, Data: []byte(journalSettings)}); err != nil {
		t.Fatal(err)
	}
	return &testJournal{t: t, dir: dir, who: who}
}

func (tj *testJournal) author() (string, error) { return tj.who, nil }

func (tj *testJournal) open(bool) (*Journal, error) {
	repo, err := gitsync.Open(tj.dir)
	if err != nil {
		return nil, err
	}
	return &Journal{Dir: tj.dir, Repo: repo, Store: journal.Store{Root: tj.dir}}, nil
}

func (tj *testJournal) read(context.Context) (*Journal, error) { return tj.open(false) }

func (tj *testJournal) write(ctx context.Context, fn writeFunc) (*Journal, error) {
	j, err := tj.open(true)
	if err != nil {
		return nil, err
	}
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	msg, changes, err := fn(j, tj.who)
	if err != nil {
		return nil, err
	}
	sig := gitsync.Signature{Name: tj.who, Email: tj.who + "@reconnect.local", When: challengeNow}
	if _, err := j.Repo.Commit(msg, sig, changes...); err != nil {
		return nil, err
	}
	tj.writes++
	return j, nil
}

// as is the same journal written by another partner.
func (tj *testJournal) as(who string) *testJournal {
	return &testJournal{t: tj.t, dir: tj.dir, who: who}
}

// file is what the journal holds at rel.
func (tj *testJournal) file(rel string) string {
	tj.t.Helper()
	data, err := os.ReadFile(filepath.Join(tj.dir, filepath.FromSlash(rel)))
	if err != nil {
		tj.t.Fatal(err)
	}
	return string(data)
}

// noWrites is a writer that fails the test when called.
func noWrites(t *testing.T) func(context.Context, writeFunc) (*Journal, error) {
	return func(context.Context, writeFunc) (*Journal, error) {
		t.Error("wrote")
		return nil, errors.New("no write")
	}
}

// execFlags runs c with args, for a runF that records the Options.
func execFlags(t *testing.T, c *cobra.Command, args ...string) error {
	t.Helper()
	var out bytes.Buffer
	c.SetArgs(args)
	c.SetOut(&out)
	c.SetErr(&out)
	return c.ExecuteContext(context.Background())
}

func TestRunThanksAndWin(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")

	io, out, _ := bufferStreams()
	opts := &thanksOptions{IO: io, Now: fixedClock, Write: tj.write, Text: "You made coffee"}
	if err := runThanks(ctx, opts); err != nil {
		t.Fatal(err)
	}
	want := "✓ Saved a gratitude note for today (2026/11/2026-11-21-thanks-sam-211403.md)\n"
	if out.String() != want {
		t.Errorf("thanks: %q, want %q", out, want)
	}
	if f := tj.file("2026/11/2026-11-21-thanks-sam-211403.md"); !strings.Contains(f, "You made coffee") {
		t.Errorf("thanks wrote:\n%s", f)
	}

	// Piped in, for a day that has passed.
	io, out, _ = bufferStreams()
	io.In = strings.NewReader("The walk by the river\n")
	win := &winOptions{IO: io, Now: fixedClock, Write: tj.write, Date: date("2026-11-20")}
	if err := runWin(ctx, win); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Saved a small win for yesterday (2026/11/2026-11-20-win-sam-211403.md). Celebrate it!") {
		t.Errorf("win: %q", out)
	}
	if f := tj.file("2026/11/2026-11-20-win-sam-211403.md"); !strings.Contains(f, "The walk by the river") {
		t.Errorf("win wrote:\n%s", f)
	}

	// Refused before anything is written: nothing piped, a day to come.
	io, _, _ = bufferStreams()
	if err := runThanks(ctx, &thanksOptions{IO: io, Now: fixedClock, Write: noWrites(t)}); exitCode(err) != exitUsage {
		t.Errorf("thanks with nothing: %v, want a usage error", err)
	}
	io, _, _ = bufferStreams()
	err := runWin(ctx, &winOptions{IO: io, Now: fixedClock, Write: noWrites(t), Text: "x", Date: date("2026-11-22")})
	if exitCode(err) != exitUsage {
		t.Errorf("win tomorrow: %v, want a usage error", err)
	}
}

func TestRunIdea(t *testing.T) {
	io, out, _ := bufferStreams()
	if err := runIdea(context.Background(), &ideaOptions{IO: io, Now: fixedClock, Decks: []string{"touch"}, Count: 1, JSON: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "[\n  {\n    \"deck\": \"touch\",") {
		t.Errorf("idea touch --json:\n%s", out)
	}
	io, _, _ = bufferStreams()
	err := runIdea(context.Background(), &ideaOptions{IO: io, Now: fixedClock, Decks: []string{"touch"}, Count: 0})
	if exitCode(err) != exitUsage {
		t.Errorf("--count 0: %v", err)
	}
}

func TestNoteFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var thanks *thanksOptions
	if err := execFlags(t, newThanksCmd(a, func(_ context.Context, o *thanksOptions) error { thanks = o; return nil }),
		"You", "made", "coffee", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if thanks.Text != "You made coffee" || thanks.Date != date("2026-11-20") || thanks.IO != a.IO ||
		thanks.Now() != a.Now() || thanks.Write == nil || thanks.Prompter != a.Prompter {
		t.Errorf("thanks: %+v", thanks)
	}

	var win *winOptions
	if err := execFlags(t, newWinCmd(a, func(_ context.Context, o *winOptions) error { win = o; return nil }),
		"A laugh"); err != nil {
		t.Fatal(err)
	}
	if win.Text != "A laugh" || !win.Date.IsZero() || win.IO != a.IO || win.Write == nil || win.Prompter != a.Prompter {
		t.Errorf("win: %+v", win)
	}

	var idea *ideaOptions
	runIdeaF := func(_ context.Context, o *ideaOptions) error { idea = o; return nil }
	if err := execFlags(t, newIdeaCmd(a, runIdeaF), " Touch ", "-n", "2", "--json"); err != nil {
		t.Fatal(err)
	}
	if len(idea.Decks) != 1 || idea.Decks[0] != "touch" || idea.Count != 2 || !idea.JSON || idea.Now() != a.Now() {
		t.Errorf("idea: %+v", idea)
	}
	if err := execFlags(t, newIdeaCmd(a, runIdeaF)); err != nil {
		t.Fatal(err)
	}
	if len(idea.Decks) != 4 || idea.Count != 1 || idea.JSON {
		t.Errorf("idea with no deck: %+v", idea)
	}
}

func TestRunBucket(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")

	io, out, _ := bufferStreams()
	add := &bucketAddOptions{IO: io, Now: fixedClock, Write: tj.write, Title: "Try the new ramen place", Note: "Both hungry"}
	if err := runBucketAdd(ctx, add); err != nil {
		t.Fatal(err)
	}
	if want := "✓ Added to the bucket list: Try the new ramen place (bucket/try-the-new-ramen-place.md)\n"; out.String() != want {
		t.Errorf("add: %q, want %q", out, want)
	}
	io, _, _ = bufferStreams()
	add = &bucketAddOptions{IO: io, Now: fixedClock, Write: tj.as("alex").write, Title: "Pottery class"}
	if err := runBucketAdd(ctx, add); err != nil {
		t.Fatal(err)
	}

	io, out, _ = bufferStreams()
	done := &sharedDoneOptions{IO: io, Now: fixedClock, Write: tj.write, List: bucketList(), Cheer: bucketDoneText.cheer,
		Ref: "ramen", Note: "The spicy miso", Date: date("2026-11-20")}
	if err := runSharedDone(ctx, done); err != nil {
		t.Fatal(err)
	}
	if want := "✓ Done: Try the new ramen place. Celebrate the small wins!\n"; out.String() != want {
		t.Errorf("done: %q, want %q", out, want)
	}
	f := tj.file("bucket/try-the-new-ramen-place.md")
	for _, want := range []string{"done: 2026-11-20", "done-by: sam", "Both hungry", "## Done\nThe spicy miso"} {
		if !strings.Contains(f, want) {
			t.Errorf("done wrote no %q:\n%s", want, f)
		}
	}

	// Done twice, or a REF that names nothing: refused, nothing written.
	writes := tj.writes
	for _, ref := range []string{"2", "skydiving"} {
		io, _, _ = bufferStreams()
		done = &sharedDoneOptions{IO: io, Now: fixedClock, Write: tj.write, List: bucketList(), Ref: ref}
		if err := runSharedDone(ctx, done); exitCode(err) != exitUsage {
			t.Errorf("done %s: %v, want a usage error", ref, err)
		}
	}
	if tj.writes != writes {
		t.Errorf("a refused done wrote")
	}

	io, out, _ = bufferStreams()
	if err := runBucketList(ctx, &bucketListOptions{IO: io, OpenJournal: tj.open}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "1 [ ] Pottery class  added by Alex") || strings.Contains(out.String(), "ramen") {
		t.Errorf("list:\n%s", out)
	}
	io, out, _ = bufferStreams()
	if err := runBucketList(ctx, &bucketListOptions{IO: io, OpenJournal: tj.open, All: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 [x] Try the new ramen place  done 2026-11-20 by Sam") {
		t.Errorf("list --all:\n%s", out)
	}

	io, out, _ = bufferStreams()
	if err := runBucketRemove(ctx, &bucketRemoveOptions{IO: io, Write: tj.write, Ref: "pottery"}); err != nil {
		t.Fatal(err)
	}
	if want := "✓ Removed from the bucket list: Pottery class\n"; out.String() != want {
		t.Errorf("remove: %q, want %q", out, want)
	}
	if _, err := os.Stat(filepath.Join(tj.dir, "bucket", "pottery-class.md")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("remove left the file: %v", err)
	}
}

func TestBucketFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var add *bucketAddOptions
	if err := execFlags(t, newBucketAddCmd(a, func(_ context.Context, o *bucketAddOptions) error { add = o; return nil }),
		"Pottery class", "--note", "Beginners", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if add.Title != "Pottery class" || add.Note != "Beginners" || add.Date != date("2026-11-20") ||
		add.IO != a.IO || add.Now() != a.Now() || add.Write == nil {
		t.Errorf("add: %+v", add)
	}

	var list *bucketListOptions
	if err := execFlags(t, newBucketListCmd(a, func(_ context.Context, o *bucketListOptions) error { list = o; return nil }),
		"--all", "--json"); err != nil {
		t.Fatal(err)
	}
	if !list.All || !list.JSON || list.IO != a.IO || list.OpenJournal == nil {
		t.Errorf("list: %+v", list)
	}

	var done *sharedDoneOptions
	if err := execFlags(t, newBucketDoneCmd(a, func(_ context.Context, o *sharedDoneOptions) error { done = o; return nil }),
		"ramen", "--note", "Spicy", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if done.Ref != "ramen" || done.Note != "Spicy" || done.Date != date("2026-11-20") || done.List != bucketList() ||
		done.Cheer != "Celebrate the small wins!" || done.Now() != a.Now() || done.Write == nil {
		t.Errorf("done: %+v", done)
	}

	var remove *bucketRemoveOptions
	if err := execFlags(t, newBucketRemoveCmd(a, func(_ context.Context, o *bucketRemoveOptions) error { remove = o; return nil }),
		"3"); err != nil {
		t.Fatal(err)
	}
	if remove.Ref != "3" || remove.IO != a.IO || remove.Write == nil {
		t.Errorf("remove: %+v", remove)
	}
}

// checkinBy writes who's check-in of day with a Thorn.
func checkinBy(t *testing.T, tj *testJournal, who, day, thorn string) {
	t.Helper()
	_, err := tj.as(who).write(context.Background(), func(j *Journal, who string) (string, []gitsync.Change, error) {
		e := newEntryAt(journal.KindCheckin, who, date(day), challengeNow)
		e.SetSection("Thorn", thorn)
		e.Path = journal.PathFor(e, nil)
		return "checkin", []gitsync.Change{changeFor(e)}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunReply(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	checkinBy(t, tj, "alex", "2026-11-20", "The commute")
	freshened := 0
	freshen := func(context.Context, *Journal) { freshened++ }

	io, out, _ := bufferStreams()
	opts := &replyOptions{IO: io, Now: fixedClock, Author: tj.author, OpenJournal: tj.open, Freshen: freshen, Write: tj.write,
		Day: date("2026-11-20"), Text: "It sounds like you felt worn out."}
	if err := runReply(ctx, opts); err != nil {
		t.Fatal(err)
	}
	want := "✓ Saved your reply to Alex's check-in yesterday (2026/11/2026-11-21-reply-sam-211403.md)\n"
	if out.String() != want || freshened != 1 {
		t.Errorf("reply: %q (freshened %d), want %q", out, freshened, want)
	}
	f := tj.file("2026/11/2026-11-21-reply-sam-211403.md")
	if !strings.Contains(f, "2026/11/2026-11-20-checkin-alex.md") || !strings.Contains(f, "It sounds like you felt worn out.") {
		t.Errorf("reply wrote:\n%s", f)
	}

	// Refused before anything is written: no check-in that day, --to
	// yourself, two partners without --to.
	checkinBy(t, tj, "kim", "2026-11-20", "Rain")
	for _, o := range []*replyOptions{
		{Day: date("2026-11-19"), Text: "x"},
		{Day: date("2026-11-20"), To: "sam", Text: "x"},
		{Day: date("2026-11-20"), Text: "x"},
	} {
		io, _, _ = bufferStreams()
		o.IO, o.Now, o.Author, o.OpenJournal, o.Freshen, o.Write = io, fixedClock, tj.author, tj.open, freshen, noWrites(t)
		if err := runReply(ctx, o); exitCode(err) != exitUsage {
			t.Errorf("reply %s --to %q: %v, want a usage error", o.Day, o.To, err)
		}
	}
}

func TestReplyAndTogetherFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var reply *replyOptions
	runReplyF := func(_ context.Context, o *replyOptions) error { reply = o; return nil }
	if err := execFlags(t, newReplyCmd(a, runReplyF), "yesterday", "It", "sounds", "hard"); err != nil {
		t.Fatal(err)
	}
	if reply.Day != date("2026-11-20") || reply.Text != "It sounds hard" || reply.To != "" || reply.IO != a.IO ||
		reply.Author == nil || reply.OpenJournal == nil || reply.Freshen == nil || reply.Write == nil || reply.Prompter != a.Prompter {
		t.Errorf("reply: %+v", reply)
	}
	if err := execFlags(t, newReplyCmd(a, runReplyF), "--date", "2026-11-19", "--to", "alex", "Hm"); err != nil {
		t.Fatal(err)
	}
	if reply.Day != date("2026-11-19") || reply.Text != "Hm" || reply.To != "alex" {
		t.Errorf("reply --date --to: %+v", reply)
	}
	reply = nil
	if err := execFlags(t, newReplyCmd(a, runReplyF), "someday"); exitCode(err) != exitUsage || reply != nil {
		t.Errorf("reply someday: %v, ran %v", err, reply != nil)
	}

	var together *togetherOptions
	runTogetherF := func(_ context.Context, o *togetherOptions) error { together = o; return nil }
	if err := execFlags(t, newTogetherCmd(a, runTogetherF), "20"); err != nil {
		t.Fatal(err)
	}
	if together.Duration != 20*time.Minute || together.IO != a.IO || together.Now() != a.Now() || together.Author == nil ||
		together.JournalDir == nil || together.Write == nil || together.Clock != nil || together.After != nil {
		t.Errorf("together: %+v", together)
	}
	if err := execFlags(t, newTogetherCmd(a, runTogetherF)); err != nil || together.Duration != togetherDefault {
		t.Errorf("together: %v, %+v", err, together)
	}
}

func TestRunCheckin(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	checkinBy(t, tj, "alex", "2026-11-21", "The commute")
	noDraft := func(string, string, string, civil.Date) *formDraft { t.Error("opened a draft"); return nil }
	opts := func(io *IOStreams) *checkinOptions {
		return &checkinOptions{IO: io, Now: fixedClock, Author: tj.author, OpenJournal: tj.open, Write: tj.write, OpenDraft: noDraft}
	}

	// Piped Markdown, off a terminal.
	io, out, _ := bufferStreams()
	io.In = strings.NewReader("## Thorn\nA cold\n\n## Rose\nA long lunch\n")
	if err := runCheckin(ctx, opts(io)); err != nil {
		t.Fatal(err)
	}
	want := "✓ Saved your check-in for today (2026/11/2026-11-21-checkin-sam.md)\n\nAlex's check-in today:\n"
	if !strings.HasPrefix(out.String(), want) || !strings.Contains(out.String(), "The commute") {
		t.Errorf("checkin:\n%s\nwant it to start %q", out, want)
	}
	if f := tj.file("2026/11/2026-11-21-checkin-sam.md"); !strings.Contains(f, "## Rose\nA long lunch\n\n## Thorn\nA cold") {
		t.Errorf("checkin wrote:\n%s", f)
	}

	// Flags add to the day's check-in: the others stay.
	io, out, _ = bufferStreams()
	o := opts(io)
	o.Given = map[string]string{"Bud": "The hike", "Thorn": ""}
	if err := runCheckin(ctx, o); err != nil {
		t.Fatal(err)
	}
	if f := tj.file("2026/11/2026-11-21-checkin-sam.md"); !strings.Contains(f, "## Rose\nA long lunch\n\n## Bud\nThe hike") ||
		strings.Contains(f, "A cold") {
		t.Errorf("checkin --bud --thorn '' wrote:\n%s", f)
	}

	// Refused before anything is written: nothing piped, a day to come.
	writes := tj.writes
	io, _, _ = bufferStreams()
	if err := runCheckin(ctx, opts(io)); exitCode(err) != exitUsage {
		t.Errorf("checkin with nothing piped: %v", err)
	}
	io, _, _ = bufferStreams()
	o = opts(io)
	o.Date, o.Given = date("2026-11-22"), map[string]string{"Rose": "x"}
	if err := runCheckin(ctx, o); exitCode(err) != exitUsage {
		t.Errorf("checkin tomorrow: %v", err)
	}
	if tj.writes != writes {
		t.Errorf("a refused check-in wrote")
	}
}

func TestCheckinFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var checkin *checkinOptions
	runF := func(_ context.Context, o *checkinOptions) error { checkin = o; return nil }
	if err := execFlags(t, newCheckinCmd(a, runF), "--rose", " A long lunch ", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if len(checkin.Given) != 1 || checkin.Given["Rose"] != "A long lunch" || checkin.Date != date("2026-11-20") || checkin.Edit ||
		checkin.IO != a.IO || checkin.Now() != a.Now() || checkin.Author == nil || checkin.OpenJournal == nil ||
		checkin.Write == nil || checkin.Prompter != a.Prompter || checkin.Editor != a.Editor || checkin.Getenv == nil ||
		checkin.OpenDraft == nil {
		t.Errorf("checkin: %+v", checkin)
	}
	if err := execFlags(t, newCheckinCmd(a, runF), "-e"); err != nil || !checkin.Edit || len(checkin.Given) != 0 {
		t.Errorf("checkin -e: %v %+v", err, checkin)
	}
	checkin = nil
	if err := execFlags(t, newCheckinCmd(a, runF), "-e", "--bud", "x"); exitCode(err) != exitUsage || checkin != nil {
		t.Errorf("checkin -e --bud: %v, ran %v", err, checkin != nil)
	}
	if err := execFlags(t, newCheckinCmd(a, runF), "--rose", "a\x07b"); exitCode(err) != exitUsage || checkin != nil {
		t.Errorf("checkin --rose with a bell: %v, ran %v", err, checkin != nil)
	}
}

func TestRunAsk(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	noDraft := func(string, string, string, civil.Date) *formDraft { t.Error("opened a draft"); return nil }
	ask := func(tj *testJournal, io *IOStreams) *askOptions {
		return &askOptions{IO: io, Now: fixedClock, Author: tj.author, ReadJournal: tj.read, Write: tj.write, OpenDraft: noDraft}
	}
	question := oneLine(prompts.QuestionFor(civil.Of(challengeNow), prompts.Together{}, nil).Text)

	io, out, _ := bufferStreams()
	o := ask(tj.as("alex"), io)
	o.Given, o.Answer = true, "The walk after dinner"
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "✓ Saved your answer for today (2026/11/2026-11-21-answer-alex.md)\n\nQuestion of the day (today)\n  "+question) {
		t.Errorf("alex's answer:\n%s", out)
	}

	// Sealed until Sam answers.
	io, out, _ = bufferStreams()
	if err := runAsk(ctx, ask(tj, io)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Alex has answered — answer to see it") || strings.Contains(out.String(), "The walk") {
		t.Errorf("sam, not answered:\n%s", out)
	}

	io, out, _ = bufferStreams()
	io.In = strings.NewReader("Tired, but happy\n")
	o = ask(tj, io)
	o.Given, o.Answer = true, "-"
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"✓ Saved your answer for today (2026/11/2026-11-21-answer-sam.md)",
		"✓ You:\n      Tired, but happy", "✓ Alex:\n      The walk after dinner"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("sam's answer: no %q in\n%s", want, out)
		}
	}
	if f := tj.file("2026/11/2026-11-21-answer-sam.md"); !strings.Contains(f, "Tired, but happy") || !strings.Contains(f, question) {
		t.Errorf("sam's answer wrote:\n%s", f)
	}

	io, out, _ = bufferStreams()
	o = ask(tj, io)
	o.JSON = true
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"alex": "The walk after dinner"`) || !strings.Contains(out.String(), `"you": "sam"`) {
		t.Errorf("ask --json:\n%s", out)
	}

	// Refused before anything is written.
	writes := tj.writes
	io, _, _ = bufferStreams()
	o = ask(tj, io)
	o.Given, o.Answer = true, "a\x07b"
	if err := runAsk(ctx, o); exitCode(err) != exitUsage {
		t.Errorf("a bell in the answer: %v", err)
	}
	io, _, _ = bufferStreams()
	o = ask(tj, io)
	o.Given, o.Answer, o.Date = true, "x", date("2026-11-22")
	if err := runAsk(ctx, o); exitCode(err) != exitUsage {
		t.Errorf("an answer for tomorrow: %v", err)
	}
	if tj.writes != writes {
		t.Errorf("a refused answer wrote")
	}
}

func TestRunUnion(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	noDraft := func(string, string, string, civil.Date) *formDraft { t.Error("opened a draft"); return nil }
	union := func(tj *testJournal, io *IOStreams) *unionOptions {
		return &unionOptions{IO: io, Now: fixedClock, Author: tj.author, OpenJournal: tj.open, Write: tj.write,
			OpenDraft: noDraft, UnionEvery: func() int { return 14 }}
	}

	io, _, _ := bufferStreams()
	io.In = strings.NewReader("## Appreciations\nThe soup on Tuesday\n")
	if err := runUnion(ctx, union(tj.as("alex"), io)); err != nil {
		t.Fatal(err)
	}

	io, out, _ := bufferStreams()
	io.In = strings.NewReader("## one thing, gently\nI feel rushed in the mornings\n\n## appreciations\nThe walk\n")
	if err := runUnion(ctx, union(tj, io)); err != nil {
		t.Fatal(err)
	}
	want := "✓ Saved your State of the Union notes for today (2026/11/2026-11-21-union-sam.md)\n" +
		"The next one is due Sat 5 Dec 2026.\n\nAlex's notes today:\n"
	if !strings.HasPrefix(out.String(), want) || !strings.Contains(out.String(), "The soup on Tuesday") {
		t.Errorf("union:\n%s\nwant it to start %q", out, want)
	}
	if f := tj.file("2026/11/2026-11-21-union-sam.md"); !strings.Contains(f, "## Appreciations\nThe walk\n\n## One thing, gently\nI feel rushed") {
		t.Errorf("union wrote:\n%s", f)
	}

	io, _, _ = bufferStreams()
	o := union(tj, io)
	o.Write = noWrites(t)
	if err := runUnion(ctx, o); exitCode(err) != exitUsage {
		t.Errorf("union with nothing piped: %v", err)
	}
	if v, err := unionDue(mustOpen(t, tj), civil.Of(challengeNow).AddDays(13), 14, func([]error) {}); err != nil || v.Due || v.DaysSince != 13 {
		t.Errorf("due 13 days on: %+v %v", v, err)
	}
}

func mustOpen(t *testing.T, tj *testJournal) *Journal {
	t.Helper()
	j, err := tj.open(false)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestAskAndUnionFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var ask *askOptions
	runAskF := func(_ context.Context, o *askOptions) error { ask = o; return nil }
	if err := execFlags(t, newAskCmd(a, runAskF), "--answer", "", "--json", "--date", "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if !ask.Given || ask.Answer != "" || !ask.JSON || ask.Date != date("2026-11-20") || ask.IO != a.IO || ask.Now() != a.Now() ||
		ask.Author == nil || ask.ReadJournal == nil || ask.Write == nil || ask.Prompter != a.Prompter || ask.OpenDraft == nil {
		t.Errorf("ask: %+v", ask)
	}
	if err := execFlags(t, newAskCmd(a, runAskF)); err != nil || ask.Given || ask.JSON || !ask.Date.IsZero() {
		t.Errorf("ask: %v %+v", err, ask)
	}

	var union *unionOptions
	if err := execFlags(t, newUnionCmd(a, func(_ context.Context, o *unionOptions) error { union = o; return nil }),
		"-e", "--date", "2026-11-15"); err != nil {
		t.Fatal(err)
	}
	if !union.Edit || union.Date != date("2026-11-15") || union.IO != a.IO || union.Now() != a.Now() || union.Author == nil ||
		union.OpenJournal == nil || union.Write == nil || union.Prompter != a.Prompter || union.Editor != a.Editor ||
		union.Getenv == nil || union.OpenDraft == nil || union.UnionEvery == nil {
		t.Errorf("union: %+v", union)
	}
}

// At a terminal, a form stopped by Ctrl-C is kept as a draft where the
// Options' draft opener says, and the next form starts from it.
func TestRunCheckinFormKeepsADraft(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	io, _, errOut := bufferStreams()
	io.InTTY, io.OutTTY = true, true
	ds := drafts{IO: io, Now: fixedClock, Dir: draftDirOf(t.TempDir(), tj.dir), Journal: tj.dir, JournalFlag: "/my journal"}
	p := &scriptPrompter{forms: []map[string]string{{"Rose": "A long lunch"}}, interruptAt: 1}
	opts := &checkinOptions{IO: io, Now: fixedClock, Author: tj.author, OpenJournal: tj.open, Write: noWrites(t),
		Prompter: p, OpenDraft: ds.open, Date: date("2026-11-20")}
	err := runCheckin(ctx, opts)
	want := `kept what you wrote as a draft; run 'reconnect --journal "/my journal" checkin --date 2026-11-20' again to pick it up`
	if exitCode(err) != exitInterrupted || err.Error() != want {
		t.Fatalf("exit %d: %v\nwant %s", exitCode(err), err, want)
	}
	f, err := readDraft(filepath.Join(ds.Dir, draftName("checkin", "sam", "2026-11-20")))
	if err != nil || f.Fields["Rose"] != "A long lunch" || f.Journal != tj.dir || !f.Kept.Equal(challengeNow) {
		t.Fatalf("draft %+v: %v", f, err)
	}

	p = &scriptPrompter{forms: []map[string]string{{"Bud": "The hike"}}}
	opts.Prompter, opts.Write = p, tj.write
	if err := runCheckin(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if p.fields[0][0].Value != "A long lunch" || !strings.Contains(errOut.String(), "Picking up the check-in you were writing (kept today at 21:14)") {
		t.Errorf("form filled with %+v; stderr %s", p.fields[0], errOut)
	}
	if f := tj.file("2026/11/2026-11-20-checkin-sam.md"); !strings.Contains(f, "## Rose\nA long lunch\n\n## Bud\nThe hike") {
		t.Errorf("checkin wrote:\n%s", f)
	}
	if _, err := os.Stat(filepath.Join(ds.Dir, draftName("checkin", "sam", "2026-11-20"))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the draft is still there: %v", err)
	}
}
