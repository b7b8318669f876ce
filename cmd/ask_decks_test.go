package cmd

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

func TestAskDeckAndSkipFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var ask *askOptions
	runAskF := func(_ context.Context, o *askOptions) error { ask = o; return nil }
	if err := execFlags(t, newAskCmd(a, runAskF), "--deck", " Retirement ", "--json"); err != nil {
		t.Fatal(err)
	}
	if ask.Deck != "retirement" || !ask.JSON || ask.Skip || ask.ListDecks {
		t.Errorf("ask --deck: %+v", ask)
	}
	if err := execFlags(t, newAskCmd(a, runAskF), "--skip", "--date", "2026-11-20"); err != nil || !ask.Skip || ask.Date != date("2026-11-20") {
		t.Errorf("ask --skip: %v %+v", err, ask)
	}
	if err := execFlags(t, newAskCmd(a, runAskF), "--decks"); err != nil || !ask.ListDecks {
		t.Errorf("ask --decks: %v %+v", err, ask)
	}
	for _, args := range [][]string{
		{"--deck", "poems"},
		{"--skip", "--answer", "x"},
		{"--skip", "--deck", "retirement"},
		{"--decks", "--deck", "retirement"},
		{"--decks", "--skip"},
	} {
		ask = nil
		if err := execFlags(t, newAskCmd(a, runAskF), args...); exitCode(err) != exitUsage || ask != nil {
			t.Errorf("ask %v: %v, ran %v", args, err, ask != nil)
		}
	}
}

func TestIdeaDeckAndPlanFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var idea *ideaOptions
	runIdeaF := func(_ context.Context, o *ideaOptions) error { idea = o; return nil }
	if err := execFlags(t, newIdeaCmd(a, runIdeaF), "--deck", "Parenting", "-n", "2"); err != nil {
		t.Fatal(err)
	}
	if idea.Storm != "parenting" || len(idea.Decks) != 0 || idea.Count != 2 || idea.ReadJournal == nil || idea.Write == nil {
		t.Errorf("idea --deck: %+v", idea)
	}
	if err := execFlags(t, newIdeaCmd(a, runIdeaF), "date", "--plan", "2026-11-28"); err != nil ||
		idea.Plan != date("2026-11-28") || len(idea.Decks) != 1 || idea.Decks[0] != prompts.DeckDate {
		t.Errorf("idea date --plan: %v %+v", err, idea)
	}
	for _, args := range [][]string{
		{"--deck", "poems"},
		{"date", "--deck", "parenting"},
		{"--plan", "2026-11-28"},
		{"touch", "--plan", "2026-11-28"},
		{"--deck", "parenting", "--plan", "2026-11-28"},
		{"date", "--plan", "2026-11-28", "-n", "2"},
		{"date", "--plan", "2026-11-28", "--json"},
		{"date", "--plan", "tomorrow"},
	} {
		idea = nil
		if err := execFlags(t, newIdeaCmd(a, runIdeaF), args...); exitCode(err) != exitUsage || idea != nil {
			t.Errorf("idea %v: %v, ran %v", args, err, idea != nil)
		}
	}
}

// answerDays writes tj's partner's answers on days (by hand, as a sync
// would bring them).
func answerDays(t *testing.T, tj *testJournal, days ...civil.Date) {
	t.Helper()
	for _, d := range days {
		if _, err := tj.write(context.Background(), func(j *Journal, who string) (string, []gitsync.Change, error) {
			e := journal.NewAnswer(who, d, challengeNow, 1, "What was the best part of your day?", "A walk")
			e.Path = journal.PathFor(e, nil)
			return "answer", []gitsync.Change{changeFor(e)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestQuestionDayDeepensWithTheDaysBothAnswered(t *testing.T) {
	day := civil.Of(challengeNow)
	tj := newTestJournal(t, "sam")
	view := func() askView {
		t.Helper()
		v, err := questionDay(mustOpen(t, tj), "sam", day, nil, func([]error) {})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := view(); v.Depth != prompts.Light {
		t.Errorf("a new couple: %+v", v)
	}
	var days []civil.Date
	for i := 2; i < 40; i++ {
		days = append(days, day.AddDays(-i))
	}
	answerDays(t, tj, days...)
	if v, want := view(), prompts.QuestionFor(day, prompts.Together{}, nil); v.QuestionID != want.ID {
		t.Errorf("one partner's answers changed the question: %+v", v)
	}
	answerDays(t, tj.as("alex"), days...)
	want := prompts.QuestionFor(day, prompts.Together{Count: 38, Before: 37}, nil)
	if v := view(); v.QuestionID != want.ID || v.Depth != want.Depth {
		t.Errorf("38 days both answered: %+v, want %+v", v, want)
	}
	// Answers of today and yesterday do not change today's question.
	answerDays(t, tj.as("alex"), day.AddDays(-1), day)
	answerDays(t, tj, day.AddDays(-1))
	if v := view(); v.QuestionID != want.ID {
		t.Errorf("after answers of the last two days: %+v, want %+v", v, want)
	}
}

func TestRunAskSkip(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	noDraft := func(string, string, string, civil.Date) *formDraft { t.Error("opened a draft"); return nil }
	ask := func(tj *testJournal, io *IOStreams) *askOptions {
		return &askOptions{IO: io, Now: fixedClock, Author: tj.author, ReadJournal: tj.read, Write: tj.write, OpenDraft: noDraft}
	}
	day := civil.Of(challengeNow)
	first := prompts.QuestionFor(day, prompts.Together{}, nil)
	next := prompts.QuestionFor(day, prompts.Together{}, []int{first.ID})

	io, out, _ := bufferStreams()
	o := ask(tj, io)
	o.Skip = true
	if err := runAskSkip(ctx, o, day); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "✓ Passed on: "+oneLine(first.Text)+"\n") || !strings.Contains(out.String(), "  "+oneLine(next.Text)+"\n") {
		t.Errorf("skip:\n%s", out)
	}
	skips := readSkips(t, tj)
	if len(skips) != 1 || skips[0].Author != "sam" {
		t.Fatalf("skips: %+v", skips)
	}
	if id, _ := skips[0].IntField(journal.FieldQuestionID); id != first.ID {
		t.Errorf("the skip names question %d, want %d", id, first.ID)
	}

	// The partner's clone (the same files) deals the next question too.
	io, out, _ = bufferStreams()
	o = ask(tj.as("alex"), io)
	o.JSON = true
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"question_id": `+strconv.Itoa(next.ID)+",") {
		t.Errorf("alex after sam's skip:\n%s", out)
	}

	// Once alex has answered, the question stays.
	io, _, _ = bufferStreams()
	o = ask(tj.as("alex"), io)
	o.Given, o.Answer = true, "Pasta night"
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	io, _, _ = bufferStreams()
	o = ask(tj, io)
	o.Skip, o.Write = true, noWrites(t)
	if err := runAskSkip(ctx, o, day); exitCode(err) != exitUsage || !strings.Contains(err.Error(), "Alex has already answered") {
		t.Errorf("skip after alex answered: %v", err)
	}
}

func readSkips(t *testing.T, tj *testJournal) []*journal.Entry {
	t.Helper()
	entries, _, err := mustOpen(t, tj).Store.List(journal.Query{Kinds: []journal.Kind{journal.KindSkip}})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestRunAskDeck(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	day := civil.Of(challengeNow)
	s, _ := prompts.StormNamed("health-scare")
	io, out, _ := bufferStreams()
	o := &askOptions{IO: io, Now: fixedClock, Author: tj.author, ReadJournal: tj.read, Write: tj.write, Deck: "health-scare",
		Given: true, Answer: "Just be there."}
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Question from the health deck (today)\n  "+oneLine(s.QuestionOn(day).Text)) {
		t.Errorf("ask --deck:\n%s", out)
	}
	f := tj.file("2026/11/2026-11-21-answer-sam.md")
	if !strings.Contains(f, "\ndeck: health-scare\n") || !strings.Contains(f, "question-id: "+strconv.Itoa(s.QuestionOn(day).ID)) {
		t.Errorf("the answer:\n%s", f)
	}
	// Answering the question of the day instead drops the deck.
	io, _, _ = bufferStreams()
	o = &askOptions{IO: io, Now: fixedClock, Author: tj.author, ReadJournal: tj.read, Write: tj.write, Given: true, Answer: "A nap."}
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	if f := tj.file("2026/11/2026-11-21-answer-sam.md"); strings.Contains(f, "deck:") {
		t.Errorf("the answer kept its deck:\n%s", f)
	}
}

func TestListStormDecks(t *testing.T) {
	io, out, _ := bufferStreams()
	if err := runAsk(context.Background(), &askOptions{IO: io, Now: fixedClock, ListDecks: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range prompts.StormNames() {
		if !strings.Contains(out.String(), "\n  "+name+" ") {
			t.Errorf("no %s in:\n%s", name, out)
		}
	}
}

func TestRunIdeaPlan(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	idea, _ := prompts.IdeaOf(prompts.DeckDate, civil.Of(challengeNow), 0)
	io, out, _ := bufferStreams()
	o := &ideaOptions{IO: io, Now: fixedClock, ReadJournal: tj.read, Write: tj.write,
		Decks: []string{prompts.DeckDate}, Count: 1, Plan: date("2026-11-28")}
	if err := runIdea(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "✓ Planned: "+idea.Text+", Sat 28 Nov 2026 (dates/") {
		t.Errorf("planned:\n%s", out)
	}
	if tj.writes != 1 {
		t.Errorf("%d writes", tj.writes)
	}
	o.Plan, o.Write = date("2026-11-20"), noWrites(t)
	if err := runIdea(ctx, o); exitCode(err) != exitUsage {
		t.Errorf("a day passed: %v", err)
	}
}

func TestIdeaQuestionIsTheQuestionOfTheDay(t *testing.T) {
	tj := newTestJournal(t, "sam")
	io, out, _ := bufferStreams()
	o := &ideaOptions{IO: io, Now: fixedClock, ReadJournal: tj.read, Decks: []string{prompts.DeckQuestion}, Count: 3}
	if err := runIdea(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	q := prompts.QuestionFor(civil.Of(challengeNow), prompts.Together{}, nil)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n\n")
	if len(lines) != 3 || lines[0] != "Question     "+q.Text {
		t.Errorf("idea question -n 3:\n%s", out)
	}
}

// TestAskDeckViewHoldsItsDeckOnly: asking from a deck shows who answered
// that deck's question, not the question of the day.
func TestAskDeckViewHoldsItsDeckOnly(t *testing.T) {
	ctx := context.Background()
	tj := newTestJournal(t, "sam")
	io, _, _ := bufferStreams()
	o := &askOptions{IO: io, Now: fixedClock, Author: tj.author, ReadJournal: tj.read, Write: tj.write, Given: true, Answer: "A nap."}
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	io, out, _ := bufferStreams()
	o = &askOptions{IO: io, Now: fixedClock, Author: tj.author, ReadJournal: tj.read, Write: noWrites(t), Deck: "empty-nest", JSON: true}
	if err := runAsk(ctx, o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"sam": false`) || strings.Contains(out.String(), "A nap.") {
		t.Errorf("the empty-nest deck after answering the question of the day:\n%s", out)
	}
}
