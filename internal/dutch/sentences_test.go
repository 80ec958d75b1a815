package dutch

import (
	"slices"
	"testing"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"whitespace and punctuation only", " \n\n - \n ... ", nil},
		{"simple", "U kunt huurtoeslag aanvragen. Dat doet u online.",
			[]string{"U kunt huurtoeslag aanvragen.", "Dat doet u online."}},
		{"question and exclamation", "Heeft u een laag inkomen? Vraag dan kwijtschelding aan! Het is gratis.",
			[]string{"Heeft u een laag inkomen?", "Vraag dan kwijtschelding aan!", "Het is gratis."}},
		{"question lowercase after", "Heeft u vragen? bel dan 14 020.",
			[]string{"Heeft u vragen?", "bel dan 14 020."}},
		{"abbreviations before lowercase", "U betaalt o.a. de huur, d.w.z. het bedrag zonder servicekosten, bijv. gas en licht.",
			[]string{"U betaalt o.a. de huur, d.w.z. het bedrag zonder servicekosten, bijv. gas en licht."}},
		{"abbreviations before capitals", "Neem contact op met dhr. Jansen of mevr. De Vries. Zij helpen u i.v.m. DigiD.",
			[]string{"Neem contact op met dhr. Jansen of mevr. De Vries.", "Zij helpen u i.v.m. DigiD."}},
		{"incl excl ca", "De prijs is ca. € 80 incl. BTW en excl. Verzendkosten. Dat betaalt u vooraf.",
			[]string{"De prijs is ca. € 80 incl. BTW en excl. Verzendkosten.", "Dat betaalt u vooraf."}},
		{"article and number", "Dit staat in art. 3 van de Participatiewet, zie ook besluit nr. 12. Lees het rustig.",
			[]string{"Dit staat in art. 3 van de Participatiewet, zie ook besluit nr. 12.", "Lees het rustig."}},
		{"mr title", "Mr. Bakker van het Juridisch Loket helpt u gratis.",
			[]string{"Mr. Bakker van het Juridisch Loket helpt u gratis."}},
		{"t/m and m.b.t.", "U kunt van 1 t/m 31 maart bellen m.b.t. Uw aanslag. Daarna niet meer.",
			[]string{"U kunt van 1 t/m 31 maart bellen m.b.t. Uw aanslag.", "Daarna niet meer."}},
		{"z.s.m. mid sentence", "Meld een verhuizing z.s.m. bij de gemeente.",
			[]string{"Meld een verhuizing z.s.m. bij de gemeente."}},
		{"enz. ends a sentence", "U betaalt de huur, het gas, enz. De gemeente betaalt de rest.",
			[]string{"U betaalt de huur, het gas, enz.", "De gemeente betaalt de rest."}},
		{"e.d. ends a sentence", "Denk aan een bril, een fiets e.d. Vraag het ons.",
			[]string{"Denk aan een bril, een fiets e.d.", "Vraag het ons."}},
		{"etc. mid sentence", "Gas, licht, etc. zijn vaste lasten.",
			[]string{"Gas, licht, etc. zijn vaste lasten."}},
		{"decimal amounts", "De bijstand is € 1.401,50 per maand. De rente is 0,0812%. U krijgt het op de 25e.",
			[]string{"De bijstand is € 1.401,50 per maand.", "De rente is 0,0812%.", "U krijgt het op de 25e."}},
		{"times", "Het loket is open van 9.00-17.00 uur. Op vrijdag vanaf 7.30 uur.",
			[]string{"Het loket is open van 9.00-17.00 uur.", "Op vrijdag vanaf 7.30 uur."}},
		{"number ends a sentence", "De nieuwe regels gelden vanaf 2026. Daarna verandert er niets.",
			[]string{"De nieuwe regels gelden vanaf 2026.", "Daarna verandert er niets."}},
		{"amount ends a sentence", "U betaalt € 1.401,50. Dat mag in termijnen.",
			[]string{"U betaalt € 1.401,50.", "Dat mag in termijnen."}},
		{"date with month abbreviation", "De aanvraag moet vóór 3 sept. 2026 binnen zijn. Te laat is te laat.",
			[]string{"De aanvraag moet vóór 3 sept. 2026 binnen zijn.", "Te laat is te laat."}},
		{"month abbreviation ends a sentence", "Dit geldt tot 1 jan. Daarna vervalt het.",
			[]string{"Dit geldt tot 1 jan.", "Daarna vervalt het."}},
		{"ellipsis inside text", "U kunt kiezen uit … of een andere regeling. De wet (...) zegt dat ook.",
			[]string{"U kunt kiezen uit … of een andere regeling.", "De wet (...) zegt dat ook."}},
		{"ellipsis before capital", "Vul uw naam, adres, enzovoort in... Daarna stuurt u het op.",
			[]string{"Vul uw naam, adres, enzovoort in...", "Daarna stuurt u het op."}},
		{"initial", "Het besluit is getekend door J. de Vries, wethouder.",
			[]string{"Het besluit is getekend door J. de Vries, wethouder."}},
		{"unknown dotted abbreviation", "Wij sturen u t.z.t. Een nieuwe brief.",
			[]string{"Wij sturen u t.z.t. Een nieuwe brief."}},
		{"host name ends a sentence", "Kijk op www.rijksoverheid.nl. Daar staat alles.",
			[]string{"Kijk op www.rijksoverheid.nl.", "Daar staat alles."}},
		{"email and url not split", "Mail naar info@gemeente.nl of kijk op gemeente.nl/bijstand voor meer.",
			[]string{"Mail naar info@gemeente.nl of kijk op gemeente.nl/bijstand voor meer."}},
		{"quotes", `Kies "Aanvragen". "Klaar" ziet u daarna.`,
			[]string{`Kies "Aanvragen".`, `"Klaar" ziet u daarna.`}},
		{"closing bracket", "Vraag het aan (dat kan online.) Daarna wacht u.",
			[]string{"Vraag het aan (dat kan online.)", "Daarna wacht u."}},
		{"blocks", "Voorwaarden\n\nU bent 18 jaar of ouder\n\nU woont in de gemeente",
			[]string{"Voorwaarden", "U bent 18 jaar of ouder", "U woont in de gemeente"}},
		{"heading then text", "Bijzondere bijstand\nU kunt geld krijgen voor extra kosten.",
			[]string{"Bijzondere bijstand", "U kunt geld krijgen voor extra kosten."}},
		{"list items", "U heeft nodig:\n- uw DigiD\n- uw loonstroken\n* een bankafschrift\n• uw huurcontract",
			[]string{"U heeft nodig:", "uw DigiD", "uw loonstroken", "een bankafschrift", "uw huurcontract"}},
		{"numbered list", "1. Log in met DigiD.\n2. Vul het formulier in.\n3) Stuur het op.\na) Wacht op de brief.",
			[]string{"Log in met DigiD.", "Vul het formulier in.", "Stuur het op.", "Wacht op de brief."}},
		{"hard wrap joined", "U kunt de\ntoeslag online\naanvragen, ook\nals u geen DigiD heeft.",
			[]string{"U kunt de toeslag online aanvragen, ook als u geen DigiD heeft."}},
		{"wrapped list item", "- U woont in Nederland en\n  u bent 18 jaar of ouder\n- U heeft een laag inkomen",
			[]string{"U woont in Nederland en u bent 18 jaar of ouder", "U heeft een laag inkomen"}},
		{"table rows", "Leefsituatie: alleenstaand; Bedrag: € 1.401,50\nLeefsituatie: gehuwd; Bedrag: € 2.002,14",
			[]string{"Leefsituatie: alleenstaand; Bedrag: € 1.401,50", "Leefsituatie: gehuwd; Bedrag: € 2.002,14"}},
		{"crlf and extra spaces", "  U krijgt   bericht.\r\n\r\nDat duurt  8 weken.  ",
			[]string{"U krijgt bericht.", "Dat duurt 8 weken."}},
		{"no final punctuation", "Bel 14 020", []string{"Bel 14 020"}},
		{"hyphen is not a list marker mid line", "Het ESTA-formulier - dat is voor de VS - vult u zelf in.",
			[]string{"Het ESTA-formulier - dat is voor de VS - vult u zelf in."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sentences(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got  %q\n want %q", tt.in, got, tt.want)
			}
		})
	}
}
