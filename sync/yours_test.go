package sync

import (
	"context"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/gittest"
	"github.com/reconnect-app/reconnect/journal"
)

// ysSync syncs c with entries protected by their owner, as reconnect does.
func ysSync(t *testing.T, c *rsClone) Result {
	t.Helper()
	unlock, err := c.r.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	opt := c.opts()
	opt.EntryAuthor = journal.Owner
	res, err := c.r.Sync(context.Background(), opt)
	if err != nil {
		t.Fatalf("%s: sync: %v", c.author, err)
	}
	return res
}

// TestYourEntriesAreYours: a change the partner makes to your dated entry
// (an edit, a delete) is never applied silently, whether your journal
// fast-forwards or merges: yours stays, theirs is a conflict copy named
// after them, a delete is undone, and the sync says so. Their own entries,
// shared items and your own edits from another machine apply as usual.
func TestYourEntriesAreYours(t *testing.T) {
	t.Parallel()
	for _, diverged := range []bool{false, true} {
		name := "fast-forward"
		if diverged {
			name = "merge"
		}
		t.Run(name, func(t *testing.T) {
			remote, clones := rsNewRemote(t, "sam", "alex")
			sam, alex := clones[0], clones[1]
			mine, mineText := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nThe soup")
			note, noteText := rsEntry("sam", "2026-11-21", "thanks", "for the walk")
			theirs, theirsText := rsEntry("alex", "2026-11-21", "checkin", "## Rose\nThe tea")
			bucket, bucketText := rsBucket("sam", "Ramen", map[string]string{"status": "open"})
			sam.write(mine, mineText)
			sam.write(note, noteText)
			sam.write(bucket, bucketText)
			ysSync(t, sam)
			alex.write(theirs, theirsText)
			ysSync(t, alex)

			// Alex rewrites Sam's check-in, deletes Sam's note, edits their
			// own check-in and the shared item.
			_, forged := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nI was wrong about everything")
			alex.write(mine, forged)
			alex.remove(note)
			alex.write(theirs, strings.Replace(theirsText, "The tea", "The tea, and the cake", 1))
			alex.write(bucket, strings.Replace(bucketText, "status: open", "status: done", 1))
			ysSync(t, alex)
			if diverged {
				other, otherText := rsEntry("sam", "2026-11-22", "win", "ran 5k")
				sam.write(other, otherText)
			}

			res := ysSync(t, sam)
			if got := sam.file(mine); got != mineText {
				t.Errorf("Sam's check-in became %q", got)
			}
			if got := sam.file(note); got != noteText {
				t.Errorf("Sam's note became %q", got)
			}
			if !strings.Contains(sam.file(theirs), "and the cake") {
				t.Error("Alex's edit of their own check-in was not applied")
			}
			if !strings.Contains(sam.file(bucket), "status: done") {
				t.Error("the shared item's change was not applied")
			}
			if len(res.Protected) != 2 {
				t.Fatalf("Protected = %+v, want the edit and the delete", res.Protected)
			}
			for _, p := range res.Protected {
				if p.By != "alex" {
					t.Errorf("protection %+v not named after alex", p)
				}
				switch p.Path {
				case mine:
					if !strings.Contains(p.Copy, ".conflict-alex-") || sam.file(p.Copy) != forged {
						t.Errorf("Alex's version of the check-in is not beside it: %+v", p)
					}
				case note:
					if p.Copy != "" {
						t.Errorf("a delete left a copy: %+v", p)
					}
				default:
					t.Errorf("unexpected protection %+v", p)
				}
			}
			sam.checkClean()

			// Both converge; Alex sees Sam's check-in back, theirs beside it.
			ysSync(t, alex)
			ysSync(t, sam)
			rsSameTrees(t, sam, alex)
			if got := alex.file(mine); got != mineText {
				t.Errorf("Alex's copy of Sam's check-in is %q after the sync", got)
			}
			gittest.Fsck(t, remote)
		})
	}
}

// TestYourOtherMachine: your own edits from another clone (commits you
// authored) apply as usual.
func TestYourOtherMachine(t *testing.T) {
	_, clones := rsNewRemote(t, "sam", "sam")
	laptop, desk := clones[0], clones[1]
	desk.author = "sam"
	mine, mineText := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nThe soup")
	laptop.write(mine, mineText)
	ysSync(t, laptop)
	ysSync(t, desk)
	_, edited := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nThe soup, and bread")
	desk.write(mine, edited)
	ysSync(t, desk)
	if res := ysSync(t, laptop); len(res.Protected) != 0 || laptop.file(mine) != edited {
		t.Fatalf("your own edit from another machine: protected %+v, file %q", res.Protected, laptop.file(mine))
	}
}

// TestForgedEntry: an entry in your name that someone else's commit adds
// is named by the sync and listed by Status until it is gone.
func TestForgedEntry(t *testing.T) {
	_, clones := rsNewRemote(t, "sam", "alex")
	sam, alex := clones[0], clones[1]
	fake, fakeText := rsEntry("sam", "2026-11-20", "thanks", "for nothing")
	alex.write(fake, fakeText)
	ysSync(t, alex)
	res := ysSync(t, sam)
	if len(res.Forged) != 1 || res.Forged[0] != fake {
		t.Fatalf("Forged = %v, want [%s]", res.Forged, fake)
	}
	st, err := sam.r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Forged) != 1 || st.Forged[0] != fake {
		t.Fatalf("Status.Forged = %v", st.Forged)
	}
	sam.remove(fake)
	if st, _ := sam.r.Status(context.Background()); len(st.Forged) != 0 {
		t.Fatalf("Status.Forged after removing it = %v", st.Forged)
	}
}

// TestYourLaterEditWins: after the partner changed your entry, your own
// later edit of it from another machine applies on this one; it is not
// taken for the partner's.
func TestYourLaterEditWins(t *testing.T) {
	_, clones := rsNewRemote(t, "sam", "sam", "alex")
	laptop, desk, alex := clones[0], clones[1], clones[2]
	mine, mineText := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nThe soup")
	laptop.write(mine, mineText)
	ysSync(t, laptop)
	ysSync(t, desk)
	ysSync(t, alex)
	_, forged := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nNothing good")
	alex.write(mine, forged)
	ysSync(t, alex)
	ysSync(t, desk) // keeps Sam's, Alex's beside it
	_, later := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nThe soup, and the bread after")
	desk.write(mine, later)
	ysSync(t, desk)
	res := ysSync(t, laptop)
	if got := laptop.file(mine); got != later {
		t.Fatalf("the laptop holds %q, want the desk's later edit", got)
	}
	for _, p := range res.Protected {
		if p.Path == mine && p.Copy != "" && laptop.file(p.Copy) == later {
			t.Errorf("your own later edit was kept aside as %s's: %+v", p.By, p)
		}
	}
}

// TestForgedAtYourPath: the partner's file at the very path of an entry
// you wrote meanwhile is kept beside yours, not merged into it.
func TestForgedAtYourPath(t *testing.T) {
	_, clones := rsNewRemote(t, "sam", "alex")
	sam, alex := clones[0], clones[1]
	mine, mineText := rsEntry("sam", "2026-11-21", "checkin", "## Rose\nThe soup")
	_, fake := rsEntry("sam", "2026-11-21", "checkin", "## Bud\nA fake plan")
	sam.write(mine, mineText)
	alex.write(mine, fake)
	ysSync(t, alex)
	res := ysSync(t, sam)
	if got := sam.file(mine); got != mineText {
		t.Fatalf("Sam's check-in became %q", got)
	}
	if len(res.Protected) != 1 || res.Protected[0].Copy == "" || sam.file(res.Protected[0].Copy) != fake {
		t.Fatalf("Protected = %+v, want Alex's file beside Sam's", res.Protected)
	}
	if len(res.Forged) != 0 {
		t.Errorf("Forged = %v: Sam's own check-in is no forgery", res.Forged)
	}
}
