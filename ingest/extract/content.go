package extract

import (
	"golang.org/x/net/html"
)

// selectContent picks the element that holds the main content of a pruned body: the site's
// Main match, else <main> or [role=main], else a single <article> (or the one with the page
// heading), else the element found by descending from the body into the child that holds
// most of the text outside links, widened to include the page heading when that adds little.
func selectContent(body, h1, main *html.Node) *html.Node {
	if main != nil {
		return main
	}
	var mains, articles []*html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case c.Data == "main" || attr(c, "role") == "main":
				mains = append(mains, c)
			case c.Data == "article":
				articles = append(articles, c)
			}
			find(c)
		}
	}
	find(body)
	if n := pickLandmark(mains, h1); n != nil {
		return n
	}
	if len(articles) == 1 && hasText(articles[0]) {
		return articles[0]
	}
	for _, a := range articles {
		if h1 != nil && contains(a, h1) {
			return a
		}
	}
	return densest(body, h1)
}

// pickLandmark returns the landmark holding the page heading, else the one with most text.
func pickLandmark(nodes []*html.Node, h1 *html.Node) *html.Node {
	var best *html.Node
	bestText := 0
	for _, n := range nodes {
		if h1 != nil && contains(n, h1) {
			return n
		}
		if total, _ := textStats(n); total > bestText {
			best, bestText = n, total
		}
	}
	return best
}

// dominance is the share of its parent's weight that makes a child the better candidate.
const dominance = 0.75

// densest is the readability-style fallback for pages without landmarks. An element's
// weight is its text outside links; starting at the body it descends into the child that
// holds at least three quarters of the weight, so it ends at the smallest block that still
// holds nearly all the text and leaves link lists (menus, sidebars) and small blocks behind.
func densest(body, h1 *html.Node) *html.Node {
	weight := map[*html.Node]int{}
	var measure func(n *html.Node, inLink bool) int
	measure = func(n *html.Node, inLink bool) int {
		if n.Type == html.TextNode {
			if inLink {
				return 0
			}
			return nonSpace(n.Data)
		}
		inLink = inLink || n.Type == html.ElementNode && n.Data == "a"
		w := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w += measure(c, inLink)
		}
		if n.Type == html.ElementNode {
			weight[n] = w
		}
		return w
	}
	measure(body, false)

	n := body
	for weight[n] > 0 {
		var best *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (best == nil || weight[c] > weight[best]) {
				best = c
			}
		}
		if best == nil || float64(weight[best]) < dominance*float64(weight[n]) || isBlockLeaf(best) {
			break
		}
		n = best
	}
	if h1 == nil || contains(n, h1) {
		return n
	}
	// Widen to the common ancestor with the page heading (a title block beside the
	// content) unless that brings in much other text.
	a := n
	for a != nil && !contains(a, h1) {
		a = a.Parent
	}
	if a != nil && weight[a]-weight[n] <= max(weight[n]/4, 300) {
		return a
	}
	return n
}

// isBlockLeaf reports elements that are too small a unit to be the content root.
func isBlockLeaf(n *html.Node) bool {
	switch n.Data {
	case "table":
		return !layoutTable(n)
	case "p", "ul", "ol", "dl", "li", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6":
		return true
	}
	return false
}

func contains(n, d *html.Node) bool {
	for ; d != nil; d = d.Parent {
		if d == n {
			return true
		}
	}
	return false
}

func hasText(n *html.Node) bool {
	total, _ := textStats(n)
	return total > 0
}
