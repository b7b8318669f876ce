//go:build unix

package journal

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestListLeavesLinksOut: a symbolic link among the entries, to a file
// outside the journal, is not read: it is a warning (not a regular file),
// and what it points to is never listed.
func TestListLeavesLinksOut(t *testing.T) {
	dir := t.TempDir()
	s := Store{Root: dir}
	e := New(KindCheckin, "sam", newsDay, time.Now())
	e.SetSection("", "mine")
	e.Path = PathFor(e, nil)
	if err := s.Write(e); err != nil {
		t.Fatal(err)
	}
	outside := New(KindCheckin, "alex", newsDay, time.Now())
	outside.SetSection("", "outside the journal")
	outside.Path = PathFor(outside, nil)
	target := filepath.Join(t.TempDir(), "outside.md")
	if err := os.WriteFile(target, outside.Render(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(outside.Path))); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second from the cache
		got, warnings, err := s.List(Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Path != e.Path {
			t.Errorf("listed %v, want %s alone", got, e.Path)
		}
		if len(warnings) != 1 {
			t.Errorf("warnings %v, want one for the link", warnings)
		}
	}
}
