package review

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Round is an evaluation round with its size. The db tags name the columns List
// selects.
type Round struct {
	ID           int64        `json:"id" db:"id"`
	Name         string       `json:"name" db:"name"`
	Municipality string       `json:"municipality" db:"municipality"`
	CreatedBy    int64        `json:"created_by" db:"created_by"`
	CreatedAt    time.Time    `json:"created_at" db:"created_at"`
	Params       SampleParams `json:"params" db:"params"`
	Items        int          `json:"items" db:"items"`
	Scored       int          `json:"scored" db:"scored"` // items the asking evaluator has scored (List only)
}

// List returns the rounds of the evaluator's municipality, newest first, with how
// many items the evaluator has scored in each.
func (r *Rounds) List(ctx context.Context, ev Evaluator) ([]Round, error) {
	rows, err := r.pool.Query(ctx, `SELECT r.id, r.name, r.municipality, coalesce(r.created_by, 0) AS created_by, r.created_at, r.params,
			(SELECT count(*) FROM eval_items i WHERE i.round_id = r.id) AS items,
			(SELECT count(*) FROM eval_items i JOIN eval_scores s ON s.item_id = i.id AND s.account_id = $2 WHERE i.round_id = r.id) AS scored
		FROM eval_rounds r WHERE r.municipality = $1 ORDER BY r.created_at DESC, r.id DESC`, ev.Municipality, ev.ID)
	if err != nil {
		return nil, fmt.Errorf("review: list rounds: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Round])
	if err != nil {
		return nil, fmt.Errorf("review: list rounds: %w", err)
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
