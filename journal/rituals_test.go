package journal

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestRitualKindsPlaced(t *testing.T) {
	d := day("2026-11-21")
	evening := time.Date(2026, 11, 21, 21, 14, 3, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		e    *Entry
		want string
	}{
		{NewAnswer("alex", d, evening, 12, "How are you really doing?", "Tired but happy"), "2026/11/2026-11-21-answer-alex.md"},
		{New(KindChallenge, "sam", d, evening), "2026/11/2026-11-21-challenge-sam.md"},
		{NewChallengeStart("sam", d, evening, day("2026-11-23")), "2026/11/2026-11-21-challenge-start-sam.md"},
		{NewReply("sam", d, evening, "2026/11/2026-11-20-checkin-alex.md", "It sounds like you felt unseen"), "2026/11/2026-11-21-reply-sam-211403.md"},
		{New(KindUnion, "sam", d, evening), "2026/11/2026-11-21-union-sam.md"},
		{New(KindWin, "alex", d, evening), "2026/11/2026-11-21-win-alex-211403.md"},
		{NewDatePlan("  Dinner at  Luigi's ", "sam", d, evening, day("2026-11-28")), "dates/dinner-at-luigi-s.md"},
		{NewTogether("sam", d, evening, 15*time.Minute, 9*time.Minute+12*time.Second, true), "2026/11/2026-11-21-together-sam-211403.md"},
	} {
		if got := PathFor(tc.e, nil); got != tc.want {
			t.Errorf("%s: path %q, want %q", tc.e.Kind, got, tc.want)
		}
		tc.e.Path = tc.want
		back, err := Parse(tc.want, tc.e.Render())
		if err != nil {
			t.Errorf("%s: parse back: %v", tc.e.Kind, err)
			continue
		}
		if !slices.Equal(back.Sections(), tc.e.Sections()) {
			t.Errorf("%s: sections %v, want %v", tc.e.Kind, back.Sections(), tc.e.Sections())
		}
		for k, v := range tc.e.Fields() {
			if got := back.Fields()[k]; got != v {
				t.Errorf("%s: field %s = %#v, want %#v", tc.e.Kind, k, got, v)
			}
		}
	}
}

func TestRitualConstructors(t *testing.T) {
	d := day("2026-11-21")
	now := time.Date(2026, 11, 21, 21, 14, 3, 0, time.UTC)

	a := NewAnswer("alex", d, now, 12, "How are you really doing?", "Tired but happy")
	if id, ok := a.IntField(FieldQuestionID); !ok || id != 12 {
		t.Errorf("answer question-id %d %v", id, ok)
	}
	if q, _ := a.Field(FieldQuestion); q != "How are you really doing?" {
		t.Errorf("answer question %q", q)
	}
	if s, _ := a.Section(""); s != "Tired but happy" {
		t.Errorf("answer text %q", s)
	}

	s := NewChallengeStart("sam", d, now, day("2026-11-23"))
	if on, ok := s.DateField(FieldOn); !ok || on != day("2026-11-23") {
		t.Errorf("start on %v %v", on, ok)
	}

	c := New(KindChallenge, "sam", d, now)
	c.SetChallengeMarks(6, true, false)
	if n, _ := c.IntField(FieldDay); n != 6 {
		t.Errorf("challenge day %d", n)
	}
	if v, ok := c.BoolField(FieldEmotional); !v || !ok {
		t.Errorf("emotional %v %v", v, ok)
	}
	if v, ok := c.BoolField(FieldPhysical); v || !ok {
		t.Errorf("physical %v %v", v, ok)
	}

	p := NewDatePlan("Dinner at Luigi's", "sam", d, now, day("2026-11-28"))
	if p.Title() != "Dinner at Luigi's" || p.IsDone() {
		t.Errorf("date %q done=%v", p.Title(), p.IsDone())
	}
	if st, _ := p.Field(FieldStatus); st != StatusPlanned {
		t.Errorf("date status %q", st)
	}
	p.MarkDone("alex", day("2026-11-28"))
	if !p.IsDone() {
		t.Error("date not done after MarkDone")
	}

	g := NewTogether("sam", d, now, 15*time.Minute, 9*time.Minute+12*time.Second, true)
	for k, want := range map[string]string{FieldPlanned: "15m", FieldSpent: "9m12s", FieldCutShort: "true"} {
		if got, _ := g.Field(k); got != want {
			t.Errorf("together %s = %q, want %q", k, got, want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{15 * time.Minute, "15m"},
		{90 * time.Minute, "1h30m"},
		{2 * time.Hour, "2h"},
		{9*time.Minute + 12*time.Second, "9m12s"},
		{45 * time.Second, "45s"},
		{1500 * time.Millisecond, "2s"},
		{time.Hour + 5*time.Second, "1h0m5s"},
		{0, "0s"},
		{-time.Second, "0s"},
	} {
		if got := FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestTypedFields(t *testing.T) {
	const head = "---\nkind: challenge\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:14:03+01:00\n"
	for _, tc := range []struct {
		yaml       string
		b, bOK     bool
		n          int
		nOK        bool
		date       string
		dateOK     bool
		annotation string
	}{
		{"emotional: true\nday: 6\non: 2026-11-16\n", true, true, 6, true, "2026-11-16", true, "plain YAML, as by hand"},
		{"emotional: \"false\"\nday: \"6\"\non: \"2026-11-16\"\n", false, true, 6, true, "2026-11-16", true, "quoted, as written"},
		{"emotional: yes\nday: \" 7 \"\n", true, true, 7, true, "", false, "yes and spaces"},
		{"emotional: maybe\nday: six\non: 2026-02-30\n", false, false, 0, false, "", false, "nonsense"},
		{"", false, false, 0, false, "", false, "absent"},
		{"emotional: [true]\nday: {a: 1}\n", false, false, 0, false, "", false, "not scalars"},
	} {
		e, err := Parse("x.md", []byte(head+tc.yaml+"---\n"))
		if err != nil {
			t.Fatalf("%s: %v", tc.annotation, err)
		}
		if b, ok := e.BoolField(FieldEmotional); b != tc.b || ok != tc.bOK {
			t.Errorf("%s: BoolField = %v, %v", tc.annotation, b, ok)
		}
		if n, ok := e.IntField(FieldDay); n != tc.n || ok != tc.nOK {
			t.Errorf("%s: IntField = %v, %v", tc.annotation, n, ok)
		}
		if d, ok := e.DateField(FieldOn); d.String() != tc.date || ok != tc.dateOK {
			t.Errorf("%s: DateField = %v, %v", tc.annotation, d, ok)
		}
	}
}

func TestDates(t *testing.T) {
	root := t.TempDir()
	s := Store{Root: root}
	if items, warnings, err := s.Dates(); err != nil || len(items) != 0 || len(warnings) != 0 {
		t.Fatalf("no dates folder: %v %v %v", items, warnings, err)
	}
	write := func(e *Entry) {
		e.Path = PathFor(e, s.Exists)
		if err := s.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 21, 21, 14, 3, 0, time.UTC)
	write(NewDatePlan("Pottery class", "alex", day("2026-11-21"), now, day("2026-12-05")))
	write(NewDatePlan("Dinner at Luigi's", "sam", day("2026-11-20"), now, day("2026-11-28")))
	write(NewDatePlan("Pottery class", "sam", day("2026-11-21"), now, day("2026-12-12")))
	writeRaw(t, root, "dates/stray.md", string(NewBucketItem("Stray", "sam", day("2026-11-21"), now).Render()))
	writeRaw(t, root, "dates/broken.md", garbage)
	writeRaw(t, root, "dates/notes.txt", "not an entry")

	items, warnings, err := s.Dates()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range items {
		paths = append(paths, e.Path)
	}
	want := []string{"dates/dinner-at-luigi-s.md", "dates/pottery-class-2.md", "dates/pottery-class.md"}
	if !slices.Equal(paths, want) {
		t.Errorf("dates %v, want %v", paths, want)
	}
	if len(warnings) != 2 {
		t.Fatalf("warnings %v, want the stray bucket item and the broken file", warnings)
	}
	var msgs []string
	for _, w := range warnings {
		msgs = append(msgs, w.Error())
	}
	joined := strings.Join(msgs, "\n")
	if !strings.Contains(joined, "dates/stray.md: a bucket entry in the dates folder is not a planned date") ||
		!strings.Contains(joined, "dates/broken.md") {
		t.Errorf("warnings:\n%s", joined)
	}

	// List finds dates when asked for the kind, like any shared item.
	listed, _, err := s.List(Query{Kinds: []Kind{KindDate}})
	if err != nil || len(listed) != 3 {
		t.Errorf("List(date) = %d entries, %v", len(listed), err)
	}
}

func TestTypedFieldsAreWrittenUnquoted(t *testing.T) {
	e := New(KindChallenge, "sam", civil.Date{Year: 2026, Month: 11, Day: 21}, time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC))
	e.SetChallengeMarks(3, true, false)
	out := string(e.Render())
	for _, want := range []string{"\nday: 3\n", "\nemotional: true\n", "\nphysical: false\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered entry lacks %q:\n%s", want, out)
		}
	}
	back, err := Parse("x.md", []byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if back.Fields()["day"] != 3 || back.Fields()["emotional"] != true {
		t.Errorf("fields read back as %#v", back.Fields())
	}
}

func TestListMatchesEitherReadingOfAName(t *testing.T) {
	dir := t.TempDir()
	s := Store{Root: dir}
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	e := New(KindChallenge, "start-x", day, time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC))
	e.SetChallengeMarks(1, true, false)
	e.Path = PathFor(e, nil)
	if err := s.Write(e); err != nil {
		t.Fatal(err)
	}
	got, warns, err := s.List(Query{Kinds: []Kind{KindChallenge}})
	if err != nil || len(warns) > 0 {
		t.Fatal(err, warns)
	}
	if len(got) != 1 || got[0].Author != "start-x" {
		t.Errorf("List(kind challenge) = %v, want the entry by start-x at %s", got, e.Path)
	}
}

func TestChallengeMarksRoundTrip(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	for _, tc := range []struct {
		name   string
		front  string // extra front matter, written by hand
		set    bool
		n      int
		em, ph bool
	}{
		{"set: both", "", true, 7, true, true},
		{"set: emotional", "", true, 3, true, false},
		{"set: physical", "", true, 30, false, true},
		{"by hand, plain YAML", "day: 5\nemotional: true\nphysical: no-idea\n", false, 5, true, false},
		{"by hand, quoted", "day: \"9\"\nphysical: \"true\"\n", false, 9, false, true},
		{"nothing recorded", "", false, 0, false, false},
	} {
		var e *Entry
		if tc.set {
			e = New(KindChallenge, "sam", day, time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC))
			e.SetChallengeMarks(tc.n, tc.em, tc.ph)
		} else {
			src := "---\nkind: challenge\nauthor: sam\ndate: 2026-11-21\ncreated: 2026-11-21T21:00:00Z\n" + tc.front + "---\n"
			var err error
			if e, err = Parse("x.md", []byte(src)); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		back, err := Parse("x.md", e.Render())
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n, em, ph := back.ChallengeMarks()
		if n != tc.n || em != tc.em || ph != tc.ph {
			t.Errorf("%s: ChallengeMarks = %d %v %v, want %d %v %v", tc.name, n, em, ph, tc.n, tc.em, tc.ph)
		}
	}
}
