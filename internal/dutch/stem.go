package dutch

import (
	"strings"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
)

// Stem returns the Snowball (Porter) Dutch stem of word, which should be a
// token as returned by Tokens. Tokens containing a digit are returned as
// they are.
func Stem(word string) string {
	if len(word) < 3 || strings.ContainsAny(word, "0123456789") {
		return word
	}
	env := snowballstem.NewEnv(word)
	dutch.Stem(env)
	return env.Current()
}

// Terms returns the stemmed tokens of s that are not stopwords: the analysis
// used for matching. For a hyphenated compound it returns the stems of the
// parts followed by the stem of the joined word ("e-mail" gives "mail",
// "email"; "kinderopvang-toeslag" gives "kinderopvang", "toeslag",
// "kinderopvangtoeslag"), so the spelled-apart and spelled-together forms
// meet. Joined forms containing a digit (dates) are left out.
func Terms(s string) []string {
	var out []string
	env := snowballstem.NewEnv("")
	scan(s, func(tok string, joined bool) {
		if joined && strings.ContainsAny(tok, "0123456789") {
			return
		}
		if IsStopword(tok) {
			return
		}
		if len(tok) < 3 || strings.ContainsAny(tok, "0123456789") {
			out = append(out, tok)
			return
		}
		env.SetCurrent(tok)
		dutch.Stem(env)
		out = append(out, env.Current())
	})
	return out
}
