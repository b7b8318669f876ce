package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/internal/fsutil"
	"github.com/reconnect-app/reconnect/internal/keys"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// keysOptions is what 'keys' and its subcommands use: their dependencies
// (filled from the App by the constructor), then the flags.
type keysOptions struct {
	IO  *IOStreams
	Now func() time.Time
	// KeyDir is the config folder, where this machine's key lives.
	KeyDir      func() string
	OpenJournal func(create bool) (*Journal, error)
	Sync        *syncer

	JSON bool
	// Expires is how long an invitation lives ('keys invite --expires'):
	// "" is keys.DefaultLifetime.
	Expires string
}

// newKeysCmd is 'keys', with 'keys recovery' and 'keys invite'. runF runs
// 'keys' itself; nil is runKeys.
func newKeysCmd(a *App, runF func(context.Context, *keysOptions) error) *cobra.Command {
	if runF == nil {
		runF = runKeys
	}
	newOpts := func() *keysOptions {
		return &keysOptions{IO: a.IO, Now: a.clock(), KeyDir: func() string { return a.cfgDir }, OpenJournal: a.openJournal, Sync: a.syncer()}
	}
	opts := newOpts()
	c := &cobra.Command{
		Use:   "keys",
		Short: "Show the keys of the encrypted remote",
		Long: `Show your public key and the keys the journal's remote is encrypted to.

An encrypted journal ('reconnect init --encrypt') stays plain on your
machines and reaches the remote only as age ciphertext: the host sees sizes
and push times, nothing else. Your key (private) is in the config folder,
0600, never in the journal; the couple's public keys are in reconnect.yaml.

'reconnect keys invite' makes a one-time invitation for your partner;
'reconnect keys recovery' prints a recovery key to keep on paper. Losing
every key (yours, your partner's and the recovery key) loses the remote
copy: nobody can decrypt it.`,
		Example: `  reconnect keys
  reconnect keys --json
  reconnect keys invite
  reconnect keys recovery`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runF(c.Context(), opts) },
	}
	c.GroupID = "share"
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the keys as JSON")

	recovery := newOpts()
	c.AddCommand(&cobra.Command{
		Use:   "recovery",
		Short: "Print a recovery key for the encrypted remote, once",
		Long: `Make a recovery key, add it to the keys the remote is encrypted to, and
print it, once: write it on paper and keep it away from your machines. With
it, the journal can be read from the remote if every other key is lost: put
it in the config folder as age-identity.txt on a new machine and run
'reconnect join URL'. Anyone who holds it can read the journal.`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runKeysRecovery(c.Context(), recovery) },
	})
	invite := newOpts()
	inviteCmd := &cobra.Command{
		Use:   "invite",
		Short: "Make a one-time invitation for your partner to the encrypted remote",
		Long: `Make a key for your partner, add it to the keys the remote is encrypted to,
and leave it on the remote encrypted with a random passphrase. The code
printed holds the invitation's id and the passphrase: give it to your
partner (say it, or send it where only they read it), who runs
'reconnect join URL --invite CODE'. The host never sees the code. The
invitation stays on the remote, encrypted, until your partner joins with it.

An invitation expires after a week (--expires 3d, 12h or 2w; at most 30
days): a join after that is refused, and this machine's first sync after
it takes the invitation off the remote and, since nobody used it, its key
off the couple's (the remote is re-encrypted without it). The time is
inside the encrypted invitation, so the host cannot change it.`,
		Example: `  reconnect keys invite
  reconnect keys invite --expires 3d`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(c *cobra.Command, _ []string) error { return runKeysInvite(c.Context(), invite) },
	}
	inviteCmd.Flags().StringVar(&invite.Expires, "expires", "", "how long the invitation lives: hours, days or weeks like 12h, 3d or 2w (default 7d, at most 30d)")
	c.AddCommand(inviteCmd)
	return c
}

type keysView struct {
	PublicKey  string   `json:"public_key"`
	KeyFile    string   `json:"key_file"`
	Encrypted  bool     `json:"encrypted"`
	Recipients []string `json:"recipients"`
}

func runKeys(_ context.Context, opts *keysOptions) error {
	v := keysView{KeyFile: keys.Path(opts.KeyDir()), Recipients: []string{}}
	id, err := keys.Load(opts.KeyDir())
	switch {
	case err == nil:
		v.PublicKey = id.Recipient().String()
	case !errors.Is(err, keys.ErrNoIdentity):
		return err
	}
	j, err := opts.OpenJournal(false)
	switch {
	case err == nil:
		set, err := journalKeys(j.Dir)
		if err != nil {
			return err
		}
		v.Encrypted = set.Encrypt
		v.Recipients = append(v.Recipients, set.Recipients...)
	case !errors.Is(err, errNoJournal):
		return err
	}
	if opts.JSON {
		return writeJSONTo(opts.IO.Out, v)
	}
	if v.PublicKey == "" {
		opts.IO.Printf("No key on this machine yet: 'reconnect init --encrypt --remote URL' makes one, or join with an invitation.\n")
	} else {
		opts.IO.Printf("Your public key: %s\n  (your private key is in %s, never in the journal)\n", v.PublicKey, v.KeyFile)
	}
	if !v.Encrypted {
		opts.IO.Printf("The journal's remote is not encrypted.\n")
		return nil
	}
	opts.IO.Printf("The remote is encrypted to:\n")
	for _, r := range v.Recipients {
		mark := ""
		if r == v.PublicKey {
			mark = " (you)"
		}
		opts.IO.Printf("  %s%s\n", oneLine(r), mark)
	}
	return nil
}

// journalKeys reads the encryption settings of the journal at dir.
func journalKeys(dir string) (keys.Settings, error) {
	b, err := os.ReadFile(filepath.Join(dir, journalMarker))
	if err != nil {
		return keys.Settings{}, err
	}
	return keys.Read(b)
}

// sealFor is the seal of the journal at dir with this machine's key in
// keyDir: nil for a journal whose remote is plain. Everything sent is
// encrypted to the couple's keys and this machine's.
func sealFor(dir, keyDir string) (*gitsync.Seal, error) {
	set, err := journalKeys(dir)
	if err != nil || !set.Encrypt {
		return nil, err
	}
	seal := &gitsync.Seal{}
	rs := set.Recipients
	id, err := keys.Load(keyDir)
	switch {
	case err == nil:
		seal.Identities = append(seal.Identities, id)
		rs = keys.Add(rs, id.Recipient().String())
	case !errors.Is(err, keys.ErrNoIdentity):
		return nil, err
	}
	if seal.Recipients, err = keys.Parse(rs); err != nil {
		return nil, err
	}
	if b, err := os.ReadFile(inviteUsedPath(dir)); err == nil {
		seal.Drop = strings.Fields(string(b))
	}
	return seal, nil
}

// inviteUsedPath records the invitation this machine joined with, for its
// first push to take off the remote.
func inviteUsedPath(dir string) string { return filepath.Join(dir, ".git", "reconnect-invite-used") }

// invitesMadePath records the invitations this machine made, with their
// expiry (keys.Made), so that a sync after one expired takes it off the
// remote. In .git: this machine's, never synced.
func invitesMadePath(dir string) string { return filepath.Join(dir, ".git", "reconnect-invites.json") }

// sealOptions adds the encrypted remote's seal to opt (nothing for a plain
// one). Its Drop names the invitation this machine joined with and the
// expired ones it made: the sync takes them off the remote.
func (s *syncer) sealOptions(j *Journal, opt *gitsync.Options) error {
	if s.KeyDir == nil {
		return nil
	}
	seal, err := sealFor(j.Dir, s.KeyDir())
	if err != nil || seal == nil {
		return err
	}
	seal.Compact, seal.Invite, seal.AcceptRollback = s.Compact, s.Invite, s.AcceptRollback
	expired, _ := keys.Expired(keys.LoadMade(invitesMadePath(j.Dir)), s.Now())
	seal.Drop = append(seal.Drop, expired...)
	opt.Seal = seal
	return nil
}

// setJournalKeys commits reconnect.yaml with the remote encrypted to rs.
func setJournalKeys(j *Journal, sig gitsync.Signature, rs []string, msg string) error {
	b, err := os.ReadFile(filepath.Join(j.Dir, journalMarker))
	if err != nil {
		return err
	}
	out, err := keys.Write(b, keys.Settings{Encrypt: true, Recipients: rs})
	if err != nil {
		return err
	}
	_, err = j.Repo.Commit(msg, sig, gitsync.Change{Path: journalMarker, Data: out})
	if errors.Is(err, gitsync.ErrNoChange) {
		return nil
	}
	return err
}

// encryptedJournal opens the journal and checks that its remote is an
// encrypted one.
func encryptedJournal(opts *keysOptions) (*Journal, keys.Settings, error) {
	j, err := opts.OpenJournal(false)
	if err != nil {
		return nil, keys.Settings{}, err
	}
	set, err := journalKeys(j.Dir)
	if err != nil {
		return nil, set, err
	}
	if !set.Encrypt {
		return nil, set, withHint(usagef("the journal's remote is not encrypted"),
			"move it to an encrypted remote: reconnect remote --encrypt NEW_URL")
	}
	return j, set, nil
}

// addKeyAndSync adds the public key r to the journal's, commits, and
// syncs (re-encrypting the remote for it), with invite left on the remote.
// A sync that fails leaves the key committed: the next sync sends it.
// made, when set, is the invitation as this machine remembers it, until
// it expires: recorded under the lock, before it is sent, so that an
// invitation that reaches the remote is one this machine takes off it.
func addKeyAndSync(ctx context.Context, opts *keysOptions, j *Journal, set keys.Settings, r, msg string, invite *gitsync.Invite, made *keys.Made) error {
	who, err := opts.Sync.Author()
	if err != nil {
		return err
	}
	ctx, release, err := opts.Sync.lockForSync(ctx, j)
	if err != nil {
		return err
	}
	defer release()
	if made != nil {
		if err := keys.SaveMade(invitesMadePath(j.Dir), append(keys.LoadMade(invitesMadePath(j.Dir)), *made)); err != nil {
			return err
		}
	}
	rs := set.Recipients
	if id, err := keys.Load(opts.KeyDir()); err == nil {
		rs = keys.Add(rs, id.Recipient().String())
	}
	if err := setJournalKeys(j, opts.Sync.Signature(who), keys.Add(rs, r), msg); err != nil {
		return err
	}
	if !hasRemote(j) {
		return nil
	}
	s := *opts.Sync
	s.Invite = invite
	res, err := s.syncLocked(ctx, j, who)
	if err != nil {
		return err
	}
	s.reportSync(res, false)
	return nil
}

func runKeysRecovery(ctx context.Context, opts *keysOptions) error {
	j, set, err := encryptedJournal(opts)
	if err != nil {
		return err
	}
	rec, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	err = addKeyAndSync(ctx, opts, j, set, rec.Recipient().String(), "keys: a recovery key", nil, nil)
	if err != nil && !isOffline(err) {
		return syncErrorHint(err)
	}
	opts.IO.Printf("Your recovery key, shown this once: write it on paper and keep it away from your machines.\n\n  %s\n\n", rec.String())
	opts.IO.Printf("With it the journal can be read from the remote if every other key is lost;\nanyone who holds it can read the journal.\n")
	if err != nil {
		opts.IO.Errorf("reconnect: the remote is not reachable; the next sync encrypts it for this key too\n")
	}
	return nil
}

func runKeysInvite(ctx context.Context, opts *keysOptions) error {
	life := keys.DefaultLifetime
	if opts.Expires != "" {
		d, err := keys.ParseLifetime(opts.Expires)
		if err != nil {
			return withHint(badInput(fmt.Errorf("--expires %w", err)), "reconnect keys invite --expires 3d")
		}
		life = d
	}
	j, set, err := encryptedJournal(opts)
	if err != nil {
		return err
	}
	url, err := j.Repo.RemoteURL()
	if err != nil {
		return err
	}
	if url == "" {
		return withHint(gitsync.ErrNoRemote, "set one with 'reconnect remote --encrypt URL'")
	}
	code, id, pass, err := keys.NewCode()
	if err != nil {
		return err
	}
	partner, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	expires := opts.Now().Add(life)
	data, err := keys.SealUntil(partner, pass, expires)
	if err != nil {
		return err
	}
	if err := addKeyAndSync(ctx, opts, j, set, partner.Recipient().String(), "keys: an invitation for the partner",
		&gitsync.Invite{ID: id, Data: data}, &keys.Made{ID: id, Expires: expires, Key: partner.Recipient().String()}); err != nil {
		return withHint(fmt.Errorf("the invitation could not be sent: %w", err), "run 'reconnect keys invite' again when the remote is reachable")
	}
	opts.IO.Printf("Invitation for your partner (give them this code once, where only they read it):\n\n  %s\n\nOn their machine:\n\n  reconnect join %s --invite %s\n",
		code, oneLine(shellQuote(cleanURL(url))), code)
	opts.IO.Printf("\nIt expires %s (in %s).\n", expires.Format("Mon 2 Jan 2006 15:04"), lifetimeText(life))
	return nil
}

// lifetimeText is how long an invitation lives, in words: "7 days",
// "12 hours".
func lifetimeText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return plural(int(d/(24*time.Hour)), "day")
	}
	return plural(int(d/time.Hour), "hour")
}

// joinSealed joins the encrypted remote at url into dir (missing or
// empty): with the invitation code when given, else with this machine's
// key.
func joinSealed(ctx context.Context, opts *joinOptions, dir string) error {
	who, err := opts.Author()
	if err != nil && opts.Name == "" {
		return err
	}
	if opts.Name != "" {
		who = opts.Name
	}
	ids, inviteID, own, err := joinKeys(ctx, opts, who)
	if err != nil {
		return err
	}
	opt := opts.SyncOptions(who)
	opt.Seal = &gitsync.Seal{Identities: ids}
	if len(ids) > 0 {
		opt.Seal.Recipients = []age.Recipient{ids[0].(*age.X25519Identity).Recipient()}
	}
	repo, err := gitsync.CloneSealed(ctx, opts.URL, dir, opt)
	if errors.Is(err, gitsync.ErrNoKey) {
		return withHint(err, "ask your partner for an invitation ('reconnect keys invite' on their machine), then: reconnect join %s --invite CODE", shellQuote(cleanURL(opts.URL)))
	}
	if err != nil {
		return syncErrorHint(err)
	}
	j := opts.JournalAt(dir, repo)
	if err := joinedSealed(j, opt.Signature, who, inviteID, own); err != nil {
		return err
	}
	if inviteID != "" {
		dropUsedInvite(ctx, opts, j, who, ids)
	}
	writeSyncState(j, syncState{LastAttempt: opts.Now(), LastSync: opts.Now()})
	if err := opts.Remember(dir, opts.Name); err != nil {
		return err
	}
	opts.IO.Printf("Joined the encrypted journal from %s in %s\n", gitsync.Redact(opts.URL), dir)
	return nil
}

// dropUsedInvite takes the invitation this machine joined with off the
// remote at once (it holds this machine's key, encrypted with the code),
// with a sync that sends nothing else; one that fails says so, and leaves
// it to the next sync, which does the same.
func dropUsedInvite(ctx context.Context, opts *joinOptions, j *Journal, who string, ids []age.Identity) {
	seal, err := sealFor(j.Dir, opts.KeyDir())
	if err != nil || seal == nil {
		return
	}
	seal.Identities = append(seal.Identities, ids...)
	opt := opts.SyncOptions(who)
	opt.Seal = seal
	unlock, err := j.Repo.Lock(ctx)
	if err == nil {
		defer unlock()
		if _, err = j.Repo.Sync(ctx, opt); err == nil {
			sealedSynced(j, opt, gitsync.Result{})
			return
		}
	}
	// Left there past its expiry, it would be taken for one never used.
	opts.IO.Errorf("reconnect: the invitation is still on the remote (%s); run 'reconnect sync' soon to take it off\n", shortErr(err))
}

// joinKeys are the keys a join of an encrypted remote opens it with: the
// invitation's (opts.Invite: read from the remote, opened with its code,
// refused once expired, saved as this machine's key unless it has one),
// then this machine's own (own, nil when none). Nothing is written before
// the invitation is found good.
func joinKeys(ctx context.Context, opts *joinOptions, who string) (ids []age.Identity, inviteID string, own *age.X25519Identity, err error) {
	keyDir := opts.KeyDir()
	if opts.Invite != "" {
		id, pass, err := keys.ParseCode(opts.Invite)
		if err != nil {
			return nil, "", nil, badInput(err)
		}
		data, err := gitsync.ReadInvite(ctx, opts.URL, opts.SyncOptions(who).Auth, id)
		if errors.Is(err, gitsync.ErrNoInvite) {
			return nil, "", nil, withHint(err, "ask your partner for a new one: reconnect keys invite")
		}
		if err != nil {
			return nil, "", nil, syncErrorHint(err)
		}
		bundle, err := keys.OpenBundle(data, pass)
		if err != nil {
			return nil, "", nil, badInput(err)
		}
		if err := bundle.Check(opts.Now()); err != nil {
			return nil, "", nil, withHint(badInput(err), "nothing was written; ask your partner for a new one: reconnect keys invite")
		}
		if _, err := keys.Save(keyDir, bundle.Identity); err != nil {
			return nil, "", nil, err
		}
		ids, inviteID = append(ids, bundle.Identity), id
	}
	own, err = keys.Load(keyDir)
	switch {
	case err == nil:
		ids = append(ids, own)
	case errors.Is(err, keys.ErrNoIdentity):
		own = nil
	default:
		return nil, "", nil, err
	}
	return ids, inviteID, own, nil
}

// joinedSealed finishes a join of an encrypted remote in the journal j:
// it records the invitation used (its first sync takes it off the remote)
// and adds this machine's own key, when it had one, to the couple's.
func joinedSealed(j *Journal, sig gitsync.Signature, who, inviteID string, own *age.X25519Identity) error {
	if inviteID != "" {
		_ = fsutil.WriteFile(inviteUsedPath(j.Dir), []byte(inviteID+"\n"), fsutil.FileMode)
	}
	// A machine that had a key of its own adds it to the couple's.
	if set, err := journalKeys(j.Dir); err == nil && own != nil && !contains(set.Recipients, own.Recipient().String()) {
		if err := setJournalKeys(j, sig, keys.Add(set.Recipients, own.Recipient().String()), "keys: "+who+"'s key"); err != nil {
			return err
		}
	}
	return nil
}

// joinMergeSealed merges the journal j into the one on the encrypted
// remote opts.URL (see [gitsync.Repo.JoinMerge]), opened with the
// invitation's key or this machine's, then sends the merge encrypted to
// the couple's keys, which the remote's journal says. The caller holds
// the lock.
func joinMergeSealed(ctx context.Context, opts *joinOptions, j *Journal, who string) (gitsync.Result, error) {
	ids, inviteID, own, err := joinKeys(ctx, opts, who)
	if err != nil {
		return gitsync.Result{}, err
	}
	if len(ids) == 0 {
		return gitsync.Result{}, withHint(fmt.Errorf("%w: this machine has none", gitsync.ErrNoKey),
			"nothing was changed; ask your partner for an invitation ('reconnect keys invite' on their machine), then: %s",
			joinCmdLine("join", opts, j.Dir, "--merge", cleanURL(opts.URL), "--invite", "CODE"))
	}
	opt := opts.SyncOptions(who)
	opt.Seal = &gitsync.Seal{Identities: ids, Recipients: []age.Recipient{ids[0].(*age.X25519Identity).Recipient()}}
	res, err := j.Repo.JoinMerge(ctx, opts.URL, opt, journalMarker)
	if err != nil {
		return res, err
	}
	if err := joinedSealed(j, opt.Signature, who, inviteID, own); err != nil {
		return res, err
	}
	seal, err := sealFor(j.Dir, opts.KeyDir())
	if err != nil {
		return res, err
	}
	if seal == nil {
		return res, fmt.Errorf("the journal joined at %s does not say its remote is encrypted; nothing was sent", gitsync.Redact(opts.URL))
	}
	seal.Identities = append(seal.Identities, ids...)
	opt.Seal = seal
	return j.Repo.JoinSync(ctx, opt, res)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// sealedSynced forgets, after a sync, the invitations it took off the
// remote (a sync pushes when Seal.Drop names one still there): the one
// this machine joined with, and the expired ones it made. It returns the
// keys of those that expired unused (still on the remote: a join takes
// its invitation off at once), for [syncer.revokeUnused].
func sealedSynced(j *Journal, opt gitsync.Options, _ gitsync.Result) (unused []string) {
	if opt.Seal == nil || len(opt.Seal.Drop) == 0 {
		return nil
	}
	os.Remove(inviteUsedPath(j.Dir))
	made := keys.LoadMade(invitesMadePath(j.Dir))
	var live []keys.Made
	for _, m := range made {
		switch {
		case !contains(opt.Seal.Drop, m.ID):
			live = append(live, m)
		case contains(opt.Seal.OnRemote, m.ID) && m.Key != "":
			unused = append(unused, m.Key)
		}
	}
	if len(live) < len(made) {
		_ = keys.SaveMade(invitesMadePath(j.Dir), live) // else the next sync drops them again
	}
	return unused
}

// revokeUnused takes the keys of invitations that expired unused off the
// couple's (reconnect.yaml, committed) and syncs again, so that the
// remote is encrypted without them: whoever holds the code of one and a
// copy of its blob reads nothing sent from now on. The caller holds the
// lock. A failure is a note; the next sync sends the change. opt becomes
// the options of the journal as it is now (the seal without the keys), for
// any sync after this one.
func (s *syncer) revokeUnused(ctx context.Context, j *Journal, who string, gone []string, opt *gitsync.Options, res gitsync.Result) gitsync.Result {
	if len(gone) == 0 {
		return res
	}
	set, err := journalKeys(j.Dir)
	if err != nil || !set.Encrypt {
		return res
	}
	rs := keys.Remove(set.Recipients, gone)
	if len(rs) == len(set.Recipients) {
		return res
	}
	if err := setJournalKeys(j, s.Signature(who), rs, "keys: an invitation expired unused; its key is taken off"); err != nil {
		s.IO.Errorf("reconnect: an invitation expired unused, but its key could not be taken off: %s\n", oneLine(err.Error()))
		return res
	}
	s.IO.Errorf("An invitation expired unused: its key no longer opens what you send.\n")
	next := s.syncOptions(who)
	if err := s.sealOptions(j, &next); err != nil {
		opt.Seal = nil // no sync after this one with the old keys: a plain one refuses the remote
		return res
	}
	*opt = next
	again, err := j.Repo.Sync(ctx, next)
	if err != nil {
		s.IO.Errorf("reconnect: the next sync re-encrypts the remote without it (%s)\n", shortErr(err))
		return res
	}
	return withSecondSync(res, again)
}

// encryptNew turns encryption on in the journal init just made: this
// machine's key (made if missing) is the couple's first.
func encryptNew(opts *initOptions, j *Journal) error {
	id, _, err := keys.LoadOrCreate(opts.KeyDir())
	if err != nil {
		return err
	}
	who, err := opts.Author()
	if err != nil {
		return err
	}
	return setJournalKeys(j, opts.Signature(who), []string{id.Recipient().String()}, "keys: the remote is encrypted")
}

// moveEncrypted moves the journal j to the new remote opts.URL, encrypted:
// encryption on in reconnect.yaml (this machine's key made if missing),
// the whole journal sent there, then the new remote made the journal's.
// The old remote is not touched.
func moveEncrypted(ctx context.Context, opts *remoteOptions, j *Journal) error {
	if err := gitsync.CheckRemote(opts.URL); err != nil {
		return badInput(err)
	}
	old, err := j.Repo.RemoteURL()
	if err != nil {
		return err
	}
	if old != "" && cleanURL(opts.URL) == old {
		return usagef("%s is already the journal's remote; give a new, empty one", gitsync.Redact(opts.URL))
	}
	id, _, err := keys.LoadOrCreate(opts.KeyDir())
	if err != nil {
		return err
	}
	who, err := opts.Sync.Author()
	if err != nil {
		return err
	}
	ctx, release, err := opts.Sync.lockForSync(ctx, j)
	if err != nil {
		return err
	}
	defer release()
	set, err := journalKeys(j.Dir)
	if err != nil {
		return err
	}
	if err := setJournalKeys(j, opts.Sync.Signature(who), keys.Add(set.Recipients, id.Recipient().String()), "keys: the remote is encrypted"); err != nil {
		return err
	}
	opt := opts.Sync.syncOptions(who)
	opt.Remote = opts.URL
	if err := opts.Sync.sealOptions(j, &opt); err != nil {
		return err
	}
	if _, err := j.Repo.Sync(ctx, opt); err != nil {
		if errors.Is(err, gitsync.ErrRemoteHasJournal) || errors.Is(err, gitsync.ErrRemoteSealed) {
			return withHint(fmt.Errorf("%s already holds a journal: %w", gitsync.Redact(opts.URL), err), "move to a new, empty remote")
		}
		return syncErrorHint(fmt.Errorf("the journal was not moved (its remote is still %s): %w", gitsync.Redact(old), err))
	}
	if err := j.Repo.SetRemote(opts.URL); err != nil {
		return badInput(err)
	}
	opts.IO.Printf("Moved the journal to %s, encrypted: the host sees only ciphertext.\n", oneLine(gitsync.Redact(cleanURL(opts.URL))))
	if old != "" {
		opts.IO.Printf("The old remote %s is untouched and still holds the journal in plain text: delete it.\n", oneLine(gitsync.Redact(old)))
	}
	opts.IO.Printf("Invite your partner to the new one: reconnect keys invite\n")
	return nil
}
