package fsutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a", "b", "entry.md")
	for _, content := range []string{"first\n", "second\n"} {
		if err := WriteFile(name, []byte(content), FileMode); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != content {
			t.Fatalf("read back %q, %v; want %q", got, err, content)
		}
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != FileMode {
		t.Errorf("mode = %v, want %v", fi.Mode().Perm(), FileMode)
	}
	di, _ := os.Stat(filepath.Dir(name))
	if di.Mode().Perm() != DirMode {
		t.Errorf("dir mode = %v, want %v", di.Mode().Perm(), DirMode)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(name), ".*tmp*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
