package pii

import (
	"regexp"
	"strings"
)

// bsnRe: nine digits in a row, or in groups of 3-3-3 or 4-2-3 split by one
// kind of separator.
var bsnRe = regexp.MustCompile(`\d{9}|\d{3}[ .-]\d{3}[ .-]\d{3}|\d{4}[ .]\d{2}[ .]\d{3}`)

func acceptBSN(text string, m []int) (int, int, bool) {
	start, end := m[0], m[1]
	s := text[start:end]
	if isASCIIDigit(runeBefore(text, start)) || isASCIIDigit(runeAfter(text, end)) {
		return 0, 0, false
	}
	if len(s) > 9 { // grouped
		digits := make([]byte, 0, 9)
		var sep byte
		for i := range len(s) {
			switch c := s[i]; {
			case isDigit(c):
				digits = append(digits, c)
			case sep == 0:
				sep = c
			case c != sep:
				return 0, 0, false // mixed separators: 123.456 782
			}
		}
		// "12 345 678 901", "1.123.456.782", "€ 123.456.782", "123.456.782,00"
		continued := start > 1 && text[start-1] == sep && isDigit(text[start-2]) ||
			end+1 < len(text) && text[end] == sep && isDigit(text[end+1])
		if continued || numberBefore(text, start) || numberAfter(text, end) || isAmount(text, start) {
			return 0, 0, false
		}
		s = string(digits)
	}
	return start, end, validBSN(s)
}

// validBSN reports whether s is nine digits that pass the 11-proef and are not
// all zeros.
func validBSN(s string) bool {
	if len(s) != 9 || strings.Trim(s, "0") == "" {
		return false
	}
	sum := 0
	for i := range 9 {
		c := s[i]
		if !isDigit(c) {
			return false
		}
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(c-'0')
	}
	return sum%11 == 0
}

// isAmount reports whether the number at i follows a euro sign.
func isAmount(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \u00a0")
	return strings.HasSuffix(before, "€") || strings.HasSuffix(strings.ToUpper(before), "EUR")
}
