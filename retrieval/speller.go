package retrieval

import (
	"context"
	"regexp"
	"strings"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// Typo repair. A citizen who types "paspoord", "bijstant" or "huurtoelsag" finds
// nothing in the full text, and the built-in embedder does not know the word either,
// so the search runs on the question's other words. Before searching, a word of the
// question that the index does not have, in any form, is replaced by a word it does
// have that is one typing slip away. Only the slips citizens make are repaired, in this
// order of preference: a letter left out ("huurtoeslg", "doorgevn"), two neighbouring
// letters swapped ("huurtoelsag"), a final d for t or t for d ("bijstant", "paspoord"),
// and a letter typed twice ("paspooort"); among equals the word the most chunks have
// wins. A letter typed for another inside the word, or any other letter too many, is
// not repaired: on the sample sites that turned real words the index happens not to
// have into other words ("moeder" into "goeder", "morgen" into "mogen", "kleren" into
// "leren") and repaired no typo the other rules missed. Words shorter than five letters
// or longer than maxRepair, stopwords, the colloquial and English words of
// synonyms.txt and words with digits are left alone.

// speller holds the index's words (word_stats) for typo repair.
type speller struct {
	words map[string]spellWord // by folded form (dutch.Tokens)
	stems map[string]bool      // dutch.Stem of every word: a question word with a known stem is known
}

type spellWord struct {
	written  string // as the pages most often write it, lower case: the search stems it as it stemmed the page
	writtenN int    // chunks with that form
	ndoc     int    // chunks with any form that folds alike
}

func newSpeller(words map[string]int) *speller {
	sp := &speller{words: map[string]spellWord{}, stems: map[string]bool{}}
	for w, n := range words {
		toks := dutch.Tokens(w)
		if len(toks) != 1 {
			continue
		}
		key := toks[0]
		sw, ok := sp.words[key] // "financiële" and "financiele" fold alike
		if !ok {
			sp.stems[dutch.Stem(key)] = true
		}
		sw.ndoc += n
		if n > sw.writtenN || n == sw.writtenN && w < sw.written {
			sw.written, sw.writtenN = w, n
		}
		sp.words[key] = sw
	}
	return sp
}

var letters = regexp.MustCompile(`\p{L}+`)

// correct returns text with every unknown word replaced by the known word one typing
// slip away, and every known word written as the pages write it (without or with
// diacritics: the full-text search does not fold them).
func (sp *speller) correct(text string) string {
	if len(sp.words) == 0 {
		return text
	}
	text = letters.ReplaceAllStringFunc(text, func(w string) string {
		toks := dutch.Tokens(w)
		if len(toks) != 1 {
			return w
		}
		if sw, ok := sp.words[toks[0]]; ok && sw.written != strings.ToLower(w) {
			return sw.written // "financiele" as the pages write it: "financiële"
		}
		if fix, ok := sp.nearest(toks[0]); ok {
			return fix
		}
		if a, b, ok := sp.split(toks[0]); ok {
			return a + " " + b
		}
		return w
	})
	return sp.join(text)
}

// maxRepair is the longest word the typo repair looks at: longer than any Dutch word a
// citizen types, and a bound on the work a message of one long "word" can cause.
const maxRepair = 40

// repairable reports whether the folded word w is one the typo repair may change: of
// five to maxRepair plain letters, and no stopword.
func repairable(w string) bool {
	return len(w) >= 5 && len(w) <= maxRepair && !dutch.IsStopword(w) &&
		!strings.ContainsFunc(w, func(r rune) bool { return r < 'a' || r > 'z' })
}

// known reports whether the folded word w is in the index, in this or another form.
func (sp *speller) known(w string) bool {
	_, ok := sp.words[w]
	return ok || sp.stems[dutch.Stem(w)]
}

// split splits an unknown compound into two words the index has, with or without a
// linking s or e ("kwijtscheldingsnorm" → "kwijtschelding norm", "huurtoeslagaanvraag"
// → "huurtoeslag aanvraag"): a page that does not use the compound may well use its
// parts. Both parts are words the index has as written, of at least four letters; of
// several splits, the one with the longest first part wins.
func (sp *speller) split(w string) (string, string, bool) {
	if len(w) < 8 || !repairable(w) || sp.known(w) {
		return "", "", false
	}
	for i := len(w) - 4; i >= 4; i-- {
		head, tail := w[:i], w[i:]
		if _, ok := sp.words[tail]; !ok {
			continue
		}
		for _, h := range []string{strings.TrimSuffix(head, "s"), strings.TrimSuffix(head, "e"), head} {
			if _, ok := sp.words[h]; ok && len(h) >= 4 && !dutch.IsStopword(h) {
				return sp.form(h), sp.form(tail), true
			}
		}
	}
	return "", "", false
}

// form is the known folded word w as the pages write it.
func (sp *speller) form(w string) string { return sp.words[w].written }

// pairRe finds two words with only spaces between them.
var pairRe = regexp.MustCompile(`(\p{L}+)(\s+)(\p{L}+)`)

// join writes two words as one where the index has them as one compound, with or
// without a linking s ("trap lift" → "traplift", "brief adres" → "briefadres", "bijstand
// aanvraag" → "bijstandsaanvraag"). Stopwords and words under three letters are not
// joined.
func (sp *speller) join(text string) string {
	var b strings.Builder
	for {
		loc := pairRe.FindStringSubmatchIndex(text)
		if loc == nil {
			b.WriteString(text)
			return b.String()
		}
		first, second := text[loc[2]:loc[3]], text[loc[6]:loc[7]]
		a, c := dutch.Tokens(first), dutch.Tokens(second)
		joined := ""
		if len(a) == 1 && len(c) == 1 && len(a[0]) >= 3 && len(c[0]) >= 3 && !dutch.IsStopword(a[0]) && !dutch.IsStopword(c[0]) {
			for _, cand := range []string{a[0] + c[0], a[0] + "s" + c[0]} {
				if _, ok := sp.words[cand]; ok {
					joined = sp.words[cand].written
					break
				}
			}
		}
		if joined == "" { // go on from the second word, which may join the next
			b.WriteString(text[:loc[6]])
			text = text[loc[6]:]
			continue
		}
		b.WriteString(text[:loc[0]] + joined)
		text = text[loc[1]:]
	}
}

// nearest returns the written form of the known word one typing slip from the folded
// word w, if w is unknown and there is one.
func (sp *speller) nearest(w string) (string, bool) {
	if !repairable(w) || dutch.Official(w) != w || sp.known(w) {
		return "", false
	}
	best, bestN := "", 0
	try := func(cand string) {
		if sw, ok := sp.words[cand]; ok && (sw.ndoc > bestN || sw.ndoc == bestN && cand < best) {
			best, bestN = cand, sw.ndoc
		}
	}
	for _, slip := range []func(string, func(string)){leftOut, swapped, finalDT, doubled} {
		slip(w, try)
		if best != "" {
			return sp.words[best].written, true
		}
	}
	return "", false
}

// leftOut calls f with w and one letter put back anywhere.
func leftOut(w string, f func(string)) {
	for i := 0; i <= len(w); i++ {
		for c := byte('a'); c <= 'z'; c++ {
			f(w[:i] + string(c) + w[i:])
		}
	}
}

// swapped calls f with w and two neighbouring letters swapped back.
func swapped(w string, f func(string)) {
	b := []byte(w)
	for i := 0; i+1 < len(b); i++ {
		if b[i] != b[i+1] {
			b[i], b[i+1] = b[i+1], b[i]
			f(string(b))
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
}

// doubled calls f with w and one of two equal neighbouring letters left out: a key
// held down ("paspooort", "gemeentte").
func doubled(w string, f func(string)) {
	for i := 0; i+1 < len(w); i++ {
		if w[i] == w[i+1] {
			f(w[:i] + w[i+1:])
		}
	}
}

// finalDT calls f with w's final d made a t, or its final t a d: they sound alike.
func finalDT(w string, f func(string)) {
	switch w[len(w)-1] {
	case 'd':
		f(w[:len(w)-1] + "t")
	case 't':
		f(w[:len(w)-1] + "d")
	}
}

// Correct returns text with the words the index does not have replaced by the nearest
// words it has ("paspoord" → "paspoort"; see speller.go). Search does this itself;
// the answering code calls it first so that its answerer reads the question the search ran.
func (s *Store) Correct(ctx context.Context, text string) (string, error) {
	c, err := s.counts(ctx)
	if err != nil {
		return text, err
	}
	return c.words.correct(text), nil
}
