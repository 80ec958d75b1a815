package dutch

import (
	"slices"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"punctuation only", " ... -- !? ", nil},
		{"lowercase and split", "Hoe vraag ik Huurtoeslag aan?", []string{"hoe", "vraag", "ik", "huurtoeslag", "aan"}},
		{"diacritics", "Café, ruïne, coördinatie, één, Zürich", []string{"cafe", "ruine", "coordinatie", "een", "zurich"}},
		{"decomposed diacritics", "cafe\u0301 ee\u0301n", []string{"cafe", "een"}},
		{"ij ligature and sharp s", "ĳsbaan Straße Æther", []string{"ijsbaan", "strasse", "aether"}},
		{"hyphenated compound", "ESTA-reistoestemming", []string{"esta", "reistoestemming"}},
		{"dangling hyphen", "in- en uitvoer", []string{"in", "en", "uitvoer"}},
		{"thousands separator", "€ 1.345 per maand", []string{"1345", "per", "maand"}},
		{"decimal comma", "3,5 procent", []string{"35", "procent"}},
		{"sentence end after number", "in 2026. Daarna", []string{"in", "2026", "daarna"}},
		{"comma after number", "2026, 2027", []string{"2026", "2027"}},
		{"date", "01-02-2026", []string{"01", "02", "2026"}},
		{"plural apostrophe", "auto's en baby’s", []string{"auto", "en", "baby"}},
		{"other apostrophe", "zo'n ’s-Hertogenbosch", []string{"zo", "n", "s", "hertogenbosch"}},
		{"letters and digits", "formulier A4 2e keer", []string{"formulier", "a4", "2e", "keer"}},
		{"other scripts", "Привет мир", []string{"привет", "мир"}},
		{"newlines and tabs", "bijstand\n\tuitkering", []string{"bijstand", "uitkering"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Tokens(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"uitkeringen", "uitker"},
		{"uitkering", "uitker"},
		{"toeslagen", "toeslag"},
		{"aanvragen", "aanvrag"},
		{"aanvraag", "aanvrag"},
		{"belastingen", "belast"},
		{"2026", "2026"},
		{"a4", "a4"},
		{"", ""},
		{"u", "u"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Stem(tt.in); got != tt.want {
				t.Errorf("Stem(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsStopword(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"de", true},
		{"hoe", true},
		{"wat", true},
		{"wanneer", true},
		{"kan", true},
		{"ik", true},
		{"mijn", true},
		{"graag", true},
		{"x", true},
		{"3", false},
		{"pas", false},
		{"paspoort", false},
		{"toeslag", false},
		{"the", true},
		{"how", true},
		{"your", true},
		{"kind", false}, // an English function word, a Dutch noun
		{"fine", false}, // "boete" (synonyms.txt), not a function word
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.w, func(t *testing.T) {
			if got := IsStopword(tt.w); got != tt.want {
				t.Errorf("IsStopword(%q) = %v, want %v", tt.w, got, tt.want)
			}
		})
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"only stopwords", "Hoe kan ik dat doen?", nil},
		{"question", "Wanneer krijg ik mijn uitkeringen?", []string{"krijg", "uitker"}},
		{"compound joined", "kinderopvang-toeslag", []string{"kinderopvang", "toeslag", "kinderopvangtoeslag"}},
		{"e-mail", "e-mail", []string{"mail", "email"}},
		{"date not joined", "op 01-02-2026", []string{"01", "02", "2026"}},
		{"diacritics before stemming", "Coördinatie van één aanvraag", []string{"coordinatie", "aanvrag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Terms(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

var benchText = strings.Repeat("U kunt kwijtschelding van de afvalstoffenheffing aanvragen als u een laag inkomen heeft. "+
	"De gemeente kijkt naar uw inkomen, uw vermogen en uw vaste lasten, zoals de huur en de premie van de zorgverzekering. "+
	"Heeft u een bijstandsuitkering of AOW? Dan krijgt u meestal automatisch bericht (€ 1.345,50 per maand). ", 4)

func BenchmarkTokens(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Tokens(benchText)
	}
}

func BenchmarkTerms(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		Terms(benchText)
	}
}
