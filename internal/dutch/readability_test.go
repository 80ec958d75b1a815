package dutch

import (
	"math"
	"testing"
)

func TestSyllables(t *testing.T) {
	// Each count checked by hand; the split is in the comment.
	tests := []struct {
		word string
		want int
	}{
		{"bijstand", 2},             // bij-stand
		{"kinderopvangtoeslag", 6},  // kin-der-op-vang-toe-slag
		{"gemeente", 3},             // ge-meen-te
		{"aanvragen", 3},            // aan-vra-gen
		{"uitkering", 3},            // uit-ke-ring
		{"identiteitskaart", 5},     // i-den-ti-teits-kaart
		{"huishoudelijke", 5},       // huis-hou-de-lij-ke
		{"verzekering", 4},          // ver-ze-ke-ring
		{"zorgtoeslag", 3},          // zorg-toe-slag
		{"beslagvrije", 4},          // be-slag-vrij-e
		{"huurtoeslag", 3},          // huur-toe-slag
		{"belastingaangifte", 6},    // be-las-ting-aan-gif-te
		{"kwijtschelding", 3},       // kwijt-schel-ding
		{"afvalstoffenheffing", 6},  // af-val-stof-fen-hef-fing
		{"paspoort", 2},             // pas-poort
		{"aanvraagformulier", 5},    // aan-vraag-for-mu-lier
		{"participatiewet", 6},      // par-ti-ci-pa-tie-wet
		{"schuldhulpverlening", 5},  // schuld-hulp-ver-le-ning
		{"gemeentebelastingen", 7},  // ge-meen-te-be-las-tin-gen
		{"uitvoeringsinstantie", 6}, // uit-voe-rings-in-stan-tie
		{"toeslagen", 3},            // toe-sla-gen
		{"ziekenhuis", 3},           // zie-ken-huis
		{"Eindhoven", 3},            // eind-ho-ven
		{"Koninkrijk", 3},           // ko-nink-rijk
		{"nieuw", 1},                // ieu
		{"eeuw", 1},                 // eeu
		{"leeuw", 1},                // eeu
		{"moeilijk", 2},             // moei-lijk
		{"draaien", 2},              // draai-en
		{"mooie", 2},                // mooi-e
		{"groeien", 2},              // groei-en
		{"vrouwen", 2},              // vrou-wen
		{"jeugd", 1},                // j is a consonant here
		{"ijs", 1},                  // ij
		{"ĳsbaan", 2},               // ij ligature: ij-s-baan
		{"situatie", 4},             // si-tu-a-tie
		{"ideaal", 3},               // i-de-aal
		{"via", 2},                  // vi-a
		{"bureau", 2},               // bu-reau
		{"baby", 2},                 // ba-by
		{"yoghurt", 2},              // yog-hurt
		{"financiële", 5},           // fi-nan-ci-ë-le
		{"coördinatie", 5},          // co-ör-di-na-tie
		{"ruïne", 3},                // ru-ï-ne
		{"België", 3},               // Bel-gi-ë
		{"zeeën", 2},                // zee-ën
		{"knieën", 2},               // knie-ën
		{"kopiëren", 4},             // ko-pi-ë-ren
		{"geïnteresseerd", 5},       // ge-ïn-te-res-seerd
		{"één", 1},                  // accent, not a trema
		{"café", 2},                 // ca-fé
		{"auto's", 2},               // au-to
		{"e-mail", 2},               // e-mail (loan: ai is one nucleus)
		{"u", 1},
		{"de", 1},
		{"BSN", 1},      // no vowel: at least 1
		{"2026", 1},     // numbers count 1
		{"1.401,50", 1}, // an amount is one number
		{"A4", 1},
		{"€", 0},
		{"", 0},
		{"...", 0},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := Syllables(tt.word); got != tt.want {
				t.Errorf("Syllables(%q) = %d, want %d", tt.word, got, tt.want)
			}
		})
	}
}

func TestScore(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Readability
		b1   bool
	}{
		{"empty", "", Readability{}, false},
		{"no words", " - ... ", Readability{}, false},
		{
			// 2 sentences, 6 words, 6 syllables:
			// 206.835 − 0.93×3 − 77×1 = 127.045
			"short and plain", "U krijgt geld. Dat is fijn.",
			Readability{FleschDouma: 127.045, AvgSentenceWords: 3, AvgSyllablesPerWord: 1, Sentences: 2, Words: 6},
			true,
		},
		{
			// Vraag 1, huurtoeslag 3, aan 1, via 2, Mijn 1, Toeslagen 3 = 11;
			// U 1, heeft 1, DigiD 2, nodig 2 = 6. 10 words, 17 syllables:
			// 206.835 − 0.93×5 − 77×1.7 = 71.285
			"typical answer", "Vraag huurtoeslag aan via Mijn Toeslagen. U heeft DigiD nodig.",
			Readability{FleschDouma: 71.285, AvgSentenceWords: 5, AvgSyllablesPerWord: 1.7, Sentences: 2, Words: 10},
			true,
		},
		{
			// de 1, gemeente 3, betaalt 2, de 1, bijstandsuitkering 5 = 12:
			// 206.835 − 0.93×5 − 77×2.4 = 17.385
			"long words", "De gemeente betaalt de bijstandsuitkering.",
			Readability{FleschDouma: 17.385, AvgSentenceWords: 5, AvgSyllablesPerWord: 2.4, Sentences: 1, Words: 5},
			false,
		},
		{
			// 24 words, all of one syllable except krijgen (2): 25 syllables.
			// 206.835 − 0.93×24 − 77×25/24 = 104.306666…; easy words, but the
			// sentence is too long for B1.
			"long sentence of short words",
			"Heeft u geen werk en geen geld, dan kunt u bij ons hulp en steun voor de huur van uw huis of flat krijgen.",
			Readability{FleschDouma: 206.835 - 0.93*24 - 77*25.0/24, AvgSentenceWords: 24, AvgSyllablesPerWord: 25.0 / 24, Sentences: 1, Words: 24},
			false,
		},
		{
			// A list: 3 sentences; "€ 1.401,50" is one word ("€" alone is
			// not a word). U 1, heeft 1, nodig: 2 / uw 1, DigiD 2 / 1.401,50 1,
			// per 1, maand 1 = 10 syllables, 8 words: ASL 8/3, ASW 10/8.
			"list and amount", "U heeft nodig:\n- uw DigiD\n- € 1.401,50 per maand",
			Readability{FleschDouma: 206.835 - 0.93*8/3 - 77*10.0/8, AvgSentenceWords: 8.0 / 3, AvgSyllablesPerWord: 10.0 / 8, Sentences: 3, Words: 8},
			true,
		},
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.in)
			if got.Sentences != tt.want.Sentences || got.Words != tt.want.Words ||
				!near(got.FleschDouma, tt.want.FleschDouma) ||
				!near(got.AvgSentenceWords, tt.want.AvgSentenceWords) ||
				!near(got.AvgSyllablesPerWord, tt.want.AvgSyllablesPerWord) {
				t.Errorf("Score(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if b1 := got.B1(); b1 != tt.b1 {
				t.Errorf("Score(%q).B1() = %v, want %v", tt.in, b1, tt.b1)
			}
		})
	}
}

func TestB1Thresholds(t *testing.T) {
	tests := []struct {
		name string
		r    Readability
		want bool
	}{
		{"at both limits", Readability{FleschDouma: 60, AvgSentenceWords: 15, Words: 30}, true},
		{"score just below", Readability{FleschDouma: 59.99, AvgSentenceWords: 10, Words: 30}, false},
		{"sentences just too long", Readability{FleschDouma: 80, AvgSentenceWords: 15.01, Words: 30}, false},
		{"no words", Readability{FleschDouma: 100}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.B1(); got != tt.want {
				t.Errorf("%+v.B1() = %v, want %v", tt.r, got, tt.want)
			}
		})
	}
}
