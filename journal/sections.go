package journal

// ParseSections reads Markdown text that has no front matter, such as a
// check-in piped in or written in an editor, into its sections by the same
// rules as an entry's body: "## Heading" lines outside fenced code start a
// section; text before the first heading comes first with Heading "".
// CRLF is read as LF.
func ParseSections(text string) []Section {
	free, secs := splitBody(normalizeNewlines(text))
	if free != "" {
		return append([]Section{{Text: free}}, secs...)
	}
	return secs
}
