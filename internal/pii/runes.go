package pii

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// runeBefore is the rune that ends at i, or -1 at the start of text.
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// runeAfter is the rune that starts at i, or -1 at the end of text.
func runeAfter(text string, i int) rune {
	if i >= len(text) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }

// numberBefore reports whether text[:i] ends in a number that i would
// continue: a digit, or a digit and one of . , - / :.
func numberBefore(text string, i int) bool {
	if i > 0 && isDigit(text[i-1]) {
		return true
	}
	return i > 1 && strings.IndexByte(".,-/:", text[i-1]) >= 0 && isDigit(text[i-2])
}

// numberAfter reports whether text[i:] starts with a number that continues the
// one before i: a digit, or one of . , - / : and a digit.
func numberAfter(text string, i int) bool {
	if i < len(text) && isDigit(text[i]) {
		return true
	}
	return i+1 < len(text) && strings.IndexByte(".,-/:", text[i]) >= 0 && isDigit(text[i+1])
}

// atoi converts a short run of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := range len(s) {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
