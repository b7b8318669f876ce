package prompts

import (
	"hash/fnv"
	"slices"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// How the deck deepens. A new couple's first week draws light questions;
// the guide's own three prompts come in the first days; medium questions
// join once both have answered on [FirstWeek] days, and deep ones once they
// have on [Settled] days.
//
// Both partners must get the same question on the same day, each from their
// own clone of the journal, and a day's question must not change under
// someone who is answering it. So the question of day d depends only on:
//
//   - the date d and the deck;
//   - [Together]: the days on which both partners answered, counted up to
//     d-[Lag] only. An answer written on d itself, or on the day before and
//     not yet synced, cannot change d's question: each answer is committed
//     and sent when it is written, and the partner's clone takes it in at
//     its own next write or sync, so two days' slack covers a couple who
//     each answer once a day. A clone that has not synced for longer may
//     deal a different question until it does; an answer keeps the
//     question it answered (question-id and question in its front matter);
//   - the questions passed on that day with 'ask --skip' (skip entries
//     dated d, which both clones read after a sync).
//
// Only the year before d-Lag counts ([Lookback]): a couple who come back
// after a long break start light again, and a clone reads at most a year
// of answers to deal a day.
const (
	Lag       = 2   // answers on or before d-Lag count for day d
	Lookback  = 365 // days of answers that count, ending d-Lag
	FirstWeek = 7   // days both answered before medium questions join
	Settled   = 21  // days both answered before deep questions join, and the deal stops changing with more
)

// openers are the guide's own three prompts ("Try throwing out a few of
// these prompts"), each dealt on the day the couple first reaches its count
// of days both answered: the third, fifth and seventh day of a couple who
// answer every evening.
var openers = []struct {
	at   int
	text string
}{
	{1, "Tell me about a time this week you felt proud of yourself."},
	{3, "What's something you wish we had more time for, just the two of us?"},
	{5, "What's one small fear you've had on your mind lately?"},
}

// Answered is an answer to the question of a day, as the deal sees it: who
// answered, on which day.
type Answered struct {
	Date   civil.Date
	Author string
}

// Together is what the deal of a day knows of the couple: on how many days
// both partners answered, counted over the [Lookback] days ending d-[Lag]
// (Count) and over the same span one day earlier (Before). Count and Before
// differ by at most one, so the day a count is first reached is known.
type Together struct {
	Count, Before int
}

// AnswersSpan is the days whose answers [TogetherOn] counts for day d, first
// and last included: a caller reads answers dated in it.
func AnswersSpan(d civil.Date) (first, last civil.Date) {
	return d.AddDays(-Lag - Lookback), d.AddDays(-Lag)
}

// TogetherOn folds answers into what the deal of day d knows: a day counts
// when two or more authors answered on it. Answers outside [AnswersSpan] d
// are ignored, and an author answering twice on a day counts once.
func TogetherOn(d civil.Date, answers []Answered) Together {
	first, last := AnswersSpan(d)
	who := map[civil.Date]map[string]bool{}
	for _, a := range answers {
		if a.Date.Before(first) || a.Date.After(last) || a.Author == "" {
			continue
		}
		if who[a.Date] == nil {
			who[a.Date] = map[string]bool{}
		}
		who[a.Date][a.Author] = true
	}
	var t Together
	for day, authors := range who {
		if len(authors) < 2 {
			continue
		}
		if day != first {
			t.Count++
		}
		if day != last {
			t.Before++
		}
	}
	return t
}

// Enough reports whether t already deals like any larger count: a caller
// reading answers back from d-Lag may stop once it holds.
func (t Together) Enough() bool { return t.Before >= Settled+1 }

// DepthOf is the depth of the question of day d for a couple at t: light
// for the first week; then light or medium; from [Settled] days on, light,
// medium or deep. Which one falls on a day is a hash of the date.
func DepthOf(d civil.Date, t Together) string {
	switch {
	case t.Count < FirstWeek:
		return Light
	case t.Count < Settled:
		return []string{Light, Medium}[mix(d)%2]
	default:
		return []string{Light, Medium, Deep}[mix(d)%3]
	}
}

// mix is a hash of the date, the same on every machine.
func mix(d civil.Date) uint64 {
	h := fnv.New64a()
	h.Write([]byte("depth"))
	z := h.Sum64() + uint64(dayIndex(d))*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// QuestionFor is the question of day d for a couple at t, passing over the
// questions whose IDs are in skipped (passed on that day): the first of
// [DayQuestions] not skipped. When every one was passed on, the deal comes
// round again.
func QuestionFor(d civil.Date, t Together, skipped []int) Question {
	qs := DayQuestions(d, t)
	var left []Question
	for _, q := range qs {
		if !slices.Contains(skipped, q.ID) {
			return q
		}
		left = append(left, q)
	}
	return left[len(skipped)%len(left)]
}

// DayQuestions is the order in which day d offers questions to a couple at
// t: the day's opener if it has one, then the questions of the day's depth
// ([DepthOf]): first the one dealt for d (each depth dealt in its own
// shuffled cycles, so it does not come back soon), then the others in an
// order of the day, those dealt on nearby days last. Until the couple has
// [Settled], the guide's openers are kept for their own days.
func DayQuestions(d civil.Date, t Together) []Question {
	qs := must(loadQuestions())
	depth := DepthOf(d, t)
	var pool []Question
	for _, q := range qs {
		if q.Depth == depth {
			pool = append(pool, q)
		}
	}
	n, day := len(pool), dayIndex(d)
	salt := questionSalt + "/" + depth
	daily := deal(salt, n, day)
	near := map[int]bool{}
	for k := -n / 3; k <= n/3; k++ {
		near[deal(salt, n, day+k)] = true
	}
	order := []int{daily}
	var later []int
	for _, x := range shuffle(salt+"/skip", n, day) {
		switch {
		case x == daily:
		case near[x]:
			later = append(later, x)
		default:
			order = append(order, x)
		}
	}
	order = append(order, later...)

	var out, held []Question
	for _, o := range openers {
		if t.Before < o.at && o.at <= t.Count {
			out = append(out, questionText(qs, o.text))
		}
	}
	for _, x := range order {
		q := pool[x]
		switch {
		case slices.Contains(out, q):
		case t.Count < Settled && isOpener(q):
			held = append(held, q)
		default:
			out = append(out, q)
		}
	}
	return append(out, held...)
}

func isOpener(q Question) bool {
	for _, o := range openers {
		if o.text == q.Text {
			return true
		}
	}
	return false
}

// questionText is the question of qs with text; the package tests check
// that every opener is in the deck.
func questionText(qs []Question, text string) Question {
	for _, q := range qs {
		if q.Text == text {
			return q
		}
	}
	panic("prompts: opener not in questions.yaml: " + text)
}
