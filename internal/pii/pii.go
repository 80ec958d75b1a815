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
