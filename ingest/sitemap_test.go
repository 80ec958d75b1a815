package ingest

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestParseSitemap(t *testing.T) {
	t.Parallel()
	urlset := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc> https://a.nl/een </loc><lastmod>2026-01-01</lastmod></url>
  <url><loc>https://a.nl/twee</loc></url>
</urlset>`
	index := `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://a.nl/s1.xml.gz</loc></sitemap></sitemapindex>`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write([]byte(urlset)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		body     []byte
		pages    string
		sitemaps string
		wantErr  bool
	}{
		{"urlset", []byte(urlset), "https://a.nl/een https://a.nl/twee", "", false},
		{"index", []byte(index), "", "https://a.nl/s1.xml.gz", false},
		{"gzipped", gz.Bytes(), "https://a.nl/een https://a.nl/twee", "", false},
		{"rss is not a sitemap", []byte(`<rss><channel></channel></rss>`), "", "", true},
		{"broken xml", []byte(`<urlset><url><loc>https://a.nl/</url>`), "", "", true},
		{"broken gzip", []byte{0x1f, 0x8b, 0, 1, 2}, "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sm, err := parseSitemap(tc.body)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got := strings.Join(sm.Pages, " "); got != tc.pages {
				t.Errorf("pages %q, want %q", got, tc.pages)
			}
			if got := strings.Join(sm.Sitemaps, " "); got != tc.sitemaps {
				t.Errorf("sitemaps %q, want %q", got, tc.sitemaps)
			}
		})
	}
	if !isSitemap(gz.Bytes()) || !isSitemap([]byte(index)) || isSitemap([]byte("<html><body>urlset</body></html>")) {
		t.Error("isSitemap misjudges")
	}
}
