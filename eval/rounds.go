package eval

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/audit"
)

// ErrNotFound: no such round or item in the evaluator's municipality, or no item
// left to score.
var ErrNotFound = errors.New("eval: not found")

// ErrEmpty: the answer log has no answers to sample in the period.
var ErrEmpty = errors.New("eval: no answers to sample")

// Rounds keeps evaluation rounds: stratified samples of the answer log that
// evaluators score blind on a fixed rubric.
type Rounds struct {
	pool *pgxpool.Pool
	log  *slog.Logger // for the errors Handler hides from evaluators
}

// NewRounds returns Rounds on pool.
func NewRounds(pool *pgxpool.Pool, log *slog.Logger) *Rounds { return &Rounds{pool: pool, log: log} }

// RubricItem is one question evaluators answer about an answer, on the scale Min..Max.
type RubricItem struct {
	Key   string `json:"key"`
	Label string `json:"label"` // Dutch, for evaluators
	Min   int    `json:"min"`
	Max   int    `json:"max"`
}

// Rubric returns the rubric items in the order of Rating's fields.
func Rubric() []RubricItem {
	return []RubricItem{
		{"correct", "Juist", 1, 5},
		{"complete", "Volledig", 1, 5},
		{"plain_language", "Begrijpelijke taal", 1, 5},
		{"citations_support", "Bronnen onderbouwen het antwoord", 1, 5},
		{"should_have_handed_off", "Had moeten doorverbinden", 0, 1},
		{"tone", "Toon", 1, 5},
	}
}

// Rating is one evaluator's judgement of one answer.
type Rating struct {
	Correct             int    `json:"correct"`
	Complete            int    `json:"complete"`
	PlainLanguage       int    `json:"plain_language"`
	CitationsSupport    int    `json:"citations_support"`
	ShouldHaveHandedOff int    `json:"should_have_handed_off"`
	Tone                int    `json:"tone"`
	Comment             string `json:"comment"`
}

// values returns the rubric values in the order of Rubric.
func (s Rating) values() []int {
	return []int{s.Correct, s.Complete, s.PlainLanguage, s.CitationsSupport, s.ShouldHaveHandedOff, s.Tone}
}

// Validate reports the first rubric value outside its scale.
func (s Rating) Validate() error {
	for i, item := range Rubric() {
		if v := s.values()[i]; v < item.Min || v > item.Max {
			return fmt.Errorf("eval: score: %s is %d, not %d to %d", item.Key, v, item.Min, item.Max)
		}
	}
	if len(s.Comment) > 4000 {
		return errors.New("eval: score: comment longer than 4000 bytes")
	}
	return nil
}

// SampleParams records how a round was drawn.
type SampleParams struct {
	Since  time.Time      `json:"since"`
	N      int            `json:"n"`
	Strata map[string]int `json:"strata"` // stratum → answers drawn from it
	Sizes  map[string]int `json:"sizes"`  // stratum → answers in the period
}

// Round is an evaluation round with its size.
type Round struct {
	ID           int64        `json:"id"`
	Name         string       `json:"name"`
	Municipality string       `json:"municipality"`
	CreatedBy    int64        `json:"created_by"`
	CreatedAt    time.Time    `json:"created_at"`
	Params       SampleParams `json:"params"`
	Items        int          `json:"items"`
	Scored       int          `json:"scored"` // items the asking evaluator has scored (List only)
}

// stratum names the stratum of an answer: its outcome and the citizen's feedback.
const stratumSQL = `a.outcome || '/' || CASE WHEN f.answer_id IS NULL THEN 'none' WHEN f.useful THEN 'useful' ELSE 'not_useful' END`

// Sample draws a round of about n answers that municipality's assistant gave since
// then, stratified by outcome × citizen feedback (none, useful, not useful):
// each non-empty stratum gets its proportional share, at least one, drawn at random.
// When n is smaller than the number of strata, the n largest get one each. The
// items are shuffled so that evaluators do not see the strata in order.
func (r *Rounds) Sample(ctx context.Context, municipality string, since time.Time, n int, name string, createdBy int64) (Round, error) {
	if n < 1 {
		return Round{}, fmt.Errorf("eval: sample: n is %d, want at least 1", n)
	}
	if name == "" {
		return Round{}, errors.New("eval: sample: the round needs a name")
	}
	sizes := map[string]int{}
	list, err := queryStrata(ctx, r.pool, municipality, since)
	if err != nil {
		return Round{}, err
	}
	for _, s := range list {
		sizes[s.Name] = s.Size
	}
	alloc := Allocate(sizes, n)
	if len(alloc) == 0 {
		return Round{}, ErrEmpty
	}
	names := make([]string, 0, len(alloc))
	counts := make([]int32, 0, len(alloc))
	for s, k := range alloc {
		names = append(names, s)
		counts = append(counts, int32(k))
	}
	params := SampleParams{Since: since.UTC(), N: n, Strata: alloc, Sizes: sizes}
	round := Round{Name: name, Municipality: municipality, CreatedBy: createdBy, Params: params}
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO eval_rounds (name, municipality, created_by, params)
			VALUES ($1, $2, $3, $4) RETURNING id, created_at`, name, municipality, createdBy, params).
			Scan(&round.ID, &round.CreatedAt); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `WITH pop AS (
				SELECT a.id, `+stratumSQL+` AS stratum,
				       row_number() OVER (PARTITION BY `+stratumSQL+` ORDER BY random()) AS k
				FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id
				WHERE a.municipality = $2 AND a.created_at >= $3
			), want AS (
				SELECT * FROM unnest($4::text[], $5::int[]) AS w (stratum, n)
			)
			INSERT INTO eval_items (round_id, answer_id, position)
			SELECT $1, pop.id, row_number() OVER (ORDER BY random())
			FROM pop JOIN want ON want.stratum = pop.stratum AND pop.k <= want.n`,
			round.ID, municipality, since, names, counts)
		round.Items = int(tag.RowsAffected())
		return err
	})
	if err != nil {
		return Round{}, fmt.Errorf("eval: sample: %w", err)
	}
	return round, nil
}

type stratumCount struct {
	Name string
	Size int
}

func queryStrata(ctx context.Context, pool *pgxpool.Pool, municipality string, since time.Time) ([]stratumCount, error) {
	rows, err := pool.Query(ctx, `SELECT `+stratumSQL+` AS stratum, count(*)
		FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id
		WHERE a.municipality = $1 AND a.created_at >= $2
		GROUP BY stratum`, municipality, since)
	if err != nil {
		return nil, fmt.Errorf("eval: sample: strata: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[stratumCount])
	if err != nil {
		return nil, fmt.Errorf("eval: sample: strata: %w", err)
	}
	return list, nil
}

// Allocate divides n draws over strata of the given sizes in proportion to their
// size (largest remainders), giving every non-empty stratum at least one and none
// more than its size. When n is smaller than the number of strata, the n largest
// get one each. With n at least the total, every answer is drawn.
func Allocate(sizes map[string]int, n int) map[string]int {
	type stratum struct {
		name      string
		size, got int
		rem       float64
	}
	var list []*stratum
	total := 0
	for name, size := range sizes {
		if size > 0 {
			list = append(list, &stratum{name: name, size: size})
			total += size
		}
	}
	// Largest first, ties by name, so that the result does not depend on map order.
	slices.SortFunc(list, func(a, b *stratum) int {
		return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.name, b.name))
	})
	out := map[string]int{}
	switch {
	case total == 0:
		return out
	case n >= total:
		for _, s := range list {
			out[s.name] = s.size
		}
		return out
	case n <= len(list):
		for _, s := range list[:n] {
			out[s.name] = 1
		}
		return out
	}
	sum := 0
	for _, s := range list {
		exact := float64(n) * float64(s.size) / float64(total)
		s.got = max(1, min(s.size, int(math.Floor(exact))))
		s.rem = exact - math.Floor(exact)
		sum += s.got
	}
	for sum > n { // the minimum of one pushed us over: take from the largest shares
		big := list[0]
		for _, s := range list {
			if s.got > big.got {
				big = s
			}
		}
		big.got--
		sum--
	}
	for sum < n { // hand out the rest by largest remainder, where there is room
		var best *stratum
		for _, s := range list {
			if s.got < s.size && (best == nil || s.rem > best.rem) {
				best = s
			}
		}
		best.got++
		best.rem = -1
		sum++
	}
	for _, s := range list {
		out[s.name] = s.got
	}
	return out
}

// Evaluator is the staff member scoring: rounds and items are scoped to their
// municipality. Name and Role go into the transcript access log with every answer
// they read (Role "" is an evaluator).
type Evaluator struct {
	ID           int64
	Email        string
	Name         string
	Role         string // evaluator or supervisor
	Municipality string
}

// reader is the evaluator as the access log names them.
func (ev Evaluator) reader() audit.Reader {
	name, role := ev.Name, ev.Role
	if name == "" {
		name = ev.Email
	}
	if role == "" {
		role = audit.RoleEvaluator
	}
	return audit.Reader{AccountID: ev.ID, Name: name, Role: role, Municipality: ev.Municipality}
}

// List returns the rounds of the evaluator's municipality, newest first, with how
// many items the evaluator has scored in each.
func (r *Rounds) List(ctx context.Context, ev Evaluator) ([]Round, error) {
	rows, err := r.pool.Query(ctx, `SELECT r.id, r.name, r.municipality, coalesce(r.created_by, 0), r.created_at, r.params,
			(SELECT count(*) FROM eval_items i WHERE i.round_id = r.id),
			(SELECT count(*) FROM eval_items i JOIN eval_scores s ON s.item_id = i.id AND s.account_id = $2 WHERE i.round_id = r.id)
		FROM eval_rounds r WHERE r.municipality = $1 ORDER BY r.created_at DESC, r.id DESC`, ev.Municipality, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("eval: list rounds: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Round])
	if err != nil {
		return nil, fmt.Errorf("eval: list rounds: %w", err)
	}
	return list, nil
}

// Get returns a round of the evaluator's municipality, with the evaluator's progress.
func (r *Rounds) Get(ctx context.Context, ev Evaluator, id int64) (Round, error) {
	list, err := r.List(ctx, ev)
	if err != nil {
		return Round{}, err
	}
	for _, rd := range list {
		if rd.ID == id {
			return rd, nil
		}
	}
	return Round{}, ErrNotFound
}

// Passage is the text of a passage an answer cites.
type Passage struct {
	Title    string `json:"title"`
	Headings string `json:"headings,omitempty"`
	Body     string `json:"body"`
}

// CitedSource is one citation of an answer with the passages it points to.
type CitedSource struct {
	N        int       `json:"n"`
	URL      string    `json:"url"`
	Title    string    `json:"title"`
	Passages []Passage `json:"passages"`
}

// Item is what an evaluator sees of an answer: blind, without the model that gave
// it, its outcome or anyone's scores but the evaluator's own.
type Item struct {
	ID        int64         `json:"id"`
	Position  int           `json:"position"`
	Question  string        `json:"question"`
	Answer    string        `json:"answer"`
	Citations []CitedSource `json:"citations"`
	Mine      *Rating       `json:"mine"`   // the evaluator's own score; nil when they have not scored it
	Scored    int           `json:"scored"` // items of the round the evaluator has scored
	Total     int           `json:"total"`
}

// Next returns the first item of the round the evaluator has not scored, or
// ErrNotFound when none is left (or the round is not theirs).
func (r *Rounds) Next(ctx context.Context, ev Evaluator, roundID int64) (Item, error) {
	return r.item(ctx, ev, roundID, 0)
}

// Item returns an item of the round with the evaluator's own score of it, if any,
// so that they can change it; ErrNotFound when the round is not theirs or the item
// is not in it.
func (r *Rounds) Item(ctx context.Context, ev Evaluator, roundID, itemID int64) (Item, error) {
	if itemID < 1 {
		return Item{}, ErrNotFound
	}
	return r.item(ctx, ev, roundID, itemID)
}

// item loads item itemID of the round, or with itemID 0 the first the evaluator
// has not scored, and records the read in the transcript access log in the same
// transaction: an item whose read cannot be logged is not returned.
func (r *Rounds) item(ctx context.Context, ev Evaluator, roundID, itemID int64) (Item, error) {
	rd, err := r.Get(ctx, ev, roundID)
	if err != nil {
		return Item{}, err
	}
	var it Item
	var passagesJSON, citationsJSON []byte
	var v [6]*int16
	var comment *string
	var ref audit.Ref
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT i.id, i.position, a.question, a.answer, a.passages, a.citations,
				s.correct, s.complete, s.plain_language, s.citations_support, s.should_have_handed_off, s.tone, s.comment,
				a.id, coalesce(a.conversation_id, 0)
			FROM eval_items i JOIN answers a ON a.id = i.answer_id
			LEFT JOIN eval_scores s ON s.item_id = i.id AND s.account_id = $2
			WHERE i.round_id = $1 AND CASE WHEN $3::bigint = 0 THEN s.item_id IS NULL ELSE i.id = $3 END
			ORDER BY i.position LIMIT 1`, roundID, ev.ID, itemID).
			Scan(&it.ID, &it.Position, &it.Question, &it.Answer, &passagesJSON, &citationsJSON,
				&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &comment, &ref.Answer, &ref.Conversation)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, ev.reader(), audit.Workbench, ref)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	if err != nil {
		return Item{}, fmt.Errorf("eval: item: %w", err)
	}
	it.Citations, err = citedSources(passagesJSON, citationsJSON)
	if err != nil {
		return Item{}, fmt.Errorf("eval: item %d: %w", it.ID, err)
	}
	if comment != nil { // the score's columns are NOT NULL: all there or none
		it.Mine = &Rating{Correct: int(*v[0]), Complete: int(*v[1]), PlainLanguage: int(*v[2]),
			CitationsSupport: int(*v[3]), ShouldHaveHandedOff: int(*v[4]), Tone: int(*v[5]), Comment: *comment}
	}
	it.Scored, it.Total = rd.Scored, rd.Items
	return it, nil
}

// ItemRef is one item in the list of a round's items: enough to find it again.
type ItemRef struct {
	ID       int64  `json:"id"`
	Position int    `json:"position"`
	Question string `json:"question"` // its first 120 characters
	Scored   bool   `json:"scored"`   // by the asking evaluator
}

// Items lists the items of a round of the evaluator's municipality in order, each
// with whether the evaluator has scored it (never whether others have).
func (r *Rounds) Items(ctx context.Context, ev Evaluator, roundID int64) ([]ItemRef, error) {
	if _, err := r.Get(ctx, ev, roundID); err != nil {
		return nil, err
	}
	rows, err := r.pool.Query(ctx, `SELECT i.id, i.position, left(a.question, 120),
			EXISTS (SELECT 1 FROM eval_scores s WHERE s.item_id = i.id AND s.account_id = $2)
		FROM eval_items i JOIN answers a ON a.id = i.answer_id
		WHERE i.round_id = $1 ORDER BY i.position`, roundID, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("eval: list items: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[ItemRef])
	if err != nil {
		return nil, fmt.Errorf("eval: list items: %w", err)
	}
	return list, nil
}

// citedSources pairs each citation with the retrieved passages of its page.
func citedSources(passagesJSON, citationsJSON []byte) ([]CitedSource, error) {
	var passages []struct {
		URL      string `json:"url"`
		Title    string `json:"title"`
		Headings string `json:"headings"`
		Body     string `json:"body"`
	}
	var cites []CitedSource
	if err := json.Unmarshal(passagesJSON, &passages); err != nil {
		return nil, fmt.Errorf("passages: %w", err)
	}
	if err := json.Unmarshal(citationsJSON, &cites); err != nil {
		return nil, fmt.Errorf("citations: %w", err)
	}
	for i := range cites {
		cites[i].Passages = []Passage{}
		for _, p := range passages {
			if p.URL == cites[i].URL {
				cites[i].Passages = append(cites[i].Passages, Passage{Title: p.Title, Headings: p.Headings, Body: p.Body})
			}
		}
	}
	if cites == nil {
		cites = []CitedSource{}
	}
	return cites, nil
}

// Save stores the evaluator's score of an item of a round of their municipality.
// Saving again changes their score in place: it keeps the time of the first score
// (created_at, which orders the evaluators of an item for Agreement) and records in
// updated_at when the values last changed.
func (r *Rounds) Save(ctx context.Context, ev Evaluator, roundID, itemID int64, s Rating) error {
	if err := s.Validate(); err != nil {
		return err
	}
	tag, err := r.pool.Exec(ctx, `INSERT INTO eval_scores (item_id, account_id, correct, complete, plain_language,
			citations_support, should_have_handed_off, tone, comment)
		SELECT i.id, $3, $5, $6, $7, $8, $9, $10, $11
		FROM eval_items i JOIN eval_rounds r ON r.id = i.round_id
		WHERE i.id = $1 AND i.round_id = $2 AND r.municipality = $4
		ON CONFLICT (item_id, account_id) DO UPDATE SET correct = excluded.correct, complete = excluded.complete,
			plain_language = excluded.plain_language, citations_support = excluded.citations_support,
			should_have_handed_off = excluded.should_have_handed_off, tone = excluded.tone,
			comment = excluded.comment,
			updated_at = CASE WHEN (eval_scores.correct, eval_scores.complete, eval_scores.plain_language,
					eval_scores.citations_support, eval_scores.should_have_handed_off, eval_scores.tone, eval_scores.comment)
				IS DISTINCT FROM (excluded.correct, excluded.complete, excluded.plain_language,
					excluded.citations_support, excluded.should_have_handed_off, excluded.tone, excluded.comment)
				THEN now() ELSE eval_scores.updated_at END`,
		itemID, roundID, ev.ID, ev.Municipality,
		s.Correct, s.Complete, s.PlainLanguage, s.CitationsSupport, s.ShouldHaveHandedOff, s.Tone, s.Comment)
	if err != nil {
		return fmt.Errorf("eval: save score: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ScoreRow is one score of a round with what the report and the export show
// next to it.
type ScoreRow struct {
	ItemID          int64     `json:"item_id"`
	Position        int       `json:"position"`
	AnswerID        int64     `json:"answer_id"`
	Question        string    `json:"question"`
	Outcome         string    `json:"outcome"`
	Municipality    string    `json:"municipality"`
	Day             string    `json:"day"` // of the answer, YYYY-MM-DD in Europe/Amsterdam
	Evaluator       string    `json:"evaluator"`
	AccountID       int64     `json:"-"`
	Conversation    int64     `json:"-"` // of the answer; 0 outside a conversation
	Rating          Rating    `json:"score"`
	ScoredAt        time.Time `json:"scored_at"`       // first scored
	UpdatedAt       time.Time `json:"updated_at"`      // last changed; ScoredAt when never changed
	FeedbackUseful  *bool     `json:"feedback_useful"` // nil: the citizen gave none
	FeedbackComment string    `json:"feedback_comment"`
}

// scoreRows returns each evaluator's current score of each item of the round (one
// row per evaluator and item: a changed score has its latest values), ordered by
// item and then by when each evaluator first scored it. With ch, it records in the
// transcript access log, in the transaction that reads them, that ev read the
// questions of those answers through ch, one row per answer; without (""), the rows
// must not leave the package with their questions.
func (r *Rounds) scoreRows(ctx context.Context, ev Evaluator, roundID int64, ch audit.Channel) ([]ScoreRow, error) {
	var list []ScoreRow
	err := pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		var err error
		if list, err = queryScoreRows(ctx, tx, roundID); err != nil || ch == "" {
			return err
		}
		var refs []audit.Ref
		seen := map[int64]bool{}
		for _, s := range list {
			if !seen[s.AnswerID] {
				seen[s.AnswerID] = true
				refs = append(refs, audit.Ref{Conversation: s.Conversation, Answer: s.AnswerID})
			}
		}
		return audit.Record(ctx, tx, ev.reader(), ch, refs...)
	})
	if err != nil {
		return nil, fmt.Errorf("eval: scores: %w", err)
	}
	return list, nil
}

func queryScoreRows(ctx context.Context, tx pgx.Tx, roundID int64) ([]ScoreRow, error) {
	rows, err := tx.Query(ctx, `SELECT i.id, i.position, a.id, a.question, a.outcome, a.municipality,
			to_char(a.created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD'), acc.email, s.account_id,
			coalesce(a.conversation_id, 0),
			s.correct, s.complete, s.plain_language, s.citations_support, s.should_have_handed_off, s.tone, s.comment,
			s.created_at, s.updated_at, f.useful, coalesce(f.comment, '')
		FROM eval_scores s
		JOIN eval_items i ON i.id = s.item_id
		JOIN answers a ON a.id = i.answer_id
		JOIN staff_accounts acc ON acc.id = s.account_id
		LEFT JOIN feedback f ON f.answer_id = a.id
		WHERE i.round_id = $1
		ORDER BY i.position, s.created_at, s.account_id`, roundID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ScoreRow, error) {
		var s ScoreRow
		var v [6]int16
		err := row.Scan(&s.ItemID, &s.Position, &s.AnswerID, &s.Question, &s.Outcome, &s.Municipality, &s.Day,
			&s.Evaluator, &s.AccountID, &s.Conversation, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &s.Rating.Comment,
			&s.ScoredAt, &s.UpdatedAt, &s.FeedbackUseful, &s.FeedbackComment)
		s.Rating.Correct, s.Rating.Complete, s.Rating.PlainLanguage = int(v[0]), int(v[1]), int(v[2])
		s.Rating.CitationsSupport, s.Rating.ShouldHaveHandedOff, s.Rating.Tone = int(v[3]), int(v[4]), int(v[5])
		return s, err
	})
}

// Means is the mean of each rubric item over a group of scores.
type Means struct {
	Group  string    `json:"group"`
	Scores int       `json:"scores"`
	Means  []float64 `json:"means"` // in the order of Rubric
}

// Agreement is Cohen's kappa of one rubric item between the first two evaluators of
// each item that two or more scored.
type Agreement struct {
	Key   string   `json:"key"`
	Kappa *float64 `json:"kappa"` // nil when undefined (no pairs, or one category only)
	Items int      `json:"items"`
}

// Report is a round's results.
type Report struct {
	Round          Round        `json:"round"`
	Rubric         []RubricItem `json:"rubric"`
	Overall        Means        `json:"overall"`
	ByOutcome      []Means      `json:"by_outcome"`
	ByMunicipality []Means      `json:"by_municipality"`
	ByDay          []Means      `json:"by_day"`
	Agreement      []Agreement  `json:"agreement"`
	Rows           []ScoreRow   `json:"rows"`
}

// Report computes a round's report: means per rubric item overall and per outcome,
// municipality and day, inter-rater agreement, and every score with its question
// (Rows), for the workbench. Reading the questions is recorded in the transcript
// access log (workbench), one row per answer.
func (r *Rounds) Report(ctx context.Context, ev Evaluator, roundID int64) (Report, error) {
	return r.report(ctx, ev, roundID, audit.Workbench)
}

// Summary is Report without Rows, the only part with citizens' text, and so without
// a record in the access log: `vraagbaak eval round-report` prints the figures.
func (r *Rounds) Summary(ctx context.Context, ev Evaluator, roundID int64) (Report, error) {
	rep, err := r.report(ctx, ev, roundID, "")
	rep.Rows = []ScoreRow{}
	return rep, err
}

func (r *Rounds) report(ctx context.Context, ev Evaluator, roundID int64, ch audit.Channel) (Report, error) {
	rd, err := r.Get(ctx, ev, roundID)
	if err != nil {
		return Report{}, err
	}
	rows, err := r.scoreRows(ctx, ev, roundID, ch)
	if err != nil {
		return Report{}, err
	}
	if rows == nil {
		rows = []ScoreRow{}
	}
	rep := Report{Round: rd, Rubric: Rubric(), Rows: rows, Overall: means("alle", rows)}
	rep.ByOutcome = groupMeans(rows, func(s ScoreRow) string { return s.Outcome })
	rep.ByMunicipality = groupMeans(rows, func(s ScoreRow) string { return s.Municipality })
	rep.ByDay = groupMeans(rows, func(s ScoreRow) string { return s.Day })
	rep.Agreement = agreement(rows)
	return rep, nil
}

func means(group string, rows []ScoreRow) Means {
	m := Means{Group: group, Scores: len(rows), Means: make([]float64, len(Rubric()))}
	if len(rows) == 0 {
		return m
	}
	for _, s := range rows {
		for i, v := range s.Rating.values() {
			m.Means[i] += float64(v)
		}
	}
	for i := range m.Means {
		m.Means[i] /= float64(len(rows))
	}
	return m
}

func groupMeans(rows []ScoreRow, key func(ScoreRow) string) []Means {
	groups := map[string][]ScoreRow{}
	for _, s := range rows {
		groups[key(s)] = append(groups[key(s)], s)
	}
	out := []Means{}
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		out = append(out, means(name, groups[name]))
	}
	return out
}

// agreement pairs the scores of the first two evaluators of each item (rows come
// ordered by item and time of first score, so a changed score keeps its place in
// the pair but counts with its latest values) and computes kappa per rubric item.
func agreement(rows []ScoreRow) []Agreement {
	var first, second []Rating
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].ItemID == rows[i].ItemID {
			j++
		}
		if j-i >= 2 {
			first, second = append(first, rows[i].Rating), append(second, rows[i+1].Rating)
		}
		i = j
	}
	out := []Agreement{}
	for k, item := range Rubric() {
		a := Agreement{Key: item.Key, Items: len(first)}
		var x, y []int
		for p := range first {
			x, y = append(x, first[p].values()[k]), append(y, second[p].values()[k])
		}
		if kappa, err := CohenKappa(x, y); err == nil {
			a.Kappa = &kappa
		}
		out = append(out, a)
	}
	return out
}

// WriteCSV writes every score of a round, one row each, with the citizen's feedback.
// Reading the questions is recorded in the transcript access log (export), one row
// per answer, before anything is written.
func (r *Rounds) WriteCSV(ctx context.Context, ev Evaluator, roundID int64, w io.Writer) error {
	if _, err := r.Get(ctx, ev, roundID); err != nil {
		return err
	}
	rows, err := r.scoreRows(ctx, ev, roundID, audit.Export)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"item", "answer_id", "question", "outcome", "day", "evaluator"}
	for _, item := range Rubric() {
		head = append(head, item.Key)
	}
	head = append(head, "comment", "feedback_useful", "feedback_comment")
	cw.Write(head) //nolint:errcheck // Flush reports it
	for _, s := range rows {
		rec := []string{strconv.Itoa(s.Position), strconv.FormatInt(s.AnswerID, 10), cell(s.Question), s.Outcome, s.Day, s.Evaluator}
		for _, v := range s.Rating.values() {
			rec = append(rec, strconv.Itoa(v))
		}
		useful := ""
		if s.FeedbackUseful != nil {
			useful = map[bool]string{true: "ja", false: "nee"}[*s.FeedbackUseful]
		}
		rec = append(rec, cell(s.Rating.Comment), useful, cell(s.FeedbackComment))
		cw.Write(rec) //nolint:errcheck // Flush reports it
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("eval: export: %w", err)
	}
	return nil
}

// cell keeps free text from being read as a formula by a spreadsheet: a leading
// =, +, -, @, tab or carriage return gets a quote in front.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
