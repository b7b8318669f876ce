//go:build unix

package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/gittest"
)

// The crash test (issue 9, point 8) holds reconnect to its promise: nothing
// acknowledged is ever lost. A write is acknowledged when the reconnect
// process exits 0. The test builds the real binary once per test, runs it
// again and again, kills runs with SIGKILL at random moments, and checks
// with the real git what every crash left behind.
//
// A short run is part of go test ./... (a few seconds). The long run:
//
//	go test -run 'TestCrash' -crash.writes 1000 -crash.syncs 300 -v .
//
// A failure logs its seed; -crash.seed SEED replays the same choices (the
// kills land at the same delays, not at the same instructions, so a replay
// is likely, not certain, to fail the same way).
//
// Every failure names its invariant with a fixed word, so a long run can
// be tallied with grep:
//
//	hung     a command that was not killed ran over -crash.timeout
//	exit     a command that was not killed exited non-zero
//	ref      refs/heads/main is not a commit id (emptied mid-rewrite)
//	head     HEAD does not resolve to a commit
//	history  HEAD's history does not start at the journal's first commit
//	lost     an acknowledged entry is not in HEAD's tree
//	fsck     git fsck --full --strict complains
//	lock     a lock file (reconnect.lock, index.lock, main.lock) was left
//	tmp      a .tmp- file was left in the work tree or committed
//	clean    git status --porcelain is not empty
//	converge after the final syncs, the clones and the remote differ
var (
	crashWrites  = flag.Int("crash.writes", 40, "TestCrashWrites: how many writes to run (and kill)")
	crashSyncs   = flag.Int("crash.syncs", 20, "TestCrashSyncs: how many syncs to run (and kill)")
	crashSeed    = flag.Uint64("crash.seed", 0, "seed of the random kills (0: from the clock)")
	crashTimeout = flag.Duration("crash.timeout", 20*time.Second, "a command that runs longer hung")
	crashTrace   = flag.Bool("crash.trace", false, "log every run: what it was, when it was killed, how it ended")
)

// How kills are placed. A write takes about 10 ms and a sync about 15 ms
// on a 2-core machine, and the first third of that is the Go runtime and
// cobra starting; a fixed 0–60 ms delay would land most kills after the
// process has exited. So each kind of command is timed on runs that are
// not killed, and kills are spread uniformly over [killFrom, killTo] times
// that kind's median: from about when the repository lock is taken to
// past the usual exit (a sync that merges takes longer than the median),
// where every file, object, ref and index write happens. On the code of
// 868a40f this placed about 40% of the killed writes between the entry
// file's rename and main's move, and 3 to 5% each inside go-git's in-place
// rewrite of main, between creating reconnect.lock and filling it, and
// inside index.lock's life: windows of well under a millisecond are hit.
const (
	calibrationRuns = 3    // runs of a kind that are never killed, to time it
	noKillShare     = 0.2  // share of later runs left alone (acknowledged ones)
	killFrom        = 0.25 // earliest kill, times the kind's median duration
	killTo          = 1.3  // latest kill
)

// TestCrashWrites kills writes (thanks, win, checkin) to a journal with no
// remote and checks that every acknowledged one is in HEAD, that the next
// command neither hangs nor fails, and that the repository is whole and
// clean: one history from the first commit, git fsck clean, no lock or
// temporary file left, git status empty.
func TestCrashWrites(t *testing.T) {
	t.Parallel()
	n := crashCount("crash.writes", *crashWrites, 12)
	c := newCrash(t)
	j := filepath.Join(t.TempDir(), "journal")
	me := c.side("sam", j)
	c.must(me, "--journal", j, "init", "--name", "sam")
	root := gittest.Git(t, j, "rev-parse", "HEAD")

	for i := range n {
		if !c.write(me, i, true) {
			break
		}
	}
	c.final(me, "--no-sync", "thanks", "final note crashfinal")
	c.logSummary(me)
	_, files := c.checkRepo("journal", j, false, me.name, root, me.acked, true)
	if files != nil {
		committed := 0
		for _, r := range c.log {
			if r.killed && r.texts != nil && inFiles(files, r.texts[0]) {
				committed++
			}
		}
		t.Logf("of %d killed writes, %d were committed anyway (killed after main moved)", me.killed, committed)
	}
}

// TestCrashSyncs runs two partners' clones of one bare folder remote (made
// by git init --bare) and kills their syncs, and some of their writes, at
// random moments. At the end, sync A, B, A must run and exit 0, and every
// entry either side acknowledged must be in HEAD of A, of B and of the
// remote's main, each repository whole (one history, fsck clean), no
// refs/heads/main.lock left in the remote, both work trees clean.
func TestCrashSyncs(t *testing.T) {
	t.Parallel()
	n := crashCount("crash.syncs", *crashSyncs, 6)
	c := newCrash(t)
	tmp := t.TempDir()
	remote := filepath.Join(tmp, "remote.git")
	gittest.BareAt(t, remote)
	a := c.side("sam", filepath.Join(tmp, "a"))
	b := c.side("alex", filepath.Join(tmp, "b"))
	c.must(a, "init", a.dir, "--name", "sam", "--remote", remote)
	c.must(b, "join", remote, b.dir, "--name", "alex")
	root := gittest.Git(t, remote, "rev-parse", "main")

	sides := []*side{a, b}
	ok := true
	for i := 0; i < n && ok; i++ {
		s := sides[i%2]
		for w := 1 + c.rng.IntN(2); w > 0 && ok; w-- {
			ok = c.write(s, s.writes, c.rng.Float64() < 0.8)
		}
		if ok {
			ok = c.step(s, "sync", nil, "--journal", s.dir, "sync")
		}
	}
	synced := true
	for _, s := range []*side{a, b, a} {
		synced = c.final(s, "sync") && synced
	}
	c.logSummary(a, b)

	// When a final sync failed, an entry missing from the other clone or
	// the remote follows from that failure: it is "unsynced", not "lost".
	acked := slices.Concat(a.acked, b.acked)
	heads := map[string]string{}
	for _, r := range []struct {
		name, dir, owner string
		bare             bool
	}{{"A", a.dir, a.name, false}, {"B", b.dir, b.name, false}, {"remote", remote, "", true}} {
		heads[r.name], _ = c.checkRepo(r.name, r.dir, r.bare, r.owner, root, acked, synced)
	}
	if synced && (heads["A"] != heads["B"] || heads["A"] != heads["remote"]) {
		t.Errorf("converge: after sync A, B, A the trees differ: A %s, B %s, remote %s",
			heads["A"], heads["B"], heads["remote"])
	}
}

// crashCount is the count flag name's value, or short under -short when
// the flag was not given.
func crashCount(name string, n, short int) int {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	if testing.Short() && !set {
		n = min(n, short)
	}
	return n
}

// crash is one crash test: the built binary, the random source, how long
// each kind of command takes, and every run so far.
type crash struct {
	t     *testing.T
	bin   string
	rng   *rand.Rand
	clean map[string][]time.Duration // durations of runs not killed, by kind
	log   []run                      // every run, in order
}

// side is one partner: a journal folder and the environment (HOME, config
// folder) reconnect runs with there.
type side struct {
	name   string
	dir    string
	env    []string
	writes int   // writes issued, for unique texts and check-in dates
	acked  []run // writes that exited 0
	killed int   // writes killed
	hung   bool  // a command hung here: later ones would too
}

// run is one reconnect process and how it ended.
type run struct {
	n      int // its place in the test's sequence, from 1
	side   string
	kind   string
	args   []string
	texts  []string      // unique texts a write puts in the journal
	delay  time.Duration // when it was to be killed; -1: never
	dur    time.Duration
	killed bool // ended by the test's SIGKILL
	hung   bool
	code   int
	stdout string
	stderr string
}

func (r run) String() string {
	s := fmt.Sprintf("#%d %s: reconnect %s", r.n, r.side, shellQuote(r.args))
	switch {
	case r.hung:
		s += fmt.Sprintf(" (hung, killed after %v)", r.dur.Round(time.Millisecond))
	case r.killed:
		s += fmt.Sprintf(" (killed at %v)", r.delay.Round(10*time.Microsecond))
	default:
		s += fmt.Sprintf(" (exit %d in %v)", r.code, r.dur.Round(10*time.Microsecond))
	}
	return s
}

func newCrash(t *testing.T) *crash {
	seed := *crashSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay with -crash.seed %d)", seed, seed)
	return &crash{
		t:     t,
		bin:   buildCrashBinary(t),
		rng:   rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		clean: map[string][]time.Duration{},
	}
}

// buildCrashBinary builds the real binary into a temporary folder: the test
// must SIGKILL real processes, which the in-process testscript command
// cannot be.
func buildCrashBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not in PATH; the crash test builds the real binary")
	}
	bin := filepath.Join(t.TempDir(), "reconnect")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// side makes a partner whose journal is dir, with its own HOME and config
// folder beside it, and no setting from the machine running the test.
func (c *crash) side(name, dir string) *side {
	home := filepath.Join(c.t.TempDir(), "home-"+name)
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "RECONNECT_") || strings.HasPrefix(k, "GIT_") || strings.HasPrefix(k, "XDG_") ||
			slices.Contains([]string{"HOME", "USER", "TZ", "VISUAL", "EDITOR", "PAGER"}, k) {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"RECONNECT_CONFIG_DIR="+filepath.Join(home, "config"),
		"USER="+name,
		"TZ=UTC",
		"NO_COLOR=1",
		"TERM=dumb",
	)
	return &side{name: name, dir: dir, env: env}
}

// must runs a set-up command, which is never killed and must exit 0.
func (c *crash) must(s *side, args ...string) {
	c.t.Helper()
	r := c.exec(s, "setup", nil, -1, args)
	if r.hung || r.code != 0 {
		c.t.Fatalf("set-up failed: %v\nstdout:\n%s\nstderr:\n%s", r, r.stdout, r.stderr)
	}
}

// write runs the s.writes-th write of s: a thanks note, a win or a
// check-in (on its own date, so two never meet), each with texts no other
// write has. noSync adds --no-sync; without it the write also syncs. The
// write may be killed. It reports false when the test must stop.
func (c *crash) write(s *side, i int, noSync bool) bool {
	s.writes++
	tag := fmt.Sprintf("crash%s%04dx%06x", s.name, i, c.rng.Uint32()&0xffffff)
	args := []string{"--journal", s.dir}
	kind := "write"
	if noSync {
		args = append(args, "--no-sync")
	} else {
		kind = "write+sync"
	}
	var texts []string
	switch c.rng.IntN(3) {
	case 0:
		texts = []string{"thanks for " + tag}
		args = append(args, "thanks", texts[0])
	case 1:
		texts = []string{"win " + tag}
		args = append(args, "win", texts[0])
	default:
		date := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format(time.DateOnly)
		texts = []string{"rose " + tag + "r", "bud " + tag + "b", "thorn " + tag + "t"}
		args = append(args, "checkin", "--date", date, "--rose", texts[0], "--bud", texts[1], "--thorn", texts[2])
	}
	return c.step(s, kind, texts, args...)
}

// step runs one command of the sequence, which may be killed at a random
// moment, and checks what the test can see at once: a command that was not
// killed must not hang and must exit 0. A write (one with texts) that
// exited 0 is acknowledged. It reports false when the journal is wedged (a
// hang, a failure), after failing the test.
func (c *crash) step(s *side, kind string, texts []string, args ...string) bool {
	r := c.exec(s, kind, texts, c.killDelay(kind), args)
	switch {
	case r.killed:
		if r.texts != nil {
			s.killed++
		}
		return true
	case r.hung:
		s.hung = true
		c.t.Errorf("hung: %v\n%s", r, c.context(r))
		return false
	case r.code != 0:
		c.t.Errorf("exit: %v: a command that was not killed must exit 0\n%s", r, c.context(r))
		return false
	}
	if r.texts != nil {
		s.acked = append(s.acked, r)
	}
	return true
}

// final runs a closing command on s that is never killed and must exit 0,
// and reports whether it did. A write among them is acknowledged like any
// other. On a side where a command hung it is not run (it would hang too).
func (c *crash) final(s *side, args ...string) bool {
	if s.hung {
		c.t.Logf("not run on %s, where a command hung: reconnect %s", s.name, shellQuote(args))
		return false
	}
	kind := "final"
	var texts []string
	if slices.Contains(args, "thanks") {
		texts = []string{args[len(args)-1]}
	}
	r := c.exec(s, kind, texts, -1, append([]string{"--journal", s.dir}, args...))
	switch {
	case r.hung:
		s.hung = true
		c.t.Errorf("hung: final %v\n%s", r, c.context(r))
		return false
	case r.code != 0:
		c.t.Errorf("exit: final %v: it must exit 0\n%s", r, c.context(r))
		return false
	case texts != nil:
		s.acked = append(s.acked, r)
	}
	return true
}

// killDelay is when to kill the next run of kind: never during its
// calibration runs and for a share of the others, else a uniform moment
// between killFrom and killTo times its median duration.
func (c *crash) killDelay(kind string) time.Duration {
	d := c.clean[kind]
	if len(d) < calibrationRuns || c.rng.Float64() < noKillShare {
		return -1
	}
	m := median(d[max(0, len(d)-15):])
	return time.Duration(float64(m) * (killFrom + (killTo-killFrom)*c.rng.Float64()))
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// exec runs the binary with args in s's environment, SIGKILLs it after
// delay (never when negative), and kills it as hung after -crash.timeout.
func (c *crash) exec(s *side, kind string, texts []string, delay time.Duration, args []string) run {
	c.t.Helper()
	r := run{n: len(c.log) + 1, side: s.name, kind: kind, args: args, texts: texts, delay: delay}
	cmd := exec.Command(c.bin, args...)
	cmd.Env = s.env
	cmd.Dir = filepath.Dir(s.dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("start %s: %v", c.bin, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var kill <-chan time.Time
	if delay >= 0 {
		kt := time.NewTimer(delay)
		defer kt.Stop()
		kill = kt.C
	}
	bound := time.NewTimer(*crashTimeout)
	defer bound.Stop()
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-kill:
			kill = nil
			cmd.Process.Kill() // ErrProcessDone when it exited first: then it was not killed
		case <-bound.C:
			r.hung = true
			cmd.Process.Kill()
			err = <-done
			break wait
		}
	}
	r.dur = time.Since(start)
	r.stdout, r.stderr = out.String(), errb.String()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		c.t.Fatalf("wait for %v: %v", r, err)
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	r.killed = !r.hung && ws.Signaled() && ws.Signal() == syscall.SIGKILL
	r.code = ws.ExitStatus()
	if ws.Signaled() && !r.killed && !r.hung {
		r.code = 128 + int(ws.Signal())
	}
	if delay < 0 && !r.hung && r.code == 0 {
		c.clean[kind] = append(c.clean[kind], r.dur)
	}
	c.log = append(c.log, r)
	if *crashTrace {
		c.t.Logf("%v", r)
	}
	return r
}

// context is what a failure of r needs beside it: its output and the runs
// just before it (most often, one of them was killed at a bad moment).
func (c *crash) context(r run) string {
	var b strings.Builder
	fmt.Fprintf(&b, "stderr: %s\nstdout: %s\nbefore it:\n", orNone(r.stderr), orNone(r.stdout))
	for _, p := range c.log[max(0, r.n-1-4) : r.n-1] {
		fmt.Fprintf(&b, "  %v\n", p)
	}
	return b.String()
}

func orNone(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "(nothing)"
	}
	return s
}

// logSummary logs what the run did: how many runs of each kind, how many
// were killed, how long the unkilled ones took.
func (c *crash) logSummary(sides ...*side) {
	kinds := map[string][2]int{}
	for _, r := range c.log {
		k := kinds[r.kind]
		k[0]++
		if r.killed {
			k[1]++
		}
		kinds[r.kind] = k
	}
	for _, kind := range slices.Sorted(func(yield func(string) bool) {
		for k := range kinds {
			if !yield(k) {
				return
			}
		}
	}) {
		med := "-"
		if d := c.clean[kind]; len(d) > 0 {
			med = median(d).Round(10 * time.Microsecond).String()
		}
		c.t.Logf("%-10s %4d runs, %4d killed, median unkilled %s", kind, kinds[kind][0], kinds[kind][1], med)
	}
	for _, s := range sides {
		c.t.Logf("%s: %d writes, %d acknowledged, %d killed", s.name, s.writes, len(s.acked), s.killed)
	}
}

// checkRepo checks the repository at dir (a work tree, or a bare one) at
// the end of a test: its main is a commit id, no lock is left, HEAD's
// history starts at root and nowhere else, every acknowledged text is in
// a file of HEAD's tree, git fsck is clean and, in a work tree, git status
// is empty and no .tmp- file is left.
//
// owner is the partner whose clone dir is ("" for the remote). A text of
// another side that is missing is lost when synced (every final sync
// exited 0), else only unsynced. It returns HEAD's tree id and files
// ("" and nil when HEAD does not resolve).
func (c *crash) checkRepo(name, dir string, bare bool, owner, root string, acked []run, synced bool) (string, map[string]string) {
	t := c.t
	t.Helper()
	gitDir := dir
	if !bare {
		gitDir = filepath.Join(dir, ".git")
	}
	git := func(args ...string) (string, error) {
		out, err := gittest.GitErr(t, dir, nil, args...)
		return strings.TrimRight(out, "\n"), err
	}

	if b, err := os.ReadFile(filepath.Join(gitDir, "refs", "heads", "main")); err == nil && !hashLine.Match(b) {
		t.Errorf("ref: %s: refs/heads/main holds %q, not a commit id (killed while it was rewritten in place)", name, b)
	}
	for _, l := range leftLocks(gitDir) {
		t.Errorf("lock: %s: %s was left behind", name, l)
	}
	if debris := leftDebris(gitDir); len(debris) > 0 {
		t.Errorf("tmp: %s: temporary files a killed process left in the git folder, not swept by the next command: %s", name, strings.Join(debris, ", "))
	}

	tree, err := git("rev-parse", "--verify", "HEAD^{tree}")
	if err != nil {
		t.Errorf("head: %s: HEAD does not resolve to a commit: %v", name, err)
		return "", nil
	}
	if roots, err := git("rev-list", "--max-parents=0", "HEAD"); err != nil {
		t.Errorf("history: %s: %v", name, err)
	} else if roots != root {
		var desc []string
		for _, h := range strings.Fields(roots) {
			s, _ := git("log", "-1", "--format=%h %s", h)
			desc = append(desc, s)
		}
		first, _ := git("log", "-1", "--format=%h %s", root)
		t.Errorf("history: %s: HEAD's history starts at %s, want only the journal's first commit %s: the history was cut",
			name, strings.Join(desc, " and "), first)
	}

	files, err := headFiles(t, dir)
	if err != nil {
		t.Errorf("head: %s: read HEAD's files: %v", name, err)
		return tree, nil
	}
	for p := range files {
		if strings.Contains(p, ".tmp-") {
			t.Errorf("tmp: %s: a temporary file is committed in HEAD: %s", name, p)
		}
	}
	missing := map[string][]string{}
	for _, r := range acked {
		for _, text := range r.texts {
			if !inFiles(files, text) {
				word := "lost"
				if r.side != owner && !synced {
					word = "unsynced"
				}
				missing[word] = append(missing[word], fmt.Sprintf("%q, written by %v", text, r))
				break
			}
		}
	}
	for _, word := range []string{"lost", "unsynced"} {
		if m := missing[word]; len(m) > 0 {
			t.Errorf("%s: %s: %d of %d acknowledged writes are not in HEAD (%d files):\n  %s",
				word, name, len(m), len(acked), len(files), strings.Join(firstN(m, 20), "\n  "))
		}
	}

	if out, err := gittest.GitErr(t, dir, nil, "fsck", "--full", "--strict", "--no-dangling", "--no-progress"); err != nil {
		t.Errorf("fsck: %s: %v\n%s", name, err, out)
	}
	if bare {
		return tree, files
	}

	var tmps []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if strings.Contains(d.Name(), ".tmp-") {
			rel, _ := filepath.Rel(dir, p)
			tmps = append(tmps, rel)
		}
		return nil
	})
	if len(tmps) > 0 {
		t.Errorf("tmp: %s: %d temporary files left in the work tree:\n  %s", name, len(tmps), strings.Join(firstN(tmps, 20), "\n  "))
	}
	status, err := git("status", "--porcelain", "--untracked-files=all")
	if err != nil {
		t.Errorf("clean: %s: %v", name, err)
		status = ""
	}
	if len(status) > 0 {
		t.Errorf("clean: %s: git status --porcelain is not empty:\n  %s", name, strings.Join(firstN(explainStatus(status), 20), "\n  "))
	}
	return tree, files
}

// explainStatus says, line by line, what left git status --porcelain
// dirty. A .tmp- file is left out: the tmp check names it.
func explainStatus(status string) []string {
	codes := map[string][]string{}
	var paths []string
	for _, line := range strings.Split(status, "\n") {
		if len(line) < 4 || strings.Contains(line, ".tmp-") {
			continue
		}
		p := line[3:]
		if codes[p] == nil {
			paths = append(paths, p)
		}
		codes[p] = append(codes[p], line[:2])
	}
	var out []string
	for _, p := range paths {
		why := "index or work tree out of step with HEAD"
		switch c := codes[p]; {
		case slices.Contains(c, "D ") && slices.Contains(c, "??"):
			why = "committed, but not in the index: killed between moving main and writing the index"
		case slices.Equal(c, []string{"??"}):
			why = "an entry file no commit took: killed between writing it and moving main"
		}
		out = append(out, fmt.Sprintf("%s %s   (%s)", strings.Join(codes[p], ","), p, why))
	}
	return out
}

// inFiles reports whether text is in one of files.
func inFiles(files map[string]string, text string) bool {
	for _, body := range files {
		if strings.Contains(body, text) {
			return true
		}
	}
	return false
}

var hashLine = regexp.MustCompile(`^[0-9a-f]{40}\n?$`)

// leftLocks lists the lock files in gitDir: git's index and config locks,
// a lock on any ref, and reconnect's own lock when a process still holds
// it. reconnect.lock is an OS lock (flock) on a file that stays: the file
// is no lock, a holder is.
func leftLocks(gitDir string) []string {
	var locks []string
	for _, n := range []string{"index.lock", "HEAD.lock", "config.lock", "packed-refs.lock"} {
		if b, err := os.ReadFile(filepath.Join(gitDir, n)); err == nil {
			locks = append(locks, fmt.Sprintf("%s (%d bytes: %q)", n, len(b), b))
		}
	}
	if f, err := os.Open(filepath.Join(gitDir, "reconnect.lock")); err == nil {
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			locks = append(locks, fmt.Sprintf("reconnect.lock (still held: %v)", err))
		}
		f.Close()
	}
	filepath.WalkDir(filepath.Join(gitDir, "refs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".lock") {
			rel, _ := filepath.Rel(gitDir, p)
			b, _ := os.ReadFile(p)
			locks = append(locks, fmt.Sprintf("%s (%d bytes: %q)", filepath.ToSlash(rel), len(b), b))
		}
		return nil
	})
	return locks
}

// leftDebris lists temporary files a killed process leaves in the git
// folder: go-git's tmp_obj_ files, anything in reconnect-tmp, a stale
// reconnect.lock moved aside. The next command sweeps them.
func leftDebris(gitDir string) []string {
	var debris []string
	filepath.WalkDir(gitDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasPrefix(d.Name(), "tmp_") || strings.Contains(d.Name(), ".stale-") ||
			strings.Contains(filepath.ToSlash(p), "/reconnect-tmp/")) {
			rel, _ := filepath.Rel(gitDir, p)
			debris = append(debris, filepath.ToSlash(rel))
		}
		return nil
	})
	return debris
}

// headFiles reads every file of HEAD's tree in the repository at dir, by
// path, through git archive.
func headFiles(t *testing.T, dir string) (map[string]string, error) {
	out, err := gittest.GitErr(t, dir, nil, "archive", "--format=tar", "HEAD")
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	tr := tar.NewReader(strings.NewReader(out))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[h.Name] = string(b)
	}
}

func firstN(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("... and %d more", len(s)-n))
}

// shellQuote joins args the way a user would type them.
func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = a
		if a == "" || strings.ContainsAny(a, " \t'\"$\\") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
