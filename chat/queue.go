package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/vraagbaak/vraagbaak/answer"
)

// ErrClaimed is returned when an agent claims a conversation someone else has.
var ErrClaimed = errors.New("chat: conversation already claimed")

// Agent is a member of the contact-centre staff, as the staff console's session
// identifies them. The db tags name the columns Colleagues selects.
type Agent struct {
	ID           int64  `db:"id"`
	Name         string `db:"name"`
	Municipality string `db:"municipality"`
	Supervisor   bool   `db:"supervisor"`
}

// QueueItem is a conversation waiting for, or held by, an agent. The db tags name
// the columns of queueColumns.
type QueueItem struct {
	Conversation int64     `json:"conversation" db:"conversation_id"`
	Reason       string    `json:"reason" db:"reason"`
	Topic        string    `json:"topic" db:"topic"`
	Priority     int       `json:"priority" db:"priority"`
	Summary      string    `json:"summary" db:"summary"`
	RequestedAt  time.Time `json:"requested_at" db:"requested_at"`
	ClaimedBy    int64     `json:"claimed_by,omitempty" db:"claimed_by"`
	AgentName    string    `json:"agent_name,omitempty" db:"agent_name"`
}

// queueColumns are the columns of handoffs a QueueItem is scanned from, by name.
const queueColumns = `conversation_id, reason, topic, priority, summary, requested_at,
	coalesce(claimed_by, 0) AS claimed_by, agent_name`

// Callback is a citizen's request to be contacted.
type Callback struct {
	ID           int64     `json:"id" db:"id"`
	Conversation int64     `json:"conversation,omitempty" db:"conversation_id"`
	Name         string    `json:"name" db:"name"`
	Contact      string    `json:"contact" db:"contact"`
	Question     string    `json:"question" db:"question"`
	CreatedAt    time.Time `json:"created_at" db:"created_at"`
}

// Closing outcomes an agent chooses from when closing a conversation.
var closeOutcomes = map[string]bool{
	"beantwoord": true, "doorverwezen": true, "terugbelafspraak": true, "geen_reactie": true, "overig": true,
}

// notify queues a notification for every serve instance, delivered when tx commits.
func notify(ctx context.Context, q querier, ev event) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, string(b))
	return err
}

// RequestHandoff puts a conversation in the queue of its municipality with a
// system message for the citizen (none when text is ""); when it is already waiting
// or with an agent it changes nothing and returns false. The hand-off keeps the most
// serious reason the conversation ever had (see mostSerious).
func (c *Conversations) RequestHandoff(ctx context.Context, convID int64, t answer.Triage, summary, text string) (bool, error) {
	queued := false
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var municipality string
		tag, err := tx.Exec(ctx, `UPDATE conversations SET state = 'queued', updated_at = now()
			WHERE id = $1 AND state IN ('bot', 'closed')`, convID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		if t, err = mostSerious(ctx, tx, convID, t); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO handoffs (conversation_id, municipality, reason, topic, priority, summary)
			SELECT id, municipality, $2, $3, $4, $5 FROM conversations WHERE id = $1 RETURNING municipality`,
			convID, string(t.Reason), t.Topic, max(t.Priority, 1), shorten(summary, 160)).Scan(&municipality); err != nil {
			return err
		}
		if text != "" {
			if _, err := insertMessage(ctx, tx, convID, Message{Role: RoleSystem, Text: text}, 0, 0); err != nil {
				return err
			}
		}
		queued = true
		return notifyAll(ctx, tx, convID, municipality)
	})
	if err != nil {
		return false, fmt.Errorf("chat: request hand-off: %w", err)
	}
	return queued, nil
}

// RecordUnavailable records a hand-off that could not happen: nobody was online or
// the contact centre was closed. Only hand-offs that are no emergency end so; an
// emergency stays queued (RequestHandoff) until a person has seen it.
func (c *Conversations) RecordUnavailable(ctx context.Context, convID int64, t answer.Triage, summary string) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		t, err := mostSerious(ctx, tx, convID, t)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO handoffs (conversation_id, municipality, reason, topic, priority, summary, ended_at, outcome)
			SELECT id, municipality, $2, $3, $4, $5, now(), 'unavailable' FROM conversations WHERE id = $1`,
			convID, string(t.Reason), t.Topic, max(t.Priority, 1), shorten(summary, 160))
		return err
	})
	if err != nil {
		return fmt.Errorf("chat: record unavailable hand-off: %w", err)
	}
	return nil
}

// MostSerious returns t, or the most serious reason of the conversation's earlier
// hand-offs when that is more serious (HandoffReason.rank): the queue shows what a
// conversation was ever about ("Spoed: zelfdoding (113)"), not its latest request.
func (c *Conversations) MostSerious(ctx context.Context, convID int64, t answer.Triage) (answer.Triage, error) {
	t, err := mostSerious(ctx, c.pool, convID, t)
	if err != nil {
		return t, fmt.Errorf("chat: most serious hand-off reason: %w", err)
	}
	return t, nil
}

func mostSerious(ctx context.Context, q querier, convID int64, t answer.Triage) (answer.Triage, error) {
	rows, _ := q.Query(ctx, `SELECT reason, topic FROM handoffs WHERE conversation_id = $1 ORDER BY id`, convID)
	earlier, err := pgx.CollectRows(rows, pgx.RowToStructByName[reasonTopic])
	if err != nil {
		return t, err
	}
	for _, e := range earlier {
		t = graver(t, answer.Triage{Reason: answer.HandoffReason(e.Reason), Topic: e.Topic})
	}
	return t, nil
}

type reasonTopic struct {
	Reason string `db:"reason"`
	Topic  string `db:"topic"`
}

// graver returns the more serious of two triages, a when they are equally serious;
// an unknown reason counts least. The result's priority is its reason's.
func graver(a, b answer.Triage) answer.Triage {
	ra, rb := a.Reason.Priority(), b.Reason.Priority()
	if rb != 0 && (ra == 0 || b.Reason.Rank() < a.Reason.Rank()) {
		a = b
	}
	if p := a.Reason.Priority(); p != 0 {
		a.Priority = p
	}
	return a
}

// Escalate makes a conversation's open hand-off as serious as t when t is more
// serious: an emergency told while the conversation waits for a request goes to the
// top of the queue.
func (c *Conversations) Escalate(ctx context.Context, convID int64, t answer.Triage) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var old reasonTopic
		var municipality string
		err := tx.QueryRow(ctx, `SELECT reason, topic, municipality FROM handoffs
			WHERE conversation_id = $1 AND ended_at IS NULL FOR UPDATE`, convID).Scan(&old.Reason, &old.Topic, &municipality)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		cur := answer.Triage{Reason: answer.HandoffReason(old.Reason), Topic: old.Topic}
		g := graver(cur, t)
		if g.Reason == cur.Reason {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET reason = $2, topic = $3, priority = $4
			WHERE conversation_id = $1 AND ended_at IS NULL`, convID, string(g.Reason), g.Topic, max(g.Priority, 1)); err != nil {
			return err
		}
		return notifyAll(ctx, tx, convID, municipality)
	})
	if err != nil {
		return fmt.Errorf("chat: escalate hand-off: %w", err)
	}
	return nil
}

// MarkSeen ends a waiting hand-off that an agent of its municipality has seen without
// taking it over (an emergency from the night, whose citizen has gone): it leaves the
// queue with outcome "seen", and the conversation goes back to the bot. ErrClaimed
// when someone has it, ErrNotFound when it is not waiting.
func (c *Conversations) MarkSeen(ctx context.Context, convID int64, a Agent) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var claimed bool
		err := tx.QueryRow(ctx, `SELECT claimed_by IS NOT NULL FROM handoffs
			WHERE conversation_id = $1 AND ended_at IS NULL AND municipality = $2 FOR UPDATE`,
			convID, a.Municipality).Scan(&claimed)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if claimed {
			return ErrClaimed
		}
		if _, err := tx.Exec(ctx, `UPDATE handoffs SET ended_at = now(), outcome = 'seen', seen_by = $2, seen_at = now()
			WHERE conversation_id = $1 AND ended_at IS NULL`, convID, a.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE conversations SET state = 'bot', updated_at = now()
			WHERE id = $1 AND state = 'queued'`, convID); err != nil {
			return err
		}
		return notifyAll(ctx, tx, convID, a.Municipality)
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrClaimed) {
		return fmt.Errorf("chat: mark seen: %w", err)
	}
	return err
}

// notifyAll announces a change of a conversation's state and of its municipality's
// queue; the messages stored in the same transaction are announced by their seq.
func notifyAll(ctx context.Context, tx pgx.Tx, convID int64, municipality string) error {
	if err := notify(ctx, tx, event{Kind: eventState, Conv: convID}); err != nil {
		return err
	}
	return notify(ctx, tx, event{Kind: eventQueue, Municipality: municipality})
}

// Claim gives a waiting conversation to an agent of its municipality: exactly one
// agent wins when several claim at once; the others get ErrClaimed.
func (c *Conversations) Claim(ctx context.Context, convID int64, a Agent) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var municipality string
		err := tx.QueryRow(ctx, `UPDATE handoffs SET claimed_by = $2, agent_name = $3, claimed_at = now()
			WHERE conversation_id = $1 AND ended_at IS NULL AND claimed_by IS NULL AND municipality = $4
			RETURNING municipality`, convID, a.ID, a.Name, a.Municipality).Scan(&municipality)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrClaimed
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE conversations SET state = 'agent', updated_at = now() WHERE id = $1`, convID); err != nil {
			return err
		}
		if _, err := insertMessage(ctx, tx, convID, Message{Role: RoleSystem, Text: agentJoinedText}, 0, 0); err != nil {
			return err
		}
		return notifyAll(ctx, tx, convID, municipality)
	})
	if err != nil && !errors.Is(err, ErrClaimed) {
		return fmt.Errorf("chat: claim: %w", err)
	}
	return err
}

// agentJoinedText is what the citizen reads when an agent takes over.
const agentJoinedText = "U praat nu met een medewerker van de gemeente."

// EndHandoff ends an agent's hand-off: outcome "returned" gives the conversation back
// to the bot, a closing outcome closes it. ErrNotFound when the agent does not hold it.
func (c *Conversations) EndHandoff(ctx context.Context, convID int64, a Agent, outcome string) error {
	state, text := StateClosed, "De medewerker heeft het gesprek afgesloten. U kunt mij weer een vraag stellen."
	if outcome == "returned" {
		state, text = StateBot, "U praat weer met de digitale assistent. Stel gerust uw volgende vraag."
	} else if !closeOutcomes[outcome] {
		return fmt.Errorf("chat: end hand-off: unknown outcome %q", outcome)
	}
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var municipality string
		err := tx.QueryRow(ctx, `UPDATE handoffs SET ended_at = now(), outcome = $3
			WHERE conversation_id = $1 AND ended_at IS NULL AND claimed_by = $2 RETURNING municipality`,
			convID, a.ID, outcome).Scan(&municipality)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE conversations SET state = $2, updated_at = now() WHERE id = $1`, convID, state); err != nil {
			return err
		}
		if _, err := insertMessage(ctx, tx, convID, Message{Role: RoleSystem, Text: text}, 0, 0); err != nil {
			return err
		}
		return notifyAll(ctx, tx, convID, municipality)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("chat: end hand-off: %w", err)
	}
	return err
}

// Transfer hands an agent's conversation to a colleague of the same municipality.
// That the colleague's account is active and of the hand-off's municipality is
// checked in the UPDATE itself, on staff's staff_directory view (chat never reads
// staff_accounts), so an account disabled meanwhile cannot receive it.
func (c *Conversations) Transfer(ctx context.Context, convID int64, from Agent, toID int64, toName string) error {
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var municipality string
		err := tx.QueryRow(ctx, `UPDATE handoffs SET claimed_by = $3, agent_name = $4, claimed_at = now()
			WHERE conversation_id = $1 AND ended_at IS NULL AND claimed_by = $2
			AND EXISTS (SELECT 1 FROM staff_directory s WHERE s.id = $3 AND s.municipality = handoffs.municipality AND s.disabled_at IS NULL)
			RETURNING municipality`, convID, from.ID, toID, toName).Scan(&municipality)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := insertMessage(ctx, tx, convID, Message{Role: RoleSystem, Text: "Een collega neemt het gesprek over."}, 0, 0); err != nil {
			return err
		}
		return notifyAll(ctx, tx, convID, municipality)
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("chat: transfer: %w", err)
	}
	return err
}

// Queue returns the open hand-offs of a municipality: waiting ones by priority and
// waiting time, then the ones agents hold.
func (c *Conversations) Queue(ctx context.Context, municipality string) ([]QueueItem, error) {
	rows, _ := c.pool.Query(ctx, `SELECT `+queueColumns+`
		FROM handoffs WHERE ended_at IS NULL AND municipality = $1
		ORDER BY claimed_by IS NOT NULL, priority, requested_at`, municipality)
	items, err := pgx.CollectRows(rows, pgx.RowToStructByName[QueueItem])
	if err != nil {
		return nil, fmt.Errorf("chat: queue: %w", err)
	}
	return items, nil
}

// OpenHandoff returns a conversation's open hand-off; ErrNotFound when it has none.
func (c *Conversations) OpenHandoff(ctx context.Context, convID int64) (QueueItem, error) {
	rows, _ := c.pool.Query(ctx, `SELECT `+queueColumns+`
		FROM handoffs WHERE ended_at IS NULL AND conversation_id = $1`, convID)
	item, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[QueueItem])
	if errors.Is(err, pgx.ErrNoRows) {
		return item, ErrNotFound
	}
	if err != nil {
		return item, fmt.Errorf("chat: open hand-off: %w", err)
	}
	return item, nil
}

// Position is a waiting conversation's place in its queue (1 is next), 0 when it is
// not waiting.
func (c *Conversations) Position(ctx context.Context, convID int64) (int, error) {
	var n int
	err := c.pool.QueryRow(ctx, `SELECT count(*) FROM handoffs h, handoffs me
		WHERE me.conversation_id = $1 AND me.ended_at IS NULL AND me.claimed_by IS NULL
		AND h.municipality = me.municipality AND h.ended_at IS NULL AND h.claimed_by IS NULL
		AND (h.priority, h.requested_at) <= (me.priority, me.requested_at)`, convID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("chat: queue position: %w", err)
	}
	return n, nil
}

// ErrCallbackOpen: the conversation has an open call-back request already.
var ErrCallbackOpen = errors.New("chat: the conversation has an open call-back request")

// AddCallback stores a call-back request; the citizen gave explicit consent. A
// conversation has at most one open request: a second one is ErrCallbackOpen.
func (c *Conversations) AddCallback(ctx context.Context, convID int64, cb Callback) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var municipality string
		err := tx.QueryRow(ctx, `INSERT INTO callbacks (conversation_id, municipality, name, contact, question, consent)
			SELECT id, municipality, $2, $3, $4, true FROM conversations WHERE id = $1 RETURNING id, municipality`,
			convID, cb.Name, cb.Contact, cb.Question).Scan(&id, &municipality)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.ConstraintName == "callbacks_one_open_idx" {
			return ErrCallbackOpen
		}
		if err != nil {
			return err
		}
		return notify(ctx, tx, event{Kind: eventQueue, Municipality: municipality})
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrCallbackOpen) {
		return 0, fmt.Errorf("chat: add call-back: %w", err)
	}
	return id, err
}

// Callbacks returns a municipality's open call-back requests, oldest first.
func (c *Conversations) Callbacks(ctx context.Context, municipality string) ([]Callback, error) {
	rows, _ := c.pool.Query(ctx, `SELECT id, coalesce(conversation_id, 0) AS conversation_id, name, contact, question, created_at
		FROM callbacks WHERE done_at IS NULL AND municipality = $1 ORDER BY created_at`, municipality)
	cbs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Callback])
	if err != nil {
		return nil, fmt.Errorf("chat: call-backs: %w", err)
	}
	return cbs, nil
}

// CallbackDone marks a call-back request handled by an agent of its municipality.
func (c *Conversations) CallbackDone(ctx context.Context, id int64, a Agent) error {
	tag, err := c.pool.Exec(ctx, `WITH done AS (UPDATE callbacks SET done_at = now(), done_by = $2
			WHERE id = $1 AND municipality = $3 AND done_at IS NULL RETURNING municipality)
		SELECT pg_notify($4, json_build_object('k', 'queue', 'm', municipality)::text) FROM done`,
		id, a.ID, a.Municipality, notifyChannel)
	if err != nil {
		return fmt.Errorf("chat: call-back done: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// AgentsOnline counts the agents of a municipality whose console is open on any
// instance.
func (c *Conversations) AgentsOnline(ctx context.Context, municipality string) (int, error) {
	var n int
	err := c.pool.QueryRow(ctx, `SELECT count(DISTINCT account_id) FROM agent_presence
		WHERE municipality = $1 AND seen_at > now() - interval '90 seconds'`, municipality).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("chat: agents online: %w", err)
	}
	return n, nil
}

// Colleagues lists the agents of a municipality who are online, for a transfer, with
// their names and roles from staff's staff_directory view.
func (c *Conversations) Colleagues(ctx context.Context, municipality string) ([]Agent, error) {
	rows, _ := c.pool.Query(ctx, `SELECT DISTINCT s.id, s.name, s.municipality, s.role = 'supervisor' AS supervisor
		FROM agent_presence p JOIN staff_directory s ON s.id = p.account_id
		WHERE p.municipality = $1 AND p.seen_at > now() - interval '90 seconds' ORDER BY s.name`, municipality)
	agents, err := pgx.CollectRows(rows, pgx.RowToStructByName[Agent])
	if err != nil {
		return nil, fmt.Errorf("chat: colleagues: %w", err)
	}
	return agents, nil
}

// SeeAgent records that an agent's console is open on this instance; present false
// removes the record.
func (c *Conversations) SeeAgent(ctx context.Context, a Agent, instance string, present bool) error {
	var err error
	if present {
		_, err = c.pool.Exec(ctx, `INSERT INTO agent_presence (account_id, instance, municipality) VALUES ($1, $2, $3)
			ON CONFLICT (account_id, instance) DO UPDATE SET seen_at = now()`, a.ID, instance, a.Municipality)
	} else {
		_, err = c.pool.Exec(ctx, `DELETE FROM agent_presence WHERE account_id = $1 AND instance = $2`, a.ID, instance)
	}
	if err != nil {
		return fmt.Errorf("chat: agent presence: %w", err)
	}
	return nil
}

// LongWaits returns conversations waiting longer than d whose citizen was not yet
// told so, marking them told.
func (c *Conversations) LongWaits(ctx context.Context, d time.Duration) ([]int64, error) {
	rows, _ := c.pool.Query(ctx, `UPDATE handoffs SET told_waiting_at = now()
		WHERE ended_at IS NULL AND claimed_by IS NULL AND told_waiting_at IS NULL AND requested_at < now() - make_interval(secs => $1)
		RETURNING conversation_id`, d.Seconds())
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("chat: long waits: %w", err)
	}
	return ids, nil
}

// AgentMessage stores an agent's message in a conversation the agent holds.
func (c *Conversations) AgentMessage(ctx context.Context, convID int64, a Agent, text string) (Message, error) {
	var m Message
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM handoffs
			WHERE conversation_id = $1 AND ended_at IS NULL AND claimed_by = $2)`, convID, a.ID).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		var err error
		m, err = insertMessage(ctx, tx, convID, Message{Role: RoleAgent, Text: text, Author: a.Name}, 0, 0)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return m, fmt.Errorf("chat: agent message: %w", err)
	}
	return m, err
}

func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
