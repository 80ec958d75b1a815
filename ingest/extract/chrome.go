package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// hardChrome are elements that never hold readable content.
var hardChrome = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"iframe": true, "object": true, "embed": true, "canvas": true, "select": true,
	"input": true, "textarea": true, "link": true, "meta": true, "dialog": true, "map": true,
}

// chromeRoles are ARIA landmark roles of page chrome.
var chromeRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "search": true, "dialog": true,
	"alertdialog": true, "menu": true, "menubar": true, "toolbar": true,
}

// chromeWords are class or id words (split at '-', '_' and spaces) that name chrome.
var chromeWords = map[string]bool{
	"nav": true, "navbar": true, "menu": true, "menubar": true, "share": true, "sharing": true,
	"social": true, "socials": true, "print": true, "delen": true, "footer": true,
	"sidebar": true, "aside": true, "search": true, "zoeken": true, "zoek": true, "skip": true,
	"skiplinks": true, "related": true, "feedback": true, "toolbar": true, "breadcrumb": true,
	"breadcrumbs": true, "cookie": true, "cookies": true, "consent": true, "gdpr": true,
	"topbar": true, "pagination": true, "kruimelpad": true, "offcanvas": true, "megamenu": true,
	"submenu": true, "mainmenu": true, "banner-cookie": true,
}

// chromeParts are class or id substrings that name chrome inside compound names
// ("cookiebar", "shareButtons", "c-breadcrumb__list", "col-left").
var chromeParts = []string{
	"breadcrumb", "kruimel", "cookie", "consent", "cc-window", "cc-banner", "cc_banner",
	"skiplink", "skip-link", "skip-to", "skipnav", "sharebutton", "share-button", "sharelink",
	"share-link", "socialmedia", "social-media", "sociale-media", "socialshare", "social-share",
	"feedback", "sidebar", "side-bar", "col-left", "colleft", "zie-ook", "zieook", "related",
	"gerelateerd", "footer", "topbar", "top-bar", "navbar", "navigation", "navigatie",
	"mainmenu", "main-menu", "submenu", "sub-menu", "megamenu", "sidemenu", "side-menu",
	"offcanvas", "off-canvas", "pagination", "paginering", "langswitch", "language-switch",
	"taalkeuze", "searchbox", "search-box", "search-form", "zoekbalk", "zoekformulier",
	"tevredenheid", "sidenav", "subnav", "inhoudsopgave", "printlink", "print-link", "printbutton", "print-button",
}

// linkHeadings title blocks of links to elsewhere; feedbackHeadings title feedback and
// sharing blocks. Both are compared lower-case, without trailing punctuation.
var (
	linkHeadings = map[string]bool{
		"zie ook": true, "gerelateerd": true, "gerelateerde onderwerpen": true,
		"gerelateerde informatie": true, "gerelateerde links": true, "gerelateerde artikelen": true,
		"related": true, "meer over dit onderwerp": true, "ook interessant": true,
		"bekijk ook": true, "lees ook": true, "handige links": true, "populair": true,
	}
	feedbackHeadings = map[string]bool{
		"deel deze pagina": true, "deel dit artikel": true, "delen": true, "share": true,
		"was deze informatie nuttig": true, "was deze pagina nuttig": true,
		"was deze informatie bruikbaar": true, "heeft u gevonden wat u zocht": true,
		"heb je gevonden wat je zocht": true, "vond u wat u zocht": true,
		"vond je wat je zocht": true, "wat vindt u van deze pagina": true,
		"wat vind je van deze pagina": true, "feedback": true, "geef uw mening": true,
	}
)

// pruner removes page chrome from the body. Elements it protects (ancestors of the page
// heading, of <main> and of the site's Main match) are never removed by a soft rule, and an
// element that a class or id calls chrome survives when it holds most of the page's text
// (a class like "page-with-sidebar" on the wrapper of everything).
type pruner struct {
	protected  map[*html.Node]bool
	controlled map[string]bool
	bodyWeight int
}

func newPruner(body, h1, main *html.Node, controlled map[string]bool) *pruner {
	p := &pruner{protected: map[*html.Node]bool{}, controlled: controlled}
	protect := func(n *html.Node) {
		for ; n != nil; n = n.Parent {
			p.protected[n] = true
		}
	}
	protect(h1)
	protect(main)
	var mains func(n *html.Node)
	mains = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.Data == "main" || attr(c, "role") == "main" {
				protect(c)
				continue
			}
			mains(c)
		}
	}
	mains(body)
	total, link := textStats(body)
	p.bodyWeight = total - link
	return p
}

// prune removes the chrome among n's descendants.
func (p *pruner) prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && p.chrome(c):
			n.RemoveChild(c)
		case c.Type == html.ElementNode:
			p.prune(c)
		}
		c = next
	}
}

func (p *pruner) chrome(n *html.Node) bool {
	if hardChrome[n.Data] {
		return true
	}
	if p.protected[n] {
		return false
	}
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" || hiddenStyle(attr(n, "style")) {
		// Collapsed accordion and tab panels are hidden until a button opens them.
		return !p.controlled[attr(n, "id")]
	}
	role := attr(n, "role")
	if chromeRoles[role] {
		return true
	}
	switch n.Data {
	case "nav", "footer":
		return true
	case "header":
		return !insideContentTag(n)
	case "form":
		return !p.mostText(n)
	case "aside":
		return p.linkBlock(n, 0.3) || chromeName(n)
	case "ul", "ol":
		return jumpLinks(n)
	}
	if role == "complementary" {
		return p.linkBlock(n, 0.3) || chromeName(n)
	}
	if chromeName(n) {
		return !p.mostText(n)
	}
	if h := leadingHeading(n); h != "" {
		return feedbackHeadings[h] || linkHeadings[h] && p.linkBlock(n, 0.5)
	}
	return false
}

// mostText reports whether n holds more than half of the body's text outside links.
func (p *pruner) mostText(n *html.Node) bool {
	total, link := textStats(n)
	return 2*(total-link) > p.bodyWeight
}

// linkBlock reports whether more than density of n's text is link text.
func (p *pruner) linkBlock(n *html.Node, density float64) bool {
	total, link := textStats(n)
	return total == 0 || float64(link) > density*float64(total)
}

// jumpLinks reports a list of links to places on the same page ("Op deze pagina"): a table
// of contents, which repeats the headings.
func jumpLinks(n *html.Node) bool {
	links, jumps := 0, 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == "a" {
				links++
				if strings.HasPrefix(strings.TrimSpace(attr(c, "href")), "#") {
					jumps++
				}
				continue
			}
			walk(c)
		}
	}
	walk(n)
	if links == 0 || jumps < links {
		return false
	}
	total, link := textStats(n)
	return link == total
}

func insideContentTag(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.Data == "main" || p.Data == "article" || p.Data == "section" || attr(p, "role") == "main") {
			return true
		}
	}
	return false
}

func hiddenStyle(style string) bool {
	if style == "" {
		return false
	}
	s := strings.ReplaceAll(strings.ToLower(style), " ", "")
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// chromeName reports whether n's class or id names page chrome.
func chromeName(n *html.Node) bool {
	for _, name := range append(strings.Fields(attr(n, "class")), attr(n, "id")) {
		if name != "" && chromeClass(strings.ToLower(name)) {
			return true
		}
	}
	return false
}

func chromeClass(name string) bool {
	for _, prefix := range []string{"has-", "with-", "without-", "no-", "is-", "js-has-"} {
		if strings.HasPrefix(name, prefix) {
			return false
		}
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
		if chromeWords[w] {
			return true
		}
	}
	for _, part := range chromeParts {
		if strings.Contains(name, part) {
			return true
		}
	}
	return false
}

// leadingHeading returns the normalised text of n's first element child when that is a
// heading, "" otherwise.
func leadingHeading(n *html.Node) string {
	c := n.FirstChild
	for c != nil && c.Type != html.ElementNode {
		c = c.NextSibling
	}
	if c == nil || headingLevel(c) == 0 {
		return ""
	}
	return phrase(inlineText(c))
}

// phrase normalises a heading or short paragraph for comparison with the phrase lists.
func phrase(s string) string {
	return strings.TrimRight(strings.ToLower(strings.TrimSpace(s)), "?!.: ")
}

// textStats counts the visible characters (bytes, whitespace excluded) of n and those inside
// links.
func textStats(n *html.Node) (total, link int) {
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			c := nonSpace(n.Data)
			total += c
			if inLink {
				link += c
			}
			return
		case html.ElementNode:
			if hardChrome[n.Data] {
				return
			}
			inLink = inLink || n.Data == "a"
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	walk(n, false)
	return total, link
}

func nonSpace(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\f':
		default:
			n++
		}
	}
	return n
}

// attached reports whether n is still part of its document.
func attached(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n.Type == html.DocumentNode {
			return true
		}
	}
	return false
}
