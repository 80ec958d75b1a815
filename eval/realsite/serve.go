package realsite

import (
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"
)

//go:embed templates
var templates embed.FS

// Site is one of the two local sites.
type Site struct {
	Name         string // source name
	Scope        string // national or municipality
	Municipality string // CBS code of a municipality site
	Origin       string // the real site's origin, which golden sets name
	Handler      http.Handler
}

// Sites returns the two sites over the corpus: rijksoverheid (national) and amsterdam
// (GM0363). A site without content in the corpus is left out.
func (c *Corpus) Sites() ([]Site, error) {
	var out []Site
	if len(c.Questions) > 0 {
		h, err := newRijk(c.Questions)
		if err != nil {
			return nil, err
		}
		out = append(out, Site{Name: "rijksoverheid", Scope: "national", Origin: RijksoverheidOrigin, Handler: h})
	}
	if len(c.Pages) > 0 {
		h, err := newAmsterdam(c.Pages)
		if err != nil {
			return nil, err
		}
		out = append(out, Site{Name: "amsterdam", Scope: "municipality", Municipality: "GM0363", Origin: AmsterdamOrigin, Handler: h})
	}
	return out, nil
}

// Link is a link in a template.
type Link struct {
	Text string
	Href string
}

// LinkGroup is a titled list of links on an overview page.
type LinkGroup struct {
	Title string
	Links []Link
}

// pageData is what every template gets.
type pageData struct {
	Base     string // scheme and host the page was requested on
	Origin   string // the real site, for links to pages outside the corpus
	Path     string
	Title    string
	Type     string
	Modified time.Time
	Crumbs   []Link
	Menu     []Link

	// question pages
	Question    Question
	Intro       template.HTML
	Sections    []Section
	Related     []Link
	SubjectName string
	SubjectPath string
	// overview pages
	Groups []LinkGroup
	// amsterdam pages
	Blocks []renderedBlock
}

type renderedBlock struct {
	Kind  BlockKind
	Level int
	ID    string
	HTML  template.HTML
	Items []template.HTML
}

// site is a set of rendered page kinds and the pages at their paths.
type site struct {
	kinds map[string]*template.Template
	pages map[string]func(*pageData) string // fills in the data, returns the kind
	order []string                          // sitemap order
	mod   map[string]time.Time
}

func parseKinds(file string, kinds ...string) (map[string]*template.Template, error) {
	base, err := template.ParseFS(templates, "templates/"+file)
	if err != nil {
		return nil, fmt.Errorf("realsite: %w", err)
	}
	out := map[string]*template.Template{}
	for _, k := range kinds {
		t, err := base.Clone()
		if err == nil {
			_, err = t.New("body").Parse(`{{template "` + k + `-body" .}}`)
		}
		if err != nil {
			return nil, fmt.Errorf("realsite: %s: %w", k, err)
		}
		out[k] = t
	}
	return out, nil
}

func (s *site) add(path string, mod time.Time, fill func(*pageData) string) {
	if _, dup := s.pages[path]; !dup {
		s.order = append(s.order, path)
	}
	s.pages[path] = fill
	if !mod.IsZero() {
		s.mod[path] = mod
	}
}

func (s *site) known(path string) bool {
	_, ok := s.pages[path]
	return ok
}

func (s *site) handler(origin string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "User-agent: *\nDisallow: /zoeken\nDisallow: /feedback\n\nSitemap: %s/sitemap.xml\n", baseOf(r))
	})
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		type loc struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod,omitempty"`
		}
		set := struct {
			XMLName xml.Name `xml:"urlset"`
			NS      string   `xml:"xmlns,attr"`
			URLs    []loc    `xml:"url"`
		}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
		for _, p := range s.order {
			l := loc{Loc: baseOf(r) + p}
			if t, ok := s.mod[p]; ok {
				l.LastMod = t.UTC().Format("2006-01-02")
			}
			set.URLs = append(set.URLs, l)
		}
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(xml.Header))
		_ = xml.NewEncoder(w).Encode(set) // the client went away
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		d := &pageData{Base: baseOf(r), Origin: origin, Path: r.URL.Path}
		kind, status := "notfound", http.StatusNotFound
		if fill, ok := s.pages[r.URL.Path]; ok {
			kind, status = fill(d), http.StatusOK
		} else {
			d.Title = "Pagina niet gevonden"
		}
		var buf bytes.Buffer
		if err := s.kinds[kind].ExecuteTemplate(&buf, "layout", d); err != nil {
			http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
			return
		}
		if t, ok := s.mod[r.URL.Path]; ok {
			w.Header().Set("Last-Modified", t.UTC().Format(http.TimeFormat))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(buf.Bytes()) // the client went away
	})
	return mux
}

func baseOf(r *http.Request) string {
	return "http://" + r.Host
}

// newRijk builds rijksoverheid.nl: the home page, /onderwerpen, per subject an overview
// page and a list of its questions, and the question pages.
func newRijk(qs []Question) (http.Handler, error) {
	kinds, err := parseKinds("rijksoverheid.tmpl", "question", "links", "notfound")
	if err != nil {
		return nil, err
	}
	s := &site{kinds: kinds, pages: map[string]func(*pageData) string{}, mod: map[string]time.Time{}}
	bySubject := map[string][]Question{}
	for _, q := range qs {
		bySubject[q.Subject] = append(bySubject[q.Subject], q)
	}
	subjects := make([]string, 0, len(bySubject))
	for sub := range bySubject {
		subjects = append(subjects, sub)
	}
	sort.Strings(subjects)
	var all []Link
	for _, sub := range subjects {
		all = append(all, Link{Text: subjectName(sub), Href: "/onderwerpen/" + sub})
	}
	home := Link{Text: "Home", Href: "/"}
	topics := Link{Text: "Onderwerpen", Href: "/onderwerpen"}
	s.add("/", time.Time{}, func(d *pageData) string {
		d.Title, d.Type = "Rijksoverheid.nl", "home"
		d.Groups = []LinkGroup{{Title: "Onderwerpen", Links: all}}
		return "links"
	})
	s.add("/onderwerpen", time.Time{}, func(d *pageData) string {
		d.Title, d.Type, d.Crumbs = "Onderwerpen", "overview", []Link{home}
		d.Groups = []LinkGroup{{Title: "Alle onderwerpen van A tot Z", Links: all}}
		return "links"
	})
	for _, sub := range subjects {
		name, subPath := subjectName(sub), "/onderwerpen/"+sub
		var questions []Link
		for _, q := range bySubject[sub] {
			questions = append(questions, Link{Text: q.Question, Href: q.Path})
		}
		s.add(subPath, time.Time{}, func(d *pageData) string {
			d.Title, d.Type, d.Crumbs = name, "subject", []Link{home, topics}
			d.Groups = []LinkGroup{
				{Title: "Vraag en antwoord", Links: questions},
				{Title: "Bekijk ook", Links: []Link{{Text: "Alle onderwerpen", Href: "/onderwerpen"}}},
			}
			return "links"
		})
		s.add(subPath+"/vraag-en-antwoord", time.Time{}, func(d *pageData) string {
			d.Title, d.Type = "Vraag en antwoord over "+strings.ToLower(name[:1])+name[1:], "overview"
			d.Crumbs = []Link{home, topics, {Text: name, Href: subPath}}
			d.Groups = []LinkGroup{{Links: questions}}
			return "links"
		})
	}
	for _, q := range qs {
		sub := q.Subject
		name, subPath := subjectName(sub), "/onderwerpen/"+sub
		var related []Link
		for _, o := range bySubject[sub] {
			if o.Path != q.Path && len(related) < 8 {
				related = append(related, Link{Text: o.Question, Href: o.Path})
			}
		}
		s.add(q.Path, q.Modified, func(d *pageData) string {
			d.Title, d.Type, d.Modified = q.Question, "vraag-en-antwoord", q.Modified
			d.Crumbs = []Link{home, topics, {Text: name, Href: subPath}, {Text: "Vraag en antwoord", Href: subPath + "/vraag-en-antwoord"}}
			d.Question, d.Related, d.SubjectName, d.SubjectPath = q, related, name, subPath
			d.Intro = localLinks(q.Intro, RijksoverheidOrigin, s.known)
			for _, sec := range q.Sections {
				d.Sections = append(d.Sections, Section{Title: sec.Title, HTML: localLinks(sec.HTML, RijksoverheidOrigin, s.known)})
			}
			return "question"
		})
	}
	return s.handler(RijksoverheidOrigin), nil
}

// newAmsterdam builds amsterdam.nl: a home page and the tax pages, each with the
// section's side menu.
func newAmsterdam(pages []Page) (http.Handler, error) {
	kinds, err := parseKinds("amsterdam.tmpl", "page", "home", "notfound")
	if err != nil {
		return nil, err
	}
	s := &site{kinds: kinds, pages: map[string]func(*pageData) string{}, mod: map[string]time.Time{}}
	var menu []Link
	for _, p := range pages {
		menu = append(menu, Link{Text: p.Title, Href: p.Path})
	}
	s.add("/", time.Time{}, func(d *pageData) string {
		d.Title, d.Menu = "Gemeente Amsterdam", menu
		return "home"
	})
	for _, p := range pages {
		s.add(p.Path, time.Time{}, func(d *pageData) string {
			d.Title, d.Menu = p.Title, menu
			d.Crumbs = crumbs(p.Path, pages)
			for _, b := range p.Blocks {
				rb := renderedBlock{Kind: b.Kind, Level: b.Level, ID: b.ID, HTML: render(b.Text, s.known)}
				for _, it := range b.Items {
					rb.Items = append(rb.Items, render(it, s.known))
				}
				d.Blocks = append(d.Blocks, rb)
			}
			return "page"
		})
	}
	return s.handler(AmsterdamOrigin), nil
}

// crumbs are the pages above path that the site has.
func crumbs(path string, pages []Page) []Link {
	var out []Link
	for _, p := range pages {
		if p.Path != path && strings.HasPrefix(path, p.Path) {
			out = append(out, Link{Text: p.Title, Href: p.Path})
		}
	}
	return out
}
