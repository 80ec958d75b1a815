package ingest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// An overview page is crawled and its links are followed, but it is stored without
// chunks: search never returns it, so an answer never cites it. A question page is
// stored with its kind and its lead answer marked.
func TestCrawlOverviewNeverSearched(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, store := newStore(t)
	pages := map[string]string{
		"/": `<html><head><title>Gemeente Testdorp</title></head><body><main><h1>Onderwerpen</h1>
			<ul><li><a href="/rijbewijs">Hoe lang is mijn rijbewijs geldig?</a></li>
			<li><a href="/parkeren">Parkeervergunning voor bewoners in Testdorp aanvragen</a></li>
			<li><a href="/elders">Zwerfvuil melden bij de gemeente</a></li></ul></main></body></html>`,
		"/rijbewijs": `<html><head><title>Rijbewijs</title></head><body><main><h1>Hoe lang is mijn rijbewijs geldig?</h1>
			<p>Een rijbewijs is 10 jaar geldig vanaf de dag van afgifte.</p>
			<h2>Verlengen</h2><p>U verlengt uw rijbewijs bij de balie van het gemeentehuis in Testdorp.</p></main></body></html>`,
		"/parkeren": `<html><head><title>Parkeren</title></head><body><main><h1>Parkeervergunning bewoners</h1>
			<p>Met een parkeervergunning parkeert u in uw eigen straat.</p>
			<h2>Voorwaarden</h2><p>U woont in Testdorp en de auto staat op uw naam.</p>
			<h2>Wat kost het?</h2><p>Een vergunning kost 80 euro per jaar.</p></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	crawler := ingest.New(testConfig(), store, wordEmbedder{}, testLogger(t))
	st, err := crawler.Crawl(ctx, ingest.Source{
		Name: "testdorp", Scope: "municipality", Municipality: "GM0999",
		Start: []string{srv.URL + "/"}, Allow: []string{srv.URL + "/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.FailedTotal() != 0 {
		t.Errorf("crawl: %s", st)
	}

	want := map[string]struct {
		kind   string
		chunks int
		leads  int
	}{
		srv.URL + "/":          {"overview", 0, 0},
		srv.URL + "/rijbewijs": {"question", 1, 1},
		srv.URL + "/parkeren":  {"product", 1, 0},
	}
	rows, err := db.Pool.Query(ctx, `SELECT d.url, d.kind, count(c.id), count(c.id) FILTER (WHERE c.lead)
		FROM documents d LEFT JOIN chunks c ON c.document_id = d.id GROUP BY d.url, d.kind`)
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for rows.Next() {
		var u, kind string
		var chunks, leads int
		if err := rows.Scan(&u, &kind, &chunks, &leads); err != nil {
			t.Fatal(err)
		}
		got++
		w, ok := want[u]
		if !ok {
			t.Errorf("unexpected document %s", u)
			continue
		}
		if kind != w.kind || chunks != w.chunks || leads != w.leads {
			t.Errorf("%s: kind %s, %d chunks, %d leads; want %s, %d, %d", u, kind, chunks, leads, w.kind, w.chunks, w.leads)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got != len(want) { // the overview's links were followed
		t.Errorf("%d documents stored, want %d", got, len(want))
	}

	// The overview's own words (its title and link texts) find the pages it links to,
	// never the overview itself.
	for _, q := range []string{"onderwerpen", "zwerfvuil melden", "rijbewijs geldig", "parkeervergunning aanvragen"} {
		for _, mode := range []retrieval.Mode{retrieval.Hybrid, retrieval.TextOnly} {
			hits, err := store.Search(ctx, wordEmbedder{}, retrieval.Query{Text: q, Municipality: "GM0999", Mode: mode})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				if h.URL == srv.URL+"/" {
					t.Errorf("search %q (mode %v) returned the overview page: %q", q, mode, h.Body)
				}
			}
		}
	}
}
