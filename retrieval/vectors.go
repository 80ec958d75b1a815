package retrieval

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
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
			`CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops)`,
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

// ChunkTexts calls f with the embedding text of every stored chunk, in id order; the
// built-in embedder learns from them.
func (s *Store) ChunkTexts(ctx context.Context, f func(text string) error) error {
	rows, err := s.pool.Query(ctx, `SELECT title, headings, body FROM chunks ORDER BY id`)
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

// EmbedPending embeds the chunks that have no vector yet, batch by batch, and returns
// how many it embedded.
func (s *Store) EmbedPending(ctx context.Context, e Embedder, batch int) (int, error) {
	if batch <= 0 {
		batch = 256
	}
	total := 0
	for {
		type pending struct {
			ID                    int64
			Title, Headings, Body string
		}
		rows, _ := s.pool.Query(ctx, `SELECT id, title, headings, body FROM chunks WHERE embedding IS NULL ORDER BY id LIMIT $1`, batch)
		ps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pending])
		if err != nil {
			return total, fmt.Errorf("retrieval: pending chunks: %w", err)
		}
		if len(ps) == 0 {
			return total, nil
		}
		texts := make([]string, len(ps))
		ids := make([]int64, len(ps))
		for i, p := range ps {
			texts[i] = EmbedText(p.Title, p.Headings, p.Body)
			ids[i] = p.ID
		}
		vecs, err := e.EmbedDocuments(ctx, texts)
		if err != nil {
			return total, fmt.Errorf("retrieval: embed pending chunks: %w", err)
		}
		if len(vecs) != len(ps) {
			return total, fmt.Errorf("retrieval: embedder returned %d vectors for %d texts", len(vecs), len(ps))
		}
		b := &pgx.Batch{}
		for i := range ps {
			if len(vecs[i]) == 0 {
				return total, fmt.Errorf("retrieval: embedder returned an empty vector for chunk %d", ids[i])
			}
			b.Queue(`UPDATE chunks SET embedding = $2 WHERE id = $1`, ids[i], nullVector(vecs[i]))
		}
		if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
			return total, fmt.Errorf("retrieval: store embeddings: %w", err)
		}
		total += len(ps)
	}
}
