package realsite

import (
	"errors"
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page is one amsterdam.nl page, parsed from its text version.
type Page struct {
	Path   string // original path, with its trailing slash
	Title  string
	Blocks []Block
}

// Block is a heading, a paragraph or a list of the page's main content.
type Block struct {
	Kind  BlockKind
	Level int    // headings: 2 or 3
	ID    string // headings: the anchor the page's jump links point to
	Text  []Inline
	Items [][]Inline // lists
}

// BlockKind says what a Block is.
type BlockKind int

// The block kinds.
const (
	Heading BlockKind = iota
	Paragraph
	List
)

// Inline is a run of text, a link when Href is set.
type Inline struct {
	Text string
	Href string // as written in the text version: absolute, or "#fragment"
}

var (
	pageLinkRe = regexp.MustCompile(`^\[PAGE LINK: [^\]]*\]\(([^)]+)\)\s*$`)
	linkRe     = regexp.MustCompile(`\[LINK: ([^\]]*)\]\(([^)]*)\)`)
	jumpRe     = regexp.MustCompile(`^\[LINK: ([^\]]+)\]\(#([^)]+)\)\s*(\?)?$`)
)

// ParsePage reads the text version of an amsterdam.nl page: a first line
// "[PAGE LINK: …](url)", then the page title, then blocks separated by blank lines.
// Links are written "[LINK: text](url)". A short line without closing punctuation
// that starts a block is a heading, and so is a lone jump link to a place on the page
// (the title of a folding section); a line "Lijst" starts a list, as do lines of links
// and the lines after one ending in ":".
func ParsePage(text string) (Page, error) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	m := pageLinkRe.FindStringSubmatch(strings.TrimSpace(lines[0]))
	if m == nil {
		return Page{}, errors.New(`first line is not "[PAGE LINK: …](url)"`)
	}
	u, err := url.Parse(m[1])
	if err != nil || u.Path == "" {
		return Page{}, errors.New("page link has no path")
	}
	p := Page{Path: u.Path}
	var blocks [][]string
	var cur []string
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if l == "" {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		if p.Title == "" {
			p.Title = l
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	if p.Title == "" {
		return Page{}, errors.New("page has no title")
	}
	sectioned := false // a lone heading opened a section: block headings below it are h3
	for _, b := range blocks {
		rest := b
		if h, ok := heading(b[0]); ok {
			lone := len(b) == 1
			h.Level = 2
			if !lone && sectioned && h.ID == "" {
				h.Level = 3
			}
			if lone {
				sectioned = true
			}
			p.Blocks = append(p.Blocks, h)
			rest = b[1:]
		}
		p.Blocks = append(p.Blocks, body(rest)...)
	}
	return p, nil
}

// heading reports whether line is a heading, and the heading.
func heading(line string) (Block, bool) {
	if m := jumpRe.FindStringSubmatch(line); m != nil {
		t := m[1]
		if m[3] != "" {
			t += "?"
		}
		return Block{Kind: Heading, ID: m[2], Text: []Inline{{Text: t}}}, true
	}
	if strings.Contains(line, "[LINK:") || utf8.RuneCountInString(line) > 60 || len(strings.Fields(line)) > 8 {
		return Block{}, false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	first, _ := utf8.DecodeRuneInString(line)
	if strings.ContainsRune(".:,;!)", last) || !unicode.IsUpper(first) || line == "Lijst" {
		return Block{}, false
	}
	return Block{Kind: Heading, Text: []Inline{{Text: line}}}, true
}

// body turns the lines of a block after its heading into paragraphs and lists.
func body(lines []string) []Block {
	var out []Block
	var list *Block
	closeList := func() {
		if list != nil {
			out = append(out, *list)
			list = nil
		}
	}
	inList := false // after "Lijst" or a line ending in ":", until the block ends
	for i, l := range lines {
		linkLine := strings.HasPrefix(l, "[LINK:")
		nextLink := i+1 < len(lines) && strings.HasPrefix(lines[i+1], "[LINK:")
		prevLink := i > 0 && strings.HasPrefix(lines[i-1], "[LINK:")
		switch {
		case l == "Lijst":
			closeList()
			inList = true
			continue
		case inList || (linkLine && (nextLink || prevLink)):
			if list == nil {
				list = &Block{Kind: List}
			}
			list.Items = append(list.Items, inlines(l))
		default:
			closeList()
			out = append(out, Block{Kind: Paragraph, Text: inlines(l)})
		}
		if strings.HasSuffix(l, ":") {
			closeList()
			inList = true
		}
	}
	closeList()
	return out
}

// inlines splits a line into text and links.
func inlines(line string) []Inline {
	var out []Inline
	at := 0
	for _, m := range linkRe.FindAllStringSubmatchIndex(line, -1) {
		if m[0] > at {
			out = append(out, Inline{Text: line[at:m[0]]})
		}
		out = append(out, Inline{Text: line[m[2]:m[3]], Href: line[m[4]:m[5]]})
		at = m[1]
	}
	if at < len(line) {
		out = append(out, Inline{Text: line[at:]})
	}
	return out
}

// render writes inlines as HTML: text escaped, links to pages of the local site made
// relative, other links left pointing at the real site.
func render(in []Inline, known func(string) bool) template.HTML {
	var b strings.Builder
	for _, x := range in {
		if x.Href == "" {
			b.WriteString(template.HTMLEscapeString(x.Text))
			continue
		}
		href := x.Href
		if u, err := url.Parse(href); err == nil && u.Scheme+"://"+u.Host == AmsterdamOrigin && known(u.Path) {
			href = u.Path
		} else if err != nil || (u.Scheme != "http" && u.Scheme != "https" && !strings.HasPrefix(href, "#")) {
			b.WriteString(template.HTMLEscapeString(x.Text))
			continue
		}
		b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(x.Text) + `</a>`)
	}
	return template.HTML(b.String()) //nolint:gosec // every piece is escaped above
}
