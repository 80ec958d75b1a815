package answer

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// HandoffReason is why a conversation goes to a person; "" means no hand-off.
type HandoffReason string

const (
	ReasonNone              HandoffReason = ""
	ReasonEmergencySuicide  HandoffReason = "emergency_suicide"
	ReasonEmergencyViolence HandoffReason = "emergency_violence"
	ReasonEmergencyDanger   HandoffReason = "emergency_danger" // acute danger to life: 112
	ReasonSensitive         HandoffReason = "sensitive"        // crisis, fraud accusation, complaint, anger
	ReasonPersonal          HandoffReason = "personal"
	ReasonRequest           HandoffReason = "request"
	ReasonComplex           HandoffReason = "complex"
)

// Emergency reports whether the reason is one of the emergencies.
func (r HandoffReason) Emergency() bool {
	return r == ReasonEmergencySuicide || r == ReasonEmergencyViolence || r == ReasonEmergencyDanger
}

// Priority returns 1 for the emergencies, 2 sensitive, 3 personal,
// 4 request, 5 complex, and 0 for none or an unknown reason.
func (r HandoffReason) Priority() int {
	switch r {
	case ReasonEmergencySuicide, ReasonEmergencyViolence, ReasonEmergencyDanger:
		return 1
	case ReasonSensitive:
		return 2
	case ReasonPersonal:
		return 3
	case ReasonRequest:
		return 4
	case ReasonComplex:
		return 5
	}
	return 0
}

// Rank orders the reasons strictly, most urgent first: a suicide risk
// outranks violence, whose message does not show 113.
func (r HandoffReason) Rank() int {
	if r == ReasonEmergencySuicide {
		return 0
	}
	return r.Priority()
}

// Triage is the decision for one question.
type Triage struct {
	Reason   HandoffReason
	Priority int     // 1 (emergency) … 5 (complex); 0 when Reason is none
	Topic    string  // the rule group that matched, e.g. "uitzetting", "klacht", or for the detector "detector_" and its class, for staff and evaluators
	Source   string  // what decided: "rules" or "detector" (Rules.Triage)
	Score    float64 // for the detector: the probability that decided, 0..1
	Message  string  // the Dutch text shown to the citizen: for emergencies the numbers first; for the others a short B1 sentence why a colleague of the municipality helps better. Whether one can come now is added at the hand-off.

	// weak is set when a weak rule (the bare mention of a topic) decided:
	// the crisis detector may then overrule it when it is sure the message
	// is an information question (Rules.assess, CrisisThresholds.Overrule).
	weak bool
}

// topicRepeatedFailures is the Topic of a ReasonComplex triage caused by
// earlier failed answers rather than by a rule.
const topicRepeatedFailures = "herhaald_geen_antwoord"

// HandoffRules is a parsed hand-off rule file (handoff.txt): when a person takes
// over a conversation, and why. Build it with ParseHandoffRules or
// DefaultHandoffRules; it is safe for concurrent use.
type HandoffRules struct {
	lex *handoffLexicon
}

// Triage decides for one (already redacted) question. recentFailures is the number
// of refused or low-confidence answers immediately before this question in the
// conversation (2 or more → ReasonComplex when nothing else matched).
//
// Every group of rules is tried and the most urgent reason that matches wins
// (emergency, sensitive, personal, request, complex); between groups of the same
// reason the first in the file wins. Words match whole tokens of the question as
// dutch.Tokens splits them, or their Snowball stems, so "klacht" also matches
// "klachten". Redaction labels such as "[BSN]" become the tokens "<bsn>" a rule can
// name; a question in capitals adds "<hoofdletters>", and two or more exclamation
// marks in a row add "<uitroeptekens>".
//
// Weak rules, the bare mention of a topic such as "Veilig Thuis" or "ontruiming",
// do not count in an information question ("wat doet Veilig Thuis?"); strong rules,
// the citizen's own situation ("mijn man slaat mij"), always count. Suicide rules
// are all strong and have no exceptions, so an information-intent rule can never
// hide a suicide risk.
func (h *HandoffRules) Triage(question string, recentFailures int) Triage {
	return h.triage(question, recentFailures, false)
}

// triage is Triage; with strongOnly the weak rules do not count, as in an
// information question.
func (h *HandoffRules) triage(question string, recentFailures int, strongOnly bool) Triage {
	reason, topic, weak := ReasonNone, "", false
	if g, _, w := h.lex.match(handoffTokens(question), strongOnly); g != nil {
		reason, topic, weak = g.reason, g.topic, w
	} else if recentFailures >= 2 {
		reason, topic = ReasonComplex, topicRepeatedFailures
	}
	if reason == ReasonNone {
		return Triage{}
	}
	return Triage{Reason: reason, Priority: reason.Priority(), Topic: topic, Message: handoffMessages[reason], Source: TriageRules, weak: weak}
}

// Summary describes the rules in one line: their groups and counts.
func (h *HandoffRules) Summary() string {
	byReason := map[HandoffReason]int{}
	strong, weak, except := 0, 0, 0
	for _, g := range h.lex.groups {
		byReason[g.reason]++
		strong += len(g.strong)
		weak += len(g.weak)
		except += len(g.except)
	}
	var parts []string
	for _, r := range []HandoffReason{ReasonEmergencySuicide, ReasonEmergencyViolence, ReasonEmergencyDanger, ReasonSensitive, ReasonPersonal, ReasonRequest, ReasonComplex} {
		if byReason[r] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r, byReason[r]))
		}
	}
	return fmt.Sprintf("hand-off rules: %d info rules, %d groups (%s), %d strong rules, %d weak rules, %d exceptions",
		len(h.lex.info), len(h.lex.groups), strings.Join(parts, ", "), strong, weak, except)
}

// handoffMessages say why a person takes over, written at language level B1 (the
// tests check the Flesch-Douma score) and addressing the citizen as "u". The emergency
// messages give the numbers first. None promises a person: whether one can come is
// added at the moment of the hand-off (handoffText, availability.go).
var handoffMessages = map[HandoffReason]string{
	ReasonEmergencySuicide: "Praat er meteen over met iemand: bel 113 Zelfmoordpreventie via 0800-0113 (gratis, dag en nacht) of chat op 113.nl. " +
		"Is er direct gevaar? Bel 112.",
	ReasonEmergencyViolence: "Bel Veilig Thuis via 0800-2000 (gratis, dag en nacht). Dat mag ook als u twijfelt. " +
		"Is er direct gevaar? Bel 112.",
	ReasonEmergencyDanger: "Bel meteen 112 (gratis, dag en nacht). Dan komen ambulance, brandweer of politie. " +
		"Blijf veilig en doe wat de meldkamer zegt.",
	ReasonSensitive: "Dit is belangrijk. Een medewerker van de gemeente kan u hier beter mee helpen dan ik.",
	ReasonPersonal:  "Ik kan uw eigen gegevens en aanvragen niet zien. Een medewerker van de gemeente kan dat wel.",
	ReasonRequest:   "U wilt graag met een medewerker van de gemeente praten.",
	ReasonComplex:   "Het lukt mij niet goed om uw vraag te beantwoorden. Een medewerker van de gemeente kan u beter helpen.",
}

// defaultHandoffText is the embedded handoff.txt.
//
//go:embed handoff.txt
var defaultHandoffText []byte

// DefaultHandoffRules parses the embedded handoff.txt.
func DefaultHandoffRules() (*HandoffRules, error) {
	return ParseHandoffRules("handoff.txt", defaultHandoffText)
}

// match returns the group that decides question and the rule line that matched,
// or nil and "".
func (h *HandoffRules) match(question string) (*handoffGroup, string) {
	g, src, _ := h.lex.match(handoffTokens(question), false)
	return g, src
}

// handoffLexicon is the parsed rule file.
type handoffLexicon struct {
	info   []handoffPattern // information-intent rules: they switch weak rules off
	groups []handoffGroup
}

// handoffGroup is one [reason topic] section.
type handoffGroup struct {
	reason HandoffReason
	topic  string
	strong []handoffPattern
	weak   []handoffPattern
	except []handoffPattern
}

// match returns the most urgent group that matches toks, the rule, and
// whether that rule is a weak one. With strongOnly weak rules never count,
// as in an information question.
func (l *handoffLexicon) match(toks []handoffToken, strongOnly bool) (*handoffGroup, string, bool) {
	info := -1 // unknown until a weak rule needs it
	if strongOnly {
		info = 1
	}
	var best *handoffGroup
	bestSrc, bestWeak := "", false
	for i := range l.groups {
		g := &l.groups[i]
		if best != nil && g.reason.Rank() >= best.reason.Rank() {
			continue
		}
		src, ok := firstMatch(g.strong, toks)
		weak := false
		if !ok && len(g.weak) > 0 {
			if info < 0 {
				info = 0
				if _, ok := firstMatch(l.info, toks); ok {
					info = 1
				}
			}
			if info == 0 {
				src, ok = firstMatch(g.weak, toks)
				weak = ok
			}
		}
		if !ok {
			continue
		}
		if _, ok := firstMatch(g.except, toks); ok {
			continue
		}
		best, bestSrc, bestWeak = g, src, weak
	}
	return best, bestSrc, bestWeak
}

// firstMatch returns the first pattern of ps matching toks.
func firstMatch(ps []handoffPattern, toks []handoffToken) (string, bool) {
	for _, p := range ps {
		if p.match(toks) {
			return p.src, true
		}
	}
	return "", false
}

// handoffToken is one word of a question: the token as dutch.Tokens gives
// it, and its stem.
type handoffToken struct {
	word, stem string
}

// Signals: pseudo-tokens for what tokenizing loses.
const (
	signalCapitals    = "<hoofdletters>"
	signalExclamation = "<uitroeptekens>"
)

// redactionLabel matches the labels redaction puts in place of personal
// data, such as "[BSN]".
var redactionLabel = regexp.MustCompile(`\[([A-Z][A-Z_]*)\]`)

// handoffTokens returns the tokens rules run on: the words of q, with
// redaction labels as "<label>" tokens in place, "mn" and "m'n" as "mijn",
// "suicide prevention" as the one word "suicideprevention" (as Dutch writes
// "suicidepreventie"), and the signals appended.
func handoffTokens(q string) []handoffToken {
	var words []string
	rest := q
	for _, loc := range redactionLabel.FindAllStringSubmatchIndex(q, -1) {
		words = append(words, dutch.Tokens(q[len(q)-len(rest):loc[0]])...)
		words = append(words, "<"+strings.ToLower(q[loc[2]:loc[3]])+">")
		rest = q[loc[1]:]
	}
	words = append(words, dutch.Tokens(rest)...)

	toks := make([]handoffToken, 0, len(words)+2)
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "mn":
			w = "mijn"
		case w == "m" && i+1 < len(words) && words[i+1] == "n":
			w = "mijn"
			i++
		case w == "suicide" && i+1 < len(words) && (words[i+1] == "prevention" || words[i+1] == "preventie"):
			// The name of the prevention, one word as in Dutch ("suicidepreventie",
			// "zelfmoordpreventie"): a topic, not a rule; the detector decides.
			w = "suicide" + words[i+1]
			i++
		}
		toks = append(toks, handoffToken{word: w, stem: dutch.Stem(w)})
	}
	if shouting(q) {
		toks = append(toks, handoffToken{word: signalCapitals, stem: signalCapitals})
	}
	if exclaiming(q) {
		toks = append(toks, handoffToken{word: signalExclamation, stem: signalExclamation})
	}
	return toks
}

// shouting reports whether q is written (nearly) all in capitals: at least
// 12 letters of which at least 70% upper case, so that acronyms such as
// "BSN" or "WOZ" alone do not count. Redaction labels are left out.
func shouting(q string) bool {
	letters, upper := 0, 0
	for _, r := range redactionLabel.ReplaceAllString(q, " ") {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 12 && upper*10 >= letters*7
}

// exclaiming reports whether q has two or more exclamation marks in a row
// ("!!", "!?!").
func exclaiming(q string) bool {
	run := 0
	for _, r := range q {
		switch r {
		case '!':
			run++
			if run >= 2 {
				return true
			}
		case '?':
		default:
			run = 0
		}
	}
	return false
}

// handoffPattern is one rule line: one or more sequences joined by "&", all
// of which must match.
type handoffPattern struct {
	src   string // the line as written, for test output
	parts [][]handoffElem
}

// handoffElem is one position of a sequence: alternatives, and how many
// other words may stand before it after the previous element.
type handoffElem struct {
	alts   []handoffAlt
	maxGap int
}

type altKind int

const (
	altStem     altKind = iota // the word or a word with the same stem (or one typo, for long words)
	altExact                   // =word
	altPrefix                  // word*
	altSuffix                  // *word
	altContains                // *word*
	altSignal                  // <name>
)

type handoffAlt struct {
	kind altKind
	word string
	stem string // for altStem
}

// Gaps, in other words: "..." and "..".
const (
	handoffGap      = 4
	handoffSmallGap = 1
)

// fuzzyMinLen is the length from which a word or prefix ("word*") in a
// rule also matches a token one typo away from it.
const fuzzyMinLen = 8

func (a handoffAlt) match(t handoffToken) bool {
	switch a.kind {
	case altStem:
		if t.word == a.word || t.stem == a.stem {
			return true
		}
		return len(a.word) >= fuzzyMinLen && len(t.word) >= fuzzyMinLen-1 && oneEdit(a.word, t.word)
	case altExact, altSignal:
		return t.word == a.word
	case altPrefix:
		// A typo counts only in the prefix standing alone: "terugbel*"
		// must not match "terugbetalen".
		return strings.HasPrefix(t.word, a.word) ||
			len(a.word) >= fuzzyMinLen && oneEdit(a.word, t.word)
	case altSuffix:
		return strings.HasSuffix(t.word, a.word)
	case altContains:
		return strings.Contains(t.word, a.word)
	}
	return false
}

func (e handoffElem) match(t handoffToken) bool {
	for _, a := range e.alts {
		if a.match(t) {
			return true
		}
	}
	return false
}

// match reports whether every part of p matches toks.
func (p handoffPattern) match(toks []handoffToken) bool {
	for _, seq := range p.parts {
		if !matchSeq(seq, toks) {
			return false
		}
	}
	return true
}

// matchSeq reports whether seq matches toks starting anywhere.
func matchSeq(seq []handoffElem, toks []handoffToken) bool {
	for i := range toks {
		if seq[0].match(toks[i]) && matchRest(seq[1:], toks, i+1) {
			return true
		}
	}
	return false
}

// matchRest reports whether seq matches toks from position pos, each
// element within its gap of the one before.
func matchRest(seq []handoffElem, toks []handoffToken, pos int) bool {
	if len(seq) == 0 {
		return true
	}
	e := seq[0]
	for j := pos; j < len(toks) && j <= pos+e.maxGap; j++ {
		if e.match(toks[j]) && matchRest(seq[1:], toks, j+1) {
			return true
		}
	}
	return false
}

// oneEdit reports whether a and b differ by at most one insertion,
// deletion, substitution or swap of two neighbouring letters.
func oneEdit(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// HandoffReasons returns the reasons a hand-off can have, most urgent first.
func HandoffReasons() []HandoffReason {
	var rs []HandoffReason
	for _, n := range handoffReasonNames() {
		rs = append(rs, HandoffReason(n))
	}
	return rs
}

// Message says why a person takes over for the reason; chat adds whether one can
// come now.
func (r HandoffReason) Message() string { return handoffMessages[r] }
