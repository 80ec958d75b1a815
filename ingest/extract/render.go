package extract

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
)

// inlineTags are the elements that continue the current line of text; every other element
// (including unknown and custom elements) starts and ends a block.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "acronym": true, "b": true, "bdi": true, "bdo": true, "big": true,
	"cite": true, "code": true, "data": true, "del": true, "dfn": true, "em": true, "font": true,
	"i": true, "ins": true, "kbd": true, "label": true, "mark": true, "nobr": true, "q": true,
	"rp": true, "rt": true, "ruby": true, "s": true, "samp": true, "small": true, "span": true,
	"strike": true, "strong": true, "sub": true, "sup": true, "time": true, "tt": true, "u": true,
	"var": true, "wbr": true, "button": true, "output": true, "meter": true, "abbrev": true,
}

// mediaTags hold no text of their own.
var mediaTags = map[string]bool{
	"img": true, "picture": true, "video": true, "audio": true, "source": true, "track": true,
	"area": true,
}

// renderer turns the content element into heading sections of plain text.
type renderer struct {
	root     *html.Node
	skip     *html.Node // the page heading, which is the title
	secs     []*sectionBuf
	levels   []int
	path     []string
	para     textBuf
	paraTime string   // datetime of a <time> in the current paragraph
	times    []string // datetime of every <time> in the content
	modified time.Time
	ids      map[string]*html.Node
	// buttons keeps the text of every button, for headings whose text is an accordion button.
	buttons bool
	// total and link count the visible characters of the sections finish keeps, and those
	// inside links, for the page kind.
	total, link int
}

type sectionBuf struct {
	headings    []string
	anchor      string
	paras       []string
	total, link int
}

func newRenderer(root, skip *html.Node) *renderer {
	return &renderer{root: root, skip: skip, secs: []*sectionBuf{{}}}
}

// render renders the children of n.
func (r *renderer) render(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, false)
	}
	r.flush()
}

func (r *renderer) node(n *html.Node, inLink bool) {
	switch n.Type {
	case html.TextNode:
		r.para.text(n.Data, inLink)
		return
	case html.ElementNode:
	default:
		return
	}
	if n == r.skip || mediaTags[n.Data] || inLink && srOnly(n) {
		return
	}
	if level := headingLevel(n); level > 0 {
		r.heading(n, level)
		return
	}
	switch n.Data {
	case "br":
		r.para.newline()
		return
	case "hr":
		r.flush()
		return
	case "button":
		if !r.toggle(n) {
			return
		}
	case "a":
		inLink = true
	case "time":
		r.time(n)
	case "ul", "ol", "menu":
		r.flush()
		r.addBlock(r.listLines(n, 0), &r.para)
		return
	case "dl":
		r.flush()
		r.dl(n)
		return
	case "table":
		if !layoutTable(n) {
			r.flush()
			r.table(n)
			return
		}
	case "details":
		r.flush()
		r.details(n)
		return
	case "pre":
		r.flush()
		r.pre(n)
		return
	}
	block := !inlineTags[n.Data]
	if block {
		r.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c, inLink)
	}
	if block {
		r.flush()
	}
}

func (r *renderer) cur() *sectionBuf {
	return r.secs[len(r.secs)-1]
}

func (r *renderer) heading(n *html.Node, level int) {
	text := inlineText(n)
	if text == "" {
		return
	}
	r.flush()
	for len(r.levels) > 0 && r.levels[len(r.levels)-1] >= level {
		r.levels = r.levels[:len(r.levels)-1]
		r.path = r.path[:len(r.path)-1]
	}
	r.levels = append(r.levels, level)
	r.path = append(r.path, text)
	r.secs = append(r.secs, &sectionBuf{
		headings: append([]string(nil), r.path...),
		anchor:   anchorFor(n, r.root),
	})
}

// flush ends the current paragraph. A line that only says when the page was changed becomes
// the page date; a feedback question ("Was deze informatie nuttig?") is dropped.
func (r *renderer) flush() {
	paras := r.para.paragraphs()
	s := r.cur()
	s.total += r.para.total
	s.link += r.para.link
	for _, p := range paras {
		if feedbackHeadings[phrase(p)] {
			continue
		}
		if t, ok := modifiedLine(p); ok {
			if pt, ok := parseDate(r.paraTime); ok {
				t = pt
			}
			if r.modified.IsZero() {
				r.modified = t
			}
			continue
		}
		s.paras = append(s.paras, p)
	}
	r.para.reset()
	r.paraTime = ""
}

// addBlock adds lines as one paragraph, counting the text of buf towards the section.
func (r *renderer) addBlock(lines []string, buf *textBuf) {
	s := r.cur()
	s.total += buf.total
	s.link += buf.link
	buf.reset()
	if len(lines) > 0 {
		s.paras = append(s.paras, strings.Join(lines, "\n"))
	}
}

// toggle reports whether a button opens a panel of the content (an accordion question);
// other buttons are controls without content.
func (r *renderer) toggle(n *html.Node) bool {
	if r.buttons {
		return true
	}
	ids := strings.Fields(attr(n, "aria-controls"))
	if len(ids) == 0 {
		return false
	}
	if r.ids == nil {
		r.ids = map[string]*html.Node{}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode {
					if id := attr(c, "id"); id != "" {
						r.ids[id] = c
					}
					walk(c)
				}
			}
		}
		walk(r.root)
	}
	return r.ids[ids[0]] != nil
}

// listLines renders a list as "- item" lines ("1. item" for <ol>), nested lists indented.
func (r *renderer) listLines(n *html.Node, depth int) []string {
	var lines []string
	num := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil {
		num = s
	}
	indent := strings.Repeat("  ", depth)
	item := func(text string) {
		if text == "" {
			return
		}
		if n.Data == "ol" {
			lines = append(lines, indent+strconv.Itoa(num)+". "+text)
			num++
		} else {
			lines = append(lines, indent+"- "+text)
		}
	}
	var walk func(p *html.Node)
	walk = func(p *html.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				item(collapse(c.Data))
			case c.Type != html.ElementNode:
			case c.Data == "li":
				var nested []string
				buf := textBuf{}
				r.inline(c, &buf, false, func(l *html.Node) {
					nested = append(nested, r.listLines(l, depth+1)...)
				})
				// A line break in an item continues it on an indented line.
				item(strings.Join(buf.lines(), "\n"+indent+"  "))
				r.cur().total += buf.total
				r.cur().link += buf.link
				lines = append(lines, nested...)
			case c.Data == "ul" || c.Data == "ol":
				lines = append(lines, r.listLines(c, depth+1)...)
			default:
				walk(c) // wrappers between the list and its items in sloppy markup
			}
		}
	}
	walk(n)
	return lines
}

// dl renders a definition list as "term: definition" lines.
func (r *renderer) dl(n *html.Node) {
	var lines []string
	var term string
	var defs []string
	buf := textBuf{flat: true}
	emit := func() {
		line := term
		if len(defs) > 0 {
			if line != "" {
				line += ": "
			}
			line += strings.Join(defs, "; ")
		}
		if line != "" {
			lines = append(lines, line)
		}
		term, defs = "", nil
	}
	var walk func(p *html.Node)
	walk = func(p *html.Node) {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.Data {
			case "dt":
				if term != "" || len(defs) > 0 {
					emit()
				}
				term = r.inlineString(c, &buf)
			case "dd":
				if d := r.inlineString(c, &buf); d != "" {
					defs = append(defs, d)
				}
			default:
				walk(c)
			}
		}
	}
	walk(n)
	emit()
	r.addBlock(lines, &buf)
}

// details renders a disclosure as its question (the summary) followed by the answer.
func (r *renderer) details(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "summary" {
			buf := textBuf{flat: true}
			r.addBlock(nonEmpty(r.inlineString(c, &buf)), &buf)
			break
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "summary" {
			continue
		}
		r.node(c, false)
	}
	r.flush()
}

func (r *renderer) pre(n *html.Node) {
	var lines []string
	for _, l := range strings.Split(nodeTextRaw(n), "\n") {
		lines = append(lines, strings.TrimRightFunc(l, unicode.IsSpace))
	}
	text := strings.Trim(strings.Join(lines, "\n"), "\n")
	buf := textBuf{}
	buf.total = nonSpace(text)
	if strings.TrimSpace(text) != "" {
		r.addBlock([]string{text}, &buf)
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// finish returns the sections with text, leaving out "Zie ook" link lists and feedback
// blocks that the pruner could not recognise by their markup.
func (r *renderer) finish() []Section {
	var out []Section
	var dropped []string
	for _, s := range r.secs {
		if dropped != nil && len(s.headings) > len(dropped) && commonPrefix(dropped, s.headings) == len(dropped) {
			continue
		}
		dropped = nil
		if n := len(s.headings); n > 0 {
			h := phrase(s.headings[n-1])
			if feedbackHeadings[h] || linkHeadings[h] && 2*s.link > s.total {
				dropped = s.headings
				continue
			}
		}
		if len(s.paras) == 0 {
			continue
		}
		r.total += s.total
		r.link += s.link
		out = append(out, Section{Headings: s.headings, Anchor: s.anchor, Text: strings.Join(s.paras, "\n\n")})
	}
	return out
}

// inline collects the text of n into buf as running text. Nested lists go to lists when it
// is not nil.
func (r *renderer) inline(n *html.Node, buf *textBuf, inLink bool, lists func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			buf.text(c.Data, inLink)
			continue
		case html.ElementNode:
		default:
			continue
		}
		if mediaTags[c.Data] || hardChrome[c.Data] || inLink && srOnly(c) {
			continue
		}
		switch c.Data {
		case "br":
			buf.newline()
			continue
		case "button":
			if !r.toggle(c) {
				continue
			}
		case "time":
			r.time(c)
		case "ul", "ol":
			if lists != nil {
				lists(c)
				continue
			}
		}
		block := !inlineTags[c.Data]
		if block {
			buf.space = true
		}
		r.inline(c, buf, inLink || c.Data == "a", lists)
		if block {
			buf.space = true
		}
	}
}

// inlineString returns the text of n on one line, counting it in buf.
func (r *renderer) inlineString(n *html.Node, buf *textBuf) string {
	t := textBuf{flat: true}
	r.inline(n, &t, false, nil)
	buf.total += t.total
	buf.link += t.link
	return t.String()
}

// inlineText returns the text of n on one line, with whitespace collapsed.
func inlineText(n *html.Node) string {
	r := renderer{buttons: true}
	t := textBuf{flat: true}
	r.inline(n, &t, n.Data == "a", nil)
	return t.String()
}

// anchorFor returns the fragment that jumps to heading h: its id, the id or name of an <a>
// in or right next to it, or the id of an enclosing element that it heads.
func anchorFor(h, root *html.Node) string {
	if id := attr(h, "id"); id != "" {
		return id
	}
	var inner string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && inner == ""; c = c.NextSibling {
			if c.Type == html.ElementNode {
				if id := attr(c, "id"); id != "" {
					inner = id
				} else if c.Data == "a" && attr(c, "name") != "" {
					inner = attr(c, "name")
				}
				walk(c)
			}
		}
	}
	walk(h)
	if inner != "" {
		return inner
	}
	for _, s := range []*html.Node{prevElement(h), nextElement(h)} {
		if s != nil && s.Data == "a" && !hasAttr(s, "href") && strings.TrimSpace(nodeTextRaw(s)) == "" {
			if id := attr(s, "id"); id != "" {
				return id
			}
			if name := attr(s, "name"); name != "" {
				return name
			}
		}
	}
	for p := h.Parent; p != nil && p != root && p.Type == html.ElementNode; p = p.Parent {
		if firstHeading(p) != h {
			break
		}
		if id := attr(p, "id"); id != "" {
			switch p.Data {
			case "section", "article", "div":
				return id
			}
		}
	}
	return ""
}

func prevElement(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

func firstHeading(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if headingLevel(c) > 0 {
			return c
		}
		if h := firstHeading(c); h != nil {
			return h
		}
	}
	return nil
}

func headingLevel(n *html.Node) int {
	if n.Type != html.ElementNode || len(n.Data) != 2 || n.Data[0] != 'h' || n.Data[1] < '1' || n.Data[1] > '6' {
		return 0
	}
	return int(n.Data[1] - '0')
}

// srOnly reports text meant for screen readers only, such as "(opent in nieuw venster)" in
// a link.
func srOnly(n *html.Node) bool {
	c := strings.ToLower(attr(n, "class"))
	if c == "" {
		return false
	}
	for _, s := range []string{"sr-only", "visually-hidden", "visuallyhidden", "screen-reader", "element-invisible", "hidden-text", "assistive"} {
		if strings.Contains(c, s) {
			return true
		}
	}
	return false
}
