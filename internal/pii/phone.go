package pii

import (
	"regexp"
	"strings"
)

// phoneRe proposes phone numbers with an exact number of digits: ten for
// ordinary Dutch numbers (the area code is 2, 3 or 4 digits with its 0, which
// a hyphen or space may follow; spaces may split the rest) and 4 to 7 after
// 0800, 0900, 0906 and 0909.
var phoneRe = regexp.MustCompile(`(?:\+|00) ?31[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?\d){8}` +
	`|0[89]0[069][- ]?\d(?: ?\d){3,6}` +
	`|0\d[- ]?\d(?: ?\d){7}` +
	`|0\d\d[- ]?\d(?: ?\d){6}` +
	`|0\d\d\d[- ]?\d(?: ?\d){5}` +
	`|\(0\d\) ?\d(?: ?\d){7}` +
	`|\(0\d\d\) ?\d(?: ?\d){6}` +
	`|\(0\d\d\d\) ?\d(?: ?\d){5}`)

// isPublicNumber reports whether national is one of the public helplines the
// assistant may give out itself.
func isPublicNumber(national string) bool {
	switch national {
	case "08000113", "08002000", "08007000", "08000543", "09008844":
		return true
	}
	return false
}

func acceptPhone(text string, m []int) (int, int, bool) {
	start, end := m[0], m[1]
	if numberBefore(text, start) || isWordRune(runeBefore(text, start)) ||
		numberAfter(text, end) || isWordRune(runeAfter(text, end)) {
		return 0, 0, false
	}
	var digits []byte
	for i := start; i < end; i++ {
		if isDigit(text[i]) {
			digits = append(digits, text[i])
		}
	}
	national := string(digits)
	if text[start] == '+' || len(national) > 10 && strings.HasPrefix(national, "0031") {
		// +31 6…, 0031 6… and +31 (0)6… → 06…
		national = "0" + strings.TrimPrefix(strings.TrimPrefix(national, "00")[2:], "0")
	}
	if national[1] == '0' || isPublicNumber(national) {
		return 0, 0, false
	}
	return start, end, true
}
