package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/vraagbaak/vraagbaak/eval"
	"github.com/vraagbaak/vraagbaak/internal/samplesite"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// sampleSites maps the bundled sites' names to their municipalities, for golden sets
// that name pages by site and path.
func sampleSites() eval.Sites {
	s := eval.Sites{}
	for _, site := range samplesite.Sites {
		s[site.Name] = site.Municipality
	}
	return s
}

func cmdEval(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 || args[0] != "run" {
		return errors.New(`eval: usage: vraagbaak eval run --golden FILE [--out DIR]`)
	}
	fs := newFlags(a, "eval run", "eval run --golden FILE [--out DIR]")
	golden := fs.String("golden", "eval/testdata/dev.jsonl", "golden question set (JSON Lines)")
	out := fs.String("out", "", "directory to write results.json to")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	qs, err := eval.LoadGolden(*golden)
	if err != nil {
		return err
	}
	pool, store, err := a.openStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	svc, emb, err := a.chatService(ctx, store)
	if err != nil {
		return err
	}
	r := eval.Runner{Store: store, Embed: emb, Service: svc, Sites: sampleSites()}
	report := struct {
		Golden    string                  `json:"golden"`
		Retrieval []eval.RetrievalMetrics `json:"retrieval"`
		Answers   eval.AnswerMetrics      `json:"answers"`
		Results   []eval.AnswerResult     `json:"results"`
	}{Golden: *golden}
	for _, mode := range []retrieval.Mode{retrieval.TextOnly, retrieval.VectorOnly, retrieval.Hybrid} {
		m, err := r.Retrieval(ctx, qs, mode)
		if err != nil {
			return err
		}
		report.Retrieval = append(report.Retrieval, m)
	}
	if report.Answers, report.Results, err = r.Answers(ctx, qs, 10); err != nil {
		return err
	}

	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "retrieval (%d questions with expected pages)\trecall@1\trecall@5\trecall@10\tMRR\tnDCG@10\n", report.Retrieval[0].N)
	for _, m := range report.Retrieval {
		fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", m.Mode, m.Recall1, m.Recall5, m.Recall10, m.MRR, m.NDCG10)
	}
	tw.Flush()
	m := report.Answers
	fmt.Fprintf(a.stdout, "\nanswers (%d questions)\n", m.N)
	fmt.Fprintf(a.stdout, "  outcome accuracy          %.3f\n", m.OutcomeAccuracy)
	fmt.Fprintf(a.stdout, "  answered (of answerable)  %.3f\n", m.AnsweredRate)
	fmt.Fprintf(a.stdout, "  first citation right      %.3f\n", m.FirstCitationRight)
	fmt.Fprintf(a.stdout, "  key-fact recall           %.3f\n", m.KeyFactRecall)
	fmt.Fprintf(a.stdout, "  refusal precision/recall  %.3f / %.3f\n", m.RefusalPrecision, m.RefusalRecall)
	fmt.Fprintf(a.stdout, "  readability               Flesch-Douma %.1f, %.1f words/sentence, %.0f%% at B1\n", m.MeanFleschDouma, m.MeanSentenceWords, 100*m.ShareB1)
	fmt.Fprintf(a.stdout, "  latency (warm)            retrieval p50 %.1f ms, p95 %.1f ms; answering p50 %.1f ms, p95 %.1f ms\n", m.RetrievalP50, m.RetrievalP95, m.AnsweringP50, m.AnsweringP95)
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		data, err := json.MarshalIndent(report, "", "  ")
		if err != nil {
			return err
		}
		path := filepath.Join(*out, "results.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "\nwrote %s\n", path)
	}
	return nil
}
