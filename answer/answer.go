package answer

import (
	"context"
	"time"

	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Outcome says what became of a question.
type Outcome string

const (
	Answered Outcome = "answered"
	Refused  Outcome = "refused"
	Handoff  Outcome = "handoff"
)

// Citation is one numbered source of an answer.
type Citation struct {
	N         int     `json:"n"`
	URL       string  `json:"url"` // canonical URL with the section anchor
	Title     string  `json:"title"`
	CheckedAt string  `json:"checked_at"` // date the page was last confirmed, YYYY-MM-DD
	Support   float64 `json:"support"`    // lowest support score of the sentences citing it
}

// Sentence is one sentence of an answer and the passage it cites.
type Sentence struct {
	Text    string  `json:"text"`
	Cite    int     `json:"cite"`    // citation number, 1-based
	Support float64 `json:"support"` // how well the cited passage supports the sentence, 0..1
}

// Readability of an answer.
type Readability struct {
	FleschDouma      float64 `json:"flesch_douma"`
	AvgSentenceWords float64 `json:"avg_sentence_words"`
}

// Answer is the result for one question.
type Answer struct {
	Outcome       Outcome       `json:"outcome"`
	Text          string        `json:"answer"` // sentences with [n] markers
	Citations     []Citation    `json:"citations"`
	Sentences     []Sentence    `json:"sentences"`
	Confidence    float64       `json:"confidence"`
	Readability   Readability   `json:"readability"`
	RefusalReason RefusalReason `json:"refusal_reason,omitempty"`
	RefusalSource string        `json:"refusal_source,omitempty"` // what decided a guard refusal: "rules", "classifier fraud 0.83"
	HandoffReason string        `json:"handoff_reason"`
	HandoffTopic  string        `json:"handoff_topic,omitempty"`  // the triage rule group, for staff
	HandoffSource string        `json:"handoff_source,omitempty"` // what decided the hand-off: "rules zelfdoding", "detector suicide 0.87"
	Priority      int           `json:"priority,omitempty"`       // of a hand-off: 1 emergency … 5 complex
	// SafetyNote is the emergency class ("suicide", "violence", "danger") whose
	// numbers a safety note at the end of Text gives, "" for none: the crisis
	// detector was unsure (safetynote.go). SafetyNoteScore is its probability.
	SafetyNote      string          `json:"safety_note,omitempty"`
	SafetyNoteScore float64         `json:"safety_note_score,omitempty"`
	Answerer        string          `json:"answerer"` // "builtin-extractive" or the model's name
	Passages        []retrieval.Hit `json:"-"`
	Timings         Timings         `json:"timings_ms"`
}

// Timings of the steps of answering, in milliseconds.
type Timings struct {
	Retrieval float64 `json:"retrieval"`
	Answering float64 `json:"answering"`
	Total     float64 `json:"total"`
}

// Draft is what an answerer proposes before the citation check: sentences citing
// passages by their 1-based position in the passages it was given.
type Draft struct {
	Sentences []Sentence
	Answerer  string
}

// GenerateFunc asks a language model for a completion of a system instruction and a
// user message, calling onDelta with each streamed piece of text, and returns the
// whole text. internal/llm provides one for Ollama and OpenAI-compatible servers.
type GenerateFunc func(ctx context.Context, system, user string, onDelta func(string)) (string, error)

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
