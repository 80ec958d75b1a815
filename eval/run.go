package eval

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// DefaultMinSupport is answer.Config's default MinSupport: the support a cited passage
// must give a sentence for the citation check to keep it.
const DefaultMinSupport = 0.6

// Runner evaluates the real pipeline: the same Search and answer.Service the
// websocket service uses.
type Runner struct {
	Store   *retrieval.Store
	Embed   retrieval.Embedder
	Service *answer.Service
	Sites   Sites
	// Hosts maps the real sites an expected page's URL names to the local copies
	// that were crawled instead (see Hosts); nil when the URLs are the crawled ones.
	Hosts Hosts
	// MinSupport is the MinSupport the Service was configured with; 0 means
	// DefaultMinSupport. A citation or sentence is supported when its support
	// reaches it.
	MinSupport float64
	// Judge, if not nil, also judges every answered question with a language model
	// (see Judge): slower, and not deterministic.
	Judge *Judge
}

func (r Runner) minSupport() float64 { return cmp.Or(r.MinSupport, DefaultMinSupport) }

// Run evaluates every question: the ranks of its expected pages in each retrieval
// mode, then its answer. The first warm questions are asked once before measuring,
// so that timings are warm.
func (r Runner) Run(ctx context.Context, golden string, qs []Question, warm int) (Result, error) {
	ranks := make([]map[string][]int, len(qs))
	for i, q := range qs {
		if len(q.Expected) == 0 {
			continue
		}
		ranks[i] = map[string][]int{}
		for _, mode := range modes() {
			rk, err := r.ranks(ctx, q, mode)
			if err != nil {
				return Result{}, err
			}
			ranks[i][mode.String()] = rk
		}
	}
	_, rows, err := r.Answers(ctx, qs, warm)
	if err != nil {
		return Result{}, err
	}
	for i := range rows {
		rows[i].Ranks = ranks[i]
	}
	res := Build(golden, time.Now().UTC().Truncate(time.Second), r.minSupport(), rows)
	if r.Judge != nil {
		info := r.Judge.Info()
		res.Judge = &info
		res.markJudged()
	}
	return res, nil
}

// Retrieval ranks pages for every question with expected pages and scores the ranking.
func (r Runner) Retrieval(ctx context.Context, qs []Question, mode retrieval.Mode) (RetrievalMetrics, error) {
	var rows []QuestionResult
	for _, q := range qs {
		if len(q.Expected) == 0 {
			continue
		}
		rk, err := r.ranks(ctx, q, mode)
		if err != nil {
			return RetrievalMetrics{}, err
		}
		rows = append(rows, QuestionResult{ExpectedPages: pageNames(q.Expected), Ranks: map[string][]int{mode.String(): rk}})
	}
	return modeMetrics(rows, mode.String()), nil
}

// ranks searches as the metrics need it, ten pages with one chunk each, and returns
// the rank of each expected page (0: not in the ten).
func (r Runner) ranks(ctx context.Context, q Question, mode retrieval.Mode) ([]int, error) {
	hits, err := r.Store.Search(ctx, r.Embed, retrieval.Query{Text: q.Question, Municipality: q.Municipality, Mode: mode, Limit: 10, PerPage: 1})
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", q.ID, err)
	}
	ranks := make([]int, len(q.Expected))
	for j, e := range q.Expected {
		for i, h := range hits {
			if r.Hosts.Local(e).matches(h, r.Sites) {
				ranks[j] = i + 1
				break
			}
		}
	}
	return ranks, nil
}

// Answers asks every question through the service and scores the answers (the
// retrieval figures stay undefined: see Run), with the Judge when there is one. The
// first warm questions are asked once before measuring, so that timings are warm.
func (r Runner) Answers(ctx context.Context, qs []Question, warm int) (Metrics, []QuestionResult, error) {
	for _, q := range qs[:min(warm, len(qs))] {
		if _, err := r.Service.Ask(ctx, q.Question, q.Municipality, nil); err != nil {
			return Metrics{}, nil, fmt.Errorf("eval: %s: %w", q.ID, err)
		}
	}
	rows := make([]QuestionResult, 0, len(qs))
	for _, q := range qs {
		a, err := r.Service.Ask(ctx, q.Question, q.Municipality, nil)
		if err != nil {
			return Metrics{}, nil, fmt.Errorf("eval: %s: %w", q.ID, err)
		}
		res := r.score(q, a)
		if r.Judge != nil && a.Outcome == answer.Answered {
			j, err := r.Judge.Judge(ctx, q.Question, a)
			if err != nil {
				return Metrics{}, nil, fmt.Errorf("eval: %s: %w", q.ID, err)
			}
			res.Judgement = &j
		}
		rows = append(rows, res)
	}
	return Summarise(rows), rows, nil
}

// score judges one answer.
func (r Runner) score(q Question, a answer.Answer) QuestionResult {
	res := QuestionResult{
		ID: q.ID, Question: q.Question, Municipality: q.Municipality, Topic: q.Topic,
		Expected: q.ExpectedOutcome, ExpectedPages: pageNames(q.Expected), Outcome: a.Outcome,
		Answer: a.Text, Answerer: a.Answerer, RefusalReason: a.RefusalReason, Confidence: a.Confidence,
		KeyFacts: q.KeyFacts, RetrievalMs: a.Timings.Retrieval, AnsweringMs: a.Timings.Answering, TotalMs: a.Timings.Total,
	}
	if a.Outcome != answer.Answered {
		return res
	}
	minSupport := r.minSupport()
	for _, c := range a.Citations {
		res.Citations = append(res.Citations, CitedPage{
			URL: c.URL, Support: c.Support, Expected: r.expected(q, a, c.URL), Supported: c.Support >= minSupport,
		})
	}
	res.FirstCitationRight = len(res.Citations) > 0 && res.Citations[0].Expected
	res.Sentences = len(a.Sentences)
	for _, s := range a.Sentences {
		if s.Support >= minSupport {
			res.GroundedSentences++
		}
	}
	for _, f := range q.KeyFacts {
		if containsFact(a.Text, f) {
			res.KeyFactsFound = append(res.KeyFactsFound, f)
		}
	}
	rd := dutch.Score(answer.StripMarkers(a.Text))
	res.FleschDouma, res.SentenceWords, res.B1 = rd.FleschDouma, rd.AvgSentenceWords, rd.B1()
	return res
}

// expected reports whether the passage a citation URL points at is on an expected page.
func (r Runner) expected(q Question, a answer.Answer, citationURL string) bool {
	for _, h := range a.Passages {
		if h.CitationURL() != citationURL {
			continue
		}
		for _, e := range q.Expected {
			if r.Hosts.Local(e).matches(h, r.Sites) {
				return true
			}
		}
	}
	return false
}

func pageNames(es []Expected) []string {
	names := make([]string, len(es))
	for i, e := range es {
		names[i] = e.String()
	}
	return names
}

// containsFact compares with spaces and case ignored: "€ 88,15" is "€88,15".
func containsFact(text, fact string) bool {
	squash := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return strings.Contains(squash(text), squash(fact))
}
