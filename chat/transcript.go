package chat

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/audit"
)

// Why a member of staff may not open a conversation.
var (
	// ErrNotHandedOff: the conversation was never handed off to a person (the citizen
	// only talked to the assistant, or nobody could take over and no supervisor asks).
	ErrNotHandedOff = errors.New("chat: the conversation was never handed off to staff")
	// ErrNotYours: it is handed off, but held (or was closed) by a colleague, and only
	// a supervisor may read a colleague's conversation; or it is another municipality's.
	ErrNotYours = errors.New("chat: the conversation is not this agent's")
)

// Transcript is what the staff console shows of a conversation.
type Transcript struct {
	Conversation Conversation
	Messages     []Message
	Handoff      *QueueItem // the open hand-off; nil when there is none
}

// transcriptAccess decides, in one statement, whether an agent may open a
// conversation. Staff may open only conversations that were handed off to a person:
//
//   - waiting in the queue (an open hand-off nobody claimed): any agent of the municipality;
//   - held by the agent, closed after the agent held it, or an emergency the agent
//     marked seen: that agent;
//   - held, closed or seen by a colleague, or handed off while nobody could take
//     over (outcome unavailable): supervisors only.
//
// Closed hand-offs can be opened for as long as the conversation is kept: the
// retention job deletes conversations (with their hand-offs) VRAAGBAAK_RETENTION_DAYS
// after their last message. A conversation of another municipality is never opened.
// The result is "ok", "other_municipality", "never_handed_off" or "colleague".
const transcriptAccess = `SELECT c.municipality, c.state, c.created_at,
	CASE
		WHEN c.municipality <> $2 THEN 'other_municipality'
		WHEN NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id) THEN 'never_handed_off'
		WHEN EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id AND (
			$4::boolean
			OR (h.ended_at IS NULL AND h.claimed_by IS NULL)
			OR h.claimed_by = $3 OR h.seen_by = $3)) THEN 'ok'
		WHEN NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id
			AND (h.claimed_by IS NOT NULL OR h.claimed_at IS NOT NULL OR h.seen_at IS NOT NULL)) THEN 'never_handed_off'
		ELSE 'colleague'
	END
FROM conversations c WHERE c.id = $1`

// MayOpen reports whether an agent may (still) read a conversation, by the rule
// OpenTranscript applies, without reading or logging anything: nil, or ErrNotFound,
// ErrNotHandedOff or ErrNotYours. The hub asks it for the consoles following a
// conversation whose hand-off changed.
func (c *Conversations) MayOpen(ctx context.Context, a Agent, convID int64) error {
	var conv Conversation
	var verdict string
	err := c.pool.QueryRow(ctx, transcriptAccess, convID, a.Municipality, a.ID, a.Supervisor).
		Scan(&conv.Municipality, &conv.State, &conv.CreatedAt, &verdict)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("chat: may open: %w", err)
	}
	return verdictErr(verdict)
}

// verdictErr turns transcriptAccess's verdict into nil or the error saying why not.
func verdictErr(verdict string) error {
	switch verdict {
	case "ok":
		return nil
	case "never_handed_off":
		return ErrNotHandedOff
	case "colleague":
		return ErrNotYours
	default:
		return fmt.Errorf("%w (%s)", ErrNotYours, verdict)
	}
}

// OpenTranscript returns a conversation's transcript for a member of staff and
// records the read in the access log, in one transaction: the access rule
// (transcriptAccess) is checked in the same transaction that logs the read and reads
// the messages, so a transcript is never read without both. ErrNotFound when there is
// no such conversation, ErrNotHandedOff or ErrNotYours when the agent may not open it.
func (c *Conversations) OpenTranscript(ctx context.Context, a Agent, convID int64) (Transcript, error) {
	var t Transcript
	err := pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		conv := Conversation{ID: convID}
		var verdict string
		err := tx.QueryRow(ctx, transcriptAccess, convID, a.Municipality, a.ID, a.Supervisor).
			Scan(&conv.Municipality, &conv.State, &conv.CreatedAt, &verdict)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := verdictErr(verdict); err != nil {
			return err
		}
		role := audit.RoleAgent
		if a.Supervisor {
			role = audit.RoleSupervisor
		}
		if err := audit.Record(ctx, tx, audit.Reader{AccountID: a.ID, Name: a.Name, Role: role, Municipality: a.Municipality},
			audit.Console, audit.Ref{Conversation: convID}); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT `+messageColumns+`
			FROM messages m LEFT JOIN answers a ON a.id = m.answer_id
			WHERE m.conversation_id = $1 ORDER BY m.seq`, convID)
		msgs, err := pgx.CollectRows(rows, scanMessage)
		if err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `SELECT `+queueColumns+`
			FROM handoffs WHERE ended_at IS NULL AND conversation_id = $1`, convID)
		items, err := pgx.CollectRows(rows, pgx.RowToStructByName[QueueItem])
		if err != nil {
			return err
		}
		t = Transcript{Conversation: conv, Messages: msgs}
		if len(items) > 0 {
			t.Handoff = &items[0]
		}
		return nil
	})
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrNotHandedOff), errors.Is(err, ErrNotYours):
		return Transcript{}, err
	case err != nil:
		return Transcript{}, fmt.Errorf("chat: open transcript: %w", err)
	}
	return t, nil
}
