package gitpath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing/filemode"
)

func TestCheck(t *testing.T) {
	const (
		ok      = 0
		bad     = 1
		outside = 2
	)
	long := strings.Repeat("a", MaxName)
	tests := []struct {
		path string
		mode filemode.FileMode
		want int
	}{
		// What a journal holds.
		{"README.md", filemode.Regular, ok},
		{"2026/11/2026-11-21-checkin-sam.md", filemode.Regular, ok},
		{"bucket/try-the-new-ramen-place.md", filemode.Regular, ok},
		{"2026/10.conflict-alex-abc1234", filemode.Regular, ok},
		{"bin/run", filemode.Executable, ok},
		{"2026", filemode.Dir, ok},
		{"notes/Café crème.md", filemode.Regular, ok},
		{"notes/日記.md", filemode.Regular, ok},
		{".gitignore", filemode.Regular, ok},
		{".github/x", filemode.Regular, ok},
		{".gitx", filemode.Regular, ok},
		{"git", filemode.Regular, ok},
		{"git~", filemode.Regular, ok},
		{"git~1.md", filemode.Regular, ok},
		{"a.git", filemode.Regular, ok},
		{"...", filemode.Regular, ok},
		{"notes: june.md", filemode.Regular, ok}, // only a letter and a colon at the start is a drive
		{long, filemode.Regular, ok},
		{"x/" + long + "/" + long, filemode.Regular, ok},

		// Where it lands.
		{"", filemode.Regular, outside},
		{"/etc/passwd", filemode.Regular, outside},
		{"C:/Windows/x", filemode.Regular, outside},
		{"c:x", filemode.Regular, outside},
		{`a\..\..\x`, filemode.Regular, outside},
		{`x\y`, filemode.Regular, outside},
		{"a//b", filemode.Regular, outside},
		{"a/", filemode.Regular, outside},
		{".", filemode.Dir, outside},
		{"..", filemode.Dir, outside},
		{"../PWNED.txt", filemode.Regular, outside},
		{"a/../../b", filemode.Regular, outside},
		{"a/./b", filemode.Regular, outside},
		{".git", filemode.Dir, outside},
		{".git/config", filemode.Regular, outside},
		{"x/.git/hooks/post-checkout", filemode.Executable, outside},
		{".GIT/config", filemode.Regular, outside},
		{".Git", filemode.Regular, outside},
		{".git.", filemode.Regular, outside},
		{".git. . .", filemode.Regular, outside},
		{".git ", filemode.Regular, outside},
		{".git::$INDEX_ALLOCATION/config", filemode.Regular, outside},
		{".git:stream", filemode.Regular, outside},
		{"git~1/config", filemode.Regular, outside},
		{"GIT~1", filemode.Regular, outside},
		{"Git~12", filemode.Regular, outside},
		{".g\u200cit/config", filemode.Regular, outside},
		{"\u200d.git", filemode.Regular, outside},
		{".git\ufeff", filemode.Regular, outside},
		{".gi\u202et", filemode.Regular, outside},
		{".g\u00adit", filemode.Regular, outside},
		{".gi\ufe0ft", filemode.Regular, outside},
		{"\u206a.G\u200bI\u2060T\u200f.", filemode.Regular, outside},
		{"../x\x1b", filemode.Symlink, outside}, // where it lands comes first

		// What it is.
		{strings.Repeat("a", MaxName+1), filemode.Regular, bad},
		{"2026/" + strings.Repeat("é", 150) + ".md", filemode.Regular, bad},
		{strings.Repeat("a/", MaxPath/2) + "b", filemode.Regular, bad},
		{"esc\x1b[2Jx", filemode.Regular, bad},
		{"new\nline.md", filemode.Regular, bad},
		{"tab\t.md", filemode.Regular, bad},
		{"del\x7f.md", filemode.Regular, bad},
		{"c1\u009b31m.md", filemode.Regular, bad},
		{"nul\x00.md", filemode.Regular, bad},
		{"bad\xff.md", filemode.Regular, bad},
		{"half\xc3.md", filemode.Regular, bad},
		{"link", filemode.Symlink, bad},
		{"2026/11/e.md", filemode.Symlink, bad},
		{"mod", filemode.Submodule, bad},
		{"odd", filemode.FileMode(0o100600), bad},
		{"old/file", filemode.Deprecated, bad},
		{"empty", filemode.Empty, bad},
		{"dir", filemode.FileMode(0o40755), bad},
	}
	for _, tt := range tests {
		err := Check(tt.path, tt.mode)
		got := ok
		if err != nil {
			got = bad
			if errors.Is(err, ErrOutside) {
				got = outside
			}
			if !errors.Is(err, ErrBadPath) {
				t.Errorf("Check(%q, %o) = %v, which is not ErrBadPath", tt.path, uint32(tt.mode), err)
			}
			var e *Error
			if !errors.As(err, &e) || e.Path != tt.path || e.Reason == "" {
				t.Errorf("Check(%q, %o) = %#v, want an *Error naming the path and why", tt.path, uint32(tt.mode), err)
			}
		}
		if got != tt.want {
			t.Errorf("Check(%q, %o) = %v; want %s", tt.path, uint32(tt.mode), err, [...]string{"ok", "bad", "outside"}[tt.want])
		}
	}
}

func TestJoin(t *testing.T) {
	tests := []struct {
		dir, name string
		want      string
		err       error
	}{
		{"", "README.md", "README.md", nil},
		{"2026/11", "e.md", "2026/11/e.md", nil},
		{"2026", "a/b", "2026/a/b", ErrBadPath},
		{"", "../x", "../x", ErrOutside},
		{"", "", "", ErrOutside},
		{"x", "", "x/", ErrOutside},
		{"x", "..", "x/..", ErrOutside},
		{"x", ".git", "x/.git", ErrOutside},
	}
	for _, tt := range tests {
		got, err := Join(tt.dir, tt.name, filemode.Regular)
		if got != tt.want || (tt.err == nil) != (err == nil) || (tt.err != nil && !errors.Is(err, tt.err)) {
			t.Errorf("Join(%q, %q) = %q, %v; want %q, %v", tt.dir, tt.name, got, err, tt.want, tt.err)
		}
	}
	if _, err := Join("", "a/b", filemode.Regular); errors.Is(err, ErrOutside) {
		t.Errorf("Join(a/b) = %v; a slash in a name is bad, not outside", err)
	}
}

// FuzzCheck: whatever Check accepts stays inside the folder it is joined
// onto, has no component a file system reads as .git, no control
// characters, and no name longer than MaxName bytes; and Check never
// panics.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"README.md", "2026/11/2026-11-21-checkin-sam.md", "..", "../x", ".git/config", ".GIT",
		".git.", ".git ", "git~1", ".g\u200cit", "\u200d.git\ufeff", "a//b", "/abs", `a\b`, "C:x",
		"esc\x1b[2J", "new\nline", strings.Repeat("a", 300), "bad\xff", "日記/é.md", ".git::$DATA",
		"a/./b", ".", "", "x/.git/hooks", "...", ". .", "git~12",
	} {
		f.Add(s, uint32(filemode.Regular))
	}
	f.Add("2026", uint32(filemode.Dir))
	f.Add("link", uint32(filemode.Symlink))
	f.Add("mod", uint32(filemode.Submodule))
	root := filepath.Join(os.TempDir(), "journal")
	f.Fuzz(func(t *testing.T, p string, mode uint32) {
		if plain(p) {
			if err := check(p, filemode.Regular); err != nil {
				t.Fatalf("the quick way lets in %q, which the rules refuse: %v", p, err)
			}
		}
		err := Check(p, filemode.FileMode(mode))
		if err != nil {
			if !errors.Is(err, ErrBadPath) {
				t.Fatalf("Check(%q) = %v, not ErrBadPath", p, err)
			}
			return
		}
		switch filemode.FileMode(mode) {
		case filemode.Regular, filemode.Executable, filemode.Dir:
		default:
			t.Fatalf("Check(%q, %o) accepted the mode", p, mode)
		}
		full := filepath.Join(root, filepath.FromSlash(p))
		rel, rerr := filepath.Rel(root, full)
		if rerr != nil || !filepath.IsLocal(rel) || rel == "." {
			t.Fatalf("Check accepted %q, which lands at %q, outside %q", p, full, root)
		}
		if !strings.HasPrefix(full, root+string(filepath.Separator)) {
			t.Fatalf("Check accepted %q, which lands at %q, outside %q", p, full, root)
		}
		if filepath.ToSlash(rel) != p {
			t.Fatalf("Check accepted %q, which the file system reads as %q", p, rel)
		}
		if !utf8.ValidString(p) {
			t.Fatalf("Check accepted %q, not UTF-8", p)
		}
		for c := range strings.SplitSeq(p, "/") {
			if len(c) > MaxName {
				t.Fatalf("Check accepted %q, with a name of %d bytes", p, len(c))
			}
			for _, r := range c {
				if unicode.IsControl(r) || r == 0x7f {
					t.Fatalf("Check accepted %q, with control character %U", p, r)
				}
			}
			if readsAsDotGit(c) {
				t.Fatalf("Check accepted %q: %q reads as .git", p, c)
			}
		}
	})
}

// readsAsDotGit is the property's own idea of a .git alias, written apart
// from the gate: drop every rune that is not a letter, digit, mark,
// punctuation, symbol or plain space (all invisible ones go), cut an NTFS
// stream, trailing dots and spaces, lower-case, compare.
func readsAsDotGit(c string) bool {
	var b strings.Builder
	for _, r := range c {
		if r == ' ' || unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) ||
			unicode.In(r, unicode.M) && !unicode.Is(unicode.Variation_Selector, r) && r != 0x034f {
			b.WriteRune(r)
		}
	}
	s := strings.ToLower(b.String())
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, ". ")
	if s == ".git" {
		return true
	}
	if rest, ok := strings.CutPrefix(s, "git~"); ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
		return true
	}
	return false
}
