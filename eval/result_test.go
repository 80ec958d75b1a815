package eval

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
)

// fixture is a fixed, hand-made run of eight questions that exercises every figure:
// three municipalities, five topics, all three outcomes, right and wrong.
func fixture() Result {
	rows := []QuestionResult{
		{
			ID: "bijstand-001", Question: "Hoeveel bijstand krijg ik als ik alleen woon?", Topic: "bijstand",
			Expected: answer.Answered, ExpectedPages: []string{"rijk:/onderwerpen/bijstand/hoogte"}, Outcome: answer.Answered,
			Ranks:  map[string][]int{"hybrid": {1}, "text": {2}, "vector": {1}},
			Answer: "U krijgt als alleenstaande € 1.401,50 per maand [1]. Dat geldt vanaf 21 jaar [1].", Answerer: "builtin-extractive", Confidence: 0.8,
			Citations:          []CitedPage{{URL: "http://rijk.test/onderwerpen/bijstand/hoogte#bedragen", Support: 0.9, Expected: true, Supported: true}},
			FirstCitationRight: true, Sentences: 2, GroundedSentences: 2,
			KeyFacts: []string{"€ 1.401,50", "21 jaar"}, KeyFactsFound: []string{"€ 1.401,50", "21 jaar"},
			FleschDouma: 65, SentenceWords: 12, B1: true, RetrievalMs: 10, AnsweringMs: 20, TotalMs: 30,
		},
		{
			ID: "bijstand-002", Question: "bijstand aanvragen bloemendijk hoe lang duurt dat", Municipality: "GM9001", Topic: "bijstand",
			Expected: answer.Answered, ExpectedPages: []string{"bloemendijk:/werk-en-inkomen/bijstand", "rijk:/onderwerpen/bijstand/aanvragen"}, Outcome: answer.Answered,
			Ranks:  map[string][]int{"hybrid": {2, 0}, "text": {0, 1}, "vector": {2, 3}},
			Answer: "U vraagt bijstand aan bij het UWV [1]. De gemeente beslist binnen 8 weken [1]. U kunt een voorschot krijgen [2].", Answerer: "builtin-extractive", Confidence: 0.6,
			Citations: []CitedPage{
				{URL: "http://rijk.test/onderwerpen/bijstand/aanvragen", Support: 0.8, Expected: true, Supported: true},
				{URL: "http://bloemendijk.test/werk-en-inkomen/voorschot", Support: 0.7, Supported: true},
			},
			FirstCitationRight: true, Sentences: 3, GroundedSentences: 3,
			KeyFacts: []string{"2 weken"}, FleschDouma: 55, SentenceWords: 16, RetrievalMs: 12, AnsweringMs: 38, TotalMs: 50,
		},
		{
			ID: "afval-001", Question: "wanneer wordt het restafval opgehaald?", Municipality: "GM9002", Topic: "afval",
			Expected: answer.Answered, ExpectedPages: []string{"heuvelrade:/onderwerpen/afval"}, Outcome: answer.Refused,
			Ranks:  map[string][]int{"hybrid": {0}, "text": {0}, "vector": {4}},
			Answer: answer.NoAnswerMessage, RefusalReason: "low_confidence", Confidence: 0.2,
			KeyFacts: []string{"dinsdag"}, RetrievalMs: 8, AnsweringMs: 12, TotalMs: 20,
		},
		{
			ID: "refusal-001", Question: "Wat wordt het weer morgen?", Topic: "refusal",
			Expected: answer.Refused, ExpectedPages: []string{}, Outcome: answer.Refused, Answer: "Daar kan ik u niet mee helpen.",
			RefusalReason: "off_topic", TotalMs: 1,
		},
		{
			ID: "refusal-002", Question: "Schrijf een bezwaarbrief namens de gemeente", Municipality: "GM9001", Topic: "refusal",
			Expected: answer.Refused, ExpectedPages: []string{}, Outcome: answer.Answered,
			Answer: "U kunt bezwaar maken binnen 6 weken [1].", Answerer: "builtin-extractive", Confidence: 0.4,
			Citations: []CitedPage{{URL: "http://bloemendijk.test/bezwaar", Support: 0.5}}, Sentences: 1,
			FleschDouma: 70, SentenceWords: 8, B1: true, RetrievalMs: 9, AnsweringMs: 21, TotalMs: 30,
		},
		{
			ID: "contact-001", Question: "Ik wil iemand spreken over mijn schulden", Municipality: "GM9002", Topic: "contact",
			Expected: answer.Handoff, ExpectedPages: []string{}, Outcome: answer.Handoff, Answer: "Ik verbind u door met een medewerker.",
			RetrievalMs: 10, AnsweringMs: 30, TotalMs: 40,
		},
		{
			ID: "contact-002", Question: "Kan ik een medewerker spreken?", Topic: "contact",
			Expected: answer.Handoff, ExpectedPages: []string{}, Outcome: answer.Refused, Answer: answer.NoAnswerMessage,
			RefusalReason: "no_passages", TotalMs: 5,
		},
		{
			ID: "paspoort-001", Question: "wat kost een paspoort <18", Municipality: "GM9001", Topic: "paspoort",
			Expected: answer.Answered, ExpectedPages: []string{"bloemendijk:/burgerzaken/paspoort"}, Outcome: answer.Answered,
			Ranks:  map[string][]int{"hybrid": {3}, "text": {1}, "vector": {5}},
			Answer: "Een paspoort voor kinderen kost € 88,15 [1].", Answerer: "builtin-extractive", Confidence: 0.7,
			Citations: []CitedPage{{URL: "http://bloemendijk.test/burgerzaken/id-kaart#kosten", Support: 0.95, Supported: true}},
			Sentences: 1, GroundedSentences: 1, KeyFacts: []string{"€ 88,15"}, KeyFactsFound: []string{"€ 88,15"},
			FleschDouma: 62, SentenceWords: 14, B1: true, RetrievalMs: 15, AnsweringMs: 185, TotalMs: 200,
		},
	}
	return Build("eval/testdata/fixture.jsonl", time.Date(2026, 11, 2, 10, 30, 0, 0, time.UTC), DefaultMinSupport, rows)
}

// The fixture's figures, computed by hand (see the comments).
func TestSummarise(t *testing.T) {
	t.Parallel()
	r := fixture()
	m := r.Metrics
	// Confusion, rows expected, columns got (answered, refused, handoff):
	// answered [3 1 0], refused [1 1 0], handoff [0 1 1].
	if want := [3][3]int{{3, 1, 0}, {1, 1, 0}, {0, 1, 1}}; m.Confusion.Counts != want {
		t.Errorf("confusion = %v, want %v", m.Confusion.Counts, want)
	}
	checks := []struct {
		name string
		got  Figure
		want float64
	}{
		// Hybrid ranks of the four questions with pages: [1], [2 0] of two, [0], [3].
		{"recall@1", m.Recall1, 1.0 / 4},
		{"recall@5", m.Recall5, (1 + 0.5 + 0 + 1) / 4},
		{"recall@10", m.Recall10, (1 + 0.5 + 0 + 1) / 4},
		{"MRR", m.MRR, (1 + 0.5 + 0 + 1.0/3) / 4},
		// [2 0] of two: (1/log2 3) / (1 + 1/log2 3) = 0.386853; [3]: 1/log2 4 = 0.5.
		{"nDCG@10", m.NDCG10, (1 + 0.386853 + 0 + 0.5) / 4},
		{"outcome accuracy", m.OutcomeAccuracy, 5.0 / 8},
		{"answered rate", m.AnsweredRate, 3.0 / 4},
		{"refusal precision", m.RefusalPrecision, 1.0 / 3},
		{"refusal recall", m.RefusalRecall, 1.0 / 2},
		{"hand-off precision", m.HandoffPrecision, 1},
		{"hand-off recall", m.HandoffRecall, 1.0 / 2},
		// Five citations; refusal-002's is neither expected nor supported.
		{"citation precision", m.CitationPrecision, 4.0 / 5},
		// Four citations of questions with pages, two of them expected pages.
		{"cited expected", m.CitedExpected, 2.0 / 4},
		{"first citation right", m.FirstCitationRight, 2.0 / 4},
		// Seven sentences, refusal-002's one unsupported.
		{"groundedness", m.Groundedness, 6.0 / 7},
		// Five key facts of questions to answer, three found.
		{"key-fact recall", m.KeyFactRecall, 3.0 / 5},
		{"mean Flesch-Douma", m.MeanFleschDouma, (65 + 55 + 70 + 62) / 4.0},
		{"mean sentence words", m.MeanSentenceWords, (12 + 16 + 8 + 14) / 4.0},
		{"share B1", m.ShareB1, 3.0 / 4},
		// Totals sorted: 1 5 20 30 30 40 50 200; nearest rank 4 and 8.
		{"total p50", m.TotalP50, 30},
		{"total p95", m.TotalP95, 200},
		{"retrieval p50", m.RetrievalP50, 9},
		{"answering p95", m.AnsweringP95, 185},
	}
	for _, c := range checks {
		if math.Abs(float64(c.got)-c.want) > 1e-6 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if len(m.Modes) != 3 || m.Modes[0].Mode != "hybrid" || m.Modes[1].Mode != "text" {
		t.Errorf("modes = %+v", m.Modes)
	}
	// text ranks: [2], [0 1] of two, [0], [1]: MRR = (0.5 + 1 + 0 + 1) / 4.
	if got := m.Modes[1].MRR; math.Abs(float64(got)-0.625) > 1e-9 {
		t.Errorf("text MRR = %v, want 0.625", got)
	}

	var names []string
	for _, g := range r.ByMunicipality {
		names = append(names, g.Name)
	}
	if want := []string{National, "GM9001", "GM9002"}; !slices.Equal(names, want) {
		t.Errorf("municipality groups = %v, want %v", names, want)
	}
	// GM9001: bijstand-002 (answered, right), refusal-002 (answered, should refuse),
	// paspoort-001 (answered, right).
	g := r.ByMunicipality[1].Metrics
	if g.N != 3 || g.OutcomeAccuracy != 2.0/3 || g.RefusalRecall != 0 || g.RefusalPrecision.Defined() || g.Recall5 != 0.75 {
		t.Errorf("GM9001 = n %d, accuracy %v, refusal recall %v, refusal precision %v, recall@5 %v", g.N, g.OutcomeAccuracy, g.RefusalRecall, g.RefusalPrecision, g.Recall5)
	}
	var topics []string
	for _, g := range r.ByTopic {
		topics = append(topics, fmt.Sprintf("%s:%d", g.Name, g.Metrics.N))
	}
	if got, want := topics, []string{"afval:1", "bijstand:2", "contact:2", "paspoort:1", "refusal:2"}; !slices.Equal(got, want) {
		t.Errorf("topic groups = %v, want %v", got, want)
	}
	// The refusal topic has no questions with pages: its retrieval is undefined.
	if rf := r.ByTopic[4].Metrics; rf.Recall5.Defined() || rf.RetrievalN != 0 {
		t.Errorf("refusal topic recall@5 = %v over %d", rf.Recall5, rf.RetrievalN)
	}
}

func TestFigureJSON(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    Figure
		json string
	}{{0.25, "0.25"}, {NA(), "null"}, {1, "1"}} {
		b, err := tc.f.MarshalJSON()
		if err != nil || string(b) != tc.json {
			t.Errorf("MarshalJSON(%v) = %s, %v; want %s", tc.f, b, err, tc.json)
		}
		var back Figure
		if err := back.UnmarshalJSON(b); err != nil || back.Defined() != tc.f.Defined() || (back.Defined() && back != tc.f) {
			t.Errorf("UnmarshalJSON(%s) = %v, %v", b, back, err)
		}
	}
}

func TestCatalog(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, info := range Catalog() {
		if seen[info.Key] || info.Label == "" || info.Value == nil || info.Base == nil || info.Of == "" {
			t.Errorf("catalog entry %+v: duplicate or incomplete", info.Key)
		}
		seen[info.Key] = true
		if info.Headline && (info.Unit != Share || info.Better != HigherIsBetter) {
			t.Errorf("%s: a headline figure must be a share where higher is better (the tolerance is absolute)", info.Key)
		}
	}
	if _, ok := Lookup("groundedness"); !ok {
		t.Error("Lookup(groundedness) failed")
	}
}
