package chat

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// Guard reports whether an official assistant must refuse question, and why.
// reason is a snake_case code: out_of_domain, voting_advice,
// fill_in_for_citizen, write_letter, prompt_injection or fraud (the sections
// of guard.txt). RefusalMessage gives the text to show the citizen.
//
// The rules live in guard.txt, a lexicon a policy officer can read and edit;
// its header explains the format. Guard matches them against the question
// lowercased, diacritic-folded and split into words by dutch.Tokens, so
// patterns match whole words only ("weer" does not match "weerbericht"). The
// first section with a matching pattern and no matching exception wins.
//
// Guard is a cheap first filter in front of retrieval, tuned for precision:
// a citizen wrongly refused is worse than an odd question answered from
// government pages, which the citation check still guards. It does not see
// the conversation, only the question.
//
// guard.txt is embedded and checked by the tests; should it still fail to
// parse, Guard refuses nothing rather than everything.
func Guard(question string) (refuse bool, reason string) {
	reason, _ = guardMatch(question)
	return reason != "", reason
}

// RefusalMessage returns the short Dutch message shown to a citizen whose
// question Guard refused for reason. Each message says honestly what the
// assistant does not do and where to go instead. An unknown reason gets the
// out_of_domain message.
func RefusalMessage(reason string) string {
	if m, ok := refusalMessages[reason]; ok {
		return m
	}
	return refusalMessages["out_of_domain"]
}

// refusalMessages are written at language level B1 (the tests check the
// Flesch-Douma score) and address the citizen as "u".
var refusalMessages = map[string]string{
	"out_of_domain": "Daar kan ik u niet mee helpen. " +
		"Ik beantwoord alleen vragen over regelingen en diensten van de overheid en de gemeente. " +
		"Voor andere vragen kunt u beter ergens anders zoeken.",
	"voting_advice": "Ik geef geen stemadvies. De overheid zegt niet op wie u moet stemmen. " +
		"Wilt u partijen vergelijken? Gebruik dan een stemhulp of lees de verkiezingsprogramma's van de partijen. " +
		"Over hoe, waar en wanneer u stemt, kan ik u wel vertellen.",
	"fill_in_for_citizen": "Ik kan geen formulier of aangifte voor u invullen of versturen. " +
		"Deel nooit uw DigiD met iemand anders, ook niet met mij. " +
		"Ik kan wel uitleggen hoe het werkt. " +
		"Wilt u hulp bij het invullen? Bel of mail dan het contactcentrum van uw gemeente. " +
		"Voor uw belastingaangifte kunt u ook terecht bij de Belastingdienst of bij hulp bij belastingaangifte bij u in de buurt.",
	"write_letter": "Ik kan geen brieven, bezwaren of besluiten schrijven. Niet voor u en niet namens de gemeente. " +
		"Ik kan wel uitleggen hoe bezwaar maken werkt. " +
		"Wilt u hulp bij een brief of bezwaar? Neem dan contact op met het contactcentrum van uw gemeente of met het Juridisch Loket. " +
		"Het Juridisch Loket geeft gratis advies.",
	"prompt_injection": "Daar kan ik u niet mee helpen. " +
		"Ik beantwoord vragen over regelingen en diensten van de overheid en de gemeente. " +
		"Ik gebruik daarvoor informatie van officiële websites. Heeft u zo'n vraag? Stel die gerust.",
	"fraud": "Daar kan ik u niet mee helpen. " +
		"Wilt u weten wat de regels zijn of wat u moet doorgeven? Stel die vraag gerust. " +
		"U kunt ook contact opnemen met uw gemeente.",
}

// guardLexiconText is the lexicon Guard uses.
//
//go:embed guard.txt
var guardLexiconText string

// guardLexicon parses guardLexiconText once.
var guardLexicon = sync.OnceValues(func() ([]guardRule, error) {
	return parseGuardLexicon(guardLexiconText)
})

// guardMatch returns the reason to refuse question and the lexicon line that
// decided it, or "" and "".
func guardMatch(question string) (reason, pattern string) {
	rules, err := guardLexicon()
	if err != nil {
		return "", ""
	}
	text := normalizeGuard(question)
	for _, r := range rules {
		if p, ok := r.match(text); ok {
			return r.reason, p
		}
	}
	return "", ""
}

// normalizeGuard returns the words of s, lowercased and folded, separated by
// single spaces: the text guard patterns run on.
func normalizeGuard(s string) string {
	return strings.Join(dutch.Tokens(s), " ")
}

// guardRule is one section of the lexicon.
type guardRule struct {
	reason   string
	patterns []guardPattern
	except   []guardPattern
}

type guardPattern struct {
	src string // the line as written, for test output
	re  *regexp.Regexp
}

// match reports whether a pattern and no exception of r matches text, and
// returns the pattern.
func (r guardRule) match(text string) (string, bool) {
	for _, p := range r.patterns {
		if !p.re.MatchString(text) {
			continue
		}
		for _, e := range r.except {
			if e.re.MatchString(text) {
				return "", false
			}
		}
		return p.src, true
	}
	return "", false
}

// isReason reports whether s is a snake_case reason code.
func isReason(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// parseGuardLexicon parses the lexicon format described in guard.txt.
func parseGuardLexicon(src string) ([]guardRule, error) {
	var rules []guardRule
	seen := make(map[string]bool)
	for n, line := range strings.Split(src, "\n") {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			reason := strings.TrimSpace(line[1 : len(line)-1])
			if !isReason(reason) {
				return nil, fmt.Errorf("guard lexicon: line %d: reason %q is not a snake_case code", n, reason)
			}
			if seen[reason] {
				return nil, fmt.Errorf("guard lexicon: line %d: section [%s] appears twice", n, reason)
			}
			seen[reason] = true
			rules = append(rules, guardRule{reason: reason})
			continue
		}
		if len(rules) == 0 {
			return nil, fmt.Errorf("guard lexicon: line %d: pattern before the first [reason]", n)
		}
		except := false
		if rest, ok := strings.CutPrefix(line, "!"); ok {
			except, line = true, strings.TrimSpace(rest)
		}
		re, err := compileGuardPattern(line)
		if err != nil {
			return nil, fmt.Errorf("guard lexicon: line %d: %w", n, err)
		}
		r := &rules[len(rules)-1]
		p := guardPattern{src: line, re: re}
		if except {
			r.except = append(r.except, p)
		} else {
			r.patterns = append(r.patterns, p)
		}
	}
	for _, r := range rules {
		if len(r.patterns) == 0 {
			return nil, fmt.Errorf("guard lexicon: section [%s] has no patterns", r.reason)
		}
	}
	return rules, nil
}

// guardGap is what "..." in a pattern stands for: up to five other words.
const guardGap = `(?: [^ ]+){0,5}`

// compileGuardPattern compiles one lexicon pattern: "re: <RE2>" as written,
// or words with "*" (prefix), "a/b" (alternatives) and "..." (a gap),
// matched as whole words on normalized text.
func compileGuardPattern(p string) (*regexp.Regexp, error) {
	if rest, ok := strings.CutPrefix(p, "re:"); ok {
		re, err := regexp.Compile(strings.TrimSpace(rest))
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		return re, nil
	}
	var b strings.Builder
	b.WriteString(`(?:^| )`)
	words, gap := 0, false
	for _, f := range strings.Fields(p) {
		if f == "..." || f == "…" {
			if words == 0 || gap {
				return nil, fmt.Errorf("pattern %q: ... must stand between two words", p)
			}
			gap = true
			continue
		}
		var alts []string
		for alt := range strings.SplitSeq(f, "/") {
			prefix := strings.HasSuffix(alt, "*")
			toks := dutch.Tokens(strings.TrimSuffix(alt, "*"))
			if len(toks) == 0 {
				return nil, fmt.Errorf("pattern %q: %q has no letters or digits", p, alt)
			}
			a := regexp.QuoteMeta(strings.Join(toks, " "))
			if prefix {
				a += `[^ ]*`
			}
			alts = append(alts, a)
		}
		if words > 0 {
			if gap {
				b.WriteString(guardGap)
			}
			b.WriteByte(' ')
		}
		b.WriteString(`(?:` + strings.Join(alts, "|") + `)`)
		words++
		gap = false
	}
	if words == 0 {
		return nil, errors.New("empty pattern")
	}
	if gap {
		return nil, fmt.Errorf("pattern %q: ... must stand between two words", p)
	}
	b.WriteString(`(?: |$)`)
	return regexp.Compile(b.String())
}
