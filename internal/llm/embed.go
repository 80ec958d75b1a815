// Package llm is the one place that imports langchaingo's model clients. It builds,
// from configuration, the optional embedding services and the chat models that the
// generative answerer calls (Ollama, OpenAI-compatible servers such as vLLM). cmd
// imports it; the rest of the project sees only the small interfaces and func types
// declared where they are used (for example retrieval.Embedder).
package llm

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tmc/langchaingo/embeddings"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
)

// Providers of embedding services.
const (
	ProviderOllama = "ollama"
	ProviderOpenAI = "openai"
)

// EmbedConfig chooses an embedding service.
type EmbedConfig struct {
	Provider string // ProviderOllama or ProviderOpenAI
	URL      string // Ollama server, or base URL of an OpenAI-compatible API (…/v1)
	Model    string
	APIKey   string // OpenAI-compatible servers only; may be empty for local ones
	Client   *http.Client
}

// Embedder is an embedding service with the name the index records for it.
type Embedder struct {
	embeddings.Embedder
	Name string // provider:model
}

// NewEmbedder returns a client of the configured embedding service. It does not
// contact the service.
func NewEmbedder(cfg EmbedConfig) (*Embedder, error) {
	if cfg.Model == "" {
		return nil, fmt.Errorf("llm: embedding model is required for provider %s", cfg.Provider)
	}
	hc := cfg.Client
	if hc == nil {
		hc = http.DefaultClient
	}
	var client embeddings.EmbedderClient
	switch cfg.Provider {
	case ProviderOllama:
		opts := []ollama.Option{ollama.WithModel(cfg.Model), ollama.WithHTTPClient(hc)}
		if cfg.URL != "" {
			opts = append(opts, ollama.WithServerURL(cfg.URL))
		}
		c, err := ollama.New(opts...)
		if err != nil {
			return nil, fmt.Errorf("llm: ollama: %w", err)
		}
		client = c
	case ProviderOpenAI:
		key := cfg.APIKey
		if key == "" {
			key = "none" // local OpenAI-compatible servers accept any token
		}
		opts := []openai.Option{openai.WithEmbeddingModel(cfg.Model), openai.WithToken(key), openai.WithHTTPClient(hc)}
		if cfg.URL != "" {
			opts = append(opts, openai.WithBaseURL(cfg.URL))
		}
		c, err := openai.New(opts...)
		if err != nil {
			return nil, fmt.Errorf("llm: openai: %w", err)
		}
		client = c
	default:
		return nil, fmt.Errorf("llm: unknown embedding provider %q (want %s or %s)", cfg.Provider, ProviderOllama, ProviderOpenAI)
	}
	e, err := embeddings.NewEmbedder(client, embeddings.WithBatchSize(64))
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	return &Embedder{Embedder: e, Name: cfg.Provider + ":" + cfg.Model}, nil
}

// Dim asks the service for one vector and returns its length, which the index needs
// before it stores any.
func (e *Embedder) Dim(ctx context.Context) (int, error) {
	v, err := e.EmbedQuery(ctx, "dimensie")
	if err != nil {
		return 0, fmt.Errorf("llm: %s: probe dimension: %w", e.Name, err)
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("llm: %s returned an empty vector", e.Name)
	}
	return len(v), nil
}
