package keys

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"filippo.io/age"
)

func TestLoadOrCreate(t *testing.T) {
	dir := t.TempDir() + "/cfg"
	if _, err := Load(dir); !errors.Is(err, ErrNoIdentity) {
		t.Fatalf("Load of nothing: %v", err)
	}
	id, created, err := LoadOrCreate(dir)
	if err != nil || !created {
		t.Fatalf("create: %v %v", created, err)
	}
	fi, err := os.Stat(Path(dir))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v %v", fi, err)
	}
	again, created, err := LoadOrCreate(dir)
	if err != nil || created || again.String() != id.String() {
		t.Fatalf("load again: %v %v", created, err)
	}
}

func TestReadWrite(t *testing.T) {
	for _, tc := range []struct {
		in   string
		set  Settings
		want []string
	}{
		{"format: 1\n", Settings{Encrypt: true, Recipients: []string{"age1a", "age1b"}},
			[]string{"format: 1", "encrypt: true", "  - age1a", "  - age1b"}},
		{"# note\nformat: 1\nencrypt: false\nrecipients: [age1x]\n", Settings{Encrypt: true, Recipients: []string{"age1x", "age1y"}},
			[]string{"# note", "format: 1", "encrypt: true", "  - age1y"}},
		{"", Settings{Recipients: []string{"age1z"}}, []string{"encrypt: false", "  - age1z"}},
	} {
		out, err := Write([]byte(tc.in), tc.set)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("Write(%q) = %q, missing %q", tc.in, out, w)
			}
		}
		back, err := Read(out)
		if err != nil || back.Encrypt != tc.set.Encrypt || strings.Join(back.Recipients, ",") != strings.Join(tc.set.Recipients, ",") {
			t.Errorf("Read(Write(%q)) = %+v, %v", tc.in, back, err)
		}
	}
}

func TestAddParse(t *testing.T) {
	id, _, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := id.Recipient().String()
	rs := Add(Add(nil, r), r)
	if len(rs) != 1 {
		t.Fatalf("Add twice: %v", rs)
	}
	if _, err := Parse(rs); err != nil {
		t.Fatal(err)
	}
	if _, err := Parse([]string{"age1nope"}); !errors.Is(err, ErrBadRecipient) {
		t.Fatalf("bad: %v", err)
	}
}

func TestInviteRoundTrip(t *testing.T) {
	code, id, pass, err := NewCode()
	if err != nil {
		t.Fatal(err)
	}
	gotID, gotPass, err := ParseCode(" " + strings.ToUpper(code) + "\n")
	if err != nil || gotID != id || gotPass != pass {
		t.Fatalf("ParseCode(%q) = %q %q %v", code, gotID, gotPass, err)
	}
	for _, bad := range []string{"", "abc", id, id + "-short", id + "-" + pass + "x"} {
		if _, _, err := ParseCode(bad); !errors.Is(err, ErrBadCode) {
			t.Errorf("ParseCode(%q): %v", bad, err)
		}
	}
	joiner, _, err := LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := Seal(joiner, pass)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Open(data, pass)
	if err != nil || back.String() != joiner.String() {
		t.Fatalf("Open: %v", err)
	}
	if _, err := Open(data, "aaaaaaaaaaaaaaaa"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	data[len(data)-3] ^= 1
	if _, err := Open(data, pass); !errors.Is(err, ErrBadCode) {
		t.Fatalf("damaged: %v", err)
	}
	dir := t.TempDir()
	if ok, err := Save(dir, joiner); !ok || err != nil {
		t.Fatalf("Save: %v %v", ok, err)
	}
	other, _, _ := LoadOrCreate(t.TempDir())
	if ok, err := Save(dir, other); ok || err != nil {
		t.Fatalf("Save over a key: %v %v", ok, err)
	}
}

// An invitation is read from the remote: one whose scrypt work factor is
// above what reconnect makes (a host's swap, to exhaust memory; age
// accepts up to 2^22, 4 GiB) is refused before any work.
func TestOpenRefusesLargerWorkFactor(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.NewScryptRecipient("abcdefghijklmnop")
	if err != nil {
		t.Fatal(err)
	}
	r.SetWorkFactor(inviteWork + 1)
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, id.String())
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(buf.Bytes(), "abcdefghijklmnop"); !errors.Is(err, ErrBadCode) {
		t.Fatalf("Open of an invitation with work factor 2^%d = %v, want ErrBadCode", inviteWork+1, err)
	}
}
