package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// syncOptions are the sync settings of this invocation: the credentials
// from the environment and the config, the merge of entry files, and
// progress on a terminal.
func (a *App) syncOptions(who string) gitsync.Options {
	token := a.setting("sync.token").value // RECONNECT_TOKEN, then the file
	var progress io.Writer
	if a.IO.ErrTTY {
		progress = a.IO.LiveErr() // the remote's own words, filtered
	}
	return gitsync.Options{
		Auth:        gitsync.Auth{Token: token, SSHKeyFile: a.cfg.Sync.SSHKey},
		Signature:   a.signature(who),
		MergeFile:   journal.MergeFiles,
		EntryAuthor: journal.Owner,
		AuthorName:  journal.AuthorName,
		WrittenBy:   journal.WrittenBy,
		Progress:    progress,
	}
}

// syncState is what this machine remembers about syncing, in .git (it is
// not part of the journal): when it last tried and last succeeded.
type syncState struct {
	LastAttempt time.Time `json:"last_attempt"`
	LastSync    time.Time `json:"last_sync"`
}

func syncStatePath(j *Journal) string { return filepath.Join(j.Dir, ".git", "reconnect-sync.json") }

func readSyncState(j *Journal) syncState {
	var st syncState
	if data, err := os.ReadFile(syncStatePath(j)); err == nil {
		_ = json.Unmarshal(data, &st) // a broken file is only a forgotten time
	}
	return st
}

func writeSyncState(j *Journal, st syncState) {
	data, _ := json.Marshal(st)
	_ = fsutil.WriteFile(syncStatePath(j), data, fsutil.FileMode)
}

// hasRemote reports whether the journal has a remote to sync with.
func hasRemote(j *Journal) bool {
	url, err := j.Repo.RemoteURL()
	return err == nil && url != ""
}

// syncLocked syncs the journal; the caller holds its lock. It records the
// attempt, and the success, for 'status' and for the read interval.
func (a *App) syncLocked(ctx context.Context, j *Journal, who string) (gitsync.Result, error) {
	st := readSyncState(j)
	st.LastAttempt = a.Now()
	res, err := j.Repo.Sync(ctx, a.syncOptions(who))
	if err == nil {
		st.LastSync = a.Now()
	}
	writeSyncState(j, st)
	return res, err
}

// autoSync runs after a write has been reported: when a remote is set and
// sync.auto is on, it syncs within sync.timeout. The entry is already
// committed, so a failure is only a note, never an error.
func (a *App) autoSync(ctx context.Context, j *Journal, who string) {
	if a.global.noSync || !a.cfg.syncAuto() || !hasRemote(j) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.syncTimeout())
	defer cancel()
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		a.IO.Errorf("Saved here; sync will happen later (%s).\n", err)
		return
	}
	defer unlock()
	res, err := a.syncLocked(ctx, j, who)
	switch {
	case err == nil:
		a.reportSync(res, false)
	case errors.Is(err, context.Canceled):
		a.IO.Errorf("Saved here; sync was interrupted and will happen later.\n")
	case isOffline(err) || errors.Is(err, context.DeadlineExceeded):
		a.IO.Errorf("Saved here; the remote is not reachable right now, it will sync later.\n")
	default:
		a.IO.Errorf("Saved here, but sync failed: %s\n", err)
		a.IO.Errorf("reconnect: hint: run 'reconnect sync' to retry and see the whole error\n")
	}
}

// freshen runs before a read: at most once per sync.interval it syncs, so
// the partner's entries show up. Any failure leaves the journal as it is.
func (a *App) freshen(ctx context.Context, j *Journal) {
	if a.global.noSync || !a.cfg.syncAuto() || !hasRemote(j) {
		return
	}
	if st := readSyncState(j); a.Now().Sub(st.LastAttempt) < a.cfg.syncInterval() && !st.LastAttempt.After(a.Now()) {
		return
	}
	who, err := a.author()
	if err != nil {
		return
	}
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(ctx, a.cfg.syncTimeout())
	defer cancel()
	if res, err := a.syncLocked(ctx, j, who); err == nil {
		a.reportSync(res, false)
	} else if !errors.Is(err, context.Canceled) {
		a.IO.Errorf("reconnect: could not sync (%s); showing what is here\n", shortErr(err))
	}
}

// explicitDeadline bounds a sync the user asked for (sync, join, init
// --remote): longer than the one after a write, but a remote that hangs
// still ends in exit 3 rather than forever.
func (a *App) explicitDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	d := 6 * a.cfg.syncTimeout()
	if d < time.Minute {
		d = time.Minute
	}
	return context.WithTimeout(ctx, d)
}

func shortErr(err error) string {
	switch {
	case isOffline(err), errors.Is(err, context.DeadlineExceeded):
		return "the remote is not reachable"
	case errors.Is(err, gitsync.ErrCertificate), errors.Is(err, gitsync.ErrCleartext):
		return err.Error()
	case isAuth(err):
		return "the remote refused the credentials or its host key is not trusted; run 'reconnect sync'"
	}
	return err.Error()
}

// reportSync says what a sync did. Quiet when nothing happened, unless
// the user asked for the sync.
func (a *App) reportSync(res gitsync.Result, asked bool) {
	p := a.IO.Palette()
	switch res.State {
	case gitsync.StateUpToDate:
		if asked {
			a.IO.Printf("Up to date.\n")
		}
	case gitsync.StatePushed:
		a.IO.Errorf("%s Synced: sent %s.\n", p.Green("↻"), plural(res.Pushed, "change"))
	case gitsync.StatePulled:
		a.IO.Errorf("%s Synced: %s from your partner.\n", p.Green("↻"), plural(res.Pulled, "new change"))
	case gitsync.StateMerged:
		a.IO.Errorf("%s Synced: %s from your partner merged with %s of yours.\n", p.Green("↻"),
			plural(res.Pulled, "change"), plural(res.Pushed, "change"))
	}
	if res.HandEdits != (gitsync.Result{}).HandEdits {
		a.IO.Errorf("  Files edited by hand were committed first.\n")
	}
	for _, c := range res.Conflicts {
		a.IO.Errorf("%s Both of you changed the same thing; your partner's version was kept beside yours:\n    %s\n",
			p.Yellow("!"), oneLine(c))
	}
	if len(res.Conflicts) > 0 {
		a.IO.Errorf("reconnect: hint: 'reconnect status' lists conflict copies; keep what matters and delete the copy\n")
	}
	for _, pr := range res.Protected {
		if pr.Copy == "" {
			a.IO.Errorf("%s %s deleted your entry %s; it stays.\n", p.Yellow("!"), oneLine(displayName(pr.By)), oneLine(pr.Path))
		} else {
			a.IO.Errorf("%s %s changed your entry %s; yours stays, theirs is beside it:\n    %s\n", p.Yellow("!"),
				oneLine(displayName(pr.By)), oneLine(pr.Path), oneLine(pr.Copy))
		}
	}
	for _, f := range res.Forged {
		a.IO.Errorf("%s An entry in your name that you did not write arrived: %s\n", p.Yellow("!"), oneLine(f))
	}
	for _, q := range res.Quarantined {
		a.IO.Errorf("%s Kept out of the journal folder (it stays in the history): %s: %s\n", p.Yellow("!"), oneLine(q.Path), oneLine(q.Reason))
	}
	reportArrivals(a.IO, a.openJournal, a.author, a.Now(), res) // "Alex wrote: a check-in, ..."
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func newSyncCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "sync",
		Short: "Share your entries with your partner's, both ways",
		Long: `Sync the journal with its remote: commit any files edited by hand,
bring in your partner's entries, merge them with yours, and send yours.

Nothing is ever lost. Entries you both wrote are merged key by key and
section by section; when the same thing was changed two ways, your
partner's version is kept beside yours as a conflict copy
(<name>.conflict-<author>-<hash>.md) and 'reconnect status' lists it.

Writes sync by themselves when a remote is set (config sync.auto), so you
rarely need this. Exit status 3 means the remote could not be reached (all
is safe here), 4 that it refused the credentials, that its SSH host key or
HTTPS certificate is not trusted, or that a token would have gone over
plain http:// to another machine (refused before connecting).`,
		Example: `  reconnect sync
  reconnect remote git@github.com:sam/us-journal.git && reconnect sync`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			who, err := a.author()
			if err != nil {
				return err
			}
			j, err := a.openJournal(false)
			if err != nil {
				return err
			}
			if !hasRemote(j) {
				return withHint(gitsync.ErrNoRemote, "set one with 'reconnect remote URL' (a folder, an SSH or an HTTPS address)")
			}
			a.keepPrivate(j)
			ctx, cancel := a.explicitDeadline(c.Context())
			defer cancel()
			unlock, err := j.Repo.Lock(ctx)
			if err != nil {
				return err
			}
			defer unlock()
			res, err := a.syncLocked(ctx, j, who)
			if err != nil {
				return syncErrorHint(err)
			}
			a.reportSync(res, true)
			return nil
		},
	}
}

type statusView struct {
	Remote     string     `json:"remote"`
	Tracked    bool       `json:"tracked"`
	Ahead      int        `json:"ahead"`
	Behind     int        `json:"behind"`
	LastSync   *time.Time `json:"last_sync"`
	Conflicts  []string   `json:"conflicts"`
	Journal    string     `json:"journal"`
	HandEdited []string   `json:"hand_edited"`
	// Quarantined are paths of the history kept out of the journal folder.
	Quarantined []quarantinedView `json:"quarantined"`
	// Forged are entries in your name that someone else's commit added.
	Forged []string `json:"forged"`
}

type quarantinedView struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func newStatusCmd(a *App) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "status",
		Short: "What is not yet shared, and conflict copies waiting for you",
		Long: `Show where this journal stands against its remote, as of the last sync:
commits not yet sent or brought in, when it last synced, the remote (with
any secret hidden), files edited by hand not yet committed, and conflict
copies waiting for a person to settle them. It does not use the network.`,
		Example: `  reconnect status
  reconnect status --json`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error {
			j, err := a.openJournal(false)
			if err != nil {
				return err
			}
			st, err := j.Repo.Status(c.Context())
			if err != nil {
				return err
			}
			edits, err := j.Repo.HandEdits()
			if err != nil {
				return err
			}
			v := statusView{Remote: st.Remote, Tracked: st.Tracked, Ahead: st.Ahead, Behind: st.Behind,
				Conflicts: []string{}, Journal: j.Dir, HandEdited: []string{}, Quarantined: []quarantinedView{}, Forged: append([]string{}, st.Forged...)}
			for _, q := range st.Quarantined {
				v.Quarantined = append(v.Quarantined, quarantinedView{Path: q.Path, Reason: q.Reason})
			}
			for _, c := range st.Conflicts {
				if j.Store.Exists(c) { // one deleted by hand is settled
					v.Conflicts = append(v.Conflicts, c)
				}
			}
			for _, e := range edits {
				v.HandEdited = append(v.HandEdited, e.Path)
			}
			if ls := readSyncState(j).LastSync; !ls.IsZero() {
				v.LastSync = &ls
			}
			if asJSON {
				return a.writeJSON(v)
			}
			a.printStatus(v)
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON")
	return c
}

func (a *App) printStatus(v statusView) {
	p := a.IO.Palette()
	a.IO.Printf("Journal:   %s\n", oneLine(v.Journal))
	if v.Remote == "" {
		a.IO.Printf("Remote:    none (set one with 'reconnect remote URL')\n")
	} else {
		a.IO.Printf("Remote:    %s\n", oneLine(v.Remote))
		last := "never"
		if v.LastSync != nil {
			last = v.LastSync.Local().Format("2006-01-02 15:04")
		}
		a.IO.Printf("Last sync: %s\n", last)
		switch {
		case !v.Tracked:
			a.IO.Printf("Not synced yet: run 'reconnect sync'.\n")
		case v.Ahead == 0 && v.Behind == 0:
			a.IO.Printf("Everything is shared.\n")
		default:
			if v.Ahead > 0 {
				a.IO.Printf("%s not yet sent.\n", plural(v.Ahead, "commit"))
			}
			if v.Behind > 0 {
				a.IO.Printf("%s from your partner not yet brought in.\n", plural(v.Behind, "commit"))
			}
		}
	}
	if len(v.HandEdited) > 0 {
		a.IO.Printf("\nEdited by hand, committed at the next sync:\n")
		for _, f := range v.HandEdited {
			a.IO.Printf("  %s\n", oneLine(f))
		}
	}
	if len(v.Conflicts) > 0 {
		a.IO.Printf("\n%s\n", p.Yellow("Conflict copies waiting for you:"))
		for _, f := range v.Conflicts {
			a.IO.Printf("  %s\n", oneLine(f))
		}
		a.IO.Printf("Each is your partner's version of a file you both changed. Move what matters into\n" +
			"the file beside it, then delete the copy; the next sync shares the result.\n")
	}
	if len(v.Quarantined) > 0 {
		a.IO.Printf("\n%s\n", p.Yellow("Kept out of the journal folder (in the history, never written here):"))
		for _, q := range v.Quarantined {
			a.IO.Printf("  %s: %s\n", oneLine(q.Path), oneLine(q.Reason))
		}
	}
	if len(v.Forged) > 0 {
		a.IO.Printf("\n%s\n", p.Yellow("In your name, but not written by you (added by someone else's commit):"))
		for _, f := range v.Forged {
			a.IO.Printf("  %s\n", oneLine(f))
		}
		a.IO.Printf("If you did not write it, delete it; the next sync shares that.\n")
	}
}
