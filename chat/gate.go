package chat

import "github.com/gorilla/websocket"

// The history/live gate of a connection: a conversation's stored history and its
// live deliveries from the hub, sent without a gap or a repeat.

// A gate makes a conversation's history and its live messages meet without a gap or
// a repeat. The history is read after subscribing to the conversation's topic, so a
// message stored meanwhile is both in the history and delivered live, and a live
// message could overtake the history. While a history is read (hold … release), the
// gate holds the topic's deliveries back; release sends the history and then only the
// held and later messages that come after it (by seq). Messages are numbered in the
// order they are committed, so a history is every message up to its last seq.
type gate struct {
	reading int // histories being read; deliveries are held while > 0
	last    int // the last seq of the history sent last
	held    []delivery
	revoked bool // the right to follow ended while a history was read (see revoke)
}

// maxHeld bounds the deliveries a gate holds; a connection that gets more meanwhile is
// dropped, and reconnects.
const maxHeld = 256

// hold starts holding back a topic's deliveries. Call it before subscribing to the
// topic and reading the history, and release after.
func (c *client) hold(topic string) {
	c.gateMu.Lock()
	defer c.gateMu.Unlock()
	g := c.gates[topic]
	if g == nil {
		g = &gate{}
		c.gates[topic] = g
	}
	g.reading++
}

// release sends history (the message carrying a conversation's messages up to seq
// last; nil when it could not be read) and, once no other history of the topic is
// being read, the deliveries held back that came after it.
func (c *client) release(topic string, history []byte, last int) {
	c.gateMu.Lock()
	defer c.gateMu.Unlock()
	g := c.gates[topic]
	if g == nil || g.reading == 0 { // forgotten meanwhile: nothing is held
		if history != nil {
			c.enqueue(history)
		}
		return
	}
	g.reading--
	if g.revoked {
		// The history was read while the console still had the right; it may not
		// follow what comes after, and is told so after the history.
		if history != nil {
			c.enqueue(history)
		}
		if g.reading == 0 {
			delete(c.gates, topic)
			c.s.metrics.error(ErrCodeViewClosed)
			c.enqueue(mustJSON(errorMsg{Type: "error", Code: ErrCodeViewClosed, Message: staffErrorTexts[ErrCodeViewClosed]}))
		}
		return
	}
	if history != nil {
		c.enqueue(history)
		g.last = last
	}
	if g.reading > 0 {
		return
	}
	for _, d := range g.held {
		if d.seq == 0 || d.seq > g.last {
			c.enqueue(d.msg)
		}
	}
	g.held = nil
}

// lastSeq is the seq of the last message of a history, 0 for none.
func lastSeq(history []Message) int {
	if len(history) == 0 {
		return 0
	}
	return history[len(history)-1].Seq
}

// forget drops a topic's gate once the connection has left the topic.
// revoke drops what the gate of a topic the console may no longer follow holds back.
// It reports whether a history of the topic is being read: an open in progress, which
// answers for itself (a refusal, or the history followed by ErrCodeViewClosed: see
// release), so that the console is not told that a view closed which it never had.
func (c *client) revoke(topic string) (opening bool) {
	c.gateMu.Lock()
	defer c.gateMu.Unlock()
	if g := c.gates[topic]; g != nil && g.reading > 0 {
		g.revoked, g.held = true, nil
		return true
	}
	delete(c.gates, topic)
	return false
}

func (c *client) forget(topic string) {
	c.gateMu.Lock()
	delete(c.gates, topic)
	c.gateMu.Unlock()
}

// deliver queues a live message of a topic the connection follows (called by the hub).
func (c *client) deliver(d delivery) {
	c.gateMu.Lock()
	defer c.gateMu.Unlock()
	g := c.gates[d.topic]
	switch {
	case g == nil:
		c.enqueue(d.msg)
	case g.reading > 0 && len(g.held) < maxHeld:
		g.held = append(g.held, d)
	case g.reading > 0:
		c.s.log.Warn("too many messages while sending a history; dropping the connection", "conversation", c.conv.ID)
		go c.closeWith(websocket.ClosePolicyViolation, "te langzaam")
	case d.seq != 0 && d.seq <= g.last: // in the history sent
	default:
		c.enqueue(d.msg)
	}
}
