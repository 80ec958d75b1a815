package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/audit"
)

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

// itemRow is the row item reads: an item, its answer, and the evaluator's score
// of it if any (the score's columns are NOT NULL: all there or none).
type itemRow struct {
	ID                  int64   `db:"id"`
	Position            int     `db:"position"`
	Question            string  `db:"question"`
	Answer              string  `db:"answer"`
	Passages            []byte  `db:"passages"`
	Citations           []byte  `db:"citations"`
	Correct             *int    `db:"correct"`
	Complete            *int    `db:"complete"`
	PlainLanguage       *int    `db:"plain_language"`
	CitationsSupport    *int    `db:"citations_support"`
	ShouldHaveHandedOff *int    `db:"should_have_handed_off"`
	Tone                *int    `db:"tone"`
	Comment             *string `db:"comment"`
	AnswerID            int64   `db:"answer_id"`
	Conversation        int64   `db:"conversation_id"`
}

// mine is the evaluator's score in the row, nil when they have not scored the item.
func (row itemRow) mine() *Rating {
	if row.Comment == nil {
		return nil
	}
	return &Rating{Correct: *row.Correct, Complete: *row.Complete, PlainLanguage: *row.PlainLanguage,
		CitationsSupport: *row.CitationsSupport, ShouldHaveHandedOff: *row.ShouldHaveHandedOff, Tone: *row.Tone, Comment: *row.Comment}
}

// item loads item itemID of the round, or with itemID 0 the first the evaluator
// has not scored, and records the read in the transcript access log in the same
// transaction: an item whose read cannot be logged is not returned.
func (r *Rounds) item(ctx context.Context, ev Evaluator, roundID, itemID int64) (Item, error) {
	rd, err := r.Get(ctx, ev, roundID)
	if err != nil {
		return Item{}, err
	}
	var row itemRow
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT i.id, i.position, a.question, a.answer, a.passages, a.citations,
				s.correct, s.complete, s.plain_language, s.citations_support, s.should_have_handed_off, s.tone, s.comment,
				a.id AS answer_id, coalesce(a.conversation_id, 0) AS conversation_id
			FROM eval_items i JOIN answers a ON a.id = i.answer_id
			LEFT JOIN eval_scores s ON s.item_id = i.id AND s.account_id = $2
			WHERE i.round_id = $1 AND CASE WHEN $3::bigint = 0 THEN s.item_id IS NULL ELSE i.id = $3 END
			ORDER BY i.position LIMIT 1`, roundID, ev.ID, itemID)
		var err error
		if row, err = pgx.CollectOneRow(rows, pgx.RowToStructByName[itemRow]); err != nil {
			return err
		}
		return audit.Record(ctx, tx, ev.reader(), audit.Workbench, audit.Ref{Conversation: row.Conversation, Answer: row.AnswerID})
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	if err != nil {
		return Item{}, fmt.Errorf("review: item: %w", err)
	}
	cites, err := citedSources(row.Passages, row.Citations)
	if err != nil {
		return Item{}, fmt.Errorf("review: item %d: %w", row.ID, err)
	}
	return Item{ID: row.ID, Position: row.Position, Question: row.Question, Answer: row.Answer, Citations: cites,
		Mine: row.mine(), Scored: rd.Scored, Total: rd.Items}, nil
}

// ItemRef is one item in the list of a round's items: enough to find it again.
type ItemRef struct {
	ID       int64  `json:"id" db:"id"`
	Position int    `json:"position" db:"position"`
	Question string `json:"question" db:"question"` // its first 120 characters
	Scored   bool   `json:"scored" db:"scored"`     // by the asking evaluator
}

// Items lists the items of a round of the evaluator's municipality in order, each
// with whether the evaluator has scored it (never whether others have).
func (r *Rounds) Items(ctx context.Context, ev Evaluator, roundID int64) ([]ItemRef, error) {
	if _, err := r.Get(ctx, ev, roundID); err != nil {
		return nil, err
	}
	rows, err := r.pool.Query(ctx, `SELECT i.id, i.position, left(a.question, 120) AS question,
			EXISTS (SELECT 1 FROM eval_scores s WHERE s.item_id = i.id AND s.account_id = $2) AS scored
		FROM eval_items i JOIN answers a ON a.id = i.answer_id
		WHERE i.round_id = $1 ORDER BY i.position`, roundID, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("review: list items: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[ItemRef])
	if err != nil {
		return nil, fmt.Errorf("review: list items: %w", err)
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
		return fmt.Errorf("review: save score: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
