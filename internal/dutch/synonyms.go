package dutch

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:embed synonyms.txt
var synonymsText string

// synonym is one colloquial variant (one or more tokens) and the word official pages
// use for it.
type synonym struct {
	variant  []string
	official string
}

// synonyms parses synonymsText once and indexes the variants by their first token. A
// broken file (TestSynonymsFile checks the embedded one) expands nothing.
var synonyms = sync.OnceValues(func() (map[string][]synonym, error) {
	list, err := parseSynonyms(synonymsText)
	if err != nil {
		return nil, err
	}
	byFirst := map[string][]synonym{}
	for _, s := range list {
		byFirst[s.variant[0]] = append(byFirst[s.variant[0]], s)
	}
	return byFirst, nil
})

// variantAt returns the longest variant that starts at toks[i], if any.
func variantAt(byFirst map[string][]synonym, toks []string, i int) (synonym, bool) {
	var best synonym
	for _, s := range byFirst[toks[i]] {
		if len(s.variant) > len(best.variant) && i+len(s.variant) <= len(toks) && slices.Equal(toks[i:i+len(s.variant)], s.variant) {
			best = s
		}
	}
	return best, best.variant != nil
}

// parseSynonyms reads the "official: variant, variant" lines of synonyms.txt.
func parseSynonyms(src string) ([]synonym, error) {
	var out []synonym
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		official, variants, ok := strings.Cut(line, ":")
		official = strings.Join(Tokens(official), " ")
		if !ok || official == "" {
			return nil, fmt.Errorf("synonyms.txt:%d: want \"official: variant, variant\"", n+1)
		}
		for _, v := range strings.Split(variants, ",") {
			toks := Tokens(v)
			if len(toks) == 0 {
				return nil, fmt.Errorf("synonyms.txt:%d: empty variant", n+1)
			}
			out = append(out, synonym{variant: toks, official: official})
		}
	}
	return out, nil
}

// Expand returns text with the official word added for every colloquial or outdated
// word it has (synonyms.txt: "gejat" adds "gestolen", "huursubsidie" adds
// "huurtoeslag"), so that a search and an answer find the page that uses the official
// word. The text keeps its own words; an official word it already has is not added
// again, so Expand(Expand(s)) == Expand(s).
func Expand(text string) string {
	byFirst, err := synonyms()
	if err != nil {
		return text
	}
	toks := Tokens(text)
	var found []string
	for i := range toks {
		if s, ok := variantAt(byFirst, toks, i); ok {
			found = append(found, s.official)
		}
	}
	if len(found) == 0 {
		return text
	}
	have := map[string]bool{}
	for _, t := range toks {
		have[t] = true
	}
	var add []string
	for _, official := range found {
		present := true // a multi-word official term is present when all its words are
		for _, w := range strings.Fields(official) {
			present = present && have[w]
		}
		if present {
			continue
		}
		add = append(add, official)
		for _, w := range strings.Fields(official) {
			have[w] = true
		}
	}
	if len(add) == 0 {
		return text
	}
	return text + " " + strings.Join(add, " ")
}

// Official returns text as its tokens, lower case, with each colloquial or outdated
// word replaced by the official one ("mn paspoort is gejat" gives "mn paspoort is
// gestolen"): the question an answerer compares with official sentences.
func Official(text string) string {
	toks := Tokens(text)
	byFirst, err := synonyms()
	if err != nil {
		return strings.Join(toks, " ")
	}
	var out []string
	for i := 0; i < len(toks); {
		if s, ok := variantAt(byFirst, toks, i); ok {
			out = append(out, s.official)
			i += len(s.variant)
			continue
		}
		out = append(out, toks[i])
		i++
	}
	return strings.Join(out, " ")
}
