package eval

import (
	"slices"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/answer"
)

func TestCompare(t *testing.T) {
	t.Parallel()
	old := fixture()
	rows := slices.Clone(old.Questions)
	for i := range rows {
		q := &rows[i]
		switch q.ID {
		case "bijstand-001": // rank 1 → 3
			q.Ranks = map[string][]int{"hybrid": {3}, "text": {2}, "vector": {1}}
		case "refusal-001": // right → wrong
			q.Outcome = answer.Answered
		case "paspoort-001": // a key fact lost, slower
			q.KeyFactsFound, q.TotalMs = nil, 400
		case "afval-001": // better: now answered
			q.Outcome, q.Ranks = answer.Answered, map[string][]int{"hybrid": {1}}
		}
	}
	rows = slices.DeleteFunc(rows, func(q QuestionResult) bool { return q.ID == "contact-002" })
	rows = append(rows, QuestionResult{ID: "nieuw-001", Expected: answer.Refused, Outcome: answer.Refused})
	c := Compare(old, Build(old.Golden, old.Created, old.MinSupport, rows))

	var worse []string
	for _, w := range c.Worse {
		worse = append(worse, w.ID+": "+strings.Join(w.Reasons, "; "))
	}
	want := []string{
		"bijstand-001: rank 1 → 3",
		"refusal-001: outcome refused → answered (expected refused)",
		`paspoort-001: key facts lost: "€ 88,15"`,
	}
	if !slices.Equal(worse, want) {
		t.Errorf("worse questions:\n%s\nwant:\n%s", strings.Join(worse, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(c.OnlyOld, []string{"contact-002"}) || !slices.Equal(c.OnlyNew, []string{"nieuw-001"}) || c.Unchanged != 4 {
		t.Errorf("only old %v, only new %v, unchanged %d", c.OnlyOld, c.OnlyNew, c.Unchanged)
	}

	verdicts := map[string]Verdict{}
	for _, d := range c.Deltas {
		verdicts[d.Metric.Key] = d.Verdict
	}
	for key, want := range map[string]Verdict{
		"recall_at_1":       Unchanged, // afval-001 now at 1 makes up for bijstand-001
		"mrr":               Better,    // (1/3 + 1/2 + 1 + 1/3) / 4 against (1 + 1/2 + 0 + 1/3) / 4
		"outcome_accuracy":  Better,    // 5/8 → 6/8
		"key_fact_recall":   Worse,     // 3 of 5 → 2 of 5
		"total_ms_p95":      Worse,     // 200 → 400 ms: lower is better
		"handoff_precision": Unchanged, // 1 → 1
		"handoff_recall":    Better,    // the missed hand-off left the set: 1/2 → 1/1
		"groundedness":      Unchanged,
	} {
		if verdicts[key] != want {
			t.Errorf("%s: %s, want %s", key, verdicts[key], want)
		}
	}

	tests := []struct {
		tolerance float64
		want      []string
	}{
		// Key-fact recall 3/5 → 2/5; answers at B1 3/4 → 3/6 (two more answers, not B1).
		{0.01, []string{"key_fact_recall", "share_b1"}},
		{0.22, []string{"share_b1"}},
		{0.25, nil},
	}
	for _, tc := range tests {
		var got []string
		for _, d := range c.HeadlineDrops(tc.tolerance) {
			got = append(got, d.Metric.Key)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("HeadlineDrops(%v) = %v, want %v", tc.tolerance, got, tc.want)
		}
	}

	same := Compare(old, old)
	if len(same.Worse) != 0 || len(same.HeadlineDrops(0)) != 0 {
		t.Errorf("a run compared with itself: %d worse, %d drops", len(same.Worse), len(same.HeadlineDrops(0)))
	}
	for _, d := range same.Deltas {
		if d.Verdict != Unchanged && d.Verdict != Undefined {
			t.Errorf("%s: %s against itself", d.Metric.Key, d.Verdict)
		}
	}
}
