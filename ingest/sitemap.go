package ingest

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// maxSitemapBytes is the protocol's limit on an uncompressed sitemap (50 MB).
const maxSitemapBytes = 50 << 20

// sitemap is a parsed sitemap: page URLs from a <urlset>, or child sitemaps from a
// <sitemapindex>.
type sitemap struct {
	Pages    []string
	Sitemaps []string
}

// isSitemap reports whether a response body looks like a sitemap (plain or gzipped).
func isSitemap(body []byte) bool {
	if isGzip(body) {
		return true
	}
	head := body
	if len(head) > 1024 {
		head = head[:1024]
	}
	s := string(head)
	return strings.Contains(s, "<urlset") || strings.Contains(s, "<sitemapindex")
}

func isGzip(b []byte) bool { return len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b }

// parseSitemap reads a sitemap or a sitemap index, gunzipping it when needed.
func parseSitemap(body []byte) (sitemap, error) {
	var r io.Reader = bytes.NewReader(body)
	if isGzip(body) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return sitemap{}, fmt.Errorf("sitemap: gzip: %w", err)
		}
		defer zr.Close()
		r = io.LimitReader(zr, maxSitemapBytes)
	}
	var doc struct {
		XMLName xml.Name
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return sitemap{}, fmt.Errorf("sitemap: %w", err)
	}
	var sm sitemap
	switch doc.XMLName.Local {
	case "urlset":
		for _, u := range doc.URLs {
			if loc := strings.TrimSpace(u.Loc); loc != "" {
				sm.Pages = append(sm.Pages, loc)
			}
		}
	case "sitemapindex":
		for _, s := range doc.Sitemaps {
			if loc := strings.TrimSpace(s.Loc); loc != "" {
				sm.Sitemaps = append(sm.Sitemaps, loc)
			}
		}
	default:
		return sitemap{}, fmt.Errorf("sitemap: root element <%s> is neither urlset nor sitemapindex", doc.XMLName.Local)
	}
	return sm, nil
}
