package review

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/audit"
)

// ScoreRow is one score of a round with what the report and the export show
// next to it. The db tags name the columns queryScoreRows selects (Rating's are
// eval_scores').
type ScoreRow struct {
	ItemID          int64     `json:"item_id" db:"item_id"`
	Position        int       `json:"position" db:"position"`
	AnswerID        int64     `json:"answer_id" db:"answer_id"`
	Question        string    `json:"question" db:"question"`
	Outcome         string    `json:"outcome" db:"outcome"`
	Municipality    string    `json:"municipality" db:"municipality"`
	Day             string    `json:"day" db:"day"` // of the answer, YYYY-MM-DD in Europe/Amsterdam
	Evaluator       string    `json:"evaluator" db:"evaluator"`
	AccountID       int64     `json:"-" db:"account_id"`
	Conversation    int64     `json:"-" db:"conversation_id"` // of the answer; 0 outside a conversation
	Rating          Rating    `json:"score" db:"-"`
	ScoredAt        time.Time `json:"scored_at" db:"scored_at"`             // first scored
	UpdatedAt       time.Time `json:"updated_at" db:"updated_at"`           // last changed; ScoredAt when never changed
	FeedbackUseful  *bool     `json:"feedback_useful" db:"feedback_useful"` // nil: the citizen gave none
	FeedbackComment string    `json:"feedback_comment" db:"feedback_comment"`
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
		return nil, fmt.Errorf("review: scores: %w", err)
	}
	return list, nil
}

// scoreRowColumns is a row of queryScoreRows (the evaluator's email comes from staff's
// staff_directory view; review never reads staff_accounts): pgx fills the embedded structs' fields
// by column name, the rating's from eval_scores' own.
type scoreRowColumns struct {
	ScoreRow
	Rating
}

func queryScoreRows(ctx context.Context, tx pgx.Tx, roundID int64) ([]ScoreRow, error) {
	rows, err := tx.Query(ctx, `SELECT i.id AS item_id, i.position, a.id AS answer_id, a.question, a.outcome, a.municipality,
			to_char(a.created_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD') AS day, acc.email AS evaluator, s.account_id,
			coalesce(a.conversation_id, 0) AS conversation_id,
			s.correct, s.complete, s.plain_language, s.citations_support, s.should_have_handed_off, s.tone, s.comment,
			s.created_at AS scored_at, s.updated_at, f.useful AS feedback_useful, coalesce(f.comment, '') AS feedback_comment
		FROM eval_scores s
		JOIN eval_items i ON i.id = s.item_id
		JOIN answers a ON a.id = i.answer_id
		JOIN staff_directory acc ON acc.id = s.account_id
		LEFT JOIN feedback f ON f.answer_id = a.id
		WHERE i.round_id = $1
		ORDER BY i.position, s.created_at, s.account_id`, roundID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (ScoreRow, error) {
		c, err := pgx.RowToStructByName[scoreRowColumns](row)
		c.ScoreRow.Rating = c.Rating
		return c.ScoreRow, err
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
