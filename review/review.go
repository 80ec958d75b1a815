// Package review owns human evaluation of the answers the assistant gave: rounds
// drawn as stratified samples of the answer log (outcome × citizen feedback), the
// rubric evaluators score on, their blind scoring, the round report with Cohen's
// kappa, the CSV export, and the workbench's JSON API under /eval/api/
// (Rounds.Handler; the page itself is web's). It owns the eval_rounds, eval_items
// and eval_scores tables (named before the package moved out of eval); it reads the
// answer log chat writes (answers, feedback) and never writes it, and evaluators'
// emails from staff's staff_directory view, never staff_accounts. Every read of a
// citizen's question is recorded in the transcript access log (audit) in the
// transaction that reads it. It imports audit and pgx; only cmd imports it.
package review

import (
	"errors"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/audit"
)

// ErrNotFound: no such round or item in the evaluator's municipality, or no item
// left to score.
var ErrNotFound = errors.New("review: not found")

// ErrEmpty: the answer log has no answers to sample in the period.
var ErrEmpty = errors.New("review: no answers to sample")

// Rounds keeps evaluation rounds: stratified samples of the answer log that
// evaluators score blind on a fixed rubric.
type Rounds struct {
	pool *pgxpool.Pool
	log  *slog.Logger // for the errors Handler hides from evaluators
}

// NewRounds returns Rounds on pool.
func NewRounds(pool *pgxpool.Pool, log *slog.Logger) *Rounds { return &Rounds{pool: pool, log: log} }

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
