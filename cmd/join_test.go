package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
	"github.com/reconnect-app/reconnect/journal"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// choosePrompter answers every Choose with picked and records the titles.
type choosePrompter struct {
	picked []int
	titles []string
}

func (p *choosePrompter) Form(context.Context, string, []FormField) (map[string]string, error) {
	return nil, nil
}

func (p *choosePrompter) Choose(_ context.Context, title string, _ []string) ([]int, error) {
	p.titles = append(p.titles, title)
	return p.picked, nil
}

// joinFixture is Alex's journal on a bare remote, and Sam's own journal,
// begun apart, with n check-ins.
type joinFixture struct {
	remote, samDir string
	sam            *gitsync.Repo
	remembered     []string
	reports        []gitsync.Result
}

func sig(who string) gitsync.Signature {
	return gitsync.Signature{Name: who, Email: who + "@reconnect.local", When: challengeNow}
}

func newJoinFixture(t *testing.T, n int) *joinFixture {
	t.Helper()
	f := &joinFixture{remote: gittest.Bare(t), samDir: filepath.Join(t.TempDir(), "sam")}
	start := []gitsync.Change{{Path: "README.md", Data: []byte(journalReadme)}, {Path: journalMarker, Data: []byte(journalSettings)}}
	alex, err := gitsync.Init(filepath.Join(t.TempDir(), "alex"), sig("alex"), "journal: start", start...)
	if err != nil {
		t.Fatal(err)
	}
	e := newEntryAt(journal.KindCheckin, "alex", date("2026-11-21"), challengeNow)
	e.SetSection("rose", "Coffee in bed")
	e.Path = journal.PathFor(e, nil)
	if _, err := alex.Commit("checkin", sig("alex"), changeFor(e)); err != nil {
		t.Fatal(err)
	}
	if err := alex.SetRemote(f.remote); err != nil {
		t.Fatal(err)
	}
	if _, err := alex.Sync(context.Background(), f.syncOptions("alex")); err != nil {
		t.Fatal(err)
	}
	if f.sam, err = gitsync.Init(f.samDir, sig("sam"), "journal: start", start...); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		e := newEntryAt(journal.KindThanks, "sam", date("2026-11-20"), challengeNow.Add(-time.Duration(i)*time.Minute))
		e.SetSection("", "For the tea")
		e.Path = journal.PathFor(e, nil)
		if _, err := f.sam.Commit("thanks", sig("sam"), changeFor(e)); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *joinFixture) syncOptions(who string) gitsync.Options {
	return gitsync.Options{Signature: sig(who), MergeFile: journal.MergeFiles, EntryAuthor: journal.Owner,
		AuthorName: journal.AuthorName, WrittenBy: journal.WrittenBy}
}

// options are join's options for Sam, on a terminal or not.
func (f *joinFixture) options(tty bool, p Prompter) (*joinOptions, *bytes.Buffer) {
	io, out, _ := bufferStreams()
	io.InTTY, io.OutTTY = tty, tty
	return &joinOptions{IO: io, Now: fixedClock, Author: sam, Prompter: p,
		JournalDir: func() (string, error) { return f.samDir, nil },
		JournalAt: func(dir string, repo *gitsync.Repo) *Journal {
			return &Journal{Dir: dir, Repo: repo, Store: journal.Store{Root: dir}}
		},
		SyncOptions: f.syncOptions,
		Deadline:    func(ctx context.Context) (context.Context, context.CancelFunc) { return context.WithCancel(ctx) },
		Remember:    func(dir, name string) error { f.remembered = append(f.remembered, dir); return nil },
		Report:      func(res gitsync.Result) { f.reports = append(f.reports, res) },
		URL:         f.remote}, out
}

func (f *joinFixture) head(t *testing.T) string {
	t.Helper()
	return gittest.Git(t, f.samDir, "rev-parse", "main")
}

// At a terminal join asks before merging; no is no, and nothing changes.
func TestRunJoinAsksAtATerminal(t *testing.T) {
	f := newJoinFixture(t, 2)
	before := f.head(t)
	p := &choosePrompter{picked: []int{1}}
	opts, _ := f.options(true, p)
	err := runJoin(context.Background(), opts)
	if exitCode(err) != exitUsage || f.head(t) != before || len(f.remembered) != 0 {
		t.Fatalf("declined: %v; main or config changed", err)
	}
	want := "This machine's journal has 2 entries; merge them into the journal at " + f.remote + "?"
	if len(p.titles) != 1 || p.titles[0] != want {
		t.Fatalf("asked %q, want %q", p.titles, want)
	}

	p.picked = []int{0}
	opts, out := f.options(true, p)
	if err := runJoin(context.Background(), opts); err != nil {
		t.Fatalf("accepted: %v", err)
	}
	if !strings.Contains(out.String(), "This machine's 2 entries are in it.") || len(f.remembered) != 1 || f.remembered[0] != f.samDir {
		t.Fatalf("accepted: %q, remembered %v", out, f.remembered)
	}
	if _, err := os.Stat(filepath.Join(f.samDir, "2026", "11", "2026-11-21-checkin-alex.md")); err != nil {
		t.Fatal("Alex's check-in is not in Sam's journal")
	}
	if gittest.Git(t, f.remote, "rev-parse", "main") != f.head(t) {
		t.Fatal("the join was not sent")
	}
}

// Off a terminal join needs --merge: without it, exit 2, nothing changes,
// and the hint is the command that works.
func TestRunJoinOffATerminalNeedsMerge(t *testing.T) {
	f := newJoinFixture(t, 1)
	before := f.head(t)
	opts, _ := f.options(false, nil)
	err := runJoin(context.Background(), opts)
	if exitCode(err) != exitUsage || hintOf(err) != "to bring this machine's entries along: reconnect join --merge "+f.remote {
		t.Fatalf("without --merge: %v (hint %q)", err, hintOf(err))
	}
	if !strings.Contains(err.Error(), "already holds a journal with 1 entry;") || f.head(t) != before {
		t.Fatalf("without --merge: %v; main moved", err)
	}
	if url, _ := f.sam.RemoteURL(); url != "" {
		t.Fatalf("the remote was set to %s", url)
	}

	opts, _ = f.options(false, nil)
	opts.Dir, opts.Name = f.samDir, "sam"
	err = runJoin(context.Background(), opts)
	if want := "to bring this machine's entries along: reconnect join --merge " + f.remote + " --name sam " + f.samDir; hintOf(err) != want {
		t.Fatalf("with DIR: hint %q, want %q", hintOf(err), want)
	}

	opts.Merge = true
	if err := runJoin(context.Background(), opts); err != nil {
		t.Fatalf("--merge: %v", err)
	}
	// Joined: join again says so, and names sync.
	opts, _ = f.options(false, nil)
	err = runJoin(context.Background(), opts)
	if exitCode(err) != exitUsage || hintOf(err) != "bring in your partner's entries: reconnect sync" {
		t.Fatalf("join again: %v (hint %q)", err, hintOf(err))
	}
}

// A journal with nothing written joins without asking.
func TestRunJoinEmptyJournal(t *testing.T) {
	f := newJoinFixture(t, 0)
	p := &choosePrompter{}
	opts, _ := f.options(true, p)
	if err := runJoin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if len(p.titles) != 0 {
		t.Fatalf("asked %q", p.titles)
	}
	if gittest.Git(t, f.remote, "rev-parse", "main") != f.head(t) {
		t.Fatal("Sam's main is not the remote's")
	}
}

// The constructors fill Options from the arguments, the flags and the
// App; runF sees them instead of the command running.
func TestJoinRemoteInitFlags(t *testing.T) {
	a, _, _ := testApp(t, false)
	var join *joinOptions
	if err := execFlags(t, newJoinCmd(a, func(_ context.Context, o *joinOptions) error { join = o; return nil }),
		"/mnt/us.git", "~/us", "--merge", "--name", "alex"); err != nil {
		t.Fatal(err)
	}
	if join.URL != "/mnt/us.git" || join.Dir != "~/us" || !join.Merge || join.Name != "alex" || join.IO != a.IO ||
		join.Prompter != a.Prompter || join.SyncOptions == nil || join.Remember == nil || join.Report == nil {
		t.Errorf("join: %+v", join)
	}
	err := execFlags(t, newJoinCmd(a, func(context.Context, *joinOptions) error { return nil }))
	if exitCode(err) != exitUsage || hintOf(err) != "see 'reconnect join --help'" {
		t.Errorf("join with no URL: %v", err)
	}

	var remote *remoteOptions
	if err := execFlags(t, newRemoteCmd(a, func(_ context.Context, o *remoteOptions) error { remote = o; return nil }), "/mnt/us.git"); err != nil {
		t.Fatal(err)
	}
	if remote.URL != "/mnt/us.git" || !remote.Set || remote.OpenJournal == nil {
		t.Errorf("remote URL: %+v", remote)
	}
	if err := execFlags(t, newRemoteCmd(a, func(_ context.Context, o *remoteOptions) error { remote = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if remote.Set {
		t.Errorf("remote: %+v", remote)
	}

	var ini *initOptions
	if err := execFlags(t, newInitCmd(a, func(_ context.Context, o *initOptions) error { ini = o; return nil }),
		"~/us", "--name", "sam", "--remote", "/mnt/us.git"); err != nil {
		t.Fatal(err)
	}
	if ini.Dir != "~/us" || ini.Name != "sam" || ini.Remote != "/mnt/us.git" || ini.InitJournal == nil || ini.Sync == nil {
		t.Errorf("init: %+v", ini)
	}
}

// The hint of a sync refused for another journal names the remote in a
// join that merges.
func TestSyncErrorHintUnrelated(t *testing.T) {
	err := syncErrorHint(&gitsync.UnrelatedError{Remote: "git@example.com:us/j.git", Err: gitsync.ErrRemoteHasJournal})
	if want := `that remote holds your partner's journal, begun apart from this one; merge this one into it: reconnect join --merge "git@example.com:us/j.git"`; hintOf(err) != want {
		t.Fatalf("hint %q, want %q", hintOf(err), want)
	}
}
