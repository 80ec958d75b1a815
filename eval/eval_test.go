package eval_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/answer/answertest"
	"github.com/vraagbaak/vraagbaak/eval"
	"github.com/vraagbaak/vraagbaak/ingest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/internal/samplesite"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// index crawls the bundled sample sites into a fresh database, as `make demo` does.
func index(t *testing.T) (*retrieval.Store, retrieval.Embedder, *answer.Service) {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t)
	store := retrieval.NewStore(db.Pool)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	vecs, err := ingest.BuiltinVectors(ctx, store, log)
	if err != nil {
		t.Fatal(err)
	}
	cfg := ingest.DefaultConfig()
	cfg.Delay, cfg.PerHost = 0, 4
	crawler := ingest.New(cfg, store, vecs.Embedder, log)
	for _, site := range samplesite.Sites {
		h, err := samplesite.Handler(site.Name)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		src := ingest.Source{Name: site.Name, Scope: site.Scope, Municipality: site.Municipality,
			Start: []string{srv.URL + "/sitemap.xml"}, Allow: []string{srv.URL + "/"}}
		if _, err := crawler.Crawl(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := vecs.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if err := store.RefreshTermStats(ctx); err != nil {
		t.Fatal(err)
	}
	svc := answertest.ServiceOver(t, store, vecs.Embedder, nil, log)
	return store, vecs.Embedder, svc
}

func sites() eval.Sites {
	s := eval.Sites{}
	for _, site := range samplesite.Sites {
		s[site.Name] = site.Municipality
	}
	return s
}

// The development set through the real pipeline: hybrid retrieval must beat both
// full text and vectors alone, and every figure named in testdata/thresholds.json
// must stay on the right side of its bound (a floor where higher is better, a
// ceiling where lower is better), so that a change that makes the assistant worse
// fails the test command.
func TestDevelopmentSet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, emb, svc := index(t)
	qs, err := eval.LoadGolden("testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/thresholds.json")
	if err != nil {
		t.Fatal(err)
	}
	var bounds map[string]float64
	if err := json.Unmarshal(data, &bounds); err != nil {
		t.Fatal(err)
	}
	r := eval.Runner{Store: store, Embed: emb, Service: svc, Sites: sites()}
	res, err := r.Run(ctx, "testdata/dev.jsonl", qs, 5)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Metrics
	modes := map[string]eval.RetrievalMetrics{}
	for _, rm := range m.Modes {
		t.Logf("%-6s recall@1 %.3f recall@5 %.3f recall@10 %.3f MRR %.3f nDCG@10 %.3f (n=%d)", rm.Mode, rm.Recall1, rm.Recall5, rm.Recall10, rm.MRR, rm.NDCG10, rm.N)
		modes[rm.Mode] = rm
	}
	// Hybrid must beat both rankings alone on every retrieval figure the issue names.
	h, text, vec := modes["hybrid"], modes["text"], modes["vector"]
	for _, f := range []struct {
		name              string
		hybrid, txt, vect eval.Figure
	}{
		{"recall@5", h.Recall5, text.Recall5, vec.Recall5},
		{"MRR", h.MRR, text.MRR, vec.MRR},
		{"nDCG@10", h.NDCG10, text.NDCG10, vec.NDCG10},
	} {
		if !(f.hybrid > f.txt && f.hybrid > f.vect) {
			t.Errorf("hybrid %s %.3f must beat text %.3f and vector %.3f", f.name, f.hybrid, f.txt, f.vect)
		}
	}
	for _, info := range eval.Catalog() {
		t.Logf("%-30s %s", info.Label, info.Format(info.Value(m)))
	}
	for _, q := range res.Questions {
		if p := q.Problems(); !q.Right() || (q.Outcome == answer.Answered && !q.FirstCitationRight) {
			t.Logf("  %s [%s] %q: %s (want %s), conf %.2f: %v: %q", q.ID, q.MunicipalityGroup(), q.Question, q.Outcome, q.Expected, q.Confidence, p, q.Answer)
		}
	}
	if len(bounds) == 0 {
		t.Fatal("testdata/thresholds.json names no figures")
	}
	for key, bound := range bounds {
		info, ok := eval.Lookup(key)
		if !ok {
			t.Errorf("thresholds.json: %q is not a metric (see eval.Catalog)", key)
			continue
		}
		got := info.Value(m)
		switch {
		case !got.Defined():
			t.Errorf("%s is undefined on the development set; it has a bound of %v", info.Label, bound)
		case info.Better == eval.HigherIsBetter && float64(got) < bound:
			t.Errorf("%s = %.3f, below its floor %.3f", info.Label, got, bound)
		case info.Better == eval.LowerIsBetter && float64(got) > bound:
			t.Errorf("%s = %.3f, above its ceiling %.3f", info.Label, got, bound)
		}
	}
	// The real run renders.
	if err := res.WriteReport(io.Discard); err != nil {
		t.Error(err)
	}
}

// The ways citizens type a question (compounds split or joined, typos, capitals and
// punctuation, colloquial words) find the same page among the first three.
func TestRetrievalPhrasings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, emb, _ := index(t)
	const (
		childcare = "/onderwerpen/toeslagen/vraag-en-antwoord/kan-ik-kinderopvangtoeslag-krijgen"
		rent      = "/onderwerpen/toeslagen/vraag-en-antwoord/kan-ik-huurtoeslag-krijgen"
		lost      = "/onderwerpen/paspoort-en-identiteitskaart/vraag-en-antwoord/mijn-paspoort-is-kwijt-of-gestolen"
		bulky     = "/afval/grofvuil"
	)
	tests := []struct {
		question, municipality, path string
	}{
		{"kinderopvangtoeslag", "", childcare},
		{"toeslag kinderopvang", "", childcare},
		{"kinderopvang toeslag aanvragen", "", childcare},
		{"kinderopvangtoesalg", "", childcare},
		{"KINDEROPVANGTOESLAG AANVRAGEN!!!", "", childcare},
		{"huurtoeslag", "", rent},
		{"toeslag voor de huur", "", rent},
		{"paspoort kwijt", "", lost},
		{"mn paspoort is gejat wat nu", "", lost},
		{"grofvuil laten ophalen", "GM9001", bulky},
		{"grof vuil ophalen", "GM9001", bulky},
	}
	for _, tc := range tests {
		t.Run(tc.question, func(t *testing.T) {
			hits, err := store.Search(ctx, emb, retrieval.Query{Text: tc.question, Municipality: tc.municipality, Limit: 3, PerPage: 1})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				u, err := url.Parse(h.URL)
				if err != nil {
					t.Fatal(err)
				}
				if u.Path == tc.path {
					return
				}
				got = append(got, u.Path)
			}
			t.Errorf("%s not in the first three: %v", tc.path, got)
		})
	}
}
