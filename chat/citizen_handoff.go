package chat

import (
	"context"
	"errors"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/pii"
	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

// The citizen's side of the hand-off on the websocket: asking for a person
// (handoff.request), typing to the agent, the call-back form, starting the hand-off
// an answer announced, and telling a citizen who waits long. The triage that decides
// a hand-off is in handoff.go, the queue it feeds in queue.go.

// Texts citizens read about the hand-off. Those that depend on whether a person can
// come are composed in availability.go.
const (
	queuedText = "Ik zet u door naar een medewerker van de gemeente. Blijf in dit venster; " +
		"u ziet hier wanneer iemand het gesprek overneemt."
	longWaitText = "Het duurt langer dan verwacht voordat een medewerker tijd heeft. U kunt blijven wachten, " +
		"of een terugbelverzoek achterlaten."
	callbackThanks = "Bedankt. We hebben uw terugbelverzoek ontvangen. Een medewerker neemt zo snel mogelijk contact met u op."
	callbackAgain  = "U heeft in dit gesprek al een terugbelverzoek gestuurd. Dat verzoek blijft staan: " +
		"een medewerker neemt zo snel mogelijk contact met u op."
)

type handoffMsg struct {
	Type     string `json:"type"`
	State    string `json:"state"`
	Reason   string `json:"reason,omitempty"`
	Text     string `json:"text,omitempty"`
	Position int    `json:"position,omitempty"`
	Callback bool   `json:"callback,omitempty"` // offer the call-back form
}

type callbackOKMsg struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// handoffMessage handles the citizen's hand-off messages: handoff.request (the
// "Praat met een medewerker" button), typing, and callback.
func (s *Server) handoffMessage(c *client, m inMessage) {
	ctx, cancel := c.dbContext()
	defer cancel()
	switch m.Type {
	case "typing":
		if conv, err := s.convs.Get(ctx, c.conv.ID); err == nil && conv.State == StateAgent {
			_ = s.convs.publish(ctx, event{Kind: eventTyping, Conv: c.conv.ID, Role: RoleCitizen})
		}
	case "handoff.request":
		if !s.allow(c, s.ipHandoffs, s.convHandoffs) {
			s.log.Warn("hand-off request rate limited", "conversation", c.conv.ID, "ip", c.ip)
			c.sendErrorText(ErrCodeRateLimited, m.ID, manyHandoffsText)
			return
		}
		summary := ""
		if h, err := s.convs.History(ctx, c.conv.ID); err == nil {
			for i := len(h) - 1; i >= 0; i-- {
				if h[i].Role == RoleCitizen {
					summary = h[i].Text
					break
				}
			}
		}
		t := answer.Triage{Reason: answer.ReasonRequest, Priority: 4, Topic: "verzoek"}
		if err := s.startHandoff(ctx, c, t, summary, nil); err != nil {
			s.log.Error("hand-off", "conversation", c.conv.ID, "err", err)
			c.sendError(ErrCodeUnavailable, m.ID)
		}
	case "callback":
		s.callback(ctx, c, m)
	}
}

// allow counts one request against the connection's address and its conversation,
// and reports whether both limits allow it.
func (s *Server) allow(c *client, byIP, byConv *throttle.Keyed) bool {
	now := time.Now()
	return byIP.Allow(c.ip, now) && byConv.Allow(strconv.FormatInt(c.conv.ID, 10), now)
}

// startHandoff queues the conversation for an agent when the contact centre is open
// and someone is online. Otherwise it tells the citizen so, with when the centre
// opens again, and offers a call-back; an emergency (the conversation's most serious
// reason, see MostSerious) is queued all the same, so that the first agent who comes
// online sees it, while any other hand-off is recorded as unavailable. told is the
// availability an answer already told the citizen, nil when no answer did (the
// citizen asked for a person).
func (s *Server) startHandoff(ctx context.Context, c *client, t answer.Triage, summary string, told *availability) error {
	conv, err := s.convs.Get(ctx, c.conv.ID)
	if err != nil {
		return err
	}
	av := told
	if av == nil {
		a := s.availability(ctx, conv.Municipality)
		av = &a
	}
	// What the citizen reads now: nothing more when a person can come (the state
	// change brings the place in the queue), otherwise the call-back offer, after the
	// availability when no answer told it.
	offline := handoffMsg{Type: "handoff", State: "offline", Reason: string(t.Reason), Text: callbackOffer, Callback: true}
	if told == nil {
		offline.Text = av.offlineText()
	}
	if conv.State == StateQueued || conv.State == StateAgent {
		if err := s.convs.Escalate(ctx, conv.ID, t); err != nil {
			return err
		}
		if conv.State == StateQueued && !av.staffed() {
			c.sendJSON(offline)
			return nil
		}
		pos, err := s.convs.Position(ctx, conv.ID)
		if err != nil {
			return err
		}
		c.sendJSON(handoffMsg{Type: "handoff", State: conv.State, Reason: string(t.Reason), Position: pos})
		return nil
	}
	if av.staffed() {
		// The citizen learns the state and queue position from the event this causes.
		_, err = s.convs.RequestHandoff(ctx, conv.ID, t, summary, queuedText)
		return err
	}
	serious, err := s.convs.MostSerious(ctx, conv.ID, t)
	if err != nil {
		return err
	}
	if serious.Reason.Emergency() {
		if _, err := s.convs.RequestHandoff(ctx, conv.ID, serious, summary, ""); err != nil {
			return err
		}
	} else if err := s.convs.RecordUnavailable(ctx, conv.ID, t, summary); err != nil {
		return err
	}
	c.sendJSON(offline)
	return nil
}

// afterAnswer starts the hand-off the answer announced; av is the availability its
// text told.
func (s *Server) afterAnswer(ctx context.Context, c *client, q Message, a answer.Answer, av availability) {
	if a.Outcome != answer.Handoff {
		return
	}
	t := answer.Triage{Reason: answer.HandoffReason(a.HandoffReason), Priority: a.Priority, Topic: a.HandoffTopic}
	if err := s.startHandoff(ctx, c, t, q.Text, &av); err != nil {
		s.log.Error("hand-off", "conversation", c.conv.ID, "err", err)
		c.sendError(ErrCodeUnavailable, q.ClientID)
	}
}

var phoneLike = regexp.MustCompile(`^\+?[0-9 ()-]{10,20}$`)

// callback stores a call-back request. The contact details are what the citizen
// gives to be contacted; they are kept only in the call-back request, never logged.
func (s *Server) callback(ctx context.Context, c *client, m inMessage) {
	name, contact := strings.TrimSpace(m.Name), strings.TrimSpace(m.Contact)
	question, _ := pii.Redact(strings.TrimSpace(m.Question))
	_, mailErr := mail.ParseAddress(contact)
	switch {
	case !m.Consent, name == "", utf8.RuneCountInString(name) > 100, utf8.RuneCountInString(question) > 1000,
		!phoneLike.MatchString(contact) && mailErr != nil:
		c.sendError(ErrCodeBadRequest, m.ID)
		return
	}
	if !s.allow(c, s.ipCallbacks, s.convCallbacks) {
		s.log.Warn("call-back request rate limited", "conversation", c.conv.ID, "ip", c.ip)
		c.sendErrorText(ErrCodeRateLimited, m.ID, manyCallbacksText)
		return
	}
	_, err := s.convs.AddCallback(ctx, c.conv.ID, Callback{Name: name, Contact: contact, Question: question})
	switch {
	case errors.Is(err, ErrCallbackOpen): // the first request stays as it is
		c.sendJSON(callbackOKMsg{Type: "callback.ok", Text: callbackAgain})
	case err != nil:
		s.log.Error("call-back", "conversation", c.conv.ID, "err", err)
		c.sendError(ErrCodeUnavailable, m.ID)
	default:
		c.sendJSON(callbackOKMsg{Type: "callback.ok", Text: callbackThanks})
	}
}

// watchWaits tells citizens who wait longer than the queue time-out so, with the
// offer of a call-back, until ctx ends.
func (s *Server) watchWaits(ctx context.Context) {
	tick := time.NewTicker(max(s.cfg.QueueTimeout/10, 100*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		ids, err := s.convs.LongWaits(ctx, s.cfg.QueueTimeout)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("long waits", "err", err)
			}
			continue
		}
		for _, id := range ids {
			if err := s.convs.publish(ctx, event{Kind: eventWaiting, Conv: id}); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Warn("long wait", "conversation", id, "err", err)
			}
		}
	}
}
