package retrieval

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// Mode chooses the rankings a search fuses.
type Mode int

const (
	Hybrid     Mode = iota // full text and vectors, fused (see Fusion)
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
	// Corrected says Text has been through Correct already (the answering code does so,
	// to answer the question the search ran), so Search does not repair it again.
	Corrected bool
}

// Fusion weighs the two rankings; the zero value means DefaultFusion. With K > 0 (the
// default) the rankings are fused by reciprocal rank over pages: a chunk gets
// TextWeight/(K + text page rank) + 1/(K + vector page rank), where a page's rank in a
// ranking is the place of its best chunk among the pages (a page with three chunks at
// the top of a ranking does not push the next page down three places). With K = 0 the
// scores are fused instead: cosine similarity + TextWeight × full-text score (the
// weighted share of the question's words a chunk has, see searchSQL).
type Fusion struct {
	K              float64 // reciprocal-rank constant; 0 fuses scores
	TextWeight     float64 // weight of the full-text score or rank (the vector one has 1)
	MunicipalBoost float64 // multiplies the fused score of the asking municipality's chunks
}

// DefaultFusion was chosen on the question sets whose figures had been reported
// (eval/testdata dev, test, holdout, holdout2 and holdout3, 360 questions with
// expected pages; never on holdout4): reciprocal rank over pages, with K 5–15, text
// weight 1.3 and municipal boost 1.2, beat both rankings alone on recall@5, MRR and
// nDCG@10 on every set but one figure of one set, where the same fusion over chunk
// ranks (K 20, weight 0.7, boost 1.3, the default before) lost all three on holdout3.
// K 10 is the middle of that region. Score fusion (K = 0, weight 0.5, boost 1.4) had
// a slightly higher MRR over all sets but beat both rankings less often.
var DefaultFusion = Fusion{K: 10, TextWeight: 1.3, MunicipalBoost: 1.2}

// Hit is one chunk found, with its page and its scores.
// Its fields are scanned by column name (the db tags), so that reordering the
// statement's columns cannot fill one string field with another's text.
type Hit struct {
	ChunkID      int64      `db:"chunk_id"`
	DocumentID   int64      `db:"document_id"`
	URL          string     `db:"url"`    // canonical URL of the page
	Anchor       string     `db:"anchor"` // section anchor, "" if none
	Title        string     `db:"title"`
	Headings     string     `db:"headings"`
	Body         string     `db:"body"`
	Municipality string     `db:"municipality"` // "" for national pages
	CheckedAt    time.Time  `db:"checked_at"`
	ModifiedAt   *time.Time `db:"modified_at"`
	TextRank     int        `db:"text_rank"`    // 1-based rank in the full-text ranking, 0 if not in it
	TextScore    float64    `db:"text_score"`   // share of the question's words, with title and density (see searchSQL)
	VectorRank   int        `db:"vector_rank"`  // 1-based rank in the vector ranking, 0 if not in it
	VectorScore  float64    `db:"vector_score"` // cosine similarity, 0 if not in it
	Score        float64    `db:"score"`        // fused score, with the municipal boost
}

// CitationURL is the page URL with the section anchor, for a citation.
func (h Hit) CitationURL() string {
	if h.Anchor == "" {
		return h.URL
	}
	return h.URL + "#" + h.Anchor
}

// textPool bounds how many chunks the full-text side ranks. A frequent word matches a
// large share of a big index, and ranking every match was what made search slow (at
// 100,000 chunks a frequent Dutch word matches thousands, and ts_rank_cd over all of
// them took the hybrid statement's p95 to ~90 ms on 2 cores, against ~7 ms for the
// vector side alone); beyond this many matches the full text ranks an arbitrary subset
// of them, where the vectors carry the search anyway. On the sample sites no question
// comes near it. Reading the text vectors of the pool is most of the statement's time
// at 100,000 chunks: 500 instead of 1,000 took a warm statement from 20 to 13 ms.
const textPool = 500

// searchSQL is the hybrid search, one statement: a full-text CTE and a vector CTE, each
// ranked and limited to $4 candidates, fused, at most $7 chunks per page.
//
// Full text: chunks with all the question's words (websearch_to_tsquery) are read
// first; chunks with some of them (a citizen's question rarely has all its words on one
// page) only when there are fewer than $4 of the former, which nearly always rank above
// them. Each set is read up to $12 chunks (textPool) in no particular order, so the
// work is bounded whatever the words: a frequent word makes PostgreSQL scan the table
// until it has enough, a rare one read the GIN index (the plan is made for the
// question's words: see SearchVector). A candidate's score is the share of the
// question's words it has, each word weighed by its rarity (ln(1 + chunks / chunks
// with the word), from lexeme_stats; a word no chunk had at the last refresh counts as
// in one chunk), plus 0.3 × the weighted share it has in its title or headings, plus
// 0.3 × ts_rank_cd (normalised to 0–1) to order chunks that have the same words by how
// densely they have them.
//
// Fusion: with $9 > 0, by reciprocal rank over pages: $10/($9 + text page rank) +
// 1/($9 + vector page rank), a chunk missing from a ranking getting nothing from it; a
// page's rank in a ranking is the place of its best chunk among the pages
// (dense_rank over the pages' first chunk ranks). Chunks of one page with the same
// page ranks are ordered by the same sum over their own ranks (chunk_fused). With $9 = 0, by score
// instead: the cosine similarity plus $10 × the full-text score; a full-text candidate
// that is not among the vector candidates counts as similar as the least similar of
// those. Either way the asking municipality's own chunks get their fused score
// multiplied by $11: its rules and amounts are the ones that apply to the citizen, so
// its page comes first where both answer.
//
// Ties (chunks with the same words score alike, a page's boilerplate repeats on
// another) are broken by the chunk's content: its title, headings and body (in byte
// order, whatever the database's collation), then its municipality, its page's URL and
// its place on the page. Never by the chunk id: ids follow the order in which a
// concurrent crawl happened to store the pages, so the same pages indexed twice ranked
// and answered differently (the development set's outcome accuracy moved by a question
// from run to run). The content comes before the URL so that the same pages served
// from another host (the sample sites on a test server's random port) rank alike.
//
// $1 question, $2 query vector, $3 municipality (empty for none), $4 candidates per
// ranking, $5 use full text, $6 use vectors, $7 per-page cap, $8 limit, $9 reciprocal
// rank constant (0: fuse scores), $10 text weight, $11 municipal boost, $12 text pool.
const searchSQL = `
WITH all_match AS MATERIALIZED (
	SELECT c.id, c.document_id, c.ord, c.tsv
	FROM chunks c
	WHERE $5 AND c.tsv @@ websearch_to_tsquery('dutch', $1) AND (c.municipality IS NULL OR c.municipality = $3)
	LIMIT $12
), some_match AS (
	SELECT c.id, c.document_id, c.ord, c.tsv
	FROM chunks c
	WHERE $5 AND (SELECT count(*) FROM all_match) < $4
		AND c.tsv @@ nullif(replace(websearch_to_tsquery('dutch', $1)::text, ' & ', ' | '), '')::tsquery
		AND NOT c.tsv @@ websearch_to_tsquery('dutch', $1) AND (c.municipality IS NULL OR c.municipality = $3)
	LIMIT $12
), q AS (
	SELECT nullif(replace(websearch_to_tsquery('dutch', $1)::text, ' & ', ' | '), '')::tsquery AS any_terms,
		array_agg(quote_literal(w)::tsquery) AS words,
		array_agg((quote_literal(w) || ':A')::tsquery) AS heading_words,
		array_agg(weight) AS weights, sum(weight) AS total_weight
	FROM (
		SELECT w, ln(1 + greatest((SELECT chunks FROM lexeme_total), 1)::float8 / coalesce(ls.ndoc, 1)) AS weight
		FROM unnest(tsvector_to_array(to_tsvector('dutch', $1))) w
		LEFT JOIN lexeme_stats ls ON ls.lexeme = w
	) qw
), text AS (
	SELECT id, score, rank, dense_rank() OVER (ORDER BY first_rank) AS page_rank
	FROM (SELECT *, min(rank) OVER (PARTITION BY document_id) AS first_rank
	FROM (SELECT *, row_number() OVER (ORDER BY score DESC, title, headings, body, municipality, url, ord) AS rank
	FROM (
		SELECT m.id, m.document_id, c.title COLLATE "C" AS title, c.headings COLLATE "C" AS headings, c.body COLLATE "C" AS body,
			coalesce(c.municipality, '') COLLATE "C" AS municipality, d.url COLLATE "C" AS url, c.ord,
			(SELECT coalesce(sum(f) FILTER (WHERE m.tsv @@ w), 0) + 0.3 * coalesce(sum(f) FILTER (WHERE m.tsv @@ hw), 0)
				FROM unnest(q.words, q.heading_words, q.weights) x(w, hw, f)) / q.total_weight
			+ 0.3 * ts_rank_cd(m.tsv, q.any_terms, 32) AS score
		FROM (SELECT id, document_id, ord, tsv FROM all_match UNION ALL SELECT id, document_id, ord, tsv FROM some_match) m
		JOIN chunks c ON c.id = m.id JOIN documents d ON d.id = m.document_id, q
		ORDER BY score DESC, title, headings, body, municipality, url, ord
		LIMIT $4
	) t) t) t
), vec AS (
	SELECT id, score, rank, dense_rank() OVER (ORDER BY first_rank) AS page_rank
	FROM (SELECT *, min(rank) OVER (PARTITION BY document_id) AS first_rank
	FROM (SELECT v.id, v.document_id, 1 - v.distance AS score, row_number() OVER (ORDER BY v.distance, c.title COLLATE "C", c.headings COLLATE "C",
		c.body COLLATE "C", coalesce(c.municipality, '') COLLATE "C", d.url COLLATE "C", c.ord) AS rank
	FROM (
		SELECT c.id, c.document_id, c.ord, c.embedding <=> $2::vector AS distance
		FROM chunks c
		WHERE $6 AND c.embedding IS NOT NULL AND (c.municipality IS NULL OR c.municipality = $3)
		ORDER BY c.embedding <=> $2::vector
		LIMIT $4
	) v JOIN chunks c ON c.id = v.id JOIN documents d ON d.id = v.document_id) v) v
), fused AS (
	SELECT coalesce(t.id, v.id) AS id, c.document_id, c.municipality, c.title COLLATE "C" AS tie_title, c.headings COLLATE "C" AS tie_headings,
		c.body COLLATE "C" AS tie_body, coalesce(c.municipality, '') COLLATE "C" AS tie_municipality, d.url COLLATE "C" AS tie_url, c.ord,
		coalesce(t.rank, 0) AS text_rank, coalesce(t.score, 0) AS text_score,
		coalesce(v.rank, 0) AS vector_rank, coalesce(v.score, 0) AS vector_score,
		CASE WHEN $9::float8 > 0
		THEN coalesce($10::float8 / ($9::float8 + t.page_rank), 0) + coalesce(1 / ($9::float8 + v.page_rank), 0)
		ELSE coalesce(v.score, (SELECT min(score) FROM vec), 0) + $10::float8 * coalesce(t.score, 0)
		END AS fused,
		coalesce($10::float8 / ($9::float8 + t.rank), 0) + coalesce(1 / ($9::float8 + v.rank), 0) AS chunk_fused
	FROM text t FULL JOIN vec v ON v.id = t.id JOIN chunks c ON c.id = coalesce(t.id, v.id)
		JOIN documents d ON d.id = c.document_id
), ranked AS (
	SELECT f.*, f.fused * CASE WHEN f.municipality IS NOT NULL THEN $11::float8 ELSE 1 END AS score,
		row_number() OVER (PARTITION BY f.document_id ORDER BY f.fused DESC, f.chunk_fused DESC, f.ord) AS nth
	FROM fused f
)
SELECT r.id AS chunk_id, r.document_id, d.url, c.anchor, c.title, c.headings, c.body,
	coalesce(c.municipality, '') AS municipality, d.checked_at, d.modified_at, r.text_rank, r.text_score, r.vector_rank, r.vector_score, r.score
FROM ranked r
JOIN chunks c ON c.id = r.id
JOIN documents d ON d.id = r.document_id
WHERE r.nth <= $7
ORDER BY r.score DESC, r.chunk_fused DESC, r.tie_title, r.tie_headings, r.tie_body, r.tie_municipality, r.tie_url, r.ord
LIMIT $8`

// Search finds the chunks that best answer q. e embeds the question (not needed for
// TextOnly). The question's unknown words are first replaced by the nearest words the
// index has (Correct: "paspoord" searches "paspoort"), then the official words are
// added for the colloquial ones it has (dutch.Expand: "gejat" also searches
// "gestolen").
func (s *Store) Search(ctx context.Context, e Embedder, q Query) ([]Hit, error) {
	q, err := s.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	var vec *pgvector.Vector
	if q.Mode != TextOnly {
		v, err := e.EmbedQuery(ctx, q.Text)
		if err != nil {
			return nil, fmt.Errorf("retrieval: search: embed question: %w", err)
		}
		pv := pgvector.NewVector(v)
		vec = &pv
	}
	return s.search(ctx, vec, q)
}

// SearchVector is Search with the question's vector already computed (nil for
// TextOnly).
func (s *Store) SearchVector(ctx context.Context, vec *pgvector.Vector, q Query) ([]Hit, error) {
	q, err := s.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.search(ctx, vec, q)
}

// prepare sets q's defaults, repairs its typos unless they were (Correct: "paspoord"
// finds "paspoort") and adds the official words for its colloquial ones
// (dutch.Expand: "gejat" finds "gestolen").
func (s *Store) prepare(ctx context.Context, q Query) (Query, error) {
	q = q.withDefaults()
	if !q.Corrected {
		text, err := s.Correct(ctx, q.Text)
		if err != nil {
			return q, fmt.Errorf("retrieval: search: %w", err)
		}
		q.Text, q.Corrected = text, true
	}
	q.Text = dutch.Expand(q.Text)
	return q, nil
}

// search runs searchSQL for a query with its defaults set and its text expanded.
func (s *Store) search(ctx context.Context, vec *pgvector.Vector, q Query) ([]Hit, error) {
	if strings.TrimSpace(q.Text) == "" {
		return nil, nil
	}
	// An unnamed statement, planned for this question's words: a frequent word wants a
	// sequential scan that stops at the text pool, a rare one the GIN index. A cached
	// generic plan cannot tell them apart (it may not even be chosen, but nothing
	// guarantees that).
	rows, _ := s.pool.Query(ctx, searchSQL, pgx.QueryExecModeCacheDescribe, q.Text, vec, q.Municipality, q.Candidates,
		q.Mode != VectorOnly, q.Mode != TextOnly && vec != nil, q.PerPage, q.Limit, q.Fusion.K, q.Fusion.TextWeight, q.Fusion.MunicipalBoost, textPool)
	hits, err := pgx.CollectRows(rows, pgx.RowToStructByName[Hit])
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
