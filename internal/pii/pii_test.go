package pii

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testYear is the year the table tests run in: dates up to 2014 are birth years.
const testYear = 2026

// makeBSN completes eight digits with the check digit that passes the 11-proef.
func makeBSN(t testing.TB, first8 string) string {
	t.Helper()
	sum := 0
	for i := range 8 {
		sum += (9 - i) * int(first8[i]-'0')
	}
	check := sum % 11
	if check == 10 {
		t.Fatalf("makeBSN(%q): no check digit makes this a BSN", first8)
	}
	return first8 + strconv.Itoa(check)
}

// makeIBAN puts the ISO 13616 check digits between country and bban.
func makeIBAN(country, bban string) string {
	rem := 0
	for _, c := range bban + country + "00" {
		switch {
		case '0' <= c && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		default:
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return fmt.Sprintf("%s%02d%s", country, 98-rem, bban)
}

// spaced writes a compact IBAN in groups of four.
func spaced(iban string) string {
	var groups []string
	for len(iban) > 4 {
		groups = append(groups, iban[:4])
		iban = iban[4:]
	}
	return strings.Join(append(groups, iban), " ")
}

func TestCheckFunctions(t *testing.T) {
	// Known values, and values built by the test helpers, which must agree
	// with the package's own checks.
	generated := makeBSN(t, "23456789")
	tests := []struct {
		name  string
		check func(string) bool
		in    string
		want  bool
	}{
		{"BSN known valid", validBSN, "111222333", true},
		{"BSN known valid 2", validBSN, "123456782", true},
		{"BSN generated", validBSN, generated, true},
		{"BSN off by one", validBSN, generated[:8] + strconv.Itoa((int(generated[8]-'0')+1)%10), false},
		{"BSN fails 11-proef", validBSN, "123456789", false},
		{"BSN all zeros", validBSN, "000000000", false},
		{"BSN too short", validBSN, "12345678", false},
		{"BSN not digits", validBSN, "12345678a", false},
		{"IBAN NL known", validIBAN, "NL91ABNA0417164300", true},
		{"IBAN NL known 2", validIBAN, "NL02ABNA0123456789", true},
		{"IBAN lower case", validIBAN, "nl91abna0417164300", true},
		{"IBAN DE", validIBAN, "DE89370400440532013000", true},
		{"IBAN BE", validIBAN, "BE68539007547034", true},
		{"IBAN generated NL", validIBAN, makeIBAN("NL", "RABO0123456789"), true},
		{"IBAN generated matches known", func(s string) bool { return s == makeIBAN("NL", "ABNA0417164300") }, "NL91ABNA0417164300", true},
		{"IBAN wrong check digits", validIBAN, "NL92ABNA0417164300", false},
		{"IBAN wrong length", validIBAN, "NL91ABNA041716430", false},
		{"IBAN unknown country", validIBAN, "ZZ91ABNA0417164300", false},
		{"IBAN letters as check digits", validIBAN, "NLAAABNA0417164300", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.in); got != tt.want {
				t.Errorf("check(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// redactCases are the table for TestRedact and the fuzz seeds.
func redactCases(t testing.TB) []struct {
	name string
	in   string
	want string
	n    map[Kind]int
} {
	bsn := makeBSN(t, "20417395")
	rabo := makeIBAN("NL", "RABO0300065264")
	wrongCheck := "NL" + fmt.Sprintf("%02d", (atoi(rabo[2:4])+1)%100) + rabo[4:]
	return []struct {
		name string
		in   string
		want string
		n    map[Kind]int
	}{
		// BSN
		{"bsn known", "Mijn BSN is 111222333.", "Mijn BSN is [BSN].", map[Kind]int{BSN: 1}},
		{"bsn generated", "bsn: " + bsn + ", graag snel", "bsn: [BSN], graag snel", map[Kind]int{BSN: 1}},
		{"bsn spaces", "BSN 123 456 782 klopt", "BSN [BSN] klopt", map[Kind]int{BSN: 1}},
		{"bsn dots", "BSN 123.456.782.", "BSN [BSN].", map[Kind]int{BSN: 1}},
		{"bsn passport form", "nummer 1234.56.782 op mijn paspoort", "nummer [BSN] op mijn paspoort", map[Kind]int{BSN: 1}},
		{"bsn glued to word", "bsn111222333", "bsn[BSN]", map[Kind]int{BSN: 1}},
		{"bsn fails 11-proef", "Mijn BSN is 123456789.", "Mijn BSN is 123456789.", nil},
		{"order number", "bestelnummer 2024-000123 en 987654321", "bestelnummer 2024-000123 en 987654321", nil},
		{"bsn inside ten digits", "klantnummer 1112223330", "klantnummer 1112223330", nil},
		{"bsn inside longer grouping", "het is 12 123 456 782 euro", "het is 12 123 456 782 euro", nil},
		{"amount like bsn", "€ 123.456.782 of 123.456.782,00", "€ 123.456.782 of 123.456.782,00", nil},
		{"mixed separators", "123.456 782", "123.456 782", nil},

		// IBAN
		{"iban compact", "IBAN NL91ABNA0417164300 graag", "IBAN [IBAN] graag", map[Kind]int{IBAN: 1}},
		{"iban spaced", "rekening NL91 ABNA 0417 1643 00.", "rekening [IBAN].", map[Kind]int{IBAN: 1}},
		{"iban lower case", "nl02abna0123456789", "[IBAN]", map[Kind]int{IBAN: 1}},
		{"iban generated", "op " + spaced(rabo) + " overmaken", "op [IBAN] overmaken", map[Kind]int{IBAN: 1}},
		{"iban german", "DE89 3704 0044 0532 0130 00 en BE68539007547034", "[IBAN] en [IBAN]", map[Kind]int{IBAN: 2}},
		{"iban wrong check digit", "IBAN " + wrongCheck + " klopt niet", "IBAN " + wrongCheck + " klopt niet", nil},
		{"iban known wrong", "NL92ABNA0417164300", "NL92ABNA0417164300", nil},
		{"iban odd spacing", "NL91 ABNA 04171 64300", "[IBAN]", map[Kind]int{IBAN: 1}},
		{"iban too short", "NL91 ABNA 0417 1643", "NL91 ABNA 0417 1643", nil},
		{"iban runs on", "NL91ABNA04171643001", "NL91ABNA04171643001", nil},

		// Phone numbers
		{"mobile hyphen", "bel 06-12345678 a.u.b.", "bel [telefoonnummer] a.u.b.", map[Kind]int{Phone: 1}},
		{"mobile spaced", "06 1234 5678", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"mobile compact", "(0612345678)", "([telefoonnummer])", map[Kind]int{Phone: 1}},
		{"mobile pairs", "06 12 34 56 78", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"international", "+31 6 12345678 of +31612345678", "[telefoonnummer] of [telefoonnummer]", map[Kind]int{Phone: 2}},
		{"international 0031", "0031 6 12345678", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"international (0)", "+31 (0)20 123 4567", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"landline hyphen", "020-1234567", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"landline spaced", "010 123 4567", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"landline compact", "0201234567", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"landline brackets", "(020) 123 45 67", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"landline four digit area", "0111-123456", "[telefoonnummer]", map[Kind]int{Phone: 1}},
		{"service numbers", "0800-1234 en 0900 1234567", "[telefoonnummer] en [telefoonnummer]", map[Kind]int{Phone: 2}},
		{"municipal number", "bel 14 020 of 14 0111", "bel 14 020 of 14 0111", nil},
		{"public helplines", "113: 0800-0113, Veilig Thuis 0800-2000, politie 0900-8844, nood 112", "113: 0800-0113, Veilig Thuis 0800-2000, politie 0900-8844, nood 112", nil},
		{"amount", "het kost € 1.234,56 per jaar", "het kost € 1.234,56 per jaar", nil},
		{"date and time", "op 01-03-2026 10 00 uur", "op 01-03-2026 10 00 uur", nil},
		{"ten digits without 0", "1234567890", "1234567890", nil},
		{"two leading zeros", "0012345678", "0012345678", nil},
		{"phone runs on", "0612345678901", "0612345678901", nil},

		// E-mail addresses
		{"email", "mail naar jan.de-vries@example.nl.", "mail naar [e-mailadres].", map[Kind]int{Email: 1}},
		{"email with digits", "j.jansen+1985@mail.co.uk", "[e-mailadres]", map[Kind]int{Email: 1}},
		{"email unicode", "zoë@bloemendijk.nl", "[e-mailadres]", map[Kind]int{Email: 1}},
		{"no email", "info at gemeente punt nl, @gemeente", "info at gemeente punt nl, @gemeente", nil},

		// Addresses
		{"postcode and number", "ik woon op 1012 AB 12", "ik woon op [adres]", map[Kind]int{Postcode: 1}},
		{"compact postcode with addition", "1012AB 12a, 2e verdieping", "[adres], 2e verdieping", map[Kind]int{Postcode: 1}},
		{"small letters with number", "1012ab 12", "[adres]", map[Kind]int{Postcode: 1}},
		{"street number postcode", "Dorpsstraat 12, 1234 AB Bloemendijk", "[adres] Bloemendijk", map[Kind]int{Postcode: 1}},
		{"street without suffix and postcode", "Damrak 1 1012 LG Amsterdam", "[adres] Amsterdam", map[Kind]int{Postcode: 1}},
		{"street with suffix", "ik woon Kerkstraat 5-2 sinds mei", "ik woon [adres] sinds mei", map[Kind]int{Postcode: 1}},
		{"street with suffix and bad postcode", "Kerkstraat 5, 1234 SS", "[adres], 1234 SS", map[Kind]int{Postcode: 1}},
		{"postcode alone", "postcode 1234 AB?", "postcode [adres]?", map[Kind]int{Postcode: 1}},
		{"postcode SS", "1234 SS", "1234 SS", nil},
		{"postcode SA SD", "1234SA en 1234 SD", "1234SA en 1234 SD", nil},
		{"year and capitals", "in 2024 AB en sinds 2019 NL", "in 2024 AB en sinds 2019 NL", nil},
		{"letters run on", "2024 ABC en 1500 EU-burgers", "2024 ABC en 1500 EU-burgers", nil},
		{"small letters alone", "1012ab", "1012ab", nil},
		{"small letters spaced", "1012 ab 12", "1012 ab 12", nil},
		{"four digits alone", "postcode 1234", "postcode 1234", nil},
		{"no street suffix", "artikel 12, groep 8, Bloemendijk 14 020", "artikel 12, groep 8, Bloemendijk 14 020", nil},
		{"street in lower case", "de kerkstraat 5 is dicht", "de kerkstraat 5 is dicht", nil},

		// Dates of birth
		{"birth cue", "geboren op 12-03-1985", "geboren op [geboortedatum]", map[Kind]int{Birthdate: 1}},
		{"birth cue recent year", "geboortedatum: 3 mei 2020", "geboortedatum: [geboortedatum]", map[Kind]int{Birthdate: 1}},
		{"birth cue ik ben van", "Ik ben van 1 januari 2000.", "Ik ben van [geboortedatum].", map[Kind]int{Birthdate: 1}},
		{"birth cue geb.", "geb. 1-2-2016", "geb. [geboortedatum]", map[Kind]int{Birthdate: 1}},
		{"old date slashes", "12/03/1985", "[geboortedatum]", map[Kind]int{Birthdate: 1}},
		{"old date dots", "12.03.1985", "[geboortedatum]", map[Kind]int{Birthdate: 1}},
		{"old date month name", "12 Maart 1985 en 7 okt. 1990", "[geboortedatum] en [geboortedatum]", map[Kind]int{Birthdate: 2}},
		{"old date iso", "1985-03-12", "[geboortedatum]", map[Kind]int{Birthdate: 1}},
		{"deadline", "aanvragen voor 1 mei 2027", "aanvragen voor 1 mei 2027", nil},
		{"recent date", "sinds 1 januari 2026 en 15-06-2015", "sinds 1 januari 2026 en 15-06-2015", nil},
		{"year alone", "geboren in 1985, in 2024", "geboren in 1985, in 2024", nil},
		{"no such day", "31-02-1985", "31-02-1985", nil},
		{"mixed separators date", "12-03/1985", "12-03/1985", nil},
		{"date without year", "geboren op 12 maart", "geboren op 12 maart", nil},
		{"before 1900", "op 1 januari 1850", "op 1 januari 1850", nil},

		// Together, and text that must stay byte for byte
		{"everything", "Hallo, ik ben Jan (geb. 12-03-1985), BSN 111222333, woon op Dorpsstraat 12, 1234 AB Bloemendijk. " +
			"Bel 06-12345678 of mail jan@example.nl; IBAN NL91 ABNA 0417 1643 00.",
			"Hallo, ik ben Jan (geb. [geboortedatum]), BSN [BSN], woon op [adres] Bloemendijk. " +
				"Bel [telefoonnummer] of mail [e-mailadres]; IBAN [IBAN].",
			map[Kind]int{Birthdate: 1, BSN: 1, Postcode: 1, Phone: 1, Email: 1, IBAN: 1}},
		{"unicode kept", "Café ’t Hoekje\t— bel\u00a006-12345678 👍\n", "Café ’t Hoekje\t— bel\u00a0[telefoonnummer] 👍\n", map[Kind]int{Phone: 1}},
		{"invalid utf-8 kept", "\xff111222333\xfe", "\xff[BSN]\xfe", map[Kind]int{BSN: 1}},
		{"labels stay", "[BSN] [IBAN] [telefoonnummer] [e-mailadres] [adres] [geboortedatum]",
			"[BSN] [IBAN] [telefoonnummer] [e-mailadres] [adres] [geboortedatum]", nil},
		{"empty", "", "", nil},
	}
}

func TestRedact(t *testing.T) {
	for _, tt := range redactCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			got, n := redact(tt.in, testYear)
			if got != tt.want {
				t.Errorf("redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if !maps.Equal(n, tt.n) {
				t.Errorf("redact(%q) counts = %v, want %v", tt.in, n, tt.n)
			}
			if tt.n == nil && n != nil {
				t.Errorf("redact(%q) counts = %#v, want nil", tt.in, n)
			}
			again, n2 := redact(got, testYear)
			if again != got || n2 != nil {
				t.Errorf("not idempotent: redact(%q) = %q, %v", got, again, n2)
			}
		})
	}
}

// TestRedactClock checks that Redact judges dates against the current year.
func TestRedactClock(t *testing.T) {
	year := time.Now().Year()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"thirty years ago", fmt.Sprintf("op 2 maart %d", year-30), "op [geboortedatum]"},
		{"twelve years ago", fmt.Sprintf("op 2 maart %d", year-12), "op [geboortedatum]"},
		{"eleven years ago", fmt.Sprintf("op 2 maart %d", year-11), fmt.Sprintf("op 2 maart %d", year-11)},
		{"next year", fmt.Sprintf("voor 1 mei %d", year+1), fmt.Sprintf("voor 1 mei %d", year+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLabels(t *testing.T) {
	want := map[Kind]string{
		BSN: "[BSN]", IBAN: "[IBAN]", Phone: "[telefoonnummer]", Email: "[e-mailadres]",
		Postcode: "[adres]", Birthdate: "[geboortedatum]",
	}
	got := map[Kind]string{}
	for kind, label := range Labels {
		got[kind] = label
	}
	if !maps.Equal(got, want) {
		t.Errorf("Labels = %v, want %v", got, want)
	}
	for kind, label := range Labels {
		if kind != BSN {
			t.Errorf("range stopped at %q, %q: break ignored", kind, label)
		}
		break
	}
}

// nineDigitBSN returns a run of exactly nine ASCII digits in s that passes the
// 11-proef, or "".
func nineDigitBSN(s string) string {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 9 && validBSN(s[i:j]) {
			return s[i:j]
		}
		i = j
	}
	return ""
}

func FuzzRedact(f *testing.F) {
	for _, tt := range redactCases(f) {
		f.Add(tt.in)
	}
	f.Add("111222333111222333 111222333-111222333")
	f.Add("0612345678111222333 06-1234567811122233")
	f.Fuzz(func(t *testing.T, in string) {
		out, n := Redact(in)
		again, n2 := Redact(out)
		if again != out || n2 != nil {
			t.Errorf("not idempotent: Redact(%q) = %q, then %q, %v", in, out, again, n2)
		}
		if bsn := nineDigitBSN(out); bsn != "" {
			t.Errorf("Redact(%q) = %q keeps BSN %s", in, out, bsn)
		}
		if (n == nil) != (out == in) {
			t.Errorf("Redact(%q) = %q with counts %v", in, out, n)
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	q := "Goedemiddag, ik ben geboren op 12-03-1985 en woon op Dorpsstraat 12, 1234 AB Bloemendijk. " +
		"Hoe vraag ik bijzondere bijstand aan? Mijn BSN is 111222333, bel me op 06-12345678. Alvast bedankt!"
	b.SetBytes(int64(len(q)))
	for b.Loop() {
		Redact(q)
	}
}
