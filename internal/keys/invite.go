package keys

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"filippo.io/age"
)

// An invitation lets the second partner join an encrypted remote without
// copying keys by hand. The inviter's machine makes a key for the joiner,
// adds its public key to the couple's and leaves on the remote the private
// key encrypted with a random passphrase (age's scrypt). The code, told to
// the partner, is the invitation's id and the passphrase; the host never
// sees it. Whoever holds the code and can read the remote before the next
// push holds the joiner's key: pass the code as you would a key (say it,
// or send it where only your partner reads), once.

// ErrBadCode: an invitation code that is not one reconnect makes, or that
// does not open the invitation.
var ErrBadCode = errors.New("not a valid invitation code")

// inviteWork is the scrypt work factor of an invitation: 2^16, a fraction
// of a second for the partner, slow for a guesser of an 80-bit passphrase.
const inviteWork = 16

var codeRE = regexp.MustCompile(`^([0-9a-f]{32})-([a-z2-7]{16})$`)

// NewCode makes an invitation: its id (as the remote names it), its
// passphrase, and the code that holds both.
func NewCode() (code, id, pass string, err error) {
	b := make([]byte, 16+10)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return "", "", "", err
	}
	id = hex.EncodeToString(b[:16])
	pass = strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[16:]))
	return id + "-" + pass, id, pass, nil
}

// ParseCode splits a code into the invitation's id and passphrase.
func ParseCode(code string) (id, pass string, err error) {
	m := codeRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(code)))
	if m == nil {
		return "", "", fmt.Errorf("%w: %q (it looks like 32 letters and digits, a dash, and 16 more)", ErrBadCode, code)
	}
	return m[1], m[2], nil
}

// Seal encrypts the joiner's identity with the passphrase: an invitation
// that does not expire (see [SealUntil]).
func Seal(id *age.X25519Identity, pass string) ([]byte, error) {
	return SealUntil(id, pass, time.Time{})
}

// SealUntil encrypts the joiner's identity with the passphrase, with the
// time it expires (zero: never). The expiry is inside the encryption: the
// host can neither read nor change it.
func SealUntil(id *age.X25519Identity, pass string, expires time.Time) ([]byte, error) {
	r, err := age.NewScryptRecipient(pass)
	if err != nil {
		return nil, err
	}
	r.SetWorkFactor(inviteWork)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	body := id.String()
	if !expires.IsZero() {
		body += "\n" + expiresKey + expires.UTC().Format(time.RFC3339) + "\n"
	}
	if _, err := io.WriteString(w, body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// expiresKey starts the line of an invitation that says when it expires.
const expiresKey = "expires: "

// Bundle is what an invitation holds: the joiner's identity, and when the
// invitation expires (zero: never, an invitation made before they did).
type Bundle struct {
	Identity *age.X25519Identity
	Expires  time.Time
}

// Open decrypts an invitation with the passphrase: the joiner's identity.
// A wrong passphrase or a damaged invitation wraps [ErrBadCode]. It does
// not look at the expiry; [OpenBundle] does.
func Open(data []byte, pass string) (*age.X25519Identity, error) {
	b, err := OpenBundle(data, pass)
	return b.Identity, err
}

// OpenBundle decrypts an invitation with the passphrase: the joiner's
// identity and when the invitation expires. A wrong passphrase or a
// damaged invitation wraps [ErrBadCode].
func OpenBundle(data []byte, pass string) (Bundle, error) {
	i, err := age.NewScryptIdentity(pass)
	if err != nil {
		return Bundle{}, err
	}
	// The blob comes from the remote: a host that swaps it for one with a
	// larger work factor (age accepts up to 2^22: 4 GiB of memory) must
	// not make the joiner's machine run out of memory.
	i.SetMaxWorkFactor(inviteWork)
	r, err := age.Decrypt(bytes.NewReader(data), i)
	if err != nil {
		return Bundle{}, fmt.Errorf("%w: it does not open the invitation (%v)", ErrBadCode, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return Bundle{}, fmt.Errorf("%w: %v", ErrBadCode, err)
	}
	var out Bundle
	key, rest, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if out.Identity, err = age.ParseX25519Identity(strings.TrimSpace(key)); err != nil {
		return Bundle{}, fmt.Errorf("%w: the invitation holds no key", ErrBadCode)
	}
	if rest = strings.TrimSpace(rest); rest != "" {
		v, ok := strings.CutPrefix(rest, expiresKey)
		if out.Expires, err = time.Parse(time.RFC3339, v); !ok || err != nil {
			return Bundle{}, fmt.Errorf("%w: the invitation's expiry %q is not one reconnect writes", ErrBadCode, rest)
		}
	}
	return out, nil
}

// ErrExpired: the invitation is past its expiry.
var ErrExpired = errors.New("the invitation has expired")

// Check refuses an invitation expired at now, with the time it expired
// (in now's zone): it wraps [ErrExpired].
func (b Bundle) Check(now time.Time) error {
	if b.Expires.IsZero() || now.Before(b.Expires) {
		return nil
	}
	return fmt.Errorf("%w: it expired on %s", ErrExpired, b.Expires.In(now.Location()).Format("Mon 2 Jan 2006 15:04"))
}

// Save stores id as this machine's identity in the config folder dir,
// unless one is there already (then that one is kept, and ok is false).
func Save(dir string, id *age.X25519Identity) (ok bool, err error) {
	if _, err := Load(dir); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNoIdentity) {
		return false, err
	}
	return true, write(dir, id)
}
