package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vraagbaak/vraagbaak/eval"
	"github.com/vraagbaak/vraagbaak/internal/llm"
	"github.com/vraagbaak/vraagbaak/internal/samplesite"
)

const evalUsage = `eval: usage: vraagbaak eval run --golden FILE [--out DIR] [--warm N] [--hosts REAL=LOCAL,…] [--judge [--judge-model NAME]] [--builtin]
       vraagbaak eval compare OLD NEW [--fail-on-worse] [--tolerance 0.01]
       vraagbaak eval sample --by EMAIL [--since 7d] [--n 100] [--municipality GM0363] [--name NAME]
       vraagbaak eval round-report --round ID --by EMAIL`

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
	if len(args) > 0 {
		switch args[0] {
		case "run":
			return evalRun(ctx, a, args[1:])
		case "compare":
			return evalCompare(a, args[1:])
		case "sample":
			return a.evalSample(ctx, args[1:])
		case "round-report":
			return a.evalRoundReport(ctx, args[1:])
		}
	}
	return errors.New(evalUsage)
}

func evalRun(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "eval run", "eval run --golden FILE [--out DIR] [--warm N] [--hosts REAL=LOCAL,…] [--judge [--judge-model NAME]] [--builtin]")
	golden := fs.String("golden", "eval/testdata/dev.jsonl", "golden question set (JSON Lines)")
	out := fs.String("out", "", "directory to write result.json and report.html to")
	warm := fs.Int("warm", 10, "questions asked once before measuring, so that timings are warm")
	judge := fs.Bool("judge", false, "also have the language model of VRAAGBAAK_LLM judge every answer: faithfulness and answer relevance (slower, not deterministic)")
	judgeModel := fs.String("judge-model", "", "with --judge: the model that judges, on the server of VRAAGBAAK_LLM (default VRAAGBAAK_LLM_MODEL, the model that may also write the answers)")
	hostMap := fs.String("hosts", "", "REAL=LOCAL,…: expected pages named by URL on a real site (https://www.rijksoverheid.nl) are matched on its local copy (http://127.0.0.1:8093), as vraagbaak realsite prints")
	builtin := fs.Bool("builtin", false, "answer with the built-in extractive answerer even when VRAAGBAAK_LLM is set (to have the model judge the built-in answers)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("eval run: unexpected argument %q", fs.Arg(0))
	}
	if *judgeModel != "" && !*judge {
		return errors.New("eval run: --judge-model needs --judge")
	}
	if *judge && a.cfg.LLM == "" {
		return errors.New("eval run: --judge needs a language model: set VRAAGBAAK_LLM (ollama or openai), VRAAGBAAK_LLM_MODEL and, if needed, VRAAGBAAK_LLM_URL")
	}
	hosts, err := eval.ParseHosts(*hostMap)
	if err != nil {
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
	svc, emb, err := a.chatService(ctx, store, !*builtin)
	if err != nil {
		return err
	}
	r := eval.Runner{Store: store, Embed: emb, Service: svc, Sites: sampleSites(), Hosts: hosts}
	if *judge {
		if r.Judge, err = a.judge(*judgeModel); err != nil {
			return err
		}
		info := r.Judge.Info()
		a.log.Info("eval run: a language model judges the answers", "model", info.Model, "relevance", info.RelevanceMethod)
	}
	res, err := r.Run(ctx, *golden, qs, *warm)
	if err != nil {
		return err
	}
	if err := printResult(a.stdout, res); err != nil {
		return err
	}
	if *out == "" {
		return nil
	}
	jsonPath, err := res.WriteJSON(*out)
	if err != nil {
		return err
	}
	htmlPath, err := res.WriteReportFile(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "\nwrote %s\nwrote %s\n", jsonPath, htmlPath)
	return nil
}

// judge builds the answer judge on the configured language model, or on model on the
// same server. Answer relevance is measured with the embedding service when one is
// configured; the built-in embedder is a retrieval model fit on the index, not one
// for the similarity of two questions, so with it the model rates relevance instead.
func (a *app) judge(model string) (*eval.Judge, error) {
	m, err := llm.NewChatModel(llm.ChatConfig{
		Provider: a.cfg.LLM, URL: a.cfg.LLMURL, Model: cmp.Or(model, a.cfg.LLMModel), APIKey: a.cfg.LLMKey,
		Timeout: a.cfg.LLMTimeout, MaxTokens: 1024, // the claims and verdicts of a long answer
	})
	if err != nil {
		return nil, fmt.Errorf("eval run: judge: %w", err)
	}
	j := &eval.Judge{Generate: m.Generate, Model: m.Name}
	if a.cfg.Embedder != embedderBuiltin {
		e, err := a.service()
		if err != nil {
			return nil, fmt.Errorf("eval run: judge: %w", err)
		}
		j.Embed, j.EmbedName = e, e.Name
	}
	return j, nil
}

// printResult writes the figures of a run as tables: retrieval per mode, every
// figure, and the headline figures per municipality and per topic.
func printResult(w io.Writer, res eval.Result) error {
	m := res.Metrics
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "retrieval (%d questions with expected pages)\trecall@1\trecall@5\trecall@10\tMRR\tnDCG@10\n", m.RetrievalN)
	for _, rm := range m.Modes {
		fmt.Fprintf(tw, "  %s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", rm.Mode, rm.Recall1, rm.Recall5, rm.Recall10, rm.MRR, rm.NDCG10)
	}
	fmt.Fprintf(tw, "\nall %d questions\tvalue\tn\tover\n", m.N)
	section := ""
	for _, info := range eval.Catalog() {
		if info.Section != section {
			section = info.Section
			fmt.Fprintf(tw, "%s\t\t\t\n", strings.ToLower(section))
		}
		fmt.Fprintf(tw, "  %s%s\t%s\t%d\t%s\n", info.Label, headlineMark(info), info.Format(info.Value(m)), info.Base(m), info.Of)
	}
	if m.Judged != nil {
		section := "model-judged"
		if res.Judge != nil {
			section = fmt.Sprintf("model-judged by %s (answer relevance by %s)", judgeName(*res.Judge), res.Judge.RelevanceMethod)
		}
		fmt.Fprintf(tw, "%s\t\t\t\n", section)
		for _, info := range eval.JudgedCatalog() {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s, %d not judged\n", info.Label, info.Format(info.Value(m)), info.Base(m), info.Of, eval.NotJudged(info.Key, m))
		}
	}
	fmt.Fprintln(tw, "(* headline figure)\t\t\t")
	for _, split := range []struct {
		name   string
		groups []eval.Group
	}{{"municipality", res.ByMunicipality}, {"topic", res.ByTopic}} {
		fmt.Fprintf(tw, "\nby %s\tn", split.name)
		var heads []eval.MetricInfo
		for _, info := range eval.Catalog() {
			if info.Headline {
				heads = append(heads, info)
			}
		}
		if m.Judged != nil {
			heads = append(heads, eval.JudgedCatalog()...)
		}
		for _, info := range heads {
			fmt.Fprintf(tw, "\t%s", info.Label)
		}
		fmt.Fprintln(tw)
		for _, g := range split.groups {
			fmt.Fprintf(tw, "  %s\t%d", g.Name, g.Metrics.N)
			for _, info := range heads {
				fmt.Fprintf(tw, "\t%s", info.Format(info.Value(g.Metrics)))
			}
			fmt.Fprintln(tw)
		}
	}
	return tw.Flush()
}

func headlineMark(info eval.MetricInfo) string {
	if info.Headline {
		return " *"
	}
	return ""
}

func evalCompare(a *app, args []string) error {
	fs := newFlags(a, "eval compare", "eval compare OLD NEW [--fail-on-worse] [--tolerance 0.01]\n\nOLD and NEW are result.json files, or directories holding one")
	failOnWorse := fs.Bool("fail-on-worse", false, "exit non-zero when a headline figure dropped by more than --tolerance")
	tolerance := fs.Float64("tolerance", 0.01, "how far a headline figure (a share, 0 to 1) may drop before --fail-on-worse fails")
	// Flags may come before, between or after the two paths.
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		paths, args = append(paths, fs.Arg(0)), fs.Args()[1:]
	}
	if len(paths) != 2 {
		fs.Usage()
		return fmt.Errorf("eval compare: want two results, OLD and NEW; got %d", len(paths))
	}
	if *tolerance < 0 {
		return fmt.Errorf("eval compare: --tolerance must not be negative, not %v", *tolerance)
	}
	old, err := eval.ReadResult(paths[0])
	if err != nil {
		return err
	}
	cur, err := eval.ReadResult(paths[1])
	if err != nil {
		return err
	}
	c := eval.Compare(old, cur)
	if err := printComparison(a.stdout, paths, old, cur, c); err != nil {
		return err
	}
	drops := c.HeadlineDrops(*tolerance)
	if *failOnWorse && len(drops) > 0 {
		var names []string
		for _, d := range drops {
			names = append(names, fmt.Sprintf("%s %s", d.Metric.Label, d.Metric.FormatChange(d.Change)))
		}
		return fmt.Errorf("eval compare: %d headline figure(s) dropped by more than %v: %s", len(drops), *tolerance, strings.Join(names, ", "))
	}
	return nil
}

func printComparison(w io.Writer, paths []string, old, cur eval.Result, c eval.Comparison) error {
	fmt.Fprintf(w, "old: %s (%s, %d questions, %s)\n", paths[0], old.Golden, old.Metrics.N, old.Created.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "new: %s (%s, %d questions, %s)\n", paths[1], cur.Golden, cur.Metrics.N, cur.Created.Format("2006-01-02 15:04 MST"))
	if old.Golden != cur.Golden {
		fmt.Fprintln(w, "note: the two runs used different golden sets")
	}
	if note := judgeNote(old, cur); note != "" {
		fmt.Fprintln(w, "note: "+note)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\told\tnew\tchange\t")
	for _, d := range c.Deltas {
		verdict := string(d.Verdict)
		if d.Verdict == eval.Unchanged || d.Verdict == eval.Undefined {
			verdict = ""
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\n", d.Metric.Label, headlineMark(d.Metric), d.Metric.Format(d.Old), d.Metric.Format(d.New), d.Metric.FormatChange(d.Change), verdict)
	}
	fmt.Fprintln(tw, "(* headline figure)\t\t\t\t")
	if err := tw.Flush(); err != nil {
		return err
	}
	both := len(c.Worse) + c.Unchanged
	fmt.Fprintf(w, "\n%d of %d questions in both runs got worse\n", len(c.Worse), both)
	byID := map[string]eval.QuestionResult{}
	for _, q := range cur.Questions {
		byID[q.ID] = q
	}
	for _, r := range c.Worse {
		q := byID[r.ID]
		fmt.Fprintf(w, "  %s [%s] %q: %s\n", r.ID, q.MunicipalityGroup(), r.Question, strings.Join(r.Reasons, "; "))
	}
	if len(c.OnlyOld) > 0 {
		fmt.Fprintf(w, "%d only in old: %s\n", len(c.OnlyOld), someIDs(c.OnlyOld))
	}
	if len(c.OnlyNew) > 0 {
		fmt.Fprintf(w, "%d only in new: %s\n", len(c.OnlyNew), someIDs(c.OnlyNew))
	}
	return nil
}

// judgeNote says how the model-judged figures of two runs differ, "" if they are alike.
func judgeNote(old, cur eval.Result) string {
	oj, nj := old.Metrics.Judged != nil, cur.Metrics.Judged != nil
	switch {
	case oj && !nj:
		return "only the old run has model-judged figures (eval run --judge); they are not compared"
	case !oj && nj:
		return "only the new run has model-judged figures (eval run --judge); they are not compared"
	case !oj || old.Judge == nil || cur.Judge == nil:
		return ""
	case old.Judge.RelevanceMethod != cur.Judge.RelevanceMethod:
		return fmt.Sprintf("answer relevance was measured by %s in the old run and by %s in the new one; it is not compared", old.Judge.RelevanceMethod, cur.Judge.RelevanceMethod)
	case old.Judge.Model != cur.Judge.Model || old.Judge.Embedder != cur.Judge.Embedder:
		return fmt.Sprintf("the answers were judged by %s in the old run and by %s in the new one", judgeName(*old.Judge), judgeName(*cur.Judge))
	}
	return ""
}

func judgeName(j eval.JudgeInfo) string {
	if j.Embedder != "" {
		return j.Model + " with " + j.Embedder
	}
	return j.Model
}

// someIDs lists the first ten IDs.
func someIDs(ids []string) string {
	if len(ids) <= 10 {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:10], ", ") + ", …"
}
