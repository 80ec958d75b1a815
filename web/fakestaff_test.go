package web_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/web"
)

// The agent the scripted staff server logs in, and a colleague.
const (
	annaID   = 7
	bertID   = 8
	fakeCSRF = "csrf-token-anna"
)

// fakeStaff is a scripted staff server: GET /staff/session, POST /staff/logout and the
// console's websocket /staff/ws, speaking the staff part of docs/protocol.md. It
// starts with a queue (see newFakeStaff) and answers the console's requests as the
// real server does: claim sends the transcript and ok, reply stores and echoes the
// agent's message, handback and close end the hand-off, colleagues lists Bert,
// transfer gives the conversation to him, callback.done removes the request. A claim
// of a conversation in claimedByOther gets the error `claimed`.
type fakeStaff struct {
	inbox    // what the page sent
	upgrader websocket.Upgrader

	mu             sync.Mutex
	conns          map[*fakeConn]bool
	connects       int
	items          []map[string]any // the queue, in the order sent
	callbacks      []map[string]any
	transcripts    map[int][]map[string]any // by conversation
	states         map[int]string
	claimedByOther map[int]bool
	seq            map[int]int
	sessionStatus  int    // of GET /staff/session; 0 is 200
	role           string // of the session: supervisor unless set
	logouts        []string
}

func newFakeStaff(t *testing.T) *fakeStaff {
	ago := func(d time.Duration) string { return time.Now().Add(-d).UTC().Format(time.RFC3339) }
	f := &fakeStaff{
		inbox: inbox{name: "fake staff"},
		conns: map[*fakeConn]bool{},
		items: []map[string]any{
			{"conversation": 15, "reason": "emergency_suicide", "topic": "zelfdoding", "priority": 1, "summary": "Ik zie het niet meer zitten", "requested_at": ago(58 * time.Second)},
			{"conversation": 12, "reason": "sensitive", "topic": "uitzetting", "priority": 2, "summary": "Ik moet mijn huis uit", "requested_at": ago(3*time.Minute + 5*time.Second)},
			{"conversation": 20, "reason": "request", "topic": "verzoek", "priority": 4, "summary": "Kan ik iemand spreken?", "requested_at": ago(10 * time.Minute), "claimed_by": bertID, "agent_name": "Bert"},
		},
		callbacks: []map[string]any{
			{"id": 3, "conversation": 9, "name": "Jan de Vries", "contact": "06 12345678", "question": "Wanneer wordt mijn container geleegd?", "created_at": ago(time.Hour)},
		},
		transcripts: map[int][]map[string]any{
			12: {
				{"seq": 1, "role": "citizen", "text": "Wat kost een paspoort?", "at": ago(5 * time.Minute), "id": "c1"},
				{"seq": 2, "role": "bot", "text": passportAnswer, "at": ago(5 * time.Minute), "answer_id": 41, "outcome": "answered", "citations": passportCitations},
				{"seq": 3, "role": "citizen", "text": "Ik moet mijn huis uit", "at": ago(4 * time.Minute), "id": "c2"},
				{"seq": 4, "role": "bot", "text": "Dit is belangrijk. Een medewerker helpt u.", "at": ago(4 * time.Minute), "answer_id": 42, "outcome": "handoff", "handoff_reason": "sensitive"},
				{"seq": 5, "role": "system", "text": "Ik zet u door naar een medewerker van de gemeente.", "at": ago(4 * time.Minute)},
			},
		},
		states:         map[int]string{12: "queued", 15: "queued", 20: "agent"},
		claimedByOther: map[int]bool{15: true},
		seq:            map[int]int{12: 5},
	}
	t.Cleanup(f.dropAll)
	return f
}

// serveStaff starts the console's pages and the scripted staff server, mounted as
// cmd/vraagbaak mounts them (without the session check: the fake has one session).
func serveStaff(t *testing.T) (*httptest.Server, *fakeStaff) {
	t.Helper()
	f := newFakeStaff(t)
	mux := http.NewServeMux()
	pages := web.StaffHandler()
	mux.Handle("GET /staff/{$}", pages)
	mux.Handle("GET /staff/static/", pages)
	mux.HandleFunc("GET /staff/ws", f.serveWS)
	mux.HandleFunc("GET /staff/session", f.session)
	mux.HandleFunc("POST /staff/logout", f.logout)
	mux.HandleFunc("GET /staff/login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="nl"><head><title>Inloggen</title></head><body><main><h1>Inloggen</h1></main></body></html>`)) // the browser went away
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, f
}

func (f *fakeStaff) session(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	status, role := f.sessionStatus, f.role
	f.mu.Unlock()
	if role == "" {
		role = "supervisor"
	}
	w.Header().Set("Content-Type", "application/json")
	if status != 0 {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"error":"U bent niet (meer) ingelogd. Log opnieuw in."}`)) // the browser went away
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"email": "anna@bloemendijk.example", "name": "Anna", "municipality": "GM9001",
		"role": role, "csrf": fakeCSRF, "expires_at": time.Now().Add(8 * time.Hour).UTC()}) // the browser went away
}

func (f *fakeStaff) logout(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.logouts = append(f.logouts, r.Header.Get("X-CSRF-Token"))
	f.mu.Unlock()
	if r.Header.Get("X-CSRF-Token") != fakeCSRF {
		http.Error(w, `{"error":"geweigerd"}`, http.StatusForbidden)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (f *fakeStaff) serveWS(w http.ResponseWriter, r *http.Request) {
	ws, err := f.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	f.mu.Lock()
	f.conns[c] = true
	f.connects++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
		ws.Close()
	}()
	c.send(map[string]any{"type": "welcome", "name": "Anna", "municipality": "GM9001", "account_id": annaID})
	c.send(f.queueMsg())
	for {
		var msg map[string]any
		if err := ws.ReadJSON(&msg); err != nil {
			return
		}
		f.record(msg)
		f.handle(c, msg)
	}
}

func (f *fakeStaff) queueMsg() map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	items := make([]map[string]any, len(f.items))
	for i, it := range f.items {
		items[i] = maps.Clone(it)
	}
	cbs := append([]map[string]any{}, f.callbacks...)
	return map[string]any{"type": "queue", "items": items, "callbacks": cbs, "online": 2}
}

// broadcast sends a message to every console.
func (f *fakeStaff) broadcast(msg map[string]any) {
	f.mu.Lock()
	conns := make([]*fakeConn, 0, len(f.conns))
	for c := range f.conns {
		conns = append(conns, c)
	}
	f.mu.Unlock()
	for _, c := range conns {
		c.send(msg)
	}
}

// setItems replaces the queue and sends it.
func (f *fakeStaff) setItems(items ...map[string]any) {
	f.mu.Lock()
	f.items = items
	f.mu.Unlock()
	f.broadcast(f.queueMsg())
}

// item returns the queue item of a conversation (nil when it is not in the queue).
func (f *fakeStaff) item(conv int) map[string]any {
	for _, it := range f.items {
		if it["conversation"] == conv {
			return it
		}
	}
	return nil
}

// addMessage stores a message in a conversation and sends it to every console.
func (f *fakeStaff) addMessage(conv int, role, text, author string) {
	f.mu.Lock()
	f.seq[conv]++
	m := map[string]any{"seq": f.seq[conv], "role": role, "text": text, "at": now()}
	if author != "" {
		m["author"] = author
	}
	f.transcripts[conv] = append(f.transcripts[conv], m)
	f.mu.Unlock()
	f.broadcast(map[string]any{"type": "message", "conversation": conv, "message": m})
}

func (f *fakeStaff) conversationMsg(conv int) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	msg := map[string]any{"type": "conversation", "conversation": conv, "state": f.states[conv], "municipality": "GM9001",
		"messages": append([]map[string]any{}, f.transcripts[conv]...)}
	if it := f.item(conv); it != nil {
		msg["handoff"] = maps.Clone(it)
	}
	return msg
}

// endHandoff takes a conversation out of the queue and tells its new state.
func (f *fakeStaff) endHandoff(conv int, state string) {
	f.mu.Lock()
	f.states[conv] = state
	var rest []map[string]any
	for _, it := range f.items {
		if it["conversation"] != conv {
			rest = append(rest, it)
		}
	}
	f.items = rest
	f.mu.Unlock()
	f.broadcast(map[string]any{"type": "state", "conversation": conv, "state": state})
	f.broadcast(f.queueMsg())
}

func (f *fakeStaff) handle(c *fakeConn, msg map[string]any) {
	id, _ := msg["id"].(string)
	n, _ := msg["conversation_id"].(float64)
	conv := int(n)
	ok := func() { c.send(map[string]any{"type": "ok", "of": msg["type"], "id": id}) }
	switch msg["type"] {
	case "open":
		c.send(f.conversationMsg(conv))
	case "claim":
		f.mu.Lock()
		it := f.item(conv)
		other := f.claimedByOther[conv]
		if it != nil {
			it["claimed_by"], it["agent_name"] = annaID, "Anna"
			if other {
				it["claimed_by"], it["agent_name"] = bertID, "Bert"
			}
			f.states[conv] = "agent"
		}
		f.mu.Unlock()
		if other || it == nil {
			c.send(map[string]any{"type": "error", "code": "claimed", "message": "Een collega heeft dit gesprek al overgenomen.", "id": id})
		} else {
			f.addMessage(conv, "system", "U praat nu met een medewerker van de gemeente.", "")
			c.send(f.conversationMsg(conv))
			ok()
		}
		f.broadcast(f.queueMsg())
	case "reply":
		text, _ := msg["text"].(string)
		f.addMessage(conv, "agent", text, "Anna")
		ok()
	case "typing":
	case "handback":
		ok()
		f.endHandoff(conv, "bot")
	case "close":
		ok()
		f.endHandoff(conv, "closed")
	case "colleagues":
		c.send(map[string]any{"type": "colleagues", "colleagues": []map[string]any{{"id": bertID, "name": "Bert"}}})
	case "transfer":
		f.mu.Lock()
		it := f.item(conv)
		if it == nil {
			f.mu.Unlock()
			c.send(map[string]any{"type": "error", "code": "forbidden", "message": "Dit gesprek hoort niet bij uw gemeente of is niet van u.", "id": id})
			return
		}
		it["claimed_by"], it["agent_name"] = bertID, "Bert"
		handoff := maps.Clone(it)
		f.mu.Unlock()
		ok()
		f.broadcast(map[string]any{"type": "state", "conversation": conv, "state": "agent", "handoff": handoff})
		f.broadcast(f.queueMsg())
	case "callback.done":
		f.mu.Lock()
		f.callbacks = nil
		f.mu.Unlock()
		ok()
		f.broadcast(f.queueMsg())
	}
}

// expire ends the session as the real server does: an error, then close code 4001.
func (f *fakeStaff) expire(withError bool) {
	f.mu.Lock()
	f.sessionStatus = http.StatusUnauthorized
	conns := make([]*fakeConn, 0, len(f.conns))
	for c := range f.conns {
		conns = append(conns, c)
	}
	f.mu.Unlock()
	for _, c := range conns {
		if withError {
			c.send(map[string]any{"type": "error", "code": "session_expired", "message": "Uw sessie is verlopen. Log opnieuw in."})
		}
		c.mu.Lock()
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4001, "sessie verlopen"), time.Now().Add(time.Second)) // the page may have gone already
		c.mu.Unlock()
	}
}

// dropAll closes every connection without a close handshake, as a crash would.
func (f *fakeStaff) dropAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.ws.Close()
	}
}
