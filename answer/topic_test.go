package answer

import (
	"testing"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

func TestOffTopic(t *testing.T) {
	// Term counts over a small index: "rijbewijs" and "pensioen" are rare, the rest
	// is common.
	ts := &retrieval.TermStats{Chunks: 100, DF: map[string]int{}}
	for _, w := range dutch.Terms("paspoort kwijt aanvragen vraag aantonen bijstand krijgen uitkering recht wanneer") {
		ts.DF[w] = 30
	}
	for _, w := range dutch.Terms("rijbewijs pensioen liter") {
		ts.DF[w] = 2
	}
	passport := retrieval.Hit{Title: "Mijn paspoort is kwijt, wat moet ik doen?", Headings: "Vlak voor vertrek",
		Body: "U moet dan wel kunnen aantonen wie u bent, bijvoorbeeld met uw rijbewijs."}
	licence := retrieval.Hit{Title: "Rijbewijs aanvragen", Body: "U vraagt een rijbewijs aan bij de gemeente, bijvoorbeeld online."}
	benefit := retrieval.Hit{Title: "Wanneer heb ik recht op bijstand?",
		Body: "U kunt geen andere uitkering krijgen, zoals een WW-uitkering, een WIA-uitkering of een AOW-pensioen."}
	tests := []struct {
		name     string
		question string
		sentence string
		hit      retrieval.Hit
		want     bool
	}{
		{"subject only as an example", "Hoe vraag ik een rijbewijs aan?", passport.Body, passport, true},
		{"subject only in an enumeration", "hoeveel pensioen krijg ik straks", "Ook met loon, een WW-uitkering, AOW of pensioen kunt u bijzondere bijstand krijgen.", retrieval.Hit{Title: "Bijzondere bijstand"}, true},
		{"page about the subject", "Hoe vraag ik een rijbewijs aan?", licence.Body, licence, false},
		{"question shares the page's title", "mag ik bijstand met een aow pensioen", benefit.Body, benefit, false},
		{"subject said, not as an example", "Hoe vraag ik een rijbewijs aan?", "Uw rijbewijs vraagt u aan bij de gemeente.", passport, false},
		{"subject not in the answer", "Hoe vraag ik een rijbewijs aan?", "U meldt het bij de politie.", passport, false},
		{"a comma and an en, but no list", "wat kost het legen van de container van 140 liter",
			"Ja, u kunt kiezen tussen 140 liter en 240 liter.", retrieval.Hit{Title: "Afval"}, false},
		{"a yes/no question", "Telt mijn pensioen mee?", "Ook met loon, een WW-uitkering, AOW of pensioen kunt u bijzondere bijstand krijgen.", retrieval.Hit{Title: "Bijzondere bijstand"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := offTopic(tc.question, []Sentence{{Text: tc.sentence, Cite: 1}}, []retrieval.Hit{tc.hit}, ts)
			if got != tc.want {
				t.Errorf("offTopic(%q, %q) = %v, want %v", tc.question, tc.sentence, got, tc.want)
			}
		})
	}
}

func TestYesNoQuestion(t *testing.T) {
	tests := []struct {
		q    string
		want bool
	}{
		{"mogen drinkpakken bij het plastic", true},
		{"Mijn wasmachine is kapot en ik heb geen geld, kan de gemeente helpen?", true},
		{"Mijn kind wil op zwemles. Is daar iets voor?", true},
		{"Telt smartengeld mee voor de bijstand?", true},
		{"Hoe vraag ik een rijbewijs aan?", false},
		{"ik ben dakloos, hoe kan ik dan post krijgen", false},
		{"waar laat ik mijn geboorteakte legaliseren", false},
		{"vog aanvragen wat kost dat", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := yesNoQuestion(tc.q); got != tc.want {
			t.Errorf("yesNoQuestion(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
