package answer

import (
	"strings"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// termMatch reports whether question term q is found as word w: the same stem, one
// inside the other (compounds: "toeslag" in "kinderopvangtoeslag"), or a typo away.
func termMatch(q, w string) bool {
	if q == w {
		return true
	}
	if len(q) >= 5 && len(w) >= 5 && (strings.Contains(w, q) || strings.Contains(q, w)) {
		return true
	}
	switch d := abs(len(q) - len(w)); {
	case len(q) >= 9 && d <= 2:
		return levenshtein(q, w) <= 2
	case len(q) >= 6 && d <= 1:
		return levenshtein(q, w) <= 1
	}
	return false
}

// findTerm reports whether q matches any of the words.
func findTerm(q string, words []string) bool {
	for _, w := range words {
		if termMatch(q, w) {
			return true
		}
	}
	return false
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// numbers returns the digit tokens of s ("€ 88,15" gives "8815").
func numbers(s string) []string {
	var out []string
	for _, t := range dutch.Tokens(s) {
		if t[0] >= '0' && t[0] <= '9' {
			out = append(out, t)
		}
	}
	return out
}

// support scores how well passage supports sentence, 0..1: the share of the
// sentence's terms found in the passage, and every number in it must be there too
// (an invented amount or date is the worst error an official assistant can make).
func support(sentence, passage string) float64 {
	st := dutch.Terms(sentence)
	pt := dutch.Terms(passage)
	if len(st) == 0 {
		return 0
	}
	found := 0
	for _, t := range st {
		if findTerm(t, pt) {
			found++
		}
	}
	score := float64(found) / float64(len(st))
	pn := map[string]bool{}
	for _, n := range numbers(passage) {
		pn[n] = true
	}
	for _, n := range numbers(sentence) {
		if !pn[n] {
			score *= 0.3
			break
		}
	}
	return score
}
