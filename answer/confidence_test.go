package answer

import (
	"slices"
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

// A long message's story is no part of what it asks: the words no passage has are
// left out, except the most specific word the index knows.
func TestStoryless(t *testing.T) {
	ts := &retrieval.TermStats{Chunks: 300, DF: map[string]int{"bijstand": 40, "spaargeld": 12, "horeca": 1, "baantj": 3, "kamer": 30, "gestopt": 20, "krijg": 90}}
	hits := []retrieval.Hit{{Title: "Bijstand", Body: "U kunt bijstand krijgen als uw spaargeld op is."}}
	long := uniqueTerms("ik ben 24 woon op een kamer mijn baantje in de horeca is gestopt mijn spaargeld is bijna op kan ik bijstand krijgen of niet eigenlijk")
	if len(long) < longMessage {
		t.Fatalf("the long message has %d terms, want at least %d", len(long), longMessage)
	}
	got := storyless(long, hits, ts)
	for _, want := range []string{"bijstand", "spaargeld", "horeca"} { // horeca: the rarest word stays
		if !slices.Contains(got, want) {
			t.Errorf("storyless = %q: lacks %q", got, want)
		}
	}
	for _, gone := range []string{"kamer", "gestopt", "24"} {
		if slices.Contains(got, gone) {
			t.Errorf("storyless = %q: keeps %q, a word of the story", got, gone)
		}
	}
	short := uniqueTerms("mijn baantje is gestopt, krijg ik bijstand")
	if got := storyless(short, hits, ts); !slices.Equal(got, short) {
		t.Errorf("a short question lost terms: %q, want %q", got, short)
	}
}
