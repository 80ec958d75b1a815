package extract

import (
	"net/url"
	"strings"
)

// Kind is what a page is, decided from its structure. The ingest pipeline stores it with
// the document; an overview page is crawled for its links but never cited.
type Kind string

// The page kinds.
const (
	KindQuestion Kind = "question" // the title asks a question, the first paragraph answers it
	KindProduct  Kind = "product"  // a product or service page: Voorwaarden, Aanvragen, Kosten, …
	KindOverview Kind = "overview" // mostly links to other pages
	KindNews     Kind = "news"     // a news item
	KindOther    Kind = "other"
)

// Kinds lists every kind, in the order of the CHECK constraint of documents.kind.
var Kinds = []Kind{KindQuestion, KindProduct, KindOverview, KindNews, KindOther}

// productHeadings are the section headings of a product or service page (Samenwerkende
// Catalogi and the usual municipal layouts), compared like phrase.
var productHeadings = map[string]bool{
	"wat is het": true, "omschrijving": true, "beschrijving": true,
	"voorwaarden": true, "wie kan het aanvragen": true, "wie kan dit aanvragen": true,
	"aanvragen": true, "aanvraag": true, "hoe vraag ik het aan": true, "hoe werkt het": true,
	"wat moet ik doen": true, "aanpak": true, "wat kost het": true, "kosten": true, "tarieven": true,
	"hoe lang duurt het": true, "termijn": true, "doorlooptijd": true, "wat moet ik meenemen": true,
	"meenemen": true, "wat heb ik nodig": true, "wat heeft u nodig": true, "wat heb je nodig": true,
	"bezwaar": true, "bezwaar en beroep": true, "bezwaar maken": true, "wettelijke regeling": true,
}

// newsTypes are meta values (DCTERMS.type, og:type, Samenwerkende Catalogi's type) of a
// news item; productTypes those of a product description.
var (
	newsTypes    = map[string]bool{"nieuws": true, "nieuwsbericht": true, "persbericht": true, "newsarticle": true}
	productTypes = map[string]bool{"product": true, "productbeschrijving": true, "dienst": true}
)

// kindInput is what the decision reads: the page as extracted and the share of its kept
// text that sits in links.
type kindInput struct {
	title    string
	sections []Section
	total    int // visible characters of the kept sections
	link     int // of which inside links
	meta     map[string]string
	url      *url.URL
}

// overviewShare is the share of a page's text in links above which it is an overview.
const overviewShare = 0.6

// decideKind decides a page's kind: overview (mostly links) first, since such a page is
// never cited whatever else it looks like; then news, question, product, other.
func decideKind(in kindInput) Kind {
	if in.total == 0 || float64(in.link) > overviewShare*float64(in.total) {
		return KindOverview
	}
	if newsPage(in) {
		return KindNews
	}
	if strings.HasSuffix(strings.TrimSpace(in.title), "?") && answersFirst(in.sections) {
		return KindQuestion
	}
	if productPage(in) {
		return KindProduct
	}
	return KindOther
}

// answersFirst reports whether the page opens with a paragraph of running text (not a
// list, not a heading of its own) before its first section heading.
func answersFirst(secs []Section) bool {
	if len(secs) == 0 || len(secs[0].Headings) > 0 {
		return false
	}
	first, _, _ := strings.Cut(secs[0].Text, "\n\n")
	return runningText(first)
}

// runningText reports a paragraph of at least a few words that is not a list.
func runningText(p string) bool {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "- ") || len(p) > 2 && p[0] >= '0' && p[0] <= '9' && strings.HasPrefix(strings.TrimLeft(p, "0123456789"), ". ") {
		return false
	}
	return len(strings.Fields(p)) >= 4
}

func newsPage(in kindInput) bool {
	for _, k := range []string{"dcterms.type", "dc.type", "og:type", "overheid.type"} {
		if newsTypes[strings.ToLower(in.meta[k])] {
			return true
		}
	}
	if in.meta["article:published_time"] != "" && strings.EqualFold(in.meta["og:type"], "article") {
		return true
	}
	if in.url != nil {
		segs := strings.Split(strings.Trim(in.url.Path, "/"), "/")
		// /nieuws/<item>: an item below a news section, not the section itself.
		for _, s := range segs[:max(len(segs)-1, 0)] {
			if s == "nieuws" || s == "nieuwsberichten" || s == "news" || s == "actueel" {
				return true
			}
		}
	}
	return false
}

func productPage(in kindInput) bool {
	for _, k := range []string{"dcterms.type", "dc.type", "overheid.type", "overheidsc.type"} {
		if productTypes[strings.ToLower(in.meta[k])] {
			return true
		}
	}
	seen := map[string]bool{}
	for _, s := range in.sections {
		for _, h := range s.Headings {
			if p := phrase(h); productHeadings[p] {
				seen[p] = true
			}
		}
	}
	return len(seen) >= 2
}
