// Command gendocs writes the release's man pages and shell completions:
//
//	go run ./internal/gendocs -out build
//
// makes build/manpages/*.1 and build/completions/reconnect.{bash,zsh,fish,ps1}.
// Set SOURCE_DATE_EPOCH for a reproducible date in the man pages.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra/doc"

	"github.com/reconnect-app/reconnect/cmd"
)

func main() {
	out := flag.String("out", "build", "folder to write manpages/ and completions/ into")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	root := cmd.RootForDocs()
	man := filepath.Join(out, "manpages")
	comp := filepath.Join(out, "completions")
	for _, d := range []string{man, comp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	header := &doc.GenManHeader{Title: "RECONNECT", Section: "1", Source: "reconnect", Manual: "reconnect manual"}
	if err := doc.GenManTree(root, header, man); err != nil {
		return err
	}
	for name, gen := range map[string]func(string) error{
		"reconnect.bash": func(p string) error { return root.GenBashCompletionFileV2(p, true) },
		"reconnect.zsh":  root.GenZshCompletionFile,
		"reconnect.fish": func(p string) error { return root.GenFishCompletionFile(p, true) },
		"reconnect.ps1":  root.GenPowerShellCompletionFileWithDesc,
	} {
		if err := gen(filepath.Join(comp, name)); err != nil {
			return err
		}
	}
	return nil
}
