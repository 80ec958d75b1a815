// Package pii owns the redaction of Dutch personal data: citizen numbers (BSN),
// bank accounts (IBAN), phone numbers, e-mail addresses, addresses and dates of
// birth. Every text a citizen types goes through Redact before it is logged,
// stored or sent to an outside model.
//
// Any package in the module may import it; it imports only the standard
// library. All functions are safe for concurrent use and hold no state: the
// package-level regular expressions are compiled once and never change.
package pii

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind is a kind of personal data.
type Kind string

// The kinds of personal data that Redact finds.
const (
	BSN       Kind = "bsn"
	IBAN      Kind = "iban"
	Phone     Kind = "phone"
	Email     Kind = "email"
	Postcode  Kind = "postcode" // postcode with house number (an address)
	Birthdate Kind = "birthdate"
)

// kinds lists every kind in the order Labels yields them.
func kinds() []Kind { return []Kind{BSN, IBAN, Phone, Email, Postcode, Birthdate} }

// label is the text that replaces personal data of kind k, such as "[BSN]".
func (k Kind) label() string {
	switch k {
	case BSN:
		return "[BSN]"
	case IBAN:
		return "[IBAN]"
	case Phone:
		return "[telefoonnummer]"
	case Email:
		return "[e-mailadres]"
	case Postcode:
		return "[adres]"
	case Birthdate:
		return "[geboortedatum]"
	}
	return ""
}

// Labels yields every kind with its label, in a fixed order:
//
//	for kind, label := range pii.Labels { … }
func Labels(yield func(Kind, string) bool) {
	for _, k := range kinds() {
		if !yield(k, k.label()) {
			return
		}
	}
}

// Redact returns text with every piece of personal data replaced by a label, and the
// count of each kind found. Labels: "[BSN]", "[IBAN]", "[telefoonnummer]", "[e-mailadres]", "[adres]", "[geboortedatum]".
//
// The map is nil when nothing was found. Everything outside the redacted pieces
// is kept byte for byte, invalid UTF-8 included, and Redact is idempotent:
// Redact(Redact(x)) returns the same text and finds nothing. What counts as
// personal data, in the order it is looked for:
//
//   - E-mail: local@domain.tld.
//   - IBAN: a country code, two check digits and the country's BBAN (NL: 18
//     characters in all; every country of the ISO 13616 registry is known),
//     any case, written compact or with single spaces (usually between
//     groups of four), and only when the mod-97 check gives 1. A wrong check
//     digit stays.
//   - Date of birth, as [geboortedatum]: a full date written 12-03-1985,
//     12/3/1985, 12.03.1985, 1985-03-12 or 12 maart 1985 (also "12 mrt. 1985")
//     that is a real calendar date and either (a) comes right after "geboren",
//     "geboortedatum", "geboortedag", "geb." or "ik ben van" (optionally followed
//     by ":", "op", "is", "was" or "d.d."), whatever its year, or (b) has a year
//     from 1900 to the current year minus 12, the years people are born in.
//     So deadlines such as "1 januari 2026" or "voor 1 mei 2027" stay, and so
//     do years alone and dates without a year; an old date that is not a
//     birth date ("per 1 januari 2010") is redacted too, which is the price of
//     catching birth dates written without a cue.
//   - Phone: a Dutch number of ten digits written 0612345678, 06-12345678,
//     06 1234 5678, 020-1234567, 010 123 4567, (020) 123 45 67; the same after
//     +31, 0031 or "+31 (0)"; and 0800, 0900, 0906 and 0909 service numbers
//     with 4 to 7 more digits. Public numbers that the assistant itself gives
//     out stay: 0800-0113 (113 Zelfmoordpreventie), 0800-2000 (Veilig Thuis),
//     0800-7000 (Meld Misdaad Anoniem), 0800-0543 (Belastingtelefoon) and
//     0900-8844 (politie), as do 112, 113 and the municipal "14 020" numbers,
//     which have too few digits to be a phone number. A number that runs on
//     into other digits (an amount, a date, a longer number) stays.
//   - Address, as [adres]: a postcode (1000-9999, a space or not, two capital
//     letters other than SA, SD and SS) with the house number that follows
//     it ("1012 AB 12", "1012AB 12a", "1012 AB, 12-2"); a street, house number
//     and postcode as one piece ("Dorpsstraat 12, 1234 AB"; the place name
//     after the postcode stays, it says no more than which municipality is
//     asked); a street whose name ends in straat, laan, weg, plein, gracht,
//     kade, singel, steeg, dreef, pad, plantsoen or boulevard with its house
//     number ("Kerkstraat 5"); and a postcode alone, because six positions
//     narrow a household down to a few addresses. A postcode written with
//     small letters ("1012ab") counts only compact and with a house number or
//     street, and a postcode alone stays when its digits look like a year and
//     follow "in", "sinds", "vanaf", "tot", "voor", "na", "per", "begin",
//     "eind", "medio" or "jaar" ("in 2024 AB"). Four digits alone, and letters
//     that run on ("2024 ABC", "1500 EU-burgers"), stay.
//   - BSN: nine digits that pass the 11-proef (9·d1 + 8·d2 + … + 2·d8 − d9 is a
//     multiple of 11, not all zeros). Nine digits in a row count whatever is
//     around them except more digits, so a ten-digit number stays; the forms
//     123 456 782, 123.456.782, 123-456-782 and the passport form 1234.56.782
//     count when they do not run on into other digits and are not an amount
//     (after "€" or followed by ",56"). A number that fails the 11-proef stays.
//
// Redact scans the text again until nothing more is found, so pieces that only
// show up once a neighbour is redacted are caught too. A scan takes time about
// linear in the length of the text; a typical question takes tens of
// microseconds.
func Redact(text string) (string, map[Kind]int) {
	return redact(text, time.Now().Year())
}

// redact is Redact with the current year given, so tests do not depend on the clock.
func redact(text string, thisYear int) (string, map[Kind]int) {
	// The order matters: an e-mail address or IBAN may hold digits that look
	// like a phone number or BSN, and a BSN is checked last so that phone
	// numbers (+31 612345678) are labelled as phone numbers.
	detectors := []detector{
		{Email, emailRe, acceptEmail},
		{IBAN, ibanRe, acceptIBAN},
		{Birthdate, dateRe, func(text string, m []int) (int, int, bool) { return acceptDate(text, m, thisYear) }},
		{Phone, phoneRe, acceptPhone},
		{Postcode, addressRe, acceptAddress},
		{BSN, bsnRe, acceptBSN},
	}
	var counts map[Kind]int
	// Every kind holds a digit or an '@' and no label does, so each pass that
	// changes the text removes at least one of them and the loop ends.
	for strings.ContainsAny(text, "0123456789@") {
		changed := false
		for _, d := range detectors {
			var n int
			text, n = d.replace(text)
			if n > 0 {
				if counts == nil {
					counts = make(map[Kind]int)
				}
				counts[d.kind] += n
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return text, counts
}

// A detector finds one kind of personal data: re proposes candidates and
// accept checks one, given the text and the match's submatch indices, and
// returns the part to replace.
type detector struct {
	kind   Kind
	re     *regexp.Regexp
	accept func(text string, m []int) (start, end int, ok bool)
}

// replace replaces every accepted candidate in text by the detector's label
// and returns how many it replaced. After a rejected candidate the search goes
// on just after its start (see skipRun), so a rejected candidate never hides an
// acceptable one that overlaps it. The regular expressions use no ^ or \b at
// their start, so searching a suffix of text finds what searching text would.
func (d detector) replace(text string) (string, int) {
	var b strings.Builder
	n, done, pos := 0, 0, 0 // text[:done] is written to b; the search goes on at pos
	for pos < len(text) {
		m := d.re.FindStringSubmatchIndex(text[pos:])
		if m == nil {
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += pos
			}
		}
		start, end, ok := d.accept(text, m)
		if !ok {
			pos = skipRun(text, m[0])
			continue
		}
		b.WriteString(text[done:start])
		b.WriteString(d.kind.label())
		done, pos = end, end
		n++
	}
	if n == 0 {
		return text, 0
	}
	b.WriteString(text[done:])
	return b.String(), n
}

// skipRun returns where the search goes on after a candidate at i was
// rejected: after the character at i and the rest of its run of letters or of
// digits. No kind accepts a candidate that starts in the middle of such a run
// (a street name is dropped from an address then, which only makes the rest
// stricter), and skipping it keeps the search linear in long words and numbers.
func skipRun(text string, i int) int {
	prev, size := utf8.DecodeRuneInString(text[i:])
	i += size
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !(unicode.IsLetter(prev) && unicode.IsLetter(r) || isASCIIDigit(prev) && isASCIIDigit(r)) {
			break
		}
		prev, i = r, i+size
	}
	return i
}

// E-mail addresses.

var emailRe = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)

func acceptEmail(_ string, m []int) (int, int, bool) { return m[0], m[1], true }

// IBANs.

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

// Dates of birth.

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

// Phone numbers.

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

// Addresses.

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

// BSNs.

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

// Helpers.

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
