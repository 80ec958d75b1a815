package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// notifyChannel is the PostgreSQL channel every serve instance listens on. A message
// stored by one instance reaches the citizen and agent connections of all instances
// through it: no broker besides PostgreSQL.
const notifyChannel = "vraagbaak"

// Kinds of events.
const (
	eventMessage = "msg"    // a message was stored: Conv, Seq
	eventState   = "state"  // a conversation's state changed: Conv
	eventQueue   = "queue"  // a municipality's queue or call-backs changed: Municipality
	eventTyping  = "typing" // someone types: Conv, Role
	eventWaiting = "wait"   // a waiting citizen is told the wait is long: Conv
)

// event is the payload of a notification (at most 8000 bytes: ids only).
type event struct {
	Kind         string `json:"k"`
	Conv         int64  `json:"c,omitempty"`
	Seq          int    `json:"s,omitempty"`
	Municipality string `json:"m,omitempty"`
	Role         string `json:"r,omitempty"`
}

// publish sends an event outside a transaction.
func (c *Conversations) publish(ctx context.Context, ev event) error {
	if err := notify(ctx, c.pool, ev); err != nil {
		return fmt.Errorf("chat: notify: %w", err)
	}
	return nil
}

// listen receives the events of every instance until ctx ends, reconnecting with
// back-off when the database goes away.
func (s *Server) listen(ctx context.Context, pool *pgxpool.Pool) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, pool, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("listening for events failed; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 10*time.Second)
	}
}

func (s *Server) listenOnce(ctx context.Context, pool *pgxpool.Pool, connected func()) error {
	pc, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pc.Hijack() // a listening connection must not go back to the pool
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	connected()
	s.listeningOnce.Do(func() { close(s.listening) })
	s.resync(ctx) // events may have been missed while disconnected
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var ev event
		if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
			s.log.Error("bad event", "payload", n.Payload, "err", err)
			continue
		}
		if err := s.route(ctx, ev); err != nil && ctx.Err() == nil {
			s.log.Error("route event", "kind", ev.Kind, "conversation", ev.Conv, "err", err)
		}
	}
}

// resync sends every agent connection a fresh queue.
func (s *Server) resync(ctx context.Context) {
	s.agentsMu.Lock()
	municipalities := make([]string, 0, len(s.agentMunicipalities))
	for m := range s.agentMunicipalities {
		municipalities = append(municipalities, m)
	}
	s.agentsMu.Unlock()
	for _, m := range municipalities {
		if err := s.route(ctx, event{Kind: eventQueue, Municipality: m}); err != nil {
			s.log.Warn("resync queue", "municipality", m, "err", err)
		}
	}
}

type messageMsg struct {
	Type string `json:"type"`
	Message
}

type agentMessageMsg struct {
	Type         string  `json:"type"`
	Conversation int64   `json:"conversation"`
	Message      Message `json:"message"`
}

type stateMsg struct {
	Type         string     `json:"type"`
	Conversation int64      `json:"conversation"`
	State        string     `json:"state"`
	Handoff      *QueueItem `json:"handoff,omitempty"`
}

type typingMsg struct {
	Type         string `json:"type"`
	Conversation int64  `json:"conversation,omitempty"`
	Role         string `json:"role"`
}

type queueMsg struct {
	Type      string      `json:"type"`
	Items     []QueueItem `json:"items"`
	Callbacks []Callback  `json:"callbacks"`
	Online    int         `json:"online"`
}

// route turns an event into messages for the connections on this instance.
func (s *Server) route(ctx context.Context, ev event) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	switch ev.Kind {
	case eventMessage:
		m, err := s.convs.Message(ctx, ev.Conv, ev.Seq)
		if err != nil {
			return err
		}
		if m.Role == RoleAgent || m.Role == RoleSystem { // the citizen's own messages and answers reach them directly
			s.hub.deliverTo(delivery{topic: citizenTopic(ev.Conv), msg: mustJSON(messageMsg{Type: "message", Message: m}), seq: m.Seq})
		}
		s.hub.deliverTo(delivery{topic: watchTopic(ev.Conv), msg: mustJSON(agentMessageMsg{Type: "message", Conversation: ev.Conv, Message: m}), seq: m.Seq})
	case eventState:
		conv, err := s.convs.Get(ctx, ev.Conv)
		if err != nil {
			return err
		}
		h := handoffMsg{Type: "handoff", State: conv.State}
		var item *QueueItem
		if open, err := s.convs.OpenHandoff(ctx, ev.Conv); err == nil {
			item = &open
			h.Reason = open.Reason
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		// A place in a queue nobody serves now is no news: the citizen was told
		// when the contact centre opens again.
		if conv.State == StateQueued && s.availability(ctx, conv.Municipality).staffed() {
			if h.Position, err = s.convs.Position(ctx, ev.Conv); err != nil {
				return err
			}
		}
		s.hub.deliverTo(delivery{topic: citizenTopic(ev.Conv), msg: mustJSON(h), cancelAnswer: conv.State == StateAgent})
		s.hub.deliverTo(delivery{topic: watchTopic(ev.Conv), msg: mustJSON(stateMsg{Type: "state", Conversation: ev.Conv, State: conv.State, Handoff: item})})
		s.revokeWatchers(ctx, ev.Conv)
	case eventTyping:
		if ev.Role == RoleAgent {
			s.hub.deliverTo(delivery{topic: citizenTopic(ev.Conv), msg: mustJSON(typingMsg{Type: "typing", Role: RoleAgent})})
		} else {
			s.hub.deliverTo(delivery{topic: watchTopic(ev.Conv), msg: mustJSON(typingMsg{Type: "typing", Conversation: ev.Conv, Role: RoleCitizen})})
		}
	case eventWaiting:
		conv, err := s.convs.Get(ctx, ev.Conv)
		if err != nil {
			return err
		}
		text := longWaitText
		if av := s.availability(ctx, conv.Municipality); !av.staffed() {
			text = av.offlineText()
		}
		s.hub.deliverTo(delivery{topic: citizenTopic(ev.Conv), msg: mustJSON(handoffMsg{Type: "handoff", State: StateQueued, Text: text, Callback: true})})
	case eventQueue:
		items, err := s.convs.Queue(ctx, ev.Municipality)
		if err != nil {
			return err
		}
		cbs, err := s.convs.Callbacks(ctx, ev.Municipality)
		if err != nil {
			return err
		}
		online, err := s.convs.AgentsOnline(ctx, ev.Municipality)
		if err != nil {
			return err
		}
		if items == nil {
			items = []QueueItem{}
		}
		if cbs == nil {
			cbs = []Callback{}
		}
		s.hub.deliverTo(delivery{topic: queueTopic(ev.Municipality), msg: mustJSON(queueMsg{Type: "queue", Items: items, Callbacks: cbs, Online: online})})
	}
	return nil
}

// mustJSON marshals one of the protocol's message types, which cannot fail; if one
// did, nothing would be delivered.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
