// Package samplesite serves the bundled sample sites: a national site in the style of
// rijksoverheid.nl and two fictional municipalities, written by the project itself. They
// are the demo corpus and the test corpus: served on loopback, they are crawled like
// real sites, with robots.txt, a sitemap index pointing to a gzipped sitemap, ETags and
// conditional GET. cmd and tests import it.
package samplesite

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed sites
var files embed.FS

// Site describes one bundled site.
type Site struct {
	Name         string // directory under sites/ and source name
	Title        string
	Scope        string // national or municipality
	Municipality string // CBS code of a municipality site
}

// Sites are the bundled sites.
var Sites = []Site{
	{Name: "rijk", Title: "Rijksoverheid (voorbeeld)", Scope: "national"},
	{Name: "bloemendijk", Title: "Gemeente Bloemendijk", Scope: "municipality", Municipality: "GM9001"},
	{Name: "heuvelrade", Title: "Gemeente Heuvelrade", Scope: "municipality", Municipality: "GM9002"},
}

// modTime is the Last-Modified date the sample sites claim for every file.
var modTime = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// Pages returns the URL paths of a site's HTML pages, sorted.
func Pages(site string) ([]string, error) {
	root := "sites/" + site
	var pages []string
	err := fs.WalkDir(files, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		u := strings.TrimSuffix(strings.TrimPrefix(p, root), ".html")
		u = strings.TrimSuffix(u, "/index")
		if u == "/index" || u == "" {
			u = "/"
		}
		pages = append(pages, u)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("samplesite: list %s: %w", site, err)
	}
	sort.Strings(pages)
	return pages, nil
}

// Handler serves one site. Unknown paths give a 404 page.
func Handler(site string) (http.Handler, error) {
	pages, err := Pages(site)
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("samplesite: no site %q", site)
	}
	root, err := fs.Sub(files, "sites/"+site)
	if err != nil {
		return nil, fmt.Errorf("samplesite: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "User-agent: *\nDisallow: /zoeken\n\nSitemap: %s/sitemap.xml\n", origin(r))
	})
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		writeXML(w, sitemapIndex{Xmlns: sitemapNS, Sitemaps: []loc{{Loc: origin(r) + "/sitemaps/pagina.xml.gz"}}})
	})
	mux.HandleFunc("GET /sitemaps/pagina.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		set := urlSet{Xmlns: sitemapNS}
		for _, p := range pages {
			set.URLs = append(set.URLs, loc{Loc: origin(r) + p})
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(xml.Header))   //nolint:errcheck // writes to memory
		xml.NewEncoder(zw).Encode(set) //nolint:errcheck // writes to memory
		_ = zw.Close()                 // writes to memory
		w.Header().Set("Content-Type", "application/gzip")
		w.Write(buf.Bytes()) //nolint:errcheck // the client went away
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, root)
	})
	return mux, nil
}

// serveFile maps /a/b to a/b.html or a/b/index.html (or a static asset) and serves it
// with an ETag, so conditional GETs get 304.
func serveFile(w http.ResponseWriter, r *http.Request, root fs.FS) {
	p := strings.Trim(path.Clean(r.URL.Path), "/")
	var candidates []string
	switch {
	case p == "" || p == ".":
		candidates = []string{"index.html"}
	case strings.Contains(path.Base(p), "."):
		candidates = []string{p} // css, js
	default:
		candidates = []string{p + ".html", path.Join(p, "index.html")}
	}
	for _, name := range candidates {
		data, err := fs.ReadFile(root, name)
		if err != nil {
			continue
		}
		sum := sha256.Sum256(data)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
		if strings.HasSuffix(name, ".html") {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		http.ServeContent(w, r, name, modTime, bytes.NewReader(data))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, `<!DOCTYPE html><html lang="nl"><head><title>Pagina niet gevonden</title></head><body><h1>Pagina niet gevonden</h1><p>De pagina die u zoekt bestaat niet (meer).</p></body></html>`)
}

func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type loc struct {
	Loc string `xml:"loc"`
}

type urlSet struct {
	XMLName xml.Name `xml:"urlset"`
	Xmlns   string   `xml:"xmlns,attr"`
	URLs    []loc    `xml:"url"`
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"sitemapindex"`
	Xmlns    string   `xml:"xmlns,attr"`
	Sitemaps []loc    `xml:"sitemap"`
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header)) //nolint:errcheck // the client went away
	xml.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}
