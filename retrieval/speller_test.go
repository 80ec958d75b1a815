package retrieval

import (
	"strings"
	"testing"
)

func TestSpellerCorrect(t *testing.T) {
	sp := newSpeller(map[string]int{
		"paspoort": 40, "huurtoeslag": 12, "bijstand": 50, "kwijtschelding": 9, "gemeente": 150,
		"financiële": 3, "goeder": 1, "leren": 4, "aanvragen": 30, "gewoon": 2, "woon": 9,
		"zorgtoeslag": 5, "zorgtoeslagen": 7,
	})
	tests := []struct{ in, want string }{
		{"wat kost een paspoord", "wat kost een paspoort"},           // final d for t
		{"hoeveel bijstant krijg ik", "hoeveel bijstand krijg ik"},   // final t for d
		{"vermogensgrens huurtoelsag", "vermogensgrens huurtoeslag"}, // two letters swapped
		{"huurtoeslg aanvragen", "huurtoeslag aanvragen"},            // a letter left out
		{"Kwijtscheling aanvragen?", "kwijtschelding aanvragen?"},    // the index's word, as it writes it
		{"financiele hulp", "financiële hulp"},                       // written as the page writes it
		{"kan ik gwoon langskomen", "kan ik gewoon langskomen"},      // a letter left out beats one too many
		{"zorgtoeslg", "zorgtoeslag"},                                // not the more frequent word two letters away
		{"mijn moeder is ziek", "mijn moeder is ziek"},               // a letter typed for another: not repaired
		{"oude kleren", "oude kleren"},                               // one letter too many: not repaired
		{"bijstand aanvraagt", "bijstand aanvraagt"},                 // known stem? no, but no word one slip away
		{"wmo", "wmo"}, // too short
		{"mn paspoort is gejat", "mn paspoort is gejat"}, // synonyms.txt knows it
		{"gemeente 2026", "gemeente 2026"},               // digits
		{"", ""},
	}
	for _, tc := range tests {
		if got := sp.correct(tc.in); got != tc.want {
			t.Errorf("correct(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := newSpeller(nil).correct("paspoord"); got != "paspoord" {
		t.Errorf("an empty word list changed %q", got)
	}
}

// Compounds: an unknown one is split into two words the index has, two words are
// joined where the index has them as one.
func TestSpellerCompounds(t *testing.T) {
	sp := newSpeller(map[string]int{
		"kwijtschelding": 9, "norm": 4, "huurtoeslag": 12, "aanvraag": 6, "vragen": 20, "traplift": 2,
		"trap": 3, "lift": 1, "bijstandsaanvraag": 2, "bijstand": 50, "briefadres": 3, "brief": 8, "adres": 9,
	})
	tests := []struct{ in, want string }{
		{"kwijtscheldingsnorm 2026", "kwijtschelding norm 2026"}, // a linking s
		{"huurtoeslagaanvraag indienen", "huurtoeslag aanvraag indienen"},
		{"huurtoeslag aanvraag", "huurtoeslag aanvraag"}, // no such compound in the index
		{"een trap lift aanvragen", "een traplift aanvragen"},
		{"bijstand aanvraag afgewezen", "bijstandsaanvraag afgewezen"}, // a linking s
		{"brief adres brief adres", "briefadres briefadres"},
		{"de brief adres", "de briefadres"},
		{"aanvragen", "aanvragen"},     // not "aan vragen": a stopword is no part
		{"trapliften", "trapliften"},   // a known stem is no compound to split
		{"woonplekken", "woonplekken"}, // parts the index does not have
	}
	for _, tc := range tests {
		if got := sp.correct(tc.in); got != tc.want {
			t.Errorf("correct(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Words longer than maxRepair are not looked at: one long "word" must not make the
// repair try thousands of candidates.
func TestSpellerSkipsLongWords(t *testing.T) {
	long := strings.Repeat("kwijtschelding", 4) // 56 letters, in the index
	sp := newSpeller(map[string]int{long: 1})
	typo := long[:20] + long[21:]
	if got := sp.correct(typo); got != typo {
		t.Errorf("a %d-letter word was repaired to %q", len(typo), got)
	}
}

// Of two words one slip away, the one more chunks have wins.
func TestSpellerPrefersFrequentWords(t *testing.T) {
	sp := newSpeller(map[string]int{"qwertab": 3, "qwertac": 30, "financiële": 2, "financiele": 5})
	if got := sp.correct("qwerta"); got != "qwertac" {
		t.Errorf("correct(qwerta) = %q, want the more frequent qwertac", got)
	}
	if got := sp.correct("Financiële"); got != "financiele" {
		t.Errorf("correct(Financiële) = %q, want the form more chunks have", got)
	}
}
