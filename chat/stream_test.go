package chat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/internal/llm"
)

// modelScript is what a scripted model server writes for one request: the pieces of
// its completion, and before each piece i a channel it waits on (a wait of at most
// 10 s) when waits[i] is not nil.
type modelScript struct {
	pieces []string
	waits  map[int]<-chan struct{}
}

// modelServer is an Ollama server that streams what script returns for the user
// message of each chat request, in the real wire format (newline-delimited JSON
// chunks ending with "done": true). A wait that times out fails the test.
func modelServer(t *testing.T, script func(user string) modelScript) *chat.Generative {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/chat" {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Messages []struct{ Role, Content string } `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		user := ""
		for _, m := range req.Messages {
			if m.Role == "user" {
				user += m.Content
			}
		}
		s := script(user)
		w.Header().Set("Content-Type", "application/x-ndjson")
		enc := json.NewEncoder(w)
		for i, p := range s.pieces {
			if wait := s.waits[i]; wait != nil {
				select {
				case <-wait:
				case <-time.After(10 * time.Second):
					t.Errorf("the model server waited in vain before piece %d (%q)", i, p)
				case <-r.Context().Done():
					return
				}
			}
			_ = enc.Encode(map[string]any{"model": "test", "created_at": "2026-12-04T10:00:00Z",
				"message": map[string]any{"role": "assistant", "content": p}, "done": false})
			w.(http.Flusher).Flush()
		}
		_ = enc.Encode(map[string]any{"model": "test", "created_at": "2026-12-04T10:00:01Z",
			"message": map[string]any{"role": "assistant", "content": ""}, "done": true, "done_reason": "stop",
			"total_duration": 1000, "eval_count": len(s.pieces)})
	}))
	t.Cleanup(srv.Close)
	m, err := llm.NewChatModel(llm.ChatConfig{Provider: llm.ProviderOllama, URL: srv.URL, Model: "test", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return &chat.Generative{Generate: m.Generate, Name: m.Name}
}

// scripts holds the script a test case gives the model server.
type scripts struct {
	mu sync.Mutex
	f  func(user string) modelScript
}

func (s *scripts) set(f func(user string) modelScript) {
	s.mu.Lock()
	s.f = f
	s.mu.Unlock()
}

func (s *scripts) run(user string) modelScript {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f(user)
}

// chunks cuts text into pieces of n runes (JSON carries whole runes only).
func chunks(text string, n int) []string {
	var out []string
	for r := []rune(text); len(r) > 0; {
		k := min(n, len(r))
		out, r = append(out, string(r[:k])), r[k:]
	}
	return out
}

var (
	passageNumber = regexp.MustCompile(`<passage n="(\d+)"[^>]*>[^<]*`)
	amountMarker  = regexp.MustCompile(`\[€ [0-9.]+,[0-9]{2}\]`)
)

// cite replaces [amount] in text with the marker of the passage that holds amount.
func cite(user, text string) string {
	return amountMarker.ReplaceAllStringFunc(text, func(marker string) string {
		amount := marker[1 : len(marker)-1]
		for _, m := range passageNumber.FindAllStringSubmatch(user, -1) {
			if strings.Contains(m[0], amount) {
				return "[" + m[1] + "]"
			}
		}
		return "[1]"
	})
}

// The model's sentences reach the citizen only checked, sentence by sentence, as the
// final answer's beginning; a refusal streams nothing.
func TestStreamingChecksEverySentence(t *testing.T) {
	t.Parallel()
	firstDelta := make(chan struct{})
	var script scripts
	gen := modelServer(t, script.run)
	svc, _ := newService(t, gen)

	const good = "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
		"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25]. " +
		"Een identiteitskaart voor een volwassene kost maximaal € 81,05 [€ 81,05]."
	tests := []struct {
		name    string
		text    string
		wait    bool // the model waits after its second sentence until the first delta came
		outcome chat.Outcome
		reason  string   // of a refusal
		want    []string // the deltas
		never   string   // in no delta and not in the answer
	}{
		{
			name: "a good answer in small pieces", text: good, wait: true, outcome: chat.Answered,
			want: []string{
				"Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [1].",
				" Een paspoort voor een kind kost maximaal € 64,25 [1].",
				" Een identiteitskaart voor een volwassene kost maximaal € 81,05 [1].",
			},
		},
		{
			name: "an invented amount",
			text: "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
				"Met spoed betaalt u € 125,00 extra voor uw paspoort [€ 88,15]. " +
				"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25].",
			outcome: chat.Answered, never: "125",
			want: []string{
				"Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [1].",
				" Een paspoort voor een kind kost maximaal € 64,25 [1].",
			},
		},
		{
			name:    "an invented amount first",
			text:    "Een paspoort kost € 12,50 [€ 88,15]. Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25].",
			outcome: chat.Answered, never: "12,50",
			want: []string{"Een paspoort voor een kind kost maximaal € 64,25 [1]."},
		},
		{name: "no answer", text: "GEEN ANTWOORD", outcome: chat.Refused, reason: "not_in_passages", never: "GEEN"},
		{
			name:    "no answer after a shown sentence ends the answer",
			text:    "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. Verder: GEEN ANTWOORD.",
			outcome: chat.Answered, never: "GEEN",
			want: []string{"Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [1]."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script.set(func(user string) modelScript {
				pieces := chunks(cite(user, tc.text), 5)
				s := modelScript{pieces: pieces}
				if tc.wait { // wait before the third sentence begins
					before, _, _ := strings.Cut(cite(user, tc.text), "Een identiteitskaart")
					s.waits = map[int]<-chan struct{}{len([]rune(before)) / 5: firstDelta}
				}
				return s
			})
			var deltas []string
			a, err := svc.Ask(context.Background(), "wat kost een paspoort", "", func(d string) {
				if len(deltas) == 0 && tc.wait {
					close(firstDelta)
				}
				deltas = append(deltas, d)
			})
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcome != tc.outcome || a.RefusalReason != tc.reason {
				t.Fatalf("outcome %s (%s): %q, want %s (%s)", a.Outcome, a.RefusalReason, a.Text, tc.outcome, tc.reason)
			}
			if strings.Join(deltas, "|") != strings.Join(tc.want, "|") {
				t.Errorf("deltas:\n got %q\nwant %q", deltas, tc.want)
			}
			if streamed := strings.Join(deltas, ""); !strings.HasPrefix(a.Text, streamed) || a.Outcome == chat.Answered && streamed != a.Text {
				t.Errorf("streamed %q, answer %q", streamed, a.Text)
			}
			if tc.never != "" && strings.Contains(a.Text+strings.Join(deltas, ""), tc.never) {
				t.Errorf("%q reached the citizen: deltas %q, answer %q", tc.never, deltas, a.Text)
			}
			if a.Outcome == chat.Answered && a.Answerer != gen.Name {
				t.Errorf("answered by %s", a.Answerer)
			}
		})
	}
}

// Through the websocket: what the citizen's widget receives.
func TestStreamingOverWebsocket(t *testing.T) {
	t.Parallel()
	var script scripts
	gen := modelServer(t, script.run)
	svc, _, db := newServiceDB(t, gen)
	convs := chat.NewConversations(db.Pool)
	in := startInstance(t, svc, convs, chat.ServerConfig{ConversationRate: 600}, nil)
	cs := &chatServer{t: t, http: in.http, db: db, svc: svc, convs: convs, inst: in, stop: in.stop}
	c := cs.connect("")
	c.hello("")

	tests := []struct {
		name    string
		text    string
		outcome chat.Outcome
		reason  string
		deltas  int    // how many
		never   string // in no delta and not in the answer
	}{
		{
			name: "a good answer in small pieces", outcome: chat.Answered, deltas: 3,
			text: "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
				"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25]. " +
				"Een identiteitskaart voor een volwassene kost maximaal € 81,05 [€ 81,05].",
		},
		{
			name: "an invented amount", outcome: chat.Answered, deltas: 2, never: "125",
			text: "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
				"Met spoed betaalt u € 125,00 extra voor uw paspoort [€ 88,15]. " +
				"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25].",
		},
		{name: "no answer", text: "GEEN ANTWOORD", outcome: chat.Refused, reason: "not_in_passages", never: "GEEN"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script.set(func(user string) modelScript { return modelScript{pieces: chunks(cite(user, tc.text), 3)} })
			id := fmt.Sprintf("s%d", i)
			c.send(map[string]any{"type": "question", "id": id, "text": "wat kost een paspoort"})
			if ack := c.read(); ack.Type != "ack" || ack.ID != id {
				t.Fatalf("want ack, got %+v", ack)
			}
			ans, before := c.until("answer")
			var deltas []string
			for _, m := range before {
				if m.Type != "answer.delta" || m.ID != id {
					t.Fatalf("unexpected %+v before the answer", m)
				}
				deltas = append(deltas, m.Text)
			}
			if ans.Outcome != tc.outcome || ans.ID != id {
				t.Fatalf("answer %+v, want %s", ans, tc.outcome)
			}
			streamed := strings.Join(deltas, "")
			if len(deltas) != tc.deltas || !strings.HasPrefix(ans.Text, streamed) || tc.deltas > 0 && streamed != ans.Text {
				t.Errorf("deltas %q (want %d, sentence by sentence) for the answer %q", deltas, tc.deltas, ans.Text)
			}
			for _, d := range deltas {
				if len(dutch.Sentences(chat.StripMarkers(d))) != 1 {
					t.Errorf("delta %q is not one sentence", d)
				}
			}
			if tc.never != "" && strings.Contains(ans.Text+streamed, tc.never) {
				t.Errorf("%q reached the citizen: deltas %q, answer %q", tc.never, deltas, ans.Text)
			}
			var reason string
			if err := db.Pool.QueryRow(context.Background(), `SELECT coalesce(refusal_reason, '') FROM answers WHERE id = $1`, ans.AnswerID).Scan(&reason); err != nil {
				t.Fatal(err)
			}
			if reason != tc.reason {
				t.Errorf("refusal reason %q, want %q", reason, tc.reason)
			}
		})
	}
}
