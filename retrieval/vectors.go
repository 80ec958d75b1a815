package retrieval

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// EmbedderInfo identifies the embedder whose vectors the index holds.
type EmbedderInfo struct {
	Name        string // e.g. builtin-lsa-v1, ollama:nomic-embed-text
	Fingerprint string // identifies one fit of the built-in model; "" for services
	Dim         int
	Model       []byte // the serialized built-in model; nil for services
}

// MismatchError says the configured embedder is not the one that made the stored vectors.
type MismatchError struct {
	Stored, Configured EmbedderInfo
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("retrieval: the index holds vectors of embedder %s (dim %d) but %s (dim %d) is configured; run `vraagbaak reindex` to re-embed all chunks with it",
		e.Stored.Name, e.Stored.Dim, e.Configured.Name, e.Configured.Dim)
}

// Embedder returns the recorded embedder, or ErrNotFound before the first one.
func (s *Store) Embedder(ctx context.Context) (EmbedderInfo, error) {
	var info EmbedderInfo
	err := s.pool.QueryRow(ctx, `SELECT name, fingerprint, dim, model FROM embedder`).Scan(&info.Name, &info.Fingerprint, &info.Dim, &info.Model)
	if errors.Is(err, pgx.ErrNoRows) {
		return EmbedderInfo{}, ErrNotFound
	}
	if err != nil {
		return EmbedderInfo{}, fmt.Errorf("retrieval: read embedder: %w", err)
	}
	return info, nil
}

// UseEmbedder records info as the index's embedder when there is none yet, giving the
// embedding column its dimension and its HNSW index. When another embedder (or another
// fit of the built-in one) is recorded it returns a *MismatchError and changes nothing.
func (s *Store) UseEmbedder(ctx context.Context, info EmbedderInfo) error {
	return s.setEmbedder(ctx, info, false)
}

// ResetEmbedder makes info the index's embedder whatever was there: every stored
// vector is cleared, to be re-embedded (reindex).
func (s *Store) ResetEmbedder(ctx context.Context, info EmbedderInfo) error {
	return s.setEmbedder(ctx, info, true)
}

func (s *Store) setEmbedder(ctx context.Context, info EmbedderInfo, reset bool) error {
	if info.Name == "" || info.Dim <= 0 || info.Dim > 2000 {
		return fmt.Errorf("retrieval: embedder %q with dimension %d cannot be indexed (1..2000)", info.Name, info.Dim)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One writer at a time: two ingests starting together must agree on one embedder.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('vraagbaak.embedder'))`); err != nil {
			return err
		}
		var stored EmbedderInfo
		err := tx.QueryRow(ctx, `SELECT name, fingerprint, dim FROM embedder`).Scan(&stored.Name, &stored.Fingerprint, &stored.Dim)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case stored.Name == info.Name && stored.Fingerprint == info.Fingerprint && stored.Dim == info.Dim && !reset:
			return nil
		case !reset:
			return &MismatchError{Stored: stored, Configured: info}
		}
		stmts := []string{
			`DROP INDEX IF EXISTS chunks_embedding_idx`,
			`UPDATE chunks SET embedding = NULL WHERE embedding IS NOT NULL`,
			fmt.Sprintf(`ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(%d)`, info.Dim),
			vectorIndexDDL,
			`DELETE FROM embedder`,
		}
		for _, q := range stmts {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO embedder (name, fingerprint, dim, model) VALUES ($1, $2, $3, $4)`,
			info.Name, info.Fingerprint, info.Dim, info.Model)
		return err
	})
	var mismatch *MismatchError
	if errors.As(err, &mismatch) {
		return err
	}
	if err != nil {
		return fmt.Errorf("retrieval: set embedder %s: %w", info.Name, err)
	}
	return nil
}

// ChunkTexts calls f with the embedding text of every stored chunk; the built-in
// embedder learns from them. The order depends on the texts only (not on ids, which
// depend on the order a concurrent crawl stored pages in), so that the same corpus
// always gives the same model.
func (s *Store) ChunkTexts(ctx context.Context, f func(text string) error) error {
	rows, err := s.pool.Query(ctx, `SELECT title, headings, body FROM chunks ORDER BY md5(title || headings || body), id`)
	if err != nil {
		return fmt.Errorf("retrieval: chunk texts: %w", err)
	}
	defer rows.Close()
	var title, headings, body string
	_, err = pgx.ForEachRow(rows, []any{&title, &headings, &body}, func() error {
		return f(EmbedText(title, headings, body))
	})
	if err != nil {
		return fmt.Errorf("retrieval: chunk texts: %w", err)
	}
	return nil
}

// bulkShare is the share of chunks without a vector above which EmbedPending drops
// the HNSW index and builds it again afterwards: building once is much cheaper than
// updating the graph for every vector (first ingest, reindex).
const bulkShare = 0.5

// EmbedPending embeds the chunks that have no vector yet, batch by batch, and returns
// how many it embedded.
func (s *Store) EmbedPending(ctx context.Context, e Embedder, batch int) (n int, err error) {
	if batch <= 0 {
		batch = 256
	}
	var pending, all int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE embedding IS NULL), count(*) FROM chunks`).Scan(&pending, &all); err != nil {
		return 0, fmt.Errorf("retrieval: count pending chunks: %w", err)
	}
	if pending == 0 {
		return 0, nil
	}
	if pending > 1000 && float64(pending) > bulkShare*float64(all) {
		if _, err := s.pool.Exec(ctx, `DROP INDEX IF EXISTS chunks_embedding_idx`); err != nil {
			return 0, fmt.Errorf("retrieval: drop vector index for a bulk update: %w", err)
		}
		defer func() {
			if ierr := s.createVectorIndex(context.WithoutCancel(ctx)); ierr != nil && err == nil {
				err = ierr
			}
		}()
	}
	for {
		type row struct {
			ID       int64  `db:"id"`
			Title    string `db:"title"`
			Headings string `db:"headings"`
			Body     string `db:"body"`
		}
		rows, _ := s.pool.Query(ctx, `SELECT id, title, headings, body FROM chunks WHERE embedding IS NULL ORDER BY id LIMIT $1`, batch)
		ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[row])
		if err != nil {
			return n, fmt.Errorf("retrieval: pending chunks: %w", err)
		}
		if len(ps) == 0 {
			return n, nil
		}
		texts := make([]string, len(ps))
		ids := make([]int64, len(ps))
		for i, p := range ps {
			texts[i] = EmbedText(p.Title, p.Headings, p.Body)
			ids[i] = p.ID
		}
		vecs, err := e.EmbedDocuments(ctx, texts)
		if err != nil {
			return n, fmt.Errorf("retrieval: embed pending chunks: %w", err)
		}
		if len(vecs) != len(ps) {
			return n, fmt.Errorf("retrieval: embedder returned %d vectors for %d texts", len(vecs), len(ps))
		}
		pv := make([]pgvector.Vector, len(vecs))
		for i, v := range vecs {
			if len(v) == 0 {
				return n, fmt.Errorf("retrieval: embedder returned an empty vector for chunk %d", ids[i])
			}
			pv[i] = pgvector.NewVector(v)
		}
		if _, err := s.pool.Exec(ctx, `
			UPDATE chunks c SET embedding = u.embedding
			FROM unnest($1::bigint[], $2::vector[]) AS u(id, embedding) WHERE c.id = u.id`, ids, pv); err != nil {
			return n, fmt.Errorf("retrieval: store embeddings: %w", err)
		}
		n += len(ps)
	}
}

// createVectorIndex builds the HNSW index on the embeddings if it is missing.
func (s *Store) createVectorIndex(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("retrieval: build vector index: %w", err)
	}
	defer conn.Release()
	// The graph must fit in maintenance_work_mem for a fast build.
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return fmt.Errorf("retrieval: build vector index: %w", err)
	}
	defer conn.Exec(ctx, `RESET maintenance_work_mem`) //nolint:errcheck // the connection goes back to the pool either way
	if _, err := conn.Exec(ctx, vectorIndexDDL); err != nil {
		return fmt.Errorf("retrieval: build vector index: %w", err)
	}
	return nil
}

const vectorIndexDDL = `CREATE INDEX IF NOT EXISTS chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops)`
