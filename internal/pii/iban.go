package pii

import (
	"regexp"
	"strings"
)

// ibanRe proposes a country code and check digits with the letters and digits
// that follow, single spaces allowed; acceptIBAN takes as many characters as
// the country's IBANs have.
var ibanRe = regexp.MustCompile(`(?i)[a-z]{2}[0-9]{2}(?: ?[a-z0-9]){11,30}`)

func acceptIBAN(text string, m []int) (int, int, bool) {
	start := m[0]
	if isWordRune(runeBefore(text, start)) {
		return 0, 0, false
	}
	want := ibanLength(strings.ToUpper(text[start : start+2]))
	if want == 0 {
		return 0, 0, false
	}
	compact := make([]byte, 0, want)
	end := start
	for end < m[1] && len(compact) < want {
		if c := text[end]; c != ' ' {
			compact = append(compact, c)
		}
		end++
	}
	if len(compact) < want || isWordRune(runeAfter(text, end)) {
		return 0, 0, false
	}
	return start, end, validIBAN(string(compact))
}

// validIBAN reports whether iban, compact and in any case, has its country's
// length and passes the ISO 13616 mod-97 check.
func validIBAN(iban string) bool {
	if len(iban) < 4 || len(iban) != ibanLength(strings.ToUpper(iban[:2])) {
		return false
	}
	if !isDigit(iban[2]) || !isDigit(iban[3]) {
		return false
	}
	rem := 0
	for _, c := range []byte(iban[4:] + iban[:4]) {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case 'A' <= c && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		case 'a' <= c && c <= 'z':
			rem = (rem*100 + int(c-'a') + 10) % 97
		default:
			return false
		}
	}
	return rem == 1
}

// ibanLength is the length of an IBAN of the given country (upper case) in the
// ISO 13616 registry, or 0 for a country without IBANs.
func ibanLength(country string) int {
	switch country {
	case "NO":
		return 15
	case "BE":
		return 16
	case "DK", "FI", "FK", "FO", "GL", "NL", "SD":
		return 18
	case "MK", "SI":
		return 19
	case "AT", "BA", "EE", "KZ", "LT", "LU", "MN", "XK":
		return 20
	case "CH", "HR", "LI", "LV":
		return 21
	case "BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA":
		return 22
	case "AE", "GI", "IL", "IQ", "SO", "TL":
		return 23
	case "AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG":
		return 24
	case "LY", "PT", "ST":
		return 25
	case "IS", "TR":
		return 26
	case "BI", "DJ", "FR", "GR", "IT", "MC", "MR", "SM":
		return 27
	case "AL", "AZ", "BY", "CY", "DO", "GT", "HN", "HU", "LB", "NI", "PL", "SV":
		return 28
	case "BR", "EG", "PS", "QA", "UA":
		return 29
	case "JO", "KW", "MU":
		return 30
	case "MT", "SC":
		return 31
	case "LC":
		return 32
	case "RU":
		return 33
	}
	return 0
}
