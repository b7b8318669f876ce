package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

func topic(t *testing.T, name string) helpTopic {
	t.Helper()
	for _, tp := range helpTopics() {
		if tp.name == name {
			return tp
		}
	}
	t.Fatalf("no topic %q", name)
	return helpTopic{}
}

// The exit-codes topic is made from the map exitCode reads: every error
// exits with a status the topic lists, under the meaning of the rule that
// matched it.
func TestExitCodesTopicIsTheMap(t *testing.T) {
	items := map[string]string{}
	for _, it := range exitCodeItems() {
		items[it[0]] = it[1]
	}
	for _, err := range []error{
		nil, usagef("bad"), civil.ErrBadDate, journal.ErrBadAuthor, journal.ErrEmptyText,
		context.Canceled, fmt.Errorf("x: %w", gitsync.ErrOffline), context.DeadlineExceeded,
		fmt.Errorf("x: %w", gitsync.ErrAuth), gitsync.ErrLocked, os.ErrPermission, gitsync.ErrBadRemote,
	} {
		code := exitCode(err)
		text, ok := items[fmt.Sprint(code)]
		if !ok {
			t.Errorf("exitCode(%v) = %d, not in the topic", err, code)
			continue
		}
		for _, r := range exitRules() {
			if err != nil && r.matches(err) {
				if !strings.Contains(text, r.means) {
					t.Errorf("%v: status %d listed as %q, want %q in it", err, code, text, r.means)
				}
				break
			}
		}
	}
	for _, r := range exitRules() {
		if !strings.Contains(items[fmt.Sprint(r.code)], r.means) {
			t.Errorf("rule for %d (%s) missing from the topic", r.code, r.means)
		}
	}
	if !strings.Contains(ManSections(), ".SH EXIT STATUS") || !strings.Contains(ManSections(), `\fB130\fP`) {
		t.Errorf("man page has no EXIT STATUS with 130:\n%s", ManSections())
	}
}

// Every environment variable the code reads is in 'help environment'.
func TestEnvironmentTopicListsWhatIsRead(t *testing.T) {
	text := topic(t, "environment").text(80)
	read := regexp.MustCompile(`(?:[gG]etenv|LookupEnv)\("([A-Z_]+)"\)|"(RECONNECT_[A-Z_]+)"`)
	seen := map[string]bool{}
	for _, dir := range []string{".", "../sync", "../journal"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range read.FindAllStringSubmatch(string(data), -1) {
				seen[m[1]+m[2]] = true
			}
		}
	}
	if len(seen) < 10 {
		t.Fatalf("found only %v", seen)
	}
	for name := range seen {
		if strings.HasPrefix(name, "RECONNECT_TEST_") || name == "PATH" {
			continue
		}
		if !regexp.MustCompile(`\b` + name + `\b`).MatchString(text) {
			t.Errorf("%s is read but not in 'reconnect help environment'", name)
		}
	}
}

func TestRoffEscape(t *testing.T) {
	if got := roffEscape(".SH x\n'a \\b"); got != "\\&.SH x\n\\&'a \\eb" {
		t.Errorf("roffEscape = %q", got)
	}
}

func TestHelpTopics(t *testing.T) {
	a, out, errOut := testApp(t, false)
	if code := a.Run([]string{"help", "exit-codes"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "130") || strings.Contains(out.String(), "Rituals:") {
		t.Errorf("help exit-codes:\n%s", out)
	}
	out.Reset()
	if code := a.Run([]string{"help", "nosuch"}); code != exitUsage {
		t.Errorf("help nosuch: exit %d", code)
	}
	if !strings.Contains(errOut.String(), "environment, exit-codes, files, formats") {
		t.Errorf("help nosuch: %s", errOut)
	}
}
