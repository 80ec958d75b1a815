package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/internal/llm"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/retrieval"
	"github.com/vraagbaak/vraagbaak/retrieval/lsa"
)

// openStore migrates the database and opens the index.
func (a *app) openStore(ctx context.Context) (*pgxpool.Pool, *retrieval.Store, error) {
	if err := a.cfg.needDatabase(); err != nil {
		return nil, nil, err
	}
	pool, err := postgres.Open(ctx, a.cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	return pool, retrieval.NewStore(pool), nil
}

// embedder is the configured embedder as the index knows it.
type embedder struct {
	retrieval.Embedder      // nil while the built-in model has not learnt from a corpus yet
	info               retrieval.EmbedderInfo
	builtin            bool
}

// openEmbedder returns the configured embedder and makes sure the index's vectors are
// its own. The built-in model is read from the database; on a new database it does
// not exist yet and is fitted after the first crawl (see finishEmbeddings).
func (a *app) openEmbedder(ctx context.Context, store *retrieval.Store) (*embedder, error) {
	if a.cfg.Embedder == embedderBuiltin {
		info, err := store.Embedder(ctx)
		if errors.Is(err, retrieval.ErrNotFound) {
			return &embedder{builtin: true}, nil
		}
		if err != nil {
			return nil, err
		}
		if info.Name != lsa.Name {
			return nil, fmt.Errorf("the index holds vectors of embedder %s (dim %d) but VRAAGBAAK_EMBEDDER=builtin; run `vraagbaak reindex` to re-embed all chunks with the built-in embedder", info.Name, info.Dim)
		}
		m, err := lsa.Load(info.Model)
		if err != nil {
			return nil, fmt.Errorf("built-in embedder stored in the database: %w (run `vraagbaak reindex`)", err)
		}
		return &embedder{Embedder: m, info: info, builtin: true}, nil
	}
	e, err := llm.NewEmbedder(llm.EmbedConfig{
		Provider: a.cfg.Embedder,
		URL:      a.cfg.EmbeddingURL,
		Model:    a.cfg.EmbeddingModel,
		APIKey:   a.cfg.EmbeddingKey,
		Client:   &http.Client{Timeout: 2 * time.Minute},
	})
	if err != nil {
		return nil, err
	}
	dim, err := e.Dim(ctx)
	if err != nil {
		return nil, err
	}
	info := retrieval.EmbedderInfo{Name: e.Name, Dim: dim}
	if err := store.UseEmbedder(ctx, info); err != nil {
		return nil, err
	}
	return &embedder{Embedder: e, info: info}, nil
}

// finishEmbeddings fits the built-in model on the stored chunks when it has none yet,
// then embeds every chunk still without a vector.
func (a *app) finishEmbeddings(ctx context.Context, store *retrieval.Store, e *embedder) (int, error) {
	if e.Embedder == nil {
		if err := a.fitBuiltin(ctx, store, e, false); err != nil || e.Embedder == nil {
			return 0, err
		}
	}
	start := time.Now()
	n, err := store.EmbedPending(ctx, e, 512)
	if err != nil {
		return n, err
	}
	if n > 0 {
		a.log.Info("embedded chunks", "embedder", e.info.Name, "chunks", n, "duration_ms", time.Since(start).Milliseconds())
	}
	return n, nil
}

// fitBuiltin learns the built-in model from every stored chunk and records it; reset
// replaces a model recorded before (reindex), clearing all vectors.
func (a *app) fitBuiltin(ctx context.Context, store *retrieval.Store, e *embedder, reset bool) error {
	start := time.Now()
	var texts []string
	if err := store.ChunkTexts(ctx, func(t string) error {
		texts = append(texts, t)
		return nil
	}); err != nil {
		return err
	}
	if len(texts) == 0 {
		a.log.Warn("no chunks stored yet; the built-in embedder learns from the first corpus that is ingested")
		return nil
	}
	m, err := lsa.Fit(texts, lsa.Options{})
	if err != nil {
		return fmt.Errorf("fit built-in embedder: %w", err)
	}
	blob, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	info := retrieval.EmbedderInfo{Name: lsa.Name, Fingerprint: m.Fingerprint(), Dim: m.Dim(), Model: blob}
	if reset {
		err = store.ResetEmbedder(ctx, info)
	} else {
		err = store.UseEmbedder(ctx, info)
	}
	if err != nil {
		return err
	}
	a.log.Info("fitted built-in embedder", "chunks", len(texts), "dim", m.Dim(), "model_bytes", len(blob),
		"fingerprint", m.Fingerprint(), "duration_ms", time.Since(start).Milliseconds())
	e.Embedder, e.info = m, info
	return nil
}
