package answer

import (
	"strings"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// followUpOpeners start a question that continues the previous one: "en hoeveel kost
// dat?", "maar als ik …", "ook voor kinderen?".
var followUpOpeners = map[string]bool{"en": true, "maar": true, "ook": true, "dus": true, "of": true}

// followUpReferences point back to what was asked before.
var followUpReferences = map[string]bool{
	"dat": true, "dit": true, "die": true, "deze": true, "ervoor": true, "daarvoor": true,
	"hiervoor": true, "daar": true, "daarmee": true, "ermee": true, "erover": true, "daarover": true,
	"zo'n": true, "zoiets": true,
}

// SearchText is what to search for a question in a conversation: the question itself,
// or, when it is a short follow-up that leans on the previous question ("en hoeveel
// kost dat?" after a question about a passport), the previous question's content
// words followed by the question. (retrieval.Search adds the official words for
// colloquial ones; the answerer compares the question in official words.)
func SearchText(question, previous string) string {
	if previous == "" || !isFollowUp(question) {
		return question
	}
	var context []string
	for _, t := range dutch.Tokens(previous) {
		if !dutch.IsStopword(t) && len(t) > 2 {
			context = append(context, t)
		}
	}
	if len(context) == 0 {
		return question
	}
	return strings.Join(context, " ") + " " + question
}

// isFollowUp reports whether a question depends on the one before it: short, with at
// most two content words of its own, and opening with a connective or pointing back
// with a pronoun.
func isFollowUp(question string) bool {
	tokens := dutch.Tokens(question)
	if len(tokens) == 0 || len(tokens) > 8 {
		return false
	}
	content, refers := 0, followUpOpeners[tokens[0]]
	for _, t := range tokens {
		if followUpReferences[t] {
			refers = true
		}
		if !dutch.IsStopword(t) && !followUpReferences[t] {
			content++
		}
	}
	return refers && content <= 2
}
