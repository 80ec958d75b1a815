package ingest_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/internal/samplesite"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// serveSampleSites serves the bundled sites and returns the sources that crawl them.
func serveSampleSites(t testing.TB) []ingest.Source {
	t.Helper()
	var sources []ingest.Source
	for _, site := range samplesite.Sites {
		h, err := samplesite.Handler(site.Name)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		sources = append(sources, ingest.Source{
			Name: site.Name, Scope: site.Scope, Municipality: site.Municipality,
			Start: []string{srv.URL + "/sitemap.xml", srv.URL + "/"},
			Allow: []string{srv.URL + "/"},
		})
	}
	return sources
}

// The bundled sample sites, crawled like real ones with the built-in embedder: every
// page stored under its municipality, no chrome in the chunks, and vectors that find
// a compound word from its parts.
func TestSampleSitesWithBuiltinEmbedder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.New(t)
	store := retrieval.NewStore(db.Pool)
	log := testLogger(t)

	vecs, err := ingest.BuiltinVectors(ctx, store, log)
	if err != nil {
		t.Fatal(err)
	}
	if vecs.Embedder != nil {
		t.Fatal("a new database has no fitted built-in model")
	}
	crawler := ingest.New(testConfig(), store, vecs.Embedder, log)
	total := 0
	for _, src := range serveSampleSites(t) {
		st, err := crawler.Crawl(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		pages, _ := samplesite.Pages(src.Name)
		want := len(pages)
		if src.Name == "rijk" {
			want-- // /zoeken is forbidden by robots.txt
		}
		if st.New != want || st.FailedTotal() != 0 {
			t.Errorf("%s: %d new and %d failed, want %d and 0 (%s)", src.Name, st.New, st.FailedTotal(), want, st)
		}
		total += st.New
	}
	if total < 40 {
		t.Errorf("the sample sites have %d pages, want at least 40", total)
	}
	n, err := vecs.Finish(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var chunks, wrongScope, chrome int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*),
		count(*) FILTER (WHERE (s.name = 'rijk') <> (c.municipality IS NULL) OR c.municipality <> coalesce(s.municipality, c.municipality)),
		count(*) FILTER (WHERE c.body ~ 'Deel deze pagina|Was deze informatie nuttig|gevonden wat u zocht|Ga direct naar inhoud|Cookies accepteren|Oké, sluiten')
		FROM chunks c JOIN documents d ON d.id = c.document_id JOIN sources s ON s.id = d.source_id`).Scan(&chunks, &wrongScope, &chrome); err != nil {
		t.Fatal(err)
	}
	if n != chunks || chunks < total {
		t.Errorf("embedded %d of %d chunks (%d pages)", n, chunks, total)
	}
	if wrongScope != 0 || chrome != 0 {
		t.Errorf("%d chunks with the wrong municipality, %d with page chrome; want 0 and 0", wrongScope, chrome)
	}

	// The stored model is used again, and finds kinderopvangtoeslag from its parts.
	again, err := ingest.BuiltinVectors(ctx, store, log)
	if err != nil || again.Embedder == nil || again.Info.Fingerprint != vecs.Info.Fingerprint {
		t.Fatalf("reopened built-in embedder: %v, %+v", err, again)
	}
	q, err := again.Embedder.EmbedQuery(ctx, "toeslag voor de kinderopvang")
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := db.Pool.Query(ctx, `SELECT d.url FROM chunks c JOIN documents d ON d.id = c.document_id
		ORDER BY c.embedding <=> $1 LIMIT 3`, pgvector.NewVector(q))
	top, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(top) == 0 || !strings.Contains(top[0], "kinderopvangtoeslag") {
		t.Errorf("nearest chunks for 'toeslag voor de kinderopvang': %v", top)
	}

	// Another embedder is refused until reindex, which replaces every vector.
	_, err = ingest.ServiceVectors(ctx, store, wordEmbedder{}, "test-words", log)
	var mismatch *retrieval.MismatchError
	if !errors.As(err, &mismatch) {
		t.Fatalf("ServiceVectors over built-in vectors: err = %v, want a MismatchError", err)
	}
	_, n, err = ingest.Reindex(ctx, store, wordEmbedder{}, "test-words", log)
	if err != nil || n != chunks {
		t.Fatalf("reindex: %d chunks, %v; want %d", n, err, chunks)
	}
	var dims int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM chunks WHERE vector_dims(embedding) = $1`, testDim).Scan(&dims); err != nil {
		t.Fatal(err)
	}
	if dims != chunks {
		t.Errorf("%d of %d chunks have the new embedder's dimension", dims, chunks)
	}
	if _, err := ingest.BuiltinVectors(ctx, store, log); err == nil || !strings.Contains(err.Error(), "reindex") {
		t.Errorf("built-in embedder over another's vectors: err = %v, want advice to reindex", err)
	}
}
