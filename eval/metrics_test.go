package eval

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// Hand-computed examples.
func TestMetrics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		rel                 []bool
		relevant            int
		recall5, rr, ndcg10 float64
	}{
		{"first hit", []bool{true, false, false}, 1, 1, 1, 1},
		{"third hit", []bool{false, false, true}, 1, 1, 1.0 / 3, 0.5}, // 1/log2(4) = 0.5
		{"miss", []bool{false, false, false}, 1, 0, 0, 0},
		{"beyond five", []bool{false, false, false, false, false, true}, 1, 0, 1.0 / 6, 1 / math.Log2(7)},
		// Two relevant pages at ranks 1 and 3: DCG = 1 + 0.5; ideal = 1 + 1/log2(3).
		{"two relevant", []bool{true, false, true}, 2, 1, 1, 1.5 / (1 + 1/math.Log2(3))},
		// Two relevant, only one found, at rank 2: DCG = 1/log2(3); ideal as above.
		{"one of two", []bool{false, true}, 2, 0.5, 0.5, (1 / math.Log2(3)) / (1 + 1/math.Log2(3))},
		{"nothing relevant exists", []bool{false}, 0, 0, 0, 0},
		// Three relevant pages at ranks 2, 3 and 5:
		// DCG = 1/log2(3) + 1/log2(4) + 1/log2(6) = 0.630930 + 0.5 + 0.386853 = 1.517783;
		// ideal = 1 + 1/log2(3) + 1/log2(4) = 2.130930; nDCG = 0.712263.
		{"three relevant", []bool{false, true, true, false, true}, 3, 1, 0.5, 0.712263},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RecallAt(tc.rel, tc.relevant, 5); !near(got, tc.recall5) {
				t.Errorf("recall@5 = %v, want %v", got, tc.recall5)
			}
			if got := ReciprocalRank(tc.rel); !near(got, tc.rr) {
				t.Errorf("RR = %v, want %v", got, tc.rr)
			}
			if got := NDCGAt(tc.rel, tc.relevant, 10); math.Abs(got-tc.ndcg10) > 1e-6 {
				t.Errorf("nDCG@10 = %v, want %v", got, tc.ndcg10)
			}
		})
	}
	if p := Percentile([]float64{5, 1, 4, 2, 3}, 50); p != 3 {
		t.Errorf("p50 = %v, want 3", p)
	}
	if p := Percentile([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 95); p != 10 {
		t.Errorf("p95 = %v, want 10", p)
	}
}
