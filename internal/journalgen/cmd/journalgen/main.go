// Command journalgen writes a generated journal into a folder, for trying
// reconnect or git on 25 years of entries:
//
//	go run ./internal/journalgen/cmd/journalgen -out /tmp/journal
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/journalgen"
)

func main() {
	out := flag.String("out", "", "folder to create the journal in (must not exist or be empty)")
	seed := flag.Uint64("seed", 0, "random seed: the same seed gives the same journal")
	years := flag.Int("years", 25, "years of entries")
	start := flag.String("start", "2001-01-01", "first day, YYYY-MM-DD")
	perDay := flag.Int("commits-per-day", 1, "split each day's entries into up to this many commits")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: journalgen -out DIR [-seed N] [-years N] [-start YYYY-MM-DD] [-commits-per-day N]")
		os.Exit(2)
	}
	first, err := civil.Parse(*start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "journalgen:", err)
		os.Exit(2)
	}
	began := time.Now()
	opt := journalgen.Options{Seed: *seed, Start: first, Years: *years, CommitsPerDay: *perDay}
	if err := journalgen.Generate(*out, opt); err != nil {
		fmt.Fprintln(os.Stderr, "journalgen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s in %s\n", *out, time.Since(began).Round(time.Millisecond))
}
