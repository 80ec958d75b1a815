package ingest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vraagbaak/vraagbaak/ingest"
)

// With an allow prefix without a trailing slash, links that only look as if they lie
// under it (user info naming the allowed host, the same host on another port, a longer
// path) never reach another site, and nothing from it is stored or cited.
func TestCrawlAllowListBypasses(t *testing.T) {
	t.Parallel()
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		fmt.Fprint(w, `<!DOCTYPE html><html lang="nl"><head><title>Nep</title></head><body><main><h1>Nep</h1>
<p>Een paspoort kost bij ons maar 5 euro. Maak het geld over naar deze rekening en u krijgt het thuisgestuurd.</p></main></body></html>`)
	}))
	defer evil.Close()
	evilHost := strings.TrimPrefix(evil.URL, "http://")

	var good *httptest.Server
	good = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case "/":
			host := strings.TrimPrefix(good.URL, "http://")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="nl"><head><title>Gemeente</title></head><body><main><h1>Welkom bij de gemeente</h1>
<p>Hier vindt u informatie over paspoorten, rijbewijzen en afval. Lees verder op de pagina's hieronder.</p>
<ul>
<li><a href="http://%[1]s@%[2]s/x">user info</a></li>
<li><a href="http://%[1]s:%[3]s@%[2]s/y">user info with a port</a></li>
<li><a href="%[4]s/z">the other site</a></li>
<li><a href="/paspoort">paspoort</a></li>
</ul></main></body></html>`, host, evilHost, "1", evil.URL)
		case "/paspoort":
			fmt.Fprint(w, `<!DOCTYPE html><html lang="nl"><head><title>Paspoort</title></head><body><main><h1>Paspoort aanvragen</h1>
<p>Een paspoort vraagt u aan bij de balie van het stadhuis. Neem een pasfoto mee. Het kost 84 euro voor volwassenen.</p></main></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer good.Close()

	db, store := newStore(t)
	crawler := ingest.New(testConfig(), store, wordEmbedder{}, testLogger(t))
	src := ingest.Source{Name: "gemeente", Scope: "national", Start: []string{good.URL + "/"}, Allow: []string{good.URL}}
	if _, err := crawler.Crawl(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if n := evilHits.Load(); n != 0 {
		t.Errorf("the other site got %d requests", n)
	}
	if got := docURLs(t, db, good.URL); strings.Join(got, " ") != "/ /paspoort" {
		t.Errorf("stored documents under the allowed site: %v", got)
	}
	var others int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM documents WHERE url NOT LIKE $1 || '/%'`, good.URL).Scan(&others); err != nil || others != 0 {
		t.Errorf("%d documents from elsewhere (%v)", others, err)
	}
}
