// Package extract turns one HTML page into its readable main content and into chunks.
//
// Extract reads the page's metadata (title, canonical URL, modification date, language, robots
// directives), collects its links for the crawler, drops the page chrome (menus, banners,
// breadcrumbs, cookie windows, share and feedback blocks, footers), picks the main content
// and renders it as plain text per heading section. Split cuts those sections into chunks for
// retrieval. The package keeps no state and does no I/O beyond reading the page it is given;
// the ingest pipeline imports it, nothing else should need to.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ErrNoContent reports a page without readable main content. Extract returns it together
// with the page's metadata and links, which the crawler may still use.
var ErrNoContent = errors.New("extract: no main content")

// Options are optional per-site rules. They refine the generic extraction; a page on which
// they match nothing is extracted as if they were absent.
type Options struct {
	Main string   // CSS selector of the main content
	Drop []string // extra CSS selectors of elements to remove before extraction
}

// Page is the readable content and the metadata of one HTML page.
type Page struct {
	Title     string    // <h1> text, else <title> without the site suffix
	Canonical string    // absolute http(s) URL from <link rel="canonical">, "" if absent or invalid
	Modified  time.Time // the page's own modification date, zero if it has none
	Lang      string    // <html lang>, as written
	NoIndex   bool      // <meta name="robots" content="noindex">
	NoFollow  bool      // <meta name="robots" content="nofollow">
	Kind      Kind      // what the page is, decided from its structure (see decideKind)
	Sections  []Section
	// Links holds the absolute http(s) URLs of all <a href> in the whole document, without
	// fragment, deduplicated, in document order. Links marked rel="nofollow" are left out,
	// and Links is empty when the page itself says nofollow.
	Links []string
}

// Section is the text below one heading of the main content.
type Section struct {
	Headings []string // heading path below the page title; empty for the intro
	Anchor   string   // fragment that jumps to the section, "" if none
	Text     string   // paragraphs separated by blank lines
}

// Extract reads one HTML page. base is the URL the page was fetched from; links and the
// canonical URL are resolved against it (and against the page's <base href>). A nil base
// keeps only absolute URLs.
//
// Extract fails only when it cannot read the page or when opts holds an invalid selector.
// A page without readable content yields its metadata and links together with ErrNoContent.
func Extract(r io.Reader, base *url.URL, opts Options) (*Page, error) {
	mainSel, drop, err := opts.compile()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("extract: read: %w", err)
	}
	if binary(data) {
		return &Page{}, ErrNoContent
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(toUTF8(data)))
	if err != nil {
		return nil, fmt.Errorf("extract: parse: %w", err)
	}
	root := doc.Get(0)
	body := findBody(root)
	if body == nil {
		return &Page{}, ErrNoContent
	}

	s := scan(root)
	docBase := documentBase(base, s.baseHref)
	p := &Page{
		Lang:      strings.TrimSpace(s.lang),
		Canonical: canonical(docBase, s.canonical),
	}
	p.NoIndex, p.NoFollow = robots(s.robots)
	if !p.NoFollow {
		p.Links = links(docBase, s.anchors)
	}
	h1 := pageHeading(s.h1s)
	if h1 != nil {
		p.Title = inlineText(h1)
	}
	if p.Title == "" {
		p.Title = stripSiteSuffix(collapse(s.title), s.siteName)
	}
	p.Modified = s.modifiedMeta()
	var docDate time.Time
	if p.Modified.IsZero() {
		// The page may state its date in a block that is dropped below as chrome.
		docDate = modifiedInBlocks(body)
	}

	// Site rules first: a Main selector protects its match, Drop removes elements.
	var mainNode *html.Node
	if mainSel != nil {
		mainNode = firstWithText(doc.FindMatcher(mainSel).Nodes)
	}
	for _, m := range drop {
		doc.FindMatcher(m).Remove()
	}
	if mainNode != nil && !attached(mainNode) {
		mainNode = nil
	}
	if h1 != nil && !attached(h1) {
		h1 = nil
	}

	pr := newPruner(body, h1, mainNode, s.controlled)
	pr.prune(body)
	content := selectContent(body, h1, mainNode)

	rd := newRenderer(content, h1)
	rd.render(content)
	p.Sections = rd.finish()
	p.Kind = decideKind(kindInput{
		title: p.Title, sections: p.Sections, total: rd.total, link: rd.link, meta: s.meta, url: base,
	})

	if p.Modified.IsZero() {
		p.Modified = rd.modified
	}
	if p.Modified.IsZero() {
		p.Modified = docDate
	}
	if p.Modified.IsZero() && len(rd.times) == 1 {
		// A single <time> in the content is the page's own date; several are ambiguous.
		p.Modified, _ = parseDate(rd.times[0])
	}
	if len(p.Sections) == 0 {
		return p, ErrNoContent
	}
	return p, nil
}

// Text renders the title, headings and text of the page as one plain text, for hashing and
// for reading. Headings are marked with '#' by depth.
func (p *Page) Text() string {
	var b strings.Builder
	if p.Title != "" {
		b.WriteString("# ")
		b.WriteString(p.Title)
		b.WriteString("\n")
	}
	var prev []string
	for _, s := range p.Sections {
		from := commonPrefix(prev, s.Headings)
		if from == len(s.Headings) && from > 0 {
			from-- // a repeated heading starts a new section too
		}
		for i := from; i < len(s.Headings); i++ {
			b.WriteString("\n")
			b.WriteString(strings.Repeat("#", i+2))
			b.WriteString(" ")
			b.WriteString(s.Headings[i])
			b.WriteString("\n")
		}
		b.WriteString("\n")
		b.WriteString(s.Text)
		b.WriteString("\n")
		prev = s.Headings
	}
	return b.String()
}

func (o Options) compile() (mainSel cascadia.Selector, drop []cascadia.Selector, err error) {
	if strings.TrimSpace(o.Main) != "" {
		mainSel, err = cascadia.Compile(o.Main)
		if err != nil {
			return nil, nil, fmt.Errorf("extract: main selector %q: %w", o.Main, err)
		}
	}
	for _, d := range o.Drop {
		sel, err := cascadia.Compile(d)
		if err != nil {
			return nil, nil, fmt.Errorf("extract: drop selector %q: %w", d, err)
		}
		drop = append(drop, sel)
	}
	return mainSel, drop, nil
}

// toUTF8 decodes a page that is not valid UTF-8 with the charset its <meta> declares,
// falling back to windows-1252, the usual charset of older Dutch sites.
func toUTF8(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data
	}
	enc, _, _ := charset.DetermineEncoding(data, "text/html")
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return data
	}
	return out
}

// binary reports data that is not text: NUL bytes in its first kilobyte, unless it starts
// with a UTF-16 byte order mark.
func binary(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return false
	}
	return bytes.IndexByte(data[:min(len(data), 1024)], 0) >= 0
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.Data == "body" {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

func firstWithText(nodes []*html.Node) *html.Node {
	for _, n := range nodes {
		if strings.TrimSpace(nodeText(n)) != "" {
			return n
		}
	}
	return nil
}

// commonPrefix returns the length of the common prefix of two heading paths.
func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
