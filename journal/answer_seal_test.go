package journal

import (
	"errors"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/reconnect-app/reconnect/internal/civil"
)

func sealedFixture(t *testing.T, id *age.X25519Identity, text string) *Entry {
	t.Helper()
	day := civil.Date{Year: 2027, Month: 11, Day: 21}
	e := NewAnswer("sam", day, time.Date(2027, 11, 21, 20, 0, 0, 0, time.UTC), 3, "Best part of your day?", text)
	e.Path = PathFor(e, nil)
	if err := SealAnswer(e, id.Recipient()); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSealedAnswer(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()
	const text = "The walk after dinner"
	tests := []struct {
		name   string
		change func(e *Entry)      // after sealing
		key    *age.X25519Identity // to open with
		want   error               // from OpenAnswer
	}{
		{"opened by its author", func(*Entry) {}, id, nil},
		{"another key cannot open it", func(*Entry) {}, other, errAny},
		{"a tampered commitment is found", func(e *Entry) { e.SetField(FieldCommit, Commitment("x", text)) }, id, ErrCommitMismatch},
		{"copied to another day it is refused (a replay)", func(e *Entry) {
			e.Date = e.Date.AddDays(1)
			e.Path = PathFor(e, nil)
		}, id, ErrSealedElsewhere},
		{"a tampered ciphertext is refused", func(e *Entry) {
			b, _ := e.Section("")
			e.SetSection("", strings.Replace(b, "\n", "\nAAAA", 2))
		}, id, errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sealedFixture(t, id, text)
			if !IsSealed(e) {
				t.Fatal("not sealed")
			}
			if strings.Contains(string(e.Render()), text) {
				t.Fatalf("the sealed file holds the text:\n%s", e.Render())
			}
			tt.change(e)
			got, _, err := OpenAnswer(e, tt.key)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("OpenAnswer: %v", err)
			case tt.want == nil && got != text:
				t.Fatalf("OpenAnswer = %q", got)
			case tt.want == errAny && err == nil:
				t.Fatal("OpenAnswer: no error")
			case tt.want != nil && tt.want != errAny && !errors.Is(err, tt.want):
				t.Fatalf("OpenAnswer: %v, want %v", err, tt.want)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestRevealedAnswer(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	const text = "The walk after dinner"
	tests := []struct {
		name   string
		change func(e *Entry)
		want   error
	}{
		{"as revealed", func(*Entry) {}, nil},
		{"the text changed", func(e *Entry) { e.SetSection("", "Something else") }, ErrCommitMismatch},
		{"the salt changed", func(e *Entry) { e.SetField(FieldSalt, "00") }, ErrCommitMismatch},
		{"the commitment changed", func(e *Entry) { e.SetField(FieldCommit, Commitment("", text)) }, ErrCommitMismatch},
		{"never sealed", func(e *Entry) { e.DeleteField(FieldCommit); e.DeleteField(FieldSalt) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sealedFixture(t, id, text)
			if err := RevealAnswer(e, id); err != nil {
				t.Fatal(err)
			}
			if IsSealed(e) {
				t.Fatal("still sealed")
			}
			if got, _ := e.Section(""); got != text {
				t.Fatalf("revealed text %q", got)
			}
			// Through the file format and back.
			back, err := Parse(e.Path, e.Render())
			if err != nil {
				t.Fatal(err)
			}
			tt.change(back)
			if err := CheckRevealed(back); !errors.Is(err, tt.want) {
				t.Fatalf("CheckRevealed: %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRevealDue(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	mine := sealedFixture(t, id, "x")
	day := mine.Date
	theirs := NewAnswer("alex", day, mine.Created, 3, "q", "y")
	otherDay := NewAnswer("alex", day.AddDays(1), mine.Created, 3, "q", "y")
	plain := NewAnswer("sam", day, mine.Created, 3, "q", "x")
	tests := []struct {
		name string
		mine *Entry
		day  []*Entry
		want bool
	}{
		{"alone", mine, []*Entry{mine}, false},
		{"partner answered", mine, []*Entry{mine, theirs}, true},
		{"partner answered another day", mine, []*Entry{mine, otherDay}, false},
		{"not sealed", plain, []*Entry{plain, theirs}, false},
	}
	for _, tt := range tests {
		if got := RevealDue(tt.mine, tt.day); got != tt.want {
			t.Errorf("%s: RevealDue = %v", tt.name, got)
		}
	}
}
