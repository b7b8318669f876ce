// Package keys holds a partner's age key and the couple's recipients: the
// keys of an encrypted remote (see the sync package's crypt.go for what is
// encrypted and the threat model).
//
// A partner's identity (the private key) is a file in the config folder,
// 0600, never in the journal or its .git. The couple's recipients (the
// public keys) are in the journal's reconnect.yaml, so that both machines
// encrypt to both; the journal reaches the host only encrypted.
package keys

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"go.yaml.in/yaml/v3"

	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// FileName is the identity's file in the config folder.
const FileName = "age-identity.txt"

// ErrNoIdentity: this machine has no key yet.
var ErrNoIdentity = errors.New("this machine has no key")

// ErrBadRecipient: a public key in reconnect.yaml is not an age key.
var ErrBadRecipient = errors.New("not an age public key")

// Path is where the identity lives in the config folder dir.
func Path(dir string) string { return filepath.Join(dir, FileName) }

// AnswerFileName is the file, in the config folder, of the key your
// sealed answers are sealed to. It is always made on this machine, never
// taken from an invitation: the partner who made an invitation saw its
// code, and so could open the key it carries (the remote's key).
const AnswerFileName = "answer-identity.txt"

// AnswerPath is where the answer key lives in the config folder dir.
func AnswerPath(dir string) string { return filepath.Join(dir, AnswerFileName) }

// LoadAnswer reads the answer key in dir; a missing one wraps
// [ErrNoIdentity].
func LoadAnswer(dir string) (*age.X25519Identity, error) { return loadFile(AnswerPath(dir)) }

// LoadOrCreateAnswer reads the answer key in dir, or makes one there
// (0600, the folder 0700).
func LoadOrCreateAnswer(dir string) (*age.X25519Identity, error) {
	id, err := LoadAnswer(dir)
	if err == nil || !errors.Is(err, ErrNoIdentity) {
		return id, err
	}
	if id, err = age.GenerateX25519Identity(); err != nil {
		return nil, err
	}
	data := "# reconnect: the key your sealed answers are sealed to. Keep it secret;\n" +
		"# without it your answers not yet revealed cannot be opened.\n" + id.String() + "\n"
	if err := writeFile(dir, AnswerPath(dir), data); err != nil {
		return nil, err
	}
	return id, nil
}

// Load reads the identity in the config folder dir; a missing one wraps
// [ErrNoIdentity].
func Load(dir string) (*age.X25519Identity, error) { return loadFile(Path(dir)) }

func loadFile(path string) (*age.X25519Identity, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (%s)", ErrNoIdentity, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read your key: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "AGE-SECRET-KEY-") {
			id, err := age.ParseX25519Identity(line)
			if err != nil {
				return nil, fmt.Errorf("read your key %s: %w", path, err)
			}
			return id, nil
		}
	}
	return nil, fmt.Errorf("read your key: %s holds no age key", path)
}

// LoadOrCreate reads the identity in dir, or makes one there (0600, the
// folder 0700); created says which.
func LoadOrCreate(dir string) (id *age.X25519Identity, created bool, err error) {
	id, err = Load(dir)
	if err == nil || !errors.Is(err, ErrNoIdentity) {
		return id, false, err
	}
	id, err = age.GenerateX25519Identity()
	if err != nil {
		return nil, false, err
	}
	if err := write(dir, id); err != nil {
		return nil, false, err
	}
	return id, true, nil
}

func write(dir string, id *age.X25519Identity) error {
	data := "# reconnect: your key for the encrypted remote. Keep it secret; losing\n" +
		"# every key of the couple (and the recovery key) loses the remote copy.\n" +
		"# public key: " + id.Recipient().String() + "\n" + id.String() + "\n"
	return writeFile(dir, Path(dir), data)
}

func writeFile(dir, path, data string) error {
	if err := os.MkdirAll(dir, fsutil.DirMode); err != nil {
		return fmt.Errorf("save your key: %w", err)
	}
	if err := fsutil.WriteFile(path, []byte(data), 0o600); err != nil {
		return fmt.Errorf("save your key: %w", err)
	}
	return nil
}

// Settings are what reconnect.yaml says of encryption.
type Settings struct {
	// Encrypt: the remote is an encrypted one.
	Encrypt bool `yaml:"encrypt"`
	// Recipients are the couple's public keys (and a recovery key's).
	Recipients []string `yaml:"recipients"`
}

// Read reads the encryption settings of reconnect.yaml's content.
func Read(yamlData []byte) (Settings, error) {
	var s Settings
	if err := yaml.Unmarshal(yamlData, &s); err != nil {
		return s, fmt.Errorf("read reconnect.yaml: %w", err)
	}
	return s, nil
}

// Write returns yamlData with the encryption settings set to s; every
// other key stays as it was.
func Write(yamlData []byte, s Settings) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(yamlData, &doc); err != nil {
		return nil, fmt.Errorf("read reconnect.yaml: %w", err)
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("reconnect.yaml is not a mapping")
	}
	set := func(key string, v *yaml.Node) {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				m.Content[i+1] = v
				return
			}
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	enc := "false"
	if s.Encrypt {
		enc = "true"
	}
	set("encrypt", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: enc})
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, r := range s.Recipients {
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: r})
	}
	set("recipients", seq)
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.SetIndent(2)
	if err := e.Encode(&doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), e.Close()
}

// Add returns rs with r added, once.
func Add(rs []string, r string) []string {
	for _, x := range rs {
		if x == r {
			return rs
		}
	}
	return append(append([]string(nil), rs...), r)
}

// Parse parses public keys; a bad one wraps [ErrBadRecipient].
func Parse(rs []string) ([]age.Recipient, error) {
	var out []age.Recipient
	for _, s := range rs {
		r, err := age.ParseX25519Recipient(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %q in reconnect.yaml", ErrBadRecipient, s)
		}
		out = append(out, r)
	}
	return out, nil
}
