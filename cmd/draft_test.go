package cmd

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/journal"
	"github.com/reconnect-app/reconnect/prompts"
)

// draftPath is where the test app keeps who's draft of ritual for day.
func draftPath(t *testing.T, a *App, ritual, who, day string) string {
	t.Helper()
	dir, _, err := a.draftDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, draftName(ritual, who, day))
}

// readDraftFields is what a draft on disk holds, checking that it is
// private and outside the journal.
func readDraftFields(t *testing.T, a *App, path string) map[string]string {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no draft: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("draft mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("draft folder mode %v, want 0700", di.Mode().Perm())
	}
	jdir, _ := a.journalDir()
	if rel, err := filepath.Rel(jdir, path); err == nil && !strings.HasPrefix(rel, "..") {
		t.Errorf("draft %s is inside the journal %s", path, jdir)
	}
	f, err := readDraft(path)
	if err != nil {
		t.Fatal(err)
	}
	return f.Fields
}

// gitStatusClean checks the journal's work tree with the git binary, when
// there is one.
func gitStatusClean(t *testing.T, a *App) {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Log("no git binary: work tree not checked")
		return
	}
	dir, _ := a.journalDir()
	out, err := exec.Command(git, "-C", dir, "status", "--porcelain", "--ignored").CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("git status: %v\n%s", err, out)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestCheckinDraft: a check-in form interrupted after Rose and Bud exits
// 130 and keeps them as a private draft outside the journal; the next
// check-in that day is filled with them, and saving removes the draft.
func TestCheckinDraft(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"Rose": "A long lunch", "Bud": "The hike"}}, interruptAt: 1}
	a, out, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"checkin", "--date", "2026-11-20", "--rose", "Start"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	head := readEntries(t, a, journal.KindCheckin)
	out.Reset()
	errOut.Reset()

	if code := a.Run([]string{"checkin"}); code != exitInterrupted {
		t.Fatalf("interrupted: exit %d: %s", code, errOut)
	}
	if got := strings.TrimSpace(errOut.String()); got != "reconnect: kept what you wrote as a draft; run 'reconnect checkin' again to pick it up" {
		t.Errorf("stderr %q", got)
	}
	if strings.Contains(out.String(), "Saved") || len(readEntries(t, a, journal.KindCheckin)) != len(head) {
		t.Errorf("an interrupted form saved something: %s", out)
	}
	path := draftPath(t, a, "checkin", "sam", "2026-11-21")
	if f := readDraftFields(t, a, path); f["Rose"] != "A long lunch" || f["Bud"] != "The hike" || f["Thorn"] != "" {
		t.Errorf("draft %q", f)
	}
	gitStatusClean(t, a)

	// Piped input and flags neither use the draft nor remove it.
	before, _ := os.ReadFile(path)
	a.IO.InTTY = false
	a.IO.In = strings.NewReader("## Thorn\nThe commute\n")
	if code := a.Run([]string{"checkin", "--date", "2026-11-19"}); code != 0 {
		t.Fatalf("piped: exit %d: %s", code, errOut)
	}
	a.IO.InTTY = true
	if code := a.Run([]string{"checkin", "--date", "2026-11-18", "--bud", "Soup"}); code != 0 {
		t.Fatalf("flags: exit %d: %s", code, errOut)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Errorf("the draft changed off the form:\n%s", after)
	}
	for _, e := range readEntries(t, a, journal.KindCheckin) {
		if s, _ := e.Section("Rose"); s == "A long lunch" {
			t.Errorf("the draft was used by %s", e.Path)
		}
	}

	// The next form is filled with the draft; saving removes it.
	errOut.Reset()
	p2 := &scriptPrompter{forms: []map[string]string{{"Thorn": "The commute"}}}
	a.Prompter = p2
	if code := a.Run([]string{"checkin"}); code != 0 {
		t.Fatalf("resumed: exit %d: %s", code, errOut)
	}
	if f := p2.fields[0]; f[0].Value != "A long lunch" || f[1].Value != "The hike" || f[2].Value != "" {
		t.Errorf("the form was filled with %+v", f)
	}
	if !strings.Contains(errOut.String(), "Picking up the check-in you were writing (kept today at 21:14)") {
		t.Errorf("stderr: %s", errOut)
	}
	e, err := journal.Store{Root: mustJournalDir(a)}.Read("2026/11/2026-11-21-checkin-sam.md")
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]string{"Rose": "A long lunch", "Bud": "The hike", "Thorn": "The commute"} {
		if got, _ := e.Section(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if exists(path) {
		t.Error("the draft is still there after the check-in was saved")
	}
	gitStatusClean(t, a)
}

// TestUnionDraft: the State of the Union asks step by step; interrupted at
// step 3, the answers to steps 1 and 2 and what was typed in step 3 are
// kept, and fill those steps next time. No journal is needed for a draft.
func TestUnionDraft(t *testing.T) {
	agenda := prompts.UnionAgenda()
	p := &scriptPrompter{forms: []map[string]string{
		{agenda[0].Heading: "Dinner on Tuesday"},
		{agenda[1].Heading: "We laughed a lot"},
		{agenda[2].Heading: "Work is a l"},
	}, interruptAt: 3}
	a, _, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"union"}); code != exitInterrupted ||
		!strings.Contains(errOut.String(), "kept what you wrote as a draft; run 'reconnect union' again to pick it up") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(errOut.String(), "\n") != 1 {
		t.Errorf("more than one line:\n%s", errOut)
	}
	if _, err := a.openJournal(false); err == nil {
		t.Error("an interrupted walk created the journal")
	}
	path := draftPath(t, a, "union", "sam", "2026-11-21")
	f := readDraftFields(t, a, path)
	if len(f) != 3 || f[agenda[0].Heading] != "Dinner on Tuesday" || f[agenda[1].Heading] != "We laughed a lot" ||
		f[agenda[2].Heading] != "Work is a l" {
		t.Errorf("draft %q", f)
	}

	forms := make([]map[string]string, len(agenda))
	for i := range forms {
		forms[i] = map[string]string{}
	}
	forms[2][agenda[2].Heading] = "Work is a lot"
	p2 := &scriptPrompter{forms: forms}
	a.Prompter = p2
	if code := a.Run([]string{"union"}); code != 0 {
		t.Fatalf("resumed: exit %d: %s", code, errOut)
	}
	for i, want := range []string{"Dinner on Tuesday", "We laughed a lot", "Work is a l", ""} {
		if got := p2.fields[i][0].Value; got != want {
			t.Errorf("step %d filled with %q, want %q", i+1, got, want)
		}
	}
	e := readEntries(t, a, journal.KindUnion)[0]
	if s, _ := e.Section(agenda[2].Heading); s != "Work is a lot" || len(e.Sections()) != 3 {
		t.Errorf("saved %+v", e.Sections())
	}
	if exists(path) {
		t.Error("the draft is still there after the notes were saved")
	}
	gitStatusClean(t, a)
}

// TestAskDraft: an interrupted answer is kept and filled in next time; an
// answer left empty on purpose drops the draft.
func TestAskDraft(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"answer": "More walks"}}, interruptAt: 1}
	a, out, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"ask"}); code != exitInterrupted ||
		!strings.Contains(errOut.String(), "run 'reconnect ask' again to pick it up") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	path := draftPath(t, a, "ask", "sam", "2026-11-21")
	if f := readDraftFields(t, a, path); f["answer"] != "More walks" {
		t.Errorf("draft %q", f)
	}

	// Interrupted again without typing: the draft stays as it was.
	p2 := &scriptPrompter{forms: []map[string]string{{}}, interruptAt: 1}
	a.Prompter = p2
	if code := a.Run([]string{"ask"}); code != exitInterrupted || p2.fields[0][0].Value != "More walks" {
		t.Fatalf("exit %d, filled %+v: %s", code, p2.fields, errOut)
	}
	if f := readDraftFields(t, a, path); f["answer"] != "More walks" {
		t.Errorf("draft %q", f)
	}

	// Left empty on purpose: answer later, and the draft goes.
	a.Prompter = &scriptPrompter{forms: []map[string]string{{"answer": " "}}}
	if code := a.Run([]string{"ask"}); code != 0 || exists(path) {
		t.Fatalf("exit %d, draft kept %v: %s", code, exists(path), errOut)
	}

	// Interrupted, then answered: saved, and the draft goes.
	a.Prompter = &scriptPrompter{forms: []map[string]string{{"answer": "Sunday mornings"}}, interruptAt: 1}
	if code := a.Run([]string{"ask"}); code != exitInterrupted {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	p4 := &scriptPrompter{forms: []map[string]string{{}}}
	a.Prompter = p4
	out.Reset()
	if code := a.Run([]string{"ask"}); code != 0 || p4.fields[0][0].Value != "Sunday mornings" {
		t.Fatalf("exit %d, filled %+v: %s", code, p4.fields, errOut)
	}
	if !strings.Contains(out.String(), "Saved your answer") || exists(path) {
		t.Errorf("draft kept %v:\n%s", exists(path), out)
	}
}

// An interruption before anything was typed keeps no draft.
func TestNoDraftWhenNothingTyped(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{}}, interruptAt: 1}
	a, _, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"checkin"}); code != exitInterrupted || strings.Contains(errOut.String(), "draft") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if exists(draftPath(t, a, "checkin", "sam", "2026-11-21")) {
		t.Error("a draft of nothing was kept")
	}
}

// TestDraftOfAnotherDay: a draft for another day is mentioned once, with
// the command that picks it up, and dropped draftKeepDays after it was kept.
func TestDraftOfAnotherDay(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"Rose": "The market"}}, interruptAt: 1}
	a, _, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"checkin", "--date", "2026-11-20"}); code != exitInterrupted ||
		!strings.Contains(errOut.String(), "run 'reconnect checkin --date 2026-11-20' again to pick it up") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	path := draftPath(t, a, "checkin", "sam", "2026-11-20")

	mention := "You have an unfinished check-in for yesterday; run 'reconnect checkin --date 2026-11-20' to pick it up (drafts are kept 7 days)."
	for i, want := range []bool{true, false} {
		errOut.Reset()
		a.Prompter = &scriptPrompter{forms: []map[string]string{{"Bud": "Sleep"}}}
		if code := a.Run([]string{"checkin"}); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if got := strings.Contains(errOut.String(), mention); got != want {
			t.Errorf("run %d: mentioned %v, want %v:\n%s", i+1, got, want, errOut)
		}
	}
	if !exists(path) {
		t.Fatal("the other day's draft was dropped by saving today's")
	}
	// It still fills that day's form.
	p3 := &scriptPrompter{forms: []map[string]string{{}}, interruptAt: 1}
	a.Prompter = p3
	a.Run([]string{"checkin", "--date", "2026-11-20"})
	if p3.fields[0][0].Value != "The market" {
		t.Errorf("filled with %+v", p3.fields[0])
	}

	// A week and a day later it is gone.
	later := a.Now().Add((draftKeepDays + 1) * 24 * time.Hour)
	a.Now = func() time.Time { return later }
	a.Prompter = &scriptPrompter{forms: []map[string]string{{"Bud": "Sleep"}}}
	errOut.Reset()
	if code := a.Run([]string{"checkin"}); code != 0 || strings.Contains(errOut.String(), "unfinished") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if exists(path) {
		t.Error("a draft older than draftKeepDays is still there")
	}
}

// TestDraftsPerJournalAndAuthor: drafts of another journal or another
// author are not picked up.
func TestDraftsPerJournalAndAuthor(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"Rose": "Mine"}}, interruptAt: 1}
	a, _, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"checkin"}); code != exitInterrupted {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	other := filepath.Join(t.TempDir(), "other")
	for _, args := range [][]string{{"--as", "sam-jones", "checkin"}, {"--journal", other, "checkin"}} {
		p2 := &scriptPrompter{forms: []map[string]string{{}}, interruptAt: 1}
		a.Prompter = p2
		errOut.Reset()
		a.Run(args)
		if p2.fields[0][0].Value != "" || strings.Contains(errOut.String(), "unfinished") {
			t.Errorf("%v: filled with %+v: %s", args, p2.fields[0], errOut)
		}
	}
}

// TestDraftFileIsJSON: the draft is plain JSON a person can read.
func TestDraftFileIsJSON(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"Rose": "Mine"}}, interruptAt: 1}
	a, _, _ := preparedApp(t, true, p)
	a.Run([]string{"checkin"})
	data, err := os.ReadFile(draftPath(t, a, "checkin", "sam", "2026-11-21"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ritual", "author", "date", "journal", "kept", "fields"} {
		if _, ok := f[k]; !ok {
			t.Errorf("no %q in %s", k, data)
		}
	}
}

// keysReader types its chunks into a form, one read each, then waits for
// done.
type keysReader struct {
	chunks []string
	done   chan struct{}
}

func (k *keysReader) Read(p []byte) (int, error) {
	if len(k.chunks) == 0 {
		<-k.done
		return 0, io.EOF
	}
	n := copy(p, k.chunks[0])
	k.chunks = k.chunks[1:]
	return n, nil
}

// TestHuhFormInterrupted: the real form, typed into and stopped with
// Ctrl-C, returns what every field held with an interruption.
func TestHuhFormInterrupted(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	p := huhPrompter{in: &keysReader{chunks: []string{"A long", " lunch", "\x03"}, done: done}, out: io.Discard}
	got, err := p.Form(t.Context(), "Check-in", []FormField{{Key: "Rose"}, {Key: "Bud", Value: "The hike"}})
	if !interrupted(err) || exitCode(err) != exitInterrupted {
		t.Fatalf("err %v", err)
	}
	if got["Rose"] != "A long lunch" || got["Bud"] != "The hike" {
		t.Errorf("answers %q", got)
	}
}

// The command's context ending under a form (a signal) is an interruption
// too, not huh's "timeout".
func TestHuhFormContextEnds(t *testing.T) {
	done := make(chan struct{})
	defer close(done)
	ctx, cancel := context.WithCancel(t.Context())
	r := &keysReader{done: done}
	go cancel()
	got, err := huhPrompter{in: r, out: io.Discard}.Form(ctx, "", []FormField{{Key: "Rose", Value: "Kept"}})
	if !interrupted(err) || got["Rose"] != "Kept" {
		t.Errorf("answers %q, err %v", got, err)
	}
}

// cancellingPrompter answers a form, then ends the command's context: as
// Ctrl-C just after the form, while the answers wait to be saved.
type cancellingPrompter struct {
	scriptPrompter
	cancel context.CancelFunc
}

func (c *cancellingPrompter) Form(ctx context.Context, title string, fields []FormField) (map[string]string, error) {
	defer c.cancel()
	return c.scriptPrompter.Form(ctx, title, fields)
}

// TestDraftKeptWhenSaveIsInterrupted: Ctrl-C while the answers wait for the
// journal's lock (the partner's sync holds it) keeps them too.
func TestDraftKeptWhenSaveIsInterrupted(t *testing.T) {
	a, _, errOut := preparedApp(t, true, nil)
	if code := a.Run([]string{"thanks", "Start"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	j, err := a.openJournal(false)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := j.Repo.Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	a.Prompter = &cancellingPrompter{scriptPrompter{forms: []map[string]string{{"Rose": "A long lunch"}}}, cancel}
	err = runCheckin(ctx, &checkinOptions{IO: a.IO, Now: a.clock(), Author: a.author, OpenJournal: a.openJournal, Write: a.write,
		Prompter: a.Prompter, Editor: a.Editor, Getenv: a.Getenv, OpenDraft: a.openDraft})
	if exitCode(err) != exitInterrupted || !strings.Contains(err.Error(), "kept what you wrote as a draft") {
		t.Fatalf("exit %d: %v", exitCode(err), err)
	}
	if f := readDraftFields(t, a, draftPath(t, a, "checkin", "sam", "2026-11-21")); f["Rose"] != "A long lunch" {
		t.Errorf("draft %q", f)
	}
}

// TestDraftKeptWhenTextIsRefused: an answer refused as bad input is kept,
// and the hint says so; the next form starts from it.
func TestDraftKeptWhenTextIsRefused(t *testing.T) {
	p := &scriptPrompter{forms: []map[string]string{{"Rose": "A long lunch", "Thorn": "The \x07commute"}}}
	a, _, errOut := preparedApp(t, true, p)
	if code := a.Run([]string{"checkin"}); code != exitUsage ||
		!strings.Contains(errOut.String(), "hint: what you wrote is kept as a draft: run 'reconnect checkin' again to pick it up") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	p2 := &scriptPrompter{forms: []map[string]string{{"Thorn": "The commute"}}}
	a.Prompter = p2
	if code := a.Run([]string{"checkin"}); code != 0 || p2.fields[0][0].Value != "A long lunch" {
		t.Fatalf("exit %d, filled %+v: %s", code, p2.fields[0], errOut)
	}
}
