package llm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/llm"
)

// vectorFor is a deterministic fake "model": the vector depends on the text.
func vectorFor(text string, dim int) []float32 {
	v := make([]float32, dim)
	for i, r := range text {
		v[(i+int(r))%dim] += 1
	}
	return v
}

// ollamaServer speaks Ollama's /api/embed protocol: {"model", "input"} in,
// {"model", "embeddings": [[...]]} out; errors as {"error": "..."} with a status.
func ollamaServer(t *testing.T, dim int, fail bool) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/embed" {
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
			return
		}
		var req struct {
			Model string `json:"model"`
			Input any    `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":"bad json"}`, http.StatusBadRequest)
			return
		}
		if fail {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":"model \"`+req.Model+`\" not found, try pulling it first"}`)
			return
		}
		var inputs []string
		switch in := req.Input.(type) {
		case string:
			inputs = []string{in}
		case []any:
			for _, s := range in {
				inputs = append(inputs, s.(string))
			}
		}
		out := struct {
			Model      string      `json:"model"`
			Embeddings [][]float32 `json:"embeddings"`
		}{Model: req.Model}
		for _, s := range inputs {
			out.Embeddings = append(out.Embeddings, vectorFor(s, dim))
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(out); err != nil {
			t.Error(err)
		}
	}))
}

// openAIServer speaks the OpenAI /v1/embeddings protocol.
func openAIServer(t *testing.T, dim int, status int) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/embeddings" {
			http.NotFound(w, r)
			return
		}
		if got := r.Header.Get("Authorization"); !strings.HasPrefix(got, "Bearer ") {
			t.Errorf("Authorization = %q, want a bearer token", got)
		}
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"error":{"message":"overloaded","type":"server_error","code":null}}`)
			return
		}
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		type datum struct {
			Object    string    `json:"object"`
			Embedding []float32 `json:"embedding"`
			Index     int       `json:"index"`
		}
		out := struct {
			Object string  `json:"object"`
			Data   []datum `json:"data"`
			Model  string  `json:"model"`
			Usage  struct {
				PromptTokens int `json:"prompt_tokens"`
				TotalTokens  int `json:"total_tokens"`
			} `json:"usage"`
		}{Object: "list", Model: req.Model}
		for i, s := range req.Input {
			out.Data = append(out.Data, datum{Object: "embedding", Embedding: vectorFor(s, dim), Index: i})
		}
		if err := json.NewEncoder(w).Encode(out); err != nil {
			t.Error(err)
		}
	}))
}

func TestEmbedders(t *testing.T) {
	t.Parallel()
	const dim = 12
	ollamaOK := ollamaServer(t, dim, false)
	defer ollamaOK.Close()
	ollamaMissing := ollamaServer(t, dim, true)
	defer ollamaMissing.Close()
	openOK := openAIServer(t, dim, http.StatusOK)
	defer openOK.Close()
	openDown := openAIServer(t, dim, http.StatusServiceUnavailable)
	defer openDown.Close()

	tests := []struct {
		name    string
		cfg     llm.EmbedConfig
		wantErr string
	}{
		{name: "ollama", cfg: llm.EmbedConfig{Provider: llm.ProviderOllama, URL: ollamaOK.URL, Model: "nomic-embed-text"}},
		{name: "ollama model missing", cfg: llm.EmbedConfig{Provider: llm.ProviderOllama, URL: ollamaMissing.URL, Model: "nomic-embed-text"}, wantErr: "not found"},
		{name: "openai compatible", cfg: llm.EmbedConfig{Provider: llm.ProviderOpenAI, URL: openOK.URL + "/v1", Model: "bge-m3", APIKey: "sk-test"}},
		{name: "openai compatible down", cfg: llm.EmbedConfig{Provider: llm.ProviderOpenAI, URL: openDown.URL + "/v1", Model: "bge-m3"}, wantErr: "overloaded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := llm.NewEmbedder(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			texts := []string{"kinderopvangtoeslag aanvragen", "paspoort kwijt", "afval scheiden"}
			vecs, err := e.EmbedDocuments(ctx, texts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(vecs) != len(texts) {
				t.Fatalf("got %d vectors for %d texts", len(vecs), len(texts))
			}
			for i, v := range vecs {
				want := vectorFor(texts[i], dim)
				for j := range want {
					if v[j] != want[j] {
						t.Fatalf("vector %d differs from the server's at %d: %v vs %v (order lost?)", i, j, v, want)
					}
				}
			}
			d, err := e.Dim(ctx)
			if err != nil || d != dim {
				t.Errorf("Dim = %d, %v; want %d", d, err, dim)
			}
			if !strings.HasPrefix(e.Name, tc.cfg.Provider+":") {
				t.Errorf("Name = %q", e.Name)
			}
		})
	}
}

func TestEmbedderTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	e, err := llm.NewEmbedder(llm.EmbedConfig{Provider: llm.ProviderOllama, URL: srv.URL, Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := e.EmbedQuery(ctx, "vraag"); err == nil {
		t.Fatal("a service that does not answer must give an error when the context ends")
	}
}

func TestNewEmbedderRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []llm.EmbedConfig{{Provider: "cohere", Model: "x"}, {Provider: llm.ProviderOllama}} {
		if _, err := llm.NewEmbedder(cfg); err == nil {
			t.Errorf("NewEmbedder(%+v) succeeded, want an error", cfg)
		}
	}
}
