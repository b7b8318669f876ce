package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesManPagesAndCompletions(t *testing.T) {
	out := t.TempDir()
	t.Setenv("SOURCE_DATE_EPOCH", "1763683200")
	if err := run(out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"manpages/reconnect.1", "manpages/reconnect-checkin.1", "manpages/reconnect-bucket-add.1",
		"completions/reconnect.bash", "completions/reconnect.zsh", "completions/reconnect.fish", "completions/reconnect.ps1",
	} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(data) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	root, _ := os.ReadFile(filepath.Join(out, "manpages", "reconnect.1"))
	for _, want := range []string{".SH ENVIRONMENT", "NO_COLOR", ".SH FILES", "config.yaml", ".SH EXIT STATUS", "130"} {
		if !strings.Contains(string(root), want) {
			t.Errorf("reconnect.1 lacks %q", want)
		}
	}
	if i, j := strings.Index(string(root), ".SH EXIT STATUS"), strings.Index(string(root), ".SH SEE ALSO"); i < 0 || j < 0 || i > j {
		t.Errorf("EXIT STATUS not before SEE ALSO in reconnect.1")
	}
	zf, err := os.Open(filepath.Join(out, "manpages", "reconnect.1.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	zr, err := gzip.NewReader(zf)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, root) {
		t.Errorf("reconnect.1.gz is not reconnect.1 gzipped: %v", err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "manpages", "reconnect-checkin.1"))
	if !strings.Contains(string(page), "Rose") || !strings.Contains(string(page), "EXAMPLE") {
		t.Errorf("checkin man page lacks its text or examples:\n%s", page)
	}
}
