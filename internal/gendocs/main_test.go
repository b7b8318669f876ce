package main

import (
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
	page, _ := os.ReadFile(filepath.Join(out, "manpages", "reconnect-checkin.1"))
	if !strings.Contains(string(page), "Rose") || !strings.Contains(string(page), "EXAMPLE") {
		t.Errorf("checkin man page lacks its text or examples:\n%s", page)
	}
}
