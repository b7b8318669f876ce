package journal

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// A sealed answer (a commit–reveal): the answer to a day's question is
// written so that the partner cannot read it, by any tool, until they have
// answered that day too. Its file carries, besides the usual front matter,
// sealed: true and commit: the SHA-256 of a random salt and the text; its
// body is the age ciphertext (armored) of the salt and the text, encrypted
// to its author's own key only. Once the partner's answer for the day has
// arrived, the author's machine reveals it ([RevealAnswer]): the file
// becomes plain again, with the salt, and the commitment stays, so that
// the partner can check the text is the one that was sealed
// ([CheckRevealed]). The salt is inside the ciphertext, so the commitment
// cannot be checked against guesses of a short answer before the reveal.
const (
	FieldSealed = "sealed" // answer: true while the text is encrypted to its author
	FieldCommit = "commit" // answer: sha256 of the salt and the text, in hex
	FieldSalt   = "salt"   // answer: the salt of the commitment, once revealed
)

// maxSealed bounds what a sealed answer opens to: an answer is at most
// 1 MiB, its salt a line.
const maxSealed = 4 << 20

// ErrNotSealed: the answer is not sealed.
var ErrNotSealed = errors.New("the answer is not sealed")

// ErrSealedElsewhere: a sealed answer's file is not the day it was
// sealed for: its ciphertext was copied to another day (a replay, to have
// the author's computer reveal it where the partner has answered).
var ErrSealedElsewhere = errors.New("the sealed answer was sealed for another day")

// ErrCommitMismatch: a revealed (or opened) answer's text is not the one
// its commitment was made for.
var ErrCommitMismatch = errors.New("the answer does not match what was sealed")

// IsSealed reports whether e is a sealed answer.
func IsSealed(e *Entry) bool {
	v, _ := e.Field(FieldSealed)
	return e.Kind == KindAnswer && v == "true"
}

// Commitment is the commitment to text with salt: hex SHA-256 of the
// salt, a zero byte and the text.
func Commitment(salt, text string) string {
	h := sha256.New()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil))
}

// SealAnswer seals e's text to its author's key r: the text is replaced
// by its armored ciphertext, with sealed: true and the commitment set.
func SealAnswer(e *Entry, r age.Recipient) error {
	text, _ := e.Section("")
	var s [32]byte
	if _, err := rand.Read(s[:]); err != nil {
		return err
	}
	// The salt names the day, so that the ciphertext opens only there: a
	// copy to another day (where the partner has answered) is refused,
	// never revealed.
	salt := hex.EncodeToString(s[:]) + "@" + e.Date.String()
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return fmt.Errorf("seal the answer: %w", err)
	}
	if _, err := io.WriteString(w, salt+"\n"+text); err != nil {
		return fmt.Errorf("seal the answer: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("seal the answer: %w", err)
	}
	if err := aw.Close(); err != nil {
		return fmt.Errorf("seal the answer: %w", err)
	}
	e.SetBoolField(FieldSealed, true)
	e.SetField(FieldCommit, Commitment(salt, text))
	e.DeleteField(FieldSalt)
	e.SetSection("", strings.TrimSpace(buf.String()))
	return nil
}

// OpenAnswer decrypts a sealed answer with id (its author's key): its text
// and salt. A text that does not match the commitment is
// [ErrCommitMismatch].
func OpenAnswer(e *Entry, id age.Identity) (text, salt string, err error) {
	if !IsSealed(e) {
		return "", "", ErrNotSealed
	}
	body, _ := e.Section("")
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(body+"\n")), id)
	if err != nil {
		return "", "", fmt.Errorf("open the sealed answer %s: %w", e.Path, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSealed+1))
	if err != nil {
		return "", "", fmt.Errorf("open the sealed answer %s: %w", e.Path, err)
	}
	if len(b) > maxSealed {
		return "", "", fmt.Errorf("open the sealed answer %s: more than %d bytes", e.Path, maxSealed)
	}
	salt, text, ok := strings.Cut(string(b), "\n")
	if !ok {
		return "", "", fmt.Errorf("open the sealed answer %s: no salt", e.Path)
	}
	if !saltFits(salt, e) {
		return "", "", fmt.Errorf("open the sealed answer %s: %w", e.Path, ErrSealedElsewhere)
	}
	if c, _ := e.Field(FieldCommit); c != Commitment(salt, text) {
		return text, salt, ErrCommitMismatch
	}
	return text, salt, nil
}

// RevealAnswer makes a sealed answer plain: its text, the salt beside the
// commitment, sealed removed.
func RevealAnswer(e *Entry, id age.Identity) error {
	text, salt, err := OpenAnswer(e, id)
	if err != nil {
		return err
	}
	e.DeleteField(FieldSealed)
	e.SetField(FieldSalt, salt)
	e.SetSection("", text)
	return nil
}

// CheckRevealed checks a plain answer against its commitment, when it has
// one: a revealed answer whose text (or salt) was changed since it was
// sealed is [ErrCommitMismatch]. An answer never sealed has no commitment,
// and passes.
func CheckRevealed(e *Entry) error {
	c, ok := e.Field(FieldCommit)
	if !ok || IsSealed(e) {
		return nil
	}
	salt, _ := e.Field(FieldSalt)
	text, _ := e.Section("")
	if c != Commitment(salt, text) || !saltFits(salt, e) {
		return ErrCommitMismatch
	}
	return nil
}

// saltFits reports whether salt was made for e's day: it names it after
// an "@" (a salt made before salts named their day has none, and fits).
func saltFits(salt string, e *Entry) bool {
	i := strings.LastIndexByte(salt, '@')
	return i < 0 || salt[i+1:] == e.Date.String()
}

// RevealDue reports whether mine, a sealed answer of its author, is to be
// revealed given the day's answers: some other author has answered that
// day too (sealed or not).
func RevealDue(mine *Entry, dayAnswers []*Entry) bool {
	if !IsSealed(mine) {
		return false
	}
	for _, e := range dayAnswers {
		if e.Kind == KindAnswer && e.Date == mine.Date && e.Author != mine.Author && e.Author != "" {
			return true
		}
	}
	return false
}

// RevealCheck is what the check of a revealed answer against the
// commitment of its first sealed version found ([CheckReveal]).
type RevealCheck string

const (
	// RevealKept: the text is the one first sealed (or the answer is not
	// a revealed one: sealed still, or never sealed).
	RevealKept RevealCheck = ""
	// RevealEdited: the answer was revealed as first sealed, and its
	// author changed it since, through reconnect (a new seal, a new
	// commitment, revealed again): allowed, and shown as edited after
	// both answers were revealed.
	RevealEdited RevealCheck = "edited"
	// RevealChanged: anything else (the reveal itself changed the text,
	// the answer was sealed again before its reveal, a commitment was
	// recomputed in the file, the file was edited by hand): shown as not
	// matching what was sealed.
	RevealChanged RevealCheck = "changed"
)

// FieldReveal is set, on the copy of a partner's revealed answer a view
// shows (never in a file), to what its check found when it is not
// [RevealKept]: "edited" or "changed".
const FieldReveal = "reveal"

// AnswerHistory is what the journal's history says of one answer's file,
// folded from its versions oldest first ([AnswerHistory.Add]).
type AnswerHistory struct {
	// First is the commitment of the file's first sealed version ("":
	// none was sealed).
	First string `json:"first"`
	// Sealed is the commitment of every sealed version, First first.
	Sealed []string `json:"sealed,omitempty"`
	// Revealed: a reveal of First was committed.
	Revealed bool `json:"revealed,omitempty"`
}

// Add folds version e of the file into h, after those before it.
func (h *AnswerHistory) Add(e *Entry) {
	if e.Kind != KindAnswer {
		return
	}
	if IsSealed(e) {
		c, _ := e.Field(FieldCommit)
		if c == "" || slices.Contains(h.Sealed, c) {
			return
		}
		if h.First == "" {
			h.First = c
		}
		h.Sealed = append(h.Sealed, c)
		return
	}
	h.Revealed = h.Revealed || RevealsCommitment(e, h.First)
}

// RevealsCommitment reports whether e is a reveal of commit: plain, and
// its salt (made for its day) and text are what commit was made of.
func RevealsCommitment(e *Entry, commit string) bool {
	if e.Kind != KindAnswer || IsSealed(e) || commit == "" {
		return false
	}
	salt, ok := e.Field(FieldSalt)
	text, _ := e.Section("")
	return ok && saltFits(salt, e) && Commitment(salt, text) == commit
}

// CheckReveal checks e, a plain answer with a commitment, against h, the
// history of its file: the text must be the one its first sealed version
// was sealed with. The commitment e carries itself is believed only as
// the commitment of a later seal, so that an author who changes a
// revealed answer and recomputes the commitment in the file is caught.
//   - e reveals h.First: [RevealKept];
//   - e reveals its own commitment, a later seal in h, and h.First was
//     revealed before (the author changed the answer through reconnect
//     after both were revealed: sealed again, revealed again):
//     [RevealEdited];
//   - anything else: [RevealChanged].
//
// A history with no seal (the file never sealed in a commit) holds e to
// its own commitment, as [CheckRevealed] does.
func CheckReveal(e *Entry, h AnswerHistory) RevealCheck {
	own, ok := e.Field(FieldCommit)
	if !ok || e.Kind != KindAnswer || IsSealed(e) {
		return RevealKept
	}
	first := h.First
	if first == "" {
		first = own
	}
	switch {
	case RevealsCommitment(e, first):
		return RevealKept
	case h.Revealed && slices.Contains(h.Sealed, own) && RevealsCommitment(e, own):
		return RevealEdited
	}
	return RevealChanged
}
