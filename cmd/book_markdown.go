package cmd

import (
	"bytes"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// bookMarkdown renders an entry's Markdown for the memory book: CommonMark,
// a line break where the writer broke the line, and nothing that could
// act on the page or fetch anything.
//
//   - Raw HTML (a <script>, a <b>) is shown as the text that was typed,
//     escaped, never passed through.
//   - A link keeps its href only for http, https and mailto; any other
//     (javascript:, data:, file:, a relative path) is its text alone.
//   - An image is never loaded: it becomes a link to where it is, with its
//     description as the text, under the same rule.
var bookMarkdown = goldmark.New(
	goldmark.WithRendererOptions(
		gmhtml.WithHardWraps(),
		renderer.WithNodeRenderers(util.Prioritized(bookSafeRenderer{}, 100)),
	),
)

// markdownHTML is text rendered by [bookMarkdown]; on the rare error
// (goldmark fails only when writing fails), the text escaped in a paragraph.
func markdownHTML(text string) template.HTML {
	if plainParagraph(text) {
		return template.HTML("<p>" + template.HTMLEscapeString(text) + "</p>\n")
	}
	var b bytes.Buffer
	if err := bookMarkdown.Convert([]byte(text), &b); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(text) + "</p>")
	}
	return template.HTML(b.String())
}

// plainParagraph reports whether text is one line that Markdown leaves as
// it is, a paragraph of its words: it starts with a letter and holds none
// of the characters that make emphasis, code, links, HTML, entities or
// escapes. Most of a journal is such lines, and they skip the parser: a
// 25-year book has some 100,000 of them (TestPlainParagraphIsGoldmarks
// holds it to the parser's output).
func plainParagraph(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	if text == "" || !unicode.IsLetter(r) || strings.ContainsAny(text, "*_`[]<>&\\!~\n\r\t") {
		return false
	}
	return !strings.HasSuffix(text, " ")
}

// safeLinkTarget reports whether a link may keep its destination: a web
// page or an e-mail address, nothing that runs or reads a local file.
func safeLinkTarget(dest []byte) bool {
	d := strings.ToLower(strings.TrimSpace(string(dest)))
	return strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "mailto:")
}

// bookSafeRenderer overrides goldmark's HTML renderer for the nodes that
// could carry markup or a reference out of the page.
type bookSafeRenderer struct{}

func (bookSafeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderEscapedRawHTML)
	reg.Register(ast.KindHTMLBlock, renderEscapedHTMLBlock)
	reg.Register(ast.KindLink, renderSafeLink)
	reg.Register(ast.KindAutoLink, renderSafeAutoLink)
	reg.Register(ast.KindImage, renderImageAsLink)
}

func renderEscapedRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		n := node.(*ast.RawHTML)
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
		}
	}
	return ast.WalkSkipChildren, nil
}

// renderEscapedHTMLBlock writes an HTML block as a paragraph of its text.
func renderEscapedHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		_, _ = w.WriteString("<p>")
		lines := n.Lines()
		for i := range lines.Len() {
			line := lines.At(i)
			text := bytes.TrimRight(line.Value(source), "\r\n")
			if i > 0 {
				_, _ = w.WriteString("<br>\n")
			}
			_, _ = w.Write(util.EscapeHTML(text))
		}
		if n.HasClosure() {
			if lines.Len() > 0 {
				_, _ = w.WriteString("<br>\n")
			}
			_, _ = w.Write(util.EscapeHTML(bytes.TrimRight(n.ClosureLine.Value(source), "\r\n")))
		}
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

func writeHref(w util.BufWriter, dest []byte) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	_, _ = w.WriteString(`" rel="noopener noreferrer">`)
}

func renderSafeLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !safeLinkTarget(n.Destination) {
		return ast.WalkContinue, nil // the text alone
	}
	if entering {
		writeHref(w, n.Destination)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderSafeAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	url, label := n.URL(source), n.Label(source)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		url = append([]byte("mailto:"), url...)
	}
	if safeLinkTarget(url) {
		writeHref(w, url)
		_, _ = w.Write(util.EscapeHTML(label))
		_, _ = w.WriteString("</a>")
	} else {
		_, _ = w.Write(util.EscapeHTML(label))
	}
	return ast.WalkContinue, nil
}

// renderImageAsLink writes an image as a link to it (its description the
// text, or the address when it has none): the book fetches nothing.
func renderImageAsLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	safe := safeLinkTarget(n.Destination)
	if entering {
		if safe {
			writeHref(w, n.Destination)
		}
		if n.FirstChild() == nil {
			_, _ = w.Write(util.EscapeHTML(n.Destination))
		}
	} else if safe {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}
