package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// textBuf collects running text with whitespace collapsed.
type textBuf struct {
	b           strings.Builder
	space       bool // a space is due before the next character
	flat        bool // line breaks become spaces
	total, link int  // characters, and those inside links
}

func (t *textBuf) text(s string, inLink bool) {
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff':
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' || r >= utf8.RuneSelf && unicode.IsSpace(r):
			t.space = true
		default:
			if t.space && t.b.Len() > 0 {
				t.b.WriteByte(' ')
			}
			t.space = false
			t.b.WriteRune(r)
			t.total++
			if inLink {
				t.link++
			}
		}
	}
}

func (t *textBuf) newline() {
	if t.flat {
		t.space = true
		return
	}
	t.b.WriteByte('\n')
	t.space = false
}

func (t *textBuf) reset() {
	t.b.Reset()
	t.space = false
	t.total, t.link = 0, 0
}

// String returns the text on one line (or lines, after <br>), trimmed.
func (t *textBuf) String() string {
	return strings.TrimSpace(t.b.String())
}

// paragraphs splits the text at blank lines (<br><br>) and trims every line.
func (t *textBuf) paragraphs() []string {
	s := t.b.String()
	if strings.IndexByte(s, '\n') < 0 {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return []string{s}
	}
	var paras []string
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
			continue
		}
		if len(lines) > 0 {
			paras = append(paras, strings.Join(lines, "\n"))
			lines = nil
		}
	}
	if len(lines) > 0 {
		paras = append(paras, strings.Join(lines, "\n"))
	}
	return paras
}

// lines returns the trimmed, non-empty lines of the text.
func (t *textBuf) lines() []string {
	var lines []string
	for _, l := range strings.Split(t.b.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// nodeText returns the text of n and its descendants, text nodes separated by spaces and
// whitespace collapsed; scripts and styles are left out.
func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return
		case html.ElementNode:
			if n.Data == "script" && !strings.Contains(attr(n, "type"), "json") || n.Data == "style" {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return collapse(b.String())
}

// nodeTextRaw returns the text of n and its descendants as written.
func nodeTextRaw(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// collapse trims s and collapses its runs of whitespace to single spaces.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
