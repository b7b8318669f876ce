package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// KeyCouple is the key of the journal's settings file (reconnect.yaml)
// that pins the couple's id; without it the id comes from the journal's
// first commit ([CoupleID]).
const KeyCouple = "couple"

// ErrCoupleID is what [CoupleID] returns for a pinned id it does not take.
var ErrCoupleID = errors.New("not a couple id: 1 to 63 letters a-z, digits and '-', not starting or ending with '-'")

// ErrNoRoot is what [CoupleID] returns when there is neither a pinned id
// nor a first commit to derive one from.
var ErrNoRoot = errors.New("no couple id: the journal has no commit yet")

var coupleIDRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// CoupleID is the couple's id, what sets their calendar events apart from
// every other couple's: the settings file's [KeyCouple] when it has one,
// else [DeriveCoupleID] of root, the hex id of the journal's first commit.
// Both partners' clones share that commit, so both get the same id
// without writing anything. settings is the settings file's text (empty
// when there is none); a file that is not YAML, or a pinned id that is not
// a DNS label in lower case, is an error naming it.
func CoupleID(settings []byte, root string) (string, error) {
	var s struct {
		Couple *string `yaml:"couple"`
	}
	if err := yaml.Unmarshal(settings, &s); err != nil {
		return "", fmt.Errorf("bad yaml: %w", err)
	}
	if s.Couple != nil {
		if !coupleIDRE.MatchString(*s.Couple) {
			return "", fmt.Errorf("%s: %q: %w", KeyCouple, *s.Couple, ErrCoupleID)
		}
		return *s.Couple, nil
	}
	if root == "" {
		return "", ErrNoRoot
	}
	return DeriveCoupleID(root), nil
}

// DeriveCoupleID is the couple id of a journal whose first commit is root:
// the first 16 hex digits of its SHA-256, so the commit itself is not
// shown.
func DeriveCoupleID(root string) string {
	sum := sha256.Sum256([]byte(root))
	return hex.EncodeToString(sum[:8])
}
