package review

import (
	"math"
	"testing"
)

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
			if err == nil && math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("CohenKappa = %v, want %v", got, tc.want)
			}
		})
	}
}
