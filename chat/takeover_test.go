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
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
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

func startInstance(t testing.TB, svc *answer.Service, convs *chat.Conversations, cfg chat.ServerConfig, sessions agents) *instance {
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
			id, _ := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64) // no id: agent 0
			a = chat.Agent{ID: id, Name: r.URL.Query().Get("name"), Municipality: r.URL.Query().Get("municipality"),
				Supervisor: r.URL.Query().Get("supervisor") == "1"}
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
	return addAccount(t, cs, name, municipality, "agent")
}

// addSupervisor creates a supervisor's staff account and returns it as an agent.
func addSupervisor(t testing.TB, cs *chatServer, name, municipality string) chat.Agent {
	t.Helper()
	return addAccount(t, cs, name, municipality, "supervisor")
}

func addAccount(t testing.TB, cs *chatServer, name, municipality, role string) chat.Agent {
	t.Helper()
	id := pgtest.StaffAccount(t, cs.db.Pool, strings.ToLower(name)+"@example.nl", name, municipality, role)
	return chat.Agent{ID: id, Name: name, Municipality: municipality, Supervisor: role == "supervisor"}
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
	if a.Supervisor {
		url += "&supervisor=1"
	}
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
	Handoff      *chat.QueueItem  `json:"handoff"`
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
	if ans := citizen.ask("q3", "Wat kost een paspoort?"); ans.Outcome != answer.Answered {
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
		if _, err := cs.convs.RequestHandoff(ctx, conv.ID, answer.Triage{Reason: answer.ReasonRequest, Priority: 4}, "vraag", ""); err != nil {
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

// fridayEvening is a clock for opening hours: Friday 4 December 2026, 20:00 Dutch time.
func fridayEvening() time.Time {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	return time.Date(2026, 12, 4, 20, 0, 0, 0, loc)
}

// reading returns an ok func for untilCitizen that keeps every text the citizen is
// sent in *texts.
func reading(texts *[]string, ok func(msg) bool) func(msg) bool {
	return func(m msg) bool {
		if m.Text != "" {
			*texts = append(*texts, m.Text)
		}
		if m.Message != "" {
			*texts = append(*texts, m.Message)
		}
		return ok(m)
	}
}

// TestCrisisWithNobodyOnline: "ik wil niet meer leven" on a Friday evening, with the
// contact centre closed and nobody online. The citizen gets the numbers, is promised
// no person, is told when the centre opens and is offered a call-back; the hand-off
// stays queued, and the first agent who comes online sees it at the top of the queue
// as an emergency, also after the citizen asked for a person. It leaves the queue
// only when the agent has seen it.
func TestCrisisWithNobodyOnline(t *testing.T) {
	t.Parallel()
	hours, err := chat.ParseOpeningHours("*=ma-vr 09:00-17:00")
	if err != nil {
		t.Fatal(err)
	}
	ins, cs := newInstances(t, 1, chat.ServerConfig{OpeningHours: hours, Now: fridayEvening, QueueTimeout: 300 * time.Millisecond})
	ctx := context.Background()
	const reopens = "Het contactcentrum is weer open op maandag vanaf 9.00 uur."
	var texts []string

	citizen := ins[0].citizen(t, "GM9001")
	welcome := citizen.hello("")
	a := citizen.ask("e1", "ik wil niet meer leven")
	texts = append(texts, a.Text)
	if a.Outcome != answer.Handoff || a.HandoffReason != "emergency_suicide" {
		t.Fatalf("emergency: %+v", a)
	}
	for _, want := range []string{"0800-0113", "113.nl", "112", "geen medewerker beschikbaar", reopens} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("the emergency answer lacks %q: %s", want, a.Text)
		}
	}
	if i, j := strings.Index(a.Text, "0800-0113"), strings.Index(a.Text, "medewerker"); i < 0 || i > j {
		t.Errorf("the numbers do not come first: %s", a.Text)
	}
	off := citizen.untilCitizen("call-back offer", reading(&texts, func(m msg) bool { return m.Type == "handoff" && m.Callback }))
	if off.State != "offline" || !strings.Contains(off.Text, "terugbelverzoek") {
		t.Fatalf("offline hand-off: %+v", off)
	}

	// The citizen asks for a person all the same: told honestly again, and offered
	// the call-back.
	citizen.send(map[string]any{"type": "handoff.request"})
	again := citizen.untilCitizen("offline again", reading(&texts, func(m msg) bool { return m.Type == "handoff" && m.State == "offline" }))
	if !again.Callback || !strings.Contains(again.Text, reopens) || !strings.Contains(again.Text, "terugbelverzoek") {
		t.Errorf("hand-off request while nobody is online: %+v", again)
	}
	citizen.send(map[string]any{"type": "callback", "name": "J. Jansen", "contact": "06-12345678", "question": "Kunt u mij bellen?", "consent": false})
	if m := citizen.untilCitizen("refused call-back", reading(&texts, func(m msg) bool { return m.Type == "error" || m.Type == "callback.ok" })); m.Code != chat.ErrCodeBadRequest {
		t.Fatalf("call-back without consent: %+v", m)
	}
	citizen.send(map[string]any{"type": "callback", "name": "J. Jansen", "contact": "06-12345678", "question": "Kunt u mij bellen?", "consent": true})
	if m := citizen.untilCitizen("call-back", reading(&texts, func(m msg) bool { return m.Type == "callback.ok" || m.Type == "error" })); m.Type != "callback.ok" {
		t.Fatalf("call-back: %+v", m)
	}
	// Long past the queue time-out, the citizen is not told to keep waiting.
	citizen.send(map[string]any{"type": "question", "id": "e2", "text": "wat kost een paspoort?"})
	citizen.untilCitizen("a later answer", reading(&texts, func(m msg) bool { return m.Type == "answer" && m.ID == "e2" }))
	// The conversation as stored, after a reconnect, is what the citizen reads too.
	resumed := ins[0].citizen(t, "GM9001").hello(welcome.Conversation)
	for _, m := range resumed.History {
		texts = append(texts, m.Text)
	}
	for _, text := range texts {
		for _, promise := range []string{"neemt dit gesprek", "zo snel mogelijk over", "wachtrij", "blijven wachten", "Ik zet u door"} {
			if strings.Contains(text, promise) {
				t.Errorf("promises a person (%q) while nobody can come: %s", promise, text)
			}
		}
	}

	// The hand-off stays queued, as the emergency, not closed as unavailable.
	var reason, state string
	var ended bool
	if err := cs.db.Pool.QueryRow(ctx, `SELECT h.reason, h.ended_at IS NOT NULL, c.state FROM handoffs h JOIN conversations c ON c.id = h.conversation_id`).
		Scan(&reason, &ended, &state); err != nil {
		t.Fatal(err)
	}
	if reason != "emergency_suicide" || ended || state != chat.StateQueued {
		t.Errorf("hand-off %s, ended %v, conversation %s; want a queued emergency", reason, ended, state)
	}

	// Another citizen's request while nobody is online is recorded as unavailable.
	other := ins[0].citizen(t, "GM9001")
	other.hello("")
	other.send(map[string]any{"type": "handoff.request"})
	if m := other.untilCitizen("offline", func(m msg) bool { return m.Type == "handoff" }); m.State != "offline" || !strings.Contains(m.Text, reopens) {
		t.Errorf("request while nobody is online: %+v", m)
	}

	// The first agent who comes online sees it at the top of the queue.
	anna := addAgent(t, cs, "Anna", "GM9001")
	agent := ins[0].agent(t, anna)
	q := agent.untilStaff("queue", func(m staffMsg) bool { return m.Type == "queue" })
	if len(q.Items) != 1 || q.Items[0].Reason != "emergency_suicide" || q.Items[0].Priority != 1 || q.Items[0].Summary != "ik wil niet meer leven" {
		t.Fatalf("queue on connecting: %+v", q.Items)
	}
	var unavailable int
	if err := cs.db.Pool.QueryRow(ctx, `SELECT count(*) FROM handoffs WHERE outcome = 'unavailable'`).Scan(&unavailable); err != nil || unavailable != 1 {
		t.Errorf("%d hand-offs recorded unavailable (%v), want the other citizen's request only", unavailable, err)
	}

	// Marking it seen takes it off the queue and records who saw it.
	agent.send(map[string]any{"type": "seen", "id": "s1", "conversation_id": q.Items[0].Conversation})
	if m := agent.untilStaff("seen", func(m staffMsg) bool { return m.ID == "s1" }); m.Type != "ok" {
		t.Fatalf("seen: %+v", m)
	}
	agent.untilStaff("empty queue", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 0 })
	var seenBy int64
	var outcome string
	if err := cs.db.Pool.QueryRow(ctx, `SELECT h.outcome, h.seen_by, c.state FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
		WHERE h.reason = 'emergency_suicide'`).Scan(&outcome, &seenBy, &state); err != nil {
		t.Fatal(err)
	}
	if outcome != "seen" || seenBy != anna.ID || state != chat.StateBot {
		t.Errorf("after seen: outcome %q by %d, conversation %s", outcome, seenBy, state)
	}
	agent.send(map[string]any{"type": "seen", "id": "s2", "conversation_id": q.Items[0].Conversation})
	if m := agent.untilStaff("seen twice", func(m staffMsg) bool { return m.ID == "s2" }); m.Type != "error" {
		t.Errorf("seen twice: %+v", m)
	}
}

// TestQueueKeepsMostSeriousReason: the queue card shows the most serious reason the
// conversation ever had. An emergency told while waiting for a request goes to the
// top; a request after an emergency was handled keeps the emergency.
func TestQueueKeepsMostSeriousReason(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{})
	bob := addAgent(t, cs, "Bob", "GM9003")
	agent := ins[0].agent(t, bob)
	agent.untilStaff("online", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })

	citizen := ins[0].citizen(t, "GM9003")
	citizen.hello("")
	citizen.send(map[string]any{"type": "handoff.request"})
	q := agent.untilStaff("request", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 1 })
	if q.Items[0].Reason != "request" {
		t.Fatalf("queue %+v", q.Items)
	}
	conv := q.Items[0].Conversation
	queued, told := false, false
	citizen.untilCitizen("queued", func(m msg) bool {
		queued = queued || m.Type == "handoff" && m.State == chat.StateQueued && m.Position == 1
		told = told || m.Type == "message" && strings.HasPrefix(m.Text, "Ik zet u door")
		return queued && told
	})
	a := citizen.ask("e1", "ik wil niet meer leven")
	if !strings.Contains(a.Text, "Een medewerker neemt dit gesprek zo snel mogelijk over.") {
		t.Errorf("with an agent online the emergency answer does not say one takes over: %s", a.Text)
	}
	agent.untilStaff("escalated", func(m staffMsg) bool {
		return m.Type == "queue" && len(m.Items) == 1 && m.Items[0].Reason == "emergency_suicide" && m.Items[0].Priority == 1
	})

	// Taken over and given back; the citizen asks for a person again later.
	agent.send(map[string]any{"type": "claim", "id": "c1", "conversation_id": conv})
	agent.untilStaff("claimed", func(m staffMsg) bool { return m.ID == "c1" })
	agent.send(map[string]any{"type": "handback", "id": "b1", "conversation_id": conv})
	agent.untilStaff("handed back", func(m staffMsg) bool { return m.ID == "b1" })
	citizen.send(map[string]any{"type": "handoff.request"})
	q = agent.untilStaff("waiting again", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 1 && m.Items[0].ClaimedBy == 0 })
	if q.Items[0].Reason != "emergency_suicide" || q.Items[0].Priority != 1 {
		t.Errorf("a later request replaced the emergency: %+v", q.Items[0])
	}
}

// TestRefusalOffersAPerson: a refusal carries the offer of a person, or of the
// call-back when nobody can come.
func TestRefusalOffersAPerson(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{})
	citizen := ins[0].citizen(t, "GM9004")
	citizen.hello("")
	a := citizen.ask("r1", "wat voor weer wordt het morgen in Utrecht")
	if a.Outcome != answer.Refused || a.Offer != "callback" {
		t.Errorf("refusal with nobody online: outcome %s, offer %q", a.Outcome, a.Offer)
	}
	agent := ins[0].agent(t, addAgent(t, cs, "Cor", "GM9004"))
	agent.untilStaff("online", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })
	b := citizen.ask("r2", "wat voor weer wordt het overmorgen in Utrecht")
	if b.Outcome != answer.Refused || b.Offer != "agent" {
		t.Errorf("refusal with an agent online: outcome %s, offer %q", b.Outcome, b.Offer)
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
	if a := c.ask("h", question); a.Outcome != answer.Handoff {
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

// TestTakeOverSurvivesReconnects drops the citizen's and then the agent's websocket in
// the middle of a take-over, without a close frame, while the other side goes on
// writing. After reconnecting each sees every message exactly once and in order, the
// agent still holds the conversation, the bot stays silent, and the database has each
// message once.
func TestTakeOverSurvivesReconnects(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 2, chat.ServerConfig{IPRate: 6000, ConversationRate: 6000})
	a, b := ins[0], ins[1] // the citizen chats on A, the agent works on B
	anna := addAgent(t, cs, "Anna", "GM9001")
	agent := b.agent(t, anna)
	agent.untilStaff("online", func(m staffMsg) bool { return m.Type == "queue" && m.Online == 1 })

	// The citizen's and the agent's messages, "role: text", in the order they are stored.
	want := []string{chat.RoleCitizen + ": Wat kost een paspoort?"}
	agentSays := func(c *wsClient, convID int64, text string) {
		t.Helper()
		c.send(map[string]any{"type": "reply", "conversation_id": convID, "text": text, "id": text})
		want = append(want, chat.RoleAgent+": "+text)
	}
	agentStored := func(c *wsClient, text string) {
		t.Helper()
		m := c.untilStaff("reply stored", func(m staffMsg) bool { return (m.Type == "ok" || m.Type == "error") && m.ID == text })
		if m.Type != "ok" || m.Of != "reply" {
			t.Fatalf("reply %q: %+v", text, m)
		}
	}
	citizenSays := func(c *wsClient, id, text string) {
		t.Helper()
		c.send(map[string]any{"type": "question", "id": id, "text": text})
		want = append(want, chat.RoleCitizen+": "+text)
	}

	// 1. The citizen asks for a person, the agent claims, they talk.
	citizen := a.citizen(t, "GM9001")
	token := citizen.hello("").Conversation
	citizen.ask("q1", "Wat kost een paspoort?")
	citizen.send(map[string]any{"type": "handoff.request"})
	citizen.untilCitizen("queued", func(m msg) bool { return m.Type == "handoff" && m.State == chat.StateQueued })
	convID := agent.untilStaff("queue item", func(m staffMsg) bool { return m.Type == "queue" && len(m.Items) == 1 }).Items[0].Conversation
	agent.send(map[string]any{"type": "claim", "conversation_id": convID, "id": "claim"})
	agent.untilStaff("transcript", func(m staffMsg) bool { return m.Type == "conversation" })
	citizen.untilCitizen("agent joined", func(m msg) bool { return m.Type == "handoff" && m.State == chat.StateAgent })
	agentSays(agent, convID, "Goedemiddag, u spreekt met Anna.")
	agentStored(agent, "Goedemiddag, u spreekt met Anna.")
	live := citizenReads(citizen, "Goedemiddag, u spreekt met Anna.")
	if last := live[len(live)-1]; last.Role != chat.RoleAgent || last.Author != "Anna" {
		t.Fatalf("citizen got %+v", live)
	}
	citizenSays(citizen, "c1", "Ik wacht al drie weken op mijn vergunning.")
	citizenAcked(citizen, "c1")
	agent.untilStaff("citizen message", func(m staffMsg) bool { return m.Type == "message" && m.Message.ClientID == "c1" })

	// 2. The citizen's connection breaks; the agent writes on.
	dropConn(citizen)
	waitConnections(t, a, 0)
	for _, text := range []string{"Ik kijk het even voor u na.", "Uw aanvraag is in behandeling.", "Bent u er nog?"} {
		agentSays(agent, convID, text)
		agentStored(agent, text)
	}
	// The citizen comes back while the agent writes more.
	citizen = a.citizen(t, "GM9001")
	citizen.send(map[string]any{"type": "hello", "v": 1, "conversation": token})
	during := []string{"U krijgt binnen twee weken bericht.", "Er ontbrak nog een tekening.", "Die kunt u online nasturen."}
	for _, text := range during {
		agentSays(agent, convID, text)
	}
	w := citizen.read()
	if w.Type != "welcome" || !w.Resumed || w.Conversation != token || w.State != chat.StateAgent {
		t.Fatalf("welcome after reconnect: %+v", w)
	}
	got := w.History
	if !slices.ContainsFunc(got, func(m chat.Message) bool { return m.Text == during[len(during)-1] }) {
		got = append(got, citizenReads(citizen, during[len(during)-1])...)
	}
	checkSeqs(t, "citizen after reconnect", got)
	if seen, all := only(lines(got), chat.RoleAgent), only(want, chat.RoleAgent); !slices.Equal(seen, all) {
		t.Fatalf("citizen saw the agent's messages\n%q\nwant\n%q", seen, all)
	}
	for _, text := range during {
		agentStored(agent, text)
	}
	// Still with the agent: the citizen's question reaches them, the bot is silent.
	citizenSays(citizen, "c2", "Welke tekening bedoelt u?")
	citizenAcked(citizen, "c2")
	agent.untilStaff("citizen message", func(m staffMsg) bool { return m.Type == "message" && m.Message.ClientID == "c2" })
	agentSays(agent, convID, "De plattegrond van de verbouwing.")
	agentStored(agent, "De plattegrond van de verbouwing.")
	citizenReads(citizen, "De plattegrond van de verbouwing.")

	// 3. The agent's connection breaks; the citizen writes on, and is acknowledged.
	dropConn(agent)
	waitConnections(t, b, 0)
	for i, text := range []string{"Die heb ik gisteren gemaild.", "Naar het algemene adres.", "Is die aangekomen?"} {
		id := fmt.Sprintf("c%d", 3+i)
		citizenSays(citizen, id, text)
		citizenAcked(citizen, id)
	}
	// The agent comes back (the same session) while the citizen writes more, and
	// opens the conversation again.
	agent = b.agent(t, anna)
	during = []string{"Ik heb ook nog een vraag over de kosten.", "Hoeveel kost de vergunning?"}
	for i, text := range during {
		citizenSays(citizen, fmt.Sprintf("c%d", 6+i), text)
	}
	agent.send(map[string]any{"type": "open", "conversation_id": convID})
	agent.send(map[string]any{"type": "colleagues"}) // answered after the transcript
	view := &agentView{t: t, conv: convID, ok: map[string]bool{}}
	view.readUntil(agent, func() bool { return view.marker && view.has(during[len(during)-1]) && view.claimedBy == anna.ID })
	if view.state != chat.StateAgent || view.handoff == nil || view.handoff.ClaimedBy != anna.ID {
		t.Fatalf("after reconnecting the agent sees state %q, hand-off %+v", view.state, view.handoff)
	}
	if got := lines(view.messages); !slices.Equal(got, want) {
		t.Fatalf("agent's transcript after reconnect\n%q\nwant\n%q", got, want)
	}
	for i := range during {
		citizenAcked(citizen, fmt.Sprintf("c%d", 6+i))
	}

	// Live both ways again.
	agentSays(agent, convID, "De vergunning kost 120 euro.")
	view.readUntil(agent, func() bool {
		return view.has("De vergunning kost 120 euro.") && view.ok["De vergunning kost 120 euro."]
	})
	citizenReads(citizen, "De vergunning kost 120 euro.")
	citizenSays(citizen, "c8", "Dank u wel.")
	citizenAcked(citizen, "c8")
	view.readUntil(agent, func() bool { return view.has("Dank u wel.") })
	if got := lines(view.messages); !slices.Equal(got, want) {
		t.Fatalf("agent's transcript at the end\n%q\nwant\n%q", got, want)
	}

	// 4. The database has every message once, in order, and no bot answer after the
	// agent took over.
	rows, err := cs.db.Pool.Query(context.Background(), `SELECT seq, role, text FROM messages WHERE conversation_id = $1 ORDER BY seq`, convID)
	if err != nil {
		t.Fatal(err)
	}
	var stored []chat.Message
	for rows.Next() {
		var m chat.Message
		if err := rows.Scan(&m.Seq, &m.Role, &m.Text); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	checkSeqs(t, "database", stored)
	joined := -1
	for i, m := range stored {
		if m.Role == chat.RoleSystem && strings.Contains(m.Text, "medewerker van de gemeente") && joined < 0 && i > 2 {
			joined = i
		}
	}
	if joined < 0 {
		t.Fatalf("no agent-joined message in %+v", stored)
	}
	for _, m := range stored[joined:] {
		if m.Role == chat.RoleBot {
			t.Errorf("the bot answered while the agent had the conversation: %+v", m)
		}
	}
	if got := lines(stored); !slices.Equal(got, want) {
		t.Errorf("stored\n%q\nwant\n%q", got, want)
	}
}

// dropConn breaks a websocket without a close frame, as a lost network does.
func dropConn(c *wsClient) { _ = c.conn.NetConn().Close() }

// waitConnections waits until an instance has n open connections.
func waitConnections(t testing.TB, in *instance, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for in.srv.Hub().Connections() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections, want %d", in.srv.Hub().Connections(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// citizenMsg is a message to the citizen as far as these tests read it.
type citizenMsg struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Seq    int    `json:"seq"`
	Role   string `json:"role"`
	Text   string `json:"text"`
	Author string `json:"author"`
	Code   string `json:"code"`
}

// citizenUntil reads a citizen's messages until one of the types; the bot answering
// or an error fails the test.
func citizenUntil(c *wsClient, what string, types ...string) citizenMsg {
	c.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		_ = c.conn.SetReadDeadline(deadline)
		var m citizenMsg
		if err := c.conn.ReadJSON(&m); err != nil {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		if slices.Contains(types, m.Type) {
			return m
		}
		if m.Type == "answer" || m.Type == "answer.delta" || m.Type == "error" || m.Type == "welcome" {
			c.t.Fatalf("waiting for %s the citizen got %+v", what, m)
		}
	}
}

// citizenReads reads a citizen's messages until the one with text, returning the
// conversation's messages received on the way.
func citizenReads(c *wsClient, text string) []chat.Message {
	c.t.Helper()
	var got []chat.Message
	for {
		m := citizenUntil(c, fmt.Sprintf("%q", text), "message")
		got = append(got, chat.Message{Seq: m.Seq, Role: m.Role, Text: m.Text, Author: m.Author})
		if m.Text == text {
			return got
		}
	}
}

// citizenAcked reads a citizen's messages until the ack of question id.
func citizenAcked(c *wsClient, id string) {
	c.t.Helper()
	if m := citizenUntil(c, "ack "+id, "ack"); m.ID != id || m.Seq == 0 {
		c.t.Fatalf("waiting for the ack of %s the citizen got %+v", id, m)
	}
}

// agentView is what a staff console shows of one conversation: the last transcript
// with the live messages after it.
type agentView struct {
	t         testing.TB
	conv      int64
	opened    bool
	state     string
	handoff   *chat.QueueItem
	messages  []chat.Message
	claimedBy int64 // in the last queue
	marker    bool  // the colleagues reply arrived
	ok        map[string]bool
}

// readUntil reads the console's messages into the view until done. A message that
// comes before the transcript, or twice, or after a gap, fails the test.
func (v *agentView) readUntil(c *wsClient, done func() bool) {
	v.t.Helper()
	for !done() {
		m := c.untilStaff("agent view", func(staffMsg) bool { return true })
		switch {
		case m.Type == "error":
			v.t.Fatalf("agent got %+v", m)
		case m.Type == "colleagues":
			v.marker = true
		case m.Type == "ok":
			v.ok[m.ID] = true
		case m.Type == "queue":
			v.claimedBy = 0
			for _, it := range m.Items {
				if it.Conversation == v.conv {
					v.claimedBy = it.ClaimedBy
				}
			}
		case m.Conversation != v.conv:
		case m.Type == "conversation":
			checkSeqs(v.t, "transcript", m.Messages)
			v.opened, v.state, v.messages = true, m.State, m.Messages
			v.handoff = m.Handoff
		case m.Type == "state":
			v.state = m.State
		case m.Type == "message":
			if !v.opened {
				v.t.Fatalf("message %+v before the transcript", m.Message.Message)
			}
			if last := len(v.messages); m.Message.Seq != last+1 {
				v.t.Fatalf("message %d (%q) after message %d: lost or sent twice", m.Message.Seq, m.Message.Text, last)
			}
			v.messages = append(v.messages, m.Message.Message)
		}
	}
}

func (v *agentView) has(text string) bool {
	for _, m := range v.messages {
		if m.Text == text {
			return true
		}
	}
	return false
}

// checkSeqs fails unless the messages are numbered 1, 2, 3, … without a gap or a repeat.
func checkSeqs(t testing.TB, what string, ms []chat.Message) {
	t.Helper()
	for i, m := range ms {
		if m.Seq != i+1 {
			t.Fatalf("%s: message %d has seq %d (lost or repeated): %+v", what, i, m.Seq, ms)
		}
	}
}

// lines returns the citizen's and the agent's messages as "role: text".
func lines(ms []chat.Message) []string {
	var out []string
	for _, m := range ms {
		if m.Role == chat.RoleCitizen || m.Role == chat.RoleAgent {
			out = append(out, m.Role+": "+m.Text)
		}
	}
	return out
}

// only returns the lines of one role.
func only(lines []string, role string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, role+": ") {
			out = append(out, l)
		}
	}
	return out
}
