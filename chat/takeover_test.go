package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
)

// instance is one serve instance: its own pool, chat.Server and HTTP server, with the
// staff websocket behind a fake session (the staff package is tested on its own).
type instance struct {
	http  *httptest.Server
	srv   *chat.Server
	convs *chat.Conversations
	stop  func() // stops the server; also run at the end of the test
}

// newInstances starts n instances on one test database.
func newInstances(t testing.TB, n int, cfg chat.ServerConfig) ([]*instance, *chatServer) {
	t.Helper()
	first := newChatServerWith(t, cfg, nil)
	out := []*instance{first.inst}
	for range n - 1 {
		pool, err := postgres.Open(context.Background(), first.db.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		out = append(out, startInstance(t, first.svc, chat.NewConversations(pool), cfg, nil))
	}
	for _, in := range out {
		select {
		case <-in.srv.Listening():
		case <-time.After(10 * time.Second):
			t.Fatal("instance does not listen for events")
		}
	}
	return out, first
}

// agents maps a fake session token to its agent.
type agents map[string]chat.Agent

func startInstance(t testing.TB, svc *chat.Service, convs *chat.Conversations, cfg chat.ServerConfig, sessions agents) *instance {
	t.Helper()
	srv := chat.NewServer(svc, convs, cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { srv.Run(ctx); close(done) }()
	mux := http.NewServeMux()
	mux.Handle("/ws", srv)
	mux.HandleFunc("/staff/ws", func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("session")
		a, ok := sessions[token]
		if !ok && sessions != nil {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		if sessions == nil { // the agent is given in the query: id, name, municipality
			var id int64
			fmt.Sscan(r.URL.Query().Get("id"), &id)
			a = chat.Agent{ID: id, Name: r.URL.Query().Get("name"), Municipality: r.URL.Query().Get("municipality")}
		}
		srv.ServeStaff(w, r.WithContext(chat.WithAgent(r.Context(), a, token)))
	})
	hs := httptest.NewServer(mux)
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done; hs.Close() }) }
	t.Cleanup(stop)
	return &instance{http: hs, srv: srv, convs: convs, stop: stop}
}

// addAgent creates a staff account and returns it as an agent.
func addAgent(t testing.TB, cs *chatServer, name, municipality string) chat.Agent {
	t.Helper()
	a := chat.Agent{Name: name, Municipality: municipality}
	err := cs.db.Pool.QueryRow(context.Background(), `INSERT INTO staff_accounts (email, name, municipality, role, password_hash)
		VALUES ($1, $2, $3, 'agent', 'x') RETURNING id`, strings.ToLower(name)+"@example.nl", name, municipality).Scan(&a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (in *instance) citizen(t testing.TB, municipality string) *wsClient {
	t.Helper()
	url := "ws" + strings.TrimPrefix(in.http.URL, "http") + "/ws?v=1&municipality=" + municipality
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &wsClient{t: t, conn: conn, seen: map[int64]bool{}}
}

func (in *instance) agent(t testing.TB, a chat.Agent) *wsClient {
	t.Helper()
	url := fmt.Sprintf("ws%s/staff/ws?id=%d&name=%s&municipality=%s", strings.TrimPrefix(in.http.URL, "http"), a.ID, a.Name, a.Municipality)
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &wsClient{t: t, conn: conn, seen: map[int64]bool{}}
	if w := c.read(); w.Type != "welcome" {
		t.Fatalf("agent welcome: %+v", w)
	}
	return c
}

// staffMsg is any message to a staff console.
type staffMsg struct {
	Type         string           `json:"type"`
	ID           string           `json:"id"`
	Of           string           `json:"of"`
	Code         string           `json:"code"`
	Conversation int64            `json:"conversation"`
	State        string           `json:"state"`
	Items        []chat.QueueItem `json:"items"`
	Callbacks    []chat.Callback  `json:"callbacks"`
	Online       int              `json:"online"`
	Messages     []chat.Message   `json:"messages"`
	Message      messageOrText    `json:"message"`
	Role         string           `json:"role"`
}

// messageOrText is a staff message's "message": a chat.Message, or an error's text.
type messageOrText struct{ chat.Message }

func (m *messageOrText) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return nil
	}
	return json.Unmarshal(b, &m.Message)
}

// untilStaff reads staff messages until one satisfies ok.
func (c *wsClient) untilStaff(what string, ok func(staffMsg) bool) staffMsg {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_ = c.conn.SetReadDeadline(deadline)
		var m staffMsg
		if err := c.conn.ReadJSON(&m); err != nil {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok(m) {
			return m
		}
	}
}

// untilCitizen reads citizen messages until one satisfies ok.
func (c *wsClient) untilCitizen(what string, ok func(msg) bool) msg {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_ = c.conn.SetReadDeadline(deadline)
		var m msg
		if err := c.conn.ReadJSON(&m); err != nil {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		if ok(m) {
			return m
		}
	}
}

func TestHandoffAcrossInstances(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 2, chat.ServerConfig{})
	a, b := ins[0], ins[1]
	anna := addAgent(t, cs, "Anna", "GM9001")

	// The agent's console is open on instance B; the citizen chats on instance A.
	agent := b.agent(t, anna)
	agent.untilStaff("empty queue", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })
	citizen := a.citizen(t, "GM9001")
	citizen.hello("")
	first := citizen.ask("q1", "Wat kost een paspoort?")

	// The citizen asks for a person: queued, and the agent's queue shows it.
	citizen.send(map[string]any{"type": "handoff.request"})
	citizen.untilCitizen("queued", func(m msg) bool { return m.Type == "handoff" && m.State == chat.StateQueued })
	q := agent.untilStaff("queue item", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 1 })
	item := q.Items[0]
	if item.Reason != "request" || item.Summary != "Wat kost een paspoort?" || item.ClaimedBy != 0 {
		t.Fatalf("queue item: %+v", item)
	}

	// Claim: the agent sees the transcript with the bot's answer and its citations.
	agent.send(map[string]any{"type": "claim", "conversation_id": item.Conversation, "id": "c1"})
	conv := agent.untilStaff("transcript", func(m staffMsg) bool { return m.Type == "conversation" })
	if conv.State != chat.StateAgent || len(conv.Messages) < 3 || conv.Messages[1].AnswerID != first.AnswerID || len(conv.Messages[1].Citations) == 0 {
		t.Fatalf("transcript: %+v", conv)
	}
	citizen.untilCitizen("agent joined", func(m msg) bool { return m.Type == "handoff" && m.State == chat.StateAgent })

	// Live both ways, across the instances, the bot silent.
	agent.send(map[string]any{"type": "typing", "conversation_id": item.Conversation})
	citizen.untilCitizen("typing", func(m msg) bool { return m.Type == "typing" })
	agent.send(map[string]any{"type": "reply", "conversation_id": item.Conversation, "text": "Goedemiddag, waarmee kan ik helpen?"})
	got := citizen.untilCitizen("agent message", func(m msg) bool { return m.Type == "message" && m.Text == "Goedemiddag, waarmee kan ik helpen?" })
	if got.Seq == 0 {
		t.Errorf("agent message without seq: %+v", got)
	}
	citizen.send(map[string]any{"type": "question", "id": "q2", "text": "Ik wil weten hoe het met mijn aanvraag staat"})
	citizen.untilCitizen("ack", func(m msg) bool { return m.Type == "ack" && m.ID == "q2" })
	in := agent.untilStaff("citizen message", func(m staffMsg) bool { return m.Type == "message" && m.Message.Role == chat.RoleCitizen })
	if in.Message.ClientID != "q2" {
		t.Errorf("agent got %+v", in.Message)
	}

	// Hand back to the bot: the bot answers the next question.
	agent.send(map[string]any{"type": "handback", "conversation_id": item.Conversation})
	citizen.untilCitizen("back to bot", func(m msg) bool { return m.Type == "handoff" && m.State == chat.StateBot })
	if ans := citizen.ask("q3", "Wat kost een paspoort?"); ans.Outcome != chat.Answered {
		t.Errorf("bot after hand-back: %+v", ans)
	}

	// Everything is recorded: no bot answer while the agent had it, the hand-off with its times.
	var botDuring int
	var queued, outcome string
	err := cs.db.Pool.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM messages r JOIN messages q ON r.reply_to = q.id WHERE q.client_id = 'q2'),
		(SELECT (claimed_at - requested_at)::text FROM handoffs), (SELECT outcome FROM handoffs)`).Scan(&botDuring, &queued, &outcome)
	if err != nil {
		t.Fatal(err)
	}
	if botDuring != 0 || outcome != "returned" || queued == "" {
		t.Errorf("recorded: bot answers during take-over %d, queue time %q, outcome %q", botDuring, queued, outcome)
	}
}

func TestClaimRace(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 2, chat.ServerConfig{})
	ctx := context.Background()
	var team []chat.Agent
	for i := range 6 {
		team = append(team, addAgent(t, cs, fmt.Sprintf("Agent%d", i), "GM9001"))
	}
	for round := range 5 {
		conv, _, err := cs.convs.Create(ctx, "GM9001")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.convs.RequestHandoff(ctx, conv.ID, chat.Triage{Reason: chat.ReasonRequest, Priority: 4}, "vraag", ""); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]error, len(team))
		for i, a := range team {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = ins[i%2].convs.Claim(ctx, conv.ID, a)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, chat.ErrClaimed):
				t.Fatalf("round %d: %v", round, err)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d agents got the conversation, want 1", round, won)
		}
	}
}

func TestOfflineHandoffOffersCallback(t *testing.T) {
	t.Parallel()
	closed, err := chat.ParseOpeningHours("*=za 00:00-00:01")
	if err != nil {
		t.Fatal(err)
	}
	ins, cs := newInstances(t, 1, chat.ServerConfig{OpeningHours: closed})
	citizen := ins[0].citizen(t, "GM9001")
	citizen.hello("")
	// An emergency is answered with the numbers at once, also when nobody is there.
	a := citizen.ask("e1", "ik wil niet meer leven")
	if a.Outcome != chat.Handoff || !strings.Contains(a.Text, "0800-0113") || !strings.Contains(a.Text, "112") || a.HandoffReason != "emergency_suicide" {
		t.Fatalf("emergency: %+v", a)
	}
	off := citizen.untilCitizen("offline", func(m msg) bool { return m.Type == "handoff" })
	if off.State != "offline" || !strings.Contains(off.Text, "terugbelverzoek") {
		t.Fatalf("offline hand-off: %+v", off)
	}
	citizen.send(map[string]any{"type": "callback", "name": "J. Jansen", "contact": "06-12345678", "question": "Kunt u mij bellen?", "consent": false})
	if m := citizen.read(); m.Type != "error" || m.Code != chat.ErrCodeBadRequest {
		t.Fatalf("call-back without consent: %+v", m)
	}
	citizen.send(map[string]any{"type": "callback", "name": "J. Jansen", "contact": "06-12345678", "question": "Kunt u mij bellen?", "consent": true})
	if m := citizen.read(); m.Type != "callback.ok" || m.Text == "" {
		t.Fatalf("call-back: %+v", m)
	}
	cbs, err := cs.convs.Callbacks(context.Background(), "GM9001")
	if err != nil || len(cbs) != 1 || cbs[0].Contact != "06-12345678" {
		t.Fatalf("call-backs: %+v %v", cbs, err)
	}
	var outcome string
	if err := cs.db.Pool.QueryRow(context.Background(), `SELECT outcome FROM handoffs`).Scan(&outcome); err != nil || outcome != "unavailable" {
		t.Errorf("offline hand-off recorded as %q (%v)", outcome, err)
	}
}

func TestLongWaitIsToldAndQueueOrder(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{QueueTimeout: 500 * time.Millisecond})
	bob := addAgent(t, cs, "Bob", "GM9002")
	agent := ins[0].agent(t, bob)
	agent.untilStaff("online", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })

	request := citizenAsking(t, ins[0], "GM9002", "Kan ik een medewerker spreken?")
	crisis := citizenAsking(t, ins[0], "GM9002", "Ik word morgen uit mijn huis gezet, wat moet ik doen?")
	q := agent.untilStaff("two waiting", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 2 })
	reasons := []string{q.Items[0].Reason, q.Items[1].Reason}
	if reasons[0] != "sensitive" || reasons[1] != "request" {
		t.Errorf("queue order %v, want the crisis first", reasons)
	}
	if !sort.SliceIsSorted(q.Items, func(i, j int) bool { return q.Items[i].Priority < q.Items[j].Priority }) {
		t.Errorf("queue not by priority: %+v", q.Items)
	}
	for _, c := range []*wsClient{request, crisis} {
		m := c.untilCitizen("long wait", func(m msg) bool { return m.Type == "handoff" && strings.Contains(m.Text, "langer dan verwacht") })
		if m.State != chat.StateQueued {
			t.Errorf("long wait: %+v", m)
		}
	}
}

// citizenAsking opens a conversation whose question hands off.
func citizenAsking(t testing.TB, in *instance, municipality, question string) *wsClient {
	t.Helper()
	c := in.citizen(t, municipality)
	c.hello("")
	if a := c.ask("h", question); a.Outcome != chat.Handoff {
		t.Fatalf("%q: %+v, want a hand-off", question, a)
	}
	c.untilCitizen("queued", func(m msg) bool { return m.Type == "handoff" && m.State == chat.StateQueued })
	return c
}

func TestAgentSessionExpires(t *testing.T) {
	t.Parallel()
	_, cs := newInstances(t, 1, chat.ServerConfig{})
	anna := addAgent(t, cs, "Anna", "GM9001")
	var mu sync.Mutex
	valid := true
	cfg := chat.ServerConfig{CheckSession: func(ctx context.Context, token string) error {
		mu.Lock()
		defer mu.Unlock()
		if !valid || token != "s1" {
			return errors.New("expired")
		}
		return nil
	}}
	in := startInstance(t, cs.svc, cs.convs, cfg, agents{"s1": anna})
	url := "ws" + strings.TrimPrefix(in.http.URL, "http") + "/staff/ws?session=s1"
	conn, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	agent := &wsClient{t: t, conn: conn}
	agent.untilStaff("welcome", func(m staffMsg) bool { return m.Type == "welcome" })
	agent.send(map[string]any{"type": "colleagues"})
	agent.untilStaff("colleagues", func(m staffMsg) bool { return m.Type == "colleagues" })

	mu.Lock()
	valid = false
	mu.Unlock()
	agent.send(map[string]any{"type": "colleagues"})
	agent.untilStaff("expired", func(m staffMsg) bool { return m.Type == "error" && m.Code == chat.ErrCodeSessionExpired })
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _, err = conn.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != 4001 {
		t.Errorf("after expiry: %v, want close 4001", err)
	}
	if _, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(in.http.URL, "http")+"/staff/ws?session=nope", nil); err == nil {
		t.Error("staff websocket opened without a session")
	}
}

func TestAgentSeesOnlyOwnMunicipality(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{})
	anna := addAgent(t, cs, "Anna", "GM9001")
	bob := addAgent(t, cs, "Bob", "GM9002")
	annaC := ins[0].agent(t, anna)
	annaC.untilStaff("online", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })
	bobC := ins[0].agent(t, bob)
	bobC.untilStaff("online", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })
	c := citizenAsking(t, ins[0], "GM9002", "Ik wil graag iemand spreken")
	q := bobC.untilStaff("bob's queue", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 1 })
	_ = c
	annaC.send(map[string]any{"type": "claim", "conversation_id": q.Items[0].Conversation})
	if m := annaC.untilStaff("refused", func(m staffMsg) bool { return m.Type == "error" || m.Type == "ok" }); m.Code != chat.ErrCodeForbidden {
		t.Errorf("claim of another municipality's conversation: %+v", m)
	}
	annaC.send(map[string]any{"type": "open", "conversation_id": q.Items[0].Conversation})
	if m := annaC.untilStaff("refused", func(m staffMsg) bool { return m.Type == "error" || m.Type == "conversation" }); m.Code != chat.ErrCodeForbidden {
		t.Errorf("open of another municipality's conversation: %+v", m)
	}
}
