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
	ctx := context.Background()
	db := pgtest.New(b)
	store := NewStore(db.Pool)
	if err := store.UseEmbedder(ctx, EmbedderInfo{Name: "bench", Dim: benchDim}); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `DROP INDEX chunks_embedding_idx`); err != nil {
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
	if _, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"documents"}, []string{"source_id", "url", "title", "fetched_at", "checked_at", "content_hash"}, pgx.CopyFromRows(docs)); err != nil {
		b.Fatal(err)
	}
	var firstDoc int64
	db.Pool.QueryRow(ctx, `SELECT min(id) FROM documents`).Scan(&firstDoc)
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
	if _, err := db.Pool.CopyFrom(ctx, pgx.Identifier{"chunks"}, []string{"document_id", "ord", "title", "headings", "anchor", "body", "scope", "embedding"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := store.createVectorIndex(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `ANALYZE chunks`); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d chunks indexed (HNSW built in %s)", n, time.Since(start).Round(time.Second))
	return store
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
// directly with pgx, on 100,000 generated chunks (VRAAGBAAK_BENCH_CHUNKS to change).
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
	b.Run("raw-sql", func(b *testing.B) {
		q0 := Query{}.withDefaults()
		run(b, func(q query) error {
			rows, err := store.pool.Query(ctx, searchSQL, q.text, q.vec, "", q0.Candidates, true, true, q0.PerPage, q0.Limit, q0.Fusion.K, q0.Fusion.TextWeight, q0.Fusion.MunicipalBoost)
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
