package cmd

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// joinOptions is what 'join' uses: its dependencies (filled from the App
// by the constructor), then its arguments and flags.
type joinOptions struct {
	IO       *IOStreams
	Now      func() time.Time
	Author   func() (string, error)
	Prompter Prompter
	// JournalDir is where the journal is when no DIR is given.
	JournalDir func() (string, error)
	// JournalAt is the journal at dir, its repository opened.
	JournalAt func(dir string, repo *gitsync.Repo) *Journal
	// SyncOptions are the sync settings for who.
	SyncOptions func(who string) gitsync.Options
	// Deadline bounds a sync the user asked for.
	Deadline func(ctx context.Context) (context.Context, context.CancelFunc)
	// Remember saves the journal's folder and the name for this machine
	// ("" leaves one as it is).
	Remember func(dir, name string) error
	// Report says what a sync did (conflict copies, entries kept).
	Report func(res gitsync.Result)
	// KeyDir is where this machine's key for an encrypted remote is.
	KeyDir func() string

	URL, Dir, Name string
	Merge          bool
	Invite         string // an invitation code to an encrypted remote
}

// newJoinCmd is 'join'. runF runs it, given the options filled from the
// arguments and flags; nil is runJoin (tests pass their own to see how
// they are read).
func newJoinCmd(a *App, runF func(context.Context, *joinOptions) error) *cobra.Command {
	if runF == nil {
		runF = runJoin
	}
	opts := &joinOptions{IO: a.IO, Now: a.clock(), Author: a.author, Prompter: a.Prompter,
		JournalDir: a.journalDir, JournalAt: a.journalAt, SyncOptions: a.syncOptions,
		Deadline: a.explicitDeadline, Remember: a.remember,
		Report: func(res gitsync.Result) { a.reportSync(res, false) }, KeyDir: func() string { return a.cfgDir }}
	c := &cobra.Command{
		Use:   "join URL [DIR]",
		Short: "Share your partner's journal on this machine",
		Long: `Make your partner's journal this machine's journal. URL is the remote your
partner set up (a folder, an SSH or an HTTPS address); DIR is where the
journal is (default ~/.local/share/reconnect). --name saves your author
name here. The journal is made private: its folder and .git 0700, its
files 0600.

With no journal here yet, join copies your partner's, its whole history.
When this machine already has a journal with entries (you wrote before
joining), join merges them into your partner's journal, with the rules of
every sync: nothing is left behind, and where you both wrote the same
thing two ways, your partner's version is kept beside yours as a conflict
copy. The joined journal keeps its own settings (reconnect.yaml). At a
terminal join asks first; elsewhere, say so with --merge.

An encrypted remote (see 'reconnect keys') is joined with the code your
partner's 'reconnect keys invite' printed: --invite CODE. Your key is kept
in the config folder; a machine that has one already (a recovery key put
there) joins without a code. A journal with entries joins an encrypted
remote as it joins a plain one (--merge, --invite CODE): what is sent is
encrypted to both of your keys. An invitation expires (a week, unless
your partner said otherwise); ask for a new one then.`,
		Example: `  reconnect join git@github.com:sam/us-journal.git --name alex
  reconnect join /mnt/nas/us.git ~/us --name alex
  reconnect join --merge /mnt/nas/us.git     # bring the entries written here along
  RECONNECT_TOKEN=... reconnect join https://git.example.com/sam/us.git
  reconnect join /mnt/nas/us.git --invite 3f9c...-k2m4...
  reconnect join --merge /mnt/nas/us.git --invite 3f9c...-k2m4...`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return withHint(usagef("join takes a URL and an optional DIR (got %d arguments)", len(args)),
					"see 'reconnect join --help'")
			}
			return nil
		},
		ValidArgsFunction: completeJoinArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.URL = args[0]
			if len(args) == 2 {
				opts.Dir = args[1]
			}
			return runF(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Name, "name", "", "your author `name` on this machine, a slug like alex")
	c.Flags().BoolVar(&opts.Merge, "merge", false, "merge the entries already on this machine into the journal joined, without asking")
	c.Flags().StringVar(&opts.Invite, "invite", "", "the invitation `CODE` to your partner's encrypted remote ('reconnect keys invite')")
	return c
}

func runJoin(ctx context.Context, opts *joinOptions) error {
	if err := gitsync.CheckRemote(opts.URL); err != nil {
		return badInput(err)
	}
	if opts.Name != "" {
		if err := journal.ValidAuthor(opts.Name); err != nil {
			return badInput(err)
		}
	}
	dir, empty, err := startDir(opts.Dir, opts.JournalDir)
	if err != nil {
		return err
	}
	if !empty {
		return joinExisting(ctx, opts, dir)
	}
	ctx, cancel := opts.Deadline(ctx)
	defer cancel()
	if opts.Invite != "" {
		return joinSealed(ctx, opts, dir)
	}
	repo, err := gitsync.Clone(ctx, opts.URL, dir, opts.SyncOptions("reconnect").Auth)
	if errors.Is(err, gitsync.ErrRemoteSealed) && opts.KeyDir != nil {
		return joinSealed(ctx, opts, dir)
	}
	if isOffline(err) {
		return withHint(err, "nothing was created; join again when the remote is reachable")
	}
	if errors.Is(err, gitsync.ErrRemoteEmpty) {
		return withHint(err, "start the journal there: %s", joinCmdLine("init", opts, dir, "--remote", cleanURL(opts.URL)))
	}
	if err != nil {
		return syncErrorHint(err)
	}
	j := opts.JournalAt(dir, repo)
	writeSyncState(j, syncState{LastAttempt: opts.Now(), LastSync: opts.Now()})
	if err := opts.Remember(dir, opts.Name); err != nil {
		return err
	}
	opts.IO.Printf("Joined the journal from %s in %s\n", gitsync.Redact(opts.URL), dir)
	return nil
}

// joinExisting joins the journal at url from the journal at dir: the
// entries written here are merged into it, once the user said so.
func joinExisting(ctx context.Context, opts *joinOptions, dir string) error {
	repo, err := gitsync.Open(dir)
	if err != nil {
		return err
	}
	j := opts.JournalAt(dir, repo)
	who := opts.Name
	if who == "" {
		if who, err = opts.Author(); err != nil {
			return err
		}
	}
	if joined, err := syncsWith(j, opts.URL); err != nil {
		return err
	} else if joined {
		return withHint(usagef("%s already shares the journal at %s", dir, gitsync.Redact(opts.URL)),
			"bring in your partner's entries: %s", joinCmdLine("sync", opts, dir))
	}
	n, err := countEntries(j.Store)
	if err != nil {
		return err
	}
	url := gitsync.Redact(opts.URL)
	if n > 0 && !opts.Merge {
		them := "them"
		if n == 1 {
			them = "it"
		}
		if !opts.IO.CanPrompt() {
			return withHint(usagef("%s already holds a journal with %s; joining merges %s into the journal at %s", dir, entries(n), them, url),
				"to bring this machine's entries along: %s", joinCmdLine("join", opts, dir, "--merge", cleanURL(opts.URL)))
		}
		picked, err := opts.Prompter.Choose(ctx, fmt.Sprintf("This machine's journal has %s; merge %s into the journal at %s?", entries(n), them, url),
			[]string{"Merge " + them + " into it", "Leave this machine's journal as it is"})
		if err != nil {
			return err
		}
		if len(picked) != 1 || picked[0] != 0 {
			return usagef("nothing was merged; this machine's journal is as it was")
		}
	}
	if err := j.Repo.MakePrivate(); err != nil {
		opts.IO.Errorf("reconnect: the journal could not be kept private: %s\n", oneLine(err.Error()))
	}
	ctx, cancel := opts.Deadline(ctx)
	defer cancel()
	unlock, err := j.Repo.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	before, err := j.Repo.Head()
	if err != nil {
		return err
	}
	var res gitsync.Result
	sealed := opts.Invite != ""
	if !sealed {
		res, err = j.Repo.Join(ctx, opts.URL, opts.SyncOptions(who), journalMarker)
		if errors.Is(err, gitsync.ErrRemoteSealed) && opts.KeyDir != nil {
			sealed = true // an encrypted remote: nothing was merged yet
		}
	}
	if sealed {
		res, err = joinMergeSealed(ctx, opts, j, who)
	}
	moved := err != nil && !res.Head.IsZero() && res.Head != before
	if err == nil || moved {
		// Joined here: this folder is this machine's journal now.
		if rerr := opts.Remember(dir, opts.Name); rerr != nil {
			return rerr
		}
	}
	switch {
	case err == nil:
	case moved:
		return withHint(fmt.Errorf("merged this journal into the one from %s here, but could not send it: %w", url, err),
			"everything is saved here; %s sends it (and says what went wrong)", joinCmdLine("sync", opts, dir))
	case isOffline(err):
		return withHint(err, "nothing was changed; join again when the remote is reachable")
	case errors.Is(err, gitsync.ErrRemoteEmpty):
		return withHint(err, "send this journal there instead: %s && %s",
			joinCmdLine("remote", opts, dir, cleanURL(opts.URL)), joinCmdLine("sync", opts, dir))
	case hintOf(err) != "":
		return err // an invitation refused says what to do
	case sealed && errors.Is(err, gitsync.ErrNoKey):
		return withHint(err, "nothing was changed; ask your partner for an invitation ('reconnect keys invite' on their machine), then: %s",
			joinCmdLine("join", opts, dir, "--merge", cleanURL(opts.URL), "--invite", "CODE"))
	default:
		return syncErrorHint(err)
	}
	writeSyncState(j, syncState{LastAttempt: opts.Now(), LastSync: opts.Now()})
	if sealed {
		opts.IO.Printf("Joined the encrypted journal from %s in %s\n", url, dir)
	} else {
		opts.IO.Printf("Joined the journal from %s in %s\n", url, dir)
	}
	switch {
	case n == 1:
		opts.IO.Printf("This machine's entry is in it.\n")
	case n > 1:
		opts.IO.Printf("This machine's %s are in it.\n", entries(n))
	}
	opts.Report(res)
	return nil
}

// syncsWith reports whether the journal already syncs with url: it is
// its remote and the two share history.
func syncsWith(j *Journal, url string) (bool, error) {
	stored, err := j.Repo.RemoteURL()
	if err != nil || stored == "" {
		return false, err
	}
	clean := cleanURL(url)
	abs, _ := filepath.Abs(clean)
	if stored != clean && stored != abs {
		return false, nil
	}
	return j.Repo.SharesHistory()
}

// countEntries is how many entries the journal holds: dated entries,
// shared items, and files in their places that do not parse.
func countEntries(s journal.Store) (int, error) {
	var kinds []journal.Kind
	for _, k := range journal.Kinds() {
		kinds = append(kinds, k.Kind)
	}
	es, warnings, err := s.List(journal.Query{Kinds: kinds})
	return len(es) + len(warnings), err
}

// entries is "1 entry" or "N entries".
func entries(n int) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}

// cleanURL is url without its credentials, to show in a line to copy.
func cleanURL(url string) string {
	clean, _, _ := gitsync.StripCredentials(url)
	return clean
}

// joinCmdLine is the command line of verb with args for the journal at
// dir: with --journal when join was given a DIR, so that it names the
// same journal, and a join or init keeps the --name given.
func joinCmdLine(verb string, opts *joinOptions, dir string, args ...string) string {
	line := "reconnect"
	starts := verb == "join" || verb == "init"
	if starts && opts.Name != "" {
		args = append(args, "--name", opts.Name)
	}
	if verb == "join" && opts.Invite != "" && !slices.Contains(args, "--invite") {
		args = append(args, "--invite", opts.Invite)
	}
	if opts.Dir != "" {
		if starts {
			args = append(args, dir)
		} else {
			line += " --journal " + shellQuote(dir)
		}
	}
	line += " " + verb
	for _, a := range args {
		line += " " + shellQuote(a)
	}
	return line
}

// remoteOptions is what 'remote' uses.
type remoteOptions struct {
	IO          *IOStreams
	OpenJournal func(create bool) (*Journal, error)
	// KeyDir and Sync move the journal to an encrypted remote (--encrypt).
	KeyDir func() string
	Sync   *syncer

	URL     string
	Set     bool // a URL was given
	JSON    bool
	Encrypt bool
}

// newRemoteCmd is 'remote'. runF runs it; nil is runRemote.
func newRemoteCmd(a *App, runF func(context.Context, *remoteOptions) error) *cobra.Command {
	if runF == nil {
		runF = runRemote
	}
	opts := &remoteOptions{IO: a.IO, OpenJournal: a.openJournal, KeyDir: func() string { return a.cfgDir }, Sync: a.syncer()}
	c := &cobra.Command{
		Use:   "remote [URL]",
		Short: "Show or change where the journal syncs",
		Long: `With no URL, print the journal's remote. With a URL, make it the remote.

A remote is any git repository both of you can reach: a folder on a shared
drive, an SSH address, or an HTTPS address. Credentials are never saved in
the journal: a secret in the URL is dropped; give a token with
RECONNECT_TOKEN or 'reconnect config set sync.token', and SSH keys through
ssh-agent or 'reconnect config set sync.ssh_key'. A token goes only over
https:// (plain http:// only to this machine: localhost, 127.0.0.1, ::1),
to a server whose certificate the system trusts; SSH host keys are checked
against ~/.ssh/known_hosts.

A remote that already holds your partner's journal, begun apart from this
one, is joined with 'reconnect join --merge URL': it merges this journal's
entries into it.

--encrypt NEW_URL moves the journal to a new remote that holds only
encrypted data (see 'reconnect keys'): it sends the whole journal there,
encrypted, and makes it the remote. The old remote is left as it was, in
plain text: delete it yourself, and invite your partner to the new one.`,
		Example: `  reconnect remote
  reconnect remote git@github.com:sam/us-journal.git
  reconnect remote https://git.example.com/sam/us.git
  reconnect remote /mnt/nas/us.git
  reconnect remote --encrypt git@github.com:sam/us-private.git`,
		Args: maxArgs(1, "one URL"),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.URL, opts.Set = args[0], true
			}
			if opts.JSON && opts.Set {
				return usagef("--json only prints the remote; set one without it")
			}
			return runF(c.Context(), opts)
		},
		ValidArgsFunction: completeRemoteArg,
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, `print the remote as JSON: {"url": ...}, null when none is set`)
	c.Flags().BoolVar(&opts.Encrypt, "encrypt", false, "move the journal to URL, a new remote that holds only encrypted data")
	return c
}

func runRemote(ctx context.Context, opts *remoteOptions) error {
	if opts.Encrypt && !opts.Set {
		return withHint(usagef("--encrypt needs the new remote's URL"), "reconnect remote --encrypt NEW_URL")
	}
	j, err := opts.OpenJournal(false)
	if err != nil {
		return err
	}
	if opts.Encrypt {
		return moveEncrypted(ctx, opts, j)
	}
	if !opts.Set {
		url, err := j.Repo.RemoteURL()
		if err != nil {
			return err
		}
		if opts.JSON {
			return writeJSONTo(opts.IO.Out, remoteJSON(url))
		}
		if url == "" {
			opts.IO.Printf("No remote set. Set one with 'reconnect remote URL'.\n")
			return nil
		}
		opts.IO.Printf("%s\n", gitsync.Redact(url))
		return nil
	}
	return setRemote(opts.IO, j, opts.URL)
}

// remoteJSON is 'remote --json': the URL without its credentials, or null.
func remoteJSON(url string) map[string]any {
	if url == "" {
		return map[string]any{"url": nil}
	}
	return map[string]any{"url": gitsync.Redact(url)}
}

// setRemote saves url as the journal's remote, without its credentials.
func setRemote(io *IOStreams, j *Journal, url string) error {
	if url == "" {
		return usagef("an empty URL is not a remote")
	}
	if err := j.Repo.SetRemote(url); err != nil {
		return badInput(err)
	}
	clean, _, secret := gitsync.StripCredentials(url)
	io.Printf("Remote set to %s\n", gitsync.Redact(clean))
	if secret != "" {
		io.Errorf("reconnect: the secret in the URL was not saved; give it with RECONNECT_TOKEN or 'reconnect config set sync.token'\n")
	}
	return nil
}

// syncErrorHint adds what to do to the errors a user can act on.
func syncErrorHint(err error) error {
	var hk *gitsync.HostKeyError
	var ue *gitsync.UnrelatedError
	switch {
	case errors.As(err, &hk), errors.Is(err, gitsync.ErrCertificate):
		return err // its message already says how to trust the host
	case errors.Is(err, gitsync.ErrCleartext):
		return withHint(err, "nothing was sent; point the journal at the https:// address with 'reconnect remote URL'")
	case errors.Is(err, gitsync.ErrAuth):
		return withHint(err, "set a token with RECONNECT_TOKEN or 'reconnect config set sync.token TOKEN'; for SSH, load your key into ssh-agent or set sync.ssh_key")
	case isOffline(err):
		return withHint(err, "everything is saved here; sync again when the remote is reachable")
	case errors.As(err, &ue):
		return withHint(err, "that remote holds your partner's journal, begun apart from this one; merge this one into it: reconnect join --merge %s", shellQuote(ue.Remote))
	case errors.Is(err, gitsync.ErrRemoteHasJournal):
		return withHint(err, "merge this journal into it: reconnect join --merge URL")
	case errors.Is(err, gitsync.ErrSealedBroken):
		return withHint(err, "nothing of it was applied; the journal here is as it was. Someone other than the two of you may have changed the remote")
	case errors.Is(err, gitsync.ErrRollback):
		return withHint(err, "tell your partner, and check the remote with its host. If you restored it yourself from a backup, take it as it is: reconnect sync --accept-rollback (the journal here is whole; that sync sends what the copy lacks)")
	case errors.Is(err, gitsync.ErrRemoteSealed):
		return withHint(err, "ask your partner for an invitation ('reconnect keys invite' on their machine), then join with it: reconnect join --merge URL --invite CODE brings this journal's entries along (or into a new folder: reconnect join URL DIR --invite CODE)")
	case errors.Is(err, gitsync.ErrNoKey):
		return withHint(err, "ask your partner for an invitation ('reconnect keys invite' on their machine), then join with it: reconnect join URL DIR --invite CODE")
	}
	return err
}
