package dutch

import (
	_ "embed"
	"fmt"
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

// synonyms parses synonymsText once. A broken file (TestSynonymsFile checks the
// embedded one) expands nothing.
var synonyms = sync.OnceValues(func() ([]synonym, error) {
	return parseSynonyms(synonymsText)
})

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
	toks := Tokens(text)
	have := map[string]bool{}
	for _, t := range toks {
		have[t] = true
	}
	list, err := synonyms()
	if err != nil {
		return text
	}
	var add []string
	for _, s := range list {
		if have[s.official] || !containsSeq(toks, s.variant) {
			continue
		}
		// A multi-word official term counts as present when all its words are.
		present := true
		for _, w := range strings.Fields(s.official) {
			present = present && have[w]
		}
		if present {
			continue
		}
		add = append(add, s.official)
		for _, w := range strings.Fields(s.official) {
			have[w] = true
		}
		have[s.official] = true
	}
	if len(add) == 0 {
		return text
	}
	return text + " " + strings.Join(add, " ")
}

// containsSeq reports whether seq occurs in toks as consecutive tokens.
func containsSeq(toks, seq []string) bool {
	for i := 0; i+len(seq) <= len(toks); i++ {
		match := true
		for j := range seq {
			if toks[i+j] != seq[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// Official returns text as its tokens, lower case, with each colloquial or outdated
// word replaced by the official one ("mn paspoort is gejat" gives "mn paspoort is
// gestolen"): the question an answerer compares with official sentences.
func Official(text string) string {
	toks := Tokens(text)
	list, err := synonyms()
	if err != nil {
		return strings.Join(toks, " ")
	}
	var out []string
	for i := 0; i < len(toks); {
		longest, official := 0, ""
		for _, s := range list {
			if len(s.variant) > longest && containsSeq(toks[i:min(i+len(s.variant), len(toks))], s.variant) {
				longest, official = len(s.variant), s.official
			}
		}
		if longest == 0 {
			out = append(out, toks[i])
			i++
			continue
		}
		out = append(out, official)
		i += longest
	}
	return strings.Join(out, " ")
}
