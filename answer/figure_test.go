package answer

import "testing"

func TestAskedFigure(t *testing.T) {
	tests := []struct {
		question string
		kind     figureKind
		fits     string // a sentence holding the figure asked for
		misses   string // a sentence with another figure
	}{
		{"wat kost een paspoort", moneyFigure, "Een paspoort kost € 88,15.", "U krijgt het na 5 werkdagen."},
		{"hoe hoog is de eigen bijdrage", moneyFigure, "De eigen bijdrage is 21 euro per maand.", "Dat geldt vanaf 1 januari 2026."},
		{"tot hoelaat is de balie open op vrijdag", timeFigure, "Op vrijdag is de balie open tot 12.30 uur.", "Het kost € 5."},
		{"wanneer wordt de bijstand betaald", timeFigure, "De bijstand staat rond 25 maart op uw rekening.", "Het gaat om € 1.401,50."},
		{"hoe lang duurt een aanvraag", durationFigure, "U krijgt binnen 8 weken een besluit.", "De balie sluit om 16.30 uur."},
		{"binnen welke termijn kan ik bezwaar maken", durationFigure, "Dat kan binnen zes weken.", "Het kost € 25."},
		{"hoeveel containers mag ik hebben", anyFigure, "U mag 2 containers hebben.", ""},
	}
	for _, tc := range tests {
		t.Run(tc.question, func(t *testing.T) {
			if got := askedFigure(tc.question); got != tc.kind {
				t.Fatalf("askedFigure = %d, want %d", got, tc.kind)
			}
			if !hasFigure(tc.kind, tc.fits) {
				t.Errorf("%q holds no figure of the kind asked for", tc.fits)
			}
			if tc.misses != "" && hasFigure(tc.kind, tc.misses) {
				t.Errorf("%q counts as the kind of figure asked for", tc.misses)
			}
		})
	}
	if askedFigure("waar kan ik mijn grofvuil kwijt") != noFigure {
		t.Error("a question without a figure asks for one")
	}
}
