package answer

import (
	"context"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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
	context string // the in-body heading it stands under
	passage int    // index into passages
	pos     int    // position within the passage
	words   int
	score   float64
	// intro is the lead-in of a list too long to quote whole, when the unit is one of
	// its items (text is then intro + " " + item) and listLen the number of items;
	// picked items of one list are quoted as one list under their lead-in.
	intro, item string
	listLen     int
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
		for _, u := range candidateUnits(p.Body) {
			u.passage = i
			units = append(units, u)
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
	// A piece joins the best one when it scores at least 0.7 of it. Over the six tuning
	// question sets 0.7 instead of 0.8 quoted 2.6 points more of the facts a right answer
	// holds, for five more words on average (41, the longest tenth above 62).
	for _, u := range byScore {
		if len(picked) >= maxSent {
			break
		}
		n := u.words
		if u.intro != "" && slices.ContainsFunc(picked, func(p unit) bool { return p.passage == u.passage && p.intro == u.intro }) {
			n = len(strings.Fields(u.item)) // quoted under the lead-in already picked
		}
		if u.score < 0.7*best.score || words+n > maxWords || u == best || nearDuplicate(u, picked) {
			continue
		}
		// Stay with the best passage's page unless another one is nearly as good.
		if u.passage != best.passage && passages[u.passage].DocumentID != passages[best.passage].DocumentID && u.score < 0.9*best.score {
			continue
		}
		picked = append(picked, u)
		words += n
	}
	picked = withFigure(question, picked, byScore, best, passages, maxWords)
	slices.SortFunc(picked, func(a, b unit) int {
		if a.passage != b.passage {
			return a.passage - b.passage
		}
		return a.pos - b.pos
	})
	d := Draft{Answerer: ExtractiveName}
	for i := 0; i < len(picked); {
		u := picked[i]
		if u.intro == "" {
			d.Sentences = append(d.Sentences, Sentence{Text: u.text, Cite: u.passage + 1})
			i++
			continue
		}
		// Items of one list: their lead-in once, the items as a list, and "…" when
		// the list has more, so that "aan alle voorwaarden hieronder" does not read
		// as if these were all.
		var items []string
		for ; i < len(picked) && picked[i].passage == u.passage && picked[i].intro == u.intro; i++ {
			items = append(items, picked[i].item)
		}
		text := u.intro + "\n- " + strings.Join(items, "\n- ")
		if len(items) < u.listLen {
			text += "\n- …"
		}
		d.Sentences = append(d.Sentences, Sentence{Text: text, Cite: u.passage + 1})
	}
	return d, nil
}

// A passage body, as ingest writes it, has one paragraph, list item, table row or
// heading per line: a heading is a short line without final punctuation, a table row
// is "Kop: waarde; Kop: waarde" (see ingest/extract).
var tableRowRe = regexp.MustCompile(`^[^:;]{1,60}: [^;]+(; [^:;]{1,60}: [^;]+)+$`)

// maxListWords bounds a lead-in sentence with its list as one unit; a longer list is
// offered item by item.
const maxListWords = 60

// candidateUnits splits a passage into the pieces an answer can quote: sentences; a
// question in the text together with the sentence that answers it; a lead-in ("De
// balie is open op:") together with its list; a table row, and a short table whole.
// A list stays a list: its items go on lines of their own that start with "- ", which
// the widget shows as a list. Headings are not answers: they become the context of
// the units under them.
func candidateUnits(body string) []unit {
	type line struct {
		text     string // spaces collapsed
		indented bool
	}
	var lines []line
	for _, l := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		lines = append(lines, line{strings.Join(strings.Fields(l), " "), strings.HasPrefix(l, " ")})
	}
	// What the previous line left open for the next one.
	const (
		none     = iota
		text     // a sentence; a blank line closes it
		heading  // a heading: a list right under it is its list
		lead     // a sentence ending in ":": its list follows
		question // a question: the next sentence answers it
		short    // an answer too short to stand alone ("Ja."): the next sentence joins it
	)
	var (
		out     []unit
		context string // the heading the lines stand under
		prev    = none
	)
	add := func(text string) {
		out = append(out, unit{text: text, context: context, pos: len(out), words: len(strings.Fields(text))})
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i].text
		switch {
		case l == "":
			if prev == text {
				prev = none
			}
		case isItem(l):
			var items []string
			for ; i < len(lines); i++ {
				l := lines[i].text
				switch {
				case isItem(l):
					rest, _ := dutch.ListItem(l)
					items = append(items, strings.TrimRight(rest, ";,"))
					continue
				case l == "" && i+1 < len(lines) && isItem(lines[i+1].text):
					continue
				case l != "" && lines[i].indented: // an indented line under an item describes it
					items[len(items)-1] = strings.TrimRight(items[len(items)-1], ":;,") + ": " + l
					continue
				}
				break
			}
			i--
			intro := ""
			switch {
			case prev == lead:
				intro = out[len(out)-1].text
				out = out[:len(out)-1]
			case prev == heading:
				intro = context + ":"
			}
			if whole := intro + "\n- " + strings.Join(items, "\n- "); intro != "" && len(strings.Fields(whole)) <= maxListWords {
				add(whole)
			} else {
				// Each item on its own, with the lead-in that makes it a sentence.
				for _, it := range items {
					add(strings.TrimSpace(intro + " " + it))
					if intro != "" {
						u := &out[len(out)-1]
						u.intro, u.item, u.listLen = intro, it, len(items)
					}
				}
			}
			prev = text
		case tableRowRe.MatchString(l) && !strings.HasSuffix(l, "."):
			var rows []string
			for ; i < len(lines) && tableRowRe.MatchString(lines[i].text); i++ {
				rows = append(rows, lines[i].text)
				add(lines[i].text)
			}
			i--
			if whole := "- " + strings.Join(rows, "\n- "); len(rows) > 1 && len(strings.Fields(whole)) <= maxListWords {
				if context != "" {
					whole = context + ":\n" + whole
				}
				add(whole)
			}
			prev = text
		case isHeading(l):
			context, prev = l, heading
		default:
			for _, s := range dutch.Sentences(l) {
				// A question in the text is answered by the sentence after it: "Bent u
				// uw paspoort kwijt? Dan meldt u dit bij de gemeente."
				if n := len(out); (prev == question || prev == short) && !strings.HasSuffix(s, "?") {
					out[n-1].text += " " + s
					out[n-1].words = len(strings.Fields(out[n-1].text))
					if prev == question && len(strings.Fields(s)) < 4 {
						prev = short
					} else {
						prev = text
					}
					continue
				}
				add(s)
				prev = text
				if strings.HasSuffix(s, "?") {
					prev = question
				}
			}
			if strings.HasSuffix(l, ":") {
				prev = lead
			}
		}
	}
	return out
}

func isItem(line string) bool {
	_, ok := dutch.ListItem(line)
	return ok
}

// isHeading reports whether a line is a heading: short, without final punctuation
// and not a "Kop: waarde" line.
func isHeading(line string) bool {
	if len(strings.Fields(line)) > 14 || strings.Contains(line, ": ") {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	return !strings.ContainsRune(".!?:;,", last)
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
	figure := askedFigure(question)
	for i := range units {
		u := &units[i]
		p := passages[u.passage]
		lex := coverage(x.Terms, qTerms, sentenceTerms(u.text), sentenceTerms(p.Title+" "+p.Headings+" "+u.context))
		sem := 0.0
		if uv != nil {
			sem = math.Max(0, cosine(qv, uv[i]))
		}
		// The passage's rank counts: retrieval puts the page that answers first far more
		// often than not (MRR ≈ 0.9), and a sentence from an overview page or a
		// neighbouring topic that happens to share words should not outweigh it. 0.35
		// is the middle of 0.25–0.5, which all cited expected pages more often on the
		// development and test sets than the 0.15 before.
		s := 0.5*lex + 0.3*sem + 0.35/float64(1+u.passage)
		switch {
		case u.words < 4:
			s -= 0.2
		case u.words > 30:
			s -= 0.05 * float64(u.words-30) / 10
		}
		if r := dutch.Score(u.text); r.Words > 0 {
			s += 0.15 * math.Max(-1, math.Min(1, (r.FleschDouma-50)/50))
		}
		if strings.HasSuffix(u.text, "?") { // a question in the text introduces, it does not answer
			s -= 0.15
		}
		if first, _ := utf8.DecodeRuneInString(u.text); unicode.IsLower(first) || strings.HasPrefix(u.text, "- ") { // a piece of a list without its lead-in
			s -= 0.1
		}
		switch {
		case figure == noFigure:
		case hasFigure(figure, u.text): // the kind of figure asked for
			s += 0.12
		case len(numbers(u.text)) > 0: // some other figure
			s += 0.04
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

// sentenceTerms are the terms of a sentence, with the official word added for each
// colloquial one it has, to compare with a question in official words.
func sentenceTerms(s string) []string { return dutch.Terms(dutch.Expand(s)) }

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
		if strings.Contains(p.text, u.text) || strings.Contains(u.text, p.text) { // a table row and the whole table
			return true
		}
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

// withFigure makes sure an answer to a question that asks for a figure holds one: if
// no picked piece has the kind of figure asked for, the best piece of the best
// passage's page that has one and scores at least floor × the best piece's score
// joins, in place of the weakest other piece when the answer would grow too long.
// Over the six tuning question sets a floor of 0.5 quoted 0.9 points more of the
// facts a right answer holds, and changed nothing else.
func withFigure(question string, picked, byScore []unit, best unit, passages []retrieval.Hit, maxWords int) []unit {
	const floor = 0.5
	kind := askedFigure(question)
	if kind == noFigure || slices.ContainsFunc(picked, func(u unit) bool { return hasFigure(kind, u.text) }) {
		return picked
	}
	for _, u := range byScore {
		if u.score < floor*best.score {
			break
		}
		if !hasFigure(kind, u.text) || u.words < 4 || passages[u.passage].DocumentID != passages[best.passage].DocumentID || nearDuplicate(u, picked) {
			continue
		}
		words := u.words
		for _, p := range picked {
			words += p.words
		}
		for words > maxWords && len(picked) > 1 {
			words -= picked[len(picked)-1].words // the weakest: picked is in score order
			picked = picked[:len(picked)-1]
		}
		if words > maxWords {
			return picked
		}
		return append(picked, u)
	}
	return picked
}
