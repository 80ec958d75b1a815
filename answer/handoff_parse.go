package answer

// The parser and checker of hand-off rule files (handoff.txt describes the format);
// handoff.go holds what the parsed rules decide.

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/internal/pii"
)

// handoffReasons are the reasons a [reason topic] section may name.
var handoffReasons = map[HandoffReason]bool{
	ReasonEmergencySuicide: true, ReasonEmergencyViolence: true, ReasonEmergencyDanger: true, ReasonSensitive: true,
	ReasonPersonal: true, ReasonRequest: true, ReasonComplex: true,
}

// ParseHandoffRules parses and checks a hand-off rule file in the format
// handoff.txt describes; file names it in errors. The error lists every mistake
// found, one a line, as "file:line: what is wrong". Besides the syntax it checks
// what a parser can know of the meaning: an unknown reason, a topic or [info]
// twice, a group without rules, weak rules or exceptions in a suicide group, an
// unknown <signal>, and a rule written twice in a group or as both rule and
// exception.
func ParseHandoffRules(file string, src []byte) (*HandoffRules, error) {
	errs := &ruleErrors{file: file}
	lex := &handoffLexicon{}
	const noSection, infoSection, groupSection, badSection = 0, 1, 2, 3
	section := noSection
	seenInfo := 0
	var groupLines []int
	broken := map[int]bool{} // groups with a rule that did not compile: "no rules" would only repeat it
	seen := map[string]int{} // topic → line
	type pos struct {
		line int
		kind byte
	}
	var written map[string]pos // the current section's rules
	for n, line := range strings.Split(string(src), "\n") {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			written, section = map[string]pos{}, badSection
			fields := strings.Fields(line[1 : len(line)-1])
			if len(fields) == 1 && fields[0] == "info" {
				if seenInfo > 0 {
					errs.add(n, "section [info] appears twice (first at line %d)", seenInfo)
					continue
				}
				seenInfo, section = n, infoSection
				continue
			}
			if len(fields) != 2 {
				errs.add(n, "want [reason topic] or [info], got %s", line)
				continue
			}
			reason, topic := HandoffReason(fields[0]), fields[1]
			switch {
			case !handoffReasons[reason]:
				errs.add(n, "unknown reason %q (known: %s)", reason, strings.Join(handoffReasonNames(), ", "))
			case !isReason(topic):
				errs.add(n, "topic %q is not a snake_case code", topic)
			case seen[topic] > 0:
				errs.add(n, "topic %q appears twice (first at line %d)", topic, seen[topic])
			default:
				seen[topic] = n
				lex.groups = append(lex.groups, handoffGroup{reason: reason, topic: topic})
				groupLines = append(groupLines, n)
				section = groupSection
			}
			continue
		}
		if section == noSection {
			errs.add(n, "rule before the first section")
			written, section = map[string]pos{}, badSection
		}
		kind := byte(0)
		if line[0] == '?' || line[0] == '!' {
			kind, line = line[0], strings.TrimSpace(line[1:])
		}
		p, err := compileHandoffPattern(line)
		if err != nil {
			errs.add(n, "%v", err)
			if section == groupSection {
				broken[len(lex.groups)-1] = true
			}
			continue
		}
		if prev, ok := written[line]; ok {
			switch {
			case prev.kind == kind || prev.kind != '!' && kind != '!':
				errs.add(n, "rule %q appears twice in this section (first at line %d)", line, prev.line)
			default:
				errs.add(n, "rule %q is both a rule and an exception of this group (line %d): it can never hand off", line, prev.line)
			}
			continue
		}
		written[line] = pos{n, kind}
		switch section {
		case badSection:
			continue
		case infoSection:
			if kind != 0 {
				errs.add(n, "[info] takes no %q rules", kind)
				continue
			}
			lex.info = append(lex.info, p)
			continue
		}
		g := &lex.groups[len(lex.groups)-1]
		if kind != 0 && g.reason == ReasonEmergencySuicide {
			errs.add(n, "[%s %s] may not have %q rules: nothing may hide a suicide risk", g.reason, g.topic, kind)
			broken[len(lex.groups)-1] = true
			continue
		}
		switch kind {
		case '?':
			g.weak = append(g.weak, p)
		case '!':
			g.except = append(g.except, p)
		default:
			g.strong = append(g.strong, p)
		}
	}
	for i, g := range lex.groups {
		if len(g.strong)+len(g.weak) == 0 && !broken[i] {
			errs.add(groupLines[i], "section [%s %s] has no rules", g.reason, g.topic)
		}
	}
	if len(lex.groups) == 0 && len(errs.errs) == 0 {
		errs.add(0, "no groups: a hand-off file has [reason topic] sections with rules")
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return &HandoffRules{lex: lex}, nil
}

// handoffReasonNames returns the reasons a section may name, most urgent first.
// Read from a list, not from the map handoffReasons: violence and danger rank alike,
// and the map's order is random (an error message listed them in either order).
func handoffReasonNames() []string {
	order := []HandoffReason{ReasonEmergencySuicide, ReasonEmergencyViolence, ReasonEmergencyDanger,
		ReasonSensitive, ReasonPersonal, ReasonRequest, ReasonComplex}
	names := make([]string, 0, len(order))
	for _, r := range order {
		if handoffReasons[r] {
			names = append(names, string(r))
		}
	}
	slices.SortStableFunc(names, func(a, b string) int { return HandoffReason(a).Rank() - HandoffReason(b).Rank() })
	return names
}

// signalName matches the <name> of a signal or redaction label in a rule.
var signalName = regexp.MustCompile(`^<[a-z_]+>$`)

// knownSignals are the <name> tokens handoffTokens can give: the signals and the
// redaction labels redactionLabel recognises.
var knownSignals = func() map[string]bool {
	m := map[string]bool{signalCapitals: true, signalExclamation: true}
	for _, label := range pii.Labels {
		if sub := redactionLabel.FindStringSubmatch(label); sub != nil && sub[0] == label {
			m["<"+strings.ToLower(sub[1])+">"] = true
		}
	}
	return m
}()

// compileHandoffPattern compiles one rule line (without its "?" or "!").
func compileHandoffPattern(line string) (handoffPattern, error) {
	p := handoffPattern{src: line}
	for part := range strings.SplitSeq(line, "&") {
		var seq []handoffElem
		gap := -1 // -1: no gap marker before the next word
		for f := range strings.FieldsSeq(part) {
			if f == "..." || f == "…" || f == ".." {
				if len(seq) == 0 || gap >= 0 {
					return p, fmt.Errorf("rule %q: %s must stand between two words", line, f)
				}
				gap = handoffGap
				if f == ".." {
					gap = handoffSmallGap
				}
				continue
			}
			e := handoffElem{maxGap: max(gap, 0)}
			for a := range strings.SplitSeq(f, "/") {
				alt, err := compileHandoffAlt(a)
				if err != nil {
					return p, fmt.Errorf("rule %q: %w", line, err)
				}
				e.alts = append(e.alts, alt)
			}
			seq = append(seq, e)
			gap = -1
		}
		if len(seq) == 0 {
			return p, fmt.Errorf("rule %q: empty part", line)
		}
		if gap >= 0 {
			return p, fmt.Errorf("rule %q: a gap must stand between two words", line)
		}
		p.parts = append(p.parts, seq)
	}
	return p, nil
}

// compileHandoffAlt compiles one alternative: word, =word, word*, *word,
// *word* or <signal>.
func compileHandoffAlt(a string) (handoffAlt, error) {
	if signalName.MatchString(a) {
		if !knownSignals[a] {
			return handoffAlt{}, fmt.Errorf("unknown signal %s: a question can only have %s", a, strings.Join(slices.Sorted(maps.Keys(knownSignals)), ", "))
		}
		return handoffAlt{kind: altSignal, word: a}, nil
	}
	kind := altStem
	w := a
	switch {
	case strings.HasPrefix(w, "="):
		kind, w = altExact, w[1:]
	case len(w) > 2 && strings.HasPrefix(w, "*") && strings.HasSuffix(w, "*"):
		kind, w = altContains, w[1:len(w)-1]
	case strings.HasPrefix(w, "*"):
		kind, w = altSuffix, w[1:]
	case strings.HasSuffix(w, "*"):
		kind, w = altPrefix, w[:len(w)-1]
	}
	toks := dutch.Tokens(w)
	switch {
	case len(toks) == 0:
		return handoffAlt{}, fmt.Errorf("%q has no letters or digits", a)
	case len(toks) > 1 || toks[0] != w:
		return handoffAlt{}, fmt.Errorf("%q is not one word in lower case without accents or punctuation; write %q", a, strings.Join(toks, " "))
	}
	return handoffAlt{kind: kind, word: w, stem: dutch.Stem(w)}, nil
}
