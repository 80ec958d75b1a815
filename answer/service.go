package answer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// NoAnswerMessage is what a citizen reads when no reliable answer was found.
const NoAnswerMessage = "Daar heb ik geen betrouwbaar antwoord op gevonden. " +
	"Stel uw vraag aan een medewerker van de gemeente: bel 14 gevolgd door het netnummer van uw gemeente, " +
	"of kijk op de website van uw gemeente of op rijksoverheid.nl."

// Config tunes answering.
type Config struct {
	Passages      int     // passages retrieved per question (default 6)
	MinSupport    float64 // sentences less supported by their passage are dropped (default 0.6)
	MinConfidence float64 // below it the question is refused (default 0.35, chosen on eval/testdata/dev.jsonl)
}

func (c Config) withDefaults() Config {
	if c.Passages <= 0 {
		c.Passages = 6
	}
	if c.MinSupport <= 0 {
		c.MinSupport = 0.6
	}
	if c.MinConfidence <= 0 {
		c.MinConfidence = 0.35
	}
	return c
}

// Service answers questions from the index.
type Service struct {
	store      *retrieval.Store
	embed      retrieval.Embedder
	extractive Extractive
	generative *Generative // nil: the built-in answerer only
	rules      Rules
	cfg        Config
	log        *slog.Logger
}

// NewService returns a Service that applies rules to every question; it fails
// when one of them is missing (the rule files are parsed and checked before, see
// Rules). generative may be nil. terms are the term counts the answerer uses when
// the store cannot give its current ones (see retrieval.Store.CurrentTermStats,
// which follow every ingest).
func NewService(store *retrieval.Store, embed retrieval.Embedder, terms *retrieval.TermStats, generative *Generative, rules Rules, cfg Config, log *slog.Logger) (*Service, error) {
	if err := rules.check(); err != nil {
		return nil, fmt.Errorf("answer: new service: %w", err)
	}
	return &Service{
		store:      store,
		embed:      embed,
		extractive: Extractive{Embed: embed, Terms: terms},
		generative: generative,
		rules:      rules,
		cfg:        cfg.withDefaults(),
		log:        log,
	}, nil
}

// Request is a question in its conversation.
type Request struct {
	Question     string // redacted
	Municipality string // CBS code of the site it was asked on, "" for none
	Previous     string // the citizen's previous question in the conversation, "" for none
	// RecentFailures counts the refused answers right before this question in the
	// conversation; after two the conversation goes to a person.
	RecentFailures int
}

// Ask answers one question asked on the site of municipality ("" for none). onDelta,
// if not nil, receives the answer's text as it is written (see Answer).
func (s *Service) Ask(ctx context.Context, question, municipality string, onDelta func(string)) (Answer, error) {
	a, _, err := s.Answer(ctx, Request{Question: question, Municipality: municipality}, onDelta)
	return a, err
}

// Answer answers a question in its conversation and also returns the text it searched
// for (the question, with the previous question's words for a follow-up).
//
// onDelta, if not nil, receives the text of an answer (outcome answered) piece by
// piece, one sentence with its citation marker at a time, each only once it passed
// the citation check and once the answer is sure to be given: the pieces together
// are the final answer's text. A refusal or a hand-off gets no pieces. A language
// model's own text is never handed on (see stream.go).
func (s *Service) Answer(ctx context.Context, req Request, onDelta func(string)) (Answer, string, error) {
	start := time.Now()
	question := strings.TrimSpace(req.Question)
	if err := s.rules.check(); err != nil {
		return Answer{}, question, fmt.Errorf("answer: ask: %w", err)
	}
	a, note, decided := s.rules.decide(question)
	if decided {
		switch {
		case a.Outcome == Handoff && strings.HasPrefix(a.HandoffSource, TriageDetector):
			s.log.Info("triage", "source", a.HandoffSource, "reason", a.HandoffReason)
		case a.Outcome == Refused && strings.HasPrefix(a.RefusalSource, GuardByClassifier):
			s.log.Info("guard", "source", a.RefusalSource, "reason", a.RefusalReason)
		}
		if a.SafetyNote != "" {
			s.log.Info("safety note", "class", a.SafetyNote, "score", a.SafetyNoteScore)
		}
		a.Timings.Total = ms(time.Since(start))
		return a, question, nil
	}
	// The index's words for the ones it does not have ("paspoord" → "paspoort"), so
	// that the answerer reads the question the search ran.
	search, err := s.store.Correct(ctx, SearchText(question, req.Previous))
	if err != nil {
		return Answer{}, search, fmt.Errorf("answer: ask: %w", err)
	}
	hits, err := s.store.Search(ctx, s.embed, retrieval.Query{Text: search, Corrected: true, Municipality: req.Municipality, Limit: s.cfg.Passages})
	if err != nil {
		return Answer{}, search, fmt.Errorf("answer: ask: %w", err)
	}
	retrieved := time.Now()
	a = s.answer(ctx, search, hits, onDelta)
	if a.Outcome == Refused && req.RecentFailures > 0 {
		// The second question in a row without a reliable answer: a person takes over.
		t := s.rules.Triage(question, req.RecentFailures+1)
		a = handoff(t)
	}
	if note != nil {
		// The detector was unsure: the numbers after the answer, streamed with it.
		a = withNote(a, *note, onDelta)
		s.log.Info("safety note", "class", a.SafetyNote, "score", a.SafetyNoteScore)
	}
	a.Passages = hits
	a.Timings = Timings{Retrieval: ms(retrieved.Sub(start)), Answering: ms(time.Since(retrieved)), Total: ms(time.Since(start))}
	return a, search, nil
}

// decide returns the answer when the rules decide the question before any search:
// emergencies first; then what the assistant must not do (help with fraud, write
// letters in the municipality's name, …); then the other reasons for a person.
//
// When the crisis detector is unsure (the band of safetynote.go), the answer it
// decides carries the safety note; for a question it leaves to the search it returns
// the note to add to that answer (nil for none).
func (r Rules) decide(question string) (Answer, *crisisNote, bool) {
	t, n, noted := r.assess(question, 0)
	if t.Reason.Emergency() {
		return handoff(t), nil, true
	}
	var a Answer
	if reason, source := r.guard(question); reason != "" {
		a = Answer{Outcome: Refused, Text: RefusalMessage(reason), RefusalReason: reason, RefusalSource: source,
			Answerer: ExtractiveName}
	} else if t.Reason != ReasonNone {
		a = handoff(t)
	} else if noted {
		return Answer{}, &n, false
	} else {
		return Answer{}, nil, false
	}
	if noted {
		a = withNote(a, n, nil)
	}
	return a, nil, true
}

// Sources of a guard refusal (Answer.RefusalSource, followed by the
// classifier's reason and probability).
const (
	GuardByRules      = "rules"
	GuardByClassifier = "classifier"
)

// guard returns the reason to refuse question and what decided it: the guard
// rules first, then the guard classifier ("classifier fraud 0.83"); "" when
// neither refuses.
func (r Rules) guard(question string) (reason RefusalReason, source string) {
	if refuse, reason := r.Guard.Refuse(question); refuse {
		return reason, GuardByRules
	}
	if r.GuardClassifier == nil {
		return "", ""
	}
	if refuse, reason, p := r.GuardClassifier.Refuse(question); refuse {
		return RefusalReason(reason), fmt.Sprintf("%s %s %.2f", GuardByClassifier, reason, p)
	}
	return "", ""
}

// handoff is the answer that hands the conversation to a person.
func handoff(t Triage) Answer {
	return Answer{Outcome: Handoff, Text: t.Message, HandoffReason: string(t.Reason), HandoffTopic: t.Topic,
		HandoffSource: t.describe(), Priority: t.Priority, Answerer: ExtractiveName}
}

// Failed reports whether an answer counts as a failure toward a hand-off for
// complexity: refused because nothing reliable was found (not because the question
// was outside the assistant's task).
func (a Answer) Failed() bool {
	return a.Outcome == Refused && a.RefusalReason.NotFound()
}

// answer turns the passages into a checked answer, or a refusal.
//
// A language model gets the question as searched; the built-in answerer, the
// confidence and the off-topic check compare the question in official words
// (dutch.Official: "gejat" becomes "gestolen") with the passages.
func (s *Service) answer(ctx context.Context, question string, hits []retrieval.Hit, onDelta func(string)) Answer {
	asked := dutch.Official(question)
	refused := func(reason RefusalReason) Answer {
		return Answer{Outcome: Refused, Text: NoAnswerMessage, RefusalReason: reason, Answerer: ExtractiveName}
	}
	if len(hits) == 0 {
		return refused(RefusalNoPassages)
	}
	// The term counts as of the index's last refresh: an ingest may have added pages
	// since the service started.
	x := s.extractive
	if ts, err := s.store.CurrentTermStats(ctx); err == nil {
		x.Terms = ts
	} else {
		s.log.Warn("term counts unavailable; using those the service started with", "err", err)
	}
	var d Draft
	var kept []Sentence
	if s.generative != nil {
		// The model's sentences are checked as they are written, and shown once the
		// answer is sure to be given (see stream.go).
		rel := s.newRelease(asked, question, hits, x.Terms, onDelta)
		var err error
		d, err = s.generative.Draft(ctx, question, hits, rel.settle)
		switch {
		case err == nil:
			rel.finish(d.Sentences)
			kept = rel.held
		case len(rel.shown) > 0:
			// The model stopped after sentences were shown: they are the answer.
			if !errors.Is(err, ErrNoCitedAnswer) {
				s.log.Warn("language model failed after part of its answer was shown; answering with that part", "model", s.generative.Name, "err", err)
			}
		case errors.Is(err, ErrNotInPassages):
			// The model read the passages and found no answer in them: the built-in
			// answerer would only find a sentence that shares words, a guess.
			r := refused(RefusalNotInPassages)
			r.Answerer = s.generative.Name
			return r
		case !errors.Is(err, ErrNoCitedAnswer):
			s.log.Warn("language model failed; using the built-in answerer", "model", s.generative.Name, "err", err)
		}
		if len(rel.shown) > 0 {
			conf, _ := s.decide(asked, question, rel.shown, hits, x.Terms)
			return composed(rel.comp, conf, s.generative.Name)
		}
	}
	if len(kept) == 0 { // no model, or nothing it wrote survived the citation check
		var err error
		if d, err = x.Draft(ctx, asked, hits); err != nil {
			s.log.Warn("extractive answerer failed", "err", err)
			return refused(RefusalAnswererError)
		}
		kept = s.check(d, hits)
	}
	if len(kept) == 0 {
		return refused(RefusalUnsupported)
	}
	conf, reason := s.decide(asked, question, kept, hits, x.Terms)
	if reason != "" {
		r := refused(reason)
		r.Confidence = conf
		return r
	}
	// Decided: the answer is streamed sentence by sentence all the same.
	comp := newComposer(hits)
	for _, sen := range kept {
		piece := comp.add(sen)
		if onDelta != nil {
			onDelta(piece)
		}
	}
	return composed(comp, conf, d.Answerer)
}

// decide is what makes checked sentences an answer rather than a refusal: their
// confidence, and that they are on the question's topic. It returns the confidence
// and the refusal reason, "" for an answer.
func (s *Service) decide(asked, question string, kept []Sentence, hits []retrieval.Hit, ts *retrieval.TermStats) (float64, RefusalReason) {
	c := confidence(asked, kept, hits, ts)
	if c < s.cfg.MinConfidence {
		return c, RefusalLowConfidence
	}
	if offTopic(question, kept, hits, ts) {
		return c, RefusalOffTopic
	}
	return c, ""
}

// composed is the answer a composer wrote.
func composed(c *composer, confidence float64, answerer string) Answer {
	a := Answer{Outcome: Answered, Answerer: answerer, Confidence: confidence, Citations: c.citations,
		Sentences: c.sentences, Text: c.text.String()}
	r := dutch.Score(StripMarkers(a.Text))
	a.Readability = Readability{FleschDouma: round2(r.FleschDouma), AvgSentenceWords: round2(r.AvgSentenceWords)}
	return a
}

// check is the citation check of a draft: it keeps the sentences checkSentence passes.
func (s *Service) check(d Draft, hits []retrieval.Hit) []Sentence {
	var kept []Sentence
	for _, sen := range d.Sentences {
		if sen, ok := s.checkSentence(sen, hits); ok {
			kept = append(kept, sen)
		}
	}
	return kept
}

// checkSentence is the citation check of one sentence: it must cite a passage that
// was given and that this passage supports; the support score is recorded.
func (s *Service) checkSentence(sen Sentence, hits []retrieval.Hit) (Sentence, bool) {
	if sen.Cite < 1 || sen.Cite > len(hits) {
		return sen, false
	}
	sen.Support = support(sen.Text, hits[sen.Cite-1].Body)
	return sen, sen.Support >= s.cfg.MinSupport
}

// confidence combines how much of the question the answer covers (rare words count
// more), how close the best passage is in meaning and in words, and how well the
// passages support the sentences.
func confidence(question string, sentences []Sentence, hits []retrieval.Hit, ts *retrieval.TermStats) float64 {
	var words, context []string
	var sup float64
	for _, s := range sentences {
		words = append(words, sentenceTerms(s.Text)...)
		h := hits[s.Cite-1]
		context = append(context, sentenceTerms(h.Title+" "+h.Headings)...)
		sup += s.Support
	}
	sup /= float64(len(sentences))
	// Whom the question is about ("voor mijn zoon", "bij mijn moeder") is no part of
	// what it asks: an answer need not say it. "zoon" is also a rare word (its stem is
	// that of "zon"), and counted, it kept right answers below the threshold.
	qt := slices.DeleteFunc(uniqueTerms(question), func(t string) bool { return kin[t] })
	qt = storyless(qt, hits, ts)
	cov := coverage(ts, qt, words, context)
	top := hits[0]
	vec := clamp01((top.VectorScore - 0.2) / 0.4)
	text := 0.0
	if top.TextRank > 0 {
		text = 1
	}
	return round2((0.6*cov + 0.25*vec + 0.15*text) * sup)
}

// withMarker puts the citation marker before the sentence's final punctuation:
// "U betaalt € 88,15 [1]."
func withMarker(sentence string, n int) string {
	s := strings.TrimSpace(sentence)
	if rest, ok := strings.CutSuffix(s, "\n- …"); ok { // a list that has more: the marker goes on its last item
		return withMarker(rest, n) + "\n- …"
	}
	end := ""
	if i := len(s) - 1; i >= 0 && strings.ContainsRune(".!?;:", rune(s[i])) {
		s, end = strings.TrimSpace(s[:i]), s[i:]
	}
	if end == "" || end == ";" || end == ":" {
		end = "."
	}
	return fmt.Sprintf("%s [%d]%s", s, n, end)
}

var markerRe = regexp.MustCompile(`\s*\[\d+\]`)

// StripMarkers removes the [n] citation markers from an answer text.
func StripMarkers(s string) string { return markerRe.ReplaceAllString(s, "") }

func clamp01(x float64) float64 { return max(0, min(1, x)) }

func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }

// longMessage is how many terms make a question a message that tells a story.
const longMessage = 10

// storyless leaves out of a long message's terms (longMessage or more) the words that
// none of the passages found has, except the most specific word the index knows. A
// worried citizen tells their story before they ask ("ik ben 24, mijn baantje in de
// horeca is gestopt, mijn spaargeld is bijna op …"); the story's words are in no
// passage and kept a right answer below the threshold. The rarest word stays, so that
// a subject the sources do not cover still counts against the answer. Over the seven
// tuning question sets this answered 9 more questions right and none fewer; from six
// terms on it answered more right but also refused fewer that it should.
func storyless(terms []string, hits []retrieval.Hit, ts *retrieval.TermStats) []string {
	if ts == nil || len(terms) < longMessage {
		return terms
	}
	var found []string
	for _, h := range hits {
		found = append(found, sentenceTerms(h.Title+" "+h.Headings+" "+h.Body)...)
	}
	rarest := rarestTerms(terms, ts)
	rarest = rarest[:min(1, len(rarest))] // one word: the first of equally rare ones
	var keep []string
	for _, t := range terms {
		if slices.Contains(rarest, t) || ts.DF[t] > 0 && findTerm(t, found) {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		return terms
	}
	return keep
}

// kin are the stems of the words for family and neighbours.
var kin = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`zoon zoontje dochter dochtertje moeder vader ouders opa oma
		broer zus buurman buurvrouw schoonmoeder schoonvader man vrouw`) {
		m[dutch.Stem(w)] = true
	}
	return m
}()
