package chat

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/internal/pii"
)

// The citizen's conversation messages: hello (start or resume a conversation and
// its answer worker), question and feedback. The hand-off messages (handoff.request,
// typing, callback) are in citizen_handoff.go.

// hello starts or resumes the conversation and starts the worker.
func (c *client) hello(m inMessage) bool {
	if c.wake != nil {
		c.sendError(ErrCodeBadRequest, m.ID)
		return true
	}
	ctx, cancel := c.dbContext()
	defer cancel()
	token, resumed := m.Conversation, false
	var conv Conversation
	var err error
	if token != "" {
		conv, err = c.s.convs.Resume(ctx, token)
		resumed = err == nil
		if errors.Is(err, ErrNotFound) || (err == nil && conv.Municipality != c.municipality) {
			err, resumed = nil, false // expired, or from another municipality's site: start anew
		}
	}
	if err == nil && !resumed {
		if !c.s.ipConversations.Allow(c.ip, time.Now()) {
			c.s.log.Warn("new conversation rate limited", "ip", c.ip)
			c.sendErrorText(ErrCodeRateLimited, "", manyConversationsText)
			c.closeAfterSend(websocket.CloseTryAgainLater, "te veel nieuwe gesprekken; probeer het later opnieuw")
			return true
		}
		conv, token, err = c.s.convs.Create(ctx, c.municipality)
	}
	// Follow the conversation before reading it: what is stored meanwhile is sent
	// after the welcome (see gate).
	var topic string
	if err == nil {
		topic = citizenTopic(conv.ID)
		c.conv = conv
		c.hold(topic)
		c.s.hub.subscribe(c, topic, false)
	}
	if err == nil && resumed { // the state may have changed before the subscription
		var now Conversation
		now, err = c.s.convs.Get(ctx, conv.ID)
		conv.State = now.State
	}
	var history []Message
	if err == nil {
		history, err = c.s.convs.History(ctx, conv.ID)
	}
	if err != nil {
		c.s.log.Error("hello", "err", err)
		if topic != "" {
			c.s.hub.subscribe(c, topic, true)
			c.forget(topic)
		}
		c.sendError(ErrCodeUnavailable, "")
		c.closeAfterSend(websocket.CloseTryAgainLater, "probeer het later opnieuw")
		return true // the reader goes on until the writer closed the connection
	}
	if history == nil {
		history = []Message{}
	}
	c.helloDone.Store(true)
	c.wake = make(chan struct{}, 1)
	c.release(topic, mustJSON(welcomeMsg{Type: "welcome", Conversation: token, Resumed: resumed, State: conv.State, History: history}), lastSeq(history))

	// Start the worker, primed with the conversation so far. It begins with every
	// question stored but not answered before a disconnect, in order.
	w := worker{c: c, after: lastSeq(history), sent: map[int64]bool{}}
	for _, h := range history {
		w.observe(h)
	}
	c.s.wg.Add(1)
	go func() { defer c.s.wg.Done(); w.run() }()
	return true
}

// question stores a question, acknowledges it and queues it for the worker.
func (c *client) question(m inMessage) {
	text := strings.TrimSpace(m.Text)
	switch {
	case m.ID == "": // other ids were refused by handle
		c.sendError(ErrCodeBadRequest, m.ID)
		return
	case text == "":
		c.sendError(ErrCodeBadRequest, m.ID)
		return
	case utf8.RuneCountInString(text) > c.s.cfg.MaxQuestionRunes:
		c.sendError(ErrCodeTooLong, m.ID)
		return
	case !c.s.ipLimits.Allow(c.ip, time.Now()) || !c.s.convQuestions.Allow(strconv.FormatInt(c.conv.ID, 10), time.Now()):
		c.sendError(ErrCodeRateLimited, m.ID)
		return
	}
	redacted, found := pii.Redact(text)
	ctx, cancel := c.dbContext()
	defer cancel()
	msg, existing, err := c.s.convs.AddMessage(ctx, c.conv.ID, Message{Role: RoleCitizen, ClientID: m.ID, Text: redacted})
	if err != nil {
		c.s.log.Error("store question", "conversation", c.conv.ID, "err", err)
		c.sendError(ErrCodeUnavailable, m.ID)
		return
	}
	c.sendJSON(ackMsg{Type: "ack", ID: m.ID, Seq: msg.Seq})
	if !existing {
		c.s.metrics.question()
		c.s.log.Info("question", "conversation", c.conv.ID, "seq", msg.Seq, "chars", utf8.RuneCountInString(text), "redactions", len(found))
	} else if reply, err := c.s.convs.Reply(ctx, msg.ID); err == nil {
		c.sendJSON(answerMessage(m.ID, reply)) // a retry of a question answered before: the same answer again
		return
	}
	if msg.state == StateAgent {
		return // a person has the conversation: the message reached them, the bot stays silent
	}
	// The question is stored: the worker finds it (after the ones before it) and
	// answers it, however many arrive at once.
	select {
	case c.wake <- struct{}{}:
	default: // the worker will look anyway
	}
}

func (c *client) feedback(m inMessage) {
	if m.AnswerID <= 0 || m.Useful == nil || utf8.RuneCountInString(m.Comment) > 1000 {
		c.sendError(ErrCodeBadRequest, m.ID)
		return
	}
	comment, _ := pii.Redact(strings.TrimSpace(m.Comment))
	ctx, cancel := c.dbContext()
	defer cancel()
	err := c.s.convs.SaveFeedback(ctx, c.conv.ID, m.AnswerID, *m.Useful, comment)
	switch {
	case errors.Is(err, ErrNotFound):
		c.sendError(ErrCodeNotFound, m.ID)
	case err != nil:
		c.s.log.Error("store feedback", "conversation", c.conv.ID, "err", err)
		c.sendError(ErrCodeUnavailable, m.ID)
	default:
		c.s.metrics.feedback(*m.Useful)
		c.sendJSON(feedbackOKMsg{Type: "feedback.ok", AnswerID: m.AnswerID})
	}
}
