package journal

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func TestKinds(t *testing.T) {
	kinds := Kinds()
	seen := map[Kind]bool{}
	for _, k := range kinds {
		if seen[k.Kind] {
			t.Errorf("kind %s listed twice", k.Kind)
		}
		seen[k.Kind] = true
		if k.Description == "" || strings.Contains(k.Description, "\n") {
			t.Errorf("kind %s: description %q, want one line", k.Kind, k.Description)
		}
		if (k.Placement == SharedItem) != (k.Folder != "") {
			t.Errorf("kind %s: placement %s with folder %q", k.Kind, k.Placement, k.Folder)
		}
	}
	for _, k := range []Kind{KindCheckin, KindThanks, KindBucket} {
		if !seen[k] {
			t.Errorf("kind %s missing from the table", k)
		}
	}
	info, _ := LookupKind(KindCheckin)
	if strings.Join(info.Sections, ",") != "Rose,Bud,Thorn" {
		t.Errorf("checkin sections %v", info.Sections)
	}
	kinds[0].Sections[0] = "changed"
	if info, _ := LookupKind(KindCheckin); info.Sections[0] != "Rose" {
		t.Error("Kinds returned the table itself")
	}
}

func TestParseKind(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Kind
		err  string
	}{
		{"checkin", KindCheckin, ""},
		{" Thanks ", KindThanks, ""},
		{"BUCKET", KindBucket, ""},
		{"diary", "", `unknown kind "diary": want one of checkin, thanks, bucket, answer, challenge, challenge-start, reply, union, win, date, together, begin, skip`},
		{"", "", `unknown kind "": want one of checkin, thanks, bucket, answer, challenge, challenge-start, reply, union, win, date, together, begin, skip`},
	} {
		got, err := ParseKind(tc.in)
		if got != tc.want {
			t.Errorf("ParseKind(%q) = %q", tc.in, got)
		}
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("ParseKind(%q): %v", tc.in, err)
		case tc.err != "" && (err == nil || err.Error() != tc.err || !errors.Is(err, ErrUnknownKind)):
			t.Errorf("ParseKind(%q) error %v, want %q wrapping ErrUnknownKind", tc.in, err, tc.err)
		}
	}
}

func TestPathFor(t *testing.T) {
	day := civil.Date{Year: 2026, Month: 11, Day: 21}
	evening := time.Date(2026, 11, 21, 21, 14, 3, 0, time.FixedZone("CET", 3600))
	bucket := func(title string) *Entry { return NewBucketItem(title, "sam", day, evening) }
	taken := func(paths ...string) func(string) bool {
		return func(p string) bool {
			for _, q := range paths {
				if p == q {
					return true
				}
			}
			return false
		}
	}
	long := strings.Repeat("word ", 20)
	for _, tc := range []struct {
		name   string
		e      *Entry
		exists func(string) bool
		want   string
	}{
		{"checkin", New(KindCheckin, "sam", day, evening), nil, "2026/11/2026-11-21-checkin-sam.md"},
		{"checkin exists: same path", New(KindCheckin, "sam", day, evening), taken("2026/11/2026-11-21-checkin-sam.md"), "2026/11/2026-11-21-checkin-sam.md"},
		{"checkin january", New(KindCheckin, "alex", civil.Date{Year: 2027, Month: 1, Day: 5}, evening), nil, "2027/01/2027-01-05-checkin-alex.md"},
		{"thanks", New(KindThanks, "sam", day, evening), nil, "2026/11/2026-11-21-thanks-sam-211403.md"},
		{"thanks uses the author's clock", New(KindThanks, "sam", day, evening.UTC()), nil, "2026/11/2026-11-21-thanks-sam-201403.md"},
		{"thanks clash", New(KindThanks, "sam", day, evening),
			taken("2026/11/2026-11-21-thanks-sam-211403.md", "2026/11/2026-11-21-thanks-sam-211403-2.md"),
			"2026/11/2026-11-21-thanks-sam-211403-3.md"},
		{"unknown kind never replaces", New("poem", "sam", day, evening), taken("2026/11/2026-11-21-poem-sam-211403.md"), "2026/11/2026-11-21-poem-sam-211403-2.md"},
		{"bucket", bucket("Try the new ramen place!"), nil, "bucket/try-the-new-ramen-place.md"},
		{"bucket clash", bucket("Ramen"), taken("bucket/ramen.md"), "bucket/ramen-2.md"},
		{"bucket no usable title", bucket("?!"), nil, "bucket/item.md"},
		{"bucket long title", bucket(long), nil, "bucket/" + strings.TrimSuffix(strings.Repeat("word-", 12), "-") + ".md"},
		{"bucket long title clash", bucket(strings.Repeat("a", 80)), taken("bucket/" + strings.Repeat("a", 60) + ".md"), "bucket/" + strings.Repeat("a", 58) + "-2.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PathFor(tc.e, tc.exists); got != tc.want {
				t.Errorf("PathFor = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Try the new ramen place", "try-the-new-ramen-place"},
		{"  --Café crème à Paris--  ", "cafe-creme-a-paris"},
		{"Straße & Smørrebrød", "strasse-smorrebrod"},
		{"Łódź 2027", "lodz-2027"},
		{"東京", "item"},
		{"", "item"},
		{"a_b.c/d", "a-b-c-d"},
		{strings.Repeat("x", 70), strings.Repeat("x", 60)},
		{strings.Repeat("abcdefghi ", 7), strings.TrimSuffix(strings.Repeat("abcdefghi-", 6), "-")},
	} {
		got := Slug(tc.in)
		if got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(got) > 60 || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") {
			t.Errorf("Slug(%q) = %q is not a clean slug", tc.in, got)
		}
	}
}

// TestFoldRuneKeepsTheTable: the accented letters slugs folded by a table
// before norm.NFD did it fold as they did, and a few more now fold too.
func TestFoldRuneKeepsTheTable(t *testing.T) {
	from := []rune("àáâãäåāăąçćčďèéêëēėęěğìíîïīįıķĺļľłñńņňòóôõöøōőŕřśşšșţťțùúûüūůűųýÿźżž")
	to := "aaaaaaaaacccdeeeeeeeegiiiiiiikllllnnnnoooooooorrsssstttuuuuuuuuyyzzz"
	for i, r := range from {
		if got := foldRune(r); got != to[i:i+1] {
			t.Errorf("foldRune(%q) = %q, want %q", r, got, to[i:i+1])
		}
	}
	for r, want := range map[rune]string{'ǎ': "a", 'ẽ': "e", 'ŵ': "w", 'ß': "ss", 'þ': "th", '\u0307': "", 'ﬁ': "", '²': "", '東': "", 'é': "e"} {
		if got := foldRune(r); got != want {
			t.Errorf("foldRune(%q) = %q, want %q", r, got, want)
		}
	}
}

func TestValidAuthor(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"sam", true},
		{"alex-2", true},
		{strings.Repeat("a", 32), true},
		{strings.Repeat("a", 33), false},
		{"", false},
		{"Sam", false},
		{"sam smith", false},
		{"søren", false},
		{"sam_s", false},
		{"-sam", false},
		{"-", false},
		{"--", false},
		{"sam-", true},
		{"s-a-m", true},
	} {
		err := ValidAuthor(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("ValidAuthor(%q) = %v", tc.in, err)
		}
		if err != nil && (!errors.Is(err, ErrBadAuthor) || !strings.Contains(err.Error(), `"`+tc.in+`"`)) {
			t.Errorf("ValidAuthor(%q) error %q should wrap ErrBadAuthor and name the value", tc.in, err)
		}
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		is   error
		msg  string
	}{
		{"  hello\r\nworld \n\n", "hello\nworld", nil, ""},
		{"tab\tok", "tab\tok", nil, ""},
		{" \r\n\t ", "", ErrEmptyText, "empty text"},
		{"", "", ErrEmptyText, ""},
		{"line one\nbad\x00byte", "", ErrControlChar, "control character in text U+0000 at line 2, column 4"},
		{"bell\a", "", ErrControlChar, "control character in text U+0007 at line 1, column 5"},
		{"lone\rcr", "", ErrControlChar, ""},
		{"c1 \u0085 control", "", ErrControlChar, ""},
		{"bad \xff utf8", "", ErrInvalidUTF8, ""},
		{"émoji 🌹 fine", "émoji 🌹 fine", nil, ""},
	} {
		got, err := CleanText(tc.in)
		if got != tc.want || (tc.is == nil) != (err == nil) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("CleanText(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.is)
		}
		if tc.msg != "" && (err == nil || err.Error() != tc.msg) {
			t.Errorf("CleanText(%q) error %v, want %q", tc.in, err, tc.msg)
		}
	}
}

func TestDescribeFolder(t *testing.T) {
	for _, tc := range []struct{ rel, want string }{
		{"2026/10", "the folder for October 2026"},
		{"2026/01", "the folder for January 2026"},
		{"2026", "the folder for 2026"},
		{"bucket", "the folder for bucket-list items"},
		{"dates", "the folder for planned dates"},
		{"2026/13", "a folder"},
		{"2026/1", "a folder"},
		{"2026/10/x", "a folder"},
		{"notes", "a folder"},
		{"", "a folder"},
	} {
		if got := DescribeFolder(tc.rel); got != tc.want {
			t.Errorf("DescribeFolder(%q) = %q, want %q", tc.rel, got, tc.want)
		}
	}
}

func TestAuthorName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sam", "sam"},
		{"Alex Doe", "alex-doe"},
		{"José Núñez", "jose-nunez"},
		{"  --  ", ""},
		{"", ""},
		{"Plain Git", "plain-git"},
		{strings.Repeat("abcd ", 10), "abcd-abcd-abcd-abcd-abcd-abcd"},
	}
	for _, tt := range tests {
		got := AuthorName(tt.in)
		if got != tt.want {
			t.Errorf("AuthorName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && ValidAuthor(got) != nil {
			t.Errorf("AuthorName(%q) = %q: not a valid author", tt.in, got)
		}
	}
}

func TestWrittenBy(t *testing.T) {
	tests := []struct{ data, want string }{
		{"---\nkind: checkin\nauthor: sam\n---\n", "sam"},
		{"---\nauthor: \"Kim Lee\" # who\n---\n", "kim-lee"},
		{"---\r\nauthor: Kim\r\n---\r\n", "kim"},
		{"---\ntitle: x\n---\nauthor: not front matter\n", ""},
		{"no front matter", ""},
		{"---\nauthor: ---\n---\n", ""},
		{"---\nauthor: [a, b]\n---\n", ""},
	}
	for _, tt := range tests {
		if got := WrittenBy("x.md", []byte(tt.data)); got != tt.want {
			t.Errorf("WrittenBy(%q) = %q, want %q", tt.data, got, tt.want)
		}
	}
}
