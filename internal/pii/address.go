package pii

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	// houseNumber is a house number with an optional addition: 12, 12a, 12 A,
	// 12-2, 12-hs.
	houseNumber = `\d{1,5}(?:-[A-Za-z0-9]{1,4}|[A-Za-z]| [A-Z])?\b`
	// postcode: capital letters with or without a space, or small letters
	// without; never SA, SD or SS.
	postcode = `[1-9]\d{3}(?: ?(?:[A-RT-Z][A-Z]|S[BCE-RT-Z])|(?:[a-rt-z][a-z]|s[bce-rt-z]))`
	// streetSuffix ends the names of streets that count without a postcode.
	streetSuffix = `(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|pad|plantsoen|boulevard)`
)

// addressRe: a street (1) and house number (2) before a postcode (3) with a
// house number (4) after it, each optional; or a street with a known suffix
// (5) and house number (6).
var addressRe = regexp.MustCompile(
	`(?:(\p{L}[\p{L}'’-]*) (` + houseNumber + `),?\s{1,2})?(` + postcode + `)(?:,? ?(` + houseNumber + `))?` +
		`|(\p{Lu}[\p{L}'’-]{0,40}` + streetSuffix + `) (` + houseNumber + `)`)

func acceptAddress(text string, m []int) (int, int, bool) {
	if m[10] >= 0 { // a street with a suffix and a house number
		return acceptStreet(text, m[10], m[13])
	}
	// A street that does not start a word is left out, and with a street a
	// number after the postcode is not part of the address ("Dorpsstraat 12,
	// 1234 AB 5 keer").
	street := m[2] >= 0 && !isWordRune(runeBefore(text, m[2])) && !numberBefore(text, m[2])
	start, end := m[6], m[7]
	switch {
	case street:
		start = m[2]
	case m[8] >= 0:
		end = m[9]
	}
	withNumber := street || m[8] >= 0
	pc := text[m[6]:m[7]]
	ok := !isWordRune(runeBefore(text, start)) && !numberBefore(text, start) &&
		!isWordRune(runeAfter(text, end)) && !numberAfter(text, end) && runeAfter(text, end) != '-'
	switch {
	case !ok:
	case !withNumber && unicode.IsLower(rune(pc[len(pc)-1])):
		ok = false // "1012ab" alone
	case !withNumber && yearLike(pc[:4]) && isYearWord(prevWord(text, start)):
		ok = false // "in 2024 AB"
	}
	if ok {
		return start, end, true
	}
	if street && streetSuffixRe.MatchString(text[m[2]:m[3]]) {
		return acceptStreet(text, m[2], m[5]) // "Kerkstraat 5, 1234 SS"
	}
	return 0, 0, false
}

// streetSuffixRe tells whether a street name ends in one of the suffixes.
var streetSuffixRe = regexp.MustCompile(`^\p{Lu}[\p{L}'’-]*` + streetSuffix + `$`)

func acceptStreet(text string, start, end int) (int, int, bool) {
	before := runeBefore(text, start)
	ok := !isWordRune(before) && before != '-' && before != '\'' && before != '’' &&
		!isWordRune(runeAfter(text, end)) && !numberAfter(text, end)
	return start, end, ok
}

// isYearWord reports whether w is a word after which a lone postcode that looks
// like a year is taken as a year.
func isYearWord(w string) bool {
	switch w {
	case "in", "sinds", "vanaf", "tot", "voor", "na", "per", "begin", "eind", "medio", "jaar":
		return true
	}
	return false
}

func yearLike(digits string) bool {
	y := atoi(digits)
	return 1900 <= y && y <= 2099
}

// prevWord is the word, lower case, that ends right before the spaces before i.
func prevWord(text string, i int) string {
	end := i
	for end > 0 && text[end-1] == ' ' {
		end--
	}
	start := end
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if !unicode.IsLetter(r) {
			break
		}
		start -= size
	}
	return strings.ToLower(text[start:end])
}
