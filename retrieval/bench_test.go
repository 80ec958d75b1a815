package retrieval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// benchWords is a Dutch government vocabulary for generated chunks; a few words are
// very frequent, most are rare, as in real text.
var benchWords = strings.Fields(`de het een van en in is u op te dat voor met aan bij als
	gemeente uitkering bijstand toeslag zorgtoeslag huurtoeslag kinderopvangtoeslag paspoort
	identiteitskaart verhuizing adres aanvragen aanvraag inkomen vermogen schulden schuldhulp
	kwijtschelding belasting afvalstoffenheffing rioolheffing container afval grofvuil milieustraat
	wmo ondersteuning huishoudelijke hulp vervoer scootmobiel pgb eigen bijdrage zorgverzekering
	beslagvrije voet betalingsregeling bezwaar termijn weken dagen maanden formulier digid online
	afspraak balie loket telefoon openingstijden kosten tarief bedrag euro maand jaar partner kind
	kinderen alleenstaande ouder woning huur huurder eigenaar werk werkzoekende re-integratie
	participatiewet kostendelersnorm normbedrag vakantietoeslag bijzondere noodzakelijke kosten
	witgoed bewindvoering budgetbeheer geldzorgen vroegsignalering briefadres inschrijving brp`)

const benchDim = 384

// benchIndex fills a database with n generated chunks (vectors around 64 centroids, as
// real embeddings cluster) with the full-text and HNSW indexes built.
func benchIndex(b *testing.B, n int) *Store {
	b.Helper()
	db := pgtest.New(b)
	store := NewStore(db.Pool)
	fillBench(b, store, n)
	return store
}

// fillBench stores n generated chunks in a freshly migrated database and builds the
// indexes.
func fillBench(b testing.TB, store *Store, n int) {
	b.Helper()
	ctx := context.Background()
	if err := store.UseEmbedder(ctx, EmbedderInfo{Name: "bench", Dim: benchDim}); err != nil {
		b.Fatal(err)
	}
	if _, err := store.pool.Exec(ctx, `DROP INDEX chunks_embedding_idx`); err != nil {
		b.Fatal(err)
	}
	src, err := store.SaveSource(ctx, Source{Name: "bench", Scope: ScopeNational})
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	centroids := make([][]float32, 64)
	for i := range centroids {
		centroids[i] = randomUnit(rng, nil, 0)
	}
	const perDoc = 10
	docs := make([][]any, 0, n/perDoc)
	for d := range n / perDoc {
		docs = append(docs, []any{src, fmt.Sprintf("https://bench.example/p/%d", d), fmt.Sprintf("Pagina %d", d), time.Now(), time.Now(), []byte{1}})
	}
	if _, err := store.pool.CopyFrom(ctx, pgx.Identifier{"documents"}, []string{"source_id", "url", "title", "fetched_at", "checked_at", "content_hash"}, pgx.CopyFromRows(docs)); err != nil {
		b.Fatal(err)
	}
	var firstDoc int64
	if err := store.pool.QueryRow(ctx, `SELECT min(id) FROM documents`).Scan(&firstDoc); err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, n)
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(benchWords)-1))
	for i := range rows {
		words := make([]string, 160)
		for j := range words {
			words[j] = benchWords[zipf.Uint64()]
		}
		v := randomUnit(rng, centroids[rng.IntN(len(centroids))], 0.6)
		rows[i] = []any{firstDoc + int64(i/perDoc), i % perDoc, "Pagina", "", "", strings.Join(words, " "), ScopeNational, pgvector.NewVector(v)}
	}
	if _, err := store.pool.CopyFrom(ctx, pgx.Identifier{"chunks"}, []string{"document_id", "ord", "title", "headings", "anchor", "body", "scope", "embedding"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := store.createVectorIndex(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := store.pool.Exec(ctx, `ANALYZE chunks`); err != nil {
		b.Fatal(err)
	}
	// The word weights of the full text, as an ingest leaves them.
	if err := pgx.BeginFunc(ctx, store.pool, func(tx pgx.Tx) error { return refreshLexemeStats(ctx, tx) }); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d chunks indexed (HNSW built in %s)", n, time.Since(start).Round(time.Second))
}

func randomUnit(rng *rand.Rand, around []float32, noise float64) []float32 {
	v := make([]float32, benchDim)
	var norm float64
	for i := range v {
		x := rng.NormFloat64()
		if around != nil {
			x = float64(around[i])*math.Sqrt(benchDim) + noise*x
		}
		v[i] = float32(x)
		norm += x * x
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(norm))
	}
	return v
}

// BenchmarkSearch compares retrieval.Search (here SearchVector: the question's vector
// is given, as embedding is not the subject) with the same single SQL statement run
// directly with pgx in the same protocol mode, planned for each question (raw-sql),
// and with the plain hybrid statement (floorSQL), which ranks every full-text match
// (floor-sql), on 100,000 generated chunks
// (VRAAGBAAK_BENCH_CHUNKS to change). Every word of the generated questions is in a
// quarter to four fifths of the chunks: the case that made ranking every match slow.
// It reports p50 and p95 per query. `make bench` runs it.
func BenchmarkSearch(b *testing.B) {
	n := 100_000
	if s := os.Getenv("VRAAGBAAK_BENCH_CHUNKS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	store := benchIndex(b, n)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	type query struct {
		text string
		vec  pgvector.Vector
	}
	queries := make([]query, 200)
	for i := range queries {
		words := make([]string, 2+rng.IntN(3))
		for j := range words {
			words[j] = benchWords[20+rng.IntN(len(benchWords)-20)]
		}
		queries[i] = query{strings.Join(words, " "), pgvector.NewVector(randomUnit(rng, nil, 0))}
	}
	run := func(b *testing.B, f func(q query) error) {
		var lat []float64
		i := 0
		for b.Loop() {
			q := queries[i%len(queries)]
			i++
			start := time.Now()
			if err := f(q); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, float64(time.Since(start).Microseconds())/1000)
		}
		slices.Sort(lat)
		b.ReportMetric(lat[len(lat)/2], "p50-ms")
		b.ReportMetric(lat[int(math.Ceil(0.95*float64(len(lat))))-1], "p95-ms")
	}
	// Warm the caches with every query once, so that the first sub-benchmark does not
	// pay for reading the indexes into memory.
	for _, q := range queries {
		if _, err := store.SearchVector(ctx, &q.vec, Query{Text: q.text}); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("raw-sql", func(b *testing.B) {
		q0 := Query{}.withDefaults()
		run(b, func(q query) error {
			rows, err := store.pool.Query(ctx, searchSQL, pgx.QueryExecModeCacheDescribe, q.text, q.vec, "", q0.Candidates, true, true, q0.PerPage, q0.Limit, q0.Fusion.K, q0.Fusion.TextWeight, q0.Fusion.MunicipalBoost, textPool)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Err()
		})
	})
	b.Run("floor-sql", func(b *testing.B) {
		run(b, func(q query) error {
			rows, err := store.pool.Query(ctx, floorSQL, q.text, q.vec)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Err()
		})
	})
	b.Run("search", func(b *testing.B) {
		run(b, func(q query) error {
			_, err := store.SearchVector(ctx, &q.vec, Query{Text: q.text})
			return err
		})
	})
}

// floorSQL is the plain hybrid statement, the floor the application's search is compared
// with: both top-50 lists, the full text ranked with ts_rank_cd over all matches, fused
// by reciprocal rank (k=60).
const floorSQL = `
WITH text AS (
	SELECT id, row_number() OVER (ORDER BY r DESC, id) AS rank
	FROM (
		SELECT id, ts_rank_cd(tsv, websearch_to_tsquery('dutch', $1)) AS r
		FROM chunks WHERE tsv @@ websearch_to_tsquery('dutch', $1)
		ORDER BY r DESC, id LIMIT 50
	) t
), vec AS (
	SELECT id, row_number() OVER (ORDER BY d, id) AS rank
	FROM (SELECT id, embedding <=> $2::vector AS d FROM chunks ORDER BY embedding <=> $2::vector LIMIT 50) v
)
SELECT coalesce(t.id, v.id), coalesce(1.0 / (60 + t.rank), 0) + coalesce(1.0 / (60 + v.rank), 0) AS score
FROM text t FULL JOIN vec v ON v.id = t.id
ORDER BY score DESC LIMIT 10`
