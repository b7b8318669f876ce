package keys

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// An invitation expires: the bundle says when (inside its encryption, see
// [SealUntil]), a join refuses it after that ([Bundle.Check]), and the
// machine that made it remembers it ([Made], in the journal's .git, never
// in the journal) so that its next push takes it off the remote.

// DefaultLifetime is how long an invitation lives unless told: a week.
const DefaultLifetime = 7 * 24 * time.Hour

// MaxLifetime is the longest an invitation may live: 30 days.
const MaxLifetime = 30 * 24 * time.Hour

// ErrBadLifetime: a lifetime [ParseLifetime] does not take.
var ErrBadLifetime = errors.New("not a time like 3d, 1w or 12h")

// tooLong is a lifetime past [MaxLifetime]: well written, and an
// [ErrBadLifetime] all the same.
type tooLong string

func (e tooLong) Error() string        { return string(e) }
func (e tooLong) Is(target error) bool { return target == ErrBadLifetime }

// ParseLifetime reads how long an invitation lives: whole hours ("12h"),
// days ("3d") or weeks ("1w"), from 1 hour to [MaxLifetime].
func ParseLifetime(s string) (time.Duration, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if len(t) < 2 {
		return 0, fmt.Errorf("%q: %w", s, ErrBadLifetime)
	}
	var unit time.Duration
	switch t[len(t)-1] {
	case 'h':
		unit = time.Hour
	case 'd':
		unit = 24 * time.Hour
	case 'w':
		unit = 7 * 24 * time.Hour
	default:
		return 0, fmt.Errorf("%q: %w", s, ErrBadLifetime)
	}
	digits := t[:len(t)-1]
	n, err := strconv.Atoi(digits)
	if err != nil || n < 1 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, fmt.Errorf("%q: %w", s, ErrBadLifetime)
	}
	if int64(n) > int64(MaxLifetime/unit) {
		return 0, tooLong(fmt.Sprintf("%q is too long: an invitation lives at most %d days", s, int(MaxLifetime/(24*time.Hour))))
	}
	return time.Duration(n) * unit, nil
}

// Made is an invitation this machine made: its id on the remote, when it
// expires, and the public key it carries (taken off the couple's if the
// invitation expires unused).
type Made struct {
	ID      string    `json:"id"`
	Expires time.Time `json:"expires"`
	Key     string    `json:"key,omitempty"`
}

// Remove returns rs without the keys in gone.
func Remove(rs, gone []string) []string {
	var out []string
	for _, r := range rs {
		keep := true
		for _, g := range gone {
			keep = keep && r != g
		}
		if keep {
			out = append(out, r)
		}
	}
	return out
}

// Expired splits made into the ids of the invitations expired at now and
// the ones still live.
func Expired(made []Made, now time.Time) (expired []string, live []Made) {
	for _, m := range made {
		if now.Before(m.Expires) {
			live = append(live, m)
		} else {
			expired = append(expired, m.ID)
		}
	}
	return expired, live
}

// LoadMade reads the invitations this machine made, from path; a missing
// or unreadable file is none (it is written whole or not at all).
func LoadMade(path string) []Made {
	var made []Made
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &made) != nil {
		return nil
	}
	return made
}

// SaveMade writes made to path whole, sorted by expiry; none removes the
// file.
func SaveMade(path string, made []Made) error {
	if len(made) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	made = append([]Made(nil), made...)
	sort.SliceStable(made, func(i, j int) bool { return made[i].Expires.Before(made[j].Expires) })
	b, err := json.MarshalIndent(made, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFile(path, append(b, '\n'), fsutil.FileMode)
}
