package prompts

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestTogetherOn(t *testing.T) {
	d := date("2026-11-21")
	both := func(day civil.Date) []Answered { return []Answered{{day, "sam"}, {day, "alex"}} }
	first, last := AnswersSpan(d)
	for _, tc := range []struct {
		name    string
		answers []Answered
		want    Together
	}{
		{"nothing", nil, Together{}},
		{"one partner only", []Answered{{d.AddDays(-5), "sam"}, {d.AddDays(-4), "sam"}}, Together{}},
		{"the same author twice", []Answered{{d.AddDays(-5), "sam"}, {d.AddDays(-5), "sam"}}, Together{}},
		{"both, a week ago", both(d.AddDays(-7)), Together{1, 1}},
		{"both, on d-Lag: counts for d, not for d-1", both(last), Together{1, 0}},
		{"both, yesterday and today: not yet", append(both(d), both(d.AddDays(-1))...), Together{}},
		{"both, on the first day of the span: only d-1 counts it", both(first), Together{0, 1}},
		{"both, before the span", both(first.AddDays(-1)), Together{}},
		{"three days", append(append(both(d.AddDays(-3)), both(d.AddDays(-9))...), both(d.AddDays(-40))...), Together{3, 3}},
		{"no author", []Answered{{d.AddDays(-5), ""}, {d.AddDays(-5), "sam"}}, Together{}},
	} {
		if got := TogetherOn(d, tc.answers); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestDepthOf(t *testing.T) {
	for _, tc := range []struct {
		count int
		want  []string // the depths seen over 60 days
	}{
		{0, []string{Light}},
		{6, []string{Light}},
		{7, []string{Light, Medium}},
		{20, []string{Light, Medium}},
		{21, []string{Light, Medium, Deep}},
		{300, []string{Light, Medium, Deep}},
	} {
		seen := map[string]bool{}
		for i := range 60 {
			seen[DepthOf(date("2026-11-01").AddDays(i), Together{tc.count, tc.count})] = true
		}
		var got []string
		for _, d := range []string{Light, Medium, Deep} {
			if seen[d] {
				got = append(got, d)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d days both answered: depths %v, want %v", tc.count, got, tc.want)
		}
	}
}

// couple is the questions a couple who both answer every evening from start
// get on their first n days.
func couple(start civil.Date, n int) []Question {
	var answers []Answered
	var out []Question
	for i := range n {
		d := start.AddDays(i)
		out = append(out, QuestionFor(d, TogetherOn(d, answers), nil))
		answers = append(answers, Answered{d, "sam"}, Answered{d, "alex"})
	}
	return out
}

func TestFirstWeekIsLightAndTheGuideComesEarly(t *testing.T) {
	for _, start := range []string{"2026-11-21", "2025-02-03", "2031-07-14"} {
		qs := couple(date(start), 9)
		var opened []string
		for i, q := range qs {
			if isOpener(q) {
				opened = append(opened, q.Text)
				continue
			}
			if i < 8 && q.Depth != Light {
				t.Errorf("from %s, day %d: %s question %q in the first week", start, i+1, q.Depth, q.Text)
			}
		}
		var want []string
		for _, o := range openers {
			want = append(want, o.text)
		}
		if !slices.Equal(opened, want) {
			t.Errorf("from %s: openers in the first 9 days %q, want the guide's three in order", start, opened)
		}
	}
}

func TestDeepensWithTheDaysBothAnswered(t *testing.T) {
	qs := couple(date("2026-01-01"), 90)
	depths := func(from, to int) map[string]int {
		m := map[string]int{}
		for _, q := range qs[from:to] {
			if !isOpener(q) {
				m[q.Depth]++
			}
		}
		return m
	}
	if m := depths(0, 8); m[Medium]+m[Deep] != 0 {
		t.Errorf("first week: %v", m)
	}
	if m := depths(10, 22); m[Medium] == 0 || m[Deep] != 0 {
		t.Errorf("days 11-22: %v, want light and medium", m)
	}
	if m := depths(30, 90); m[Deep] == 0 || m[Medium] == 0 || m[Light] == 0 {
		t.Errorf("days 31-90: %v, want all three", m)
	}
	// One partner alone never deepens the deck.
	var answers []Answered
	for i := range 60 {
		answers = append(answers, Answered{date("2026-01-01").AddDays(i), "sam"})
	}
	if d := date("2026-03-05"); DepthOf(d, TogetherOn(d, answers)) != Light {
		t.Error("sixty days of one partner's answers deepened the deck")
	}
}

func TestNotDealtTwiceSoon(t *testing.T) {
	for _, start := range []string{"2026-01-01", "2024-06-10"} {
		qs := couple(date(start), 700)
		last := map[int]int{}
		for i, q := range qs {
			if j, ok := last[q.ID]; ok && i-j < 7 {
				t.Errorf("from %s: %q on day %d and again on day %d", start, q.Text, j, i)
			}
			last[q.ID] = i
		}
		if len(last) != len(Questions()) {
			t.Errorf("from %s: %d of %d questions dealt in 700 days", start, len(last), len(Questions()))
		}
	}
}

// TestTwoClonesAgree: two clones that hold the same answers up to d-Lag
// deal the same question, whatever else each holds of the last two days.
func TestTwoClonesAgree(t *testing.T) {
	d := date("2026-11-21")
	var shared []Answered
	for i := 3; i < 40; i += 2 {
		shared = append(shared, Answered{d.AddDays(-i), "sam"}, Answered{d.AddDays(-i), "alex"})
	}
	sam := append(slices.Clone(shared), Answered{d, "sam"}, Answered{d.AddDays(-1), "sam"})
	alex := append([]Answered{{d.AddDays(-1), "alex"}}, shared...)
	slices.Reverse(alex)
	for i := range 30 {
		day := d.AddDays(-i)
		a, b := QuestionFor(day, TogetherOn(day, sam), nil), QuestionFor(day, TogetherOn(day, alex), nil)
		if a != b {
			t.Errorf("%s: sam's clone deals %q, alex's %q", day, a.Text, b.Text)
		}
	}
	for _, skipped := range [][]int{nil, {QuestionFor(d, TogetherOn(d, sam), nil).ID}} {
		if a, b := QuestionFor(d, TogetherOn(d, sam), skipped), QuestionFor(d, TogetherOn(d, alex), skipped); a != b {
			t.Errorf("skipped %v: %q and %q", skipped, a.Text, b.Text)
		}
	}
}

func TestSkipChangesTheQuestion(t *testing.T) {
	for _, tc := range []Together{{0, 0}, {1, 0}, {10, 10}, {40, 40}} {
		d := date("2026-11-21")
		q0 := QuestionFor(d, tc, nil)
		q1 := QuestionFor(d, tc, []int{q0.ID})
		q2 := QuestionFor(d, tc, []int{q0.ID, q1.ID})
		if q1 == q0 || q2 == q1 || q2 == q0 {
			t.Errorf("%+v: skipping gives %d, %d, %d", tc, q0.ID, q1.ID, q2.ID)
		}
		if again := QuestionFor(d, tc, []int{q0.ID, q0.ID}); again != q1 {
			t.Errorf("%+v: passing on one question twice moved on twice", tc)
		}
		if q1.Depth != DepthOf(d, tc) {
			t.Errorf("%+v: after a skip a %s question, want %s", tc, q1.Depth, DepthOf(d, tc))
		}
		if tomorrow := QuestionFor(d.AddDays(1), tc, nil); tomorrow == q1 {
			t.Errorf("%+v: the question after a skip is tomorrow's", tc)
		}
		var all []int
		for _, q := range DayQuestions(d, tc) {
			all = append(all, q.ID)
		}
		if got := QuestionFor(d, tc, all); got != q0 {
			t.Errorf("%+v: all passed on: %d, want the deal to come round to %d", tc, got.ID, q0.ID)
		}
	}
}

// TestQuestionForIsStable pins the deal: both partners, on any machine and
// in any version with the same deck, get these. Appending questions changes
// the deal (a depth's size is part of it); update the table then.
func TestQuestionForIsStable(t *testing.T) {
	for _, tc := range []struct {
		date  string
		count int
		id    int
	}{
		{"2026-11-21", 0, 49},
		{"2026-11-21", 30, 49},
		{"2026-11-22", 30, 37},
		{"2019-05-04", 30, 8},
	} {
		if got := QuestionFor(date(tc.date), Together{tc.count, tc.count}, nil).ID; got != tc.id {
			t.Errorf("QuestionFor(%s, %d).ID = %d, want %d", tc.date, tc.count, got, tc.id)
		}
	}
}

func TestOpenersAreInTheDeckAndTheGuide(t *testing.T) {
	g := guide(t)
	for _, o := range openers {
		if !strings.Contains(g, o.text) {
			t.Errorf("opener %q is not in the guide", o.text)
		}
		questionText(Questions(), o.text) // panics when missing
	}
}

func TestStorms(t *testing.T) {
	if got := strings.Join(StormNames(), " "); got != "new-job parenting health-scare empty-nest retirement" {
		t.Fatalf("StormNames() = %s", got)
	}
	seen := map[string]string{}
	for _, s := range Storms() {
		if s.Title == "" || s.About == "" {
			t.Errorf("%s: no title or about", s.Name)
		}
		if n := len(s.Questions); n < 8 || n > 12 {
			t.Errorf("%s: %d questions, want 8 to 12", s.Name, n)
		}
		if n := len(s.Ideas); n < 8 || n > 12 {
			t.Errorf("%s: %d ideas, want 8 to 12", s.Name, n)
		}
		for i, q := range s.Questions {
			if q.ID != i+1 || !strings.HasSuffix(q.Text, "?") {
				t.Errorf("%s: question %+v", s.Name, q)
			}
			if prev, ok := seen[normal(q.Text)]; ok {
				t.Errorf("%s: %q is also in %s", s.Name, q.Text, prev)
			}
			seen[normal(q.Text)] = s.Name
		}
		for _, c := range s.Ideas {
			if c.Deck != s.Name || c.Detail == "" {
				t.Errorf("%s: idea %+v", s.Name, c)
			}
		}
		d := date("2026-11-21")
		if s.QuestionOn(d) != s.QuestionOn(date("2026-11-20").AddDays(1)) {
			t.Errorf("%s: the question of a day is not the same twice", s.Name)
		}
		if s.IdeaOn(d, 0) == s.IdeaOn(d, 1) {
			t.Errorf("%s: seeds 0 and 1 give the same idea", s.Name)
		}
	}
	for _, q := range Questions() {
		if prev, ok := seen[normal(q.Text)]; ok {
			t.Errorf("%q is in the question deck and in %s", q.Text, prev)
		}
	}
}

func TestStormNamed(t *testing.T) {
	s, err := StormNamed(" Retirement ")
	if err != nil || s.Name != "retirement" {
		t.Fatalf("StormNamed(Retirement) = %+v, %v", s, err)
	}
	s.Questions[0].Text = "changed"
	if again, _ := StormNamed("retirement"); again.Questions[0].Text == "changed" {
		t.Error("StormNamed hands out shared state")
	}
	_, err = StormNamed("poems")
	if !errors.Is(err, ErrUnknownDeck) {
		t.Fatalf("StormNamed(poems) = %v", err)
	}
	for _, name := range StormNames() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("%q does not name %s", err, name)
		}
	}
}
