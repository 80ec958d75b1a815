package eval

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// ResultFile is the name of the result file in an output directory.
const ResultFile = "result.json"

// Result is one evaluation run: the figures over all questions, the same figures per
// municipality and per topic, and one row per question. It is what result.json holds
// (see eval/testdata/README.md).
type Result struct {
	Golden     string    `json:"golden"`
	Created    time.Time `json:"created"`
	MinSupport float64   `json:"min_support"` // support a cited passage must give a sentence
	// Judge is the language model that judged the answers (eval run --judge); nil,
	// and absent from the JSON, when none did.
	Judge          *JudgeInfo       `json:"judge,omitempty"`
	Metrics        Metrics          `json:"metrics"`
	ByMunicipality []Group          `json:"by_municipality"`
	ByTopic        []Group          `json:"by_topic"`
	Questions      []QuestionResult `json:"questions"`
}

// Group is the figures of the questions of one municipality or topic.
type Group struct {
	Name    string  `json:"name"`
	Metrics Metrics `json:"metrics"`
}

// National is the municipality group of questions asked on no municipal site.
const National = "national"

// QuestionResult is what happened to one question.
type QuestionResult struct {
	ID            string         `json:"id"`
	Question      string         `json:"question"`
	Municipality  string         `json:"municipality"` // CBS code, "" for national
	Topic         string         `json:"topic"`
	Expected      answer.Outcome `json:"expected_outcome"`
	ExpectedPages []string       `json:"expected_pages"` // URL or "site:/path", best first
	Outcome       answer.Outcome `json:"outcome"`
	// Ranks holds, per retrieval mode ("hybrid", "text", "vector"), the rank (1–10)
	// of each expected page in ExpectedPages order; 0 is not in the first ten.
	Ranks              map[string][]int     `json:"ranks,omitempty"`
	Answer             string               `json:"answer"`
	Answerer           string               `json:"answerer"`
	RefusalReason      answer.RefusalReason `json:"refusal_reason,omitempty"`
	Confidence         float64              `json:"confidence"`
	Citations          []CitedPage          `json:"citations"`
	FirstCitationRight bool                 `json:"first_citation_right"`
	Sentences          int                  `json:"sentences"`
	GroundedSentences  int                  `json:"grounded_sentences"` // sentences whose cited passage supports them
	KeyFacts           []string             `json:"key_facts"`
	KeyFactsFound      []string             `json:"key_facts_found"`
	FleschDouma        float64              `json:"flesch_douma"`
	SentenceWords      float64              `json:"avg_sentence_words"`
	B1                 bool                 `json:"b1"`
	RetrievalMs        float64              `json:"retrieval_ms"`
	AnsweringMs        float64              `json:"answering_ms"`
	TotalMs            float64              `json:"total_ms"`
	// Judgement is the model's judgement of an answered question, nil when the run
	// had no judge.
	Judgement *Judgement `json:"judgement,omitempty"`
}

// CitedPage is one citation of an answer, judged.
type CitedPage struct {
	URL       string  `json:"url"`
	Support   float64 `json:"support"`   // lowest support of the sentences citing it
	Expected  bool    `json:"expected"`  // the page is one of the expected pages
	Supported bool    `json:"supported"` // Support reaches the minimum support
}

// Correct is the citation-precision judgement: an expected page, or a passage that
// supports what cites it.
func (c CitedPage) Correct() bool { return c.Expected || c.Supported }

// MunicipalityGroup is the name of the question's municipality group.
func (q QuestionResult) MunicipalityGroup() string {
	return cmp.Or(q.Municipality, National)
}

// BestRank is the rank of the best-ranked expected page in mode, 0 for none in the
// first ten (or no expected pages).
func (q QuestionResult) BestRank(mode string) int {
	best := 0
	for _, r := range q.Ranks[mode] {
		if r > 0 && (best == 0 || r < best) {
			best = r
		}
	}
	return best
}

// Right reports whether the outcome is the expected one.
func (q QuestionResult) Right() bool { return q.Outcome == q.Expected }

// Problems lists what went wrong with the question, in English, for reports: a wrong
// outcome, an expected page not retrieved, a wrong first citation, unsupported
// citations, missing key facts. None means the question passed.
func (q QuestionResult) Problems() []string {
	var p []string
	if !q.Right() {
		p = append(p, fmt.Sprintf("%s, expected %s", q.Outcome, q.Expected))
	}
	if len(q.ExpectedPages) > 0 && q.Ranks != nil && q.BestRank(retrieval.Hybrid.String()) == 0 {
		p = append(p, "no expected page in the top 10")
	}
	if q.Outcome != answer.Answered {
		return p
	}
	if len(q.ExpectedPages) > 0 && !q.FirstCitationRight {
		p = append(p, "first citation is not an expected page")
	}
	for _, c := range q.Citations {
		if !c.Correct() {
			p = append(p, fmt.Sprintf("citation neither expected nor supported (support %.2f): %s", c.Support, c.URL))
		}
	}
	if q.GroundedSentences < q.Sentences {
		p = append(p, fmt.Sprintf("%d of %d sentences not supported by their passage", q.Sentences-q.GroundedSentences, q.Sentences))
	}
	if missing := q.missingFacts(); len(missing) > 0 {
		p = append(p, "key facts missing: "+quoteList(missing))
	}
	if j := q.Judgement; j != nil && j.Faithfulness.Defined() {
		if u := j.Unsupported(); len(u) > 0 {
			p = append(p, fmt.Sprintf("model-judged: %d of %d claims not supported by the cited passages: %s", len(u), len(j.Claims), quoteList(u)))
		}
	}
	return p
}

func (q QuestionResult) missingFacts() []string {
	var m []string
	for _, f := range q.KeyFacts {
		if !slices.Contains(q.KeyFactsFound, f) {
			m = append(m, f)
		}
	}
	return m
}

func quoteList(xs []string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(x)
	}
	return s
}

// Figure is one metric value. NaN means "not defined": a share of nothing, such as
// refusal precision when nothing was refused. It is null in JSON and "n/a" in
// reports, and never counts as better or worse.
type Figure float64

// NA is the undefined figure.
func NA() Figure { return Figure(math.NaN()) }

// Defined reports whether f has a value.
func (f Figure) Defined() bool { return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) }

// MarshalJSON writes null for an undefined figure.
func (f Figure) MarshalJSON() ([]byte, error) {
	if !f.Defined() {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(f), 'f', -1, 64), nil
}

// UnmarshalJSON reads null as undefined.
func (f *Figure) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = NA()
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Figure(x)
	return nil
}

// RetrievalMetrics are page-level ranking figures for one retrieval mode, over the
// questions that have expected pages.
type RetrievalMetrics struct {
	Mode     string `json:"mode"`
	N        int    `json:"n"`
	Recall1  Figure `json:"recall_at_1"`
	Recall5  Figure `json:"recall_at_5"`
	Recall10 Figure `json:"recall_at_10"`
	MRR      Figure `json:"mrr"`
	NDCG10   Figure `json:"ndcg_at_10"`
}

// Confusion counts outcomes: Counts[expected][got], both in Labels order.
type Confusion struct {
	Labels [3]answer.Outcome `json:"labels"`
	Counts [3][3]int         `json:"counts"`
}

func newConfusion() Confusion {
	return Confusion{Labels: [3]answer.Outcome{answer.Answered, answer.Refused, answer.Handoff}}
}

func (c Confusion) index(o answer.Outcome) int { return slices.Index(c.Labels[:], o) }

// Expected is how many questions expected outcome o.
func (c Confusion) Expected(o answer.Outcome) int {
	i, n := c.index(o), 0
	for j := range c.Labels {
		n += c.Counts[i][j]
	}
	return n
}

// Got is how many questions got outcome o.
func (c Confusion) Got(o answer.Outcome) int {
	j, n := c.index(o), 0
	for i := range c.Labels {
		n += c.Counts[i][j]
	}
	return n
}

// Cell is how many questions expected e and got g.
func (c Confusion) Cell(e, g answer.Outcome) int { return c.Counts[c.index(e)][c.index(g)] }

// Metrics are all figures of a set of questions. Retrieval figures are for the hybrid
// mode the service uses (Modes has every mode); readability is over the answered
// questions; latencies are of answer.Service.Ask, warm.
type Metrics struct {
	N int `json:"n"`

	RetrievalN int                `json:"retrieval_n"` // questions with expected pages
	Recall1    Figure             `json:"recall_at_1"`
	Recall5    Figure             `json:"recall_at_5"`
	Recall10   Figure             `json:"recall_at_10"`
	MRR        Figure             `json:"mrr"`
	NDCG10     Figure             `json:"ndcg_at_10"`
	Modes      []RetrievalMetrics `json:"retrieval_modes"`

	OutcomeAccuracy  Figure    `json:"outcome_accuracy"`
	Confusion        Confusion `json:"confusion"`
	AnsweredRate     Figure    `json:"answered_rate"` // of the questions that should be answered
	RefusalPrecision Figure    `json:"refusal_precision"`
	RefusalRecall    Figure    `json:"refusal_recall"`
	HandoffPrecision Figure    `json:"handoff_precision"`
	HandoffRecall    Figure    `json:"handoff_recall"`

	Citations          int    `json:"citations"`            // citations of answered questions
	CitationPrecision  Figure `json:"citation_precision"`   // of Citations: expected or supported
	CitationsWithPages int    `json:"citations_with_pages"` // citations of questions with expected pages
	CitedExpected      Figure `json:"cited_expected"`       // of CitationsWithPages: on an expected page
	WithPages          int    `json:"with_pages"`           // questions with expected pages
	FirstCitationRight Figure `json:"first_citation_right"` // of WithPages
	Sentences          int    `json:"sentences"`            // sentences of answered questions
	Groundedness       Figure `json:"groundedness"`         // of Sentences: supported by the cited passage
	KeyFacts           int    `json:"key_facts"`            // key facts of the questions that should be answered
	KeyFactRecall      Figure `json:"key_fact_recall"`

	Answered          int    `json:"answered"`
	MeanFleschDouma   Figure `json:"mean_flesch_douma"`
	MeanSentenceWords Figure `json:"mean_sentence_words"`
	ShareB1           Figure `json:"share_b1"`

	TotalP50     Figure `json:"total_ms_p50"`
	TotalP95     Figure `json:"total_ms_p95"`
	RetrievalP50 Figure `json:"retrieval_ms_p50"`
	RetrievalP95 Figure `json:"retrieval_ms_p95"`
	AnsweringP50 Figure `json:"answering_ms_p50"`
	AnsweringP95 Figure `json:"answering_ms_p95"`

	// Judged are the model-judged figures; nil, and absent from the JSON, when the
	// run had no judge.
	Judged *JudgedMetrics `json:"judged,omitempty"`
}

// modes in the order results show them: the service's mode first.
func modes() []retrieval.Mode {
	return []retrieval.Mode{retrieval.Hybrid, retrieval.TextOnly, retrieval.VectorOnly}
}

// Summarise computes the figures of a set of question results, the model-judged ones
// too when any question was judged.
func Summarise(rs []QuestionResult) Metrics {
	return summarise(rs, anyJudged(rs))
}

func anyJudged(rs []QuestionResult) bool {
	return slices.ContainsFunc(rs, func(q QuestionResult) bool { return q.Judgement != nil })
}

// summarise computes the figures; judged adds the model-judged ones, so that every
// group of a judged run has them, undefined where it has no answers.
func summarise(rs []QuestionResult, judged bool) Metrics {
	m := Metrics{N: len(rs), Confusion: newConfusion()}
	if judged {
		m.Judged = summariseJudged(rs)
	}
	for _, mode := range modes() {
		if rm := modeMetrics(rs, mode.String()); rm.N > 0 {
			m.Modes = append(m.Modes, rm)
		}
	}
	h := modeMetrics(rs, retrieval.Hybrid.String())
	m.RetrievalN, m.Recall1, m.Recall5, m.Recall10, m.MRR, m.NDCG10 = h.N, h.Recall1, h.Recall5, h.Recall10, h.MRR, h.NDCG10

	var citedRight, citedWithPages, citedExpected, withPages, firstRight, grounded, found, b1 int
	var fd, words, total, ret, ans []float64
	for _, r := range rs {
		if e, g := m.Confusion.index(r.Expected), m.Confusion.index(r.Outcome); e >= 0 && g >= 0 {
			m.Confusion.Counts[e][g]++
		}
		if r.Expected == answer.Answered {
			m.KeyFacts += len(r.KeyFacts)
			found += len(r.KeyFactsFound)
		}
		if len(r.ExpectedPages) > 0 {
			withPages++
			if r.FirstCitationRight {
				firstRight++
			}
		}
		if r.Outcome == answer.Answered {
			m.Answered++
			for _, c := range r.Citations {
				m.Citations++
				if c.Correct() {
					citedRight++
				}
				if len(r.ExpectedPages) > 0 {
					citedWithPages++
					if c.Expected {
						citedExpected++
					}
				}
			}
			m.Sentences += r.Sentences
			grounded += r.GroundedSentences
			fd = append(fd, r.FleschDouma)
			words = append(words, r.SentenceWords)
			if r.B1 {
				b1++
			}
		}
		total = append(total, r.TotalMs)
		ret = append(ret, r.RetrievalMs)
		ans = append(ans, r.AnsweringMs)
	}
	c := m.Confusion
	right := 0
	for i := range c.Labels {
		right += c.Counts[i][i]
	}
	m.OutcomeAccuracy = share(right, m.N)
	m.AnsweredRate = share(c.Cell(answer.Answered, answer.Answered), c.Expected(answer.Answered))
	m.RefusalPrecision = share(c.Cell(answer.Refused, answer.Refused), c.Got(answer.Refused))
	m.RefusalRecall = share(c.Cell(answer.Refused, answer.Refused), c.Expected(answer.Refused))
	m.HandoffPrecision = share(c.Cell(answer.Handoff, answer.Handoff), c.Got(answer.Handoff))
	m.HandoffRecall = share(c.Cell(answer.Handoff, answer.Handoff), c.Expected(answer.Handoff))
	m.CitationPrecision = share(citedRight, m.Citations)
	m.CitationsWithPages = citedWithPages
	m.CitedExpected = share(citedExpected, citedWithPages)
	m.WithPages = withPages
	m.FirstCitationRight = share(firstRight, withPages)
	m.Groundedness = share(grounded, m.Sentences)
	m.KeyFactRecall = share(found, m.KeyFacts)
	m.MeanFleschDouma, m.MeanSentenceWords = mean(fd), mean(words)
	m.ShareB1 = share(b1, m.Answered)
	m.TotalP50, m.TotalP95 = percentile(total, 50), percentile(total, 95)
	m.RetrievalP50, m.RetrievalP95 = percentile(ret, 50), percentile(ret, 95)
	m.AnsweringP50, m.AnsweringP95 = percentile(ans, 50), percentile(ans, 95)
	return m
}

// modeMetrics scores the ranks of one mode over the questions that have them.
func modeMetrics(rs []QuestionResult, mode string) RetrievalMetrics {
	var r1, r5, r10, rr, ndcg []float64
	for _, r := range rs {
		ranks, ok := r.Ranks[mode]
		if !ok || len(r.ExpectedPages) == 0 {
			continue
		}
		rel := relevance(ranks, 10)
		n := len(r.ExpectedPages)
		r1 = append(r1, RecallAt(rel, n, 1))
		r5 = append(r5, RecallAt(rel, n, 5))
		r10 = append(r10, RecallAt(rel, n, 10))
		rr = append(rr, ReciprocalRank(rel))
		ndcg = append(ndcg, NDCGAt(rel, n, 10))
	}
	return RetrievalMetrics{Mode: mode, N: len(r1), Recall1: mean(r1), Recall5: mean(r5), Recall10: mean(r10), MRR: mean(rr), NDCG10: mean(ndcg)}
}

// relevance turns the ranks of the expected pages into relevance by position in the
// first k results. A page counts once however many expected entries name it.
func relevance(ranks []int, k int) []bool {
	rel := make([]bool, k)
	for _, r := range ranks {
		if r >= 1 && r <= k {
			rel[r-1] = true
		}
	}
	return rel
}

// Build assembles a Result from question results: the figures over all of them and
// per municipality and topic.
func Build(golden string, created time.Time, minSupport float64, rs []QuestionResult) Result {
	judged := anyJudged(rs)
	return Result{
		Golden:         golden,
		Created:        created,
		MinSupport:     minSupport,
		Metrics:        summarise(rs, judged),
		ByMunicipality: split(rs, judged, QuestionResult.MunicipalityGroup),
		ByTopic:        split(rs, judged, func(q QuestionResult) string { return cmp.Or(q.Topic, "other") }),
		Questions:      rs,
	}
}

// markJudged gives every figure set of a judged run its model-judged figures, also
// when no question was answered and so none was judged.
func (r *Result) markJudged() {
	none := func(m *Metrics) {
		if m.Judged == nil {
			m.Judged = summariseJudged(nil)
		}
	}
	none(&r.Metrics)
	for _, gs := range [][]Group{r.ByMunicipality, r.ByTopic} {
		for i := range gs {
			none(&gs[i].Metrics)
		}
	}
}

// split summarises the questions per group, groups sorted by name with "national"
// first.
func split(rs []QuestionResult, judged bool, key func(QuestionResult) string) []Group {
	by := map[string][]QuestionResult{}
	for _, r := range rs {
		by[key(r)] = append(by[key(r)], r)
	}
	var gs []Group
	for name, members := range by {
		gs = append(gs, Group{Name: name, Metrics: summarise(members, judged)})
	}
	slices.SortFunc(gs, func(a, b Group) int {
		if (a.Name == National) != (b.Name == National) {
			if a.Name == National {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return gs
}

// WriteJSON writes r to dir/result.json, creating dir, and returns the file's path.
func (r Result) WriteJSON(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("eval: %w", err)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("eval: encode result: %w", err)
	}
	path := filepath.Join(dir, ResultFile)
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("eval: %w", err)
	}
	return path, nil
}

// ReadResult reads a result.json file, or the result.json in a directory.
func ReadResult(path string) (Result, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, ResultFile)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Result{}, fmt.Errorf("eval: no result at %s (run `vraagbaak eval run --out DIR` first)", path)
	}
	if err != nil {
		return Result{}, fmt.Errorf("eval: %w", err)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return Result{}, fmt.Errorf("eval: %s: %w", path, err)
	}
	return r, nil
}

func share(a, b int) Figure {
	if b == 0 {
		return NA()
	}
	return Figure(float64(a) / float64(b))
}

func mean(xs []float64) Figure {
	if len(xs) == 0 {
		return NA()
	}
	return Figure(Mean(xs))
}

func percentile(xs []float64, p float64) Figure {
	if len(xs) == 0 {
		return NA()
	}
	return Figure(Percentile(xs, p))
}
