package answer

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/retrieval"
)

// A passage as ingest writes it: a heading, a question with its answer after a blank
// line, a lead-in with its list, a table under its caption, and a long list.
const unitsBody = `Veelgestelde vragen

Hoe lang duurt het?

Maximaal 8 weken.

Moet ik terugbetalen?

Meestal niet. Het is bijna altijd een gift.

De balie is open op:

- maandag: 9.00 - 12.00 uur
- donderdag: gesloten

Tarieven 2026
Soort: paspoort; Prijs: € 88,15
Soort: ID-kaart; Prijs: € 70,35

U kunt bijzondere bijstand krijgen als:
- u in de gemeente woont en 18 jaar of ouder bent;
- uw netto inkomen niet hoger is dan 120% van de bijstandsnorm, en dat is voor een alleenstaande in 2026 ongeveer € 1.690 per maand en voor gehuwden en samenwoners ongeveer € 2.415 per maand;
- uw vermogen onder de vermogensgrens van de bijstand blijft, en de kosten echt noodzakelijk zijn en het gevolg zijn van bijzondere omstandigheden;`

func TestCandidateUnits(t *testing.T) {
	var got []string
	for _, u := range candidateUnits(unitsBody) {
		got = append(got, u.text)
	}
	want := []string{
		"Hoe lang duurt het? Maximaal 8 weken.",
		"Moet ik terugbetalen? Meestal niet. Het is bijna altijd een gift.",
		"De balie is open op:\n- maandag: 9.00 - 12.00 uur\n- donderdag: gesloten",
		"Soort: paspoort; Prijs: € 88,15",
		"Soort: ID-kaart; Prijs: € 70,35",
		"Tarieven 2026:\n- Soort: paspoort; Prijs: € 88,15\n- Soort: ID-kaart; Prijs: € 70,35",
		"U kunt bijzondere bijstand krijgen als: u in de gemeente woont en 18 jaar of ouder bent",
		"U kunt bijzondere bijstand krijgen als: uw netto inkomen niet hoger is dan 120% van de bijstandsnorm, en dat is voor een alleenstaande in 2026 ongeveer € 1.690 per maand en voor gehuwden en samenwoners ongeveer € 2.415 per maand",
		"U kunt bijzondere bijstand krijgen als: uw vermogen onder de vermogensgrens van de bijstand blijft, en de kosten echt noodzakelijk zijn en het gevolg zijn van bijzondere omstandigheden",
	}
	if !slices.Equal(got, want) {
		t.Errorf("units:\n%q\nwant\n%q", got, want)
	}
	for _, u := range candidateUnits(unitsBody) {
		if u.text == want[3] && u.context != "Tarieven 2026" {
			t.Errorf("table row has context %q, want its caption", u.context)
		}
	}
}

// Items of a list too long to quote whole are quoted under one lead-in, as one list,
// not each with the lead-in repeated.
func TestExtractiveQuotesListItemsUnderOneLeadIn(t *testing.T) {
	body := `U heeft recht op bijstand als u aan alle voorwaarden hieronder voldoet:
- U woont in Nederland en u heeft de Nederlandse nationaliteit of een geldige verblijfsvergunning.
- U bent 18 jaar of ouder en u woont in de gemeente waar u de bijstand aanvraagt.
- U heeft te weinig inkomen om van te leven, ook niet samen met uw partner als u die heeft.
- U kunt geen andere uitkering krijgen, zoals een uitkering van het UWV of de SVB.`
	passages := []retrieval.Hit{{Title: "Wanneer heb ik recht op bijstand?", Body: body}}
	d, err := Extractive{}.Draft(context.Background(), "recht op bijstand, ik ben 18 jaar en heb te weinig inkomen", passages)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sentences) != 1 {
		t.Fatalf("got %d sentences, want the items as one list: %+v", len(d.Sentences), d.Sentences)
	}
	text := d.Sentences[0].Text
	if n := strings.Count(text, "alle voorwaarden"); n != 1 {
		t.Errorf("lead-in quoted %d times in %q", n, text)
	}
	if !strings.HasPrefix(text, "U heeft recht op bijstand als u aan alle voorwaarden hieronder voldoet:\n- ") || strings.Count(text, "\n- ") < 2 {
		t.Errorf("not a list under its lead-in: %q", text)
	}
	if n := strings.Count(text, "\n- ") - 1; n < 4 && !strings.HasSuffix(text, "\n- …") {
		t.Errorf("%d of 4 items quoted without saying there are more: %q", n, text)
	}
}

// A question that asks for an amount gets one: when no piece picked holds it, the best
// piece of the same page that does joins, in place of the weakest when the answer would
// be too long.
func TestWithFigure(t *testing.T) {
	passages := []retrieval.Hit{{DocumentID: 1}, {DocumentID: 1}, {DocumentID: 2}}
	u := func(text string, passage int, score float64) unit {
		return unit{text: text, passage: passage, score: score, words: len(strings.Fields(text))}
	}
	best := u("De gemeente bepaalt wat een paspoort kost.", 0, 1)
	other := u("U vraagt een paspoort aan bij de gemeente waar u woont.", 0, 0.9)
	amount := u("Een paspoort kost in 2026 maximaal € 88,15.", 1, 0.6)
	elsewhere := u("Een ID-kaart kost € 70,35.", 2, 0.95)
	weak := u("Een paspoort is tien jaar geldig.", 0, 0.3)
	byScore := []unit{best, elsewhere, other, amount, weak}

	got := withFigure("wat kost een paspoort", []unit{best, other}, byScore, best, passages, 70)
	if len(got) != 3 || got[2].text != amount.text {
		t.Errorf("money question: %q, want the amount of the same page added", texts(got))
	}
	got = withFigure("wat kost een paspoort", []unit{best, other}, byScore, best, passages, 17)
	if len(got) != 2 || got[1].text != amount.text {
		t.Errorf("too long: %q, want the amount in place of the weakest piece", texts(got))
	}
	if got := withFigure("hoe vraag ik een paspoort aan", []unit{best, other}, byScore, best, passages, 70); len(got) != 2 {
		t.Errorf("no figure asked: %q, want nothing added", texts(got))
	}
	if got := withFigure("wat kost een paspoort", []unit{best, amount}, byScore, best, passages, 70); len(got) != 2 {
		t.Errorf("amount already there: %q, want nothing added", texts(got))
	}
	low := []unit{best, other, elsewhere, weak, u("Het kost € 5.", 0, 0.4)}
	if got := withFigure("wat kost een paspoort", []unit{best, other}, low, best, passages, 70); len(got) != 2 {
		t.Errorf("only weak pieces with an amount: %q, want nothing added", texts(got))
	}
}

func texts(us []unit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.text)
	}
	return out
}
