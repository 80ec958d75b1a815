package eval

import (
	"fmt"
	"math"
	"slices"

	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Verdict is how a figure moved between two runs.
type Verdict string

const (
	Better    Verdict = "better"
	Worse     Verdict = "worse"
	Unchanged Verdict = "same"
	Undefined Verdict = "n/a" // undefined in either run
)

// Delta is one figure in two runs.
type Delta struct {
	Metric   MetricInfo
	Old, New Figure
	Change   Figure // New − Old
	Verdict  Verdict
}

// Drop is how much worse the figure got, in its own unit (0 if it did not).
func (d Delta) Drop() float64 {
	if d.Verdict != Worse {
		return 0
	}
	return math.Abs(float64(d.Change))
}

// Regression is a question that did worse in the new run.
type Regression struct {
	ID       string
	Question string
	Reasons  []string
}

// Comparison of an old and a new run of the same golden set.
type Comparison struct {
	Deltas    []Delta
	Worse     []Regression
	OnlyOld   []string // question IDs missing from the new run
	OnlyNew   []string // question IDs new in the new run
	Unchanged int      // questions in both that did not get worse
}

// Compare compares every figure of Catalog and every question of two runs, and the
// model-judged figures (JudgedCatalog) when both runs have them. Answer relevance
// measured in two different ways (embedding, rating) is not compared.
func Compare(old, new Result) Comparison {
	var c Comparison
	for _, info := range Catalog() {
		c.Deltas = append(c.Deltas, delta(info, info.Value(old.Metrics), info.Value(new.Metrics)))
	}
	if old.Metrics.Judged != nil && new.Metrics.Judged != nil {
		for _, info := range JudgedCatalog() {
			d := delta(info, info.Value(old.Metrics), info.Value(new.Metrics))
			if info.Key == "answer_relevance" && relevanceMethod(old) != relevanceMethod(new) {
				d.Verdict, d.Change = Undefined, NA()
			}
			c.Deltas = append(c.Deltas, d)
		}
	}
	before := map[string]QuestionResult{}
	for _, q := range old.Questions {
		before[q.ID] = q
	}
	seen := map[string]bool{}
	for _, q := range new.Questions {
		seen[q.ID] = true
		o, ok := before[q.ID]
		if !ok {
			c.OnlyNew = append(c.OnlyNew, q.ID)
			continue
		}
		if reasons := worse(o, q); len(reasons) > 0 {
			c.Worse = append(c.Worse, Regression{ID: q.ID, Question: q.Question, Reasons: reasons})
		} else {
			c.Unchanged++
		}
	}
	for _, q := range old.Questions {
		if !seen[q.ID] {
			c.OnlyOld = append(c.OnlyOld, q.ID)
		}
	}
	return c
}

func delta(info MetricInfo, o, n Figure) Delta {
	d := Delta{Metric: info, Old: o, New: n, Change: n - o}
	switch {
	case !o.Defined() || !n.Defined():
		d.Verdict, d.Change = Undefined, NA()
	case math.Abs(float64(d.Change)) < info.resolution():
		d.Verdict = Unchanged // too small to show
	case (d.Change > 0) == (info.Better == HigherIsBetter):
		d.Verdict = Better
	default:
		d.Verdict = Worse
	}
	return d
}

func relevanceMethod(r Result) string {
	if r.Judge == nil {
		return ""
	}
	return r.Judge.RelevanceMethod
}

// worse lists how question q got worse from o: its best expected page ranked lower,
// its outcome went from right to wrong, its first citation went wrong, or key facts
// its answer had are gone.
func worse(o, q QuestionResult) []string {
	var reasons []string
	mode := retrieval.Hybrid.String()
	if or, nr := o.BestRank(mode), q.BestRank(mode); or > 0 && (nr == 0 || nr > or) {
		reasons = append(reasons, fmt.Sprintf("rank %d → %s", or, rankName(nr)))
	}
	if o.Right() && !q.Right() {
		reasons = append(reasons, fmt.Sprintf("outcome %s → %s (expected %s)", o.Outcome, q.Outcome, q.Expected))
	}
	if o.FirstCitationRight && !q.FirstCitationRight && q.Right() {
		reasons = append(reasons, "first citation no longer an expected page")
	}
	var lost []string
	for _, f := range o.KeyFactsFound {
		if !slices.Contains(q.KeyFactsFound, f) {
			lost = append(lost, f)
		}
	}
	if len(lost) > 0 {
		reasons = append(reasons, "key facts lost: "+quoteList(lost))
	}
	return reasons
}

func rankName(r int) string {
	if r == 0 {
		return "not in top 10"
	}
	return fmt.Sprint(r)
}

// HeadlineDrops are the headline figures that got worse by more than tolerance.
func (c Comparison) HeadlineDrops(tolerance float64) []Delta {
	var ds []Delta
	for _, d := range c.Deltas {
		if d.Metric.Headline && d.Drop() > tolerance {
			ds = append(ds, d)
		}
	}
	return ds
}
