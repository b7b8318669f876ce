package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// Exit codes, as DESIGN §5.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitOffline     = 3
	exitAuth        = 4
	exitInterrupted = 130
)

// usageError is bad input from the user: a flag, a date, a name, a text.
// It maps to exit 2 and nothing has been written when it is returned.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef makes a usageError from a message.
func usagef(format string, a ...any) error {
	return &usageError{fmt.Errorf(format, a...)}
}

// badInput marks an error from validation as the user's input.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &usageError{err}
}

// hintError carries a line telling the user what to do next.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

func withHint(err error, format string, a ...any) error {
	return &hintError{err: err, hint: fmt.Sprintf(format, a...)}
}

// exitRule is one line of the exit-code map: the errors it matches, the
// status they exit with, and what that means to a user. The map is the
// one source of the codes: [exitCode] reads it, and so do 'reconnect help
// exit-codes' and the man page's EXIT STATUS (exitCodesText).
type exitRule struct {
	code    int
	means   string // for the help topic, one line
	matches func(error) bool
}

// exitRules is the exit-code map, in the order it is tried: the first
// rule that matches decides. An error no rule matches exits 1.
func exitRules() []exitRule {
	return []exitRule{
		{exitInterrupted, "interrupted (Ctrl-C or SIGTERM): the command stopped at a safe point",
			func(err error) bool { return errors.Is(err, context.Canceled) }},
		// A lock that stays taken is no unreachable remote.
		{exitError, "the journal is locked by another reconnect that did not let go",
			func(err error) bool { return errors.Is(err, gitsync.ErrLocked) }},
		{exitOffline, "the remote could not be reached, or did not answer in time; what you wrote is saved here",
			isOffline},
		{exitAuth, "the remote refused the credentials, or its host key or certificate is not trusted, or a token would go out in clear text",
			isAuth},
		{exitAuth, "an encrypted remote went back to an earlier state than this machine saw there (an old copy, or newer pushes hidden): nothing was applied or sent",
			func(err error) bool { return errors.Is(err, gitsync.ErrRollback) }},
		{exitUsage, "bad input: a flag, a date, a name, a text, a remote URL or a config value; nothing was written",
			func(err error) bool {
				var ue *usageError
				return errors.As(err, &ue) ||
					errors.Is(err, civil.ErrBadDate) ||
					errors.Is(err, journal.ErrBadAuthor) ||
					errors.Is(err, journal.ErrEmptyText) ||
					errors.Is(err, journal.ErrControlChar) ||
					errors.Is(err, journal.ErrUnknownKind) ||
					errors.Is(err, gitsync.ErrBadRemote)
			}},
	}
}

// exitCode maps an error to the process's exit status, in one place.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	for _, r := range exitRules() {
		if r.matches(err) {
			return r.code
		}
	}
	return exitError
}

// hintOf is the hint line carried by err, if any.
func hintOf(err error) string {
	var he *hintError
	if errors.As(err, &he) {
		return he.hint
	}
	return ""
}

// isOffline is a remote that could not be reached, or did not answer in
// time: exit 3.
func isOffline(err error) bool {
	return errors.Is(err, gitsync.ErrOffline) || errors.Is(err, context.DeadlineExceeded)
}

// isAuth is a refused credential, an untrusted host key or certificate, or
// a token that would go out in clear text; an encrypted remote that is
// damaged, that holds more than a fetch reads, or that no key here opens:
// exit 4.
func isAuth(err error) bool {
	return errors.Is(err, gitsync.ErrAuth) || errors.Is(err, gitsync.ErrHostKey) ||
		errors.Is(err, gitsync.ErrCertificate) || errors.Is(err, gitsync.ErrCleartext) ||
		errors.Is(err, gitsync.ErrSealedBroken) || errors.Is(err, gitsync.ErrSealedTooLarge) ||
		errors.Is(err, gitsync.ErrNoKey) || errors.Is(err, gitsync.ErrRemoteSealed)
}
