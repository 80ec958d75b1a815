package extract

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// scanned holds what one walk over the whole document collects before anything is removed.
type scanned struct {
	title     string
	siteName  string
	baseHref  string
	lang      string
	canonical string
	robots    string
	meta      map[string]string // lower-case name, property or itemprop → content, first wins
	jsonLD    []string
	h1s       []*html.Node
	anchors   []*html.Node
	// controlled holds the ids named by aria-controls: collapsed accordion and tab panels,
	// whose hidden content is still content.
	controlled map[string]bool
}

func scan(root *html.Node) *scanned {
	s := &scanned{meta: map[string]string{}, controlled: map[string]bool{}}
	s.walk(root)
	return s
}

func (s *scanned) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		switch n.Data {
		case "html":
			if s.lang == "" {
				s.lang = attr(n, "lang")
			}
		case "title":
			if s.title == "" && n.FirstChild != nil {
				s.title = nodeText(n)
			}
		case "base":
			if s.baseHref == "" {
				s.baseHref = attr(n, "href")
			}
		case "link":
			if s.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
				s.canonical = attr(n, "href")
			}
		case "meta":
			s.addMeta(n)
		case "script":
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
				s.jsonLD = append(s.jsonLD, nodeText(n))
			}
			return
		case "style", "template":
			return
		case "h1":
			s.h1s = append(s.h1s, n)
		case "a":
			if _, ok := attrOK(n, "href"); ok {
				s.anchors = append(s.anchors, n)
			}
		}
		for _, id := range strings.Fields(attr(n, "aria-controls")) {
			s.controlled[id] = true
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		s.walk(c)
	}
}

func (s *scanned) addMeta(n *html.Node) {
	content := strings.TrimSpace(attr(n, "content"))
	if content == "" {
		return
	}
	if strings.EqualFold(attr(n, "http-equiv"), "content-language") && s.lang == "" {
		s.lang = content
	}
	for _, k := range []string{"name", "property", "itemprop"} {
		key := strings.ToLower(strings.TrimSpace(attr(n, k)))
		if key == "" {
			continue
		}
		switch key {
		case "robots":
			s.robots += "," + content
		case "og:site_name":
			s.siteName = content
		}
		if _, ok := s.meta[key]; !ok {
			s.meta[key] = content
		}
	}
}

// modifiedKeys are the <meta> keys that carry a modification date, best first.
var modifiedKeys = []string{
	"dcterms.modified", "dcterms:modified", "dc.date.modified", "dc.modified",
	"article:modified_time", "og:updated_time", "datemodified", "last-modified", "revised",
}

var jsonLDModified = regexp.MustCompile(`"dateModified"\s*:\s*"([^"]+)"`)

// modifiedMeta returns the modification date stated in <meta> tags or JSON-LD.
func (s *scanned) modifiedMeta() time.Time {
	for _, k := range modifiedKeys {
		if t, ok := parseDate(s.meta[k]); ok {
			return t
		}
	}
	for _, j := range s.jsonLD {
		if m := jsonLDModified.FindStringSubmatch(j); m != nil {
			if t, ok := parseDate(m[1]); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// robots reads the collected content of <meta name="robots"> tags.
func robots(content string) (noIndex, noFollow bool) {
	for _, d := range strings.Split(strings.ToLower(content), ",") {
		switch strings.TrimSpace(d) {
		case "noindex":
			noIndex = true
		case "nofollow":
			noFollow = true
		case "none":
			noIndex, noFollow = true, true
		}
	}
	return noIndex, noFollow
}

// documentBase is the URL relative references resolve against: the page's <base href>,
// itself resolved against the URL the page came from.
func documentBase(base *url.URL, baseHref string) *url.URL {
	if baseHref = strings.TrimSpace(baseHref); baseHref == "" {
		return base
	}
	u, err := url.Parse(baseHref)
	if err != nil {
		return base
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() {
		return base
	}
	return u
}

// resolve turns an href into an absolute http(s) URL without fragment, or "".
func resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" {
		return ""
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	u.Host = strings.ToLower(u.Host)
	return u.String()
}

func canonical(base *url.URL, href string) string {
	return resolve(base, href)
}

// links resolves the hrefs of the collected <a> elements: same-page fragments and
// rel="nofollow" links are skipped, as is every scheme but http and https.
func links(base *url.URL, anchors []*html.Node) []string {
	seen := make(map[string]bool, len(anchors))
	seenHref := make(map[string]bool, len(anchors)) // menus repeat links; resolve each once
	var out []string
	for _, a := range anchors {
		href := strings.TrimSpace(attr(a, "href"))
		if href == "" || href[0] == '#' || seenHref[href] || hasToken(attr(a, "rel"), "nofollow") {
			continue
		}
		seenHref[href] = true
		u := resolve(base, href)
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}

// pageHeading picks the <h1> that titles the page: the first one in the main content, else
// the first outside site headers, navigation and footers that is not just a link (a logo).
func pageHeading(h1s []*html.Node) *html.Node {
	var fallback *html.Node
	for _, h := range h1s {
		if inlineText(h) == "" || hiddenAncestor(h) {
			continue
		}
		if insideMainContent(h) {
			return h
		}
		if fallback == nil && !insideChromeTag(h) && !allLink(h) {
			fallback = h
		}
	}
	return fallback
}

func insideMainContent(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (p.Data == "main" || p.Data == "article" || attr(p, "role") == "main") {
			return true
		}
	}
	return false
}

func insideChromeTag(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		switch p.Data {
		case "header", "nav", "footer", "aside":
			return true
		}
		switch attr(p, "role") {
		case "banner", "navigation", "contentinfo", "complementary":
			return true
		}
	}
	return false
}

func hiddenAncestor(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && (hasAttr(p, "hidden") || attr(p, "aria-hidden") == "true") {
			return true
		}
	}
	return false
}

// allLink reports whether all text of n is link text.
func allLink(n *html.Node) bool {
	total, link := textStats(n)
	return total > 0 && link == total
}

// siteSuffixWords mark the last part of a <title> after " - " as the site's name.
var siteSuffixWords = []string{"gemeente", ".nl", "overheid", "provincie", "waterschap", "ministerie", "rijks"}

// stripSiteSuffix removes the site name from a <title>: the part after the last " | ", or
// after the last dash when it names a site.
func stripSiteSuffix(title, siteName string) string {
	if i := strings.LastIndex(title, " | "); i > 0 {
		return strings.TrimSpace(title[:i])
	}
	for _, sep := range []string{" - ", " – ", " — "} {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		suffix := strings.ToLower(title[i+len(sep):])
		site := siteName != "" && strings.EqualFold(strings.TrimSpace(suffix), strings.TrimSpace(siteName))
		for _, w := range siteSuffixWords {
			site = site || strings.Contains(suffix, w)
		}
		if site {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val, true
		}
	}
	return "", false
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attrOK(n, key)
	return ok
}

// hasToken reports whether a space-separated attribute value holds token, ignoring case.
func hasToken(value, token string) bool {
	for _, f := range strings.Fields(value) {
		if strings.EqualFold(f, token) {
			return true
		}
	}
	return false
}
