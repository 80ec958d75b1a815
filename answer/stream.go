package answer

import (
	"strings"

	"github.com/vraagbaak/vraagbaak/retrieval"
)

// What a citizen reads while an answer is written.
//
// Nothing unchecked reaches a citizen: a language model's raw text is never shown.
// Its sentences are taken one by one as they are settled (settledSentences) and each
// goes through the citation check the final answer uses (checkSentence). The checked
// sentences are held back until, together, they pass what decides whether an answer
// is given at all: the confidence and the off-topic check (Service.decide). Then they
// are released, each as a piece of the final text with its citation marker, and from
// then on a sentence is released as soon as it is settled, if the answer with it
// still passes; a sentence that would not is left out of the answer. So once anything
// was shown the answer is given, and it begins with exactly what was shown: it can no
// longer become a refusal. A model that stops with an error, or writes "GEEN
// ANTWOORD", after sentences were released ends the answer with those sentences.
// While nothing is released the answer is decided as before, when the model is done.
// The answer is the same whether or not anyone listens (eval asks without listening).

// composer writes an answer's text sentence by sentence: citations numbered in order
// of first use, each sentence with its marker, a list on lines of its own. Each piece
// it returns is the text that follows the pieces before it.
type composer struct {
	hits      []retrieval.Hit
	num       map[int]int // passage position → citation number
	citations []Citation
	sentences []Sentence // with citation numbers
	text      strings.Builder
}

func newComposer(hits []retrieval.Hit) *composer {
	return &composer{hits: hits, num: map[int]int{}}
}

// add appends a checked sentence (citing a passage by position) and returns its piece.
func (c *composer) add(sen Sentence) string {
	n, ok := c.num[sen.Cite]
	if !ok {
		n = len(c.num) + 1
		c.num[sen.Cite] = n
		h := c.hits[sen.Cite-1]
		c.citations = append(c.citations, Citation{N: n, URL: h.CitationURL(), Title: h.Title, CheckedAt: h.CheckedAt.Format("2006-01-02"), Support: sen.Support})
	}
	cite := &c.citations[n-1]
	cite.Support = min(cite.Support, sen.Support)
	var b strings.Builder
	if k := len(c.sentences); k > 0 {
		// A list stands on lines of its own.
		if strings.Contains(sen.Text, "\n") || strings.Contains(c.sentences[k-1].Text, "\n") {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	b.WriteString(withMarker(sen.Text, n))
	sen.Cite = n
	c.sentences = append(c.sentences, sen)
	c.text.WriteString(b.String())
	return b.String()
}

// release decides, for one answer, which of a model's settled sentences are shown
// while it writes (see the comment at the top of this file).
type release struct {
	s        *Service
	asked    string // the question in official words, for the confidence
	question string // the question as searched, for the off-topic check
	hits     []retrieval.Hit
	terms    *retrieval.TermStats
	onDelta  func(string) // nil: nobody listens

	seen  int        // settled sentences looked at
	held  []Sentence // checked, waiting until together they pass
	shown []Sentence // released, in order (citing passages by position)
	comp  *composer  // the released sentences' text
}

func (s *Service) newRelease(asked, question string, hits []retrieval.Hit, ts *retrieval.TermStats, onDelta func(string)) *release {
	return &release{s: s, asked: asked, question: question, hits: hits, terms: ts, onDelta: onDelta, comp: newComposer(hits)}
}

// settle takes the settled sentences so far (each call extends the list before).
func (r *release) settle(sentences []Sentence) {
	for _, sen := range sentences[min(r.seen, len(sentences)):] {
		r.seen++
		r.take(sen)
	}
}

// finish takes the sentences of the whole text, which begin with the settled ones.
func (r *release) finish(sentences []Sentence) { r.settle(sentences) }

func (r *release) take(sen Sentence) {
	sen, ok := r.s.checkSentence(sen, r.hits)
	if !ok {
		return
	}
	if len(r.shown) == 0 {
		r.held = append(r.held, sen)
		if _, reason := r.s.decide(r.asked, r.question, r.held, r.hits, r.terms); reason == "" {
			for _, h := range r.held {
				r.show(h)
			}
			r.held = nil
		}
		return
	}
	with := append(append([]Sentence(nil), r.shown...), sen)
	if _, reason := r.s.decide(r.asked, r.question, with, r.hits, r.terms); reason == "" {
		r.show(sen)
	}
}

func (r *release) show(sen Sentence) {
	r.shown = append(r.shown, sen)
	piece := r.comp.add(sen)
	if r.onDelta != nil {
		r.onDelta(piece)
	}
}
