package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/answer/answertest"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// chatServer is a chat.Server on an httptest.Server over the test index.
type chatServer struct {
	t     testing.TB
	http  *httptest.Server
	db    *pgtest.DB
	svc   *answer.Service
	convs *chat.Conversations
	inst  *instance
	stop  func()
}

func newChatServer(t testing.TB, cfg chat.ServerConfig) *chatServer {
	t.Helper()
	return newChatServerWith(t, cfg, nil)
}

func newChatServerWith(t testing.TB, cfg chat.ServerConfig, sessions agents) *chatServer {
	t.Helper()
	svc, _, db := answertest.NewService(t, nil)
	convs := chat.NewConversations(db.Pool)
	in := startInstance(t, svc, convs, cfg, sessions)
	return &chatServer{t: t, http: in.http, db: db, svc: svc, convs: convs, inst: in, stop: in.stop}
}

// wsClient is a test websocket client that reads with a deadline.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
	seen map[int64]bool // answers received, which come again without streaming
}

func (cs *chatServer) dial(query string, header http.Header) (*wsClient, *http.Response, error) {
	url := "ws" + strings.TrimPrefix(cs.http.URL, "http") + "/ws?v=1&" + query
	conn, resp, err := websocket.DefaultDialer.Dial(url, header)
	if err != nil {
		return nil, resp, err
	}
	cs.t.Cleanup(func() { conn.Close() })
	return &wsClient{t: cs.t, conn: conn, seen: map[int64]bool{}}, resp, nil
}

func (cs *chatServer) connect(query string) *wsClient {
	cs.t.Helper()
	c, _, err := cs.dial(query, nil)
	if err != nil {
		cs.t.Fatal(err)
	}
	return c
}

func (c *wsClient) send(v any) {
	c.t.Helper()
	var err error
	if s, ok := v.(string); ok {
		err = c.conn.WriteMessage(websocket.TextMessage, []byte(s))
	} else {
		err = c.conn.WriteJSON(v)
	}
	if err != nil {
		c.t.Fatal(err)
	}
}

// msg is any server message.
type msg struct {
	Type          string            `json:"type"`
	ID            string            `json:"id"`
	Conversation  string            `json:"conversation"`
	Resumed       bool              `json:"resumed"`
	State         string            `json:"state"`
	History       []chat.Message    `json:"history"`
	Seq           int               `json:"seq"`
	Text          string            `json:"text"`
	AnswerID      int64             `json:"answer_id"`
	Outcome       answer.Outcome    `json:"outcome"`
	Citations     []answer.Citation `json:"citations"`
	Code          string            `json:"code"`
	Message       string            `json:"message"`
	HandoffReason string            `json:"handoff_reason"`
	Offer         string            `json:"offer"`
	Position      int               `json:"position"`
	Callback      bool              `json:"callback"`
}

// read returns the next message, failing the test after 10 s.
func (c *wsClient) read() msg {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m msg
	if err := c.conn.ReadJSON(&m); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

// until reads until a message of type typ, returning it and the ones before it.
func (c *wsClient) until(typ string) (msg, []msg) {
	c.t.Helper()
	var before []msg
	for {
		m := c.read()
		if m.Type == typ {
			return m, before
		}
		if m.Type == "error" && typ != "error" {
			c.t.Fatalf("error %s: %s (waiting for %s)", m.Code, m.Message, typ)
		}
		before = append(before, m)
	}
}

func (c *wsClient) hello(token string) msg {
	c.t.Helper()
	c.send(map[string]any{"type": "hello", "v": 1, "conversation": token})
	m := c.read()
	if m.Type != "welcome" || m.Conversation == "" {
		c.t.Fatalf("hello: got %+v", m)
	}
	return m
}

// ask sends a question and returns its answer, checking ack and streaming.
func (c *wsClient) ask(id, text string) msg {
	c.t.Helper()
	c.send(map[string]any{"type": "question", "id": id, "text": text})
	ack := c.read()
	if ack.Type != "ack" || ack.ID != id || ack.Seq == 0 {
		c.t.Fatalf("question %s: want ack, got %+v", id, ack)
	}
	ans, before := c.until("answer")
	var streamed strings.Builder
	for _, d := range before {
		if d.Type != "answer.delta" || d.ID != id {
			c.t.Fatalf("question %s: unexpected %+v before the answer", id, d)
		}
		streamed.WriteString(d.Text)
	}
	if ans.ID != id || ans.AnswerID == 0 || ans.Seq != ack.Seq+1 {
		c.t.Fatalf("question %s: answer %+v after ack %+v", id, ans, ack)
	}
	if ans.Outcome == answer.Answered && !c.seen[ans.AnswerID] && strings.TrimSpace(streamed.String()) == "" {
		c.t.Fatalf("question %s: answer was not streamed", id)
	}
	c.seen[ans.AnswerID] = true
	return ans
}

func TestConversation(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	c := cs.connect("municipality=GM9001")
	w := c.hello("")
	if w.Resumed || w.State != chat.StateBot || len(w.History) != 0 {
		t.Fatalf("welcome: %+v", w)
	}

	a := c.ask("q1", "Wat kost een paspoort?")
	if a.Outcome != answer.Answered || !strings.Contains(a.Text, "88,15") || len(a.Citations) == 0 ||
		!strings.HasPrefix(a.Citations[0].URL, "https://rijk.example/paspoort-kosten") || a.Citations[0].CheckedAt == "" {
		t.Fatalf("answer: %+v", a)
	}

	// A follow-up leans on the previous question.
	f := c.ask("q2", "en voor een kind?")
	if f.Outcome != answer.Answered || !strings.Contains(f.Text, "64,25") {
		t.Errorf("follow-up answer: %+v", f)
	}
	var search string
	if err := cs.db.Pool.QueryRow(context.Background(), `SELECT search_text FROM answers WHERE id = $1`, f.AnswerID).Scan(&search); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(search, "paspoort") {
		t.Errorf("follow-up searched %q, want the passport context", search)
	}

	// Feedback is stored; feedback on an answer of another conversation is not.
	c.send(map[string]any{"type": "feedback", "answer_id": a.AnswerID, "useful": false, "comment": "te kort"})
	if m := c.read(); m.Type != "feedback.ok" || m.AnswerID != a.AnswerID {
		t.Fatalf("feedback: %+v", m)
	}
	other := cs.connect("municipality=GM9001")
	other.hello("")
	other.send(map[string]any{"type": "feedback", "answer_id": a.AnswerID, "useful": true})
	if m := other.read(); m.Type != "error" || m.Code != chat.ErrCodeNotFound {
		t.Fatalf("feedback on someone else's answer: %+v", m)
	}
	var useful bool
	var comment string
	if err := cs.db.Pool.QueryRow(context.Background(), `SELECT useful, comment FROM feedback WHERE answer_id = $1`, a.AnswerID).Scan(&useful, &comment); err != nil {
		t.Fatal(err)
	}
	if useful || comment != "te kort" {
		t.Errorf("feedback stored as %v %q", useful, comment)
	}

	// Resuming on a new connection returns the whole conversation.
	c.conn.Close()
	r := cs.connect("municipality=GM9001")
	rw := r.hello(w.Conversation)
	if !rw.Resumed || rw.Conversation != w.Conversation || len(rw.History) != 4 {
		t.Fatalf("resume: %+v", rw)
	}
	h := rw.History
	if h[0].Role != chat.RoleCitizen || h[0].ClientID != "q1" || h[1].Role != chat.RoleBot || h[1].AnswerID != a.AnswerID ||
		len(h[1].Citations) == 0 || h[3].Seq != 4 {
		t.Errorf("history: %+v", h)
	}

	// A token of one municipality's site does not open the conversation on another's.
	x := cs.connect("municipality=GM9002")
	if xw := x.hello(w.Conversation); xw.Resumed || xw.Conversation == w.Conversation {
		t.Errorf("conversation resumed on another municipality's site: %+v", xw)
	}
}

func TestRetriedQuestionIsAnsweredOnce(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	c := cs.connect("")
	w := c.hello("")
	first := c.ask("same", "Wat kost een paspoort?")
	again := c.ask("same", "Wat kost een paspoort?")
	if again.AnswerID != first.AnswerID || again.Seq != first.Seq {
		t.Errorf("retry answered anew: %+v, first %+v", again, first)
	}
	// And after a reconnect.
	c.conn.Close()
	r := cs.connect("")
	r.hello(w.Conversation)
	r.seen[first.AnswerID] = true // sent again, without streaming
	if third := r.ask("same", "Wat kost een paspoort?"); third.AnswerID != first.AnswerID {
		t.Errorf("retry after reconnect answered anew: %+v", third)
	}
	var messages, answers int
	err := cs.db.Pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM answers)`).Scan(&messages, &answers)
	if err != nil {
		t.Fatal(err)
	}
	if messages != 2 || answers != 1 {
		t.Errorf("stored %d messages and %d answers, want 2 and 1", messages, answers)
	}
}

func TestUnansweredQuestionIsAnsweredOnResume(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	ctx := context.Background()
	// A question stored just before the connection dropped, never answered.
	conv, token, err := cs.convs.Create(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cs.convs.AddMessage(ctx, conv.ID, chat.Message{Role: chat.RoleCitizen, ClientID: "lost", Text: "Wat kost een paspoort?"}); err != nil {
		t.Fatal(err)
	}
	c := cs.connect("")
	if w := c.hello(token); !w.Resumed || len(w.History) != 1 {
		t.Fatalf("welcome: %+v", w)
	}
	a, _ := c.until("answer")
	if a.ID != "lost" || a.Outcome != answer.Answered || a.Seq != 2 {
		t.Errorf("answer on resume: %+v", a)
	}
}

func TestPersonalDataIsRedactedBeforeStoring(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	c := cs.connect("")
	c.hello("")
	a := c.ask("p1", "Mijn BSN is 111222333 en mijn IBAN NL91ABNA0417164300, bel me op 06-12345678. Wat kost een paspoort?")
	var question, message string
	var redactions map[string]int
	err := cs.db.Pool.QueryRow(context.Background(), `SELECT a.question, a.redactions, m.text FROM answers a
		JOIN messages m ON m.conversation_id = a.conversation_id AND m.role = 'citizen' WHERE a.id = $1`, a.AnswerID).
		Scan(&question, &redactions, &message)
	if err != nil {
		t.Fatal(err)
	}
	for _, stored := range []string{question, message} {
		for _, secret := range []string{"111222333", "NL91ABNA0417164300", "12345678"} {
			if strings.Contains(stored, secret) {
				t.Errorf("stored %q contains %s", stored, secret)
			}
		}
		if !strings.Contains(stored, "[BSN]") {
			t.Errorf("stored %q has no [BSN] label", stored)
		}
	}
	if redactions["bsn"] != 1 || redactions["iban"] != 1 || redactions["phone"] != 1 {
		t.Errorf("redactions logged as %v", redactions)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{ConversationRate: 6})
	c := cs.connect("")

	// Before hello, and messages that make no sense: an error, and the connection stays.
	c.send(map[string]any{"type": "question", "id": "early", "text": "paspoort"})
	if m := c.read(); m.Type != "error" || m.Code != chat.ErrCodeBadRequest || m.ID != "early" || m.Message == "" {
		t.Fatalf("question before hello: %+v", m)
	}
	c.hello("")
	for _, tc := range []struct {
		name string
		send any
		code string
	}{
		{"not json", "{niet json", chat.ErrCodeBadJSON},
		{"json array", "[1,2]", chat.ErrCodeBadJSON},
		{"no type", map[string]any{"text": "hoi"}, chat.ErrCodeUnknownType},
		{"unknown type", map[string]any{"type": "shutdown"}, chat.ErrCodeUnknownType},
		{"second hello", map[string]any{"type": "hello"}, chat.ErrCodeBadRequest},
		{"question without id", map[string]any{"type": "question", "text": "paspoort"}, chat.ErrCodeBadRequest},
		{"empty question", map[string]any{"type": "question", "id": "e", "text": "   "}, chat.ErrCodeBadRequest},
		{"question too long", map[string]any{"type": "question", "id": "l", "text": strings.Repeat("paspoort ", 120)}, chat.ErrCodeTooLong},
		{"feedback without answer", map[string]any{"type": "feedback", "useful": true}, chat.ErrCodeBadRequest},
		{"feedback on unknown answer", map[string]any{"type": "feedback", "answer_id": 999999, "useful": true}, chat.ErrCodeNotFound},
	} {
		c.send(tc.send)
		m := c.read()
		if m.Type != "error" || m.Code != tc.code || m.Message == "" {
			t.Errorf("%s: got %+v, want error %s", tc.name, m, tc.code)
		}
	}
	// Still usable.
	if a := c.ask("ok", "Wat kost een paspoort?"); a.Outcome != answer.Answered {
		t.Errorf("after bad input: %+v", a)
	}

	// Too many questions in a conversation (burst 3 at 6 a minute; one was asked above).
	limited := false
	for i := range 5 {
		c.send(map[string]any{"type": "question", "id": "r" + string(rune('a'+i)), "text": "Wat kost een paspoort?"})
		for {
			m := c.read()
			if m.Type == "error" && m.Code == chat.ErrCodeRateLimited {
				limited = true
			}
			if m.Type == "answer" || m.Type == "error" {
				break
			}
		}
	}
	if !limited {
		t.Error("no rate limit after 6 questions")
	}
}

func TestConnectionLimits(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{AllowedOrigins: map[string][]string{"GM9001": {"https://www.bloemendijk.example"}}})

	for _, tc := range []struct {
		query, origin string
		status        int
	}{
		{"municipality=GM9001", "https://www.bloemendijk.example", 101},
		{"municipality=GM9001", "https://evil.example", http.StatusForbidden},
		{"municipality=GM9002", "https://www.bloemendijk.example", http.StatusForbidden},
		{"municipality=Amsterdam", "", http.StatusBadRequest},
		{"municipality=GM9001", cs.http.URL, 101}, // the server's own pages
	} {
		h := http.Header{}
		if tc.origin != "" {
			h.Set("Origin", tc.origin)
		}
		_, resp, err := cs.dial(tc.query, h)
		got := 101
		if err != nil {
			if resp == nil {
				t.Fatalf("%s from %s: %v", tc.query, tc.origin, err)
			}
			got = resp.StatusCode
		}
		if got != tc.status {
			t.Errorf("%s from %s: status %d, want %d", tc.query, tc.origin, got, tc.status)
		}
	}

	// A binary frame closes the connection with 1003, a frame over the limit with 1009.
	for _, tc := range []struct {
		name  string
		kind  int
		data  []byte
		close int
	}{
		{"binary", websocket.BinaryMessage, []byte{1, 2, 3}, websocket.CloseUnsupportedData},
		{"huge", websocket.TextMessage, []byte(`{"type":"question","id":"h","text":"` + strings.Repeat("a", 100_000) + `"}`), websocket.CloseMessageTooBig},
	} {
		c := cs.connect("")
		c.hello("")
		if err := c.conn.WriteMessage(tc.kind, tc.data); err != nil {
			t.Fatal(err)
		}
		_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, _, err := c.conn.ReadMessage()
		var ce *websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != tc.close {
			t.Errorf("%s: read after it gave %v, want close %d", tc.name, err, tc.close)
		}
	}
}

func TestShutdownClosesConnections(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	c := cs.connect("")
	c.hello("")
	cs.stop()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err := c.conn.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Errorf("after shutdown: %v, want close 1001", err)
	}
}

func TestDatabaseGoesAway(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	ctx := context.Background()
	c := cs.connect("")
	c.hello("")
	c.ask("before", "Wat kost een paspoort?")

	// Refuse new connections to the test database and end the open ones.
	admin, err := pgx.Connect(ctx, strings.Replace(cs.db.URL, "/"+cs.db.Pool.Config().ConnConfig.Database+"?", "/postgres?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := pgx.Identifier{cs.db.Pool.Config().ConnConfig.Database}.Sanitize()
	mustExec := func(sql string) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS false`)
	mustExec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '` + cs.db.Pool.Config().ConnConfig.Database + `'`)

	c.send(map[string]any{"type": "question", "id": "during", "text": "Wat kost een paspoort?"})
	m := c.read()
	if m.Type != "error" || m.Code != chat.ErrCodeUnavailable || !strings.Contains(m.Message, "Probeer het") {
		t.Fatalf("with the database gone: %+v", m)
	}

	// It comes back; the same question (retried by the widget) is answered.
	mustExec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS true`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.send(map[string]any{"type": "question", "id": "during", "text": "Wat kost een paspoort?"})
		m := c.read()
		if m.Type == "ack" {
			if a, _ := c.until("answer"); a.Outcome != answer.Answered {
				t.Errorf("after the database returned: %+v", a)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %+v 20 s after the database returned", m)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestProtocolMessagesAreJSONObjects(t *testing.T) {
	t.Parallel()
	// The history of a welcome marshals every field the protocol documents.
	m := chat.Message{Seq: 2, Role: chat.RoleBot, Text: "Antwoord [1].", AnswerID: 7, Outcome: answer.Answered,
		Citations: []answer.Citation{{N: 1, URL: "https://x.example/a#b", Title: "A", CheckedAt: "2026-11-22"}}}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"seq":2`, `"role":"bot"`, `"answer_id":7`, `"outcome":"answered"`, `"checked_at":"2026-11-22"`, `"at":`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("%s lacks %s", b, field)
		}
	}
}
