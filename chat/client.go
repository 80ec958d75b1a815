package chat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/internal/pii"
)

// Error codes of the protocol, with the fixed Dutch text a citizen reads.
const (
	ErrCodeBadJSON     = "bad_json"
	ErrCodeUnknownType = "unknown_type"
	ErrCodeBadRequest  = "bad_request"
	ErrCodeTooLong     = "too_long"
	ErrCodeRateLimited = "rate_limited"
	ErrCodeBusy        = "busy"
	ErrCodeNotFound    = "not_found"
	ErrCodeUnavailable = "unavailable"
)

var errorTexts = map[string]string{
	ErrCodeBadJSON:     "Dat bericht kon ik niet lezen. Probeer het opnieuw.",
	ErrCodeUnknownType: "Dat bericht kon ik niet lezen. Probeer het opnieuw.",
	ErrCodeBadRequest:  "Er ging iets mis met uw bericht. Probeer het opnieuw.",
	ErrCodeTooLong:     "Uw vraag is te lang. Schrijf hem korter, in hoogstens 1000 tekens.",
	ErrCodeRateLimited: "U stelt veel vragen kort na elkaar. Wacht even en probeer het dan opnieuw.",
	ErrCodeBusy:        "Ik ben nog bezig met uw vorige vragen. Een ogenblik geduld.",
	ErrCodeNotFound:    "Dat gesprek of antwoord kon ik niet vinden.",
	ErrCodeUnavailable: "Het lukt nu even niet om uw vraag te beantwoorden. Probeer het over een paar minuten opnieuw. " +
		"Of bel 14 gevolgd door het netnummer van uw gemeente.",
}

// inMessage is any message from the widget; which fields count depends on Type.
type inMessage struct {
	Type         string `json:"type"`
	V            int    `json:"v"`
	Conversation string `json:"conversation"`
	ID           string `json:"id"`
	Text         string `json:"text"`
	AnswerID     int64  `json:"answer_id"`
	Useful       *bool  `json:"useful"`
	Comment      string `json:"comment"`

	// callback
	Name     string `json:"name"`
	Contact  string `json:"contact"`
	Question string `json:"question"`
	Consent  bool   `json:"consent"`

	// staff console
	ConvID     int64  `json:"conversation_id"`
	CallbackID int64  `json:"callback_id"`
	Outcome    string `json:"outcome"`
	To         int64  `json:"to"`
}

type welcomeMsg struct {
	Type         string    `json:"type"`
	Conversation string    `json:"conversation"`
	Resumed      bool      `json:"resumed"`
	State        string    `json:"state"`
	History      []Message `json:"history"`
}

type ackMsg struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Seq  int    `json:"seq"`
}

type deltaMsg struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Text string `json:"text"`
}

type answerMsg struct {
	Type          string     `json:"type"`
	ID            string     `json:"id"`
	AnswerID      int64      `json:"answer_id"`
	Seq           int        `json:"seq"`
	Outcome       Outcome    `json:"outcome"`
	Text          string     `json:"text"`
	Citations     []Citation `json:"citations"`
	HandoffReason string     `json:"handoff_reason"`
	// Offer, for a refusal: "agent" (a person can take over now) or "callback"
	// (nobody can; offer the call-back form).
	Offer string `json:"offer,omitempty"`
}

type feedbackOKMsg struct {
	Type     string `json:"type"`
	AnswerID int64  `json:"answer_id"`
}

type errorMsg struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	ID      string `json:"id,omitempty"`
}

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

func (c *client) setAnswerCancel(f context.CancelFunc) {
	c.answerMu.Lock()
	c.answerStop = f
	c.answerMu.Unlock()
}

// cancelAnswer stops the answer in progress, if any: a person took over.
func (c *client) cancelAnswer() {
	c.answerMu.Lock()
	if c.answerStop != nil {
		c.answerStop()
	}
	c.answerMu.Unlock()
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

// Texts of errors that the code's usual text does not fit.
const (
	badTextText           = "Uw bericht bevat tekens die ik niet kan lezen. Haal ze weg en probeer het opnieuw."
	badIDText             = "Er ging iets mis met uw bericht. Vernieuw de pagina en probeer het opnieuw."
	manyConversationsText = "Er worden vanaf uw adres veel gesprekken kort na elkaar gestart. " +
		"Wacht een paar minuten en probeer het dan opnieuw."
	manyHandoffsText  = "U heeft al gevraagd om een medewerker. Wacht even en probeer het dan opnieuw."
	manyCallbacksText = "U heeft veel terugbelverzoeken kort na elkaar gestuurd. Wacht even en probeer het dan opnieuw."
)

// clientIDRe matches a client message id: an opaque token.
var clientIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// validClientID reports whether id is an opaque token (letters, digits, "-" and "_",
// at most 64) and not itself personal data such as a BSN or a phone number: ids are
// stored as they are, without redaction, so nothing a citizen types may end up in one.
func validClientID(id string) bool {
	if !clientIDRe.MatchString(id) {
		return false
	}
	redacted, _ := pii.Redact(id)
	for _, label := range pii.Labels {
		if redacted == label {
			return false
		}
	}
	return true
}

// readableText reports whether a client's message holds only text PostgreSQL can
// store: no NUL character (JSON decoding already replaced invalid UTF-8).
func readableText(m inMessage) bool {
	for _, s := range []string{m.Type, m.Conversation, m.ID, m.Text, m.Comment, m.Name, m.Contact, m.Question, m.Outcome} {
		if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
			return false
		}
	}
	return true
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

func knownType(t string) bool {
	switch t {
	case "hello", "question", "feedback", "handoff.request", "typing", "callback":
		return true
	}
	return false
}

// dbContext bounds one database step of handling a message.
func (c *client) dbContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.ctx, 10*time.Second)
}

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

// worker answers a connection's questions one at a time, in order: every stored
// question of the conversation that the bot is to answer (Conversations.Pending),
// also those stored before a disconnect or while the database was away. When the
// database fails it tries again, with back-off, until the connection ends.
type worker struct {
	c        *client
	asked    string         // the citizen's last question before the next answer
	previous string         // the citizen's last answered question
	failures int            // answers in a row without a reliable answer
	after    int            // the last seq of the history the connection was sent
	sent     map[int64]bool // questions whose answer this connection was sent
	failed   int64          // the question the citizen was last told could not be answered now
	down     bool           // the citizen was told that the waiting questions cannot be read now
}

// observe takes a message of the conversation so far into account.
func (w *worker) observe(m Message) {
	switch m.Role {
	case RoleCitizen:
		w.asked = m.Text
	case RoleBot:
		w.previous = w.asked
		if m.Outcome == Refused {
			w.failures++
		} else {
			w.failures = 0
		}
	}
}

// Back-off of the worker while the database or the answerer fails.
const (
	minRetry = 500 * time.Millisecond
	maxRetry = 30 * time.Second
)

func (w *worker) run() {
	c := w.c
	retry := time.Duration(0)
	for {
		if w.drain() {
			retry = 0
		} else {
			retry = min(max(2*retry, minRetry), maxRetry)
		}
		var again <-chan time.Time
		var timer *time.Timer
		if retry > 0 {
			timer = time.NewTimer(retry)
			again = timer.C
		}
		select {
		case <-c.done:
		case <-c.wake:
		case <-again:
		}
		if timer != nil {
			timer.Stop()
		}
		if c.ctx.Err() != nil {
			return
		}
	}
}

// drain answers the conversation's waiting questions in order until there are none;
// false when it has to stop because something failed.
func (w *worker) drain() bool {
	c, s := w.c, w.c.s
	for c.ctx.Err() == nil {
		ctx, cancel := c.dbContext()
		pending, err := s.convs.Pending(ctx, c.conv.ID, w.after)
		cancel()
		if err != nil {
			if c.ctx.Err() == nil {
				s.log.Error("waiting questions", "conversation", c.conv.ID, "err", err)
				if !w.down { // told once; the questions are answered when it is back
					w.down = true
					c.sendError(ErrCodeUnavailable, "")
				}
			}
			return false
		}
		w.down = false
		pending = slices.DeleteFunc(pending, func(q Message) bool { return w.sent[q.ID] })
		if len(pending) == 0 {
			return true
		}
		for _, q := range pending {
			if !w.answer(q) {
				return false
			}
			w.sent[q.ID] = true
		}
	}
	return true
}

// answer answers one stored question: sends the stored answer again when there is
// one, or asks the service, stores its answer and sends it. It returns false when
// the question could not be answered now and should be tried again; true when it
// was answered, or when a person has the conversation.
func (w *worker) answer(q Message) bool {
	c, s := w.c, w.c.s
	ctx, cancel := context.WithTimeout(c.ctx, s.cfg.AnswerTimeout)
	defer cancel()
	fail := func(what string, err error, streamed bool) bool {
		if c.ctx.Err() != nil {
			return false // the connection ended
		}
		s.log.Error(what, "conversation", c.conv.ID, "seq", q.Seq, "err", err)
		// Told once per question, and again when part of the answer was shown, so
		// that the widget drops it: the next try streams the answer anew.
		if w.failed != q.ID || streamed {
			w.failed = q.ID
			c.sendError(ErrCodeUnavailable, q.ClientID)
		}
		return false
	}
	if reply, err := s.convs.Reply(ctx, q.ID); err == nil {
		c.sendJSON(answerMessage(q.ClientID, reply))
		return true
	} else if !errors.Is(err, ErrNotFound) {
		return fail("look up answer", err, false)
	}
	if conv, err := s.convs.Get(ctx, c.conv.ID); err != nil {
		return fail("conversation state", err, false)
	} else if conv.State == StateAgent {
		return true // a person has the conversation; the message reached them
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	c.setAnswerCancel(stop)
	defer c.setAnswerCancel(nil)
	previous := w.previous
	if previous == q.Text {
		previous = ""
	}
	start := time.Now()
	streamed := false
	// Only checked sentences of an answer that will be given arrive here (see
	// Service.Answer): what is streamed is the start of the stored answer's text.
	ans, search, err := s.svc.Answer(ctx, Request{Question: q.Text, Municipality: c.conv.Municipality, Previous: previous, RecentFailures: w.failures},
		func(delta string) {
			streamed = true
			c.sendJSON(deltaMsg{Type: "answer.delta", ID: q.ClientID, Text: delta})
		})
	if err != nil {
		if tookOver(c, ctx) {
			return true
		}
		return fail("answer", err, streamed)
	}
	// A hand-off says whether a person can come now, and a refusal offers one (or,
	// when nobody can come, the call-back): never "no reliable answer" only.
	var av availability
	if ans.Outcome == Handoff || ans.Outcome == Refused {
		av = s.availability(ctx, c.conv.Municipality)
	}
	if ans.Outcome == Handoff {
		ans.Text = handoffText(HandoffReason(ans.HandoffReason), ans.Text, av)
	}
	entry := LogEntry{ConversationID: c.conv.ID, Municipality: c.conv.Municipality, Question: q.Text, SearchText: search,
		Answer: ans, Redactions: labelCounts(q.Text)}
	reply, _, err := s.convs.SaveAnswer(ctx, entry, q)
	if errors.Is(err, ErrPersonTookOver) || err != nil && tookOver(c, ctx) {
		return true
	}
	if err != nil {
		return fail("store answer", err, streamed)
	}
	s.metrics.answered(ans, time.Since(start))
	s.log.Info("answer", "conversation", c.conv.ID, "answer_id", reply.AnswerID, "outcome", ans.Outcome,
		"confidence", ans.Confidence, "ms", ans.Timings.Total)
	w.previous, w.asked = q.Text, q.Text
	if ans.failed() {
		w.failures++
	} else {
		w.failures = 0
	}
	out := answerMessage(q.ClientID, reply)
	if ans.Outcome == Refused {
		out.Offer = av.offer()
	}
	c.sendJSON(out)
	s.afterAnswer(ctx, c, q, ans, av)
	return true
}

// tookOver reports whether an answer's context ended because a person took the
// conversation over (cancelAnswer) while the connection lives on.
func tookOver(c *client, ctx context.Context) bool {
	return c.ctx.Err() == nil && errors.Is(ctx.Err(), context.Canceled)
}

func answerMessage(id string, reply Message) answerMsg {
	cites := reply.Citations
	if cites == nil {
		cites = []Citation{}
	}
	return answerMsg{Type: "answer", ID: id, AnswerID: reply.AnswerID, Seq: reply.Seq, Outcome: reply.Outcome,
		Text: reply.Text, Citations: cites, HandoffReason: reply.HandoffReason}
}

// labelCounts counts the redaction labels in an already redacted text, for the answer
// log (the original text, and so the original counts, are never kept).
func labelCounts(redacted string) map[pii.Kind]int {
	counts := map[pii.Kind]int{}
	for kind, label := range pii.Labels {
		if n := strings.Count(redacted, label); n > 0 {
			counts[kind] = n
		}
	}
	return counts
}
