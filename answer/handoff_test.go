package answer

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// defaultHandoff returns the embedded hand-off rules.
func defaultHandoff(t testing.TB) *HandoffRules {
	t.Helper()
	h, err := DefaultHandoffRules()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHandoffRules(t *testing.T) {
	lex := defaultHandoff(t).lex
	if len(lex.info) == 0 {
		t.Error("handoff.txt has no [info] rules")
	}
	got := make(map[HandoffReason]bool)
	for _, g := range lex.groups {
		got[g.reason] = true
		if g.reason == ReasonEmergencySuicide && len(g.weak)+len(g.except) > 0 {
			t.Errorf("[%s %s] has weak rules or exceptions", g.reason, g.topic)
		}
	}
	for r := range handoffReasons {
		if !got[r] {
			t.Errorf("handoff.txt has no group for reason %s", r)
		}
	}
}

func TestParseHandoffRulesErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each a line of the error
	}{
		{"rule before section", "klacht\n[sensitive klacht]\nklacht", []string{"h.txt:1: rule before the first section"}},
		{"unknown reason", "[info]\nwat is\n[spoedd zelfdoding]\nzelfmoord", []string{`h.txt:3: unknown reason "spoedd" (known: emergency_suicide, emergency_violence, emergency_danger, sensitive, personal, request, complex)`}},
		{"no topic", "[sensitive]\nklacht", []string{"h.txt:1: want [reason topic] or [info], got [sensitive]"}},
		{"bad topic", "[sensitive Klacht]\nklacht", []string{`h.txt:1: topic "Klacht" is not a snake_case code`}},
		{"duplicate topic", "[sensitive a]\nx\n[request a]\ny", []string{`h.txt:3: topic "a" appears twice (first at line 1)`}},
		{"duplicate info", "[info]\nwat is\n[info]\nhoe\n[request a]\ny", []string{"h.txt:3: section [info] appears twice (first at line 1)"}},
		{"empty group", "[sensitive a]\n! x\n[request b]\ny", []string{"h.txt:1: section [sensitive a] has no rules"}},
		{"group without rules after a good one", "[request a]\nbel mij\n[request b]\n\n[request c]\nbel/\n", []string{"h.txt:6: rule", "h.txt:3: section [request b] has no rules"}},
		{"no groups", "[info]\nwat is", []string{"h.txt: no groups"}},
		{"weak info", "[info]\n? wat is\n[request a]\ny", []string{"h.txt:2: [info] takes no '?' rules"}},
		{"weak suicide", "[emergency_suicide a]\n? zelfmoord", []string{"h.txt:2: [emergency_suicide a] may not have '?' rules: nothing may hide a suicide risk"}},
		{"exception suicide", "[emergency_suicide a]\nzelfmoord\n! wat is", []string{"nothing may hide a suicide risk"}},
		{"gap at start", "[request a]\n... bellen", []string{"must stand between two words"}},
		{"gap at end", "[request a]\nbellen ..", []string{"must stand between two words"}},
		{"double gap", "[request a]\nbel ... .. mij", []string{"must stand between two words"}},
		{"empty part", "[request a]\nbellen &", []string{"h.txt:2: rule \"bellen &\": empty part"}},
		{"empty exception", "[request a]\nbellen\n!", []string{"h.txt:3: rule \"\": empty part"}},
		{"two words in one", "[request a]\ne-mail", []string{`write "e mail"`}},
		{"capitals", "[request a]\nKCC", []string{`write "kcc"`}},
		{"accent", "[emergency_suicide a]\nsuïcide", []string{`h.txt:2: rule "suïcide": "suïcide" is not one word in lower case without accents or punctuation; write "suicide"`}},
		{"punctuation only", "[request a]\n?!", []string{`"!" has no letters or digits`}},
		{"unknown signal", "[personal a]\n<telefoon>", []string{"h.txt:2: rule \"<telefoon>\": unknown signal <telefoon>: a question can only have <bsn>, <hoofdletters>, <iban>, <uitroeptekens>"}},
		{"rule twice", "[request a]\nbel mij\n? bel mij", []string{`h.txt:3: rule "bel mij" appears twice in this section (first at line 2)`}},
		{"rule and exception", "[request a]\nbel mij\n! bel mij", []string{`h.txt:3: rule "bel mij" is both a rule and an exception of this group (line 2)`}},
		{"every mistake, in order", "[info]\nwat is\n[spoedd a]\nx ...\n[request b]\nbel/\n[request c]\n&", []string{
			`h.txt:3: unknown reason "spoedd"`, "h.txt:4: rule", "h.txt:6: rule", "h.txt:8: rule"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseHandoffRules("h.txt", []byte(tt.src))
			if err == nil {
				t.Fatalf("ParseHandoffRules(%q) = %s, want an error", tt.src, h.Summary())
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Errorf("ParseHandoffRules(%q) error has %d lines, want %d:\n%v", tt.src, len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if i >= len(lines) || !strings.Contains(lines[i], w) {
					t.Errorf("ParseHandoffRules(%q) error =\n%v\nwant line %d to contain %q", tt.src, err, i+1, w)
				}
			}
		})
	}
}

func TestParseHandoffRulesTooManyMistakes(t *testing.T) {
	src := "[request a]\n" + strings.Repeat("bel ...\n", 30)
	_, err := ParseHandoffRules("h.txt", []byte(src))
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != maxRuleErrors+1 || lines[maxRuleErrors] != "h.txt: and 10 more mistakes" {
		t.Errorf("error has %d lines, last %q; want %d, the last saying 10 more", len(lines), lines[len(lines)-1], maxRuleErrors+1)
	}
}

func TestParseHandoffRulesCountsAndUses(t *testing.T) {
	h, err := ParseHandoffRules("custom.txt", []byte("[info]\nwat is\n[emergency_violence geweld]\n? veilig thuis\nslaat mij\n[request mens]\nbel mij\n! niet\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Summary(), "hand-off rules: 1 info rules, 2 groups (emergency_violence 1, request 1), 2 strong rules, 1 weak rules, 1 exceptions"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	for q, want := range map[string]HandoffReason{"hij slaat mij": ReasonEmergencyViolence, "wat is veilig thuis": ReasonNone,
		"bel mij": ReasonRequest, "bel mij niet": ReasonNone, "ik wil een klacht indienen": ReasonNone} {
		if got := h.Triage(q, 0).Reason; got != want {
			t.Errorf("Triage(%q) = %q, want %q", q, got, want)
		}
	}
}

func TestCompileHandoffPattern(t *testing.T) {
	tests := []struct {
		pattern, text string
		want          bool
	}{
		{"klacht", "Ik heb een klacht", true},
		{"klacht", "Ik heb klachten", true}, // same stem
		{"klacht", "de klachtenprocedure", false},
		{"=mens", "kan men bellen", false},
		{"mens", "kan men bellen", true}, // why =mens exists
		{"=mens", "een echt mens", true},
		{"ontruim*", "mijn huis is ontruimd", true},
		{"ontruim*", "de ontruiming", true},
		{"*aanvraag", "mijn vergunningaanvraag", true},
		{"*aanvraag", "mijn aanvraag", true},
		{"*fraude*", "uitkeringsfraudeurs", true},
		{"medewerker", "mederwerker aub", true}, // one typo in a long word
		{"medewerker", "medewrekers", false},    // two
		{"zelfmoord", "zelfmoort", true},
		{"bellen", "belen", false}, // short words get no typo
		{"zelfmoord*", "zelfmoort", true},
		{"medewerker*", "mederwerker", true},
		{"terugbel*", "terugbetalen", false}, // a typo only in the prefix alone
		{"mijn .. aanvraag", "mijn wmo-aanvraag", true},
		{"mijn .. aanvraag", "mijn eigen wmo aanvraag", false},
		{"wil ... dood", "ik wil echt heel erg graag dood", true},
		{"wil ... dood", "ik wil echt heel erg graag nu dood", false},
		{"slaat mij", "hij slaat, mij", true},
		{"slaat mij", "mij slaat", false},
		{"mijn aanvraag", "mn aanvraag", true},
		{"mijn aanvraag", "m'n aanvraag", true},
		{"mijn aanvraag", "m aanvraag", false},
		{"boete & uitkering", "mijn uitkering en een boete", true},
		{"boete & uitkering", "een boete", false},
		{"<bsn>", "mijn nummer is [BSN]", true},
		{"<bsn>", "wat is een BSN", false},
		{"<bsn>", "[bsn]", false}, // only the label redaction writes
		{"<hoofdletters>", "WAAROM DUURT DIT ZO LANG", true},
		{"<hoofdletters>", "Waar vind ik mijn BSN en WOZ", false},
		{"<hoofdletters>", "[BSN] [BSN] [BSN] [BSN]", false},
		{"<uitroeptekens>", "Bedankt!!", true},
		{"<uitroeptekens>", "Waarom?!?!", true},
		{"<uitroeptekens>", "Hallo! Ik heb een vraag!", false},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+"/"+tt.text, func(t *testing.T) {
			p, err := compileHandoffPattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.match(handoffTokens(tt.text)); got != tt.want {
				t.Errorf("rule %q on %q = %v, want %v", tt.pattern, tt.text, got, tt.want)
			}
		})
	}
}

func TestHandoffOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"medewerker", "medewerker", true},
		{"medewerker", "mederwerker", true}, // insertion
		{"medewerker", "medewerke", true},   // deletion
		{"medewerker", "medewarker", true},  // substitution
		{"medewerker", "mdeewerker", true},  // swap
		{"medewerker", "mdeewrekre", false},
		{"medewerker", "mede", false},
		{"ab", "ba", true},
		{"abc", "bca", false},
	}
	for _, tt := range tests {
		if got := oneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestHandoffWeakRulesAndExceptions(t *testing.T) {
	h, err := ParseHandoffRules("h.txt", []byte(`
[info]
wat is/doet
[emergency_violence geweld]
? veilig thuis
slaat mij
[sensitive klacht]
klacht
! compliment
[request medewerker]
medewerker
`))
	if err != nil {
		t.Fatal(err)
	}
	lex := h.lex
	tests := []struct {
		text, want string
	}{
		{"Veilig Thuis", "geweld"},
		{"wat doet Veilig Thuis?", ""},                          // weak rule off in an information question
		{"mijn man slaat mij, wat doet Veilig Thuis", "geweld"}, // strong rule still counts
		{"een klacht over een medewerker", "klacht"},            // the most urgent group wins
		{"een compliment en een klacht over een medewerker", "medewerker"},
		{"wat is een medewerker", "medewerker"}, // strong rules ignore [info]
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			g, _, _ := lex.match(handoffTokens(tt.text), false)
			got := ""
			if g != nil {
				got = g.topic
			}
			if got != tt.want {
				t.Errorf("topic for %q = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTriageQuestion(t *testing.T) {
	tests := []struct {
		q              string
		failures       int
		reason         HandoffReason
		priority       int
		topic          string
		messageHasText []string
	}{
		{"Ik wil niet meer leven", 0, ReasonEmergencySuicide, 1, "zelfdoding", []string{"113", "0800-0113", "113.nl", "112"}},
		{"ik snij mezelf", 0, ReasonEmergencySuicide, 1, "zelfdoding", []string{"0800-0113"}},
		{"Wat is 113 Zelfmoordpreventie?", 0, ReasonNone, 0, "", nil}, // the name of the line alone: the crisis detector decides
		{"ik heb zelfmoordgedachtes", 0, ReasonEmergencySuicide, 1, "zelfdoding", []string{"0800-0113"}},
		{"denk je dat suïcide een oplossing is", 0, ReasonEmergencySuicide, 1, "zelfdoding", nil}, // never suppressed by [info]
		{"ze blijft achter in haar huis", 0, ReasonNone, 0, "", nil},                              // achter shares the stem of achterlijk
		{"i want to kill myself", 0, ReasonEmergencySuicide, 1, "zelfdoding", nil},
		{"i want to die", 0, ReasonEmergencySuicide, 1, "zelfdoding", nil},
		{"mijn fiets is weg want die stond niet op slot", 0, ReasonNone, 0, "", nil}, // Dutch "want die" is not "want to die"
		{"mijn buurman staat op het dak en zegt dat hij gaat springen", 0, ReasonEmergencySuicide, 1, "zelfdoding", nil},
		{"my husband hits me", 0, ReasonEmergencyViolence, 1, "huiselijk_geweld", nil},
		{"er ligt iemand op straat, hij ademt niet", 0, ReasonEmergencyDanger, 1, "direct_gevaar", []string{"112"}},
		{"my neighbour is not breathing", 0, ReasonEmergencyDanger, 1, "direct_gevaar", nil},
		{"wat moet ik doen bij brand?", 0, ReasonNone, 0, "", nil}, // =brand is weak
		{"mijn man slaat mij, wat doet Veilig Thuis", 0, ReasonEmergencyViolence, 1, "huiselijk_geweld", []string{"Veilig Thuis", "0800-2000", "112"}},
		{"mijn man slaat mij en ik wil dood", 0, ReasonEmergencySuicide, 1, "zelfdoding", []string{"0800-0113", "112"}}, // suicide first
		{"wat doet Veilig Thuis?", 0, ReasonNone, 0, "", nil},
		{"we worden morgen uit ons huis gezet", 0, ReasonSensitive, 2, "uitzetting", []string{"medewerker"}},
		{"ons huis wordt ontruimd", 0, ReasonSensitive, 2, "uitzetting", nil},
		{"het gas wordt afgesloten", 0, ReasonSensitive, 2, "afsluiting", nil},
		{"ze gaan ons afsluiten van gas en licht", 0, ReasonSensitive, 2, "afsluiting", nil},
		{"ik moet 3000 euro terugbetalen", 0, ReasonSensitive, 2, "fraude", nil},
		{"ik wil een klacht indienen", 0, ReasonSensitive, 2, "klacht", nil},
		{"dit is belachelijk", 0, ReasonSensitive, 2, "boosheid", nil},
		{"IK WACHT AL WEKEN OP ANTWOORD", 0, ReasonSensitive, 2, "boosheid", nil},
		{"HOE VRAAG IK EEN PARKEERKAART AAN", 0, ReasonNone, 0, "", nil}, // capitals alone are weak
		{"Waarom duurt dit zo lang!!!", 0, ReasonSensitive, 2, "boosheid", nil},
		{"Bedankt!!", 0, ReasonNone, 0, "", nil},
		{"dit slaat nergens op, mijn aanvraag is weg", 0, ReasonPersonal, 3, "aanvraag", nil}, // not violence
		{"Hoe werkt huiselijk geweld melden bij Veilig Thuis?", 0, ReasonNone, 0, "", nil},
		{"Kerkstraat 113, wanneer wordt het afval opgehaald", 0, ReasonNone, 0, "", nil},
		{"wat als ik niet slaag voor het examen", 0, ReasonNone, 0, "", nil},
		{"ik wil dode takken laten ophalen", 0, ReasonNone, 0, "", nil}, // dode shares the stem of dood
		{"ik wil dood", 0, ReasonEmergencySuicide, 1, "zelfdoding", nil},
		{"wat is de status van mijn aanvraag", 0, ReasonPersonal, 3, "aanvraag", []string{"medewerker"}},
		{"Mijn BSN is [BSN]", 0, ReasonPersonal, 3, "zaaknummer", nil},
		{"[BSN]", 0, ReasonPersonal, 3, "zaaknummer", nil},
		{"wat is een BSN?", 0, ReasonNone, 0, "", nil},
		{"ik wil een medewerker spreken over mijn aanvraag", 0, ReasonPersonal, 3, "aanvraag", nil}, // personal outranks request
		{"ik wil een medewerker spreken", 0, ReasonRequest, 4, "medewerker", []string{"medewerker"}},
		{"kunt u mij terugbellen", 0, ReasonRequest, 4, "medewerker", nil},
		{"mijn situatie is heel ingewikkeld", 0, ReasonComplex, 5, "situatie", nil},
		{"hoe zit het met de kosten", 0, ReasonNone, 0, "", nil},
		{"hoe zit het met de kosten", 1, ReasonNone, 0, "", nil},
		{"hoe zit het met de kosten", 2, ReasonComplex, 5, "herhaald_geen_antwoord", []string{"medewerker"}},
		{"hoe zit het met de kosten", 5, ReasonComplex, 5, "herhaald_geen_antwoord", nil},
		{"ik wil een medewerker spreken", 2, ReasonRequest, 4, "medewerker", nil}, // a rule outranks the failures
		{"hoe meld ik een verhuizing", 0, ReasonNone, 0, "", nil},
		{"", 0, ReasonNone, 0, "", nil},
		{"", 2, ReasonComplex, 5, "herhaald_geen_antwoord", nil},
	}
	h := defaultHandoff(t)
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got := h.Triage(tt.q, tt.failures)
			if got.Reason != tt.reason || got.Priority != tt.priority || got.Topic != tt.topic {
				_, src := h.match(tt.q)
				t.Errorf("Triage(%q, %d) = %s/%d/%q (rule %q), want %s/%d/%q",
					tt.q, tt.failures, got.Reason, got.Priority, got.Topic, src, tt.reason, tt.priority, tt.topic)
			}
			if (got.Message == "") != (tt.reason == ReasonNone) {
				t.Errorf("message %q for reason %q", got.Message, got.Reason)
			}
			for _, s := range tt.messageHasText {
				if !strings.Contains(got.Message, s) {
					t.Errorf("message %q does not contain %q", got.Message, s)
				}
			}
		})
	}
}

func TestHandoffReasonEmergency(t *testing.T) {
	for r := range handoffReasons {
		want := r == ReasonEmergencySuicide || r == ReasonEmergencyViolence || r == ReasonEmergencyDanger
		if r.Emergency() != want {
			t.Errorf("%s.Emergency() = %v, want %v", r, r.Emergency(), want)
		}
	}
	if ReasonNone.Emergency() {
		t.Error("ReasonNone.Emergency() = true")
	}
}

type handoffCase struct {
	Q        string        `json:"q"`
	Failures int           `json:"failures"`
	Reason   HandoffReason `json:"reason"`
	Note     string        `json:"note"`
}

// TestHandoffLabelledSet runs Triage on labelled questions and
// reports precision and recall of handing off at all, and how often the
// reason of a correct hand-off is right.
//
// handoff.jsonl was written before handoff.txt and the rules were tuned on
// it: its scores are a regression check. Its last 37 lines were a second
// batch written after the first round of tuning; scored before the rules
// were tuned on them they reached precision 0.727 and recall 0.400, the
// better guess of how the rules do on phrasings nobody has seen.
//
// handoff_heldout.jsonl was written first, before any rule, and never tuned
// on. Scored with the first version of the rules: precision 1.000, recall
// 0.900, reason accuracy 0.944. The one wrong reason was fixed by a general
// change ("niets" and "niet" share a stem, so the rules now write =niets),
// not by a rule for that question. The same person wrote the rules and both
// sets, so even these scores are optimistic.
//
// Floors sit just under what the rules reach. When you tune the rules on a
// held-out miss, move the question to handoff.jsonl and write new held-out
// questions.
func TestHandoffLabelledSet(t *testing.T) {
	tests := []struct {
		file                               string
		minPrecision, minRecall, minReason float64
		minCases, minNoHandoff             int
	}{
		// Measured with the crisis detector (Rules.Triage): precision 1.000,
		// recall 1.000, reason accuracy 1.000 (rules alone: 1.000, 0.991,
		// 1.000). The detector learnt from this file (answer/crisis/handoff_rules.jsonl).
		{"handoff.jsonl", 0.97, 0.97, 0.97, 80, 25},
		// Measured with the detector: precision 1.000, recall 0.952, reason
		// accuracy 1.000 (rules alone: 1.000, 0.905, 0.947). Not trained on.
		{"handoff_heldout.jsonl", 0.90, 0.85, 0.90, 30, 10},
	}
	r := defaultRules(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cases := readHandoffCases(t, "testdata/"+tt.file, tt.minCases, tt.minNoHandoff)
			var tp, fp, fn, tn, reasonOK int
			for _, c := range cases {
				got := r.Triage(c.Q, c.Failures)
				_, rule := r.Handoff.match(c.Q)
				if got.Source == TriageDetector {
					rule = got.describe()
				}
				switch {
				case c.Reason != ReasonNone && got.Reason != ReasonNone:
					tp++
					if got.Reason == c.Reason {
						reasonOK++
					} else {
						t.Logf("wrong reason: %q: got %s/%s (%q), want %s", c.Q, got.Reason, got.Topic, rule, c.Reason)
					}
				case c.Reason != ReasonNone:
					fn++
					t.Logf("missed (%s): %q", c.Reason, c.Q)
				case got.Reason != ReasonNone:
					fp++
					t.Logf("wrongly handed off: %q: %s/%s (%q)", c.Q, got.Reason, got.Topic, rule)
				default:
					tn++
				}
			}
			precision := float64(tp) / float64(max(tp+fp, 1))
			recall := float64(tp) / float64(max(tp+fn, 1))
			reasonAcc := float64(reasonOK) / float64(max(tp, 1))
			t.Logf("%d cases (%d hand off, %d not): tp=%d fp=%d fn=%d tn=%d", len(cases), tp+fn, fp+tn, tp, fp, fn, tn)
			t.Logf("precision %.3f, recall %.3f, reason accuracy %.3f", precision, recall, reasonAcc)
			if precision < tt.minPrecision {
				t.Errorf("precision %.3f < %.2f", precision, tt.minPrecision)
			}
			if recall < tt.minRecall {
				t.Errorf("recall %.3f < %.2f", recall, tt.minRecall)
			}
			if reasonAcc < tt.minReason {
				t.Errorf("reason accuracy %.3f < %.2f", reasonAcc, tt.minReason)
			}
		})
	}
}

// readHandoffCases reads a JSON Lines file of labelled questions, with at
// least minCases cases of which minNoHandoff must not hand off.
func readHandoffCases(t *testing.T, path string, minCases, minNoHandoff int) []handoffCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []handoffCase
	none := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c handoffCase
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		if c.Reason != ReasonNone && !handoffReasons[c.Reason] {
			t.Fatalf("%s:%d: unknown reason %q", path, n, c.Reason)
		}
		if c.Reason == ReasonNone {
			none++
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < minCases || none < minNoHandoff {
		t.Fatalf("%s: %d cases of which %d must not hand off; want at least %d and %d", path, len(cases), none, minCases, minNoHandoff)
	}
	return cases
}

// The reasons come in one order, most urgent first, however the map of them is
// iterated: violence and danger rank alike.
func TestHandoffReasonsOrder(t *testing.T) {
	t.Parallel()
	first := HandoffReasons()
	if len(first) != len(handoffReasons) {
		t.Fatalf("HandoffReasons() = %v, want all %d reasons", first, len(handoffReasons))
	}
	for i := 1; i < len(first); i++ {
		if first[i].Rank() < first[i-1].Rank() {
			t.Fatalf("%v: %s before %s", first, first[i-1], first[i])
		}
	}
	for range 30 {
		if got := HandoffReasons(); !slices.Equal(got, first) {
			t.Fatalf("HandoffReasons() gave %v, then %v", first, got)
		}
	}
}
