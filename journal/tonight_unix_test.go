//go:build unix

package journal

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStoreTonightOnlyRegularFiles: what tonight reads in the journal is
// its own regular files. A symbolic link (to a date outside the journal,
// to /dev/zero), a FIFO (whose open would wait for a writer forever) or a
// file too large to be a date is left out, and the nudge says the rest.
func TestStoreTonightOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	s := Store{Root: dir}
	day := newsDay
	mineYesterday := newsEntry(KindCheckin, "sam", 1, 21, "a run")
	mineYesterday.Path = PathFor(mineYesterday, nil)
	if err := s.Write(mineYesterday); err != nil {
		t.Fatal(err)
	}
	plan := NewDatePlan("Dinner", "alex", day.AddDays(-3), time.Now(), day)
	plan.Path = PathFor(plan, nil)
	if err := s.Write(plan); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside.md")
	other := NewDatePlan("Outside the journal", "alex", day.AddDays(-3), time.Now(), day)
	other.Path = "dates/outside.md"
	if err := os.WriteFile(outside, other.Render(), 0o600); err != nil {
		t.Fatal(err)
	}
	reply := replyTo("alex", 0, 20, mineYesterday, "Sounds lovely")
	reply.Path = PathFor(reply, nil)
	outsideReply := filepath.Join(t.TempDir(), "reply.md")
	if err := os.WriteFile(outsideReply, reply.Render(), 0o600); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"dates/a-outside.md": outside,
		"dates/b-zero.md":    "/dev/zero",

		reply.Path: outsideReply,
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "dates", "c-fifo.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifoReply := strings.Replace(reply.Path, "-reply-alex-", "-reply-bob-", 1)
	if err := syscall.Mkfifo(filepath.Join(dir, filepath.FromSlash(fifoReply)), 0o600); err != nil {
		t.Fatal(err)
	}
	huge := append(plan.Render(), bytes.Repeat([]byte("x"), maxTonightFile)...)
	if err := os.WriteFile(filepath.Join(dir, "dates", "d-huge.md"), huge, 0o600); err != nil {
		t.Fatal(err)
	}

	done := make(chan Tonight, 1)
	go func() {
		got, err := s.Tonight(day, "sam", 7, noMark)
		if err != nil {
			t.Error(err)
		}
		done <- got
	}()
	select {
	case got := <-done:
		if len(got.Dates) != 1 || got.Dates[0].Path != plan.Path {
			t.Errorf("dates %v, want %s alone", got.Dates, plan.Path)
		}
		if len(got.Replies) != 0 {
			t.Errorf("replies %v, want none (the one there is a link)", got.Replies)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Tonight still reading after 10s: it opened a FIFO or /dev/zero")
	}
}
