package cmd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
)

// Drafts keep what was typed into a form in 'checkin', 'union' and 'ask'
// when the ritual stops before saving it (Ctrl-C in the form or while
// waiting for the journal's lock, a signal, a refused text), so that
// running the same ritual for the same day again, at a terminal, fills the
// form with it.
//
// Where: $XDG_STATE_HOME/reconnect/drafts/<journal>/<ritual>-<author>-<day>.json
// (~/.local/state when XDG_STATE_HOME is unset), <journal> being a hash of
// the journal's folder so two journals never share a draft. Not the
// journal's .git folder: a first check-in is interrupted before there is a
// journal, and a draft there could be copied along by a tool that syncs or
// backs up the folder. The XDG state folder is meant for exactly this: state
// that outlives a run but is neither the user's data nor portable. A draft
// is never in the journal's work tree, so it is never committed, never
// synced, and never shows in 'git status'.
//
// A draft is private (a 0600 file in 0700 folders), written atomically, and
// removed when the ritual is saved from the form. Piped input, flags and
// --edit neither read nor remove it. A draft for another day is mentioned
// once, with the command that picks it up; a draft is dropped
// [draftKeepDays] days after it was kept.

// draftKeepDays is how long a draft is kept.
const draftKeepDays = 7

// draftFile is a draft on disk.
type draftFile struct {
	Ritual  string            `json:"ritual"`
	Author  string            `json:"author"`
	Date    string            `json:"date"` // the day of the entry, YYYY-MM-DD
	Journal string            `json:"journal"`
	Kept    time.Time         `json:"kept"`
	Fields  map[string]string `json:"fields"` // form field key -> what it held
	// Mentioned is set once a run for another day has said it is here.
	Mentioned bool `json:"mentioned,omitempty"`
}

// formDraft is one ritual's draft for one author and day, as its form uses
// it: what was loaded, what the form showed, what was typed.
type formDraft struct {
	io     *IOStreams
	now    func() time.Time
	path   string
	rerun  string // the command line that picks it up
	file   draftFile
	loaded bool              // a draft was on disk and filled the form
	shown  map[string]string // key -> the value a field was shown with
}

// draftKeptError is an interrupted form whose text was kept as a draft: it
// unwraps to the interruption (exit 130).
type draftKeptError struct {
	rerun string
	err   error
}

func (e *draftKeptError) Error() string {
	return fmt.Sprintf("kept what you wrote as a draft; run '%s' again to pick it up", e.rerun)
}
func (e *draftKeptError) Unwrap() error { return e.err }

// interrupted is a form (or anything else) stopped by the user.
func interrupted(err error) bool { return errors.Is(err, context.Canceled) }

// stateDir is $XDG_STATE_HOME/reconnect, else ~/.local/state/reconnect.
func (a *App) stateDir() string {
	if d := a.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "reconnect")
	}
	return filepath.Join(homeDir(a.Getenv), ".local", "state", "reconnect")
}

// draftDir is the folder of the journal's drafts, and the journal's folder.
func (a *App) draftDir() (string, string, error) {
	journalDir, err := a.journalDir()
	if err != nil {
		return "", "", err
	}
	return draftDirOf(a.stateDir(), journalDir), journalDir, nil
}

// draftDirOf is the folder, under stateDir, of the drafts of the journal
// in journalDir.
func draftDirOf(stateDir, journalDir string) string {
	sum := sha256.Sum256([]byte(journalDir))
	return filepath.Join(stateDir, "drafts", hex.EncodeToString(sum[:8]))
}

// drafts is where one journal's drafts are kept and how a ritual is run
// again: what opening a draft uses.
type drafts struct {
	IO  *IOStreams
	Now func() time.Time
	// Dir is the journal's drafts folder, Journal the journal's folder;
	// both "" when where the journal is could not be told (no draft then).
	Dir, Journal string
	// JournalFlag and NameFlag are the global --journal and --as
	// given this time, repeated in the command that picks a draft up.
	JournalFlag, NameFlag string
}

// drafts is the drafts of the journal this command runs on.
func (a *App) drafts() drafts {
	d := drafts{IO: a.IO, Now: a.clock(), JournalFlag: a.global.journal, NameFlag: a.global.name}
	if dir, journalDir, err := a.draftDir(); err == nil {
		d.Dir, d.Journal = dir, journalDir
	}
	return d
}

// openDraft is [drafts.open] on the drafts of the journal this command
// runs on: what a ritual's Options hold as OpenDraft.
func (a *App) openDraft(ritual, what, who string, day civil.Date) *formDraft {
	return a.drafts().open(ritual, what, who, day)
}

// open is the draft of ritual (a command name: "checkin") by who for
// day, loaded when there is one; what names the ritual to a person ("check-in").
// Only a form at a terminal calls it. Drafts are a convenience: one that
// cannot be read is reported and otherwise ignored, never a failure.
func (ds drafts) open(ritual, what, who string, day civil.Date) *formDraft {
	d := &formDraft{io: ds.IO, now: ds.Now, rerun: ds.rerun(ritual, day), shown: map[string]string{},
		file: draftFile{Ritual: ritual, Author: who, Date: day.String(), Fields: map[string]string{}}}
	if ds.Dir == "" {
		return d
	}
	d.file.Journal = ds.Journal
	d.path = filepath.Join(ds.Dir, draftName(ritual, who, day.String()))
	ds.sweep(ritual, what, who, day)
	f, err := readDraft(d.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		ds.IO.Errorf("reconnect: warning: a draft could not be read and is ignored: %v\n", err)
	case f.Ritual == ritual && f.Author == who && f.Date == day.String():
		if f.Fields != nil {
			d.file.Fields = f.Fields
		}
		d.loaded = true
		now := ds.Now()
		ds.IO.Errorf("Picking up the %s you were writing (kept %s at %s): it is filled in below.\n",
			what, dayNameAt(now, civil.Of(f.Kept.In(now.Location()))), f.Kept.In(now.Location()).Format("15:04"))
	}
	return d
}

func draftName(ritual, who, day string) string { return ritual + "-" + who + "-" + day + ".json" }

func readDraft(path string) (draftFile, error) {
	var f draftFile
	data, err := os.ReadFile(path)
	if err != nil {
		return f, err
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return f, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// sweep drops who's drafts of ritual kept more than draftKeepDays ago and
// mentions, once, one for a day other than day.
func (ds drafts) sweep(ritual, what, who string, day civil.Date) {
	names, _ := filepath.Glob(filepath.Join(ds.Dir, draftName(ritual, who, "*")))
	for _, path := range names {
		// "checkin-sam-*" also matches sam-jones's drafts: the rest of the
		// name must be a day.
		rest := strings.TrimPrefix(filepath.Base(path), ritual+"-"+who+"-")
		if _, err := civil.Parse(strings.TrimSuffix(rest, ".json")); err != nil {
			continue
		}
		f, err := readDraft(path)
		kept := f.Kept
		if err != nil {
			fi, serr := os.Stat(path)
			if serr != nil {
				continue
			}
			kept = fi.ModTime()
		}
		if ds.Now().Sub(kept) > draftKeepDays*24*time.Hour {
			_ = os.Remove(path)
			continue
		}
		if err != nil || f.Date == day.String() || f.Mentioned {
			continue
		}
		other, err := civil.Parse(f.Date)
		if err != nil {
			continue
		}
		ds.IO.Errorf("You have an unfinished %s for %s; run '%s' to pick it up (drafts are kept %d days).\n",
			what, dayNameAt(ds.Now(), other), ds.rerun(ritual, other), draftKeepDays)
		f.Mentioned = true
		_ = writeDraft(path, f)
	}
}

// rerun is the command line that runs ritual for day again, with the
// journal and author flags given this time.
func (ds drafts) rerun(ritual string, day civil.Date) string {
	parts := []string{"reconnect"}
	if ds.JournalFlag != "" {
		parts = append(parts, "--journal", shellQuote(ds.JournalFlag))
	}
	if ds.NameFlag != "" {
		parts = append(parts, "--as", ds.NameFlag)
	}
	parts = append(parts, ritual)
	if day != civil.Of(ds.Now()) {
		parts = append(parts, "--date", day.String())
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./~") == "" {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`").Replace(s) + `"`
}

func writeDraft(path string, f draftFile) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), fsutil.DirMode); err != nil {
		return err
	}
	// The folder is ours: private even when it was made some other way.
	if err := os.Chmod(filepath.Dir(path), fsutil.DirMode); err != nil {
		return err
	}
	return fsutil.WriteFile(path, append(data, '\n'), fsutil.FileMode)
}

// fill sets each field's value from the draft, where it has one, and
// remembers what every field was shown with.
func (d *formDraft) fill(fields []FormField) {
	if d == nil {
		return
	}
	for i, f := range fields {
		if v, ok := d.file.Fields[f.Key]; ok && d.loaded {
			fields[i].Value = v
		}
		d.shown[f.Key] = fields[i].Value
	}
}

// answered records what a form returned, completed or interrupted: the
// draft is made of them if the ritual stops before it is saved. A ritual
// that asks in several forms (the State of the Union) records each.
func (d *formDraft) answered(values map[string]string) {
	if d == nil {
		return
	}
	for k, v := range values {
		d.file.Fields[k] = v
	}
}

// keep is called with the error that stopped a ritual after its form was
// shown: the form interrupted (Ctrl-C), or its answers not saved (Ctrl-C
// while waiting for the journal's lock, a refused text). When what the
// forms hold, as recorded by [formDraft.answered], differs from what they
// showed, it is written as the draft, with what the draft held for forms
// not reached. The error then says so: an interruption stays one (exit
// 130); any other error gets a hint.
func (d *formDraft) keep(err error) error {
	if d == nil || err == nil || d.path == "" {
		return err
	}
	changed := false
	for k, v := range d.file.Fields {
		if s, ok := d.shown[k]; ok && s != v {
			changed = true
		}
	}
	if changed {
		d.file.Kept = d.now().Round(0).Truncate(time.Second)
		if werr := writeDraft(d.path, d.file); werr != nil {
			return fmt.Errorf("%w; what you wrote could not be kept as a draft: %v", err, werr)
		}
	} else if !d.loaded {
		return err // nothing typed, no draft
	}
	if interrupted(err) {
		return &draftKeptError{rerun: d.rerun, err: err}
	}
	hint := fmt.Sprintf("what you wrote is kept as a draft: run '%s' again to pick it up", d.rerun)
	if h := hintOf(err); h != "" {
		hint = h + "; " + hint
	}
	return withHint(err, "%s", hint)
}

// done removes the draft: what it held has been saved (or, from a form
// completed on purpose, cleared).
func (d *formDraft) done() {
	if d == nil || d.path == "" {
		return
	}
	if err := os.Remove(d.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.io.Errorf("reconnect: warning: the draft %s could not be removed: %v\n", d.path, err)
	}
}
