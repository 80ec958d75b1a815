package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// wordEmbedder is a deterministic stand-in for the real embedder, which is not the
// subject here: words hashed into a small vector.
type wordEmbedder struct{}

const testDim = 16

func (wordEmbedder) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	v := make([]float32, testDim)
	v[0] = 1
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%testDim]++
	}
	return v, nil
}

func (e wordEmbedder) EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i], _ = e.EmbedQuery(ctx, t)
	}
	return out, nil
}

// testSite serves testdata/sites/gemeente plus pages that change, disappear, are
// too large, too slow, loop, leave the site or are busy once.
type testSite struct {
	*httptest.Server
	version atomic.Int32 // of /openingstijden
	gone    atomic.Bool  // /oud-nieuws answers 410
	busy    atomic.Int32 // 429s left for /druk

	mu       sync.Mutex
	requests map[string]int
	ifNone   map[string]int // conditional requests per path
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	s := &testSite{requests: map[string]int{}, ifNone: map[string]int{}}
	s.version.Store(1)
	s.busy.Store(1)
	release := make(chan struct{})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path]++
		if r.Header.Get("If-None-Match") != "" {
			s.ifNone[r.URL.Path]++
		}
		s.mu.Unlock()
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "VraagbaakBot/") {
			t.Errorf("User-Agent = %q", ua)
		}
		s.serve(w, r, release)
	}))
	t.Cleanup(func() { close(release); s.Close() })
	return s
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request, release chan struct{}) {
	switch r.URL.Path {
	case "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /intern/\n")
	case "/sitemap.xml":
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+
			`<url><loc>%[1]s/afval</loc></url><url><loc>%[1]s/paspoort</loc></url><url><loc>%[1]s/verhuizen</loc></url>`+
			`<url><loc>%[1]s/openingstijden</loc></url><url><loc>https://elders.example/pagina</loc></url></urlset>`, "http://"+r.Host)
	case "/openingstijden":
		hours := map[int32]string{1: "maandag tot en met vrijdag van 9.00 tot 17.00 uur", 2: "maandag tot en met donderdag van 8.30 tot 16.00 uur"}[s.version.Load()]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="nl"><head><title>Openingstijden</title></head><body><nav><a href="/">Home</a></nav>
			<main><h1>Openingstijden van het gemeentehuis</h1><p>Het gemeentehuis is open op %s.</p>
			<h2 id="telefoon">Telefonisch</h2><p>U kunt ons bellen op werkdagen.</p></main></body></html>`, hours)
	case "/oud-nieuws":
		if s.gone.Load() {
			http.Error(w, "weg", http.StatusGone)
			return
		}
		s.file(w, r, "oud-nieuws.html")
	case "/groot":
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><h1>Jaarverslag</h1><p>"+strings.Repeat("veel tekst ", 200_000)+"</p></body></html>")
	case "/brochure.pdf":
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.4 ...")
	case "/traag":
		select {
		case <-r.Context().Done():
		case <-release:
		}
	case "/lus", "/lus2":
		next := map[string]string{"/lus": "/lus2", "/lus2": "/lus"}[r.URL.Path]
		http.Redirect(w, r, next, http.StatusFound)
	case "/weg":
		http.Redirect(w, r, "https://elders.example/", http.StatusMovedPermanently)
	case "/druk":
		if s.busy.Add(-1) >= 0 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "te druk", http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><title>Drukte</title></head><body><main><h1>Drukte bij de balie</h1><p>Op maandagochtend is het druk bij de balie van burgerzaken. Kom liever op woensdag.</p></main></body></html>`)
	default:
		name := strings.ReplaceAll(strings.Trim(r.URL.Path, "/"), "/", "-") + ".html"
		if r.URL.Path == "/" {
			name = "index.html"
		}
		s.file(w, r, name)
	}
}

func (s *testSite) file(w http.ResponseWriter, r *http.Request, name string) {
	data, err := os.ReadFile(filepath.Join("testdata", "sites", "gemeente", name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, fnv.New64a().Sum(data)[:8]))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, name, time.Time{}, strings.NewReader(string(data)))
}

func (s *testSite) count(path string) (requests, conditional int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path], s.ifNone[path]
}

func testConfig() ingest.Config {
	cfg := ingest.DefaultConfig()
	cfg.Delay = 0
	cfg.PerHost = 4
	cfg.Timeout = 2 * time.Second // generous: the race detector on a loaded 2-core machine is slow
	cfg.MaxPageBytes = 1 << 20
	cfg.RetryWait = time.Millisecond
	cfg.MaxRetryWait = 10 * time.Millisecond
	return cfg
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func newStore(t *testing.T) (*pgtest.DB, *retrieval.Store) {
	t.Helper()
	db := pgtest.New(t)
	store := retrieval.NewStore(db.Pool)
	if err := store.UseEmbedder(context.Background(), retrieval.EmbedderInfo{Name: "test-words", Dim: testDim}); err != nil {
		t.Fatal(err)
	}
	return db, store
}

func TestCrawl(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, store := newStore(t)
	site := newTestSite(t)
	src := ingest.Source{
		Name: "testdorp", Scope: "municipality", Municipality: "GM0999",
		Start: []string{site.URL + "/sitemap.xml", site.URL + "/"},
		Allow: []string{site.URL + "/"},
	}
	crawler := ingest.New(testConfig(), store, wordEmbedder{}, testLogger(t))

	// First crawl: everything is new.
	st, err := crawler.Crawl(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []string{"/", "/afval", "/druk", "/kapot", "/openingstijden", "/oud-nieuws", "/paspoort", "/verhuizen"}
	if got := docURLs(t, db, site.URL); strings.Join(got, " ") != strings.Join(wantDocs, " ") {
		t.Errorf("stored documents:\n got %v\nwant %v", got, wantDocs)
	}
	if st.New != len(wantDocs) {
		t.Errorf("stats.New = %d, want %d (%s)", st.New, len(wantDocs), st)
	}
	for reason, want := range map[string]int{"too large": 1, "timeout": 1, "redirect loop": 1, "redirect outside allow-list": 1} {
		if st.Failed[reason] != want {
			t.Errorf("failed[%q] = %d, want %d (%s)", reason, st.Failed[reason], want, st)
		}
	}
	if st.Skipped["not html"] != 1 {
		t.Errorf("skipped[not html] = %d, want 1 (%s)", st.Skipped["not html"], st)
	}
	if n, _ := site.count("/intern/beheer"); n != 0 {
		t.Errorf("/intern/beheer is forbidden by robots.txt but was fetched %d times", n)
	}
	if n, _ := site.count("/afval-kopie"); n != 1 {
		t.Errorf("/afval-kopie fetched %d times, want 1", n)
	}
	if n, _ := site.count("/druk"); n != 2 {
		t.Errorf("/druk fetched %d times, want 2 (one 429, one retry)", n)
	}

	// What the chunks hold: content without chrome, sections with anchors, the
	// source's scope, a Dutch full-text vector and an embedding.
	var anchor, headings, municipality string
	var modified time.Time
	err = db.Pool.QueryRow(ctx, `
		SELECT c.anchor, c.headings, c.municipality, d.modified_at FROM chunks c JOIN documents d ON d.id = c.document_id
		WHERE c.tsv @@ websearch_to_tsquery('dutch', 'grofvuil laten ophalen') ORDER BY ts_rank_cd(c.tsv, websearch_to_tsquery('dutch', 'grofvuil laten ophalen')) DESC LIMIT 1`).
		Scan(&anchor, &headings, &municipality, &modified)
	if err != nil {
		t.Fatalf("full-text search for grofvuil: %v", err)
	}
	if anchor != "grofvuil" || headings != "Grofvuil laten ophalen" || municipality != "GM0999" {
		t.Errorf("grofvuil chunk: anchor %q, headings %q, municipality %q", anchor, headings, municipality)
	}
	if !modified.Equal(time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("afval modified_at = %v, want 2026-09-03", modified)
	}
	var chrome, unembedded int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE body ~* 'cookies|Deel deze pagina|gevonden wat u zocht|Raadhuisstraat'),
		count(*) FILTER (WHERE embedding IS NULL) FROM chunks`).Scan(&chrome, &unembedded); err != nil {
		t.Fatal(err)
	}
	if chrome != 0 || unembedded != 0 {
		t.Errorf("%d chunks hold page chrome, %d have no embedding; want 0 and 0", chrome, unembedded)
	}
	var kapot string
	if err := db.Pool.QueryRow(ctx, `SELECT string_agg(body, ' ') FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.url = $1`, site.URL+"/kapot").Scan(&kapot); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(kapot, "binnen 3 maanden") || !strings.Contains(kapot, "weinig vermogen") {
		t.Errorf("sloppy HTML page lost content: %q", kapot)
	}
	paspoortChunks := chunkIDs(t, db, site.URL+"/paspoort")

	// The site changes: one page is edited, one disappears.
	site.version.Store(2)
	site.gone.Store(true)
	st, err = crawler.Crawl(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != 1 || st.Removed != 1 || st.New != 0 {
		t.Errorf("second crawl: changed %d, removed %d, new %d; want 1, 1, 0 (%s)", st.Changed, st.Removed, st.New, st)
	}
	if st.NotModified < 3 {
		t.Errorf("second crawl: %d not modified, want conditional GETs answered 304 for the unchanged pages (%s)", st.NotModified, st)
	}
	if _, cond := site.count("/paspoort"); cond == 0 {
		t.Error("second crawl did not send If-None-Match for /paspoort")
	}
	if got := chunkIDs(t, db, site.URL+"/paspoort"); fmt.Sprint(got) != fmt.Sprint(paspoortChunks) {
		t.Errorf("unchanged page was re-chunked: chunk ids %v, then %v", paspoortChunks, got)
	}
	var body string
	if err := db.Pool.QueryRow(ctx, `SELECT string_agg(body, ' ') FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.url = $1`, site.URL+"/openingstijden").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "8.30 tot 16.00") || strings.Contains(body, "9.00 tot 17.00") {
		t.Errorf("changed page holds %q, want only the new opening hours", body)
	}
	var removed bool
	var left int
	if err := db.Pool.QueryRow(ctx, `SELECT d.removed_at IS NOT NULL, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) FROM documents d WHERE url = $1`, site.URL+"/oud-nieuws").Scan(&removed, &left); err != nil {
		t.Fatal(err)
	}
	if !removed || left != 0 {
		t.Errorf("gone page: removed %v, %d chunks left; want removed with no chunks", removed, left)
	}
}

func docURLs(t *testing.T, db *pgtest.DB, base string) []string {
	t.Helper()
	rows, _ := db.Pool.Query(context.Background(), `SELECT substr(url, length($1) + 1) FROM documents WHERE removed_at IS NULL ORDER BY url`, base)
	urls, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return urls
}

func chunkIDs(t *testing.T, db *pgtest.DB, url string) []int64 {
	t.Helper()
	rows, _ := db.Pool.Query(context.Background(), `SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.url = $1 ORDER BY c.id`, url)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		t.Fatalf("no chunks for %s", url)
	}
	return ids
}

func TestCrawlUnreachableStart(t *testing.T) {
	t.Parallel()
	_, store := newStore(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	cfg := testConfig()
	cfg.Retries = 0
	crawler := ingest.New(cfg, store, wordEmbedder{}, testLogger(t))
	_, err := crawler.Crawl(context.Background(), ingest.Source{Name: "dood", Scope: "national", Start: []string{url + "/"}, Allow: []string{url + "/"}})
	var se *ingest.StartError
	if !errors.As(err, &se) || se.URL != url+"/" {
		t.Fatalf("err = %v, want a StartError naming %s/", err, url)
	}
}
