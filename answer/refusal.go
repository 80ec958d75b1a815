package answer

// RefusalReason says why a question was refused; it is stored in the answer log
// (answers.refusal_reason) and reported by eval and `vraagbaak ask --json`.
type RefusalReason string

// The guard's reasons: the question is outside what an official assistant may do.
// Each has a message for the citizen (RefusalMessage) and a section in guard.txt.
const (
	RefusalOutOfDomain      RefusalReason = "out_of_domain"
	RefusalVotingAdvice     RefusalReason = "voting_advice"
	RefusalFillInForCitizen RefusalReason = "fill_in_for_citizen"
	RefusalWriteLetter      RefusalReason = "write_letter"
	RefusalPromptInjection  RefusalReason = "prompt_injection"
	RefusalFraud            RefusalReason = "fraud"
	RefusalDiscrimination   RefusalReason = "discrimination"
)

// The answerers' reasons: no reliable answer was found; the citizen reads
// NoAnswerMessage.
const (
	RefusalNoPassages    RefusalReason = "no_passages"     // the search found nothing
	RefusalUnsupported   RefusalReason = "unsupported"     // no sentence passed the citation check
	RefusalLowConfidence RefusalReason = "low_confidence"  // below Config.MinConfidence
	RefusalOffTopic      RefusalReason = "off_topic"       // the answer is not about the question's subject
	RefusalNotInPassages RefusalReason = "not_in_passages" // the language model found no answer in the passages
	RefusalAnswererError RefusalReason = "answerer_error"  // the built-in answerer failed
)

// NotFound reports whether the reason is that no reliable answer was found (the
// answerers' reasons but a failure), not that the question was outside the
// assistant's task; two such refusals in a row hand the conversation to a person.
func (r RefusalReason) NotFound() bool {
	switch r {
	case RefusalNoPassages, RefusalUnsupported, RefusalLowConfidence, RefusalOffTopic, RefusalNotInPassages:
		return true
	}
	return false
}
