package eval

import (
	"fmt"

	"github.com/vraagbaak/vraagbaak/answer"
)

// Direction says which way a metric improves.
type Direction int

const (
	HigherIsBetter Direction = iota
	LowerIsBetter
)

// Unit is what a figure measures, for formatting.
type Unit int

const (
	Share        Unit = iota // 0..1
	Score                    // Flesch-Douma points
	Words                    // words per sentence
	Milliseconds             // time
)

// MetricInfo describes one figure of Metrics: how it is named, which way is better,
// and over what it is computed.
type MetricInfo struct {
	Key      string // its key in result.json and thresholds.json
	Label    string
	Section  string
	Better   Direction
	Unit     Unit
	Headline bool // compare --fail-on-worse watches it
	Of       string
	Value    func(Metrics) Figure
	Base     func(Metrics) int // how many items the figure is over
}

// Format writes f for reports: shares with three decimals, times in ms.
func (i MetricInfo) Format(f Figure) string {
	if !f.Defined() {
		return "n/a"
	}
	switch i.Unit {
	case Share:
		return shareText(f)
	case Milliseconds:
		return fmt.Sprintf("%.1f ms", float64(f))
	default:
		return fmt.Sprintf("%.1f", float64(f))
	}
}

// Catalog lists every figure of Metrics in report order.
func Catalog() []MetricInfo {
	n := func(m Metrics) int { return m.N }
	ret := func(m Metrics) int { return m.RetrievalN }
	answerable := func(m Metrics) int { return m.Confusion.Expected(answer.Answered) }
	answered := func(m Metrics) int { return m.Answered }
	const (
		sRetrieval   = "Retrieval (hybrid)"
		sOutcomes    = "Outcomes"
		sCitations   = "Citations and content"
		sReadability = "Readability"
		sLatency     = "Latency (warm)"
	)
	return []MetricInfo{
		{Key: "recall_at_1", Label: "Recall@1", Section: sRetrieval, Of: "questions with expected pages", Value: func(m Metrics) Figure { return m.Recall1 }, Base: ret},
		{Key: "recall_at_5", Label: "Recall@5", Section: sRetrieval, Headline: true, Of: "questions with expected pages", Value: func(m Metrics) Figure { return m.Recall5 }, Base: ret},
		{Key: "recall_at_10", Label: "Recall@10", Section: sRetrieval, Of: "questions with expected pages", Value: func(m Metrics) Figure { return m.Recall10 }, Base: ret},
		{Key: "mrr", Label: "MRR", Section: sRetrieval, Headline: true, Of: "questions with expected pages", Value: func(m Metrics) Figure { return m.MRR }, Base: ret},
		{Key: "ndcg_at_10", Label: "nDCG@10", Section: sRetrieval, Headline: true, Of: "questions with expected pages", Value: func(m Metrics) Figure { return m.NDCG10 }, Base: ret},

		{Key: "outcome_accuracy", Label: "Outcome accuracy", Section: sOutcomes, Headline: true, Of: "questions", Value: func(m Metrics) Figure { return m.OutcomeAccuracy }, Base: n},
		{Key: "answered_rate", Label: "Answered (of answerable)", Section: sOutcomes, Of: "questions to answer", Value: func(m Metrics) Figure { return m.AnsweredRate }, Base: answerable},
		{Key: "refusal_precision", Label: "Refusal precision", Section: sOutcomes, Of: "refusals", Value: func(m Metrics) Figure { return m.RefusalPrecision }, Base: func(m Metrics) int { return m.Confusion.Got(answer.Refused) }},
		{Key: "refusal_recall", Label: "Refusal recall", Section: sOutcomes, Of: "questions to refuse", Value: func(m Metrics) Figure { return m.RefusalRecall }, Base: func(m Metrics) int { return m.Confusion.Expected(answer.Refused) }},
		{Key: "handoff_precision", Label: "Hand-off precision", Section: sOutcomes, Of: "hand-offs", Value: func(m Metrics) Figure { return m.HandoffPrecision }, Base: func(m Metrics) int { return m.Confusion.Got(answer.Handoff) }},
		{Key: "handoff_recall", Label: "Hand-off recall", Section: sOutcomes, Of: "questions to hand off", Value: func(m Metrics) Figure { return m.HandoffRecall }, Base: func(m Metrics) int { return m.Confusion.Expected(answer.Handoff) }},

		{Key: "citation_precision", Label: "Citation precision", Section: sCitations, Headline: true, Of: "citations", Value: func(m Metrics) Figure { return m.CitationPrecision }, Base: func(m Metrics) int { return m.Citations }},
		{Key: "cited_expected", Label: "Cited pages expected", Section: sCitations, Of: "citations of questions with expected pages", Value: func(m Metrics) Figure { return m.CitedExpected }, Base: func(m Metrics) int { return m.CitationsWithPages }},
		{Key: "first_citation_right", Label: "First citation right", Section: sCitations, Headline: true, Of: "questions with expected pages", Value: func(m Metrics) Figure { return m.FirstCitationRight }, Base: func(m Metrics) int { return m.WithPages }},
		{Key: "groundedness", Label: "Groundedness", Section: sCitations, Headline: true, Of: "answer sentences", Value: func(m Metrics) Figure { return m.Groundedness }, Base: func(m Metrics) int { return m.Sentences }},
		{Key: "key_fact_recall", Label: "Key-fact recall", Section: sCitations, Headline: true, Of: "key facts", Value: func(m Metrics) Figure { return m.KeyFactRecall }, Base: func(m Metrics) int { return m.KeyFacts }},

		{Key: "mean_flesch_douma", Label: "Mean Flesch-Douma", Section: sReadability, Unit: Score, Of: "answers", Value: func(m Metrics) Figure { return m.MeanFleschDouma }, Base: answered},
		{Key: "mean_sentence_words", Label: "Mean sentence length (words)", Section: sReadability, Unit: Words, Better: LowerIsBetter, Of: "answers", Value: func(m Metrics) Figure { return m.MeanSentenceWords }, Base: answered},
		{Key: "share_b1", Label: "Answers at B1", Section: sReadability, Headline: true, Of: "answers", Value: func(m Metrics) Figure { return m.ShareB1 }, Base: answered},

		{Key: "total_ms_p50", Label: "Total p50", Section: sLatency, Unit: Milliseconds, Better: LowerIsBetter, Of: "questions", Value: func(m Metrics) Figure { return m.TotalP50 }, Base: n},
		{Key: "total_ms_p95", Label: "Total p95", Section: sLatency, Unit: Milliseconds, Better: LowerIsBetter, Of: "questions", Value: func(m Metrics) Figure { return m.TotalP95 }, Base: n},
		{Key: "retrieval_ms_p50", Label: "Retrieval p50", Section: sLatency, Unit: Milliseconds, Better: LowerIsBetter, Of: "questions", Value: func(m Metrics) Figure { return m.RetrievalP50 }, Base: n},
		{Key: "retrieval_ms_p95", Label: "Retrieval p95", Section: sLatency, Unit: Milliseconds, Better: LowerIsBetter, Of: "questions", Value: func(m Metrics) Figure { return m.RetrievalP95 }, Base: n},
		{Key: "answering_ms_p50", Label: "Answering p50", Section: sLatency, Unit: Milliseconds, Better: LowerIsBetter, Of: "questions", Value: func(m Metrics) Figure { return m.AnsweringP50 }, Base: n},
		{Key: "answering_ms_p95", Label: "Answering p95", Section: sLatency, Unit: Milliseconds, Better: LowerIsBetter, Of: "questions", Value: func(m Metrics) Figure { return m.AnsweringP95 }, Base: n},
	}
}

// FormatChange writes a difference of two figures with its sign.
func (i MetricInfo) FormatChange(f Figure) string {
	if !f.Defined() {
		return "n/a"
	}
	switch i.Unit {
	case Share:
		return fmt.Sprintf("%+.3f", float64(f))
	case Milliseconds:
		return fmt.Sprintf("%+.1f ms", float64(f))
	default:
		return fmt.Sprintf("%+.1f", float64(f))
	}
}

// resolution is half the smallest change Format shows: smaller changes are none.
func (i MetricInfo) resolution() float64 {
	if i.Unit == Share {
		return 0.0005
	}
	return 0.05
}

// Lookup finds a metric of the Catalog by its key.
func Lookup(key string) (MetricInfo, bool) {
	for _, i := range Catalog() {
		if i.Key == key {
			return i, true
		}
	}
	return MetricInfo{}, false
}

// shareText writes a share with three decimals, "n/a" if undefined.
func shareText(f Figure) string {
	if !f.Defined() {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", float64(f))
}
