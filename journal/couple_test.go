package journal

import (
	"errors"
	"strings"
	"testing"
)

func TestCoupleID(t *testing.T) {
	const root = "0123456789abcdef0123456789abcdef01234567"
	derived := DeriveCoupleID(root)
	tests := []struct {
		name, settings, root string
		want                 string
		err                  error
	}{
		{"derived from the root", "format: 1\n", root, derived, nil},
		{"no settings file", "", root, derived, nil},
		{"another root, another id", "format: 1\n", "1123456789abcdef0123456789abcdef01234567",
			DeriveCoupleID("1123456789abcdef0123456789abcdef01234567"), nil},
		{"pinned", "format: 1\ncouple: sam-and-alex\n", root, "sam-and-alex", nil},
		{"pinned, no commit yet", "couple: 7f3a9c\n", "", "7f3a9c", nil},
		{"pinned number", "couple: 2024\n", root, "2024", nil},
		{"pinned one letter", "couple: a\n", root, "a", nil},
		{"pinned upper case", "couple: Sam\n", root, "", ErrCoupleID},
		{"pinned empty", "couple: \"\"\n", root, "", ErrCoupleID},
		{"pinned with a dot", "couple: a.b\n", root, "", ErrCoupleID},
		{"pinned with an at", "couple: a@b\n", root, "", ErrCoupleID},
		{"pinned leading dash", "couple: -ab\n", root, "", ErrCoupleID},
		{"pinned trailing dash", "couple: ab-\n", root, "", ErrCoupleID},
		{"pinned too long", "couple: " + strings.Repeat("a", 64) + "\n", root, "", ErrCoupleID},
		{"pinned a list", "couple: [a]\n", root, "", nil},
		{"not yaml", "format: [1\n", root, "", nil},
		{"no commit, not pinned", "format: 1\n", "", "", ErrNoRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CoupleID([]byte(tt.settings), tt.root)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("CoupleID = %q, want an error", got)
				}
				if tt.err != nil && !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("CoupleID = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDeriveCoupleID(t *testing.T) {
	tests := []struct{ root, want string }{
		// sha256 of the text, first 8 bytes: fixed, so an id never changes
		// between versions of reconnect.
		{"0123456789abcdef0123456789abcdef01234567", "deb87fabd17715bb"},
		{"1123456789abcdef0123456789abcdef01234567", ""},
	}
	for _, tt := range tests {
		got := DeriveCoupleID(tt.root)
		if len(got) != 16 || !coupleIDRE.MatchString(got) {
			t.Errorf("DeriveCoupleID(%q) = %q, want 16 hex digits", tt.root, got)
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("DeriveCoupleID(%q) = %q, want %q", tt.root, got, tt.want)
		}
	}
}
