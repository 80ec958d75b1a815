package chat

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

// The staff console's websocket (/staff/ws), which speaks the staff part of
// docs/protocol.md: the connection's start (ServeStaff), the staff error codes and
// messages, the staff actions (claim, reply, hand back, close, transfer, …), opening
// a conversation's transcript and ending a watch a colleague's claim revoked. The
// agent's presence while the console is open is in presence.go. The session is
// checked by the caller (cmd wraps the handler with the staff package's
// middleware), which puts the agent in the request context.

type agentKey struct{}

type agentIdentity struct {
	agent   Agent
	session string
}

// WithAgent returns a context carrying the agent a staff request belongs to and their
// session token (re-validated with ServerConfig.CheckSession while the console is open).
func WithAgent(ctx context.Context, a Agent, session string) context.Context {
	return context.WithValue(ctx, agentKey{}, agentIdentity{a, session})
}

// Staff error codes, with the Dutch text staff read.
const (
	ErrCodeClaimed        = "claimed"
	ErrCodeSessionExpired = "session_expired"
	ErrCodeForbidden      = "forbidden"
	ErrCodeNotHandedOff   = "not_handed_off"
	ErrCodeViewClosed     = "view_closed"
)

var staffErrorTexts = map[string]string{
	ErrCodeClaimed:        "Een collega heeft dit gesprek al overgenomen.",
	ErrCodeSessionExpired: "Uw sessie is verlopen. Log opnieuw in.",
	ErrCodeForbidden:      "Dit gesprek hoort niet bij uw gemeente of is niet van u.",
	ErrCodeNotHandedOff:   "Dit gesprek is niet aan een medewerker overgedragen. U kunt alleen gesprekken openen die in de wachtrij staan of die u zelf behandelt of behandeld heeft.",
	ErrCodeViewClosed:     "Een collega behandelt dit gesprek nu. U kunt het niet meer volgen.",
	ErrCodeNotFound:       "Dat gesprek of verzoek bestaat niet (meer).",
	ErrCodeBadRequest:     "Dat bericht klopt niet.",
	ErrCodeUnknownType:    "Dat bericht ken ik niet.",
	ErrCodeBadJSON:        "Dat bericht kon niet worden gelezen.",
	ErrCodeUnavailable:    "Dat lukt nu niet. Probeer het zo opnieuw.",
}

type agentWelcomeMsg struct {
	Type         string `json:"type"`
	Name         string `json:"name"`
	Municipality string `json:"municipality"`
	AccountID    int64  `json:"account_id"`
}

type conversationMsg struct {
	Type         string     `json:"type"`
	Conversation int64      `json:"conversation"`
	State        string     `json:"state"`
	Municipality string     `json:"municipality"`
	Handoff      *QueueItem `json:"handoff,omitempty"`
	Messages     []Message  `json:"messages"`
}

type colleaguesMsg struct {
	Type       string      `json:"type"`
	Colleagues []colleague `json:"colleagues"`
}

type colleague struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type okMsg struct {
	Type string `json:"type"`
	ID   string `json:"id,omitempty"`
	Of   string `json:"of"`
}

// ServeStaff upgrades a staff console's request for /staff/ws. Only the server's own
// origin may open it.
func (s *Server) ServeStaff(w http.ResponseWriter, r *http.Request) {
	id, ok := r.Context().Value(agentKey{}).(agentIdentity)
	if !ok {
		http.Error(w, "no staff session", http.StatusUnauthorized)
		return
	}
	if o := r.Header.Get("Origin"); o != "" {
		if u, err := url.Parse(o); err != nil || !strings.EqualFold(u.Host, r.Host) {
			http.Error(w, "origin not allowed", http.StatusForbidden)
			return
		}
	}
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := newClient(s, conn, id.agent.Municipality, throttle.ClientIP(r, s.cfg.TrustedProxies))
	a := id.agent
	c.agent, c.session = &a, id.session
	if !s.hub.add(c) {
		c.closeWith(websocket.CloseGoingAway, "de server stopt even")
		return
	}
	s.agentsMu.Lock()
	s.agentMunicipalities[a.Municipality]++
	s.agentConns[a.ID]++
	s.agentsMu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); s.agentPresence(c) }()
		c.run()
		wg.Wait()
		s.hub.remove(c)
		s.agentsMu.Lock()
		if s.agentMunicipalities[a.Municipality]--; s.agentMunicipalities[a.Municipality] <= 0 {
			delete(s.agentMunicipalities, a.Municipality)
		}
		s.agentsMu.Unlock()
	}()
	s.hub.subscribe(c, queueTopic(a.Municipality), false)
	c.sendJSON(agentWelcomeMsg{Type: "welcome", Name: a.Name, Municipality: a.Municipality, AccountID: a.ID})
	ctx, cancel := c.dbContext()
	defer cancel()
	if err := s.convs.SeeAgent(ctx, a, s.instance, true); err != nil {
		s.log.Error("agent presence", "err", err)
	}
	// Everyone's queue changes: one more agent online. This connection gets it too.
	_ = s.convs.publish(ctx, event{Kind: eventQueue, Municipality: a.Municipality})
	// Reopen the conversations this agent holds.
	if items, err := s.convs.Queue(ctx, a.Municipality); err == nil {
		for _, it := range items {
			if it.ClaimedBy == a.ID {
				s.openConversation(ctx, c, it.Conversation)
			}
		}
	}
}

func (s *Server) staffError(c *client, code, id string) {
	s.metrics.error(code)
	c.sendJSON(errorMsg{Type: "error", Code: code, Message: staffErrorTexts[code], ID: id})
}

// agentMessage handles one message from a staff console; false ends the connection.
func (s *Server) agentMessage(c *client, m inMessage) bool {
	if !s.sessionValid(c) {
		return true // the writer closes the connection after the error
	}
	a := *c.agent
	ctx, cancel := c.dbContext()
	defer cancel()
	if m.ConvID != 0 && m.Type != "callback.done" {
		conv, err := s.convs.Get(ctx, m.ConvID)
		if errors.Is(err, ErrNotFound) {
			s.staffError(c, ErrCodeNotFound, m.ID)
			return true
		}
		if err != nil {
			s.staffError(c, ErrCodeUnavailable, m.ID)
			return true
		}
		if conv.Municipality != a.Municipality {
			s.staffError(c, ErrCodeForbidden, m.ID)
			return true
		}
	}
	var err error
	switch m.Type {
	case "hello":
		return true // the welcome was sent on connecting
	case "open":
		s.openConversation(ctx, c, m.ConvID)
		return true
	case "close.view":
		s.hub.subscribe(c, watchTopic(m.ConvID), true)
		c.forget(watchTopic(m.ConvID))
		return true
	case "claim":
		err = s.convs.Claim(ctx, m.ConvID, a)
		if err == nil {
			s.openConversation(ctx, c, m.ConvID)
		}
	case "reply":
		text := strings.TrimSpace(m.Text)
		if text == "" || utf8.RuneCountInString(text) > 4000 {
			s.staffError(c, ErrCodeBadRequest, m.ID)
			return true
		}
		_, err = s.convs.AgentMessage(ctx, m.ConvID, a, text)
	case "typing":
		err = s.convs.publish(ctx, event{Kind: eventTyping, Conv: m.ConvID, Role: RoleAgent})
	case "seen":
		err = s.convs.MarkSeen(ctx, m.ConvID, a)
	case "handback":
		err = s.convs.EndHandoff(ctx, m.ConvID, a, "returned")
	case "close":
		if !closeOutcomes[m.Outcome] {
			s.staffError(c, ErrCodeBadRequest, m.ID)
			return true
		}
		err = s.convs.EndHandoff(ctx, m.ConvID, a, m.Outcome)
	case "transfer":
		var to *Agent
		colleagues, cerr := s.convs.Colleagues(ctx, a.Municipality)
		for i := range colleagues {
			if colleagues[i].ID == m.To && m.To != a.ID {
				to = &colleagues[i]
			}
		}
		switch {
		case cerr != nil:
			err = cerr
		case to == nil:
			err = ErrNotFound
		default:
			err = s.convs.Transfer(ctx, m.ConvID, a, to.ID, to.Name)
		}
	case "colleagues":
		colleagues, cerr := s.convs.Colleagues(ctx, a.Municipality)
		if cerr != nil {
			err = cerr
			break
		}
		out := colleaguesMsg{Type: "colleagues", Colleagues: []colleague{}}
		for _, col := range colleagues {
			if col.ID != a.ID {
				out.Colleagues = append(out.Colleagues, colleague{col.ID, col.Name})
			}
		}
		c.sendJSON(out)
		return true
	case "callback.done":
		err = s.convs.CallbackDone(ctx, m.CallbackID, a)
	default:
		s.staffError(c, ErrCodeUnknownType, m.ID)
		return true
	}
	switch {
	case errors.Is(err, ErrClaimed):
		s.staffError(c, ErrCodeClaimed, m.ID)
	case errors.Is(err, ErrNotFound):
		s.staffError(c, ErrCodeForbidden, m.ID)
	case err != nil:
		s.log.Error("staff action", "type", m.Type, "conversation", m.ConvID, "err", err)
		s.staffError(c, ErrCodeUnavailable, m.ID)
	default:
		c.sendJSON(okMsg{Type: "ok", ID: m.ID, Of: m.Type})
	}
	return true
}

// openConversation sends an agent a conversation's transcript, with the bot's
// answers and their citations, and keeps them informed of what follows: the messages
// stored after the transcript, each once (see gate). Whether they may open it at all,
// and the record of the read in the access log, are decided by OpenTranscript; a
// refused or unlogged read leaves the conversation's topic again, unread.
func (s *Server) openConversation(ctx context.Context, c *client, convID int64) {
	topic := watchTopic(convID)
	c.hold(topic)
	s.hub.subscribe(c, topic, false)
	t, err := s.convs.OpenTranscript(ctx, *c.agent, convID)
	if err != nil {
		// Leave the topic before dropping its gate, so that nothing held back or
		// delivered meanwhile reaches a console that may not read it.
		s.hub.subscribe(c, topic, true)
		c.forget(topic)
		switch {
		case errors.Is(err, ErrNotHandedOff):
			s.log.Warn("staff open refused: the conversation was never handed off to staff",
				"account_id", c.agent.ID, "conversation", convID)
			s.staffError(c, ErrCodeNotHandedOff, "")
		case errors.Is(err, ErrNotYours):
			s.log.Warn("staff open refused: the conversation is a colleague's or another municipality's, and the agent is no supervisor of it",
				"account_id", c.agent.ID, "conversation", convID, "err", err)
			s.staffError(c, ErrCodeForbidden, "")
		case errors.Is(err, ErrNotFound):
			s.staffError(c, ErrCodeNotFound, "")
		default:
			s.log.Error("staff open: transcript not read or its access not logged; not sent", "account_id", c.agent.ID, "conversation", convID, "err", err)
			s.staffError(c, ErrCodeUnavailable, "")
		}
		return
	}
	out := conversationMsg{Type: "conversation", Conversation: convID, State: t.Conversation.State,
		Municipality: t.Conversation.Municipality, Handoff: t.Handoff, Messages: t.Messages}
	if out.Messages == nil {
		out.Messages = []Message{}
	}
	c.release(topic, mustJSON(out), lastSeq(t.Messages))
}

// revokeWatchers stops the consoles on this instance that follow a conversation but
// may no longer read it (a colleague claimed what was waiting when they opened it)
// from getting its messages, and tells them so. Called when the conversation's state
// changes, before its later messages are routed. A console whose right cannot be
// checked now keeps following; the next change checks again.
func (s *Server) revokeWatchers(ctx context.Context, convID int64) {
	topic := watchTopic(convID)
	for _, c := range s.hub.subscribers(topic) {
		if c.agent == nil {
			continue
		}
		err := s.convs.MayOpen(ctx, *c.agent, convID)
		switch {
		case err == nil:
			continue
		case !errors.Is(err, ErrNotYours) && !errors.Is(err, ErrNotHandedOff) && !errors.Is(err, ErrNotFound):
			s.log.Warn("staff watch: cannot check access; the console keeps following", "account_id", c.agent.ID, "conversation", convID, "err", err)
			continue
		}
		s.hub.subscribe(c, topic, true)
		if c.revoke(topic) {
			// Still opening it: the open's own reply says what became of it.
			s.log.Info("staff watch ended while opening: the conversation is no longer this agent's to read", "account_id", c.agent.ID, "conversation", convID)
			continue
		}
		s.log.Info("staff watch ended: the conversation is no longer this agent's to read", "account_id", c.agent.ID, "conversation", convID)
		s.metrics.error(ErrCodeViewClosed)
		c.sendJSON(errorMsg{Type: "error", Code: ErrCodeViewClosed, Message: staffErrorTexts[ErrCodeViewClosed], Conversation: convID})
	}
}
