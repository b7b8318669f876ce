package journal

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// MergeFiles merges two versions of one entry file that both changed since
// base, the version they share (nil when both sides added the file).
//
// The front matter merges key by key and the body section by section (the
// free text is one section): a side that changed a key or section wins over
// a side that left it as in base, and both changing it to the same thing is
// no conflict. A key or section that both changed differently, or that one
// side deleted while the other changed it, is a conflict: ok is false and
// the caller keeps both versions. A change that leaves a key's value as it
// was (a comment, the quoting) counts as no change when the other side
// changed the value. Keys and sections keep our order; ones only their side
// added follow the key or section they follow there.
//
// A shared item (a bucket-list item, a planned date) that both sides
// ticked off is done once, with both notes kept ([settleDone]); only a real
// clash besides (the title changed both ways) is a conflict. A planned date
// that both sides changed for a calendar (a move, a cancel) gets a sequence
// above both ([settleSequence]).
//
// ok is also false when any input does not parse. The merged file is what
// [Entry.Render] writes: unchanged parts keep their text.
func MergeFiles(path string, base, ours, theirs []byte) (merged []byte, ok bool) {
	eo, err := Parse(path, ours)
	if err != nil {
		return nil, false
	}
	et, err := Parse(path, theirs)
	if err != nil {
		return nil, false
	}
	eb := &Entry{Path: path}
	if base != nil {
		if eb, err = Parse(path, base); err != nil {
			return nil, false
		}
	}
	if o, t, ok := settleDone(eb, eo, et); ok {
		eo, et = o, t
	}
	if o, t, ok := settleSequence(eb, eo, et); ok {
		eo, et = o, t
	}
	ro, rt := eo.Render(), et.Render()
	switch {
	case bytes.Equal(ro, rt):
		return ro, true
	case base != nil && bytes.Equal(eb.Render(), ro):
		return rt, true
	case base != nil && bytes.Equal(eb.Render(), rt):
		return ro, true
	}

	fmText, wantFields, ok := mergeFrontMatter(eb.fm, eo.fm, et.fm)
	if !ok {
		return nil, false
	}
	wantBody, ok := mergeBody(eb, eo, et)
	if !ok {
		return nil, false
	}
	fm, yerr := parseFrontMatter(fmText)
	if yerr != nil {
		return nil, false
	}
	e := &Entry{Path: path, fm: fm}
	if _, err := e.loadRequired(); err != nil {
		return nil, false
	}
	for _, s := range wantBody {
		if s.Heading == "" {
			e.free = s.Text
		} else {
			e.secs = append(e.secs, s)
		}
	}
	out := e.Render()
	// What was built from pieces of three texts must read back as the merge
	// that was decided.
	back, err := Parse(path, out)
	if err != nil || !reflect.DeepEqual(back.Sections(), e.Sections()) {
		return nil, false
	}
	root, yerr := parseYAML(back.fm.text)
	if yerr != nil || !reflect.DeepEqual(mappingValues(root), wantFields) {
		return nil, false
	}
	return out, true
}

// fmSide is one version of a front matter, cut into blocks.
type fmSide struct {
	pre   string
	order []string
	text  map[string]string // a key's lines: comments above, key and value, what trails
	value map[string]any    // a key's decoded value
}

func sideOf(fm frontMatter) (fmSide, bool) {
	root, yerr := parseYAML(fm.text)
	if yerr != nil {
		return fmSide{}, false
	}
	text := fm.text
	if root == nil {
		text = ""
	}
	bl, ok := splitBlocks(text, root)
	if !ok {
		// Too unusual to cut; cut its re-encoded form instead.
		if text, err := encodeMapping(root); err == nil {
			if root, yerr = parseYAML(text); yerr == nil {
				bl, ok = splitBlocks(text, root)
			}
		}
		if !ok {
			return fmSide{}, false
		}
	}
	s := fmSide{pre: bl.preamble, text: map[string]string{}, value: map[string]any{}}
	for i, b := range bl.blocks {
		s.order = append(s.order, b.name)
		s.text[b.name] = b.text()
		s.value[b.name] = decodeValue(root.Content[2*i+1])
	}
	return s, true
}

// choice is the outcome of a three-way decision on one item.
type choice int

const (
	takeOurs choice = iota
	takeTheirs
	conflict
)

// decide merges one item given whether it is present on each side, whether
// two sides' versions are the same text, and whether they mean the same.
func decide(same, equiv func(a, b int) bool) choice {
	const b, o, t = 0, 1, 2
	changedO, changedT := !same(b, o), !same(b, t)
	switch {
	case !changedT:
		return takeOurs
	case !changedO:
		return takeTheirs
	case same(o, t) || equiv(o, t):
		return takeOurs
	case equiv(b, o):
		return takeTheirs // ours only changed how it is written
	case equiv(b, t):
		return takeOurs
	}
	return conflict
}

// mergeFrontMatter merges three front matters. It returns the merged text
// and the decoded key/value pairs that text must mean.
func mergeFrontMatter(fb, fo, ft frontMatter) (string, []pair, bool) {
	var sides [3]fmSide
	for i, fm := range []frontMatter{fb, fo, ft} {
		s, ok := sideOf(fm)
		if !ok {
			return "", nil, false
		}
		sides[i] = s
	}
	pres := [3]string{sides[0].pre, sides[1].pre, sides[2].pre}
	var pre string
	switch decide(func(a, b int) bool { return pres[a] == pres[b] }, func(int, int) bool { return false }) {
	case takeOurs:
		pre = pres[1]
	case takeTheirs:
		pre = pres[2]
	default:
		return "", nil, false
	}
	kept := map[string]int{} // key -> side whose block is used
	for _, key := range unionOrder(sides[0].order, sides[1].order, sides[2].order) {
		has := func(i int) bool { _, ok := sides[i].text[key]; return ok }
		same := func(a, b int) bool {
			return has(a) == has(b) && sides[a].text[key] == sides[b].text[key]
		}
		equiv := func(a, b int) bool {
			return has(a) == has(b) && reflect.DeepEqual(sides[a].value[key], sides[b].value[key])
		}
		var from int
		switch decide(same, equiv) {
		case takeOurs:
			from = 1
		case takeTheirs:
			from = 2
		default:
			return "", nil, false
		}
		if has(from) {
			kept[key] = from
		}
	}
	var text strings.Builder
	text.WriteString(pre)
	var want []pair
	for _, key := range mergeOrder(sides[1].order, sides[2].order, kept) {
		s := sides[kept[key]]
		block := s.text[key]
		if !strings.HasSuffix(block, "\n") {
			block += "\n"
		}
		text.WriteString(block)
		want = append(want, pair{key, s.value[key]})
	}
	return text.String(), want, true
}

// mergeBody merges the free text and sections of three entries, in the
// order of [Entry.Sections].
func mergeBody(eb, eo, et *Entry) ([]Section, bool) {
	type side struct {
		order []string
		sec   map[string]Section
	}
	var sides [3]side
	for i, e := range []*Entry{eb, eo, et} {
		s := side{sec: map[string]Section{}}
		seen := map[string]int{}
		for _, sec := range e.Sections() {
			h := strings.ToLower(sec.Heading)
			key := h + "\x00" + strconv.Itoa(seen[h])
			seen[h]++
			s.order = append(s.order, key)
			s.sec[key] = sec
		}
		sides[i] = s
	}
	kept := map[string]int{}
	for _, key := range unionOrder(sides[0].order, sides[1].order, sides[2].order) {
		same := func(a, b int) bool {
			sa, oka := sides[a].sec[key]
			sb, okb := sides[b].sec[key]
			return oka == okb && sa == sb
		}
		var from int
		switch decide(same, func(int, int) bool { return false }) {
		case takeOurs:
			from = 1
		case takeTheirs:
			from = 2
		default:
			return nil, false
		}
		if _, ok := sides[from].sec[key]; ok {
			kept[key] = from
		}
	}
	var out []Section
	for _, key := range mergeOrder(sides[1].order, sides[2].order, kept) {
		out = append(out, sides[kept[key]].sec[key])
	}
	// the free text comes first whatever the sides' orders
	slices.SortStableFunc(out, func(a, b Section) int {
		switch {
		case a.Heading == "" && b.Heading != "":
			return -1
		case a.Heading != "" && b.Heading == "":
			return 1
		}
		return 0
	})
	return out, true
}

// unionOrder is every key of the lists, each once, in first-seen order.
func unionOrder(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, k := range l {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// mergeOrder orders the kept keys: ours in our order, then each key only
// theirs has right after the key it follows in their order (at the start
// when it comes first there).
func mergeOrder(ours, theirs []string, kept map[string]int) []string {
	var out []string
	for _, k := range ours {
		if _, ok := kept[k]; ok {
			out = append(out, k)
		}
	}
	prev := -1 // index in out of the last of their keys placed
	for _, k := range theirs {
		if _, ok := kept[k]; !ok {
			continue
		}
		if i := slices.Index(out, k); i >= 0 {
			prev = i
			continue
		}
		out = slices.Insert(out, prev+1, k)
		prev++
	}
	return out
}
