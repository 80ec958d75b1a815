package chat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/pii"
)

// ErrNotFound is returned when a conversation, message or answer does not exist.
var ErrNotFound = errors.New("chat: not found")

// ErrPersonTookOver is returned when the bot's answer comes after an agent took the
// conversation over: the answer is not stored or sent.
var ErrPersonTookOver = errors.New("chat: an agent has the conversation")

// Roles of the participants of a conversation.
const (
	RoleCitizen = "citizen"
	RoleBot     = "bot"
	RoleAgent   = "agent"
	RoleSystem  = "system"
)

// States of a conversation: the bot answers, it waits for an agent, an agent has it,
// or it was closed.
const (
	StateBot    = "bot"
	StateQueued = "queued"
	StateAgent  = "agent"
	StateClosed = "closed"
)

// Conversation is one citizen's conversation.
type Conversation struct {
	ID           int64
	Municipality string
	State        string
	CreatedAt    time.Time
}

// Message is one stored message of a conversation, as the protocol sends it.
type Message struct {
	ID            int64             `json:"-" db:"id"`
	Seq           int               `json:"seq" db:"seq"`
	Role          string            `json:"role" db:"role"`
	Text          string            `json:"text" db:"text"`
	At            time.Time         `json:"at" db:"created_at"`
	ClientID      string            `json:"id,omitempty" db:"client_id"`
	Author        string            `json:"author,omitempty" db:"author"`
	AnswerID      int64             `json:"answer_id,omitempty" db:"answer_id"`
	Outcome       answer.Outcome    `json:"outcome,omitempty" db:"outcome"`
	Citations     []answer.Citation `json:"citations,omitempty" db:"citations"`
	HandoffReason string            `json:"handoff_reason,omitempty" db:"handoff_reason"`

	state string // the conversation's state when the message was stored
}

// LogEntry is what the answer log records for one answer.
type LogEntry struct {
	ConversationID int64 // 0: not part of a conversation
	Municipality   string
	Question       string // redacted
	SearchText     string // what was searched: the question, with context for a follow-up
	Answer         answer.Answer
	Redactions     map[pii.Kind]int
}

// Conversations stores conversations, their messages and the answer log in PostgreSQL.
type Conversations struct {
	pool *pgxpool.Pool
}

// NewConversations returns the store on pool.
func NewConversations(pool *pgxpool.Pool) *Conversations { return &Conversations{pool: pool} }

// Create starts a conversation and returns it with the token that resumes it. Only a
// hash of the token is stored.
func (c *Conversations) Create(ctx context.Context, municipality string) (Conversation, string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return Conversation{}, "", fmt.Errorf("chat: create conversation: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	conv := Conversation{Municipality: municipality, State: StateBot}
	err := c.pool.QueryRow(ctx,
		`INSERT INTO conversations (token_hash, municipality) VALUES ($1, $2) RETURNING id, created_at`,
		tokenHash(token), municipality).Scan(&conv.ID, &conv.CreatedAt)
	if err != nil {
		return Conversation{}, "", fmt.Errorf("chat: create conversation: %w", err)
	}
	return conv, token, nil
}

// Resume finds the conversation of a token; ErrNotFound when there is none (it may
// have been deleted by the retention job).
func (c *Conversations) Resume(ctx context.Context, token string) (Conversation, error) {
	var conv Conversation
	err := c.pool.QueryRow(ctx,
		`SELECT id, municipality, state, created_at FROM conversations WHERE token_hash = $1`,
		tokenHash(token)).Scan(&conv.ID, &conv.Municipality, &conv.State, &conv.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Conversation{}, ErrNotFound
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: resume conversation: %w", err)
	}
	return conv, nil
}

// Get returns a conversation by its id.
func (c *Conversations) Get(ctx context.Context, id int64) (Conversation, error) {
	conv := Conversation{ID: id}
	err := c.pool.QueryRow(ctx,
		`SELECT municipality, state, created_at FROM conversations WHERE id = $1`, id).
		Scan(&conv.Municipality, &conv.State, &conv.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Conversation{}, ErrNotFound
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: get conversation: %w", err)
	}
	return conv, nil
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// messageColumns are the columns scanMessage reads by name (Message's db tags), for
// messages m joined with their answer a.
const messageColumns = `m.id, m.seq, m.role, m.text, m.created_at, coalesce(m.client_id, '') AS client_id, m.author,
	coalesce(a.id, 0) AS answer_id, coalesce(a.outcome, '') AS outcome, coalesce(a.citations, '[]'::jsonb) AS citations,
	coalesce(a.handoff_reason, '') AS handoff_reason`

func scanMessage(row pgx.CollectableRow) (Message, error) {
	m, err := pgx.RowToStructByName[Message](row)
	if err != nil {
		return m, err
	}
	m.At = m.At.UTC()
	if len(m.Citations) == 0 {
		m.Citations = nil
	}
	return m, nil
}

// History returns every message of a conversation in order.
func (c *Conversations) History(ctx context.Context, convID int64) ([]Message, error) {
	rows, _ := c.pool.Query(ctx, `SELECT `+messageColumns+`
		FROM messages m LEFT JOIN answers a ON a.id = m.answer_id
		WHERE m.conversation_id = $1 ORDER BY m.seq`, convID)
	msgs, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("chat: history: %w", err)
	}
	return msgs, nil
}

// message returns one message by the (conversation, seq) pair.
func (c *Conversations) message(ctx context.Context, q querier, where string, args ...any) (Message, error) {
	rows, _ := q.Query(ctx, `SELECT `+messageColumns+`
		FROM messages m LEFT JOIN answers a ON a.id = m.answer_id WHERE `+where, args...)
	m, err := pgx.CollectExactlyOneRow(rows, scanMessage)
	if errors.Is(err, pgx.ErrNoRows) {
		return Message{}, ErrNotFound
	}
	return m, err
}

// Message returns message seq of a conversation.
func (c *Conversations) Message(ctx context.Context, convID int64, seq int) (Message, error) {
	m, err := c.message(ctx, c.pool, `m.conversation_id = $1 AND m.seq = $2`, convID, seq)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return m, fmt.Errorf("chat: message: %w", err)
	}
	return m, err
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// AddMessage stores a message at the next seq of the conversation. For a citizen's
// message with a client id that was stored before, it returns the stored message and
// existing true, storing nothing.
func (c *Conversations) AddMessage(ctx context.Context, convID int64, m Message) (Message, bool, error) {
	if m.ClientID != "" {
		old, err := c.message(ctx, c.pool, `m.conversation_id = $1 AND m.client_id = $2`, convID, m.ClientID)
		if err == nil {
			return old, true, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return Message{}, false, fmt.Errorf("chat: add message: %w", err)
		}
	}
	var stored Message
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var err error
		stored, err = insertMessage(ctx, tx, convID, m, 0, 0)
		return err
	})
	if isUniqueViolation(err) && m.ClientID != "" { // the same retry, stored concurrently
		old, err := c.message(ctx, c.pool, `m.conversation_id = $1 AND m.client_id = $2`, convID, m.ClientID)
		return old, err == nil, err
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("chat: add message: %w", err)
	}
	return stored, false, nil
}

// insertMessage numbers and stores a message inside tx. The update of last_seq locks
// the conversation's row, so concurrent messages get consecutive numbers.
//
// The bot's answers are not stored while an agent has the conversation:
// ErrPersonTookOver. Every message is announced to all
// serve instances when tx commits.
func insertMessage(ctx context.Context, tx pgx.Tx, convID int64, m Message, replyTo, answerID int64) (Message, error) {
	err := tx.QueryRow(ctx,
		`UPDATE conversations SET last_seq = last_seq + 1, updated_at = now(),
			state = CASE WHEN $2 = 'bot' AND state = 'closed' THEN 'bot' ELSE state END
		WHERE id = $1 AND ($2 <> 'bot' OR state <> 'agent') RETURNING last_seq, state`,
		convID, m.Role).Scan(&m.Seq, &m.state)
	if errors.Is(err, pgx.ErrNoRows) {
		if m.Role == RoleBot {
			return m, ErrPersonTookOver
		}
		return m, ErrNotFound
	}
	if err != nil {
		return m, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO messages (conversation_id, seq, role, client_id, reply_to, text, answer_id, author)
		VALUES ($1, $2, $3, nullif($4, ''), nullif($5, 0::bigint), $6, nullif($7, 0::bigint), $8)
		RETURNING id, created_at`,
		convID, m.Seq, m.Role, m.ClientID, replyTo, m.Text, answerID, m.Author).Scan(&m.ID, &m.At)
	if err != nil {
		return m, err
	}
	m.At = m.At.UTC()
	return m, notify(ctx, tx, event{Kind: eventMessage, Conv: convID, Seq: m.Seq})
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Reply returns the bot's answer to a citizen's message; ErrNotFound when it has none yet.
func (c *Conversations) Reply(ctx context.Context, questionID int64) (Message, error) {
	m, err := c.message(ctx, c.pool, `m.reply_to = $1 AND m.role = 'bot'`, questionID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return m, fmt.Errorf("chat: reply: %w", err)
	}
	return m, err
}

// SaveAnswer logs an answer and stores it as the bot's reply to the question, in one
// transaction. When the question was answered meanwhile (a retry on another
// connection), it stores nothing and returns the earlier reply with existing true.
func (c *Conversations) SaveAnswer(ctx context.Context, e LogEntry, question Message) (Message, bool, error) {
	var stored Message
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		id, err := insertAnswer(ctx, tx, e)
		if err != nil {
			return err
		}
		stored, err = insertMessage(ctx, tx, e.ConversationID, Message{Role: RoleBot, Text: e.Answer.Text}, question.ID, id)
		stored.AnswerID, stored.Outcome, stored.Citations, stored.HandoffReason = id, e.Answer.Outcome, e.Answer.Citations, e.Answer.HandoffReason
		return err
	})
	if isUniqueViolation(err) {
		old, err := c.Reply(ctx, question.ID)
		return old, err == nil, err
	}
	if errors.Is(err, ErrPersonTookOver) {
		return Message{}, false, err
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("chat: save answer: %w", err)
	}
	return stored, false, nil
}

// Log records an answer given outside a conversation (for example by `vraagbaak ask`)
// and returns its id.
func (c *Conversations) Log(ctx context.Context, e LogEntry) (int64, error) {
	id, err := insertAnswer(ctx, c.pool, e)
	if err != nil {
		return 0, fmt.Errorf("chat: log answer: %w", err)
	}
	return id, nil
}

// passageLog is how a retrieved passage is recorded in the answer log.
type passageLog struct {
	ChunkID     int64   `json:"chunk_id"`
	URL         string  `json:"url"`
	Title       string  `json:"title"`
	Headings    string  `json:"headings,omitempty"`
	Body        string  `json:"body"`
	Score       float64 `json:"score"`
	TextRank    int     `json:"text_rank,omitempty"`
	TextScore   float64 `json:"text_score,omitempty"`
	VectorRank  int     `json:"vector_rank,omitempty"`
	VectorScore float64 `json:"vector_score,omitempty"`
}

func insertAnswer(ctx context.Context, q querier, e LogEntry) (int64, error) {
	a := e.Answer
	passages := make([]passageLog, len(a.Passages))
	for i, h := range a.Passages {
		passages[i] = passageLog{ChunkID: h.ChunkID, URL: h.CitationURL(), Title: h.Title, Headings: h.Headings, Body: h.Body,
			Score: h.Score, TextRank: h.TextRank, TextScore: h.TextScore, VectorRank: h.VectorRank, VectorScore: h.VectorScore}
	}
	cites, sentences := a.Citations, a.Sentences
	if cites == nil {
		cites = []answer.Citation{}
	}
	if sentences == nil {
		sentences = []answer.Sentence{}
	}
	redactions := e.Redactions
	if redactions == nil {
		redactions = map[pii.Kind]int{}
	}
	var fd, asw *float64
	if a.Outcome == answer.Answered {
		fd, asw = &a.Readability.FleschDouma, &a.Readability.AvgSentenceWords
	}
	var noteScore *float64
	if a.SafetyNote != "" {
		noteScore = &a.SafetyNoteScore
	}
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO answers (conversation_id, municipality, question, search_text, passages,
			answer, citations, sentences, outcome, confidence, flesch_douma, avg_sentence_words, answerer,
			refusal_reason, handoff_reason, redactions, timings, safety_note, safety_note_score)
		VALUES (nullif($1, 0::bigint), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		RETURNING id`,
		e.ConversationID, e.Municipality, e.Question, e.SearchText, jsonArg(passages),
		a.Text, jsonArg(cites), jsonArg(sentences), string(a.Outcome), a.Confidence, fd, asw, a.Answerer,
		string(a.RefusalReason), a.HandoffReason, jsonArg(redactions), jsonArg(a.Timings), a.SafetyNote, noteScore).Scan(&id)
	return id, err
}

// jsonArg marshals v for a jsonb parameter; the types given cannot fail to marshal.
func jsonArg(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("null")
	}
	return b
}

// SaveFeedback records a citizen's feedback on an answer of their conversation;
// ErrNotFound when the answer is not part of it. Later feedback replaces earlier.
func (c *Conversations) SaveFeedback(ctx context.Context, convID, answerID int64, useful bool, comment string) error {
	tag, err := c.pool.Exec(ctx, `INSERT INTO feedback (answer_id, useful, comment)
		SELECT id, $3, $4 FROM answers WHERE id = $2 AND conversation_id = $1
		ON CONFLICT (answer_id) DO UPDATE SET useful = excluded.useful, comment = excluded.comment, created_at = now()`,
		convID, answerID, useful, comment)
	if err != nil {
		return fmt.Errorf("chat: save feedback: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// Pending returns, in order, the citizen's questions that the bot is to answer and
// that a connection whose history ended at seq after has not seen answered: those
// without an answer, and those answered after that history. Not the bot's to answer,
// and so never returned, are a question asked while a person had the conversation
// (from the hand-off request to its end, when an agent claimed it) and a question a
// person wrote after; and none while an agent has the conversation.
func (c *Conversations) Pending(ctx context.Context, convID int64, after int) ([]Message, error) {
	rows, _ := c.pool.Query(ctx, `SELECT `+messageColumns+`
		FROM messages m LEFT JOIN answers a ON a.id = m.answer_id
		JOIN conversations c ON c.id = m.conversation_id
		WHERE m.conversation_id = $1 AND m.role = 'citizen' AND c.state <> 'agent'
		AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to = m.id AND r.role = 'bot' AND r.seq <= $2)
		AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = m.conversation_id AND p.role = 'agent' AND p.seq > m.seq)
		AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = m.conversation_id AND h.claimed_at IS NOT NULL
			AND m.created_at >= h.requested_at AND (h.ended_at IS NULL OR m.created_at < h.ended_at))
		ORDER BY m.seq`, convID, after)
	msgs, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return nil, fmt.Errorf("chat: pending questions: %w", err)
	}
	return msgs, nil
}

// Purge deletes conversations inactive since before cutoff, with their messages and
// answers, and answers logged outside a conversation before cutoff. It returns the
// numbers of conversations and answers deleted.
func (c *Conversations) Purge(ctx context.Context, cutoff time.Time) (conversations, answers int64, err error) {
	tag, err := c.pool.Exec(ctx, `DELETE FROM conversations WHERE updated_at < $1`, cutoff)
	if err != nil {
		return 0, 0, fmt.Errorf("chat: purge conversations: %w", err)
	}
	conversations = tag.RowsAffected()
	tag, err = c.pool.Exec(ctx, `DELETE FROM answers WHERE created_at < $1`, cutoff)
	if err != nil {
		return conversations, 0, fmt.Errorf("chat: purge answers: %w", err)
	}
	return conversations, tag.RowsAffected(), nil
}
