// Package answertest gives the tests of answer, chat and eval what they share: a
// small indexed corpus (Pages) with a Service over it (NewService), and a scripted
// language-model server speaking Ollama's real wire protocol (ModelServer). Only
// tests import it; it imports answer, retrieval, internal/llm and pgtest.
package answertest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/llm"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/retrieval"
	"github.com/vraagbaak/vraagbaak/retrieval/lsa"
)

// Page is a test page: its sections are heading and body.
type Page struct {
	Source   retrieval.Source
	URL      string
	Title    string
	Sections [][2]string // heading, body
}

var (
	rijk   = retrieval.Source{Name: "rijk", Scope: retrieval.ScopeNational}
	bloem  = retrieval.Source{Name: "bloemendijk", Scope: retrieval.ScopeMunicipality, Municipality: "GM9001"}
	heuvel = retrieval.Source{Name: "heuvelrade", Scope: retrieval.ScopeMunicipality, Municipality: "GM9002"}
)

// Pages are the test corpus: national pages and two municipalities' pages
// (GM9001 Bloemendijk, GM9002 Heuvelrade) on the same subject.
var Pages = []Page{
	{rijk, "https://rijk.example/paspoort-kosten", "Wat kost een paspoort of identiteitskaart?", [][2]string{
		{"", "De gemeente bepaalt wat een paspoort of identiteitskaart kost. Er geldt wel een maximumtarief."},
		{"Tarieven 2026", "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15. Een paspoort voor een kind kost maximaal € 64,25. Een identiteitskaart voor een volwassene kost maximaal € 81,05."},
		{"Spoedaanvraag", "Heeft u uw paspoort snel nodig? Dan betaalt u extra voor een spoedaanvraag. De toeslag is maximaal € 59,85."},
	}},
	{rijk, "https://rijk.example/paspoort-kwijt", "Mijn paspoort is kwijt of gestolen", [][2]string{
		{"In Nederland", "Bent u uw paspoort kwijtgeraakt in Nederland? Dan meldt u dit bij uw gemeente. U doet aangifte bij de politie als uw paspoort is gestolen. Daarna vraagt u een nieuw paspoort aan."},
		{"Op reis", "Bent u uw paspoort op reis kwijtgeraakt? Dan moet u kunnen aantonen wie u bent, bijvoorbeeld met uw rijbewijs."},
	}},
	{rijk, "https://rijk.example/zorgtoeslag", "Kan ik zorgtoeslag krijgen?", [][2]string{
		{"Voorwaarden", "U kunt zorgtoeslag krijgen als u 18 jaar of ouder bent en een Nederlandse zorgverzekering heeft. Uw inkomen mag niet te hoog zijn. In 2026 is de inkomensgrens € 39.700 voor alleenstaanden."},
		{"Aanvragen", "U vraagt zorgtoeslag aan bij Dienst Toeslagen. Dat doet u online met DigiD."},
	}},
	{rijk, "https://rijk.example/bijzondere-bijstand", "Wat is bijzondere bijstand?", [][2]string{
		{"", "Bijzondere bijstand is een vergoeding voor noodzakelijke kosten die u niet zelf kunt betalen. De gemeente beslist of u bijzondere bijstand krijgt. De regels verschillen per gemeente."},
	}},
	{bloem, "https://bloemendijk.example/bijzondere-bijstand", "Bijzondere bijstand", [][2]string{
		{"Voorwaarden", "U kunt bijzondere bijstand krijgen als uw inkomen lager is dan 120% van de bijstandsnorm. U woont in de gemeente Bloemendijk."},
		{"Aanvragen", "U vraagt bijzondere bijstand aan via Mijn Bloemendijk. U krijgt binnen 8 weken een besluit."},
	}},
	{heuvel, "https://heuvelrade.example/bijzondere-bijstand", "Bijzondere bijstand", [][2]string{
		{"Voorwaarden", "In Heuvelrade kunt u bijzondere bijstand krijgen als uw inkomen lager is dan 110% van de bijstandsnorm."},
		{"Aanvragen", "U vraagt bijzondere bijstand aan bij het Sociaal Team Heuvelrade. U krijgt binnen 2 weken een gesprek."},
	}},
	{bloem, "https://bloemendijk.example/afval", "Afval", [][2]string{
		{"Ophaaldagen", "De grijze container wordt elke vier weken geleegd. De groene container met gft-afval wordt elke twee weken geleegd. Zet uw container voor 7.00 uur aan de straat."},
	}},
}

// sharedRules are the embedded rules the tests share, with one
// crisis detector trained once: training it in every test would make the first
// answer of each slow under -race. The rules hold no state a test could change.
var sharedRules = sync.OnceValues(func() (answer.Rules, error) {
	r, err := answer.DefaultRules()
	if err == nil {
		r.Crisis.Classify("") // train now
	}
	return r, err
})

// NewService indexes Pages in a new test database with the built-in embedder fitted
// on them and returns a Service over it with the embedded rules; gen may be nil.
func NewService(t testing.TB, gen *answer.Generative) (*answer.Service, *retrieval.Store, *pgtest.DB) {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t)
	store := retrieval.NewStore(db.Pool)
	var texts []string
	for _, p := range Pages {
		for _, s := range p.Sections {
			texts = append(texts, retrieval.EmbedText(p.Title, s[0], s[1]))
		}
	}
	model, err := lsa.Fit(texts, lsa.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.UseEmbedder(ctx, retrieval.EmbedderInfo{Name: lsa.Name, Fingerprint: model.Fingerprint(), Dim: model.Dim()}); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, p := range Pages {
		src := p.Source
		if ids[src.Name] == 0 {
			if ids[src.Name], err = store.SaveSource(ctx, src); err != nil {
				t.Fatal(err)
			}
		}
		src.ID = ids[src.Name]
		var chunks []retrieval.Chunk
		for i, s := range p.Sections {
			v, _ := model.EmbedQuery(ctx, retrieval.EmbedText(p.Title, s[0], s[1]))
			chunks = append(chunks, retrieval.Chunk{Ord: i, Title: p.Title, Headings: s[0], Anchor: strings.ToLower(strings.ReplaceAll(s[0], " ", "-")), Body: s[1], Embedding: v})
		}
		doc := retrieval.Document{Source: src, URL: p.URL, Title: p.Title, FetchedAt: time.Now(), ContentHash: []byte(p.URL)}
		if _, err := store.SaveDocument(ctx, doc, chunks, retrieval.Fetch{URL: p.URL, SourceID: src.ID, Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.RefreshTermStats(ctx); err != nil {
		t.Fatal(err)
	}
	return ServiceOver(t, store, model, gen, slog.New(slog.NewTextHandler(io.Discard, nil))), store, db
}

// ServiceOver is an answer service over an indexed store (its term statistics
// refreshed), with the embedded rules and the default configuration; gen may be nil
// for the extractive answerer only.
func ServiceOver(t testing.TB, store *retrieval.Store, embed retrieval.Embedder, gen *answer.Generative, log *slog.Logger) *answer.Service {
	t.Helper()
	terms, err := store.TermStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := sharedRules()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := answer.NewService(store, embed, terms, gen, rules, answer.Config{}, log)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// Script is what a scripted model server writes for one request: the pieces of
// its completion, and before each piece i a channel it waits on (a wait of at most
// 10 s) when Waits[i] is not nil.
type Script struct {
	Pieces []string
	Waits  map[int]<-chan struct{}
}

// ModelServer is an Ollama server that streams what script returns for the user
// message of each chat request, in the real wire format (newline-delimited JSON
// chunks ending with "done": true). A wait that times out fails the test.
func ModelServer(t *testing.T, script func(user string) Script) *answer.Generative {
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
		for i, p := range s.Pieces {
			if wait := s.Waits[i]; wait != nil {
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
			"total_duration": 1000, "eval_count": len(s.Pieces)})
	}))
	t.Cleanup(srv.Close)
	m, err := llm.NewChatModel(llm.ChatConfig{Provider: llm.ProviderOllama, URL: srv.URL, Model: "test", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return &answer.Generative{Generate: m.Generate, Name: m.Name}
}

// Scripts holds the script a test case gives the model server; Run is the script
// ModelServer takes.
type Scripts struct {
	mu sync.Mutex
	f  func(user string) Script
}

func (s *Scripts) Set(f func(user string) Script) {
	s.mu.Lock()
	s.f = f
	s.mu.Unlock()
}

func (s *Scripts) Run(user string) Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f(user)
}

// Chunks cuts text into pieces of n runes (JSON carries whole runes only).
func Chunks(text string, n int) []string {
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

// Cite replaces [amount] in text with the marker of the passage that holds amount.
func Cite(user, text string) string {
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
