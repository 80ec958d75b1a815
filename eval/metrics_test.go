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

// Hand-computed kappas.
func TestCohenKappa(t *testing.T) {
	t.Parallel()
	// pairs builds two rating lists from counts of (a, b) pairs.
	pairs := func(counts map[[2]int]int) (a, b []int) {
		for _, p := range [][2]int{{1, 1}, {1, 0}, {0, 1}, {0, 0}} {
			for range counts[p] {
				a, b = append(a, p[0]), append(b, p[1])
			}
		}
		return a, b
	}
	yesNoA, yesNoB := pairs(map[[2]int]int{{1, 1}: 20, {1, 0}: 5, {0, 1}: 10, {0, 0}: 15})
	tests := []struct {
		name    string
		a, b    []int
		want    float64
		wantErr bool
	}{
		// po = 35/50 = 0.7; A says yes 25 of 50, B 30 of 50:
		// pe = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = (0.7 − 0.5) / 0.5 = 0.4.
		{name: "classic two by two", a: yesNoA, b: yesNoB, want: 0.4},
		// Three categories, 7 of 10 agree: po = 0.7. Both raters use 0, 1, 2
		// 3, 3 and 4 times: pe = (9 + 9 + 16) / 100 = 0.34; kappa = 0.36 / 0.66 = 6/11.
		{name: "three categories", a: []int{0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, b: []int{0, 0, 1, 1, 1, 2, 2, 2, 2, 0}, want: 6.0 / 11},
		{name: "full agreement", a: []int{3, 7, 7, 3}, b: []int{3, 7, 7, 3}, want: 1},
		// po = 0, pe = 0.5: kappa = −1.
		{name: "full disagreement", a: []int{0, 1, 0, 1}, b: []int{1, 0, 1, 0}, want: -1},
		// Agreement no better than chance: po = 0.5 = pe.
		{name: "chance", a: []int{0, 0, 1, 1}, b: []int{0, 1, 0, 1}, want: 0},
		{name: "different lengths", a: []int{0, 1}, b: []int{0}, wantErr: true},
		{name: "no ratings", wantErr: true},
		{name: "one category only", a: []int{2, 2, 2}, b: []int{2, 2, 2}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CohenKappa(tc.a, tc.b)
			if (err != nil) != tc.wantErr {
				t.Fatalf("CohenKappa = %v, %v; want error %v", got, err, tc.wantErr)
			}
			if err == nil && !near(got, tc.want) {
				t.Errorf("CohenKappa = %v, want %v", got, tc.want)
			}
		})
	}
}
