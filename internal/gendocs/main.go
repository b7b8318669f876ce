// Command gendocs writes the release's man pages and shell completions:
//
//	go run ./internal/gendocs -out build
//
// makes build/manpages/*.1, the same gzipped as *.1.gz (for the deb and rpm
// packages), and build/completions/reconnect.{bash,zsh,fish,ps1}. The main
// page, reconnect.1, has ENVIRONMENT, FILES and EXIT STATUS, from the same
// lists as 'reconnect help environment|files|exit-codes'. Set
// SOURCE_DATE_EPOCH for a reproducible date in the man pages.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
	if err := addManSections(filepath.Join(man, "reconnect.1"), cmd.ManSections()); err != nil {
		return err
	}
	if err := gzipAll(man); err != nil {
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

// addManSections puts sections (roff) into the page before its SEE ALSO,
// or at its end.
func addManSections(page, sections string) error {
	data, err := os.ReadFile(page)
	if err != nil {
		return err
	}
	text := string(data)
	if i := strings.Index(text, ".SH SEE ALSO"); i >= 0 {
		text = text[:i] + sections + text[i:]
	} else {
		text += sections
	}
	return os.WriteFile(page, []byte(text), 0o644)
}

// gzipAll writes NAME.1.gz beside every NAME.1 in dir, reproducibly (no
// name and no time in the gzip header).
func gzipAll(dir string) error {
	pages, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		return err
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if err := os.WriteFile(p+".gz", b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
