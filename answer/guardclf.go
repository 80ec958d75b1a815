package answer

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/internal/textclass"
)

// GuardOK is the guard classifier's label of a question to answer; the other
// labels are the guard's refusal reasons.
const GuardOK = "ok"

// numGuardLabels is the number of the classifier's classes.
const numGuardLabels = 8

// guardLabels are the classifier's classes: GuardOK first, then the reasons.
var guardLabels = [numGuardLabels]string{GuardOK, "out_of_domain", "voting_advice", "fill_in_for_citizen", "write_letter",
	"prompt_injection", "fraud", "discrimination"}

// guardLabel returns the class index of label.
func guardLabel(label string) (int, error) {
	for i, l := range guardLabels {
		if l == label {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown guard label %q (known: %s)", label, strings.Join(guardLabels[:], ", "))
}

// GuardExample is one labelled question the guard classifier learns from:
// Label is GuardOK or a refusal reason.
type GuardExample struct {
	Q     string `json:"q"`
	Label string `json:"label"`
}

// GuardThresholds are, per refusal reason, the probability from which the
// classifier refuses for it. A reason without a threshold is never refused
// by the classifier.
type GuardThresholds map[string]float64

// DefaultGuardThresholds were chosen by 5-fold cross-validation on the
// training data (TestGuardClassifierCrossValidation): the lowest uniform
// threshold at which the rules and the classifier together wrongly refuse at
// most 2% of the guard's own questions to answer out of fold (0.85), then
// lowered per reason where that finds more refusals without refusing more of
// them.
var DefaultGuardThresholds = GuardThresholds{
	"out_of_domain": 0.85, "voting_advice": 0.85, "fill_in_for_citizen": 0.75, "write_letter": 0.85,
	"prompt_injection": 0.85, "fraud": 0.85, "discrimination": 0.45,
}

// GuardClassifier is the second opinion behind the guard rules: a
// multinomial logistic regression (internal/textclass) over hashed stems,
// stem pairs, character n-grams and a few signals of a question, with a
// class for questions to answer and one per refusal reason. The rules are
// tuned for precision and miss what they were not written for; the
// classifier generalises from labelled phrasings. It trains
// deterministically from the embedded examples on first use (about 0.4 s)
// and is safe for concurrent use.
type GuardClassifier struct {
	examples   []GuardExample
	thresholds GuardThresholds
	once       sync.Once
	model      *textclass.Model
}

// guardBuckets is the number of hash buckets the classifier's features fall
// into.
const guardBuckets = 1 << 17

// guardTraining are the classifier's training settings: textclass's AdaGrad,
// the classes weighted to count equally.
var guardTraining = textclass.Training{Epochs: 15, Rate: 0.05, L2: 1e-5}

// guardCharVal is the value of a character n-gram feature; a word is 1.
const guardCharVal = 0.2

// The training data: answer/guard/*.jsonl ({"q","label"}), written by someone
// who had not seen the rules, the guard's regression cases, whose questions
// to answer are labelled ok, and the crisis detector's messages
// (guardCrisisFiles). The held-out sets (testdata/guard/holdout*.jsonl) are
// not trained on.
//
//go:embed guard/*.jsonl
var guardData embed.FS

//go:embed testdata/guard/cases.jsonl
var guardCases []byte

// GuardTrainingData returns the labelled questions the classifier learns
// from: answer/guard/*.jsonl, answer/testdata/guard/cases.jsonl and, labelled
// GuardOK, the crisis detector's phrasings (guardCrisisFiles).
func GuardTrainingData() ([]GuardExample, error) {
	own, crisis, err := guardTrainingSets()
	return append(own, crisis...), err
}

// guardCrisisFiles are the crisis detector's files whose messages are
// questions to answer for the guard: emergencies and distress go to a person
// (triage), information questions are answered; none is refused. Not
// info_golden.jsonl: those are the questions of eval's golden sets, on which
// the classifier is checked (eval's TestGuardAnswerable).
var guardCrisisFiles = []string{"crisis/train.jsonl", "crisis/extra.jsonl", "crisis/handoff_rules.jsonl"}

// guardTrainingSets returns the guard's own labelled questions and the
// crisis detector's messages labelled GuardOK.
func guardTrainingSets() (own, crisis []GuardExample, err error) {
	entries, err := guardData.ReadDir("guard")
	if err != nil {
		return nil, nil, fmt.Errorf("guard: training data: %w", err)
	}
	for _, e := range entries {
		b, err := guardData.ReadFile("guard/" + e.Name())
		if err != nil {
			return nil, nil, fmt.Errorf("guard: training data: %w", err)
		}
		ex, err := ReadGuardExamples(b)
		if err != nil {
			return nil, nil, fmt.Errorf("guard: training data: guard/%s: %w", e.Name(), err)
		}
		own = append(own, ex...)
	}
	cases, err := readGuardCaseLines(guardCases)
	if err != nil {
		return nil, nil, fmt.Errorf("guard: training data: testdata/guard/cases.jsonl: %w", err)
	}
	own = append(own, cases...)
	for _, f := range guardCrisisFiles {
		b, err := crisisData.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("guard: training data: %w", err)
		}
		ex, err := ReadCrisisExamples(b)
		if err != nil {
			return nil, nil, fmt.Errorf("guard: training data: %s: %w", f, err)
		}
		for _, e := range ex {
			crisis = append(crisis, GuardExample{Q: e.Q, Label: GuardOK})
		}
	}
	return own, crisis, nil
}

// ReadGuardExamples parses JSON Lines of {"q", "label"}; blank lines are
// skipped and every label must be GuardOK or a refusal reason.
func ReadGuardExamples(b []byte) ([]GuardExample, error) {
	var out []GuardExample
	err := eachJSONLine(b, func(line []byte) error {
		var e GuardExample
		if err := json.Unmarshal(line, &e); err != nil {
			return err
		}
		if _, err := guardLabel(e.Label); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// readGuardCaseLines parses the guard's test cases ({"q", "refuse",
// "reason"}) as examples: a question to answer is labelled GuardOK.
func readGuardCaseLines(b []byte) ([]GuardExample, error) {
	var out []GuardExample
	err := eachJSONLine(b, func(line []byte) error {
		var c struct {
			Q      string `json:"q"`
			Refuse bool   `json:"refuse"`
			Reason string `json:"reason"`
		}
		if err := json.Unmarshal(line, &c); err != nil {
			return err
		}
		e := GuardExample{Q: c.Q, Label: GuardOK}
		if c.Refuse {
			e.Label = c.Reason
		}
		if _, err := guardLabel(e.Label); err != nil || e.Label == GuardOK && c.Refuse {
			return fmt.Errorf("refuse=%v with reason %q", c.Refuse, c.Reason)
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// eachJSONLine calls f with each non-blank line of b; an error names the line.
func eachJSONLine(b []byte, f func(line []byte) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if err := f(line); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// NewGuardClassifier returns a classifier that learns from the embedded
// questions on first use, with the default thresholds.
func NewGuardClassifier() (*GuardClassifier, error) {
	ex, err := GuardTrainingData()
	if err != nil {
		return nil, err
	}
	return newGuardClassifier(ex, DefaultGuardThresholds)
}

// TrainGuardClassifier trains a classifier on examples now. The same
// examples in the same order give the same classifier.
func TrainGuardClassifier(examples []GuardExample, th GuardThresholds) (*GuardClassifier, error) {
	g, err := newGuardClassifier(examples, th)
	if err != nil {
		return nil, err
	}
	g.trained()
	return g, nil
}

func newGuardClassifier(examples []GuardExample, th GuardThresholds) (*GuardClassifier, error) {
	if len(examples) == 0 {
		return nil, fmt.Errorf("guard: train: no examples")
	}
	for i, e := range examples {
		if _, err := guardLabel(e.Label); err != nil {
			return nil, fmt.Errorf("guard: train: example %d: %w", i+1, err)
		}
	}
	for r := range th {
		if c, err := guardLabel(r); err != nil || c == 0 {
			return nil, fmt.Errorf("guard: threshold for %q: not a refusal reason", r)
		}
	}
	return &GuardClassifier{examples: examples, thresholds: th}, nil
}

// Train trains the classifier now if it has not been trained yet, so that a
// service can pay for it at start instead of on its first question.
func (g *GuardClassifier) Train() { g.trained() }

// trained returns the model, training it on first use.
func (g *GuardClassifier) trained() *textclass.Model {
	g.once.Do(func() {
		rows := make([]textclass.Example, len(g.examples))
		for i, e := range g.examples {
			c, _ := guardLabel(e.Label)
			rows[i] = textclass.Example{Features: guardFeatures(e.Q), Class: c}
		}
		m, err := textclass.Train(rows, len(guardLabels), guardBuckets, guardTraining)
		if err != nil {
			// The labels were checked in newGuardClassifier and the
			// features are hashed into guardBuckets: this cannot happen.
			panic(fmt.Sprintf("guard: %v", err))
		}
		g.model = m
	})
	return g.model
}

// GuardScore is the classifier's view of one question: the probability of
// each label (GuardOK and the reasons).
type GuardScore struct {
	p [numGuardLabels]float64
}

// P returns the probability of label; 0 for an unknown label.
func (s GuardScore) P(label string) float64 {
	c, err := guardLabel(label)
	if err != nil {
		return 0
	}
	return s.p[c]
}

// Score scores question.
func (g *GuardClassifier) Score(question string) GuardScore {
	var s GuardScore
	g.trained().Probs(guardFeatures(question), s.p[:])
	return s
}

// Decide returns the reason th gives for s and its probability: of the
// reasons whose probability reaches their threshold the most probable, or
// "" when none does.
func (s GuardScore) Decide(th GuardThresholds) (reason string, p float64) {
	for c := 1; c < len(guardLabels); c++ {
		t, ok := th[guardLabels[c]]
		if ok && s.p[c] >= t && s.p[c] > p {
			reason, p = guardLabels[c], s.p[c]
		}
	}
	return reason, p
}

// Refuse reports whether the classifier refuses question, for which reason
// and with which probability.
func (g *GuardClassifier) Refuse(question string) (refuse bool, reason string, p float64) {
	reason, p = g.Score(question).Decide(g.thresholds)
	return reason != "", reason, p
}

// guardFeatures returns the hashed features of a question, each bucket once:
// stems and pairs of neighbouring stems, the first two stems, character 3- to
// 5-grams of each word (for typos, compounds and English), whether the
// citizen speaks of themself or addresses the assistant, a "?" and the
// length.
func guardFeatures(q string) []textclass.Feature {
	words := dutch.Tokens(q)
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = dutch.Stem(w)
	}
	h := textclass.NewHasher(guardBuckets, 24*len(words)+8)
	h.Add(1, "bias")
	for i, s := range stems {
		h.Add(1, "w:", s)
		if i+1 < len(stems) {
			h.Add(1, "b:", s, " ", stems[i+1])
		}
		if i < 2 {
			h.Add(1, "s:", s) // "schrijf …", "negeer …", "vul …", "wie …"
		}
		if firstPerson[words[i]] {
			h.Add(1, "f:first")
		}
		if addressee[words[i]] {
			h.Add(1, "f:you")
		}
		w := "<" + words[i] + ">"
		for n := 3; n <= 5; n++ {
			for k := 0; k+n <= len(w); k++ {
				h.Add(guardCharVal, "c:", w[k:k+n])
			}
		}
	}
	if strings.Contains(q, "?") {
		h.Add(1, "f:question")
	}
	switch n := len(words); {
	case n <= 3:
		h.Add(1, "f:len1")
	case n <= 8:
		h.Add(1, "f:len2")
	case n <= 20:
		h.Add(1, "f:len3")
	default:
		h.Add(1, "f:len4")
	}
	return h.Features()
}

// addressee are the words by which a question addresses the assistant.
var addressee = map[string]bool{
	"je": true, "jij": true, "jou": true, "jouw": true, "jezelf": true, "u": true,
	"you": true, "your": true, "yourself": true,
}
