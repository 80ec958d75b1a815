package pii

import (
	"regexp"
	"strings"
	"time"
	"unicode"
)

// dateRe: group 1 is an optional birth cue; then day, separator, month,
// separator, year (2–6), or ISO year, month, day (7–9), or day, month name,
// year (10–12).
var dateRe = regexp.MustCompile(`(?i)` +
	`((?:geboren|geboortedatum|geboortedag|geb\.|ik ben van)\s{0,3}:?\s{0,3}(?:(?:op|is|was|d\.d\.)\s{1,3})?)?` +
	`(?:(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4})` +
	`|(\d{4})-(\d{1,2})-(\d{1,2})` +
	`|(\d{1,2})\s{1,3}(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|` +
	`jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec)\.?\s{1,3}(\d{4}))`)

func acceptDate(text string, m []int, thisYear int) (int, int, bool) {
	cue := m[2] >= 0 && !unicode.IsLetter(runeBefore(text, m[2]))
	start := m[0]
	if m[2] >= 0 {
		start = m[3]
	}
	end := m[1]
	if numberBefore(text, start) || isWordRune(runeBefore(text, start)) ||
		numberAfter(text, end) || isWordRune(runeAfter(text, end)) {
		return 0, 0, false
	}
	var day, month, year int
	switch {
	case m[4] >= 0:
		if text[m[6]:m[7]] != text[m[10]:m[11]] {
			return 0, 0, false // 12-03/1985
		}
		day, month, year = atoi(text[m[4]:m[5]]), atoi(text[m[8]:m[9]]), atoi(text[m[12]:m[13]])
	case m[14] >= 0:
		year, month, day = atoi(text[m[14]:m[15]]), atoi(text[m[16]:m[17]]), atoi(text[m[18]:m[19]])
	default:
		day, month, year = atoi(text[m[20]:m[21]]), monthNumber(text[m[22]:m[23]]), atoi(text[m[24]:m[25]])
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return 0, 0, false
	}
	if !cue && (year < 1900 || year > thisYear-12) {
		return 0, 0, false
	}
	return start, end, true
}

// monthNumber is the number of a Dutch month name or its abbreviation, any case.
func monthNumber(name string) int {
	name = strings.ToLower(name)
	for i, full := range []string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
		"augustus", "september", "oktober", "november", "december"} {
		if name == full || name == full[:3] {
			return i + 1
		}
	}
	switch name {
	case "mrt":
		return 3
	case "sept":
		return 9
	}
	return 0
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
