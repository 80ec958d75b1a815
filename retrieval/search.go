package retrieval

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Mode chooses the rankings a search fuses.
type Mode int

const (
	Hybrid     Mode = iota // full text and vectors, fused by reciprocal rank
	TextOnly               // Dutch full text only
	VectorOnly             // embeddings only
)

func (m Mode) String() string {
	return [...]string{"hybrid", "text", "vector"}[m]
}

// Query is one search.
type Query struct {
	Text string
	// Municipality is the CBS code of the site the question was asked on: national
	// pages and that municipality's own pages are searched, never another's, and its
	// own pages rank first. "" searches national pages only.
	Municipality string
	Limit        int  // hits returned (default 8)
	PerPage      int  // at most this many chunks of one page (default 2)
	Candidates   int  // each ranking's depth before fusion (default 50)
	Mode         Mode // default Hybrid
	Fusion       Fusion
}

// Fusion weighs the two rankings; the zero value means DefaultFusion.
type Fusion struct {
	K              float64 // reciprocal-rank constant
	TextWeight     float64 // weight of the full-text ranking (the vector ranking has 1)
	MunicipalBoost float64 // multiplies the fused score of the asking municipality's chunks
}

// DefaultFusion was chosen on the development question set (eval/testdata/dev.jsonl,
// never on the held-out test.jsonl): a grid over K 5–60, text weight 0.3–1 and boost
// 1–1.3; ts_rank_cd normalisations 0–16. The built-in embedder's ranking is the stronger one on this corpus, so the
// full text mostly breaks ties and rescues what the vectors miss.
var DefaultFusion = Fusion{K: 20, TextWeight: 0.2, MunicipalBoost: 1.3}

// Hit is one chunk found, with its page and its scores.
type Hit struct {
	ChunkID      int64
	DocumentID   int64
	URL          string // canonical URL of the page
	Anchor       string // section anchor, "" if none
	Title        string
	Headings     string
	Body         string
	Municipality string // "" for national pages
	CheckedAt    time.Time
	ModifiedAt   *time.Time
	TextRank     int     // 1-based rank in the full-text ranking, 0 if not in it
	TextScore    float64 // ts_rank_cd
	VectorRank   int     // 1-based rank in the vector ranking, 0 if not in it
	VectorScore  float64 // cosine similarity, 0 if not in it
	Score        float64 // fused score (reciprocal rank, municipal boost)
}

// CitationURL is the page URL with the section anchor, for a citation.
func (h Hit) CitationURL() string {
	if h.Anchor == "" {
		return h.URL
	}
	return h.URL + "#" + h.Anchor
}

// searchSQL is the hybrid search: a full-text CTE and a vector CTE, each ranked and
// limited, fused by reciprocal rank, at most PerPage chunks per page. The full-text
// side ORs the terms of websearch_to_tsquery (a citizen's question rarely has all its
// words on one page), ranks chunks that have all of them first, and then by ts_rank_cd,
// which rewards chunks that cover more of them.
// Reciprocal rank with constant $9 and the full-text ranking weighted by $10 (the
// vector ranking has weight 1); the asking municipality's own chunks get their fused
// score multiplied by $11: its rules and amounts are the ones that apply to the
// citizen, so its page comes first where both answer.
//
// $1 question, $2 query vector, $3 municipality (” for none), $4 candidates per
// ranking, $5 use full text, $6 use vectors, $7 per-page cap, $8 limit.
const searchSQL = `
WITH q AS (
	SELECT websearch_to_tsquery('dutch', $1) AS all_terms,
		nullif(replace(websearch_to_tsquery('dutch', $1)::text, ' & ', ' | '), '')::tsquery AS tsq
), text AS (
	SELECT c.id, ts_rank_cd(c.tsv, q.tsq) + CASE WHEN c.tsv @@ q.all_terms THEN 1 ELSE 0 END AS score,
		row_number() OVER (ORDER BY c.tsv @@ q.all_terms DESC, ts_rank_cd(c.tsv, q.tsq) DESC, c.id) AS rank
	FROM chunks c, q
	WHERE $5 AND c.tsv @@ q.tsq AND (c.municipality IS NULL OR c.municipality = $3)
	ORDER BY score DESC, c.id
	LIMIT $4
), vec AS (
	SELECT id, 1 - distance AS score, row_number() OVER (ORDER BY distance, id) AS rank
	FROM (
		SELECT c.id, c.embedding <=> $2::vector AS distance
		FROM chunks c
		WHERE $6 AND c.embedding IS NOT NULL AND (c.municipality IS NULL OR c.municipality = $3)
		ORDER BY c.embedding <=> $2::vector
		LIMIT $4
	) v
), fused AS (
	SELECT coalesce(t.id, v.id) AS id,
		coalesce(t.rank, 0) AS text_rank, coalesce(t.score, 0) AS text_score,
		coalesce(v.rank, 0) AS vector_rank, coalesce(v.score, 0) AS vector_score,
		coalesce($10::float8 / ($9::float8 + t.rank), 0) + coalesce(1 / ($9::float8 + v.rank), 0) AS rrf
	FROM text t FULL JOIN vec v ON v.id = t.id
), ranked AS (
	SELECT f.*, c.document_id,
		f.rrf * CASE WHEN c.municipality IS NOT NULL THEN $11::float8 ELSE 1 END AS score,
		row_number() OVER (PARTITION BY c.document_id ORDER BY f.rrf DESC, f.id) AS nth
	FROM fused f JOIN chunks c ON c.id = f.id
)
SELECT r.id, r.document_id, d.url, c.anchor, c.title, c.headings, c.body, coalesce(c.municipality, ''),
	d.checked_at, d.modified_at, r.text_rank, r.text_score, r.vector_rank, r.vector_score, r.score
FROM ranked r
JOIN chunks c ON c.id = r.id
JOIN documents d ON d.id = r.document_id
WHERE r.nth <= $7
ORDER BY r.score DESC, r.id
LIMIT $8`

// Search finds the chunks that best answer q. e embeds the question (not needed for
// TextOnly).
func (s *Store) Search(ctx context.Context, e Embedder, q Query) ([]Hit, error) {
	q = q.withDefaults()
	var vec *pgvector.Vector
	if q.Mode != TextOnly {
		v, err := e.EmbedQuery(ctx, q.Text)
		if err != nil {
			return nil, fmt.Errorf("retrieval: search: embed question: %w", err)
		}
		pv := pgvector.NewVector(v)
		vec = &pv
	}
	return s.SearchVector(ctx, vec, q)
}

// SearchVector is Search with the question's vector already computed (nil for
// TextOnly).
func (s *Store) SearchVector(ctx context.Context, vec *pgvector.Vector, q Query) ([]Hit, error) {
	q = q.withDefaults()
	if strings.TrimSpace(q.Text) == "" {
		return nil, nil
	}
	rows, _ := s.pool.Query(ctx, searchSQL, q.Text, vec, q.Municipality, q.Candidates,
		q.Mode != VectorOnly, q.Mode != TextOnly && vec != nil, q.PerPage, q.Limit, q.Fusion.K, q.Fusion.TextWeight, q.Fusion.MunicipalBoost)
	hits, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Hit])
	if err != nil {
		return nil, fmt.Errorf("retrieval: search: %w", err)
	}
	return hits, nil
}

func (q Query) withDefaults() Query {
	if q.Limit <= 0 {
		q.Limit = 8
	}
	if q.PerPage <= 0 {
		q.PerPage = 2
	}
	if q.Candidates <= 0 {
		q.Candidates = 50
	}
	if q.Fusion == (Fusion{}) {
		q.Fusion = DefaultFusion
	}
	return q
}
