package cmd

import (
	"os"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/reconnect-app/reconnect/internal/civil"

	"github.com/reconnect-app/reconnect/internal/keys"
	"github.com/reconnect-app/reconnect/journal"
)

// The key an invitation carries was made on the inviter's machine, and its
// code was shown there: answers sealed to it would be open to the partner
// before they answer. Answers are sealed to a key made here, 0600.
func TestSealKeyIsNeverTheInvitationKey(t *testing.T) {
	dir := t.TempDir()
	invited, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Save(dir, invited); err != nil { // as join --invite does
		t.Fatal(err)
	}
	id, err := sealKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if id.String() == invited.String() {
		t.Fatal("answers are sealed to the key the invitation carried: the inviter can open them")
	}
	fi, err := os.Stat(keys.AnswerPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("the answer key's mode is %v, want 0600", fi.Mode().Perm())
	}
	again, err := sealKey(dir)
	if err != nil || again.String() != id.String() {
		t.Fatalf("sealKey again = %v, %v: want the same key", again, err)
	}

	// An answer sealed before there was an answer key (to the remote's
	// key) still opens, and one sealed now opens too.
	for _, r := range []age.Recipient{invited.Recipient(), id.Recipient()} {
		e := journal.New(journal.KindAnswer, "sam", civil.Date{Year: 2026, Month: 11, Day: 21}, time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
		e.SetSection("", "The walk after dinner")
		if err := journal.SealAnswer(e, r); err != nil {
			t.Fatal(err)
		}
		if text, ok := openSealed(dir, e); !ok || text != "The walk after dinner" {
			t.Errorf("openSealed = %q, %v", text, ok)
		}
	}
}
