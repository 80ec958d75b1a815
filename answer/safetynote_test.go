package answer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// The safety notes are B1, address the citizen as "u" and give the numbers of
// their class, as the hand-off messages do (TestHandoffMessages), and 112.
func TestSafetyNotes(t *testing.T) {
	want := map[CrisisClass][]string{
		CrisisSuicide:  {"113", "0800-0113", "113.nl", "112", "(gratis, dag en nacht)"},
		CrisisViolence: {"Veilig Thuis", "0800-2000", "112", "(gratis, dag en nacht)"},
		CrisisDanger:   {"112"},
	}
	for c := CrisisClass(0); c < numCrisisClasses; c++ {
		if !c.Emergency() {
			if _, ok := safetyNotes[c]; ok {
				t.Errorf("a safety note for %s, which is no emergency", c)
			}
			continue
		}
		t.Run(c.String(), func(t *testing.T) {
			m := crisisNote{Class: c}.Text()
			if m == "" {
				t.Fatal("no note")
			}
			if s := dutch.Score(m); !s.B1() {
				t.Errorf("not B1: %+v\n%s", s, m)
			}
			if l := " " + strings.ToLower(m); strings.Contains(l, " je ") || strings.Contains(l, " jij ") {
				t.Errorf("addresses the citizen as je/jij: %s", m)
			}
			for _, w := range want[c] {
				if !strings.Contains(m, w) {
					t.Errorf("%q missing from %s", w, m)
				}
			}
			if !strings.Contains(m, safetyNoteNumbers[c]) {
				t.Errorf("the note does not hold its own numbers %q: %s", safetyNoteNumbers[c], m)
			}
		})
	}
}

// TestCrisisScoreNote: the band lies under the hand-off thresholds; suicide
// first, then the most probable emergency; none for an emergency hand-off, none
// below the band, none when the message shown already has the numbers.
func TestCrisisScoreNote(t *testing.T) {
	th := CrisisThresholds{Suicide: 0.30, Emergency: 0.45, Person: 0.70, NoteSuicide: 0.20, NoteEmergency: 0.35}
	p := func(s, v, d, dis float64) CrisisScore {
		return CrisisScore{P: [numCrisisClasses]float64{s, v, d, dis, 1 - s - v - d - dis}}
	}
	distress := Triage{Reason: ReasonSensitive, Message: crisisDistressMessage, Source: TriageDetector}
	request := Triage{Reason: ReasonRequest, Message: handoffMessages[ReasonRequest], Source: TriageRules}
	tests := []struct {
		name  string
		s     CrisisScore
		t     Triage
		class CrisisClass
		ok    bool
	}{
		{"suicide in the band", p(0.22, 0, 0, 0), Triage{}, CrisisSuicide, true},
		{"suicide first, though violence is more probable", p(0.20, 0.24, 0, 0), Triage{}, CrisisSuicide, true},
		{"violence leads the emergency", p(0.05, 0.25, 0.06, 0), Triage{}, CrisisViolence, true},
		{"danger leads the emergency", p(0.05, 0.05, 0.30, 0), Triage{}, CrisisDanger, true},
		{"below the band", p(0.19, 0.05, 0.05, 0.3), Triage{}, 0, false},
		{"clearly not", p(0.01, 0.01, 0.01, 0), Triage{}, 0, false},
		{"an emergency hand-off has the numbers", p(0.25, 0, 0, 0), Triage{Reason: ReasonEmergencySuicide}, 0, false},
		{"the distress message has 113", p(0.25, 0, 0, 0.5), distress, 0, false},
		{"the distress message has no Veilig Thuis", p(0.05, 0.35, 0, 0.5), distress, CrisisViolence, true},
		{"a request hand-off gets the note", p(0.25, 0, 0, 0), request, CrisisSuicide, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := tt.s.note(th, tt.t)
			if ok != tt.ok || ok && n.Class != tt.class {
				t.Fatalf("note = %v, %v; want %v, %v", n, ok, tt.class, tt.ok)
			}
			if ok && (n.Score <= 0 || n.Score > 1) {
				t.Errorf("score %v", n.Score)
			}
		})
	}
	if _, ok := p(0.29, 0.15, 0, 0).note(CrisisThresholds{Suicide: 0.3, Emergency: 0.45}, Triage{}); ok {
		t.Error("a note without a band (NoteSuicide, NoteEmergency 0)")
	}
}

// withNote puts the note after the text, streams it only after an answer that
// was streamed, and records class and score.
func TestWithNote(t *testing.T) {
	n := crisisNote{Class: CrisisSuicide, Score: 0.234}
	var deltas []string
	onDelta := func(d string) { deltas = append(deltas, d) }
	a := withNote(Answer{Outcome: Answered, Text: "Een paspoort kost € 88,15 [1]."}, n, onDelta)
	if want := "Een paspoort kost € 88,15 [1].\n\n" + n.Text(); a.Text != want {
		t.Errorf("text %q, want %q", a.Text, want)
	}
	if len(deltas) != 1 || deltas[0] != "\n\n"+n.Text() {
		t.Errorf("deltas %q", deltas)
	}
	if a.SafetyNote != "suicide" || a.SafetyNoteScore != 0.23 {
		t.Errorf("note %q %v", a.SafetyNote, a.SafetyNoteScore)
	}
	deltas = nil
	r := withNote(Answer{Outcome: Refused, Text: NoAnswerMessage}, n, onDelta)
	if len(deltas) != 0 || !strings.HasSuffix(r.Text, n.Text()) || !strings.HasPrefix(r.Text, NoAnswerMessage) {
		t.Errorf("refusal: deltas %q, text %q", deltas, r.Text)
	}
}

// TestUnsureBand runs the embedded rules and detector on messages in the band
// and well below it: in the band the question is left to the search with the
// note to add (no hand-off); well below there is none. English information
// questions about suicide prevention are no emergency (the rules leave the name
// of the prevention to the detector, as in Dutch).
func TestUnsureBand(t *testing.T) {
	r := defaultRules(t)
	th := DefaultCrisisThresholds
	tests := []struct {
		q     string
		note  string // class, "" for none
		below bool   // well below the band: under half its thresholds
	}{
		{"wat kost een paspoort? ik wil eigenlijk gewoon weg", "suicide", false},
		{"what is suicide prevention", "", false},
		{"what does the suicide prevention line do?", "", true},
		{"how does the suicide prevention hotline work", "", false},
		{"wat kost een paspoort", "", true},
		{"hoe vraag ik een parkeervergunning aan", "", true},
		{"wanneer wordt de groene container geleegd", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			s := r.Crisis.Score(tt.q)
			a, note, decided := r.decide(tt.q)
			if decided {
				t.Fatalf("decided before the search: %+v (P %.2f)", a, s.P)
			}
			if tt.note == "" {
				if note != nil {
					t.Errorf("a %s note at P %.2f", note.Class, s.P)
				}
				if tt.below && (s.P[CrisisSuicide] >= th.NoteSuicide/2 || s.Emergency() >= th.NoteEmergency/2) {
					t.Errorf("not well below the band: P %.2f", s.P)
				}
				return
			}
			if note == nil || note.Class.String() != tt.note {
				t.Fatalf("note %v, want %s (P %.2f)", note, tt.note, s.P)
			}
			if note.Score >= th.Suicide || note.Score < th.NoteSuicide {
				t.Errorf("score %.2f outside the band [%.2f, %.2f)", note.Score, th.NoteSuicide, th.Suicide)
			}
		})
	}
}

// TestSafetyNoteOrdinaryQuestions: on the ordinary questions of the evaluation's
// holdout sets (eval/testdata/holdout*.jsonl, never trained on) the note stays
// rare, so that answers do not all carry it. With -v it lists the noted ones.
func TestSafetyNoteOrdinaryQuestions(t *testing.T) {
	files, err := filepath.Glob("../eval/testdata/holdout*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no holdout sets: %v", err)
	}
	r := defaultRules(t)
	n, noted := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(b, []byte("\n")) {
			var q struct {
				Question string `json:"question"`
			}
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			if err := json.Unmarshal(line, &q); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			n++
			a, note, _ := r.decide(q.Question)
			if note != nil || a.SafetyNote != "" {
				noted++
				t.Logf("  note: %s", q.Question)
			}
		}
	}
	t.Logf("%d of %d ordinary questions with a safety note", noted, n)
	if n < 500 || float64(noted) > 0.01*float64(n) {
		t.Errorf("%d of %d ordinary questions with a safety note, want at most 1%%", noted, n)
	}
}

// TestCrisisOverrule: the detector, sure a message is information, overrules a
// weak violence or danger rule and the citizen still reads the numbers as a
// note; a strong rule, a suicide rule, the weak rules of the other reasons and
// an unsure detector are not overruled.
func TestCrisisOverrule(t *testing.T) {
	h, err := DefaultHandoffRules()
	if err != nil {
		t.Fatal(err)
	}
	th := DefaultCrisisThresholds
	info := func(pInfo float64) CrisisScore {
		rest := (1 - pInfo) / 4
		return CrisisScore{P: [numCrisisClasses]float64{rest, rest, rest, rest, pInfo}}
	}
	tests := []struct {
		q      string
		s      CrisisScore
		reason HandoffReason
		note   CrisisClass
		noted  bool
	}{
		{"folders over huiselijk geweld voor de bibliotheek", info(0.95), ReasonNone, CrisisViolence, true},
		{"folders over huiselijk geweld voor de bibliotheek", info(th.Overrule - 0.05), ReasonEmergencyViolence, 0, false},
		{"een brand in het buurthuis: voorlichting voor de klas", info(0.95), ReasonNone, CrisisDanger, true},
		{"mijn man slaat mij, is er huiselijk geweld hulp", info(0.95), ReasonEmergencyViolence, 0, false},
		{"ik wil een klacht indienen over de gemeente", info(0.95), ReasonSensitive, 0, false},
		{"ik denk aan zelfmoord", info(0.99), ReasonEmergencySuicide, 0, false},
		// The klacht rule's negation (handoff.txt): no complaint.
		{"ik heb geen klachten, maar hoe lang is mijn rijbewijs geldig", info(0.95), ReasonNone, 0, false},
		{"ik heb klachten over de gemeente", info(0.95), ReasonSensitive, 0, false},
		// A weak violence rule with a strong complaint rule under it: the
		// complaint stays, the numbers come as a note.
		{"huiselijk geweld folder: ik ben slecht behandeld aan het loket", info(0.95), ReasonSensitive, CrisisViolence, true},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			rules := h.Triage(tt.q, 0)
			got, n, ok := crisisAssess(rules, func() Triage { return h.triage(tt.q, 0, true) }, tt.s, th)
			if got.Reason != tt.reason || ok != tt.noted || ok && n.Class != tt.note {
				t.Fatalf("rules %q (weak %v) → %q, note %v %v; want %q, note %v %v", rules.Reason, rules.weak, got.Reason, n.Class, ok, tt.reason, tt.note, tt.noted)
			}
		})
	}
}
