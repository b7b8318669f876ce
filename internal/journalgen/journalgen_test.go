package journalgen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name        string
		opt         Options
		minFiles    int
		maxFiles    int
		wantCommits func(files int) (lo, hi int)
	}{
		{"one year, a commit a day", Options{Seed: 7, Years: 1, Start: civil.Date{Year: 2003, Month: 5, Day: 1}}, 1800, 2300,
			func(int) (int, int) { return 360, 367 }}, // every day has some entry, almost surely
		{"two months, a commit per entry", Options{Seed: 1, Days: 61, CommitsPerDay: 1000, Start: civil.Date{Year: 2020, Month: 1, Day: 1}}, 280, 420,
			func(files int) (int, int) { return files - 2 + 1, files - 2 + 1 + 5 }}, // + the first commit, + bucket items marked done
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Generate(dir, tt.opt); err != nil {
				t.Fatal(err)
			}
			if out := gitOut(t, dir, "status", "--porcelain", "--untracked-files=all"); out != "" {
				t.Fatalf("git status:\n%s", out)
			}
			gitOut(t, dir, "fsck", "--strict", "--no-dangling")
			if got := gitOut(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/main" {
				t.Errorf("HEAD -> %s", got)
			}
			files := strings.Split(gitOut(t, dir, "ls-files"), "\n")
			if len(files) < tt.minFiles || len(files) > tt.maxFiles {
				t.Errorf("%d files, want %d to %d", len(files), tt.minFiles, tt.maxFiles)
			}
			commits, _ := strconv.Atoi(gitOut(t, dir, "rev-list", "--count", "HEAD"))
			if lo, hi := tt.wantCommits(len(files)); commits < lo || commits > hi {
				t.Errorf("%d commits for %d files, want %d to %d", commits, len(files), lo, hi)
			}
			kinds := map[journal.Kind]int{}
			authors := map[string]int{}
			for _, p := range files {
				if p == "README.md" || p == "reconnect.yaml" {
					continue
				}
				data, err := os.ReadFile(filepath.Join(dir, p))
				if err != nil {
					t.Fatal(err)
				}
				e, err := journal.Parse(p, data)
				if err != nil {
					t.Fatalf("generated %s does not parse: %v\n%s", p, err, data)
				}
				kinds[e.Kind]++
				authors[e.Author]++
				if e.Kind != journal.KindBucket {
					if want := journal.PathFor(e, func(string) bool { return false }); !strings.HasPrefix(p, strings.TrimSuffix(want, ".md")) {
						t.Errorf("%s is where reconnect would write %s", p, want)
					}
					if e.Date.Compare(civil.Of(e.Created)) != 0 {
						t.Errorf("%s: date %s, created %s", p, e.Date, e.Created.Format(time.RFC3339))
					}
				}
			}
			if kinds[journal.KindCheckin] == 0 || kinds[journal.KindThanks] == 0 || kinds[journal.KindBucket] == 0 {
				t.Errorf("kinds: %v", kinds)
			}
			if authors["alex"] == 0 || authors["sam"] == 0 || len(authors) != 2 {
				t.Errorf("authors: %v", authors)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	opt := Options{Seed: 3, Days: 40}
	dir := t.TempDir()
	if err := Generate(dir, opt); err != nil {
		t.Fatal(err)
	}
	a, b := gitOut(t, dir, "rev-parse", "HEAD"), gitOut(t, Cached(t, opt), "rev-parse", "HEAD")
	if a != b {
		t.Errorf("same options, HEAD %s and %s", a, b)
	}
	opt.Seed = 4
	if c := gitOut(t, Cached(t, opt), "rev-parse", "HEAD"); c == a {
		t.Errorf("another seed gave the same HEAD %s", c)
	}
}

func TestGenerateRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "x"), nil, 0o600)
	if err := Generate(dir, Options{Years: 1}); err == nil {
		t.Fatal("Generate into a non-empty folder succeeded")
	}
}

func TestCopy(t *testing.T) {
	src := Cached(t, Options{Seed: 3, Days: 40})
	dst := filepath.Join(t.TempDir(), "copy")
	if err := Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(dst, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if out := gitOut(t, dst, "status", "--porcelain"); out != "" {
		t.Fatalf("git status in the copy:\n%s", out)
	}
	// git status rewrites the index when it had to re-read files whose
	// stat data did not match; the copy's must match already.
	after, _ := os.ReadFile(filepath.Join(dst, ".git", "index"))
	if !bytes.Equal(before, after) {
		t.Error("git refreshed the copy's index: its stat data did not match the files")
	}
	if a, b := gitOut(t, src, "rev-parse", "HEAD"), gitOut(t, dst, "rev-parse", "HEAD"); a != b {
		t.Errorf("copy HEAD %s, source %s", b, a)
	}
	// Writing into the copy leaves the source alone.
	os.WriteFile(filepath.Join(dst, "new.md"), []byte("x"), 0o600)
	gitOut(t, dst, "add", "new.md")
	gitOut(t, dst, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "x")
	if out := gitOut(t, src, "status", "--porcelain"); out != "" {
		t.Errorf("source changed:\n%s", out)
	}
	if err := Copy(dst, src); err == nil {
		t.Error("Copy over an existing folder succeeded")
	}
}

func TestCached(t *testing.T) {
	opt := Options{Seed: 11, Days: 20, Start: civil.Date{Year: 1999, Month: 2, Day: 3}}
	a := Cached(t, opt)
	b := Cached(t, opt)
	if a != b {
		t.Fatalf("Cached gave %s, then %s", a, b)
	}
	if c := Cached(t, Options{Seed: 11, Days: 21, Start: opt.Start}); c == a {
		t.Fatal("other options share the folder")
	}
	if out := gitOut(t, a, "status", "--porcelain"); out != "" {
		t.Errorf("git status:\n%s", out)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if err := Generate(b.TempDir(), Options{Years: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
