package answer

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// GuardRules is a parsed guard rule file (guard.txt): what an official assistant
// must refuse, and why. Build it with ParseGuardRules or DefaultGuardRules; it is
// safe for concurrent use.
//
// Refuse matches the rules against the question lowercased, diacritic-folded and
// split into words by dutch.Tokens, so patterns match whole words only ("weer"
// does not match "weerbericht"). The first section with a matching pattern and no
// matching exception wins. The reason is the section's name, a snake_case code
// with a refusal message (RefusalMessage): out_of_domain, voting_advice,
// fill_in_for_citizen, write_letter, prompt_injection, fraud or discrimination.
//
// The guard is a cheap first filter in front of retrieval, tuned for precision: a
// citizen wrongly refused is worse than an odd question answered from government
// pages, which the citation check still guards. It does not see the conversation,
// only the question.
type GuardRules struct {
	rules []guardRule
}

// Refuse reports whether an official assistant must refuse question, and why.
func (g *GuardRules) Refuse(question string) (refuse bool, reason RefusalReason) {
	r, _ := g.match(question)
	return r != "", RefusalReason(r)
}

// Summary describes the rules in one line: their sections and counts.
func (g *GuardRules) Summary() string {
	var parts []string
	patterns, except := 0, 0
	for _, r := range g.rules {
		patterns += len(r.patterns)
		except += len(r.except)
		parts = append(parts, fmt.Sprintf("%s %d", r.reason, len(r.patterns)+len(r.except)))
	}
	return fmt.Sprintf("guard rules: %d sections, %d patterns, %d exceptions (%s)",
		len(g.rules), patterns, except, strings.Join(parts, ", "))
}

// RefusalMessage returns the short Dutch message shown to a citizen whose
// question the guard refused for reason. Each message says honestly what the
// assistant does not do and where to go instead. An unknown reason gets the
// out_of_domain message.
func RefusalMessage(reason RefusalReason) string {
	if m, ok := refusalMessages[reason]; ok {
		return m
	}
	return refusalMessages[RefusalOutOfDomain]
}

// refusalMessages are written at language level B1 (the tests check the
// Flesch-Douma score) and address the citizen as "u".
var refusalMessages = map[RefusalReason]string{
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
	"discrimination": "Daar werk ik niet aan mee. Ik schrijf of zeg niets tegen een groep mensen. " +
		"Iedereen moet gelijk behandeld worden. " +
		"Heeft u zelf met discriminatie te maken, of ziet u het bij een ander? Meld het op discriminatie.nl. " +
		"Daar vindt u ook het meldpunt bij u in de buurt. " +
		"Wordt u bedreigd? Doe dan aangifte bij de politie.",
}

// defaultGuardText is the embedded guard.txt.
//
//go:embed guard.txt
var defaultGuardText []byte

// DefaultGuardRules parses the embedded guard.txt.
func DefaultGuardRules() (*GuardRules, error) {
	return ParseGuardRules("guard.txt", defaultGuardText)
}

// match returns the reason to refuse question and the rule line that decided it,
// or "" and "".
func (g *GuardRules) match(question string) (reason, pattern string) {
	text := normalizeGuard(question)
	for _, r := range g.rules {
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

// ParseGuardRules parses and checks a guard rule file in the format guard.txt
// describes; file names it in errors. The error lists every mistake found, one a
// line, as "file:line: what is wrong". Besides the syntax it checks what a parser
// can know of the meaning: a section whose reason has no refusal message, a section
// twice or without patterns, a pattern that can never match the normalized
// question or matches every question, and a line written twice in a section or as
// both pattern and exception.
func ParseGuardRules(file string, src []byte) (*GuardRules, error) {
	errs := &ruleErrors{file: file}
	var rules []guardRule
	var lines []int          // the line of each section's header
	seen := map[string]int{} // section → line
	skip := false            // in a section that could not be used: check its patterns only
	type pos struct {
		line   int
		except bool
	}
	var written map[string]pos // the current section's lines
	broken := map[int]bool{}   // sections with a pattern that did not compile: "no patterns" would only repeat it
	for n, line := range strings.Split(string(src), "\n") {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			reason := strings.TrimSpace(line[1 : len(line)-1])
			written, skip = map[string]pos{}, true
			switch _, known := refusalMessages[RefusalReason(reason)]; {
			case !isReason(reason):
				errs.add(n, "reason %q is not a snake_case code", reason)
			case seen[reason] > 0:
				errs.add(n, "section [%s] appears twice (first at line %d)", reason, seen[reason])
			case !known:
				errs.add(n, "unknown reason %q: a section needs a refusal message in answer/guard.go (known: %s)", reason, strings.Join(guardReasons(), ", "))
			default:
				skip = false
				seen[reason] = n
				rules = append(rules, guardRule{reason: reason})
				lines = append(lines, n)
			}
			continue
		}
		if written == nil {
			errs.add(n, "pattern before the first [reason]")
			written, skip = map[string]pos{}, true
		}
		except := false
		if rest, ok := strings.CutPrefix(line, "!"); ok {
			except, line = true, strings.TrimSpace(rest)
		}
		re, err := compileGuardPattern(line)
		if err != nil {
			errs.add(n, "%v", err)
			if !skip {
				broken[len(rules)-1] = true
			}
			continue
		}
		if p, ok := written[line]; ok {
			switch {
			case p.except == except:
				errs.add(n, "pattern %q appears twice in this section (first at line %d)", line, p.line)
			case except:
				errs.add(n, "exception %q is also a pattern of this section (line %d): that pattern can never match", line, p.line)
			default:
				errs.add(n, "pattern %q is also an exception of this section (line %d): it can never match", line, p.line)
			}
			continue
		}
		written[line] = pos{n, except}
		if skip {
			continue
		}
		r := &rules[len(rules)-1]
		p := guardPattern{src: line, re: re}
		if except {
			r.except = append(r.except, p)
		} else {
			r.patterns = append(r.patterns, p)
		}
	}
	for i, r := range rules {
		if len(r.patterns) == 0 && !broken[i] {
			errs.add(lines[i], "section [%s] has no patterns", r.reason)
		}
	}
	if len(rules) == 0 && len(errs.errs) == 0 {
		errs.add(0, "no sections: a guard file has [reason] sections with patterns")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return &GuardRules{rules: rules}, nil
}

// guardReasons returns the reasons that have a refusal message, sorted.
func guardReasons() []string {
	var names []string
	for r := range refusalMessages {
		names = append(names, string(r))
	}
	slices.Sort(names)
	return names
}

// guardGap is what "..." in a pattern stands for: up to five other words.
const guardGap = `(?: [^ ]+){0,5}`

// compileGuardPattern compiles one lexicon pattern: "re: <RE2>" as written,
// or words with "*" (prefix), "a/b" (alternatives) and "..." (a gap),
// matched as whole words on normalized text.
func compileGuardPattern(p string) (*regexp.Regexp, error) {
	if rest, ok := strings.CutPrefix(p, "re:"); ok {
		expr := strings.TrimSpace(rest)
		if expr == "" {
			return nil, fmt.Errorf("pattern %q: empty expression", p)
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", p, err)
		}
		if re.MatchString("") {
			return nil, fmt.Errorf("pattern %q matches an empty text, so it matches every question", p)
		}
		if tree, err := syntax.Parse(expr, syntax.Perl); err == nil && !canMatchNormalized(tree) {
			return nil, fmt.Errorf("pattern %q can never match: the question it runs on has only lower-case letters without accents, digits and single spaces", p)
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

// canMatchNormalized reports whether re can match some text normalizeGuard
// returns: words of lower-case letters without accents (or letters of other
// scripts) and digits, separated by single spaces. It errs on the side of yes.
func canMatchNormalized(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpNoMatch:
		return false
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if !normalizedRune(r) && (re.Flags&syntax.FoldCase == 0 || !normalizedRune(unicode.ToLower(r))) {
				return false
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi >= 0x80 || lo <= ' ' && ' ' <= hi || lo <= 'z' && 'a' <= hi || lo <= '9' && '0' <= hi {
				return true
			}
		}
		return false
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !canMatchNormalized(sub) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if canMatchNormalized(sub) {
				return true
			}
		}
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return canMatchNormalized(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min == 0 || canMatchNormalized(re.Sub[0])
	}
	return true // empty, star, quest, any character, anchors, word boundaries
}

// normalizedRune reports whether r can stand in normalized question text.
func normalizedRune(r rune) bool {
	if r == ' ' {
		return true
	}
	t := dutch.Tokens(string(r))
	return len(t) == 1 && t[0] == string(r)
}
