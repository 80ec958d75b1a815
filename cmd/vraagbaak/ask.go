package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/cbs"
	"github.com/vraagbaak/vraagbaak/internal/llm"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// chatService builds the answering service on the index: the configured embedder,
// the term statistics and, when configured and useModel, a language model.
func (a *app) chatService(ctx context.Context, store *retrieval.Store, useModel bool) (*answer.Service, retrieval.Embedder, error) {
	vecs, err := a.vectors(ctx, store)
	if err != nil {
		return nil, nil, err
	}
	if vecs.Embedder == nil {
		return nil, nil, errors.New("the index is empty: run `vraagbaak ingest` (or `make demo`) first")
	}
	// Loaded once here and kept by the store, which the service asks again after an
	// ingest.
	terms, err := store.CurrentTermStats(ctx)
	if err != nil {
		return nil, nil, err
	}
	var gen *answer.Generative
	if a.cfg.LLM != "" && useModel {
		m, err := llm.NewChatModel(llm.ChatConfig{
			Provider: a.cfg.LLM, URL: a.cfg.LLMURL, Model: a.cfg.LLMModel, APIKey: a.cfg.LLMKey, Timeout: a.cfg.LLMTimeout,
		})
		if err != nil {
			return nil, nil, err
		}
		gen = &answer.Generative{Generate: m.Generate, Name: m.Name}
	}
	svc, err := answer.NewService(store, vecs.Embedder, terms, gen, a.cfg.Rules, answer.Config{}, a.log)
	if err != nil {
		return nil, nil, err
	}
	return svc, vecs.Embedder, nil
}

// askOutput is the JSON `ask --json` prints: exactly one object.
type askOutput struct {
	Outcome       answer.Outcome       `json:"outcome"`
	Answer        string               `json:"answer"`
	Citations     []answer.Citation    `json:"citations"`
	Confidence    float64              `json:"confidence"`
	Readability   answer.Readability   `json:"readability"`
	HandoffReason string               `json:"handoff_reason"`
	RefusalReason answer.RefusalReason `json:"refusal_reason,omitempty"`
	// RefusalSource says what decided a guard refusal: "rules", or the guard
	// classifier with its reason and probability ("classifier fraud 0.91");
	// HandoffSource what decided a hand-off ("rules zelfdoding", "detector
	// suicide 0.87").
	RefusalSource string `json:"refusal_source,omitempty"`
	HandoffSource string `json:"handoff_source,omitempty"`
	// SafetyNote is the emergency class whose numbers were added to the answer
	// when the crisis detector was unsure ("suicide", "violence", "danger").
	SafetyNote      string         `json:"safety_note,omitempty"`
	SafetyNoteScore float64        `json:"safety_note_score,omitempty"`
	Answerer        string         `json:"answerer"`
	Timings         answer.Timings `json:"timings_ms"`
}

func cmdAsk(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "ask", `ask [--municipality GM0363] [--json] "vraag"`)
	municipality := fs.String("municipality", "", "CBS code of the municipality whose site the question is asked on (default: national pages only)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := fs.Parse(args); err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if question == "" {
		fs.Usage()
		return errors.New("ask: no question given")
	}
	if *municipality != "" && !cbs.Valid(*municipality) {
		return fmt.Errorf("ask: --municipality must be a CBS code such as GM0363, not %q", *municipality)
	}
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc, _, err := a.chatService(ctx, store, true)
	if err != nil {
		return err
	}
	ans, err := svc.Ask(ctx, question, *municipality, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		out := askOutput{Outcome: ans.Outcome, Answer: ans.Text, Citations: ans.Citations, Confidence: ans.Confidence,
			Readability: ans.Readability, HandoffReason: ans.HandoffReason, RefusalReason: ans.RefusalReason,
			RefusalSource: ans.RefusalSource, HandoffSource: ans.HandoffSource,
			SafetyNote: ans.SafetyNote, SafetyNoteScore: ans.SafetyNoteScore, Answerer: ans.Answerer, Timings: ans.Timings}
		if out.Citations == nil {
			out.Citations = []answer.Citation{}
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	fmt.Fprintln(a.stdout, ans.Text)
	if len(ans.Citations) > 0 {
		fmt.Fprintln(a.stdout)
		for _, c := range ans.Citations {
			fmt.Fprintf(a.stdout, "[%d] %s — %s (gecontroleerd op %s)\n", c.N, c.Title, c.URL, c.CheckedAt)
		}
	}
	fmt.Fprintf(a.stdout, "\n%s · confidence %.2f · Flesch-Douma %.0f · %s · %.0f ms\n", ans.Outcome, ans.Confidence, ans.Readability.FleschDouma, ans.Answerer, ans.Timings.Total)
	return nil
}
