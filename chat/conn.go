package chat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// A websocket connection's lifecycle, for a citizen's widget and a staff console
// alike: the client, its reader (which dispatches each message), its writer with
// pings and write deadlines, the read limit and deadlines, and the one way it ends
// (shutdown), from whichever goroutine notices first.

// client is one websocket connection: a reader (run), a writer and, after hello, a
// worker that answers the conversation's questions one at a time.
type client struct {
	s            *Server
	conn         *websocket.Conn
	municipality string
	ip           string
	send         chan frame    // never closed; the writer stops on done
	done         chan struct{} // closed when the connection ends
	closeOnce    sync.Once
	ctx          context.Context // cancelled when the connection ends: stops an answer in progress
	cancel       context.CancelFunc
	agent        *Agent // set for a staff console connection
	session      string // the agent's session token

	answerMu   sync.Mutex
	answerStop context.CancelFunc // cancels the answer in progress

	gateMu sync.Mutex
	gates  map[string]*gate // by topic: conversations whose history is being sent

	// Set by hello, then read-only.
	conv      Conversation
	wake      chan struct{} // a question was stored: the worker looks for questions to answer
	helloDone atomic.Bool   // hello succeeded: the hello deadline no longer applies
}

func newClient(s *Server, conn *websocket.Conn, municipality, ip string) *client {
	ctx, cancel := context.WithCancel(context.Background())
	return &client{s: s, conn: conn, municipality: municipality, ip: ip,
		send: make(chan frame, 64), done: make(chan struct{}), ctx: ctx, cancel: cancel, gates: map[string]*gate{}}
}

// frame is what the writer sends: a text message, or a close after the messages
// queued before it.
type frame struct {
	data      []byte
	closeCode int
	closeText string
}

// closeAfterSend closes the connection once the messages queued so far are sent.
func (c *client) closeAfterSend(code int, text string) {
	select {
	case c.send <- frame{closeCode: code, closeText: text}:
	case <-c.done:
	default:
		go c.closeWith(code, text)
	}
}

// closeWith ends the connection with a close frame; safe from any goroutine.
func (c *client) closeWith(code int, text string) { c.shutdown(code, text, false) }

// rejectFrame closes the connection because of the frame being read. It is called
// only by the reader. Unread bytes of that frame may still be arriving; closing the
// socket with them unread would make the kernel send a reset, and the client could
// lose the close frame that says why. So the rest is read and discarded, for a
// short while and up to a limit, before the socket is closed.
func (c *client) rejectFrame(code int, text string) { c.shutdown(code, text, true) }

func (c *client) shutdown(code int, text string, drain bool) {
	c.closeOnce.Do(func() {
		msg := websocket.FormatCloseMessage(code, text)
		_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		close(c.done)
		c.cancel()
		if drain {
			nc := c.conn.NetConn()
			_ = nc.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
			_, _ = io.Copy(io.Discard, io.LimitReader(nc, 1<<20))
		}
		_ = c.conn.Close()
	})
}

// enqueue queues a message for the writer. A client too slow to keep up is dropped;
// it reconnects and resumes from the database.
func (c *client) enqueue(b []byte) {
	select {
	case c.send <- frame{data: b}:
	case <-c.done:
	default:
		c.s.log.Warn("websocket send buffer full; dropping the connection", "conversation", c.conv.ID)
		go c.closeWith(websocket.ClosePolicyViolation, "te langzaam")
	}
}

func (c *client) sendJSON(v any) {
	b, err := json.Marshal(v)
	if err != nil { // our own message types always marshal
		c.s.log.Error("marshal websocket message", "err", err)
		return
	}
	c.enqueue(b)
}

func (c *client) sendError(code, id string) { c.sendErrorText(code, id, errorTexts[code]) }

// sendErrorText sends an error with a text of its own, for a case the code's usual
// text does not fit.
func (c *client) sendErrorText(code, id, text string) {
	c.s.metrics.error(code)
	c.sendJSON(errorMsg{Type: "error", Code: code, Message: text, ID: id})
}

// run is the reader; it returns when the connection ends, after stopping the writer
// and the worker.
func (c *client) run() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); c.write() }()
	defer func() {
		c.closeWith(websocket.CloseNormalClosure, "")
		wg.Wait()
	}()

	cfg := c.s.cfg
	c.conn.SetReadLimit(cfg.MaxMessageBytes)
	_ = c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait)) })
	if c.agent == nil {
		// A citizen's connection that does not start a conversation soon only holds a
		// file descriptor: pings and other messages do not keep it open.
		t := time.AfterFunc(cfg.HelloTimeout, func() {
			if !c.helloDone.Load() {
				c.s.metrics.error("hello_timeout")
				c.closeWith(websocket.ClosePolicyViolation, closeNoHello)
			}
		})
		defer t.Stop()
	}
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.s.metrics.error("too_large")
				c.rejectFrame(websocket.CloseMessageTooBig, "bericht te groot")
			}
			return
		}
		_ = c.conn.SetReadDeadline(time.Now().Add(cfg.PongWait))
		if kind != websocket.TextMessage {
			c.s.metrics.error("binary")
			c.rejectFrame(websocket.CloseUnsupportedData, "alleen tekstberichten")
			return
		}
		var m inMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.sendError(ErrCodeBadJSON, "")
			continue
		}
		if !c.handle(m) {
			return
		}
	}
}

// handle handles one message; false ends the connection.
func (c *client) handle(m inMessage) bool {
	if !readableText(m) {
		id := m.ID
		if !validClientID(id) {
			id = ""
		}
		c.sendErrorText(ErrCodeBadRequest, id, badTextText)
		return true
	}
	if c.agent != nil {
		return c.s.agentMessage(c, m)
	}
	if m.ID != "" && !validClientID(m.ID) {
		c.sendErrorText(ErrCodeBadRequest, "", badIDText) // not echoed: it may hold what the citizen typed
		return true
	}
	if m.Type != "hello" && c.wake == nil {
		if !knownType(m.Type) {
			c.sendError(ErrCodeUnknownType, m.ID)
		} else {
			c.sendError(ErrCodeBadRequest, m.ID) // hello must come first
		}
		return true
	}
	switch m.Type {
	case "hello":
		return c.hello(m)
	case "question":
		c.question(m)
	case "feedback":
		c.feedback(m)
	case "handoff.request", "typing", "callback":
		c.s.handoffMessage(c, m)
	default:
		c.sendError(ErrCodeUnknownType, m.ID)
	}
	return true
}

// dbContext bounds one database step of handling a message.
func (c *client) dbContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, 10*time.Second)
}

// write is the writer: it sends queued messages and pings until the connection ends.
func (c *client) write() {
	ping := time.NewTicker(c.s.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case f := <-c.send:
			if f.closeCode != 0 {
				c.closeWith(f.closeCode, f.closeText)
				return
			}
			_ = c.conn.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteWait))
			if err := c.conn.WriteMessage(websocket.TextMessage, f.data); err != nil {
				go c.closeWith(websocket.CloseAbnormalClosure, "")
				return
			}
		case <-ping.C:
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.s.cfg.WriteWait)); err != nil {
				go c.closeWith(websocket.CloseAbnormalClosure, "")
				return
			}
		case <-c.done:
			return
		}
	}
}
