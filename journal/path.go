package journal

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// maxSlug is the longest a shared item's file name may be, without ".md".
const maxSlug = 60

// PathFor is where a new entry goes, slash-separated and relative to the
// journal root, following its kind's [Placement]:
//
//	checkin  2026/11/2026-11-21-checkin-sam.md
//	thanks   2026/11/2026-11-21-thanks-sam-211403.md  (-2, -3 on a clash)
//	bucket   bucket/try-the-new-ramen-place.md         (-2, -3 on a clash)
//
// The time of a many-per-day entry is Created's clock time in its own zone;
// a shared item's name is the [Slug] of its "title" field. exists reports
// whether a path is taken (nil: nothing is); a per-author-per-day entry has
// one path whatever exists says. An unknown kind is placed many per day, so
// it never replaces a file.
func PathFor(e *Entry, exists func(rel string) bool) string {
	if exists == nil {
		exists = func(string) bool { return false }
	}
	info, ok := lookupKind(e.Kind)
	if !ok {
		info = KindInfo{Kind: e.Kind, Placement: ManyPerDay}
	}
	switch info.Placement {
	case PerAuthorPerDay:
		return datedBase(e) + ".md"
	case SharedItem:
		title, _ := e.Field(FieldTitle)
		slug := Slug(title)
		if p := info.Folder + "/" + slug + ".md"; !exists(p) {
			return p
		}
		for n := 2; ; n++ {
			suffix := "-" + strconv.Itoa(n)
			base := strings.TrimRight(slug[:min(len(slug), maxSlug-len(suffix))], "-")
			if p := info.Folder + "/" + base + suffix + ".md"; !exists(p) {
				return p
			}
		}
	default:
		base := datedBase(e) + "-" + e.Created.Format("150405")
		if p := base + ".md"; !exists(p) {
			return p
		}
		for n := 2; ; n++ {
			if p := base + "-" + strconv.Itoa(n) + ".md"; !exists(p) {
				return p
			}
		}
	}
}

// datedBase is YYYY/MM/YYYY-MM-DD-<kind>-<author>.
func datedBase(e *Entry) string {
	return monthDir(e.Date) + "/" + e.Date.String() + "-" + string(e.Kind) + "-" + e.Author
}

// DescribeFolder names, for a message, what the folder rel (relative to
// the journal root) holds in the path scheme: "the folder for October
// 2026", "the folder for 2026", "the folder for bucket-list items"; "a
// folder" for any other.
func DescribeFolder(rel string) string {
	if y, m, ok := strings.Cut(rel, "/"); ok {
		year, okY := number(y, 4, 1, 9999)
		month, okM := number(m, 2, 1, 12)
		if okY && okM {
			return fmt.Sprintf("the folder for %s %d", time.Month(month), year)
		}
		return "a folder"
	}
	if year, ok := number(rel, 4, 1, 9999); ok {
		return fmt.Sprintf("the folder for %d", year)
	}
	for _, info := range kinds() {
		if info.Placement == SharedItem && info.Folder == rel {
			return "the folder for " + sharedNoun(info.Kind) + "s"
		}
	}
	return "a folder"
}

func monthDir(d civil.Date) string {
	return fmt.Sprintf("%04d/%02d", d.Year, int(d.Month))
}

// Slug is a file name made from a title: lower-case ASCII letters, digits
// and single hyphens, accents folded ("Café crème" -> "cafe-creme"), at most
// 60 characters (cut at a word where it can be). A title with nothing usable
// gives "item".
func Slug(title string) string {
	if s := slugMax(title, maxSlug); s != "" {
		return s
	}
	return "item"
}

// AuthorName is the author name a person's name gives (a commit's author
// name, an author: value written by hand): [Slug]'s rule cut to the 32
// characters [ValidAuthor] allows, or "" when nothing in name is usable.
// Sync names conflict copies with it and compares commit authors with it.
func AuthorName(name string) string { return slugMax(name, maxAuthor) }

// maxAuthor is the longest an author name may be ([ValidAuthor]).
const maxAuthor = 32

// slugMax is the rule of [Slug], at most max bytes long; "" when nothing
// in s is usable.
func slugMax(s string, max int) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(s) {
		f := foldRune(r)
		if f == "" {
			gap = b.Len() > 0
			continue
		}
		if gap {
			b.WriteByte('-')
			gap = false
		}
		b.WriteString(f)
	}
	out := b.String()
	if len(out) > max {
		out = out[:max]
		if i := strings.LastIndexByte(out, '-'); i >= max/2 {
			out = out[:i]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

// foldRune is what r (lower-case) is in a slug: itself for an ASCII letter
// or digit; the letter without its accents for an accented Latin letter
// (its canonical decomposition, [norm.NFD], is an ASCII letter and
// combining marks); a spelling for the few letters that have no
// decomposition; "" for anything else.
func foldRune(r rune) string {
	switch {
	case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		return string(r)
	case r < utf8.RuneSelf:
		return ""
	}
	switch r {
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ð', 'đ':
		return "d"
	case 'þ':
		return "th"
	case 'ı':
		return "i"
	case 'ł':
		return "l"
	case 'ø':
		return "o"
	}
	d := norm.NFD.String(string(r))
	base, n := utf8.DecodeRuneInString(d)
	if base < 'a' || base > 'z' || n == len(d) {
		return ""
	}
	for _, m := range d[n:] {
		if !unicode.Is(unicode.Mn, m) {
			return ""
		}
	}
	return string(base)
}

// ValidAuthor checks an author name: 1 to 32 lower-case ASCII letters,
// digits or hyphens, not starting with a hyphen (a name is typed after
// --author and read in file names, where "-x" reads as a flag). The error
// wraps [ErrBadAuthor] and names the value.
func ValidAuthor(s string) error {
	ok := len(s) >= 1 && len(s) <= maxAuthor && s[0] != '-'
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-'
	}
	if !ok {
		return fmt.Errorf("%w %q: want 1 to 32 lower-case letters, digits or hyphens, not starting with a hyphen", ErrBadAuthor, s)
	}
	return nil
}

// CleanText readies text a person typed for an entry: CRLF becomes LF and
// surrounding white space goes. It refuses empty text ([ErrEmptyText]), text
// that is not UTF-8 ([ErrInvalidUTF8]) and control characters other than
// newline and tab ([ErrControlChar], naming the line and column).
func CleanText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("text is %w", ErrInvalidUTF8)
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return "", ErrEmptyText
	}
	line, col := 1, 1
	for _, r := range s {
		switch {
		case r == '\n':
			line, col = line+1, 1
			continue
		case r != '\t' && unicode.IsControl(r):
			return "", fmt.Errorf("%w U+%04X at line %d, column %d", ErrControlChar, r, line, col)
		}
		col++
	}
	return s, nil
}
