package answer

import (
	"regexp"
	"strings"
)

// figureKind is the kind of figure a question asks for.
type figureKind int

const (
	noFigure       figureKind = iota
	anyFigure                 // some number: "hoeveel", "maximaal"
	moneyFigure               // an amount: "wat kost", "hoe hoog is de bijdrage"
	timeFigure                // a clock time, a day or a date: "wanneer", "tot hoe laat"
	durationFigure            // a period: "hoe lang", "binnen welke termijn"
)

// figureCues map the words of a question to the kind of figure it asks for; the
// first kind whose cue the question has wins: "hoe lang" is a period, "wanneer wordt
// het betaald" a date.
var figureCues = []struct {
	kind figureKind
	re   *regexp.Regexp
}{
	{durationFigure, regexp.MustCompile(`\bhoe ?lang\b|\btermijn|\bbinnen hoeveel\b|\bhoeveel (werk)?(dagen|weken|maanden|jaar)\b|\bduurt\b|\bduren\b`)},
	{timeFigure, regexp.MustCompile(`\bwanneer\b|\bhoe ?laat\b|\bopen\b|\bopeningstijd|\bwelke dag|\bdatum\b`)},
	{moneyFigure, regexp.MustCompile(`\bkost|\bprijs|\btarie|\bbedrag|\bhoe ?veel geld\b|\bhoe hoog\b|\beuro\b|\bbetaal|\bbetalen\b|\bbijdrage\b|\bhoeveel (krijg|is)\b`)},
	{anyFigure, regexp.MustCompile(`\bhoeveel\b|\bmaximaal\b|\bminimaal\b|\bhoe oud\b|\bleeftijd\b`)},
}

// askedFigure returns the kind of figure the question asks for.
func askedFigure(question string) figureKind {
	q := strings.ToLower(question)
	for _, c := range figureCues {
		if c.re.MatchString(q) {
			return c.kind
		}
	}
	return noFigure
}

var (
	moneyRe    = regexp.MustCompile(`(?i)€\s?\d|\d\s?euro\b`)
	timeRe     = regexp.MustCompile(`(?i)\b\d{1,2}[.:]\d{2}\b|\b(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|werkdag\w*)\b|\b\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\b`)
	durationRe = regexp.MustCompile(`(?i)\b(\d+|een|twee|drie|vier|vijf|zes|acht|tien|twaalf)\s(werk)?(dag|dagen|week|weken|maand|maanden|jaar)\b`)
)

// hasFigure reports whether text holds a figure of the kind.
func hasFigure(kind figureKind, text string) bool {
	switch kind {
	case moneyFigure:
		return moneyRe.MatchString(text)
	case timeFigure:
		return timeRe.MatchString(text)
	case durationFigure:
		return durationRe.MatchString(text)
	case anyFigure:
		return len(numbers(text)) > 0
	}
	return false
}
