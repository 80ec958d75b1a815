// Package audit owns the transcript access log (the transcript_access table): who of
// the staff read which citizen's conversation, when, and through what (the staff
// console, the evaluators' workbench, an export). chat and review call Record inside
// the transaction that reads what they are about to show, so that a read that cannot
// be logged fails with it and is not served; the privacy officer's page reads the log
// through Log.List and Log.WriteCSV; serve's retention job calls Log.Purge. It
// imports only pgx, so chat, review, web and cmd may all import it.
package audit

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is what a transcript was read through.
type Channel string

// The channels.
const (
	Console   Channel = "console"   // the staff console (chat), a whole conversation
	Workbench Channel = "workbench" // the evaluators' workbench (review), one answer or a round's report
	Export    Channel = "export"    // a CSV export of a round's scores with the questions
)

// Roles of readers, as the staff package names them.
const (
	RoleAgent      = "agent"
	RoleSupervisor = "supervisor"
	RoleEvaluator  = "evaluator"
)

// Reader is the member of staff who reads.
type Reader struct {
	AccountID    int64
	Name         string // their name, or email, as the log keeps it
	Role         string // agent, supervisor or evaluator
	Municipality string // theirs, which is the conversation's
}

// Ref is one thing read: a conversation, or one logged answer (of a conversation,
// or, with Conversation 0, of `vraagbaak ask`).
type Ref struct {
	Conversation int64
	Answer       int64
}

// Execer is what Record writes through: a pgx.Tx (or a pool, where the read that
// follows is not in a transaction).
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Record logs that r read each of refs through ch, one row each, in one statement.
// Call it in the transaction that reads what is shown: when it fails, the read must
// fail too.
func Record(ctx context.Context, q Execer, r Reader, ch Channel, refs ...Ref) error {
	if len(refs) == 0 {
		return nil
	}
	switch {
	case r.AccountID == 0:
		return errors.New("audit: record: no reader")
	case ch != Console && ch != Workbench && ch != Export:
		return fmt.Errorf("audit: record: unknown channel %q", ch)
	}
	convs := make([]int64, len(refs))
	answers := make([]int64, len(refs))
	for i, ref := range refs {
		convs[i], answers[i] = ref.Conversation, ref.Answer
	}
	tag, err := q.Exec(ctx, `INSERT INTO transcript_access (municipality, account_id, account_name, role, channel, conversation_id, answer_id)
		SELECT $1, $2, $3, $4, $5, nullif(c, 0), nullif(a, 0)
		FROM unnest($6::bigint[], $7::bigint[]) AS r (c, a)`,
		r.Municipality, r.AccountID, r.Name, r.Role, string(ch), convs, answers)
	if err != nil {
		return fmt.Errorf("audit: record: %w", err)
	}
	if n := tag.RowsAffected(); n != int64(len(refs)) {
		return fmt.Errorf("audit: record: %d of %d rows written", n, len(refs))
	}
	return nil
}

// Entry is one row of the access log.
type Entry struct {
	ID           int64     `db:"id"`
	At           time.Time `db:"accessed_at"` // UTC
	Municipality string    `db:"municipality"`
	AccountID    int64     `db:"account_id"`
	Name         string    `db:"account_name"`
	Role         string    `db:"role"`
	Channel      Channel   `db:"channel"`
	Conversation int64     `db:"conversation_id"` // 0: an answer outside a conversation
	Answer       int64     `db:"answer_id"`       // 0: a whole conversation (the console)
}

// Filter selects rows of one municipality's log. Zero fields do not filter.
type Filter struct {
	Municipality string    // required
	Since        time.Time // accessed at or after
	Before       time.Time // accessed before
	AccountID    int64
	Conversation int64
	Limit        int // at most this many rows, newest first; 0: all
}

// Log reads and purges the access log.
type Log struct {
	pool *pgxpool.Pool
}

// NewLog returns the log on pool.
func NewLog(pool *pgxpool.Pool) *Log { return &Log{pool: pool} }

func (l *Log) query(ctx context.Context, f Filter) (pgx.Rows, error) {
	if f.Municipality == "" {
		return nil, errors.New("audit: a municipality is required")
	}
	var since, before *time.Time
	if !f.Since.IsZero() {
		since = &f.Since
	}
	if !f.Before.IsZero() {
		before = &f.Before
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	return l.pool.Query(ctx, `SELECT id, accessed_at, municipality, account_id, account_name, role, channel,
			coalesce(conversation_id, 0) AS conversation_id, coalesce(answer_id, 0) AS answer_id
		FROM transcript_access
		WHERE municipality = $1
		  AND ($2::timestamptz IS NULL OR accessed_at >= $2)
		  AND ($3::timestamptz IS NULL OR accessed_at < $3)
		  AND ($4::bigint = 0 OR account_id = $4)
		  AND ($5::bigint = 0 OR conversation_id = $5)
		ORDER BY accessed_at DESC, id DESC
		LIMIT CASE WHEN $6::int < 0 THEN NULL ELSE $6::int END`,
		f.Municipality, since, before, f.AccountID, f.Conversation, limit)
}

func scanEntry(row pgx.CollectableRow) (Entry, error) {
	e, err := pgx.RowToStructByName[Entry](row)
	e.At = e.At.UTC()
	return e, err
}

// List returns the rows of f, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	rows, err := l.query(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanEntry)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return list, nil
}

// Member is someone who appears in a municipality's log, for the page's filter.
type Member struct {
	AccountID int64  `db:"account_id"`
	Name      string `db:"account_name"` // the latest name the log has for them
	Role      string `db:"role"`
}

// Members returns the readers in a municipality's log, by name.
func (l *Log) Members(ctx context.Context, municipality string) ([]Member, error) {
	rows, _ := l.pool.Query(ctx, `SELECT DISTINCT ON (account_id) account_id, account_name, role
		FROM transcript_access WHERE municipality = $1
		ORDER BY account_id, accessed_at DESC`, municipality)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[Member])
	if err != nil {
		return nil, fmt.Errorf("audit: members: %w", err)
	}
	return list, nil
}

// WriteCSV writes the rows of f as CSV, newest first, with the times in loc.
func (l *Log) WriteCSV(ctx context.Context, w io.Writer, f Filter, loc *time.Location) error {
	list, err := l.List(ctx, f)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"tijdstip", "gemeente", "account_id", "medewerker", "rol", "via", "gesprek", "antwoord"}) //nolint:errcheck // Flush reports it
	for _, e := range list {
		cw.Write([]string{e.At.In(loc).Format(time.RFC3339), e.Municipality, strconv.FormatInt(e.AccountID, 10), //nolint:errcheck // Flush reports it
			cell(e.Name), e.Role, string(e.Channel), idOrEmpty(e.Conversation), idOrEmpty(e.Answer)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	return nil
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// cell keeps a name from being read as a formula by a spreadsheet.
func cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// Purge deletes the rows logged before cutoff and returns how many.
func (l *Log) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	tag, err := l.pool.Exec(ctx, `DELETE FROM transcript_access WHERE accessed_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("audit: purge: %w", err)
	}
	return tag.RowsAffected(), nil
}
