package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// versionLog is what VersionsSince reported, one line a version:
// "path=content" with " added" for an addition.
func versionLog(t *testing.T, r *Repo, from plumbing.Hash, want func(string) bool) ([]string, plumbing.Hash) {
	t.Helper()
	var out []string
	head, err := r.VersionsSince(context.Background(), from, want, func(v FileVersion) error {
		line := v.Path + "=" + string(v.Data)
		if v.Added {
			line += " added"
		}
		out = append(out, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, head
}

// The versions of the files a history made, parents first, across two
// partners' clones and their merge; from a commit on, only what is new.
func TestVersionsSince(t *testing.T) {
	_, cs := rsNewRemote(t, "sam", "alex")
	sam, alex := cs[0], cs[1]
	const a, b = "2026/11/2026-11-21-answer-sam.md", "2026/11/2026-11-21-answer-alex.md"
	answers := func(p string) bool { return strings.Contains(p, "-answer-") }

	sam.write(a, "sealed")
	first := sam.sync().Head
	alex.sync()
	alex.write(b, "cooking")
	sam.write(a, "revealed")
	alex.sync()
	sam.sync() // merges Alex's answer with Sam's reveal
	sam.remove(a)
	sam.write(a, "again")
	sam.sync()

	got, head := versionLog(t, sam.r, plumbing.ZeroHash, answers)
	// The merge holds each answer differently from one of its parents:
	// both are reported again for it, neither as an addition.
	want := []string{a + "=sealed added", a + "=revealed", b + "=cooking added", b + "=cooking", a + "=revealed", a + "=again added"}
	sorted := slices.Sorted(slices.Values(got))
	if !slices.Equal(sorted, slices.Sorted(slices.Values(want))) ||
		got[0] != a+"=sealed added" && got[1] != a+"=sealed added" || got[len(got)-1] != a+"=again added" ||
		slices.Index(got, a+"=sealed added") > slices.Index(got, a+"=revealed") {
		t.Errorf("versions:\n%s\nwant, parents first:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h, _ := sam.r.Head(); head != h {
		t.Errorf("walked down from %v, want main %v", head, h)
	}
	if again, _ := versionLog(t, sam.r, head, answers); len(again) != 0 {
		t.Errorf("nothing new since main, got %q", again)
	}
	since, _ := versionLog(t, sam.r, first, answers)
	if slices.Contains(since, a+"=sealed added") || !slices.Contains(since, a+"=again added") {
		t.Errorf("since the first sync: %q", since)
	}
	if all, _ := versionLog(t, sam.r, plumbing.ZeroHash, func(string) bool { return true }); !slices.Contains(all, "README.md=# Our journal\n added") {
		t.Errorf("every file: %q", all)
	}

	_, err := sam.r.VersionsSince(context.Background(), plumbing.NewHash(strings.Repeat("ab", 20)), answers, func(FileVersion) error { return nil })
	if !errors.Is(err, ErrUnknownCommit) {
		t.Errorf("from a commit the repository does not hold: %v, want ErrUnknownCommit", err)
	}
}

func TestChangedSince(t *testing.T) {
	_, cs := rsNewRemote(t, "sam")
	sam := cs[0]
	start, _ := sam.r.Head()
	for i := range 3 {
		sam.write(fmt.Sprintf("2026/11/2026-11-2%d-checkin-sam.md", i), "x")
	}
	mid, _ := sam.r.Head()
	sam.write("2026/11/2026-11-20-checkin-sam.md", "y")
	sam.remove("2026/11/2026-11-21-checkin-sam.md")
	sam.write("bucket/tea.md", "z")

	for _, tt := range []struct {
		from plumbing.Hash
		want []string
	}{
		{start, []string{"2026/11/2026-11-20-checkin-sam.md", "2026/11/2026-11-22-checkin-sam.md", "bucket/tea.md"}},
		{mid, []string{"2026/11/2026-11-20-checkin-sam.md", "2026/11/2026-11-21-checkin-sam.md", "bucket/tea.md"}},
	} {
		got, err := sam.r.ChangedSince(context.Background(), tt.from)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ChangedSince(%v) = %q, %v; want %q", tt.from, got, err, tt.want)
		}
	}
	head, _ := sam.r.Head()
	if got, err := sam.r.ChangedSince(context.Background(), head); err != nil || len(got) != 0 {
		t.Errorf("ChangedSince(main) = %q, %v; want nothing", got, err)
	}
	if _, err := sam.r.ChangedSince(context.Background(), plumbing.NewHash(strings.Repeat("ab", 20))); !errors.Is(err, ErrUnknownCommit) {
		t.Errorf("ChangedSince(unknown) = %v, want ErrUnknownCommit", err)
	}
}
