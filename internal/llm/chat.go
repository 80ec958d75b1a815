package llm

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"
)

// Defaults and bounds of a chat model's settings.
const (
	DefaultChatTimeout = 60 * time.Second
	DefaultTemperature = 0.1
	DefaultMaxTokens   = 512
	MaxMaxTokens       = 4096
)

// ChatConfig chooses a chat model.
type ChatConfig struct {
	Provider string // ProviderOllama or ProviderOpenAI
	URL      string // Ollama server, or base URL of an OpenAI-compatible API (…/v1)
	Model    string
	APIKey   string // OpenAI-compatible servers only; may be empty for local ones
	// Timeout bounds one call, the whole stream included (default DefaultChatTimeout).
	Timeout time.Duration
	// Temperature, 0..2; 0 means DefaultTemperature.
	Temperature float64
	// MaxTokens bounds the completion, 1..MaxMaxTokens; 0 means DefaultMaxTokens.
	MaxTokens int
	Client    *http.Client
}

// ChatModel is a chat model with the name answers record for it. Its Generate method
// has the signature of the generative answerer's GenerateFunc.
type ChatModel struct {
	Name string // provider:model

	model       llms.Model
	timeout     time.Duration
	temperature float64
	maxTokens   int
	// legacyMaxTokens sends max_tokens instead of max_completion_tokens: OpenAI-compatible
	// servers (vLLM, llama.cpp, LocalAI) know the older field, OpenAI itself the newer.
	legacyMaxTokens bool
}

// NewChatModel returns a client of the configured chat model. It does not contact
// the service.
func NewChatModel(cfg ChatConfig) (*ChatModel, error) {
	if cfg.Model == "" {
		return nil, fmt.Errorf("llm: chat model is required for provider %s", cfg.Provider)
	}
	if cfg.Temperature < 0 || cfg.Temperature > 2 {
		return nil, fmt.Errorf("llm: chat temperature %g is outside 0..2", cfg.Temperature)
	}
	if cfg.MaxTokens < 0 || cfg.MaxTokens > MaxMaxTokens {
		return nil, fmt.Errorf("llm: chat max tokens %d is outside 1..%d", cfg.MaxTokens, MaxMaxTokens)
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("llm: chat timeout %s is negative", cfg.Timeout)
	}
	m := &ChatModel{
		Name:        cfg.Provider + ":" + cfg.Model,
		timeout:     cmp.Or(cfg.Timeout, DefaultChatTimeout),
		temperature: cmp.Or(cfg.Temperature, DefaultTemperature),
		maxTokens:   cmp.Or(cfg.MaxTokens, DefaultMaxTokens),
	}
	hc := cfg.Client
	if hc == nil {
		hc = http.DefaultClient
	}
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
		m.model = c
	case ProviderOpenAI:
		key := cfg.APIKey
		if key == "" {
			key = "none" // local OpenAI-compatible servers accept any token
		}
		opts := []openai.Option{openai.WithModel(cfg.Model), openai.WithToken(key), openai.WithHTTPClient(hc)}
		if cfg.URL != "" {
			opts = append(opts, openai.WithBaseURL(cfg.URL))
			m.legacyMaxTokens = true
		}
		c, err := openai.New(opts...)
		if err != nil {
			return nil, fmt.Errorf("llm: openai: %w", err)
		}
		m.model = c
	default:
		return nil, fmt.Errorf("llm: unknown chat provider %q (want %s or %s)", cfg.Provider, ProviderOllama, ProviderOpenAI)
	}
	return m, nil
}

// Generate asks the model to complete a conversation of the system instruction and
// one user message, streaming: onDelta (which may be nil) receives each piece of text
// as it arrives, in order, and the pieces make up the returned text. The call ends
// with the model's timeout at the latest. An empty completion is an error.
func (m *ChatModel) Generate(ctx context.Context, system, user string, onDelta func(string)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	msgs := []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeSystem, system),
		llms.TextParts(llms.ChatMessageTypeHuman, user),
	}
	opts := []llms.CallOption{
		llms.WithTemperature(m.temperature),
		llms.WithMaxTokens(m.maxTokens),
		llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			// The OpenAI client also reports chunks without text (the role, the
			// finish reason, the usage); they are no deltas.
			if len(chunk) > 0 && onDelta != nil {
				onDelta(string(chunk))
			}
			return nil
		}),
	}
	if m.legacyMaxTokens {
		opts = append(opts, openai.WithLegacyMaxTokensField())
	}
	resp, err := m.model.GenerateContent(ctx, msgs, opts...)
	// Both clients end a stream cut off by the context without an error, with what
	// arrived until then (or nothing); that text is not an answer.
	if ctxErr := ctx.Err(); ctxErr != nil {
		return "", fmt.Errorf("llm: %s: generate: %w", m.Name, ctxErr)
	}
	if err != nil {
		return "", fmt.Errorf("llm: %s: generate: %w", m.Name, err)
	}
	if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Content) == "" {
		return "", fmt.Errorf("llm: %s: generate: empty completion", m.Name)
	}
	return resp.Choices[0].Content, nil
}
