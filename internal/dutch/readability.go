package dutch

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Syllables estimates the number of syllables of a Dutch word by counting
// vowel nuclei.
//
// The vowels are a, e, i, o, u and y (with any diacritic), and the j of "ij".
// A run of vowels is cut into nuclei from left to right, longest first:
// the three-letter groups aai, ooi, oei, ieu, eeu and eau, then the two-letter
// groups aa, ee, oo, uu, ie, oe, eu, ui, ei, ij, ou, au, ai, ay, ey, oy; any
// other vowel is a nucleus of its own ("situatie" is si-tu-a-tie, "draaien"
// draai-en). A trema always starts a new nucleus ("financiële", "coördinatie",
// "ruïne"); other accents are ignored ("één" is one). A y at the start of a
// word before a vowel is a consonant ("yoghurt").
//
// Every word with a letter counts at least 1 ("BSN", "hmm"); a word of digits
// only ("2026", "1.401,50") counts 1. We do not spell numbers out: plain
// language guides ask for numbers in digits because they are quick to read,
// so counting them as long spoken words would punish good practice. Words of
// other characters only count 0. Loan words and acronyms are approximate
// ("e-mail" is counted 2, "team" 2).
func Syllables(word string) int {
	letters := make([]byte, 0, len(word))
	trema := make([]bool, 0, len(word)) // trema[i]: letters[i] carried a diaeresis
	hasLetter, hasDigit := false, false
	for _, r := range norm.NFD.String(strings.ToLower(word)) {
		switch {
		case 'a' <= r && r <= 'z':
			letters = append(letters, byte(r))
			trema = append(trema, false)
			hasLetter = true
		case r == '\u0308': // combining diaeresis
			if len(trema) > 0 {
				trema[len(trema)-1] = true
			}
		case r == 'ĳ':
			letters = append(letters, 'i', 'j')
			trema = append(trema, false, false)
			hasLetter = true
		case '0' <= r && r <= '9':
			hasDigit = true
			letters = append(letters, '-') // a separator
			trema = append(trema, false)
		case unicode.Is(unicode.Mn, r):
			// Another accent: ignore it.
		case unicode.IsLetter(r):
			// A letter outside a–z (ø, æ, other scripts): count it as a
			// consonant so the word has at least one syllable.
			letters = append(letters, '-')
			trema = append(trema, false)
			hasLetter = true
		default:
			letters = append(letters, '-')
			trema = append(trema, false)
		}
	}
	if !hasLetter {
		if hasDigit {
			return 1
		}
		return 0
	}

	n := 0
	for i := 0; i < len(letters); {
		if !isVowelAt(letters, i) {
			i++
			continue
		}
		// A vowel run from i to j.
		j := i + 1
		for j < len(letters) && isVowelAt(letters, j) {
			j++
		}
		for k := i; k < j; {
			n++
			k += nucleus(letters[k:j], trema[k:j])
		}
		i = j
	}
	return max(n, 1)
}

// isVowelAt reports whether letters[i] is part of a vowel: a, e, i, o, u, y
// (not a word-initial y before a vowel) or the j of "ij".
func isVowelAt(letters []byte, i int) bool {
	switch letters[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	case 'y':
		initial := i == 0 || letters[i-1] == '-'
		return !(initial && i+1 < len(letters) && strings.IndexByte("aeiou", letters[i+1]) >= 0)
	case 'j':
		return i > 0 && letters[i-1] == 'i'
	}
	return false
}

var (
	trigraphs = [...]string{"aai", "ooi", "oei", "ieu", "eeu", "eau"}
	digraphs  = [...]string{"aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui", "ei", "ij", "ou", "au", "ai", "ay", "ey", "oy"}
)

// nucleus returns the length of the vowel nucleus at the start of the vowel
// run v. A letter with a trema is never the second or third letter of one.
func nucleus(v []byte, trema []bool) int {
	fits := func(g string) bool {
		if len(v) < len(g) || string(v[:len(g)]) != g {
			return false
		}
		for _, t := range trema[1:len(g)] {
			if t {
				return false
			}
		}
		return true
	}
	for _, g := range trigraphs {
		if fits(g) {
			return 3
		}
	}
	for _, g := range digraphs {
		if fits(g) {
			return 2
		}
	}
	return 1
}

// Readability is the Flesch-Douma score of a text and the counts behind it.
type Readability struct {
	FleschDouma         float64
	AvgSentenceWords    float64
	AvgSyllablesPerWord float64
	Sentences, Words    int
}

// Score computes the Flesch-Douma readability of text, Douma's (1960)
// adaptation of the Flesch Reading Ease to Dutch:
//
//	206.835 − 0.93 × (words / sentences) − 77 × (syllables / words)
//
// Sentences are those of Sentences. A word is a whitespace-separated piece of
// a sentence containing a letter or digit, as a reader sees it: a hyphenated
// compound ("ESTA-formulier") or an amount ("€ 1.401,50" gives one word,
// "1.401,50") is one word. (Tokens splits and folds differently because it
// serves matching; folding would lose the trema Syllables needs.) Syllables
// are counted with Syllables. For a text without words the result is all
// zeros.
func Score(text string) Readability {
	var r Readability
	syllables := 0
	for _, s := range Sentences(text) {
		words := 0
		for w := range strings.FieldsSeq(s) {
			if hasAlnum(w) {
				words++
				syllables += Syllables(w)
			}
		}
		if words > 0 {
			r.Sentences++
			r.Words += words
		}
	}
	if r.Words == 0 {
		return Readability{}
	}
	r.AvgSentenceWords = float64(r.Words) / float64(r.Sentences)
	r.AvgSyllablesPerWord = float64(syllables) / float64(r.Words)
	r.FleschDouma = 206.835 - 0.93*r.AvgSentenceWords - 77*r.AvgSyllablesPerWord
	return r
}

// B1 thresholds; see Readability.B1.
const (
	B1MinFleschDouma      = 60
	B1MaxAvgSentenceWords = 15
)

// B1 reports whether the text is likely readable at language level B1
// ("taalniveau B1"): a Flesch-Douma score of at least 60 and sentences of at
// most 15 words on average.
//
// Why these numbers: on the usual Flesch-Douma scale 60–70 is "normal" text,
// the band Dutch readability tools put at the reading level of most adults,
// and below 60 the text moves to the "fairly difficult" band aimed at readers
// with upper secondary education. Dutch plain-language guidance for B1
// (writing guides used by government and the "Direct Duidelijk" programme)
// advises short sentences of about 15 words at most, so the average is capped
// there too: Flesch-Douma trades long sentences against short words, and a
// text of long sentences full of one-syllable words would otherwise pass.
//
// This is a necessary check, not a sufficient one. The formula does not see
// word familiarity (short jargon such as "WOZ", "bsn" or "akte" scores
// well), active voice or structure, which B1 also needs. Use it to
// flag answers, not to certify them. An empty text is not B1.
func (r Readability) B1() bool {
	return r.Words > 0 && r.FleschDouma >= B1MinFleschDouma && r.AvgSentenceWords <= B1MaxAvgSentenceWords
}
