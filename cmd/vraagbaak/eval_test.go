package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/eval"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// writeResult builds a result from rows and writes it to a new directory.
func writeResult(t *testing.T, rows []eval.QuestionResult) string {
	t.Helper()
	dir := t.TempDir()
	r := eval.Build("golden.jsonl", time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), eval.DefaultMinSupport, rows)
	if _, err := r.WriteJSON(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEvalCompareCommand(t *testing.T) {
	t.Parallel()
	answered := func(id string, rank int, found ...string) eval.QuestionResult {
		return eval.QuestionResult{
			ID: id, Question: "vraag " + id, Municipality: "GM9001", Topic: "afval",
			Expected: answer.Answered, ExpectedPages: []string{"bloemendijk:/afval"}, Outcome: answer.Answered,
			Ranks:     map[string][]int{"hybrid": {rank}},
			Citations: []eval.CitedPage{{URL: "http://x/afval", Support: 0.9, Expected: true, Supported: true}}, FirstCitationRight: true,
			Sentences: 1, GroundedSentences: 1, KeyFacts: []string{"dinsdag", "7.30"}, KeyFactsFound: found,
			FleschDouma: 70, SentenceWords: 10, B1: true, TotalMs: 20,
		}
	}
	refused := eval.QuestionResult{ID: "refusal-001", Question: "weer", Topic: "refusal", Expected: answer.Refused, Outcome: answer.Refused, TotalMs: 1}
	oldDir := writeResult(t, []eval.QuestionResult{answered("afval-001", 1, "dinsdag", "7.30"), answered("afval-002", 2, "dinsdag"), refused})
	// afval-001 drops to rank 4 and loses a key fact; the rest stays.
	newDir := writeResult(t, []eval.QuestionResult{answered("afval-001", 4, "dinsdag"), answered("afval-002", 2, "dinsdag"), refused})

	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantOut []string
	}{
		{name: "report", args: []string{oldDir, newDir},
			wantOut: []string{"Key-fact recall *", "0.750", "0.500", "-0.250", "worse", "Total p50", "1 of 3 questions in both runs got worse",
				`afval-001 [GM9001] "vraag afval-001": rank 1 → 4; key facts lost: "7.30"`}},
		{name: "files and flags after the paths", args: []string{filepath.Join(oldDir, "result.json"), newDir, "--fail-on-worse"},
			wantErr: "3 headline figure(s) dropped by more than 0.01: MRR -0.375, nDCG@10 -0.285, Key-fact recall -0.250"},
		{name: "flags between", args: []string{oldDir, "--fail-on-worse", "--tolerance", "0.3", newDir}, wantErr: "1 headline figure(s) dropped by more than 0.3: MRR -0.375"},
		{name: "within tolerance", args: []string{"--fail-on-worse", "--tolerance", "0.5", oldDir, newDir}, wantOut: []string{"MRR *"}},
		{name: "same run", args: []string{"--fail-on-worse", oldDir, oldDir}, wantOut: []string{"0 of 3 questions in both runs got worse"}},
		{name: "one path", args: []string{oldDir}, wantErr: "want two results"},
		{name: "missing result", args: []string{oldDir, filepath.Join(oldDir, "nothing")}, wantErr: "no result at"},
		{name: "negative tolerance", args: []string{"--tolerance", "-1", oldDir, newDir}, wantErr: "must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"eval", "compare"}, tc.args...), env(nil), &out, &errOut)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one with %q\n%s", err, tc.wantErr, out.String())
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v\n%s", err, errOut.String())
			}
			for _, want := range tc.wantOut {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	for _, args := range [][]string{{"eval"}, {"eval", "judge"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, env(nil), &out, &errOut); err == nil || !strings.Contains(err.Error(), "eval compare OLD NEW") {
			t.Errorf("%v: err = %v, want the usage", args, err)
		}
	}
}

// eval run through the command on the demo index, with a few questions of the
// development set, then compared with itself.
func TestEvalRunCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	vars := env(map[string]string{"DATABASE_URL": db.URL})
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--port", "0"}, vars, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}

	dev, err := os.Open("../../eval/testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	var lines []string
	for sc := bufio.NewScanner(dev); sc.Scan() && len(lines) < 4; {
		if l := sc.Text(); len(lines) < 3 || strings.Contains(l, `"refused"`) {
			lines = append(lines, l)
		}
	}
	dir := t.TempDir()
	golden := filepath.Join(dir, "few.jsonl")
	if err := os.WriteFile(golden, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "out")
	out.Reset()
	if err := run(context.Background(), []string{"eval", "run", "--golden", golden, "--out", outDir, "--warm", "1"}, vars, &out, &errOut); err != nil {
		t.Fatalf("eval run: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"hybrid", "Outcome accuracy *", "by municipality", "by topic", "refusal", "wrote " + filepath.Join(outDir, "report.html")} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval run output lacks %q:\n%s", want, out.String())
		}
	}
	res, err := eval.ReadResult(outDir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Metrics.N != 4 || len(res.Questions) != 4 || res.Metrics.RetrievalN != 3 || len(res.Metrics.Modes) != 3 {
		t.Errorf("result: n %d, %d questions, %d with pages, %d modes", res.Metrics.N, len(res.Questions), res.Metrics.RetrievalN, len(res.Metrics.Modes))
	}
	html, err := os.ReadFile(filepath.Join(outDir, "report.html"))
	if err != nil || !bytes.Contains(html, []byte("<svg")) {
		t.Errorf("report.html: %v, %d bytes", err, len(html))
	}

	out.Reset()
	if err := run(context.Background(), []string{"eval", "compare", "--fail-on-worse", outDir, outDir}, vars, &out, &errOut); err != nil {
		t.Fatalf("eval compare: %v", err)
	}
	if !strings.Contains(out.String(), "0 of 4 questions in both runs got worse") {
		t.Errorf("compare output:\n%s", out.String())
	}
}

func TestEvalRunJudgeFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		vars    map[string]string
		wantErr string
	}{
		{name: "no model configured", args: []string{"--judge"}, wantErr: "--judge needs a language model: set VRAAGBAAK_LLM"},
		{name: "judge model without judge", args: []string{"--judge-model", "qwen2.5:14b"},
			vars: map[string]string{"VRAAGBAAK_LLM": "ollama", "VRAAGBAAK_LLM_MODEL": "llama3.1"}, wantErr: "--judge-model needs --judge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"eval", "run", "--golden", "../../eval/testdata/dev.jsonl"}, tc.args...), env(tc.vars), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one with %q", err, tc.wantErr)
			}
		})
	}
}

// judgedResult writes a result whose answers a model judged.
func judgedResult(t *testing.T, judge eval.JudgeInfo, faithfulness, relevance eval.Figure) string {
	t.Helper()
	dir := t.TempDir()
	q := eval.QuestionResult{
		ID: "afval-001", Question: "vraag", Municipality: "GM9001", Topic: "afval", Expected: answer.Answered, Outcome: answer.Answered,
		Judgement: &eval.Judgement{Faithfulness: faithfulness, AnswerRelevance: relevance,
			Claims: []eval.ClaimVerdict{{Claim: "a", Supported: true}, {Claim: "b", Supported: faithfulness == 1}}},
	}
	r := eval.Build("golden.jsonl", time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), eval.DefaultMinSupport, []eval.QuestionResult{q})
	r.Judge = &judge
	if _, err := r.WriteJSON(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEvalCompareJudged(t *testing.T) {
	t.Parallel()
	byRating := eval.JudgeInfo{Model: "ollama:llama3.1", RelevanceMethod: eval.RelevanceRating}
	byEmbedding := eval.JudgeInfo{Model: "ollama:llama3.1", RelevanceMethod: eval.RelevanceEmbedding, Embedder: "ollama:bge-m3"}
	old := judgedResult(t, byRating, 1, 0.75)
	tests := []struct {
		name           string
		newDir         string
		want, dontWant []string
	}{
		{name: "same judge", newDir: judgedResult(t, byRating, 0.5, 1),
			want: []string{`Faithfulness +1\.000 +0\.500 +-0\.500 +worse`, `Answer relevance +0\.750 +1\.000 +\+0\.250 +better`}, dontWant: []string{"note:"}},
		{name: "another relevance method", newDir: judgedResult(t, byEmbedding, 0.5, 0.9),
			want: []string{`Faithfulness +1\.000 +0\.500 +-0\.500 +worse`, `Answer relevance +0\.750 +0\.900 +n/a`,
				"note: answer relevance was measured by rating in the old run and by embedding in the new one"}},
		{name: "another model", newDir: judgedResult(t, eval.JudgeInfo{Model: "ollama:qwen2.5:14b", RelevanceMethod: eval.RelevanceRating}, 1, 0.75),
			want: []string{"note: the answers were judged by ollama:llama3.1 in the old run and by ollama:qwen2\\.5:14b in the new one", `Faithfulness +1\.000 +1\.000 +\+0\.000`}},
		{name: "new run not judged", newDir: writeResult(t, []eval.QuestionResult{{ID: "afval-001", Expected: answer.Answered, Outcome: answer.Answered}}),
			want: []string{"note: only the old run has model-judged figures"}, dontWant: []string{"Faithfulness"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			// Model-judged figures are no headline figures: --fail-on-worse ignores them.
			if err := run(context.Background(), []string{"eval", "compare", "--fail-on-worse", old, tc.newDir}, env(nil), &out, &errOut); err != nil {
				t.Fatalf("err = %v\n%s", err, out.String())
			}
			for _, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(out.String()) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tc.dontWant {
				if strings.Contains(out.String(), w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
		})
	}
}

// eval run --judge --builtin on the demo index, with a scripted Ollama server: the
// built-in answerer writes the answers, never the model, and the model judges every
// answer the same way: 1 of 2 claims supported, relevance 4 of 5.
func TestEvalRunJudge(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	models := map[string]int{} // requests per model and kind
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/chat" {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Messages []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Messages) == 0 {
			t.Errorf("decode request: %v", err)
			http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
			return
		}
		system := req.Messages[0].Content
		var kind, reply string
		switch {
		case strings.Contains(system, "Je bent Vraagbaak"):
			kind, reply = "answer", "GEEN ANTWOORD"
		case strings.Contains(system, "Split the answer into claims"):
			kind, reply = "claims", "```json\n"+`{"claims": ["Eerste bewering.", "Tweede bewering."]}`+"\n```"
		case strings.Contains(system, "whether claims are supported"):
			kind, reply = "verdicts", `{"verdicts": [{"claim": 1, "reason": "staat er", "supported": true}, {"claim": 2, "reason": "staat er niet", "supported": false}]}`
		case strings.Contains(system, "Rate how relevant"):
			kind, reply = "rating", `{"reason": "goed", "rating": 4}`
		default:
			t.Errorf("unexpected system prompt %.60q", system)
		}
		mu.Lock()
		models[req.Model+" "+kind]++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-ndjson")
		for _, line := range []map[string]any{
			{"model": req.Model, "created_at": "2025-06-02T09:30:00Z", "message": map[string]any{"role": "assistant", "content": reply}, "done": false},
			{"model": req.Model, "created_at": "2025-06-02T09:30:01Z", "message": map[string]any{"role": "assistant", "content": ""}, "done": true, "done_reason": "stop"},
		} {
			b, _ := json.Marshal(line)
			fmt.Fprintf(w, "%s\n", b)
		}
	}))
	t.Cleanup(srv.Close)

	db := pgtest.New(t)
	vars := env(map[string]string{"DATABASE_URL": db.URL, "VRAAGBAAK_LLM": "ollama", "VRAAGBAAK_LLM_URL": srv.URL, "VRAAGBAAK_LLM_MODEL": "answerer"})
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"demo", "--port", "0"}, vars, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	outDir := filepath.Join(t.TempDir(), "out")
	golden := filepath.Join(t.TempDir(), "few.jsonl")
	dev, err := os.ReadFile("../../eval/testdata/dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(golden, []byte(strings.Join(strings.SplitN(string(dev), "\n", 4)[:3], "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"eval", "run", "--golden", golden, "--out", outDir, "--warm", "0", "--judge", "--judge-model", "judge", "--builtin"}, vars, &out, &errOut); err != nil {
		t.Fatalf("eval run: %v\n%s", err, errOut.String())
	}
	res, err := eval.ReadResult(outDir)
	if err != nil {
		t.Fatal(err)
	}
	answered := 0
	for _, q := range res.Questions {
		if q.Outcome == answer.Answered {
			answered++
			if q.Answerer != answer.ExtractiveName {
				t.Errorf("%s: answered by %q, want the built-in answerer", q.ID, q.Answerer)
			}
			if q.Judgement == nil || q.Judgement.Faithfulness != 0.5 || q.Judgement.AnswerRelevance != 0.75 || q.Judgement.Rating != 4 {
				t.Errorf("%s: judgement %+v, want faithfulness 0.5, relevance 0.75 (rating 4)", q.ID, q.Judgement)
			}
		} else if q.Judgement != nil {
			t.Errorf("%s (%s) was judged", q.ID, q.Outcome)
		}
	}
	jm := res.Metrics.Judged
	if answered == 0 || jm == nil || jm.Answers != answered || jm.FaithfulnessJudged != answered || jm.RelevanceJudged != answered ||
		jm.Faithfulness != 0.5 || jm.AnswerRelevance != 0.75 || jm.Claims != 2*answered || jm.SupportedClaims != answered {
		t.Errorf("%d answered; judged metrics %+v", answered, jm)
	}
	if res.Judge == nil || *res.Judge != (eval.JudgeInfo{Model: "ollama:judge", RelevanceMethod: eval.RelevanceRating}) {
		t.Errorf("judge = %+v, want ollama:judge by rating (the built-in embedder is no similarity model)", res.Judge)
	}
	for _, g := range append(res.ByMunicipality, res.ByTopic...) {
		if g.Metrics.Judged == nil {
			t.Errorf("group %s lacks the judged metrics", g.Name)
		}
	}
	mu.Lock()
	if models["judge claims"] != answered || models["judge verdicts"] != answered || models["judge rating"] != answered || models["answerer answer"] != 0 {
		t.Errorf("requests per model and kind: %v; want %d of each judge kind, by the judge model", models, answered)
	}
	mu.Unlock()
	for _, want := range []string{"model-judged by ollama:judge (answer relevance by rating)", "Faithfulness", "0.500", "Answer relevance", "0.750"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("eval run output lacks %q:\n%s", want, out.String())
		}
	}
	html, err := os.ReadFile(filepath.Join(outDir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section id="judged"`, "<code>ollama:judge</code>", "1 of 2 claims not supported"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
