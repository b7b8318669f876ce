// Package cmd is the terminal layer of reconnect: it reads the command line,
// calls the domain packages and renders what they return. [Main] runs one
// command line in-process and returns its exit status, so main is a line
// and testscript can run the CLI without building it.
//
// # What lives here, and what does not
//
// cmd reads flags, environment and config, opens the journal, asks on a
// terminal, and prints text or JSON. Rules over entries do not live here:
// each is a pure function, written once, in the package that owns the data
// it speaks of, with a table test —
//
//   - the file format, paths and the sealed-answer rule
//     ([journal.MaySeeAnswer]) in package journal;
//   - the 30-day challenge, its runs and their state on a day
//     ([challenge.StateOn]) in package challenge;
//   - the streak rule, today does not break a streak, in internal/streak;
//   - sharing the journal with the partner in package sync.
//
// Before writing a helper here, grep for the rule: a new one goes in the
// package that owns its data, and cmd calls it.
//
// # The shape of a command
//
// One command, one file (a group's subcommands one file each, like
// challenge_start.go, with the parent command and what its verbs share in
// challenge.go). Each command follows gh's pattern:
//
//   - an Options struct holds what the command uses: first its
//     dependencies (the [IOStreams], the clock, who writes, a journal
//     opener, the writer, the [Prompter]), then its flags;
//   - a constructor, newXCmd(a *App), builds the cobra command and fills
//     Options from the [App] and the flags; dependencies are functions read
//     at run time, since the App resolves config and --journal only just
//     before the command runs;
//   - RunE only calls runX(ctx, opts), which reads, calls the domain and
//     renders through opts, never through the whole App; a test calls runX
//     with buffers and openers of its own (see challenge_run_test.go);
//   - the constructor takes a runF that replaces runX (nil: runX), so a
//     test drives flag parsing on its own and looks at the Options filled.
//
// Older commands still take the [App] itself and are moved to this shape as
// they are touched.
//
// # Errors and output
//
// Errors are wrapped with what was being done, lower-case with no period.
// A hint the user can act on travels with the error (withHint) and is
// printed as a second line; exit codes are mapped in one place (exitCode in
// errors.go). Everything printed goes through [IOStreams]: colour only on a
// terminal, and never a control character from a file (termsafe.go).
package cmd
