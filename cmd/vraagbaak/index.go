package main

import (
	"context"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/llm"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/retrieval"
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

// vectors returns the configured embedder, checked against the index. With reset, an
// index holding another embedder's vectors is accepted (reindex replaces them).
func (a *app) vectors(ctx context.Context, store *retrieval.Store) (*ingest.Vectors, error) {
	if a.cfg.Embedder == embedderBuiltin {
		return ingest.BuiltinVectors(ctx, store, a.log)
	}
	e, err := a.service()
	if err != nil {
		return nil, err
	}
	return ingest.ServiceVectors(ctx, store, e, e.Name, a.log)
}

// service builds the configured embedding service client.
func (a *app) service() (*llm.Embedder, error) {
	return llm.NewEmbedder(llm.EmbedConfig{
		Provider: a.cfg.Embedder,
		URL:      a.cfg.EmbeddingURL,
		Model:    a.cfg.EmbeddingModel,
		APIKey:   a.cfg.EmbeddingKey,
		Client:   &http.Client{Timeout: 2 * time.Minute},
	})
}
