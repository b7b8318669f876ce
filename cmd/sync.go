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

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// syncer is what talking to the remote needs: the streams, the clock, who
// writes and the sync settings of this invocation. A command that syncs
// holds one in its Options, filled by [App.syncer]; the settings are read
// at run time, once the App has resolved the config and the flags.
type syncer struct {
	IO        *IOStreams
	Now       func() time.Time
	Author    func() (string, error)
	Signature func(who string) gitsync.Signature
	Settings  func() syncSettings
	// OpenJournal opens the journal again, for what a report of a sync
	// reads from it beyond the sync's result.
	OpenJournal func(create bool) (*Journal, error)
	// KeyDir is where this machine's key is, for an encrypted remote
	// (cmd/keys.go); Compact, Invite and AcceptRollback go to its seal.
	KeyDir         func() string
	Compact        bool
	Invite         *gitsync.Invite
	AcceptRollback bool
}

// syncSettings are the sync settings of one invocation.
type syncSettings struct {
	// Auto is whether syncs happen by themselves, after a write and
	// before a read: config sync.auto, unless --no-sync.
	Auto     bool
	Timeout  time.Duration // sync.timeout: the bound of a sync nobody asked for
	Interval time.Duration // sync.interval: how often a read may sync
	Token    string        // sync.token: RECONNECT_TOKEN, then the file
	SSHKey   string        // sync.ssh_key
}

// syncer is the App's: its streams, clock and settings.
func (a *App) syncer() *syncer {
	return &syncer{IO: a.IO, Now: a.clock(), Author: a.author, Signature: a.signature, Settings: a.syncSettings,
		OpenJournal: a.openJournal, KeyDir: func() string { return a.cfgDir }}
}

// syncSettings reads this invocation's sync settings.
func (a *App) syncSettings() syncSettings {
	token := a.setting("sync.token").value // RECONNECT_TOKEN, then the file; a.cfg is loaded from here on
	return syncSettings{Auto: !a.global.noSync && a.cfg.syncAuto(), Timeout: a.cfg.syncTimeout(),
		Interval: a.cfg.syncInterval(), Token: token, SSHKey: a.cfg.Sync.SSHKey}
}

// The App's own syncs, for the commands that still take the App.

func (a *App) syncOptions(who string) gitsync.Options { return a.syncer().syncOptions(who) }

func (a *App) syncLocked(ctx context.Context, j *Journal, who string) (gitsync.Result, error) {
	return a.syncer().syncLocked(ctx, j, who)
}

func (a *App) autoSync(ctx context.Context, j *Journal, who string) { a.syncer().autoSync(ctx, j, who) }

func (a *App) freshen(ctx context.Context, j *Journal) { a.syncer().freshen(ctx, j) }

func (a *App) explicitDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return a.syncer().explicitDeadline(ctx)
}

func (a *App) reportSync(res gitsync.Result, asked bool) { a.syncer().reportSync(res, asked) }

// syncOptions are the sync settings of this invocation: the credentials
// from the environment and the config, the merge of entry files, and
// progress on a terminal.
func (s *syncer) syncOptions(who string) gitsync.Options {
	set := s.Settings()
	var progress io.Writer
	if s.IO.ErrTTY {
		progress = s.IO.LiveErr() // the remote's own words, filtered
	}
	return gitsync.Options{
		Auth:        gitsync.Auth{Token: set.Token, SSHKeyFile: set.SSHKey},
		Signature:   s.Signature(who),
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
func (s *syncer) syncLocked(ctx context.Context, j *Journal, who string) (gitsync.Result, error) {
	st := readSyncState(j)
	st.LastAttempt = s.Now()
	opt := s.syncOptions(who)
	if err := s.sealOptions(j, &opt); err != nil {
		return gitsync.Result{}, err
	}
	res, err := j.Repo.Sync(ctx, opt)
	if err == nil {
		st.LastSync = s.Now()
		res = s.revokeUnused(ctx, j, who, sealedSynced(j, opt, res), &opt, res)
		res = s.revealAndSend(ctx, j, who, opt, res)
	}
	writeSyncState(j, st)
	return res, err
}

// autoSync runs after a write has been reported: when a remote is set and
// sync.auto is on, it syncs within sync.timeout. The entry is already
// committed, so a failure is only a note, never an error.
func (s *syncer) autoSync(ctx context.Context, j *Journal, who string) {
	set := s.Settings()
	if !set.Auto || !hasRemote(j) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, set.Timeout)
	defer cancel()
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		s.IO.Errorf("Saved here; sync will happen later (%s).\n", err)
		return
	}
	defer unlock()
	res, err := s.syncLocked(ctx, j, who)
	switch {
	case err == nil:
		s.reportSync(res, false)
	case errors.Is(err, context.Canceled):
		s.IO.Errorf("Saved here; sync was interrupted and will happen later.\n")
	case isOffline(err) || errors.Is(err, context.DeadlineExceeded):
		s.IO.Errorf("Saved here; the remote is not reachable right now, it will sync later.\n")
	default:
		s.IO.Errorf("Saved here, but sync failed: %s\n", err)
		s.IO.Errorf("reconnect: hint: run 'reconnect sync' to retry and see the whole error\n")
	}
}

// freshen runs before a read: at most once per sync.interval it syncs, so
// the partner's entries show up. Any failure leaves the journal as it is.
func (s *syncer) freshen(ctx context.Context, j *Journal) {
	set := s.Settings()
	if !set.Auto || !hasRemote(j) {
		return
	}
	if st := readSyncState(j); s.Now().Sub(st.LastAttempt) < set.Interval && !st.LastAttempt.After(s.Now()) {
		return
	}
	s.syncBefore(ctx, j, set.Timeout)
}

// freshBound is how long the evening screen waits for the remote before it
// shows what is here (or sync.timeout, when that is shorter).
const freshBound = 2 * time.Second

// freshness is how up to date a read is with the partner's journal.
type freshness struct {
	// Stale is set when a sync was tried and did not succeed: what is
	// shown is as of AsOf, the last sync that did (zero: never).
	Stale bool
	AsOf  time.Time
}

// fresh runs before the evening screen: whatever sync.interval says, it
// syncs, within bound (or sync.timeout when shorter), so that what the
// partner has pushed shows up without a manual sync. A remote that does not
// answer in time, or a sync that fails, leaves the journal as it was: the
// result says the screen is stale, and as of when.
func (s *syncer) fresh(ctx context.Context, j *Journal, bound time.Duration) freshness {
	set := s.Settings()
	if !set.Auto || !hasRemote(j) {
		return freshness{}
	}
	if set.Timeout < bound {
		bound = set.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, bound) // the wait for the lock too
	defer cancel()
	if s.syncBefore(ctx, j, bound) {
		return freshness{}
	}
	return freshness{Stale: true, AsOf: readSyncState(j).LastSync}
}

// syncBefore syncs before a read, within bound once it holds the lock,
// and reports whether it synced. A failed sync is one line on stderr.
func (s *syncer) syncBefore(ctx context.Context, j *Journal, bound time.Duration) bool {
	who, err := s.Author()
	if err != nil {
		return false
	}
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return false // another command is syncing or writing: it says so
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	res, err := s.syncLocked(ctx, j, who)
	switch {
	case err == nil:
		s.reportSync(res, false)
		return true
	case !errors.Is(err, context.Canceled):
		s.IO.Errorf("reconnect: could not sync (%s); showing what is here\n", shortErr(err))
	}
	return false
}

// asOf says how old what a stale screen shows is, seen from now: "as of
// 21:14", "as of yesterday 21:14", or "not synced yet".
func asOf(f freshness, now time.Time) string {
	if f.AsOf.IsZero() {
		return "not synced yet"
	}
	t := f.AsOf.In(now.Location())
	if d := civil.Of(t); d != civil.Of(now) {
		return "as of " + dayNameFrom(civil.Of(now), d) + " " + t.Format("15:04")
	}
	return "as of " + t.Format("15:04")
}

// explicitDeadline bounds a sync the user asked for (sync, join, init
// --remote): longer than the one after a write, but a remote that hangs
// still ends in exit 3 rather than forever.
func (s *syncer) explicitDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	d := 6 * s.Settings().Timeout
	if d < time.Minute {
		d = time.Minute
	}
	return context.WithTimeout(ctx, d)
}

// lockForSync takes j's lock for an explicit sync, bounded by its
// deadline ([syncer.explicitDeadline]), lock wait included: ctx is the
// bounded context, release unlocks and ends it.
func (s *syncer) lockForSync(ctx context.Context, j *Journal) (_ context.Context, release func(), err error) {
	ctx, cancel := s.explicitDeadline(ctx)
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, func() { unlock(); cancel() }, nil
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
func (s *syncer) reportSync(res gitsync.Result, asked bool) {
	p := s.IO.Palette()
	switch res.State {
	case gitsync.StateUpToDate:
		if asked {
			s.IO.Printf("Up to date.\n")
		}
	case gitsync.StatePushed:
		s.IO.Errorf("%s Synced: sent %s.\n", p.Green("↻"), plural(res.Pushed, "change"))
	case gitsync.StatePulled:
		s.IO.Errorf("%s Synced: %s from your partner.\n", p.Green("↻"), plural(res.Pulled, "new change"))
	case gitsync.StateMerged:
		s.IO.Errorf("%s Synced: %s from your partner merged with %s of yours.\n", p.Green("↻"),
			plural(res.Pulled, "change"), plural(res.Pushed, "change"))
	}
	if res.HandEdits != (gitsync.Result{}).HandEdits {
		s.IO.Errorf("  Files edited by hand were committed first.\n")
	}
	for _, c := range res.Conflicts {
		s.IO.Errorf("%s Both of you changed the same thing; your partner's version was kept beside yours:\n    %s\n",
			p.Yellow("!"), oneLine(c))
	}
	if len(res.Conflicts) > 0 {
		s.IO.Errorf("reconnect: hint: 'reconnect status' lists conflict copies; keep what matters and delete the copy\n")
	}
	for _, pr := range res.Protected {
		if pr.Copy == "" {
			s.IO.Errorf("%s %s deleted your entry %s; it stays.\n", p.Yellow("!"), oneLine(displayName(pr.By)), oneLine(pr.Path))
		} else {
			s.IO.Errorf("%s %s changed your entry %s; yours stays, theirs is beside it:\n    %s\n", p.Yellow("!"),
				oneLine(displayName(pr.By)), oneLine(pr.Path), oneLine(pr.Copy))
		}
	}
	for _, f := range res.Forged {
		s.IO.Errorf("%s An entry in your name that you did not write arrived: %s\n", p.Yellow("!"), oneLine(f))
	}
	for _, q := range res.Quarantined {
		s.IO.Errorf("%s Kept out of the journal folder (it stays in the history): %s: %s\n", p.Yellow("!"), oneLine(q.Path), oneLine(q.Reason))
	}
	reportArrivals(s.IO, s.OpenJournal, s.Author, s.Now(), res) // "Alex wrote: a check-in, ..."
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// syncCmdOptions is what 'sync' uses.
type syncCmdOptions struct {
	Sync        *syncer
	OpenJournal func(create bool) (*Journal, error)
	KeepPrivate func(*Journal)
}

// newSyncCmd is 'sync', as root.go builds it.

// newSyncCmd is 'sync'. runF runs it, given the options filled from
// the flags; nil is runSync.
func newSyncCmd(a *App, runF func(context.Context, *syncCmdOptions) error) *cobra.Command {
	if runF == nil {
		runF = runSync
	}
	opts := &syncCmdOptions{Sync: a.syncer(), OpenJournal: a.openJournal, KeepPrivate: a.keepPrivate}
	c := &cobra.Command{
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
plain http:// to another machine (refused before connecting), or that an
encrypted remote is damaged or no key here opens it (nothing applied).

An encrypted remote (see 'reconnect keys') gains one encrypted pack per
sync; --compact replaces them with one (done by itself past 50).

Every push to an encrypted remote is numbered, and this machine remembers
the highest it has seen there. A remote that comes back at an earlier push
(the host restored an old copy, or hides newer pushes) is refused with exit
4, nothing applied or sent. If you restored it yourself, from a backup,
--accept-rollback takes it: the journal here is whole, so that sync sends
what the copy lacks, numbered above what this machine saw.`,
		Example: `  reconnect sync
  reconnect remote git@github.com:sam/us-journal.git && reconnect sync
  reconnect sync --accept-rollback   # after restoring the encrypted remote from a backup`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.Sync.Compact, "compact", false, "on an encrypted remote, replace its packs with one")
	c.Flags().BoolVar(&opts.Sync.AcceptRollback, "accept-rollback", false, "take an encrypted remote that went back to an earlier state (a copy you restored) instead of refusing it")
	return c
}

func runSync(ctx context.Context, opts *syncCmdOptions) error {
	who, err := opts.Sync.Author()
	if err != nil {
		return err
	}
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	if !hasRemote(j) {
		return withHint(gitsync.ErrNoRemote, "set one with 'reconnect remote URL' (a folder, an SSH or an HTTPS address)")
	}
	opts.KeepPrivate(j)
	ctx, release, err := opts.Sync.lockForSync(ctx, j)
	if err != nil {
		return err
	}
	defer release()
	res, err := opts.Sync.syncLocked(ctx, j, who)
	if err != nil {
		return syncErrorHint(err)
	}
	opts.Sync.reportSync(res, true)
	return nil
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

// statusOptions is what 'status' uses: its dependencies, then its flags.
type statusOptions struct {
	IO          *IOStreams
	OpenJournal func(create bool) (*Journal, error)

	JSON bool
}

// newStatusCmd is 'status', as root.go builds it.

// newStatusCmd is 'status'. runF runs it, given the options filled
// from the flags; nil is runStatus.
func newStatusCmd(a *App, runF func(context.Context, *statusOptions) error) *cobra.Command {
	if runF == nil {
		runF = runStatus
	}
	opts := &statusOptions{IO: a.IO, OpenJournal: a.openJournal}
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
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the status as JSON")
	return c
}

func runStatus(ctx context.Context, opts *statusOptions) error {
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	st, err := j.Repo.Status(ctx)
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
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	printStatus(opts.IO, v)
	return nil
}

func printStatus(io *IOStreams, v statusView) {
	p := io.Palette()
	io.Printf("Journal:   %s\n", oneLine(v.Journal))
	if v.Remote == "" {
		io.Printf("Remote:    none (set one with 'reconnect remote URL')\n")
	} else {
		io.Printf("Remote:    %s\n", oneLine(v.Remote))
		last := "never"
		if v.LastSync != nil {
			last = v.LastSync.Local().Format("2006-01-02 15:04")
		}
		io.Printf("Last sync: %s\n", last)
		switch {
		case !v.Tracked:
			io.Printf("Not synced yet: run 'reconnect sync'.\n")
		case v.Ahead == 0 && v.Behind == 0:
			io.Printf("Everything is shared.\n")
		default:
			if v.Ahead > 0 {
				io.Printf("%s not yet sent.\n", plural(v.Ahead, "commit"))
			}
			if v.Behind > 0 {
				io.Printf("%s from your partner not yet brought in.\n", plural(v.Behind, "commit"))
			}
		}
	}
	if len(v.HandEdited) > 0 {
		io.Printf("\nEdited by hand, committed at the next sync:\n")
		for _, f := range v.HandEdited {
			io.Printf("  %s\n", oneLine(f))
		}
	}
	if len(v.Conflicts) > 0 {
		io.Printf("\n%s\n", p.Yellow("Conflict copies waiting for you:"))
		for _, f := range v.Conflicts {
			io.Printf("  %s\n", oneLine(f))
		}
		io.Printf("Each is your partner's version of a file you both changed. Move what matters into\n" +
			"the file beside it, then delete the copy; the next sync shares the result.\n")
	}
	if len(v.Quarantined) > 0 {
		io.Printf("\n%s\n", p.Yellow("Kept out of the journal folder (in the history, never written here):"))
		for _, q := range v.Quarantined {
			io.Printf("  %s: %s\n", oneLine(q.Path), oneLine(q.Reason))
		}
	}
	if len(v.Forged) > 0 {
		io.Printf("\n%s\n", p.Yellow("In your name, but not written by you (added by someone else's commit):"))
		for _, f := range v.Forged {
			io.Printf("  %s\n", oneLine(f))
		}
		io.Printf("If you did not write it, delete it; the next sync shares that.\n")
	}
}
