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
