package chat

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/vraagbaak/vraagbaak/internal/dutch"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Extractive is the built-in answerer: it needs no language model. It picks the few
// sentences of the top passages that answer the question, in their official wording,
// preferring short and plain ones, and puts them in page order.
type Extractive struct {
	Embed retrieval.Embedder   // scores sentences by meaning; the retrieval embedder
	Terms *retrieval.TermStats // weighs the question's words
	// Passages is how many of the top passages it reads (default 4); MaxSentences
	// and MaxWords bound the answer (defaults 3 and 70).
	Passages, MaxSentences, MaxWords int
}

// ExtractiveName is the Answerer name of the built-in answerer.
const ExtractiveName = "builtin-extractive"

// unit is a candidate sentence: a sentence of a passage, or a lead-in sentence with the
// list that follows it.
type unit struct {
	text    string
	passage int // index into passages
	pos     int // position within the passage
	words   int
	score   float64
}

// Draft proposes an answer from the passages.
func (x Extractive) Draft(ctx context.Context, question string, passages []retrieval.Hit) (Draft, error) {
	n := x.Passages
	if n <= 0 {
		n = 4
	}
	maxSent, maxWords := x.MaxSentences, x.MaxWords
	if maxSent <= 0 {
		maxSent = 3
	}
	if maxWords <= 0 {
		maxWords = 70
	}
	passages = passages[:min(n, len(passages))]
	var units []unit
	for i, p := range passages {
		for j, text := range candidateUnits(p.Body) {
			units = append(units, unit{text: text, passage: i, pos: j, words: len(strings.Fields(text))})
		}
	}
	if len(units) == 0 {
		return Draft{Answerer: ExtractiveName}, nil
	}
	if err := x.score(ctx, question, passages, units); err != nil {
		return Draft{}, err
	}

	best := slices.MaxFunc(units, func(a, b unit) int { return cmpFloat(a.score, b.score) })
	byScore := slices.Clone(units)
	slices.SortStableFunc(byScore, func(a, b unit) int { return cmpFloat(b.score, a.score) })
	picked := []unit{best}
	words := best.words
	for _, u := range byScore {
		if len(picked) >= maxSent {
			break
		}
		if u.score < 0.8*best.score || words+u.words > maxWords || u == best || nearDuplicate(u, picked) {
			continue
		}
		// Stay with the best passage's page unless another one is nearly as good.
		if u.passage != best.passage && passages[u.passage].DocumentID != passages[best.passage].DocumentID && u.score < 0.9*best.score {
			continue
		}
		picked = append(picked, u)
		words += u.words
	}
	slices.SortFunc(picked, func(a, b unit) int {
		if a.passage != b.passage {
			return a.passage - b.passage
		}
		return a.pos - b.pos
	})
	d := Draft{Answerer: ExtractiveName}
	for _, u := range picked {
		d.Sentences = append(d.Sentences, Sentence{Text: u.text, Cite: u.passage + 1})
	}
	return d, nil
}

// candidateUnits splits a passage into sentences, keeping a sentence that introduces
// a list ("U neemt mee:") together with its items.
func candidateUnits(body string) []string {
	var out []string
	for _, s := range dutch.Sentences(body) {
		item := strings.HasPrefix(s, "- ") || (len(s) > 2 && s[0] >= '0' && s[0] <= '9' && strings.HasPrefix(s[1:], ". "))
		if item && len(out) > 0 && (strings.HasSuffix(out[len(out)-1], ":") || strings.Contains(out[len(out)-1], ": ")) && len(strings.Fields(out[len(out)-1])) < 60 {
			prev := out[len(out)-1]
			sep := "; "
			if strings.HasSuffix(prev, ":") {
				sep = " "
			}
			out[len(out)-1] = prev + sep + strings.TrimSpace(strings.TrimPrefix(s, "- "))
			continue
		}
		// "Bent u uw paspoort kwijt? Dan meldt u dit bij de gemeente." is one answer.
		if len(out) > 0 && strings.HasSuffix(out[len(out)-1], "?") && strings.HasPrefix(s, "Dan ") {
			out[len(out)-1] += " " + s
			continue
		}
		out = append(out, strings.TrimPrefix(s, "- "))
	}
	return out
}

// asksForFigure reports whether a question asks for an amount, a date or a time.
func asksForFigure(q string) bool {
	for _, cue := range []string{"hoeveel", "kost", "bedrag", "prijs", "tarief", "wanneer", "hoe lang", "termijn", "open", "tijd", "datum", "hoe hoog", "maximaal", "minimaal"} {
		if strings.Contains(q, cue) {
			return true
		}
	}
	return false
}

// score rates every unit for the question: the question's words it holds (weighted
// by rarity), closeness in meaning, the rank of its passage, plain language, and a
// figure where the question asks for one.
func (x Extractive) score(ctx context.Context, question string, passages []retrieval.Hit, units []unit) error {
	qTerms := uniqueTerms(question)
	texts := make([]string, len(units))
	for i, u := range units {
		texts[i] = u.text
	}
	var qv []float32
	var uv [][]float32
	if x.Embed != nil {
		var err error
		if qv, err = x.Embed.EmbedQuery(ctx, question); err != nil {
			return err
		}
		if uv, err = x.Embed.EmbedDocuments(ctx, texts); err != nil {
			return err
		}
	}
	figure := asksForFigure(strings.ToLower(question))
	for i := range units {
		u := &units[i]
		p := passages[u.passage]
		lex := coverage(x.Terms, qTerms, dutch.Terms(u.text), dutch.Terms(p.Title+" "+p.Headings))
		sem := 0.0
		if uv != nil {
			sem = math.Max(0, cosine(qv, uv[i]))
		}
		s := 0.5*lex + 0.3*sem + 0.15/float64(1+u.passage)
		switch {
		case u.words < 4:
			s -= 0.2
		case u.words > 30:
			s -= 0.05 * float64(u.words-30) / 10
		}
		if r := dutch.Score(u.text); r.Words > 0 {
			s += 0.05 * math.Max(-1, math.Min(1, (r.FleschDouma-50)/50))
		}
		if strings.HasSuffix(u.text, "?") { // a question in the text introduces, it does not answer
			s -= 0.15
		}
		if figure && len(numbers(u.text)) > 0 {
			s += 0.08
		}
		u.score = s
	}
	return nil
}

// coverage is the rarity-weighted share of the question's terms found in the words,
// or (at half weight) only in the context words (a page title, a heading).
func coverage(ts *retrieval.TermStats, qTerms, words, context []string) float64 {
	var total, found float64
	for _, t := range qTerms {
		w := 1.0
		if ts != nil {
			w = ts.IDF(t)
		}
		total += w
		switch {
		case findTerm(t, words):
			found += w
		case findTerm(t, context):
			found += w / 2
		}
	}
	if total == 0 {
		return 0
	}
	return found / total
}

func uniqueTerms(s string) []string {
	var out []string
	for _, t := range dutch.Terms(s) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func nearDuplicate(u unit, picked []unit) bool {
	a := uniqueTerms(u.text)
	for _, p := range picked {
		b := uniqueTerms(p.text)
		common := 0
		for _, t := range a {
			if slices.Contains(b, t) {
				common++
			}
		}
		if union := len(a) + len(b) - common; union > 0 && float64(common)/float64(union) > 0.6 {
			return true
		}
	}
	return false
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range min(len(a), len(b)) {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
