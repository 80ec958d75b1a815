package ingest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/internal/samplesite"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// bigSite serves n pages made from the bundled sample pages: page i is sample page
// i mod len(samples) with its own title, canonical URL and in-site links, so that the
// crawler sees n distinct pages, reachable from the sitemap and by links.
func bigSite(tb testing.TB, n int) *httptest.Server {
	tb.Helper()
	var samples []string
	for _, site := range samplesite.Sites {
		h, err := samplesite.Handler(site.Name)
		if err != nil {
			tb.Fatal(err)
		}
		pages, _ := samplesite.Pages(site.Name)
		for _, p := range pages {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
			samples = append(samples, rec.Body.String())
		}
	}
	canonical := regexp.MustCompile(`<link rel="canonical" href="[^"]*">`)
	href := regexp.MustCompile(`<a ([^>]*)href="/[^"]*"`)
	h1 := regexp.MustCompile(`(<h1[^>]*>)`)
	pages := make([]string, n)
	for i := range pages {
		k := 0
		page := href.ReplaceAllStringFunc(samples[i%len(samples)], func(string) string {
			k++
			return fmt.Sprintf(`<a href="/p/%d"`, (i*7+k*13)%n)
		})
		page = canonical.ReplaceAllString(page, fmt.Sprintf(`<link rel="canonical" href="/p/%d">`, i))
		pages[i] = h1.ReplaceAllString(page, fmt.Sprintf("${1}Pagina %d: ", i))
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for i := range n {
			fmt.Fprintf(w, "<url><loc>http://%s/p/%d</loc></url>", r.Host, i)
		}
		fmt.Fprint(w, "</urlset>")
	})
	mux.HandleFunc("GET /p/{n}", func(w http.ResponseWriter, r *http.Request) {
		var i int
		if _, err := fmt.Sscan(r.PathValue("n"), &i); err != nil || i < 0 || i >= n {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[i])
	})
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkIngest measures a first ingest of a 2,000-page local site with the
// built-in embedder: crawl, extract, chunk, store, then fit the model on the corpus
// and embed every chunk. Reported as pages/s. `make bench` runs it.
func BenchmarkIngest(b *testing.B) {
	const pages = 2000
	site := bigSite(b, pages)
	src := ingest.Source{Name: "groot", Scope: "national", Start: []string{site.URL + "/sitemap.xml"}, Allow: []string{site.URL + "/p/"}}
	cfg := testConfig()
	cfg.Workers, cfg.PerHost, cfg.Timeout = 8, 8, 10*time.Second
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		db := pgtest.New(b)
		store := retrieval.NewStore(db.Pool)
		ctx := context.Background()
		b.StartTimer()
		start := time.Now()
		vecs, err := ingest.BuiltinVectors(ctx, store, testLogger(b))
		if err != nil {
			b.Fatal(err)
		}
		st, err := ingest.New(cfg, store, vecs.Embedder, testLogger(b)).Crawl(ctx, src)
		if err != nil {
			b.Fatal(err)
		}
		crawled := time.Since(start)
		if _, err := vecs.Finish(ctx); err != nil {
			b.Fatal(err)
		}
		b.Logf("crawl and store %s, fit and embed %s", crawled.Round(time.Millisecond), (time.Since(start) - crawled).Round(time.Millisecond))
		elapsed += time.Since(start)
		if st.New != pages {
			b.Fatalf("stored %d pages, want %d (%s)", st.New, pages, st)
		}
		b.ReportMetric(float64(st.Chunks), "chunks")
	}
	b.ReportMetric(float64(pages*b.N)/elapsed.Seconds(), "pages/s")
}
