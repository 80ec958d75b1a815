package answer

import (
	"regexp"
	"slices"
	"strings"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// A question outside what the index covers often still finds a sentence with its
// words: "Hoe vraag ik een rijbewijs aan?" finds "U moet kunnen aantonen wie u bent,
// bijvoorbeeld met uw rijbewijs" on a page about lost passports, and "Hoe lang krijg ik
// WW?" finds "Ook met loon, een WW-uitkering, AOW of pensioen kunt u bijzondere
// bijstand krijgen". The words match, so coverage and confidence are high; but the page
// mentions the subject as an example of something else. offTopic catches that case.

// exampleCueRe starts the part of a sentence that gives examples.
var exampleCueRe = regexp.MustCompile(`(?i)\b(bijvoorbeeld|zoals|onder andere|onder meer|denk aan)\b`)

// exampleTerms are the terms of sentences that stand in examples: after a cue word
// ("bijvoorbeeld", "zoals"), or in an enumeration of three or more ("loon, een
// WW-uitkering, AOW of pensioen").
func exampleTerms(sentences []Sentence) []string {
	var out []string
	for _, s := range sentences {
		for _, sen := range dutch.Sentences(strings.ReplaceAll(s.Text, "\n", " ")) {
			if loc := exampleCueRe.FindStringIndex(sen); loc != nil {
				out = append(out, sentenceTerms(sen[loc[1]:])...)
			}
			// An enumeration: from the word with its first comma to the word after its
			// last "of" or "en".
			words := strings.Fields(sen)
			first := slices.IndexFunc(words, func(w string) bool { return strings.HasSuffix(w, ",") })
			last := -1
			for i, w := range words {
				if i > first && (w == "of" || w == "en") {
					last = i
				}
			}
			if first >= 0 && last > first && shortItems(words[first+1:last]) {
				out = append(out, sentenceTerms(strings.Join(words[first:min(last+2, len(words))], " "))...)
			}
		}
	}
	return out
}

// shortItems reports whether the words between an enumeration's first comma and its
// last "of" or "en" are short items: at most four words between two commas. "Ja, u
// kunt kiezen tussen 140 liter en 240 liter" has a comma and an "en" but no list.
func shortItems(words []string) bool {
	n := 0
	for _, w := range words {
		n++
		if strings.HasSuffix(w, ",") {
			n = 0
		}
		if n > 4 {
			return false
		}
	}
	return true
}

// topicTerms are the terms of what a passage is about: its page title, its heading path
// and the headings inside it.
func topicTerms(h retrieval.Hit) []string {
	var b strings.Builder
	b.WriteString(h.Title + "\n" + h.Headings)
	for _, l := range strings.Split(h.Body, "\n") {
		if l = strings.TrimSpace(l); l != "" && isHeading(l) {
			b.WriteString("\n" + l)
		}
	}
	return sentenceTerms(b.String())
}

// offTopic reports whether an answer is about something else than the question: the
// question's most specific word (the rarest the index knows, or one of the equally
// rarest; words no chunk has, such as typos, say nothing) is in the answer only as an
// example, and the titles and headings of the cited passages have none of the
// question's words (in official words: dutch.Official). A yes/no question ("kan de
// gemeente helpen met een kapotte wasmachine?") is never off topic: a list that names
// its subject as an example answers it.
func offTopic(question string, sentences []Sentence, hits []retrieval.Hit, ts *retrieval.TermStats) bool {
	if ts == nil || yesNoQuestion(question) {
		return false
	}
	var said, topic []string
	cited := map[int]bool{}
	for _, s := range sentences {
		said = append(said, sentenceTerms(s.Text)...)
		if !cited[s.Cite] {
			cited[s.Cite] = true
			topic = append(topic, topicTerms(hits[s.Cite-1])...)
		}
	}
	terms := uniqueTerms(dutch.Official(question))
	for _, t := range terms {
		if ts.DF[t] > 0 && findTerm(t, topic) {
			return false // the cited page is about (part of) what was asked
		}
	}
	examples := exampleTerms(sentences)
	for _, t := range rarestTerms(terms, ts) {
		if findTerm(t, said) && findTerm(t, examples) {
			return true
		}
	}
	return false
}

// yesNoVerbs open a Dutch yes/no question: "Mag …?", "Kan de gemeente helpen?", "Is
// daar iets voor?", "Telt … mee?".
var yesNoVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Fields(`mag mogen kan kun kunt kunnen moet moeten is zijn ben bent
		heb hebt heeft hebben krijg krijgt krijgen valt vallen telt tellen hoort horen betaalt
		betalen vergoedt vergoeden geldt gelden wil wilt willen zal zult zullen zou zouden word
		wordt worden komt komen doet doen gaat gaan klopt bestaat bestaan helpt helpen neemt
		nemen geeft geven hoef hoeft hoeven blijft blijven`) {
		m[v] = true
	}
	return m
}()

// yesNoQuestion reports whether the question's last clause asks yes or no: it opens
// with a verb ("mijn wasmachine is kapot, kan de gemeente helpen?", "mogen drinkpakken
// bij het plastic"). The answer to "does X count, is there help for X" may name X only
// as an example of what counts, which is not so for "how do I get X".
func yesNoQuestion(question string) bool {
	sens := dutch.Sentences(question)
	if len(sens) == 0 {
		return false
	}
	last := sens[len(sens)-1]
	if i := strings.LastIndex(last, ","); i >= 0 && len(strings.Fields(last[i+1:])) >= 2 {
		last = last[i+1:]
	}
	toks := dutch.Tokens(last)
	return len(toks) > 0 && yesNoVerbs[toks[0]]
}

// rarestTerms are the question's most specific terms: the rarest the index knows, or
// several when they are equally rare. Terms no chunk has (typos, the story of a long
// message) say nothing.
func rarestTerms(terms []string, ts *retrieval.TermStats) []string {
	var rarest []string
	weight := 0.0
	for _, t := range terms {
		if ts.DF[t] == 0 {
			continue
		}
		switch w := ts.IDF(t); {
		case w > weight+1e-9:
			rarest, weight = []string{t}, w
		case w > weight-1e-9:
			rarest = append(rarest, t)
		}
	}
	return rarest
}
