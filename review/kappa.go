package review

import (
	"errors"
	"fmt"
)

// CohenKappa is Cohen's kappa for two raters who put the same items on a nominal
// scale: a[i] and b[i] are the categories the two gave item i. It is the agreement
// beyond chance, (po − pe) / (1 − pe), where po is the share of items they agree on
// and pe the agreement expected if each rated at random with their own category
// frequencies. 1 is full agreement, 0 no more than chance, below 0 less. It is
// undefined (an error) when both raters put every item in the one same category.
func CohenKappa(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("review: kappa: %d ratings against %d", len(a), len(b))
	}
	if len(a) == 0 {
		return 0, errors.New("review: kappa: no ratings")
	}
	n := float64(len(a))
	agree := 0
	ca, cb := map[int]int{}, map[int]int{}
	for i := range a {
		if a[i] == b[i] {
			agree++
		}
		ca[a[i]]++
		cb[b[i]]++
	}
	var pe float64
	for c, k := range ca {
		pe += float64(k) / n * float64(cb[c]) / n
	}
	if pe == 1 {
		return 0, errors.New("review: kappa: undefined when both raters use one and the same category only")
	}
	po := float64(agree) / n
	return (po - pe) / (1 - pe), nil
}
