// Package answer turns a citizen's question into an answer, a refusal or a hand-off
// to a person: the triage of hand-offs (the rules of handoff.txt and the crisis
// detector trained on crisis/*.jsonl, with the safety note of its unsure band), the
// guard (guard.txt and the guard classifier), typo repair and synonyms through
// retrieval's search, the extractive and the optional generative answerer,
// the citation check, confidence, the off-topic check and readability (Service), the
// typed refusal and hand-off reasons, and the answer and draft types. The rule files
// are values parsed and checked before a Service is built (Rules, DefaultRules,
// ParseGuardRules, ParseHandoffRules); NewService refuses incomplete rules.
//
// chat, eval and cmd/vraagbaak import it; answer/answertest only in tests. It
// imports retrieval, internal/dutch, internal/pii and internal/textclass; never chat,
// gorilla/websocket, prometheus or langchaingo: a language model reaches it as a
// GenerateFunc. It has no tables of its own and records no metrics: an Answer
// carries its outcome, reasons and timings for the caller to store and count.
package answer
