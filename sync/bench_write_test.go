package sync_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/index"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/internal/journalgen"
	gitsync "github.com/reconnect-app/reconnect/sync"
)

// The write benchmarks run on a copy of the generated 25-year journal
// (about 51,000 entries, 9,000 commits), one copy per benchmark, kept for
// all the runs the testing package makes of it. Each iteration writes the
// check-in of a new day after the journal's last one, as a user would.
//
//	go test ./sync -run '^$' -bench 'CommitEntry|GitAddCommit|IndexUpdate' -benchtime 50x

var benchJournalOpt = journalgen.Options{}

type benchJournal struct {
	dir  string
	next civil.Date // the day the next iteration writes
}

var (
	benchJournalsMu gosync.Mutex
	benchJournals   = map[string]*benchJournal{}
)

// benchCopy is this benchmark's own copy of the generated journal.
func benchCopy(b *testing.B, name string) *benchJournal {
	b.Helper()
	if testing.Short() {
		b.Skip("needs the generated 25-year journal")
	}
	benchJournalsMu.Lock()
	defer benchJournalsMu.Unlock()
	if j := benchJournals[name]; j != nil {
		return j
	}
	src := journalgen.Cached(b, benchJournalOpt)
	// One folder per benchmark, made afresh by each process: what a run
	// leaves behind is bounded, and the next run clears it.
	dir := filepath.Join(os.TempDir(), "reconnect-bench-"+name)
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	dst := filepath.Join(dir, "journal")
	if err := journalgen.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	j := &benchJournal{dir: dst, next: benchJournalOpt.End()}
	benchJournals[name] = j
	return j
}

// entry is the check-in file of day d, as reconnect writes it.
func (j *benchJournal) entry(d civil.Date) (string, []byte, string) {
	path := fmt.Sprintf("%04d/%02d/%s-checkin-sam.md", d.Year, int(d.Month), d)
	created := d.In(time.FixedZone("", 3600)).Add(21*time.Hour + 14*time.Minute + 3*time.Second)
	data := fmt.Sprintf("---\nkind: checkin\nauthor: sam\ndate: %s\ncreated: %s\n---\n\n## Rose\nThe walk by the river.\n\n## Bud\nThe weekend.\n\n## Thorn\nToo many meetings.\n",
		d, created.Format(time.RFC3339))
	return path, []byte(data), fmt.Sprintf("checkin: sam %s", d)
}

func reportMS(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/op")
}

// BenchmarkCommitEntry is reconnect writing one entry: open the journal,
// take the lock, commit the new file, let go of the lock. "reopen" opens
// the journal every time, as each reconnect command does; "open-once"
// keeps it open, to show what opening costs.
func BenchmarkCommitEntry(b *testing.B) {
	for _, mode := range []string{"reopen", "open-once"} {
		b.Run(mode, func(b *testing.B) {
			j := benchCopy(b, "commit-"+mode)
			r, err := gitsync.Open(j.dir)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ResetTimer()
			for range b.N {
				path, data, msg := j.entry(j.next)
				sig := gitsync.Signature{Name: "sam", Email: "sam@reconnect.local", When: j.next.In(time.UTC).Add(21 * time.Hour)}
				j.next = j.next.AddDays(1)
				if mode == "reopen" {
					if r, err = gitsync.Open(j.dir); err != nil {
						b.Fatal(err)
					}
				}
				unlock, err := r.Lock(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := r.Commit(msg, sig, gitsync.Change{Path: path, Data: data}); err != nil {
					b.Fatal(err)
				}
				if err := unlock(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportMS(b)
			if out := benchGit(b, j.dir, "status", "--porcelain"); out != "" {
				b.Fatalf("git status after the benchmark:\n%s", out)
			}
		})
	}
}

// BenchmarkGitAddCommit is the git CLI doing the same work on its own
// copy of the same journal: write the file, git add it, git commit.
func BenchmarkGitAddCommit(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("no git to compare with")
	}
	j := benchCopy(b, "git")
	b.ResetTimer()
	for range b.N {
		gitAddCommit(b, j)
	}
	b.StopTimer()
	reportMS(b)
}

// gitAddCommit writes the next day's entry into j and commits it with git.
func gitAddCommit(b *testing.B, j *benchJournal) {
	path, data, msg := j.entry(j.next)
	j.next = j.next.AddDays(1)
	name := filepath.Join(j.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o600); err != nil {
		b.Fatal(err)
	}
	benchGit(b, j.dir, "add", "--", path)
	benchGit(b, j.dir, "commit", "-q", "-m", msg)
}

// BenchmarkCommitEntryVsGit alternates the two: reconnect writes an entry
// into its copy, then git adds and commits one into its own, so that both
// see the same load on the machine. ns/op is reconnect's; git-ms/op is
// git's, and git/reconnect how many times longer git takes.
func BenchmarkCommitEntryVsGit(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("no git to compare with")
	}
	ours, theirs := benchCopy(b, "commit-reopen"), benchCopy(b, "git")
	ctx := context.Background()
	var gitTime time.Duration
	b.ResetTimer()
	for range b.N {
		path, data, msg := ours.entry(ours.next)
		sig := gitsync.Signature{Name: "sam", Email: "sam@reconnect.local", When: ours.next.In(time.UTC).Add(21 * time.Hour)}
		ours.next = ours.next.AddDays(1)
		r, err := gitsync.Open(ours.dir)
		if err != nil {
			b.Fatal(err)
		}
		unlock, err := r.Lock(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Commit(msg, sig, gitsync.Change{Path: path, Data: data}); err != nil {
			b.Fatal(err)
		}
		if err := unlock(); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		start := time.Now()
		gitAddCommit(b, theirs)
		gitTime += time.Since(start)
		b.StartTimer()
	}
	b.StopTimer()
	reportMS(b)
	gitMS := float64(gitTime.Nanoseconds()) / 1e6 / float64(b.N)
	b.ReportMetric(gitMS, "git-ms/op")
	b.ReportMetric(gitMS/(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N)), "git/reconnect")
}

// BenchmarkIndexUpdate is the index half of a commit on the journal's
// 51,000-entry index: reconnect's in-place patch against a read and write
// through go-git's index codec, the way go-git's own worktree does it.
func BenchmarkIndexUpdate(b *testing.B) {
	if testing.Short() {
		b.Skip("needs the generated 25-year journal")
	}
	src := journalgen.Cached(b, benchJournalOpt)
	old, err := os.ReadFile(filepath.Join(src, ".git", "index"))
	if err != nil {
		b.Fatal(err)
	}
	data := []byte("---\nkind: checkin\n---\n")
	b.Run("patch", func(b *testing.B) {
		for i := range b.N {
			if _, err := gitsync.PatchIndexForBench(old, fmt.Sprintf("2026/01/x-%d.md", i), data); err != nil {
				b.Fatal(err)
			}
		}
		reportMS(b)
	})
	b.Run("go-git-codec", func(b *testing.B) {
		for i := range b.N {
			idx := &index.Index{}
			if err := index.NewDecoder(bytes.NewReader(old)).Decode(idx); err != nil {
				b.Fatal(err)
			}
			e := idx.Add(fmt.Sprintf("2026/01/x-%d.md", i))
			e.Size = uint32(len(data))
			var out bytes.Buffer
			w := bufio.NewWriter(&out)
			if err := index.NewEncoder(w).Encode(idx); err != nil {
				b.Fatal(err)
			}
			w.Flush()
		}
		reportMS(b)
	})
}

func benchGit(b *testing.B, dir string, args ...string) string {
	b.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+filepath.Dir(dir),
		"GIT_AUTHOR_NAME=sam", "GIT_AUTHOR_EMAIL=sam@reconnect.local",
		"GIT_COMMITTER_NAME=sam", "GIT_COMMITTER_EMAIL=sam@reconnect.local")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		b.Fatalf("git %v: %v\n%s", args, err, errb.String())
	}
	return string(bytes.TrimSpace(out.Bytes()))
}
