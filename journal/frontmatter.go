package journal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// frontMatter is the YAML between the two --- lines of an entry.
//
// text is exactly what Render writes (every line ends in "\n"), so a file
// read and written again keeps its formatting and comments; keys indexes its
// top-level keys. A frontMatter is never changed in place: [frontMatter.with]
// returns a new one whose text differs from the old only in the edited key,
// falling back to re-encoding the whole mapping when the text is too unusual
// to edit line by line.
type frontMatter struct {
	text   string
	keys   []fmKey
	simple bool // every line is "key: plain value" (parseSimple read it)
}

type fmKey struct {
	name   string
	value  string // the scalar's text; "" for null or a non-scalar
	scalar bool
	line   int // 1-based, within text
}

// yamlError is a problem in front-matter text, at a 1-based line of the text.
type yamlError struct {
	line int
	err  error
}

func (fm frontMatter) get(name string) (fmKey, bool) {
	for _, k := range fm.keys {
		if k.name == name {
			return k, true
		}
	}
	return fmKey{}, false
}

// parseFrontMatter indexes text. Plain "key: value" lines, which is what
// reconnect writes, take a fast path that never builds a YAML tree; anything
// else goes through the YAML parser.
func parseFrontMatter(text string) (frontMatter, *yamlError) {
	if keys, ok := parseSimple(text); ok {
		return frontMatter{text: text, keys: keys, simple: true}, nil
	}
	root, yerr := parseYAML(text)
	if yerr != nil {
		return frontMatter{}, yerr
	}
	keys, yerr := indexKeys(root)
	if yerr != nil {
		return frontMatter{}, yerr
	}
	return frontMatter{text: text, keys: keys}, nil
}

// parseSimple reads text made only of "key: value" lines whose keys are
// names and whose values are plain scalars that YAML reads as the same text.
// It reports false for anything else, leaving it to the YAML parser.
func parseSimple(text string) ([]fmKey, bool) {
	keys := make([]fmKey, 0, 8)
	var seen map[string]bool
	for line := 1; text != ""; line++ {
		nl := strings.IndexByte(text, '\n')
		if nl < 0 {
			return nil, false
		}
		l := text[:nl]
		text = text[nl+1:]
		colon := strings.IndexByte(l, ':')
		if colon <= 0 || !simpleKey(l[:colon]) {
			return nil, false
		}
		name, rest := l[:colon], l[colon+1:]
		var value string
		if rest != "" {
			if rest[0] != ' ' {
				return nil, false
			}
			value = strings.Trim(rest, " ")
			if value != "" && !simpleValue(value) {
				return nil, false
			}
		}
		switch value {
		case "null", "Null", "NULL":
			value = ""
		}
		if seenKey(keys, name, &seen) {
			return nil, false
		}
		if seen != nil {
			seen[name] = true
		}
		keys = append(keys, fmKey{name: name, value: value, scalar: true, line: line})
	}
	return keys, true
}

// seenKey reports whether keys already has name. Front matters are short,
// so it scans; past 16 keys it keeps a map (in *set), so that reading a long
// (hand-made or hostile) front matter stays linear.
func seenKey(keys []fmKey, name string, set *map[string]bool) bool {
	if len(keys) < 16 {
		for _, k := range keys {
			if k.name == name {
				return true
			}
		}
		return false
	}
	if *set == nil {
		*set = make(map[string]bool, 2*len(keys))
		for _, k := range keys {
			(*set)[k.name] = true
		}
	}
	return (*set)[name]
}

func simpleKey(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_':
		case c == '-' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// simpleValue reports whether s, written after "key: ", is a plain YAML
// scalar whose text is s itself: it starts with a letter or digit and holds
// nothing YAML could read as syntax.
func simpleValue(s string) bool {
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		case i == 0 && r < 0xA0:
			return false
		case r == ' ' || strings.ContainsRune("-_.,/+()'!?&=;", r):
		case r == ':':
			if i+1 == len(s) || s[i+1] == ' ' {
				return false
			}
		case r == utf8.RuneError:
			return false // invalid UTF-8 (a literal U+FFFD is also sent the slow way)
		case r < 0xA0, r == 0xFEFF, r == 0x2028, r == 0x2029, r > 0xD7FF && r < 0xE000, r == 0xFFFE:
			return false
		}
	}
	return true
}

// parseYAML parses text as one YAML document and returns its top-level
// mapping, or nil when the document is empty.
func parseYAML(text string) (*yaml.Node, *yamlError) {
	dec := yaml.NewDecoder(strings.NewReader(text))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, yamlErr(err, text)
	}
	var more yaml.Node
	switch err := dec.Decode(&more); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlErr(err, text)
	default:
		return nil, &yamlError{line: max(more.Line, 1), err: fmt.Errorf("%w: more than one yaml document", ErrBadYAML)}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &yamlError{line: max(root.Line, 1), err: fmt.Errorf("%w: want key: value lines", ErrBadYAML)}
	}
	return root, nil
}

var (
	yamlLineRE   = regexp.MustCompile(`^line (\d+): `)
	yamlAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// yamlParserProblems are the messages of the YAML parser proper, as opposed
// to its scanner. The library reports the scanner's lines counting from 1
// but the parser's counting from 0.
var yamlParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found duplicate %TAG directive",
	"found incompatible YAML document",
}

// yamlErr turns a YAML library error into one with a 1-based line of text.
func yamlErr(err error, text string) *yamlError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			line = n
			if slices.Contains(yamlParserProblems, msg) {
				line++
			}
		}
	} else if m := yamlAnchorRE.FindStringSubmatch(msg); m != nil {
		for i, l := range strings.Split(text, "\n") {
			if strings.Contains(l, "*"+m[1]) {
				line = i + 1
				break
			}
		}
	}
	return &yamlError{line: line, err: fmt.Errorf("%w: %s", ErrBadYAML, msg)}
}

func indexKeys(root *yaml.Node) ([]fmKey, *yamlError) {
	if root == nil {
		return nil, nil
	}
	keys := make([]fmKey, 0, len(root.Content)/2)
	var seen map[string]bool
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, &yamlError{line: max(k.Line, 1), err: fmt.Errorf("%w: a key must be a plain name", ErrBadYAML)}
		}
		if seenKey(keys, k.Value, &seen) {
			return nil, &yamlError{line: max(k.Line, 1), err: fmt.Errorf("%w: key %q appears twice", ErrBadYAML, k.Value)}
		}
		if seen != nil {
			seen[k.Value] = true
		}
		value, scalar := scalarText(v)
		keys = append(keys, fmKey{name: k.Value, value: value, scalar: scalar, line: k.Line})
	}
	return keys, nil
}

// scalarText is the text of a scalar value ("" for null), following an alias.
func scalarText(v *yaml.Node) (string, bool) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.ScalarNode {
		return "", false
	}
	if v.ShortTag() == "!!null" {
		return "", true
	}
	return v.Value, true
}

// scalarNode is a string value for the front matter, plain where YAML reads
// the plain text back as the same string (timestamps included), quoted
// otherwise ("123", "true", "null").
func scalarNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	switch n.ShortTag() {
	case "!!str", "!!timestamp":
	default:
		n.Tag = "!!str"
	}
	if s == "" {
		n.Tag = "!!str"
	}
	return n
}

func keyNode(name string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
}

// with returns fm with key name set to val (appended when new), or removed
// when val is nil.
func (fm frontMatter) with(name string, val *yaml.Node) frontMatter {
	if _, ok := fm.get(name); !ok && val == nil {
		return fm
	}
	root, yerr := parseYAML(fm.text)
	if yerr != nil {
		// fm.text was parsed when fm was made, so this does not happen; if it
		// did, the indexed keys are what is known of the text
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range fm.keys {
			root.Content = append(root.Content, keyNode(k.name), scalarNode(k.value))
		}
	}
	want := editedMapping(root, name, val)
	if text, ok := patchText(fm.text, root, name, val); ok {
		if nf, ok := checkFrontMatter(text, want); ok {
			return nf
		}
	}
	return encodeFrontMatter(want)
}

// editedMapping is a copy of root with name set to val or removed.
func editedMapping(root *yaml.Node, name string, val *yaml.Node) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if root != nil {
		c := *root
		m = &c
		m.Content = append([]*yaml.Node(nil), root.Content...)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != name {
			continue
		}
		if val == nil {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
		} else {
			m.Content[i+1] = withLineComment(val, m.Content[i+1])
		}
		return m
	}
	if val != nil {
		m.Content = append(m.Content, keyNode(name), val)
	}
	return m
}

// withLineComment carries the old value's trailing comment over to a new
// scalar value.
func withLineComment(val, old *yaml.Node) *yaml.Node {
	if val.Kind != yaml.ScalarNode || old.LineComment == "" || strings.Contains(val.Value, "\n") {
		return val
	}
	c := *val
	c.LineComment = old.LineComment
	return &c
}

// patchText edits text line by line: the key's lines are replaced, removed or
// appended, and every other line stays as it was.
func patchText(text string, root *yaml.Node, name string, val *yaml.Node) (string, bool) {
	bl, ok := splitBlocks(text, root)
	if !ok {
		return "", false
	}
	i := bl.find(name)
	switch {
	case val == nil && i < 0:
		return text, true
	case val == nil:
		// the key's own comments go with it; the blank lines and comments
		// after its value stay
		gone := bl.blocks[i]
		bl.blocks = append(bl.blocks[:i], bl.blocks[i+1:]...)
		if i > 0 {
			bl.blocks[i-1].trail += gone.trail
		} else {
			bl.preamble += gone.trail
		}
	case i >= 0:
		k, v := root.Content[2*i], root.Content[2*i+1]
		body, err := encodePair(k, withLineComment(val, v))
		if err != nil {
			return "", false
		}
		bl.blocks[i].body = body
	default:
		body, err := encodePair(keyNode(name), val)
		if err != nil {
			return "", false
		}
		bl.blocks = append(bl.blocks, fmBlock{name: name, body: body})
	}
	return bl.String(), true
}

// checkFrontMatter parses text and reports whether it means want.
func checkFrontMatter(text string, want *yaml.Node) (frontMatter, bool) {
	nf, yerr := parseFrontMatter(text)
	if yerr != nil {
		return frontMatter{}, false
	}
	got, yerr := parseYAML(text)
	if yerr != nil {
		return frontMatter{}, false
	}
	return nf, reflect.DeepEqual(mappingValues(got), mappingValues(want))
}

// encodeFrontMatter writes the whole mapping anew. Comments survive as far as
// the YAML encoder keeps them; when the result would not read back as the same
// mapping (an alias whose anchor was removed, say), aliases are expanded and
// comments dropped.
func encodeFrontMatter(m *yaml.Node) frontMatter {
	if text, err := encodeMapping(m); err == nil {
		if nf, ok := checkFrontMatter(text, m); ok {
			return nf
		}
	}
	budget := maxValueNodes
	flat := flatten(m, &budget)
	text, err := encodeMapping(flat)
	if err == nil {
		if nf, ok := checkFrontMatter(text, flat); ok {
			return nf
		}
	}
	// Last resort, for values the YAML encoder cannot write back faithfully:
	// every value as a quoted string of its decoded form.
	var b strings.Builder
	var keys []fmKey
	for i, p := range mappingValues(m) {
		s := fmt.Sprint(p.value)
		if p.value == nil {
			s = ""
		}
		line := strconv.Quote(p.key) + ": " + strconv.Quote(s) + "\n"
		keys = append(keys, fmKey{name: p.key, value: s, scalar: true, line: i + 1})
		b.WriteString(line)
	}
	return frontMatter{text: b.String(), keys: keys}
}

func newEncoder(buf *bytes.Buffer) *yaml.Encoder {
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	return enc
}

func encodeMapping(m *yaml.Node) (text string, err error) {
	if len(m.Content) == 0 {
		return "", nil
	}
	c := *m
	c.Style &^= yaml.FlowStyle
	var buf bytes.Buffer
	enc := newEncoder(&buf)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{&c}}); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// encodePair writes one "key: value" entry of a block mapping. Head and foot
// comments are left out: they stay in the text around the pair.
func encodePair(k, v *yaml.Node) (string, error) {
	kc, vc := *k, *v
	kc.HeadComment, kc.FootComment = "", ""
	vc.HeadComment, vc.FootComment = "", ""
	return encodeMapping(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{&kc, &vc}})
}

// flatten copies n with aliases replaced by copies of what they point to,
// anchors and comments dropped. Past maxValueNodes copied, the rest is null.
func flatten(n *yaml.Node, budget *int) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil && *budget > 0 {
		n = n.Alias
		*budget--
	}
	if *budget--; *budget < 0 || n.Kind == yaml.AliasNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	c := *n
	c.Anchor, c.HeadComment, c.LineComment, c.FootComment = "", "", "", ""
	c.Content = nil
	for _, ch := range n.Content {
		c.Content = append(c.Content, flatten(ch, budget))
	}
	return &c
}

type pair struct {
	key   string
	value any
}

// values is the decoded meaning of the front matter, in order. A simple one
// is decoded value by value, without parsing the text again.
func (fm frontMatter) values() []pair {
	if !fm.simple {
		root, yerr := parseYAML(fm.text)
		if yerr != nil {
			return nil
		}
		return mappingValues(root)
	}
	ps := make([]pair, 0, len(fm.keys))
	budget := maxValueNodes
	for _, k := range fm.keys {
		ps = append(ps, pair{k.name, nodeValue(&yaml.Node{Kind: yaml.ScalarNode, Value: k.value}, &budget)})
	}
	return ps
}

// mappingValues is the decoded meaning of a mapping, in order, within one
// budget of maxValueNodes for all its values.
func mappingValues(m *yaml.Node) []pair {
	if m == nil {
		return nil
	}
	ps := make([]pair, 0, len(m.Content)/2)
	budget := maxValueNodes
	for i := 0; i+1 < len(m.Content); i += 2 {
		ps = append(ps, pair{m.Content[i].Value, nodeValue(m.Content[i+1], &budget)})
	}
	return ps
}

// maxValueNodes bounds how many YAML nodes decoding a front matter may
// visit, so aliases cannot blow a small file up into a huge value.
const maxValueNodes = 100000

// decodeValue is a front-matter value as plain Go data that encoding/json
// can write: strings, numbers, bools, nil, []any and map[string]any.
// Timestamps stay the strings they are written as, non-finite numbers become
// strings too, a key that is not a scalar is written out ("[a b]"), "<<" is
// an ordinary key, and past maxValueNodes what is left is nil.
func decodeValue(n *yaml.Node) any {
	budget := maxValueNodes
	return nodeValue(n, &budget)
}

func nodeValue(n *yaml.Node, budget *int) any {
	if *budget--; *budget < 0 {
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		return nodeValue(n.Alias, budget)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return nodeValue(n.Content[0], budget)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, nodeValue(c, budget))
		}
		return out
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := nodeValue(n.Content[i], budget)
			key, ok := k.(string)
			if !ok {
				key = fmt.Sprint(k)
				if k == nil {
					key = ""
				}
			}
			out[key] = nodeValue(n.Content[i+1], budget)
		}
		return out
	}
	switch n.ShortTag() {
	case "!!str", "!!timestamp":
		return n.Value
	case "!!null":
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return n.Value
	}
	switch v := v.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
	case string, bool, int, int64, uint64:
	default:
		return n.Value
	}
	return v
}

// fmBlocks is front-matter text cut at its top-level keys, so one key can be
// replaced without touching the lines of the others.
type fmBlocks struct {
	preamble string // comments and blank lines before the first key
	blocks   []fmBlock
}

// fmBlock is one top-level key: the comment lines right above it, the key
// line and its value's lines, then trailing blank lines and comments.
type fmBlock struct {
	name, lead, body, trail string
}

func (b fmBlock) text() string { return b.lead + b.body + b.trail }

func (bl fmBlocks) find(name string) int {
	for i, b := range bl.blocks {
		if b.name == name {
			return i
		}
	}
	return -1
}

func (bl fmBlocks) String() string {
	var s strings.Builder
	s.WriteString(bl.preamble)
	for _, b := range bl.blocks {
		s.WriteString(b.text())
	}
	return s.String()
}

// splitBlocks cuts text at the lines where root's keys start. It reports
// false when the text is not a block mapping whose keys each begin a line at
// column 0. Callers check what they build from the blocks by parsing it.
func splitBlocks(text string, root *yaml.Node) (fmBlocks, bool) {
	if strings.ContainsAny(text, "\r\u0085\u2028\u2029") || (text != "" && !strings.HasSuffix(text, "\n")) {
		return fmBlocks{}, false
	}
	lines := strings.SplitAfter(text, "\n")
	lines = lines[:len(lines)-1] // the "" after the final newline
	if root == nil {
		for _, l := range lines {
			if t := strings.TrimLeft(l, " \t"); t != "\n" && !strings.HasPrefix(t, "#") {
				return fmBlocks{}, false
			}
		}
		return fmBlocks{preamble: text}, true
	}
	if root.Style&yaml.FlowStyle != 0 {
		return fmBlocks{}, false
	}
	n := len(root.Content) / 2
	keyLine := make([]int, n)
	prev := -1
	for i := range n {
		l := root.Content[2*i].Line - 1
		if l <= prev || l >= len(lines) {
			return fmBlocks{}, false
		}
		switch lines[l][0] {
		case ' ', '\t', '#', '\n':
			return fmBlocks{}, false
		}
		keyLine[i], prev = l, l
	}
	comment := func(l string) bool { return l[0] == '#' }
	blank := func(l string) bool { return strings.Trim(l, " \t") == "\n" }
	start := make([]int, n)
	for i := range n {
		lower := 0
		if i > 0 {
			lower = keyLine[i-1] + 1
		}
		s := keyLine[i]
		for s-1 >= lower && comment(lines[s-1]) {
			s--
		}
		start[i] = s
	}
	for _, l := range lines[:start[0]] {
		if !comment(l) && !blank(l) {
			return fmBlocks{}, false
		}
	}
	bl := fmBlocks{preamble: strings.Join(lines[:start[0]], "")}
	for i := range n {
		end := len(lines)
		if i+1 < n {
			end = start[i+1]
		}
		t := end
		for t-1 > keyLine[i] && (comment(lines[t-1]) || blank(lines[t-1])) {
			t--
		}
		bl.blocks = append(bl.blocks, fmBlock{
			name:  root.Content[2*i].Value,
			lead:  strings.Join(lines[start[i]:keyLine[i]], ""),
			body:  strings.Join(lines[keyLine[i]:t], ""),
			trail: strings.Join(lines[t:end], ""),
		})
	}
	return bl, true
}
