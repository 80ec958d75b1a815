package answer

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/internal/textclass"
)

// CrisisClass is what the crisis detector recognises in a message.
type CrisisClass int

const (
	CrisisSuicide  CrisisClass = iota // suicidal thoughts, plans, self-harm: 113 and 112
	CrisisViolence                    // violence, abuse, threats, by a partner, family or others: Veilig Thuis and 112
	CrisisDanger                      // acute danger to life: an unresponsive person, fire, gas, a weapon, an overdose: 112
	CrisisDistress                    // acute distress: no roof tonight, no income or food, panic, a carer who cannot cope: a person
	CrisisInfo                        // none of these: an information question or an ordinary message
	numCrisisClasses
)

// nClasses is numCrisisClasses as an int, for loops and indexing.
const nClasses = int(numCrisisClasses)

var crisisClassNames = [numCrisisClasses]string{"suicide", "violence", "danger", "distress", "info"}

func (c CrisisClass) String() string {
	if c < 0 || c >= numCrisisClasses {
		return fmt.Sprintf("CrisisClass(%d)", int(c))
	}
	return crisisClassNames[c]
}

// ParseCrisisClass returns the class named s ("suicide", …, "info").
func ParseCrisisClass(s string) (CrisisClass, error) {
	for c, n := range crisisClassNames {
		if n == s {
			return CrisisClass(c), nil
		}
	}
	return 0, fmt.Errorf("unknown crisis class %q", s)
}

// Emergency reports whether c is one of the emergency classes.
func (c CrisisClass) Emergency() bool {
	return c == CrisisSuicide || c == CrisisViolence || c == CrisisDanger
}

// CrisisExample is one labelled phrasing the detector learns from.
type CrisisExample struct {
	Q     string `json:"q"`
	Label string `json:"label"`
}

// CrisisThresholds turn the detector's probabilities into a decision. They
// were chosen by 5-fold cross-validation on the training data (see
// answer/crisis/README.md and TestCrisisCrossValidation): the hand-off
// thresholds for the most emergencies found at most 5% of the information
// questions handed off, with distress at least 95%; below them, the unsure
// band (NoteSuicide, NoteEmergency) for the most emergencies shown the right
// numbers at most 5% of the information questions with a safety note. When
// the detector is unsure, the citizen gets the numbers or a person, never
// a refusal only.
type CrisisThresholds struct {
	Suicide   float64 // P(suicide) at which the 113 message is shown
	Emergency float64 // P(suicide)+P(violence)+P(danger) at which an emergency message is shown
	Person    float64 // 1-P(info) at which a person takes over (reason sensitive)
	// Raise is the probability at which the detector turns a personal
	// matter, a request for a person or a complex case the rules found into
	// an emergency: a person comes anyway, so here it must be surer. (A
	// sensitive one, such as debts or an eviction, is raised at the other
	// thresholds: suicidal words come with those.)
	Raise float64
	// The unsure band (safetynote.go): below the thresholds above, from
	// these, the answer carries a safety note with the numbers of the most
	// probable emergency and the offer of a person, without a hand-off.
	// NoteSuicide is the P(suicide) from which the 113 note is added,
	// NoteEmergency the emergency probability from which the note of the
	// most probable emergency is; 0 adds none.
	NoteSuicide, NoteEmergency float64
	// Overrule is the P(info) from which the detector overrules a weak
	// hand-off rule (the bare mention of a topic such as "huiselijk
	// geweld" or "brand", handoff.txt) of the violence and danger
	// emergencies: the strong rules decide alone, as in an information
	// question, and the emergency's numbers are shown as a safety note.
	// Strong rules, the suicide rules (all strong) and the weak rules of
	// the other reasons (the detector's info class holds complaints and
	// requests for a person) are never overruled; 0 overrules nothing.
	Overrule float64
}

// DefaultCrisisThresholds are the thresholds chosen by cross-validation.
var DefaultCrisisThresholds = CrisisThresholds{Suicide: 0.30, Emergency: 0.50, Person: 0.80, Raise: 0.5, NoteSuicide: 0.22, NoteEmergency: 0.36, Overrule: 0.70}

// CrisisDetector is a multinomial logistic regression over hashed features
// of a message: stemmed words and word pairs, character n-grams (3 to 5
// letters) of each word for typos and compounds, word groups (crisisLexicon)
// and a few signals (first person, negation, an information question). It
// trains deterministically from labelled phrasings on first use (about
// 0.2 s), so that commands that never triage do not pay for it, and is safe
// for concurrent use.
type CrisisDetector struct {
	examples   []CrisisExample
	thresholds CrisisThresholds
	opt        crisisTraining
	once       sync.Once
	model      *textclass.Model
}

// crisisBuckets is the number of hash buckets features fall into.
const crisisBuckets = 1 << 17

// Training settings. The optimiser is textclass's AdaGrad on the log loss
// with L2 regularisation, the classes weighted to count equally.
type crisisTraining struct {
	seed     uint64
	emWeight float32 // extra weight of the emergency classes
	epochs   int
	rate, l2 float32
	charVal  float32 // the value of a character n-gram; a word is 1
}

// crisisDefaultTraining: chosen by cross-validation (crisis/README.md).
// AdaGrad's first step moves every weight by the full rate, so the rate is
// small: a message has a few hundred features.
var crisisDefaultTraining = crisisTraining{epochs: 15, rate: 0.02, l2: 1e-5, charVal: 0.2}

//go:embed crisis/*.jsonl
var crisisData embed.FS

// CrisisTrainingData returns the labelled phrasings embedded in the binary
// (answer/crisis/*.jsonl).
func CrisisTrainingData() ([]CrisisExample, error) {
	var all []CrisisExample
	err := fs.WalkDir(crisisData, "crisis", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := crisisData.ReadFile(path)
		if err != nil {
			return err
		}
		ex, err := ReadCrisisExamples(b)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		all = append(all, ex...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crisis: training data: %w", err)
	}
	return all, nil
}

// ReadCrisisExamples parses JSON Lines of {"q", "label"}; blank lines are
// skipped and every label must be a class name.
func ReadCrisisExamples(b []byte) ([]CrisisExample, error) {
	var out []CrisisExample
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e CrisisExample
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if _, err := ParseCrisisClass(e.Label); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// NewCrisisDetector returns a detector that learns from the embedded
// phrasings, with the default thresholds.
func NewCrisisDetector() (*CrisisDetector, error) {
	ex, err := CrisisTrainingData()
	if err != nil {
		return nil, err
	}
	return newCrisisDetector(ex, DefaultCrisisThresholds, crisisDefaultTraining)
}

// TrainCrisisDetector trains a detector on examples now. The same examples
// in the same order give the same detector.
func TrainCrisisDetector(examples []CrisisExample, th CrisisThresholds) (*CrisisDetector, error) {
	return trainCrisisDetector(examples, th, crisisDefaultTraining)
}

func trainCrisisDetector(examples []CrisisExample, th CrisisThresholds, opt crisisTraining) (*CrisisDetector, error) {
	d, err := newCrisisDetector(examples, th, opt)
	if err != nil {
		return nil, err
	}
	d.trained()
	return d, nil
}

// newCrisisDetector checks the examples and returns a detector that trains
// on first use.
func newCrisisDetector(examples []CrisisExample, th CrisisThresholds, opt crisisTraining) (*CrisisDetector, error) {
	if len(examples) == 0 {
		return nil, fmt.Errorf("crisis: train: no examples")
	}
	for i, e := range examples {
		if _, err := ParseCrisisClass(e.Label); err != nil {
			return nil, fmt.Errorf("crisis: train: example %d: %w", i+1, err)
		}
	}
	return &CrisisDetector{examples: examples, thresholds: th, opt: opt}, nil
}

// Train trains the detector now if it has not been trained yet, so that a
// service can pay for it at start instead of on its first question.
func (d *CrisisDetector) Train() { d.trained() }

// trained returns the model, training it on first use.
func (d *CrisisDetector) trained() *textclass.Model {
	d.once.Do(func() { d.model = trainCrisisModel(d.examples, d.opt) })
	return d.model
}

// trainCrisisModel trains on examples whose labels are known to be classes.
func trainCrisisModel(examples []CrisisExample, opt crisisTraining) *textclass.Model {
	rows := make([]textclass.Example, len(examples))
	for i, e := range examples {
		c, _ := ParseCrisisClass(e.Label)
		rows[i] = textclass.Example{Features: crisisFeatures(e.Q, opt.charVal), Class: int(c)}
	}
	boost := make([]float32, nClasses)
	for c := range nClasses {
		if CrisisClass(c).Emergency() {
			boost[c] = opt.emWeight
		}
	}
	m, err := textclass.Train(rows, nClasses, crisisBuckets, textclass.Training{
		Seed: opt.seed, Epochs: opt.epochs, Rate: opt.rate, L2: opt.l2, Boost: boost,
	})
	if err != nil {
		// The examples were checked in newCrisisDetector and the
		// features are hashed into crisisBuckets: this cannot happen.
		panic(fmt.Sprintf("crisis: %v", err))
	}
	return m
}

// CrisisScore is the detector's view of one message: the probability of
// each class.
type CrisisScore struct {
	P [numCrisisClasses]float64
}

// Emergency is the probability that the message is an emergency of any kind.
func (s CrisisScore) Emergency() float64 {
	return s.P[CrisisSuicide] + s.P[CrisisViolence] + s.P[CrisisDanger]
}

// Score scores question as a whole.
func (d *CrisisDetector) Score(question string) CrisisScore {
	var s CrisisScore
	d.trained().Probs(crisisFeatures(question, d.opt.charVal), s.P[:])
	return s
}

// Decide returns the class the thresholds give for s and its probability:
// suicide when P(suicide) reaches th.Suicide, so that a message that might
// be about suicide shows 113 (that message also gives 112); otherwise the
// most probable emergency when the emergency probability reaches
// th.Emergency; distress when the probability of anything but info reaches
// th.Person; otherwise info.
func (s CrisisScore) Decide(th CrisisThresholds) (CrisisClass, float64) {
	switch {
	case s.P[CrisisSuicide] >= th.Suicide:
		return CrisisSuicide, s.P[CrisisSuicide]
	case s.Emergency() >= th.Emergency:
		return s.leadEmergency(), s.Emergency()
	case 1-s.P[CrisisInfo] >= th.Person:
		return CrisisDistress, 1 - s.P[CrisisInfo]
	}
	return CrisisInfo, s.P[CrisisInfo]
}

// leadEmergency is the most probable emergency class.
func (s CrisisScore) leadEmergency() CrisisClass {
	lead := CrisisSuicide
	for _, c := range []CrisisClass{CrisisViolence, CrisisDanger} {
		if s.P[c] > s.P[lead] {
			lead = c
		}
	}
	return lead
}

// Classify scores question and decides with the detector's thresholds.
func (d *CrisisDetector) Classify(question string) (CrisisClass, float64) {
	return d.Score(question).Decide(d.thresholds)
}

// crisisWordVal is the value of a word feature.
const crisisWordVal = 1

// firstPerson are the words by which a citizen speaks of themself.
var firstPerson = map[string]bool{
	"ik": true, "mij": true, "me": true, "mijn": true, "mezelf": true, "mijzelf": true,
	"we": true, "wij": true, "ons": true, "onze": true,
	"i": true, "im": true, "my": true, "myself": true, "us": true, "our": true,
}

// negation words.
var negation = map[string]bool{
	"niet": true, "geen": true, "nooit": true, "niemand": true, "niks": true, "niets": true, "nergens": true,
	"not": true, "no": true, "never": true, "nobody": true, "nothing": true, "dont": true, "cant": true,
}

// questionStart are first words of an information question.
var questionStart = map[string]bool{
	"wat": true, "hoe": true, "waar": true, "wanneer": true, "welke": true, "welk": true, "wie": true,
	"waarom": true, "hoeveel": true, "hoelang": true, "mag": true, "kan": true, "kun": true, "moet": true,
	"is": true, "zijn": true, "heb": true, "krijg": true, "wordt": true,
	"what": true, "how": true, "where": true, "when": true, "which": true, "who": true, "can": true,
	"do": true, "does": true, "are": true,
}

// crisisLexicon groups words by what they are about, as word prefixes, so
// that the detector learns one weight for the group from every example that
// has one of its words, and a word it never saw in training still counts.
// These are features, not rules: the weights decide.
var crisisLexicon = map[string][]string{
	"death": {"dood", "sterf", "sterv", "gestorv", "overled", "overlijd", "zelfmoord", "zelfdod", "suicid", "leven", "levend",
		"eind", "einde", "afscheid", "vaarwel", "laatst", "verdwijn", "springen", "spring", "trein", "brug", "dak", "flat", "touw",
		"pillen", "slaappil", "medicijn", "tablet", "snijd", "snij", "kras", "mes", "klaar", "wakker", "weg", "zinloos", "zin",
		"die", "dying", "dead", "death", "suicide", "kill", "end", "alive", "live", "living", "gone", "goodbye", "jump", "pills",
		"cut", "overdose", "kms", "kys", "unalive", "burden", "last", "bridge", "roof", "rope", "point"},
	"violence": {"sla", "slaat", "sloeg", "geslagen", "schop", "trap", "duw", "wurg", "knijp", "dreig", "bedreig", "mishandel",
		"misbruik", "verkracht", "aangerand", "aanrand", "stalk", "gestalkt", "opgesloten", "sluit", "bang", "angst", "blauw",
		"plekken", "keel", "vermoord", "afmaken", "aandoen", "pijn", "riem", "dwingt", "gedwongen", "seks", "aanraken", "aanzit",
		"hits", "hit", "beat", "beaten", "abuse", "abused", "raped", "rape", "threat", "threatens", "threatened", "scared",
		"afraid", "hurt", "hurts", "bruise", "bruises", "stalking", "choke", "choked", "touches"},
	"danger": {"brand", "fik", "vuur", "vlam", "rook", "gas", "koolmonoxid", "bewusteloos", "aanspreekbaar", "reageert", "reageren",
		"adem", "ademt", "lucht", "bloed", "bloedt", "mes", "messen", "pistool", "wapen", "vuurwapen", "geschoten", "schiet",
		"vecht", "gevallen", "valt", "verdrink", "drijft", "water", "gracht", "overdosis", "aangereden", "ongeluk", "ambulance",
		"112", "slap", "flauw", "hartaanval", "beroerte", "epileps", "stuip", "kwijt", "vermist", "weggelopen",
		"fire", "smoke", "smell", "unconscious", "breathing", "breathe", "bleeding", "blood", "knife", "gun", "shot", "shooting",
		"collapsed", "drowning", "unresponsive", "ambulance", "overdosed", "missing", "fight"},
	"distress": {"paniek", "huil", "huilen", "wanhop", "radeloos", "alleen", "eenzaam", "slapen", "slaapplek", "straat", "dakloos",
		"opvang", "nacht", "vannacht", "vanavond", "ontruim", "uitgezet", "eruit", "geld", "eten", "honger", "huur", "schuld",
		"schulden", "afgesloten", "stroom", "verwarming", "koud", "ontslagen", "inkomen", "niks", "niets", "teveel", "aan",
		"stress", "op", "instort", "dementie", "verzorgen", "zorgen", "overleden", "begrafenis", "uitvaart", "help", "hulp",
		"panic", "crying", "alone", "homeless", "nowhere", "tonight", "evicted", "money", "food", "rent", "debt", "cope",
		"overwhelmed", "desperate", "help"},
	"person": {"iemand", "man", "vrouw", "kind", "kinderen", "baby", "jongen", "meisje", "opa", "oma", "moeder", "vader", "mama",
		"papa", "broer", "zus", "zoon", "dochter", "buurman", "buurvrouw", "vriend", "vriendin", "partner", "ex", "echtgenoot",
		"stiefvader", "stiefmoeder", "oom", "tante", "neef", "nicht", "fietser", "persoon", "mensen", "huisgenoot", "collega",
		"someone", "somebody", "man", "woman", "child", "kid", "baby", "boy", "girl", "mother", "father", "mom", "dad",
		"brother", "sister", "son", "daughter", "neighbour", "neighbor", "friend", "girlfriend", "boyfriend", "husband", "wife"},
	"now": {"nu", "net", "zojuist", "vandaag", "vanavond", "vannacht", "morgen", "straks", "meteen", "direct", "al", "help",
		"now", "tonight", "today", "right", "just", "help", "hulp"},
	"idiom": {"lachen", "verveling", "hitte", "ergernis", "honger", "kou", "moordweek", "moordend", "moordwijf", "haha", "lol",
		"grap", "spreekwoord", "figuurlijk", "laughing", "boredom", "lol", "joke", "kidding"},
	"study": {"werkstuk", "scriptie", "spreekbeurt", "profielwerkstuk", "onderzoek", "essay", "les", "klas", "docent", "leraar",
		"student", "studie", "opleiding", "presentatie", "artikel", "journalist", "statistiek", "cijfers", "hoeveel", "beleid",
		"protocol", "meldcode", "professional", "interview", "research", "researcher", "thesis", "school", "teacher", "policy",
		"statistics", "how", "many", "organise", "organiseren", "informatieavond", "voorlichting"},
}

// crisisLexiconOf returns the lexicon groups of word.
func crisisLexiconOf(word string, add func(group string)) {
	for g, prefixes := range crisisLexicon {
		for _, p := range prefixes {
			if word == p || len(p) >= 4 && strings.HasPrefix(word, p) {
				add(g)
				break
			}
		}
	}
}

// crisisFeatures returns the hashed features of a message, each bucket
// once.
func crisisFeatures(q string, charVal float32) []textclass.Feature {
	words := dutch.Tokens(q)
	for i, w := range words {
		if w == "mn" {
			words[i] = "mijn"
		}
	}
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = dutch.Stem(w)
	}
	h := textclass.NewHasher(crisisBuckets, 32*len(words)+8)
	add := h.Add
	add(crisisWordVal, "bias")
	fp, neg := false, false
	groups := make(map[string]bool, len(crisisLexicon))
	for i, s := range stems {
		add(crisisWordVal, "w:", s)
		if i+1 < len(stems) {
			add(crisisWordVal, "b:", s, " ", stems[i+1])
		}
		if firstPerson[words[i]] {
			fp = true
			// Words near the citizen's own "ik", "mijn": "mijn ... ex", "ik ... dood".
			for j := max(0, i-3); j < min(len(stems), i+4); j++ {
				if j != i && !firstPerson[words[j]] {
					add(crisisWordVal, "n:", stems[j])
				}
			}
		}
		if negation[words[i]] {
			neg = true
		}
		crisisLexiconOf(words[i], func(g string) {
			add(crisisWordVal, "l:", g)
			groups[g] = true
		})
		w := "<" + words[i] + ">"
		for n := 3; n <= 5; n++ {
			for k := 0; k+n <= len(w); k++ {
				add(charVal, "c:", w[k:k+n])
			}
		}
	}
	if fp {
		add(crisisWordVal, "f:first")
	}
	// Pairs of groups and signals: "ik" with a word about death, a person
	// with a danger word, a question about a violence word.
	qstart := len(words) > 0 && questionStart[words[0]]
	for g := range groups {
		if fp {
			add(crisisWordVal, "lf:", g)
		}
		if qstart {
			add(crisisWordVal, "lq:", g)
		}
		if neg {
			add(crisisWordVal, "ln:", g)
		}
		for h := range groups {
			if g < h {
				add(crisisWordVal, "ll:", g, "+", h)
			}
		}
	}
	if neg {
		add(crisisWordVal, "f:neg")
	}
	if len(words) > 0 && questionStart[words[0]] {
		add(crisisWordVal, "f:qstart")
		if fp {
			add(crisisWordVal, "f:qstart+first")
		}
	}
	if strings.Contains(q, "?") {
		add(crisisWordVal, "f:question")
	}
	switch n := len(words); {
	case n <= 3:
		add(crisisWordVal, "f:len1")
	case n <= 8:
		add(crisisWordVal, "f:len2")
	case n <= 20:
		add(crisisWordVal, "f:len3")
	default:
		add(crisisWordVal, "f:len4")
	}
	return h.Features()
}

// crisisReasons are the hand-off reasons of the detector's classes.
var crisisReasons = [numCrisisClasses]HandoffReason{
	CrisisSuicide:  ReasonEmergencySuicide,
	CrisisViolence: ReasonEmergencyViolence,
	CrisisDanger:   ReasonEmergencyDanger,
	CrisisDistress: ReasonSensitive,
	CrisisInfo:     ReasonNone,
}

// combineTriage returns the reason when the rules decided t and the
// detector class c with probability score: the detector may raise the
// reason (to an emergency, or to sensitive), never lower it, and never
// changes an emergency the rules found. A personal matter, request or
// complex case becomes an emergency only from th.Raise.
func combineTriage(t Triage, c CrisisClass, score float64, th CrisisThresholds) HandoffReason {
	r := crisisReasons[c]
	switch {
	case t.Reason.Emergency(), r == ReasonNone:
		return t.Reason
	case t.Reason != ReasonNone && t.Reason.Priority() <= r.Priority(),
		t.Reason.Priority() > ReasonSensitive.Priority() && r.Emergency() && score < th.Raise:
		return t.Reason
	}
	return r
}

// Sources of a triage decision (Triage.Source).
const (
	TriageRules    = "rules"
	TriageDetector = "detector"
)

// crisisTopics are the Topic of a triage the detector decided.
var crisisTopics = [numCrisisClasses]string{
	CrisisSuicide:  "detector_zelfdoding",
	CrisisViolence: "detector_geweld",
	CrisisDanger:   "detector_direct_gevaar",
	CrisisDistress: "detector_acute_nood",
}

// Triage decides for one (already redacted) question: the hand-off rules
// first, then the crisis detector over the message as a whole, which may
// raise the reason (a question the rules let through becomes an emergency
// or goes to a person; a debt question with suicidal words becomes the
// suicide emergency) but never lowers it and never changes an emergency the
// rules found. Triage.Source says which decided. Without a detector the
// rules decide alone.
func (r Rules) Triage(question string, recentFailures int) Triage {
	t, _, _ := r.assess(question, recentFailures)
	return t
}

// assess is Triage and the safety note of the unsure band (safetynote.go), if any.
func (r Rules) assess(question string, recentFailures int) (Triage, crisisNote, bool) {
	t := r.Handoff.Triage(question, recentFailures)
	if r.Crisis == nil || t.Reason.Emergency() && !t.weak {
		return t, crisisNote{}, false
	}
	strong := func() Triage { return r.Handoff.triage(question, recentFailures, true) }
	return crisisAssess(t, strong, r.Crisis.Score(question), r.Crisis.thresholds)
}

// crisisAssess is the triage and safety note when the rules decided t and
// the detector scored s: when a weak rule decided t and P(info) reaches
// th.Overrule, the rules' decision without weak rules (strong) stands
// instead, and an emergency so overruled still gets its numbers as a
// safety note; then the detector may raise the reason (crisisTriage), and
// the unsure band adds its note.
func crisisAssess(t Triage, strong func() Triage, s CrisisScore, th CrisisThresholds) (Triage, crisisNote, bool) {
	overruled := ReasonNone
	if t.weak && (t.Reason == ReasonEmergencyViolence || t.Reason == ReasonEmergencyDanger) && th.Overrule > 0 && s.P[CrisisInfo] >= th.Overrule {
		overruled = t.Reason
		t = strong()
	}
	if t.Reason.Emergency() {
		return t, crisisNote{}, false
	}
	c, score := s.Decide(th)
	t = crisisTriage(t, c, score, th)
	n, ok := s.note(th, t)
	if !ok && !t.Reason.Emergency() {
		var cls CrisisClass
		switch overruled {
		case ReasonEmergencyViolence:
			cls = CrisisViolence
		case ReasonEmergencyDanger:
			cls = CrisisDanger
		default:
			return t, n, ok
		}
		if !strings.Contains(t.Message, safetyNoteNumbers[cls]) {
			n, ok = crisisNote{Class: cls, Score: s.Emergency()}, true
		}
	}
	return t, n, ok
}

// crisisDistressMessage is the message when the detector recognises acute
// distress: a person, and 113 for whom it is worse than it reads (despair
// and suicidal thoughts are what the detector confuses most).
const crisisDistressMessage = "Dit is belangrijk. Een medewerker van de gemeente kan u hier beter mee helpen dan ik. " +
	"Ziet u het even niet meer zitten? Bel dan ook 113 via 0800-0113 (gratis, dag en nacht)."

// crisisTriage is the triage when the rules decided t and the detector
// class c with probability score.
func crisisTriage(t Triage, c CrisisClass, score float64, th CrisisThresholds) Triage {
	reason := combineTriage(t, c, score, th)
	if reason == t.Reason {
		return t
	}
	msg := handoffMessages[reason]
	if c == CrisisDistress {
		msg = crisisDistressMessage
	}
	return Triage{Reason: reason, Priority: reason.Priority(), Topic: crisisTopics[c], Message: msg,
		Source: TriageDetector, Score: score}
}

// describe says what decided t, for the answer and the log: "rules
// zelfdoding", "detector suicide 0.87".
func (t Triage) describe() string {
	switch t.Source {
	case TriageDetector:
		class := strings.TrimPrefix(t.Topic, "detector_")
		for c, topic := range crisisTopics {
			if topic == t.Topic {
				class = CrisisClass(c).String()
			}
		}
		return fmt.Sprintf("detector %s %.2f", class, t.Score)
	case TriageRules:
		return "rules " + t.Topic
	}
	return ""
}
