package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/llm"
)

// chatRequest is what a chat server received, the same for both protocols.
type chatRequest struct {
	Model       string
	System      string
	User        string
	Stream      bool
	Temperature float64
	MaxTokens   int
}

type wireMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// readChatRequest decodes an Ollama or OpenAI chat request into a chatRequest.
func readChatRequest(r *http.Request, provider string) (chatRequest, error) {
	var req struct {
		Model       string        `json:"model"`
		Messages    []wireMessage `json:"messages"`
		Stream      bool          `json:"stream"`
		Temperature float64       `json:"temperature"` // OpenAI
		MaxTokens   int           `json:"max_tokens"`  // OpenAI-compatible servers
		Options     struct {
			Temperature float64 `json:"temperature"`
			NumPredict  int     `json:"num_predict"`
		} `json:"options"` // Ollama
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		return chatRequest{}, err
	}
	got := chatRequest{Model: req.Model, Stream: req.Stream, Temperature: req.Temperature, MaxTokens: req.MaxTokens}
	if provider == llm.ProviderOllama {
		got.Temperature, got.MaxTokens = req.Options.Temperature, req.Options.NumPredict
	}
	for _, m := range req.Messages {
		switch m.Role {
		case "system":
			got.System += m.Content
		case "user":
			got.User += m.Content
		default:
			return chatRequest{}, fmt.Errorf("unexpected role %q", m.Role)
		}
	}
	return got, nil
}

// chatPaths are where the clients post a chat: Ollama at the server root, OpenAI
// under the base URL the test configures (…/v1).
var chatPaths = map[string]string{
	llm.ProviderOllama: "/api/chat",
	llm.ProviderOpenAI: "/v1/chat/completions",
}

// chatStream writes a streamed completion in the provider's wire format: Ollama as
// newline-delimited JSON chunks ending with "done": true and the statistics, OpenAI
// as server-sent events of chat.completion.chunk objects ending with data: [DONE].
// Before the second piece it waits for next (nil: no wait), so a test can prove that
// the client hands on the first piece before the rest exists; a nil pieces stream
// holds only the closing chunks.
type chatStream struct {
	t        *testing.T
	w        http.ResponseWriter
	provider string
	model    string
}

func (s chatStream) start() {
	if s.provider == llm.ProviderOllama {
		s.w.Header().Set("Content-Type", "application/x-ndjson")
	} else {
		s.w.Header().Set("Content-Type", "text/event-stream")
		s.event(map[string]any{"delta": map[string]any{"role": "assistant", "content": ""}, "finish_reason": nil})
	}
	s.w.(http.Flusher).Flush()
}

func (s chatStream) piece(text string) {
	if s.provider == llm.ProviderOllama {
		s.line(map[string]any{
			"model": s.model, "created_at": "2025-06-02T09:30:00.000000Z",
			"message": map[string]any{"role": "assistant", "content": text}, "done": false,
		})
	} else {
		s.event(map[string]any{"delta": map[string]any{"content": text}, "finish_reason": nil})
	}
	s.w.(http.Flusher).Flush()
}

func (s chatStream) finish() {
	if s.provider == llm.ProviderOllama {
		s.line(map[string]any{
			"model": s.model, "created_at": "2025-06-02T09:30:01.000000Z",
			"message": map[string]any{"role": "assistant", "content": ""}, "done": true, "done_reason": "stop",
			"total_duration": 912345678, "load_duration": 12345678, "prompt_eval_count": 210,
			"prompt_eval_duration": 400000000, "eval_count": 24, "eval_duration": 500000000,
		})
	} else {
		s.event(map[string]any{"delta": map[string]any{}, "finish_reason": "stop"})
		fmt.Fprintf(s.w, "data: %s\n\n", s.json(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1748856600, "model": s.model,
			"choices": []any{}, "usage": map[string]any{"prompt_tokens": 210, "completion_tokens": 24, "total_tokens": 234},
		}))
		fmt.Fprint(s.w, "data: [DONE]\n\n")
	}
	s.w.(http.Flusher).Flush()
}

func (s chatStream) line(v any) { fmt.Fprintf(s.w, "%s\n", s.json(v)) }

func (s chatStream) event(choice map[string]any) {
	choice["index"] = 0
	fmt.Fprintf(s.w, "data: %s\n\n", s.json(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1748856600, "model": s.model,
		"system_fingerprint": "fp_test", "choices": []any{choice},
	}))
}

func (s chatStream) json(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		s.t.Errorf("encode chunk: %v", err)
	}
	return b
}

// chatServer answers chat requests with pieces (see chatStream) and sends what it
// received on got.
func chatServer(t *testing.T, provider string, pieces []string, next <-chan struct{}, got chan<- chatRequest) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != chatPaths[provider] {
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
			return
		}
		if provider == llm.ProviderOpenAI && !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			t.Errorf("Authorization = %q, want a bearer token", r.Header.Get("Authorization"))
		}
		req, err := readChatRequest(r, provider)
		if err != nil {
			t.Errorf("decode request: %v", err)
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		got <- req
		s := chatStream{t: t, w: w, provider: provider, model: req.Model}
		s.start()
		for i, p := range pieces {
			if i == 1 && next != nil {
				select {
				case <-next:
				case <-r.Context().Done():
					return
				}
			}
			s.piece(p)
		}
		s.finish()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// chatURL is the URL a ChatConfig names for the server.
func chatURL(provider string, srv *httptest.Server) string {
	if provider == llm.ProviderOpenAI {
		return srv.URL + "/v1"
	}
	return srv.URL
}

var providers = []struct{ provider, model string }{
	{llm.ProviderOllama, "llama3.1"},
	{llm.ProviderOpenAI, "gpt-4o-mini"},
}

func TestChatModelStreams(t *testing.T) {
	t.Parallel()
	const (
		system = "Je bent Vraagbaak. Antwoord op taalniveau B1."
		user   = "<vraag>\nHoe vraag ik huurtoeslag aan?\n</vraag>"
	)
	pieces := []string{"U vraagt ", "huurtoeslag aan", " bij de Belastingdienst [1].", " Dat kan online [2]."}
	for _, p := range providers {
		t.Run(p.provider, func(t *testing.T) {
			t.Parallel()
			firstSeen := make(chan struct{})
			got := make(chan chatRequest, 1)
			srv := chatServer(t, p.provider, pieces, firstSeen, got)
			m, err := llm.NewChatModel(llm.ChatConfig{Provider: p.provider, URL: chatURL(p.provider, srv), Model: p.model, APIKey: "sk-test"})
			if err != nil {
				t.Fatal(err)
			}
			if want := p.provider + ":" + p.model; m.Name != want {
				t.Errorf("Name = %q, want %q", m.Name, want)
			}
			var deltas []string
			var once sync.Once
			text, err := m.Generate(context.Background(), system, user, func(d string) {
				deltas = append(deltas, d)
				once.Do(func() { close(firstSeen) }) // the server sends the rest only now
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(deltas, "|") != strings.Join(pieces, "|") {
				t.Errorf("deltas = %q, want %q", deltas, pieces)
			}
			if want := strings.Join(pieces, ""); text != want {
				t.Errorf("text = %q, want %q (the deltas concatenated)", text, want)
			}
			req := <-got
			if req.System != system || req.User != user {
				t.Errorf("server got system %q and user %q, want %q and %q", req.System, req.User, system, user)
			}
			if req.Model != p.model || !req.Stream {
				t.Errorf("server got model %q, stream %v; want %q, true", req.Model, req.Stream, p.model)
			}
			if req.Temperature != llm.DefaultTemperature || req.MaxTokens != llm.DefaultMaxTokens {
				t.Errorf("server got temperature %g, max tokens %d; want %g, %d",
					req.Temperature, req.MaxTokens, llm.DefaultTemperature, llm.DefaultMaxTokens)
			}
		})
	}
}

func TestChatModelSettings(t *testing.T) {
	t.Parallel()
	for _, p := range providers {
		t.Run(p.provider, func(t *testing.T) {
			t.Parallel()
			got := make(chan chatRequest, 1)
			srv := chatServer(t, p.provider, []string{"Ja [1]."}, nil, got)
			m, err := llm.NewChatModel(llm.ChatConfig{
				Provider: p.provider, URL: chatURL(p.provider, srv), Model: p.model,
				Temperature: 0.3, MaxTokens: 200,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Generate(context.Background(), "s", "u", nil); err != nil {
				t.Fatal(err)
			}
			if req := <-got; req.Temperature != 0.3 || req.MaxTokens != 200 {
				t.Errorf("server got temperature %g, max tokens %d; want 0.3, 200", req.Temperature, req.MaxTokens)
			}
		})
	}
}

func TestChatModelEmptyCompletion(t *testing.T) {
	t.Parallel()
	for _, p := range providers {
		t.Run(p.provider, func(t *testing.T) {
			t.Parallel()
			srv := chatServer(t, p.provider, []string{" ", "\n"}, nil, make(chan chatRequest, 1))
			m, err := llm.NewChatModel(llm.ChatConfig{Provider: p.provider, URL: chatURL(p.provider, srv), Model: p.model})
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.Generate(context.Background(), "s", "u", nil)
			if err == nil || !strings.Contains(err.Error(), "empty completion") || !strings.Contains(err.Error(), p.provider) {
				t.Fatalf("err = %v, want an empty-completion error naming %s", err, p.provider)
			}
		})
	}
}

func TestChatModelHTTPErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider string
		status   int
		body     string
		want     []string
	}{
		{
			name: "ollama model not found", provider: llm.ProviderOllama, status: http.StatusNotFound,
			body: `{"error":"model \"llama3.1\" not found, try pulling it first"}`,
			want: []string{"ollama:llama3.1", `model "llama3.1" not found`},
		},
		{
			name: "ollama runner crashed", provider: llm.ProviderOllama, status: http.StatusInternalServerError,
			body: `{"error":"llama runner process has terminated: exit status 2"}`,
			want: []string{"ollama:llama3.1", "runner process has terminated"},
		},
		{
			name: "openai server error", provider: llm.ProviderOpenAI, status: http.StatusInternalServerError,
			body: `{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}`,
			want: []string{"openai:gpt-4o-mini", "500", "server had an error"},
		},
		{
			name: "openai rate limited", provider: llm.ProviderOpenAI, status: http.StatusTooManyRequests,
			body: `{"error":{"message":"Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`,
			want: []string{"openai:gpt-4o-mini", "429", "Rate limit reached"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != chatPaths[tc.provider] {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				fmt.Fprintln(w, tc.body)
			}))
			defer srv.Close()
			model := map[string]string{llm.ProviderOllama: "llama3.1", llm.ProviderOpenAI: "gpt-4o-mini"}[tc.provider]
			m, err := llm.NewChatModel(llm.ChatConfig{Provider: tc.provider, URL: chatURL(tc.provider, srv), Model: model})
			if err != nil {
				t.Fatal(err)
			}
			var deltas int
			text, err := m.Generate(context.Background(), "s", "u", func(string) { deltas++ })
			if err == nil {
				t.Fatalf("Generate = %q, nil; want an error", text)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to contain %q", err, w)
				}
			}
			if deltas != 0 {
				t.Errorf("onDelta called %d times for a failed request", deltas)
			}
		})
	}
}

func TestChatModelTimeout(t *testing.T) {
	t.Parallel()
	for _, p := range providers {
		for _, midStream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/mid-stream=%v", p.provider, midStream), func(t *testing.T) {
				t.Parallel()
				release := make(chan struct{})
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if midStream {
						s := chatStream{t: t, w: w, provider: p.provider, model: p.model}
						s.start()
						s.piece("U vraagt het aan")
					}
					select { // stall until the client gives up or the test ends
					case <-release:
					case <-r.Context().Done():
					}
				}))
				t.Cleanup(srv.Close)
				t.Cleanup(func() { close(release) }) // runs before srv.Close
				m, err := llm.NewChatModel(llm.ChatConfig{
					Provider: p.provider, URL: chatURL(p.provider, srv), Model: p.model, Timeout: 200 * time.Millisecond,
				})
				if err != nil {
					t.Fatal(err)
				}
				type result struct {
					text string
					err  error
				}
				done := make(chan result, 1)
				go func() {
					text, err := m.Generate(context.Background(), "s", "u", nil)
					done <- result{text, err}
				}()
				select {
				case res := <-done:
					if !errors.Is(res.err, context.DeadlineExceeded) || !strings.Contains(res.err.Error(), p.provider) {
						t.Fatalf("Generate = %q, %v; want a deadline error naming %s", res.text, res.err, p.provider)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("Generate still runs 10s after its 200ms timeout")
				}
			})
		}
	}
}

func TestNewChatModelRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []llm.ChatConfig{
		{Provider: "anthropic", Model: "x"},
		{Provider: llm.ProviderOllama},
		{Provider: llm.ProviderOllama, Model: "x", Temperature: -0.1},
		{Provider: llm.ProviderOllama, Model: "x", Temperature: 2.5},
		{Provider: llm.ProviderOpenAI, Model: "x", MaxTokens: -1},
		{Provider: llm.ProviderOpenAI, Model: "x", MaxTokens: llm.MaxMaxTokens + 1},
		{Provider: llm.ProviderOpenAI, Model: "x", Timeout: -time.Second},
	} {
		if _, err := llm.NewChatModel(cfg); err == nil {
			t.Errorf("NewChatModel(%+v) succeeded, want an error", cfg)
		}
	}
}
