// Package realsite serves real official content from the shared corpus (see
// ../shared/corpus/SOURCES.md) as two local sites that look like the real ones: the
// rijksoverheid.nl "vraag en antwoord" pages, from the open-data API records, and the
// amsterdam.nl pages on municipal taxes, from their text versions. Each page is served at
// its original path, in a template of the site's own kind (header, menu, breadcrumbs,
// related questions, "Bekijk ook" lists, footer), next to overview pages that are mostly
// links, with robots.txt and a sitemap, so that `vraagbaak ingest` crawls them like the
// real sites. The corpus is read from disk at run time and never part of the repository.
// cmd and tests import it.
package realsite

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
)

// The real origins of the two sites; golden sets name pages by their URLs there.
const (
	RijksoverheidOrigin = "https://www.rijksoverheid.nl"
	AmsterdamOrigin     = "https://www.amsterdam.nl"
)

// Corpus directories below the corpus root.
const (
	rijkDirBZK  = "govbench-rijksoverheid-vac/cache_vacs_bzk"
	rijkDirOmgw = "govbench-rijksoverheid-vac/cache_vacs"
	amsDir      = "amsterdam-rag-belastingen"
)

// ErrNoCorpus reports a directory that holds none of the corpus files.
var ErrNoCorpus = errors.New("realsite: no corpus")

// Corpus is the content of both sites.
type Corpus struct {
	Questions []Question // rijksoverheid.nl, sorted by path
	Pages     []Page     // amsterdam.nl, sorted by path
}

// Question is one rijksoverheid.nl "vraag en antwoord" page.
type Question struct {
	Path        string // canonical path, /onderwerpen/<subject>/vraag-en-antwoord/<slug>
	Subject     string // the <subject> segment of the path
	Question    string // the page title
	Intro       template.HTML
	Sections    []Section
	Authorities []string
	Modified    time.Time
}

// Section is one paragraph of a question page: a heading and sanitised HTML.
type Section struct {
	Title string
	HTML  template.HTML
}

// record is the open-data API's JSON of one item.
type record struct {
	Canonical    string `json:"canonical"`
	Question     string `json:"question"`
	Introduction string `json:"introduction"`
	Content      []struct {
		Title     string `json:"paragraphtitle"`
		Paragraph string `json:"paragraph"`
	} `json:"content"`
	Authorities  []string `json:"authorities"`
	LastModified string   `json:"lastmodified"`
}

// Load reads the corpus below dir. It fails with ErrNoCorpus when dir holds neither
// site's files.
func Load(dir string) (*Corpus, error) {
	policy := bluemonday.UGCPolicy()
	c := &Corpus{}
	seen := map[string]bool{}
	for _, sub := range []string{rijkDirBZK, rijkDirOmgw} {
		files, err := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		if err != nil {
			return nil, fmt.Errorf("realsite: %w", err)
		}
		sort.Strings(files)
		for _, f := range files {
			q, err := loadQuestion(f, policy)
			if err != nil {
				return nil, err
			}
			if seen[q.Path] { // one item is in both caches
				continue
			}
			seen[q.Path] = true
			c.Questions = append(c.Questions, q)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, amsDir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("realsite: %w", err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("realsite: %w", err)
		}
		p, err := ParsePage(string(data))
		if err != nil {
			return nil, fmt.Errorf("realsite: %s: %w", f, err)
		}
		c.Pages = append(c.Pages, p)
	}
	if len(c.Questions) == 0 && len(c.Pages) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoCorpus, dir)
	}
	sort.Slice(c.Questions, func(i, j int) bool { return c.Questions[i].Path < c.Questions[j].Path })
	sort.Slice(c.Pages, func(i, j int) bool { return c.Pages[i].Path < c.Pages[j].Path })
	return c, nil
}

func loadQuestion(file string, policy *bluemonday.Policy) (Question, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Question{}, fmt.Errorf("realsite: %w", err)
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return Question{}, fmt.Errorf("realsite: %s: %w", file, err)
	}
	u, err := url.Parse(r.Canonical)
	if err != nil || r.Question == "" {
		return Question{}, fmt.Errorf("realsite: %s: no canonical URL or question", file)
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 || segs[0] != "onderwerpen" {
		return Question{}, fmt.Errorf("realsite: %s: canonical path %q is not below /onderwerpen/", file, u.Path)
	}
	q := Question{
		Path:        "/" + strings.Join(segs, "/"),
		Subject:     segs[1],
		Question:    strings.TrimSpace(r.Question),
		Intro:       template.HTML(policy.Sanitize(r.Introduction)), //nolint:gosec // sanitised
		Authorities: r.Authorities,
	}
	if t, err := time.Parse(time.RFC3339, r.LastModified); err == nil {
		q.Modified = t
	}
	for _, c := range r.Content {
		q.Sections = append(q.Sections, Section{
			Title: strings.TrimSpace(c.Title),
			HTML:  template.HTML(policy.Sanitize(c.Paragraph)), //nolint:gosec // sanitised
		})
	}
	return q, nil
}

// subjectName turns a path segment into a subject title: "paspoort-en-identiteitskaart"
// is "Paspoort en identiteitskaart".
func subjectName(slug string) string {
	s := strings.ReplaceAll(slug, "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

var hrefRe = regexp.MustCompile(`href="([^"]*)"`)

// localLinks makes links to pages of the local site relative, so that the crawler
// follows them; links to real pages that are not in the corpus stay as they are.
func localLinks(h template.HTML, origin string, known func(string) bool) template.HTML {
	out := hrefRe.ReplaceAllStringFunc(string(h), func(m string) string {
		raw := m[len(`href="`) : len(m)-1]
		u, err := url.Parse(strings.ReplaceAll(raw, "&amp;", "&"))
		if err != nil || u.Scheme+"://"+u.Host != origin || !known(u.Path) {
			return m
		}
		p := u.Path
		if u.Fragment != "" {
			p += "#" + u.Fragment
		}
		return `href="` + template.HTMLEscapeString(p) + `"`
	})
	return template.HTML(out) //nolint:gosec // only hrefs of sanitised HTML were rewritten
}
