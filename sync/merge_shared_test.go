package sync

import (
	"context"
	"strings"
	"testing"

	"github.com/reconnect-app/reconnect/internal/civil"
	"github.com/reconnect-app/reconnect/journal"
)

// The same bucket item ticked off on both sides, each with a note, then
// synced through a bare remote in either order: done once, both notes
// kept, no conflict copy, and the same file whoever synced first. A real
// clash after that (the title changed both ways) keeps a copy named after
// the partner whose version it holds, not after who added the item.
func TestSyncSameItemDoneBothSides(t *testing.T) {
	t.Parallel()
	day := func(s string) civil.Date {
		d, err := civil.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	added := journal.NewBucketItem("Pottery class", "sam", day("2026-11-21"), rsEpoch)
	added.Path = "bucket/pottery-class.md"
	p := added.Path
	// change is what a write on c does to the item as c has it now.
	change := func(c *rsClone, f func(e *journal.Entry)) {
		t.Helper()
		e, err := journal.Parse(p, []byte(c.file(p)))
		if err != nil {
			t.Fatal(err)
		}
		f(e)
		c.write(p, string(e.Render()))
	}
	tick := func(who, on, note string) func(e *journal.Entry) {
		return func(e *journal.Entry) {
			e.MarkDone(who, day(on))
			e.SetSection(journal.SectionDone, note)
		}
	}
	var files []string
	for _, samFirst := range []bool{true, false} {
		_, cs := rsNewRemote(t, "sam", "alex")
		sam, alex := cs[0], cs[1]
		sam.write(p, string(added.Render()))
		sam.sync()
		alex.sync()

		change(alex, tick("alex", "2026-12-02", "So much clay."))
		change(sam, tick("sam", "2026-12-01", "We laughed a lot."))
		first, second := sam, alex
		if !samFirst {
			first, second = alex, sam
		}
		first.sync()
		res := second.sync()
		if res.State != StateMerged || len(res.Conflicts) != 0 || len(res.Merged) != 1 || res.Merged[0] != p {
			t.Fatalf("%s synced second: %+v, want %s merged, no conflict", second.author, res, p)
		}
		first.sync()
		rsSameTrees(t, sam, alex)
		got := sam.file(p)
		e, err := journal.Parse(p, []byte(got))
		if err != nil {
			t.Fatal(err)
		}
		note, _ := e.Section(journal.SectionDone)
		if by, _ := e.Field(journal.FieldDoneBy); !e.IsDone() || by != "sam" || note != "sam: We laughed a lot.\n\nalex: So much clay." {
			t.Fatalf("merged item:\n%s", got)
		}
		if d, _ := e.Field(journal.FieldDone); d != "2026-12-01" {
			t.Errorf("done on %q, want the earlier day", d)
		}
		files = append(files, got)
		for _, c := range []*rsClone{sam, alex} {
			st, err := c.r.Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Conflicts) != 0 {
				t.Fatalf("%s: conflict copies %v", c.author, st.Conflicts)
			}
			c.checkClean()
		}

		if !samFirst {
			continue
		}
		// A real clash: both rename it. Alex's version reaches the remote
		// first; sam keeps his and gets alex's beside it, named after alex.
		change(alex, func(e *journal.Entry) { e.SetField(journal.FieldTitle, "Pottery class in Lyon") })
		change(sam, func(e *journal.Entry) { e.SetField(journal.FieldTitle, "Pottery class with Jo") })
		alex.sync()
		res = sam.sync()
		if len(res.Conflicts) != 1 || !strings.HasPrefix(res.Conflicts[0], "bucket/pottery-class.conflict-alex-") {
			t.Fatalf("real clash: conflicts %v, want one named after alex", res.Conflicts)
		}
		if !strings.Contains(sam.file(res.Conflicts[0]), "title: Pottery class in Lyon") ||
			!strings.Contains(sam.file(p), "title: Pottery class with Jo") {
			t.Fatal("sam's version must stay at the path and alex's go in the copy")
		}
		alex.sync()
		rsSameTrees(t, sam, alex)
	}
	if files[0] != files[1] {
		t.Fatalf("the merged item depends on who synced first:\n%s\nvs\n%s", files[0], files[1])
	}
}
