package keys

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

func TestParseLifetime(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"3d", 72 * time.Hour, ""},
		{" 1W ", 7 * 24 * time.Hour, ""},
		{"12h", 12 * time.Hour, ""},
		{"30d", MaxLifetime, ""},
		{"4w", 28 * 24 * time.Hour, ""},
		{"31d", 0, "at most 30 days"},
		{"5w", 0, "at most 30 days"},
		{"721h", 0, "at most 30 days"},
		{"0d", 0, "3d, 1w or 12h"},
		{"-1d", 0, "3d, 1w or 12h"},
		{"+1d", 0, "3d, 1w or 12h"},
		{"d", 0, "3d, 1w or 12h"},
		{"", 0, "3d, 1w or 12h"},
		{"3", 0, "3d, 1w or 12h"},
		{"3m", 0, "3d, 1w or 12h"},
		{"1.5d", 0, "3d, 1w or 12h"},
		{"99999999999999999999d", 0, "3d, 1w or 12h"},
	} {
		got, err := ParseLifetime(tc.in)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("ParseLifetime(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			continue
		}
		if !errors.Is(err, ErrBadLifetime) || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseLifetime(%q) = %v, %v; want an error saying %q", tc.in, got, err, tc.err)
		}
	}
}

// The expiry travels inside the encrypted bundle and comes back; a join
// after it is refused; a bundle made without one never expires.
func TestInviteExpiry(t *testing.T) {
	joiner, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	made := time.Date(2026, 11, 21, 21, 14, 3, 0, paris)
	expires := made.Add(DefaultLifetime)
	data, err := SealUntil(joiner, "abcdefghijklmnop", expires)
	if err != nil {
		t.Fatal(err)
	}
	b, err := OpenBundle(data, "abcdefghijklmnop")
	if err != nil || b.Identity.String() != joiner.String() || !b.Expires.Equal(expires) {
		t.Fatalf("OpenBundle: %+v %v", b, err)
	}
	if id, err := Open(data, "abcdefghijklmnop"); err != nil || id.String() != joiner.String() {
		t.Fatalf("Open of a bundle with an expiry: %v", err)
	}
	for _, tc := range []struct {
		now     time.Time
		expired bool
	}{
		{made, false},
		{expires.Add(-time.Second), false},
		{expires, true},
		{expires.Add(time.Hour), true},
	} {
		err := b.Check(tc.now)
		if tc.expired != errors.Is(err, ErrExpired) {
			t.Errorf("Check(%v) = %v", tc.now, err)
		}
		if tc.expired && !strings.Contains(err.Error(), "expired on Sat 28 Nov 2026 21:14") {
			t.Errorf("Check(%v) = %q, want the day it expired", tc.now, err)
		}
	}
	old, err := Seal(joiner, "abcdefghijklmnop")
	if err != nil {
		t.Fatal(err)
	}
	ob, err := OpenBundle(old, "abcdefghijklmnop")
	if err != nil || !ob.Expires.IsZero() || ob.Check(made.AddDate(10, 0, 0)) != nil {
		t.Fatalf("a bundle without an expiry: %+v %v", ob, err)
	}
}

func TestMadeExpired(t *testing.T) {
	now := time.Date(2026, 11, 21, 21, 0, 0, 0, time.UTC)
	made := []Made{
		{ID: "a", Expires: now.Add(-time.Hour)},
		{ID: "b", Expires: now.Add(time.Hour)},
		{ID: "c", Expires: now},
	}
	expired, live := Expired(made, now)
	if strings.Join(expired, ",") != "a,c" || len(live) != 1 || live[0].ID != "b" {
		t.Fatalf("Expired = %v, %v", expired, live)
	}
	path := filepath.Join(t.TempDir(), "invites.json")
	if got := LoadMade(path); got != nil {
		t.Fatalf("LoadMade of nothing: %v", got)
	}
	if err := SaveMade(path, made); err != nil {
		t.Fatal(err)
	}
	back := LoadMade(path)
	if len(back) != 3 || back[0].ID != "a" || back[1].ID != "c" || back[2].ID != "b" || !back[2].Expires.Equal(made[1].Expires) {
		t.Fatalf("LoadMade(SaveMade) = %v", back)
	}
	if err := SaveMade(path, nil); err != nil {
		t.Fatal(err)
	}
	if got := LoadMade(path); got != nil {
		t.Fatalf("after saving none: %v", got)
	}
	if err := SaveMade(path, nil); err != nil {
		t.Fatalf("saving none twice: %v", err)
	}
}

func TestRemove(t *testing.T) {
	for _, tc := range []struct{ rs, gone, want []string }{
		{[]string{"a", "b", "c"}, []string{"b"}, []string{"a", "c"}},
		{[]string{"a", "b"}, []string{"x"}, []string{"a", "b"}},
		{[]string{"a", "b"}, []string{"a", "b"}, nil},
		{nil, []string{"a"}, nil},
	} {
		if got := Remove(tc.rs, tc.gone); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("Remove(%v, %v) = %v, want %v", tc.rs, tc.gone, got, tc.want)
		}
	}
}
