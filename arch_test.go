package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchitecture holds the packages to the arrows of
// docs/architecture.md: what each domain package may import from this
// module, and that none imports the terminal's libraries.
func TestArchitecture(t *testing.T) {
	const mod = "github.com/reconnect-app/reconnect/"
	allowed := map[string][]string{
		"journal":          {"internal/civil", "internal/fsutil", "internal/gitpath"},
		"sync":             {"internal/fsutil", "internal/gitpath"},
		"challenge":        {"internal/civil", "internal/streak"},
		"prompts":          {"internal/civil"},
		"internal/civil":   nil,
		"internal/fsutil":  nil,
		"internal/gitpath": nil,
		"internal/streak":  nil,
		"internal/keys":    {"internal/fsutil"},
	}
	forbidden := []string{"github.com/spf13/cobra", "github.com/spf13/viper", "charm.land/"}
	for pkg, ok := range allowed {
		files, err := filepath.Glob(filepath.Join(filepath.FromSlash(pkg), "*.go"))
		if err != nil || len(files) == 0 {
			t.Errorf("%s: no Go files (%v)", pkg, err)
			continue
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue // tests may import what helps them
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			file, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range file.Imports {
				path := strings.Trim(imp.Path.Value, `"`)
				for _, bad := range forbidden {
					if strings.HasPrefix(path, bad) {
						t.Errorf("%s imports %s: domain packages never touch the terminal", f, path)
					}
				}
				own, isOwn := strings.CutPrefix(path, mod)
				if !isOwn {
					continue
				}
				okay := false
				for _, a := range ok {
					okay = okay || own == a
				}
				if !okay {
					t.Errorf("%s imports %s: not an arrow of docs/architecture.md", f, own)
				}
			}
		}
	}
}
