package journal

import (
	"reflect"
	"strings"
	"testing"
)

const mergeBase = `---
kind: bucket
author: sam
date: 2026-11-21
created: 2026-11-21T21:14:03+01:00
# what it is
title: Ramen
status: open
note: ask Jo
---

Near the station.

## Plan
A weekday.
`

// edit applies string replacements to mergeBase, in order.
func edit(pairs ...string) string {
	s := mergeBase
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("edit: no " + pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func TestMergeFiles(t *testing.T) {
	for _, tc := range []struct {
		name               string
		base, ours, theirs string
		noBase             bool
		want               string // "" with ok false means a conflict
	}{
		{
			name:   "different fields",
			ours:   edit("status: open\n", "status: done\ndone: 2026-12-01\ndone-by: sam\n"),
			theirs: edit("title: Ramen\n", "title: Ramen at Ippudo\n"),
			want:   edit("title: Ramen\n", "title: Ramen at Ippudo\n", "status: open\n", "status: done\ndone: 2026-12-01\ndone-by: sam\n"),
		},
		{
			name:   "same field both ways",
			ours:   edit("title: Ramen\n", "title: Ramen at Ippudo\n"),
			theirs: edit("title: Ramen\n", "title: Ramen at Ichiran\n"),
		},
		{
			name:   "same field same value",
			ours:   edit("status: open\n", "status: done\n", "A weekday.", "Friday."),
			theirs: edit("status: open\n", "status: done\n"),
			want:   edit("status: open\n", "status: done\n", "A weekday.", "Friday."),
		},
		{
			name:   "a section added on each side",
			ours:   mergeBase + "\n## Budget\n40 euros\n",
			theirs: mergeBase + "\n## Who\nJo and Kim\n",
			want:   mergeBase + "\n## Who\nJo and Kim\n\n## Budget\n40 euros\n", // theirs follows Plan there
		},
		{
			name:   "a section added on one side, free text changed on the other",
			ours:   edit("Near the station.", "Near the old station."),
			theirs: mergeBase + "\n## Budget\n40 euros\n",
			want:   edit("Near the station.", "Near the old station.") + "\n## Budget\n40 euros\n",
		},
		{
			name:   "same section changed both ways",
			ours:   edit("A weekday.", "Friday."),
			theirs: edit("A weekday.", "Saturday."),
		},
		{
			name:   "deleted field vs changed field",
			ours:   edit("note: ask Jo\n", ""),
			theirs: edit("note: ask Jo\n", "note: ask Kim\n"),
		},
		{
			name:   "changed field vs deleted field",
			ours:   edit("note: ask Jo\n", "note: ask Kim\n"),
			theirs: edit("note: ask Jo\n", ""),
		},
		{
			name:   "deleted section vs changed section",
			ours:   edit("\n## Plan\nA weekday.\n", ""),
			theirs: edit("A weekday.", "Friday."),
		},
		{
			name:   "deleted field vs other change",
			ours:   edit("note: ask Jo\n", ""),
			theirs: edit("A weekday.", "Friday."),
			want:   edit("note: ask Jo\n", "", "A weekday.", "Friday."),
		},
		{
			name:   "deleted section vs other change",
			ours:   edit("title: Ramen\n", "title: Noodles\n"),
			theirs: edit("\n## Plan\nA weekday.\n", ""),
			want:   edit("title: Ramen\n", "title: Noodles\n", "\n## Plan\nA weekday.\n", ""),
		},
		{
			name:   "their new key goes after the key it follows",
			ours:   edit("note: ask Jo\n", "note: ask Jo\nprice: 40\n"),
			theirs: edit("status: open\n", "status: open\nwhere: Lyon\n"),
			want:   edit("note: ask Jo\n", "note: ask Jo\nprice: 40\n", "status: open\n", "status: open\nwhere: Lyon\n"),
		},
		{
			name:   "their change keeps its comment",
			ours:   edit("status: open\n", "status: done\n"),
			theirs: edit("# what it is\ntitle: Ramen\n", "# what it is, really\ntitle: Ramen # the good kind\n"),
			want:   edit("# what it is\ntitle: Ramen\n", "# what it is, really\ntitle: Ramen # the good kind\n", "status: open\n", "status: done\n"),
		},
		{
			name:   "a comment changed on one side, the value on the other",
			ours:   edit("title: Ramen\n", "title: Ramen # yum\n"),
			theirs: edit("title: Ramen\n", "title: Udon\n"),
			want:   edit("title: Ramen\n", "title: Udon\n"),
		},
		{
			name:   "identical changes",
			ours:   edit("title: Ramen\n", "title: Udon\n"),
			theirs: edit("title: Ramen\n", "title: Udon\n"),
			want:   edit("title: Ramen\n", "title: Udon\n"),
		},
		{
			name:   "only ours changed",
			ours:   edit("title: Ramen\n", "title: Udon\n"),
			theirs: strings.ReplaceAll(mergeBase, "\n", "\r\n"),
			want:   edit("title: Ramen\n", "title: Udon\n"),
		},
		{
			name:   "both added, different keys and sections",
			noBase: true,
			ours:   edit("note: ask Jo\n", "note: ask Jo\nprice: 40\n"),
			theirs: mergeBase + "\n## Who\nJo\n",
			want:   edit("note: ask Jo\n", "note: ask Jo\nprice: 40\n") + "\n## Who\nJo\n",
		},
		{
			name:   "both added, same key differently",
			noBase: true,
			ours:   edit("title: Ramen\n", "title: Udon\n"),
			theirs: mergeBase,
		},
		{
			name:   "unparsable ours",
			ours:   "---\nkind: bucket\n<<<<<<< HEAD\n",
			theirs: edit("title: Ramen\n", "title: Udon\n"),
		},
		{
			name:   "unparsable theirs",
			ours:   edit("title: Ramen\n", "title: Udon\n"),
			theirs: "no front matter\n",
		},
		{
			name:   "unparsable base",
			base:   "---\n---\n",
			ours:   edit("title: Ramen\n", "title: Udon\n"),
			theirs: edit("status: open\n", "status: done\n"),
		},
		{
			name:   "unusual front matter on one side",
			ours:   edit("note: ask Jo\n", "note: ask Jo\n...\n"),
			theirs: edit("status: open\n", "status: done\n"),
			want:   edit("status: open\n", "status: done\n", "note: ask Jo\n", "note: ask Jo\n...\n"),
		},
		{
			name:   "unusual front matter that cannot take their key",
			ours:   edit("note: ask Jo\n", "note: ask Jo\n...\n"),
			theirs: edit("note: ask Jo\n", "note: ask Jo\nwhere: Lyon\n"),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var base []byte
			switch {
			case tc.base != "":
				base = []byte(tc.base)
			case !tc.noBase:
				base = []byte(mergeBase)
			}
			got, ok := MergeFiles("bucket/ramen.md", base, []byte(tc.ours), []byte(tc.theirs))
			if tc.want == "" {
				if ok {
					t.Fatalf("merged, want a conflict:\n%s", got)
				}
				return
			}
			if !ok {
				t.Fatal("conflict, want a merge")
			}
			if string(got) != tc.want {
				t.Errorf("merged\n got %q\nwant %q", got, tc.want)
			}
			// Merging is symmetric up to order.
			rev, ok := MergeFiles("bucket/ramen.md", base, []byte(tc.theirs), []byte(tc.ours))
			if !ok {
				t.Fatal("conflict with the sides swapped")
			}
			a, b := mustParse(t, "a.md", got), mustParse(t, "b.md", rev)
			if !reflect.DeepEqual(a.Fields(), b.Fields()) || !sameSections(a.Sections(), b.Sections()) {
				t.Errorf("sides swapped:\n%s\nvs\n%s", got, rev)
			}
		})
	}
}

func sameSections(a, b []Section) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[Section]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// FuzzMerge: merging never panics, a merge reads back, and a side that did
// not change gives the other side.
func FuzzMerge(f *testing.F) {
	f.Add([]byte(mergeBase), []byte(edit("title: Ramen\n", "title: Udon\n")), []byte(edit("A weekday.", "Friday.")))
	f.Add([]byte(mergeBase), []byte(mergeBase+"\n## Budget\n40\n"), []byte(edit("note: ask Jo\n", "")))
	f.Add([]byte(nil), []byte(mergeBase), []byte(edit("# what it is\n", "# what\n")))
	f.Add([]byte(mergeBase), // ticked off on both sides, each with a note
		[]byte(edit("status: open\n", "status: done\ndone: 2026-12-02\ndone-by: alex\n")+"\n## Done\nThe broth!\n"),
		[]byte(edit("status: open\n", "status: done\ndone: 2026-12-01\ndone-by: sam\n", "## Plan\nA weekday.\n", "## Done\nLoved it.\n")))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		if len(base) == 0 {
			base = nil
		}
		got, ok := MergeFiles("m.md", base, ours, theirs)
		if !ok {
			return
		}
		e, err := Parse("m.md", got)
		if err != nil {
			t.Fatalf("merge does not parse: %v\n%q", err, got)
		}
		if string(e.Render()) != string(got) {
			t.Fatalf("merge is not what Render writes:\n%q\n%q", got, e.Render())
		}
		if base != nil {
			eb, err := Parse("m.md", base)
			if err != nil {
				t.Fatal("merged with a base that does not parse")
			}
			et := mustParse(t, "m.md", theirs)
			if string(eb.Render()) == string(mustParse(t, "m.md", ours).Render()) && string(got) != string(et.Render()) {
				t.Fatalf("ours unchanged, merge is not theirs:\n%q\n%q", got, et.Render())
			}
		}
	})
}
