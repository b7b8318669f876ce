package streak

// The drift rule: when one partner keeps checking in and the other does
// not (the guide's "What if my partner isn't interested in reconnecting?").
// Like [Current] it works on day numbers the caller chooses.

// DriftWindow is how many days drift looks back: the days day-DriftWindow
// to day-1. Today is left out, as [Current] leaves it: an evening is not
// over until it is over.
const DriftWindow = 28

// DriftTalkDays is the number of lone days in the window (three weeks of
// them) after which a gesture is no longer enough and the calm, honest talk
// is suggested instead.
const DriftTalkDays = 21

// DriftStage is what drift says about a day.
type DriftStage int

const (
	// Steady: nothing to say; the couple's usual screen.
	Steady DriftStage = iota
	// Gesture: offer one small gesture, nothing expected back.
	Gesture
	// Talk: suggest the calm, honest talk and a professional.
	Talk
)

func (s DriftStage) String() string {
	switch s {
	case Gesture:
		return "gesture"
	case Talk:
		return "talk"
	}
	return "steady"
}

// LoneDays is the number of lone days before day: days of the window on
// which you checked in (you reports it) and your partner did not (partner
// reports whether they did), since the partner's last check-in in it. A
// partner who comes back ends the drift: the count starts again.
func LoneDays(day int, you, partner func(day int) bool) int {
	n := 0
	for d := day - 1; d >= day-DriftWindow && !partner(d); d-- {
		if you(d) {
			n++
		}
	}
	return n
}

// Drift is the stage of day for you. It is [Steady] when there is no
// partner yet (a journal of one never drifts), when the partner checked in
// on day itself (they are here tonight), and while the lone days before day
// ([LoneDays]) are fewer than after (at least 1); [Talk] from
// [DriftTalkDays] lone days on, and [Gesture] in between.
func Drift(day, after int, hasPartner bool, you, partner func(day int) bool) DriftStage {
	if !hasPartner || partner(day) {
		return Steady
	}
	n := LoneDays(day, you, partner)
	switch {
	case n >= DriftTalkDays:
		return Talk
	case n >= max(after, 1):
		return Gesture
	}
	return Steady
}
