package chat

import (
	"testing"

	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Whom a question is about ("voor mijn zoon") is no part of what it asks: the answer
// need not say it, and the confidence does not drop for it.
func TestConfidenceIgnoresKin(t *testing.T) {
	ts := &retrieval.TermStats{Chunks: 300, DF: map[string]int{"kost": 60, "paspoort": 50, "kind": 20, "zon": 2}}
	hits := []retrieval.Hit{{Title: "Wat kost een paspoort?", Body: "Een paspoort voor een kind kost maximaal € 64,25.", TextRank: 1, VectorScore: 0.6}}
	said := []Sentence{{Text: "Een paspoort voor een kind kost maximaal € 64,25.", Cite: 1, Support: 1}}
	plain := confidence("wat kost een paspoort", said, hits, ts)
	for _, q := range []string{"wat kost een paspoort voor mijn zoon", "mijn dochter en ik: wat kost een paspoort"} {
		if got := confidence(q, said, hits, ts); got != plain {
			t.Errorf("confidence(%q) = %.2f, want %.2f as without whom it is for", q, got, plain)
		}
	}
	if got := confidence("wat kost een paspoort voor de zonnebank", said, hits, ts); got >= plain {
		t.Errorf("a subject the answer lacks must lower the confidence: %.2f, not below %.2f", got, plain)
	}
}
