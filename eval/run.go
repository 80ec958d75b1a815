package eval

import (
	"context"
	"fmt"
	"strings"

	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Runner evaluates the real pipeline: the same Search and chat.Service the
// websocket service uses.
type Runner struct {
	Store   *retrieval.Store
	Embed   retrieval.Embedder
	Service *chat.Service
	Sites   Sites
}

// RetrievalMetrics are page-level ranking figures for one retrieval mode, over the
// questions that have expected pages.
type RetrievalMetrics struct {
	Mode     string  `json:"mode"`
	N        int     `json:"n"`
	Recall1  float64 `json:"recall_at_1"`
	Recall5  float64 `json:"recall_at_5"`
	Recall10 float64 `json:"recall_at_10"`
	MRR      float64 `json:"mrr"`
	NDCG10   float64 `json:"ndcg_at_10"`
}

// Retrieval ranks pages for every question with expected pages and scores the ranking.
func (r Runner) Retrieval(ctx context.Context, qs []Question, mode retrieval.Mode) (RetrievalMetrics, error) {
	m := RetrievalMetrics{Mode: mode.String()}
	var r1, r5, r10, rr, ndcg []float64
	for _, q := range qs {
		if len(q.Expected) == 0 {
			continue
		}
		// One chunk per page: the metrics rank pages.
		hits, err := r.Store.Search(ctx, r.Embed, retrieval.Query{Text: q.Question, Municipality: q.Municipality, Mode: mode, Limit: 10, PerPage: 1})
		if err != nil {
			return m, fmt.Errorf("eval: %s: %w", q.ID, err)
		}
		rel := relevance(q, hits, r.Sites)
		n := len(q.Expected)
		r1 = append(r1, RecallAt(rel, n, 1))
		r5 = append(r5, RecallAt(rel, n, 5))
		r10 = append(r10, RecallAt(rel, n, 10))
		rr = append(rr, ReciprocalRank(rel))
		ndcg = append(ndcg, NDCGAt(rel, n, 10))
	}
	m.N = len(r5)
	m.Recall1, m.Recall5, m.Recall10, m.MRR, m.NDCG10 = Mean(r1), Mean(r5), Mean(r10), Mean(rr), Mean(ndcg)
	return m, nil
}

// AnswerResult is what happened to one question.
type AnswerResult struct {
	ID                 string       `json:"id"`
	Question           string       `json:"question"`
	Municipality       string       `json:"municipality"`
	Topic              string       `json:"topic"`
	Expected           chat.Outcome `json:"expected_outcome"`
	Outcome            chat.Outcome `json:"outcome"`
	Answer             string       `json:"answer"`
	FirstCitationRight bool         `json:"first_citation_right"`
	KeyFacts           int          `json:"key_facts"`
	KeyFactsFound      int          `json:"key_facts_found"`
	Confidence         float64      `json:"confidence"`
	FleschDouma        float64      `json:"flesch_douma"`
	SentenceWords      float64      `json:"avg_sentence_words"`
	B1                 bool         `json:"b1"`
	RetrievalMs        float64      `json:"retrieval_ms"`
	AnsweringMs        float64      `json:"answering_ms"`
}

// AnswerMetrics summarise the answers to a golden set.
type AnswerMetrics struct {
	N                  int     `json:"n"`
	OutcomeAccuracy    float64 `json:"outcome_accuracy"`
	RefusalPrecision   float64 `json:"refusal_precision"`
	RefusalRecall      float64 `json:"refusal_recall"`
	AnsweredRate       float64 `json:"answered_rate"`        // of the questions that should be answered
	FirstCitationRight float64 `json:"first_citation_right"` // of the questions that should be answered
	KeyFactRecall      float64 `json:"key_fact_recall"`
	MeanFleschDouma    float64 `json:"mean_flesch_douma"`
	MeanSentenceWords  float64 `json:"mean_sentence_words"`
	ShareB1            float64 `json:"share_b1"`
	RetrievalP50       float64 `json:"retrieval_ms_p50"`
	RetrievalP95       float64 `json:"retrieval_ms_p95"`
	AnsweringP50       float64 `json:"answering_ms_p50"`
	AnsweringP95       float64 `json:"answering_ms_p95"`
}

// Answers asks every question through the service and scores the answers. The first
// warm questions are asked once before measuring, so that timings are warm.
func (r Runner) Answers(ctx context.Context, qs []Question, warm int) (AnswerMetrics, []AnswerResult, error) {
	for _, q := range qs[:min(warm, len(qs))] {
		if _, err := r.Service.Ask(ctx, q.Question, q.Municipality, nil); err != nil {
			return AnswerMetrics{}, nil, fmt.Errorf("eval: %s: %w", q.ID, err)
		}
	}
	var results []AnswerResult
	for _, q := range qs {
		a, err := r.Service.Ask(ctx, q.Question, q.Municipality, nil)
		if err != nil {
			return AnswerMetrics{}, nil, fmt.Errorf("eval: %s: %w", q.ID, err)
		}
		res := AnswerResult{
			ID: q.ID, Question: q.Question, Municipality: q.Municipality, Topic: q.Topic,
			Expected: q.ExpectedOutcome, Outcome: a.Outcome, Answer: a.Text, Confidence: a.Confidence,
			KeyFacts: len(q.KeyFacts), RetrievalMs: a.Timings.Retrieval, AnsweringMs: a.Timings.Answering,
		}
		if a.Outcome == chat.Answered {
			res.FirstCitationRight = r.firstCitationRight(q, a)
			for _, f := range q.KeyFacts {
				if containsFact(a.Text, f) {
					res.KeyFactsFound++
				}
			}
			rd := dutch.Score(chat.StripMarkers(a.Text))
			res.FleschDouma, res.SentenceWords, res.B1 = rd.FleschDouma, rd.AvgSentenceWords, rd.B1()
		}
		results = append(results, res)
	}
	return summarise(results), results, nil
}

func (r Runner) firstCitationRight(q Question, a chat.Answer) bool {
	if len(a.Citations) == 0 {
		return false
	}
	for _, h := range a.Passages {
		if h.CitationURL() != a.Citations[0].URL {
			continue
		}
		for _, e := range q.Expected {
			if e.matches(h, r.Sites) {
				return true
			}
		}
	}
	return false
}

// containsFact compares with spaces and case ignored: "€ 88,15" is "€88,15".
func containsFact(text, fact string) bool {
	squash := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), "")) }
	return strings.Contains(squash(text), squash(fact))
}

func summarise(rs []AnswerResult) AnswerMetrics {
	m := AnswerMetrics{N: len(rs)}
	var correct, refusedRight, refusedAll, shouldRefuse, shouldAnswer, answered, firstRight, facts, found, b1 int
	var fd, words, ret, ans []float64
	for _, r := range rs {
		if r.Outcome == r.Expected {
			correct++
		}
		if r.Outcome == chat.Refused {
			refusedAll++
			if r.Expected == chat.Refused {
				refusedRight++
			}
		}
		switch r.Expected {
		case chat.Refused:
			shouldRefuse++
		case chat.Answered:
			shouldAnswer++
			facts += r.KeyFacts
			found += r.KeyFactsFound
			if r.Outcome == chat.Answered {
				answered++
			}
			if r.FirstCitationRight {
				firstRight++
			}
		}
		if r.Outcome == chat.Answered {
			fd = append(fd, r.FleschDouma)
			words = append(words, r.SentenceWords)
			if r.B1 {
				b1++
			}
		}
		ret = append(ret, r.RetrievalMs)
		ans = append(ans, r.AnsweringMs)
	}
	m.OutcomeAccuracy = ratio(correct, len(rs))
	m.RefusalPrecision = ratio(refusedRight, refusedAll)
	m.RefusalRecall = ratio(refusedRight, shouldRefuse)
	m.AnsweredRate = ratio(answered, shouldAnswer)
	m.FirstCitationRight = ratio(firstRight, shouldAnswer)
	m.KeyFactRecall = ratio(found, facts)
	m.MeanFleschDouma, m.MeanSentenceWords = Mean(fd), Mean(words)
	m.ShareB1 = ratio(b1, len(fd))
	m.RetrievalP50, m.RetrievalP95 = Percentile(ret, 50), Percentile(ret, 95)
	m.AnsweringP50, m.AnsweringP95 = Percentile(ans, 50), Percentile(ans, 95)
	return m
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
