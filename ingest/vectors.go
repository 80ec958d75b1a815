package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/vraagbaak/vraagbaak/retrieval"
	"github.com/vraagbaak/vraagbaak/retrieval/lsa"
)

// Vectors keeps the index's vectors in step with the configured embedder: the
// built-in model, learnt from the ingested corpus and stored in the database, or an
// embedding service.
type Vectors struct {
	// Embedder embeds new chunks. It is nil while the built-in model has not learnt
	// from a corpus yet; chunks are then stored without vectors until Finish.
	Embedder retrieval.Embedder
	Info     retrieval.EmbedderInfo

	store   *retrieval.Store
	log     *slog.Logger
	builtin bool
}

// BuiltinVectors uses the built-in embedder. On a database that has none yet, it is
// fitted by Finish, after the first crawl has stored a corpus to learn from.
func BuiltinVectors(ctx context.Context, store *retrieval.Store, log *slog.Logger) (*Vectors, error) {
	v := &Vectors{store: store, log: log, builtin: true}
	info, err := store.Embedder(ctx)
	switch {
	case errors.Is(err, retrieval.ErrNotFound):
		return v, nil
	case err != nil:
		return nil, err
	case info.Name != lsa.Name:
		return nil, fmt.Errorf("ingest: the index holds vectors of embedder %s (dim %d) but the built-in embedder is configured; run `vraagbaak reindex` to re-embed all chunks with it", info.Name, info.Dim)
	}
	m, err := lsa.Load(info.Model)
	if err != nil {
		return nil, fmt.Errorf("ingest: built-in embedder stored in the database: %w (run `vraagbaak reindex`)", err)
	}
	v.Embedder, v.Info = m, info
	return v, nil
}

// ServiceVectors uses an embedding service, named e.g. "ollama:nomic-embed-text". It
// asks the service for one vector to learn the dimension, and refuses (with a
// *retrieval.MismatchError) an index that holds another embedder's vectors.
func ServiceVectors(ctx context.Context, store *retrieval.Store, e retrieval.Embedder, name string, log *slog.Logger) (*Vectors, error) {
	dim, err := probeDim(ctx, e, name)
	if err != nil {
		return nil, err
	}
	v := &Vectors{Embedder: e, Info: retrieval.EmbedderInfo{Name: name, Dim: dim}, store: store, log: log}
	return v, store.UseEmbedder(ctx, v.Info)
}

func probeDim(ctx context.Context, e retrieval.Embedder, name string) (int, error) {
	probe, err := e.EmbedQuery(ctx, "dimensie")
	if err != nil {
		return 0, fmt.Errorf("ingest: embedding service %s: %w", name, err)
	}
	if len(probe) == 0 {
		return 0, fmt.Errorf("ingest: embedding service %s returned an empty vector", name)
	}
	return len(probe), nil
}

// Reindex clears every vector, whoever made it, and embeds all chunks again with the
// embedding service, or with the built-in model (service nil) after it has learnt
// anew from the corpus as it is now. It returns how many chunks it embedded.
func Reindex(ctx context.Context, store *retrieval.Store, service retrieval.Embedder, name string, log *slog.Logger) (*Vectors, int, error) {
	v := &Vectors{store: store, log: log, builtin: service == nil}
	if v.builtin {
		if err := v.fit(ctx, true); err != nil || v.Embedder == nil {
			return v, 0, err
		}
	} else {
		dim, err := probeDim(ctx, service, name)
		if err != nil {
			return v, 0, err
		}
		v.Embedder, v.Info = service, retrieval.EmbedderInfo{Name: name, Dim: dim}
		if err := store.ResetEmbedder(ctx, v.Info); err != nil {
			return v, 0, err
		}
	}
	n, err := v.Finish(ctx)
	return v, n, err
}

// Finish fits the built-in model when it has none yet and there is a corpus, then
// embeds every chunk still without a vector. It returns how many it embedded.
func (v *Vectors) Finish(ctx context.Context) (int, error) {
	if v.Embedder == nil {
		if err := v.fit(ctx, false); err != nil || v.Embedder == nil {
			return 0, err
		}
	}
	start := time.Now()
	n, err := v.store.EmbedPending(ctx, v.Embedder, 512)
	if n > 0 {
		v.log.Info("embedded chunks", "embedder", v.Info.Name, "chunks", n, "duration_ms", time.Since(start).Milliseconds())
	}
	return n, err
}

// fit learns the built-in model from every stored chunk and records it; reset replaces
// a model recorded before, clearing all vectors.
func (v *Vectors) fit(ctx context.Context, reset bool) error {
	start := time.Now()
	var texts []string
	if err := v.store.ChunkTexts(ctx, func(t string) error {
		texts = append(texts, t)
		return nil
	}); err != nil {
		return err
	}
	if len(texts) == 0 {
		v.log.Warn("no chunks stored yet; the built-in embedder learns from the first corpus that is ingested")
		return nil
	}
	m, err := lsa.Fit(texts, lsa.Options{})
	if err != nil {
		return fmt.Errorf("ingest: fit built-in embedder: %w", err)
	}
	blob, err := m.MarshalBinary()
	if err != nil {
		return fmt.Errorf("ingest: fit built-in embedder: %w", err)
	}
	info := retrieval.EmbedderInfo{Name: lsa.Name, Fingerprint: m.Fingerprint(), Dim: m.Dim(), Model: blob}
	if reset {
		err = v.store.ResetEmbedder(ctx, info)
	} else {
		err = v.store.UseEmbedder(ctx, info)
	}
	if err != nil {
		return err
	}
	v.log.Info("fitted built-in embedder", "chunks", len(texts), "dim", m.Dim(), "model_bytes", len(blob),
		"fingerprint", m.Fingerprint(), "duration_ms", time.Since(start).Milliseconds())
	v.Embedder, v.Info = m, info
	return nil
}
