package eval

import (
	"math"
	"slices"
)

// RecallAt is the share of the relevant pages found in the first k results.
// relevant is how many relevant pages exist.
func RecallAt(rel []bool, relevant, k int) float64 {
	if relevant == 0 {
		return 0
	}
	found := 0
	for i := 0; i < min(k, len(rel)); i++ {
		if rel[i] {
			found++
		}
	}
	return float64(min(found, relevant)) / float64(relevant)
}

// ReciprocalRank is 1/rank of the first relevant result, 0 if none.
func ReciprocalRank(rel []bool) float64 {
	for i, r := range rel {
		if r {
			return 1 / float64(i+1)
		}
	}
	return 0
}

// NDCGAt is the normalised discounted cumulative gain of binary relevance in the first
// k results; the ideal ranking puts all relevant pages first.
func NDCGAt(rel []bool, relevant, k int) float64 {
	var dcg, ideal float64
	for i := 0; i < min(k, len(rel)); i++ {
		if rel[i] {
			dcg += 1 / math.Log2(float64(i+2))
		}
	}
	for i := 0; i < min(k, relevant); i++ {
		ideal += 1 / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// Percentile is the p-th percentile (0..100) of xs by the nearest-rank method.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[max(rank, 1)-1]
}

// Mean of xs, 0 for none.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var t float64
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}
