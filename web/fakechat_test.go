package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeToken is the conversation token the scripted server hands out.
const fakeToken = "tok-bloemendijk-1"

// The answer to a question about passports: three citations, one with a hostile title
// and one with a javascript: URL, and markup in the text that must stay text.
const passportAnswer = "Een paspoort voor volwassenen kost 84,95 euro [1]. " +
	"Kinderen betalen minder [2]. Lees ook [3]. <b>vet</b>"

// safetyNote is the 113 note the real server adds when the crisis detector is
// unsure (answer/safetynote.go).
const safetyNote = "Gaat het niet goed met u? Praat erover met 113 Zelfmoordpreventie: bel 0800-0113 (gratis, dag en nacht) " +
	"of chat op 113.nl. Bij direct gevaar: bel 112."

var passportCitations = []map[string]any{
	{"n": 1, "url": "https://www.bloemendijk.nl/paspoort#kosten", "title": "Paspoort aanvragen", "checked_at": "2026-11-22"},
	{"n": 2, "url": "https://www.bloemendijk.nl/id-kaart", "title": `<img src=x onerror=alert(1)>`, "checked_at": "2026-03-05"},
	{"n": 3, "url": "javascript:alert(1)", "title": "Gevaarlijke link", "checked_at": "2026-11-22"},
}

// fakeChat is a scripted server for one conversation that speaks protocol v1
// (docs/protocol.md). What it answers depends on words in the question:
//
//	paspoort      answered, streamed in three pieces, with passportCitations
//	stemadvies    refused, offering a person (or, when offline is set, the call-back)
//	gewoon weg    answered with the 113 safety note after it, offering a person as a
//	              refusal does (the crisis detector was unsure)
//	zelfmoord     outcome handoff (an emergency); when offline is set, followed by the
//	              offline hand-off with the call-back offer, as the real server does
//	fout          an error (rate_limited) instead of an ack
//	[stil]        nothing at all the first time (the ack is lost), answered when sent again
//	[bezet]       stored and acknowledged, then `busy` the first time; answered when sent again
//	[storing]     `unavailable` (not stored) the first time; stored and answered when sent again
//	anything else answered, no citations
//
// feedback gets feedback.ok; handoff.request gets queued, then agent, with system
// messages, an agent's message and the agent typing (or, when offline is set, offline
// with the offer of a call-back); callback gets callback.ok, or an error when the
// contact holds "fout".
type fakeChat struct {
	inbox    // what the page sent
	upgrader websocket.Upgrader

	mu       sync.Mutex
	conns    map[*fakeConn]bool
	gate     chan struct{} // when set, new connections wait for it to close before the upgrade
	hold     chan struct{} // when set, the next answer waits for it to close after its pieces
	queries  []url.Values
	history  []map[string]any
	answers  map[string]map[string]any // final answer by question id
	stored   map[string]int            // seq of each stored question, by id
	silenced map[string]bool
	failed   map[string]bool // questions that got their one busy or unavailable
	seq      int
	answerID int
	state    string
	offline  bool // handoff.request: nobody is available, the call-back form is offered
}

type fakeConn struct {
	mu sync.Mutex // one writer at a time
	ws *websocket.Conn
}

func (c *fakeConn) send(msg map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A failed write shows up as a failed read in serve.
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_ = c.ws.WriteJSON(msg)
}

func newFakeChat(t *testing.T) *fakeChat {
	f := &fakeChat{
		inbox:    inbox{name: "fake chat"},
		conns:    map[*fakeConn]bool{},
		answers:  map[string]map[string]any{},
		stored:   map[string]int{},
		silenced: map[string]bool{},
		failed:   map[string]bool{},
		answerID: 40,
		state:    "bot",
	}
	t.Cleanup(func() {
		f.mu.Lock()
		if f.gate != nil {
			close(f.gate)
			f.gate = nil
		}
		f.mu.Unlock()
		f.dropAll()
	})
	return f
}

func (f *fakeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.Query())
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	ws, err := f.upgrader.Upgrade(w, r, nil) // checks Origin against Host
	if err != nil {
		return
	}
	c := &fakeConn{ws: ws}
	f.mu.Lock()
	f.conns[c] = true
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
		ws.Close()
	}()
	ws.SetReadLimit(8 << 10)
	for {
		var msg map[string]any
		if err := ws.ReadJSON(&msg); err != nil {
			return
		}
		f.record(msg)
		f.handle(c, msg)
	}
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

func (f *fakeChat) handle(c *fakeConn, msg map[string]any) {
	str := func(k string) string { s, _ := msg[k].(string); return s }
	switch str("type") {
	case "hello":
		f.mu.Lock()
		history := append([]map[string]any{}, f.history...)
		state := f.state
		f.mu.Unlock()
		c.send(map[string]any{"type": "welcome", "conversation": fakeToken,
			"resumed": str("conversation") == fakeToken, "state": state, "history": history})
	case "question":
		f.question(c, str("id"), str("text"))
	case "feedback":
		c.send(map[string]any{"type": "feedback.ok", "answer_id": msg["answer_id"]})
	case "handoff.request":
		f.mu.Lock()
		offline := f.offline
		f.mu.Unlock()
		if offline {
			c.send(map[string]any{"type": "handoff", "state": "offline", "reason": "request", "text": offlineText, "callback": true})
			return
		}
		// As the real server: the state changes without text, the words come as
		// system messages.
		c.send(map[string]any{"type": "handoff", "state": "queued", "reason": "request", "position": 2})
		c.send(f.store("system", "We zoeken een medewerker voor u.", ""))
		f.mu.Lock()
		f.state = "agent"
		f.mu.Unlock()
		c.send(map[string]any{"type": "handoff", "state": "agent", "reason": "request"})
		c.send(f.store("system", "U praat nu met een medewerker van de gemeente.", ""))
		c.send(f.store("agent", "Goedemiddag, u spreekt met Sanne van de gemeente.", "Sanne"))
		c.send(map[string]any{"type": "typing", "role": "agent"})
	case "callback":
		contact := str("contact")
		if strings.Contains(contact, "fout") || msg["consent"] != true {
			c.send(map[string]any{"type": "error", "code": "bad_request", "id": msg["id"],
				"message": "Er ging iets mis met uw bericht. Probeer het opnieuw."})
			return
		}
		c.send(map[string]any{"type": "callback.ok", "text": callbackThanks})
	}
}

// Texts of the hand-off as the real server words them.
const (
	offlineText    = "Er is nu geen medewerker beschikbaar. Laat een terugbelverzoek achter, dan neemt de gemeente contact met u op."
	callbackOffer  = "Laat hieronder een terugbelverzoek achter. Dan neemt de gemeente contact met u op."
	callbackThanks = "Bedankt. We hebben uw terugbelverzoek ontvangen. Een medewerker neemt zo snel mogelijk contact met u op."
)

// store adds a message from someone else (an agent, the system) to the history and
// returns it as a `message` to send.
func (f *fakeChat) store(role, text, author string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	m := map[string]any{"seq": f.seq, "role": role, "text": text, "at": now()}
	if author != "" {
		m["author"] = author
	}
	f.history = append(f.history, m)
	out := map[string]any{"type": "message"}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// broadcast sends a message to every connection.
func (f *fakeChat) broadcast(msg map[string]any) {
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

func (f *fakeChat) question(c *fakeConn, id, text string) {
	f.mu.Lock()
	if strings.Contains(text, "[stil]") && !f.silenced[id] {
		f.silenced[id] = true
		f.mu.Unlock()
		return
	}
	if strings.Contains(text, "fout") {
		f.mu.Unlock()
		c.send(map[string]any{"type": "error", "code": "rate_limited", "id": id,
			"message": "U stelt veel vragen achter elkaar. Wacht even en probeer het dan opnieuw."})
		return
	}
	if strings.Contains(text, "[storing]") && !f.failed[id] {
		f.failed[id] = true
		f.mu.Unlock()
		c.send(map[string]any{"type": "error", "code": "unavailable", "id": id,
			"message": "Het lukt nu even niet om uw vraag te beantwoorden. Probeer het over een paar minuten opnieuw."})
		return
	}
	seq, known := f.stored[id]
	if !known {
		f.seq++
		seq = f.seq
		f.stored[id] = seq
		f.history = append(f.history, map[string]any{"seq": seq, "role": "citizen", "text": text, "id": id, "at": now()})
	}
	answer := f.answers[id]
	state := f.state
	offline := f.offline
	hold := f.hold
	f.hold = nil
	f.mu.Unlock()

	c.send(map[string]any{"type": "ack", "id": id, "seq": seq})
	f.mu.Lock()
	busy := strings.Contains(text, "[bezet]") && !f.failed[id]
	f.failed[id] = f.failed[id] || busy
	f.mu.Unlock()
	if busy {
		c.send(map[string]any{"type": "error", "code": "busy", "id": id,
			"message": "Ik ben nog bezig met uw vorige vragen. Een ogenblik geduld."})
		return
	}
	if answer != nil {
		c.send(answer)
		return
	}
	if state == "agent" {
		return
	}
	reply, outcome, citations, reason := "Dit is het antwoord op uw vraag.", "answered", []map[string]any{}, ""
	noted := false
	switch {
	case strings.Contains(text, "gewoon weg"):
		reply, noted = "Een paspoort kost maximaal € 88,15.\n\n"+safetyNote, true
	case strings.Contains(text, "paspoort"):
		reply, citations = passportAnswer, passportCitations
	case strings.Contains(text, "balie"):
		reply = "De balie is open op:\n- maandag: 9.00 - 12.00 uur\n- donderdag: gesloten [1].\nKom op tijd [1]."
	case strings.Contains(text, "stemadvies"):
		reply, outcome = "Daar kan ik u niet mee helpen. Kijk op de website van de Kiesraad.", "refused"
	case strings.Contains(text, "zelfmoord"):
		reply, outcome, reason = "Denkt u aan zelfmoord? Bel 113 Zelfmoordpreventie via 0800-0113 (gratis, dag en nacht) of chat op 113.nl. "+
			"Is er direct gevaar? Bel 112. Wilt u ook met de gemeente praten? Er is nu geen medewerker beschikbaar. "+
			"Het contactcentrum is weer open op maandag vanaf 9.00 uur.", "handoff", "emergency_suicide"
	}
	runes := []rune(reply)
	for i := range 3 {
		c.send(map[string]any{"type": "answer.delta", "id": id, "text": string(runes[i*len(runes)/3 : (i+1)*len(runes)/3])})
	}
	if hold != nil {
		select {
		case <-hold:
		case <-time.After(20 * time.Second):
		}
	}
	f.mu.Lock()
	f.seq++
	f.answerID++
	answer = map[string]any{"type": "answer", "id": id, "answer_id": f.answerID, "seq": f.seq,
		"outcome": outcome, "text": reply, "citations": citations, "handoff_reason": reason}
	if outcome == "refused" || noted {
		answer["offer"] = map[bool]string{false: "agent", true: "callback"}[offline]
	}
	f.answers[id] = answer
	f.history = append(f.history, map[string]any{"seq": f.seq, "role": "bot", "text": reply, "at": now(),
		"answer_id": f.answerID, "outcome": outcome, "citations": citations, "handoff_reason": reason})
	f.mu.Unlock()
	c.send(answer)
	if outcome == "handoff" && offline {
		c.send(map[string]any{"type": "handoff", "state": "offline", "reason": reason, "text": callbackOffer, "callback": true})
	}
}

// holdNext makes the next answer wait after its pieces until release is called.
func (f *fakeChat) holdNext() (release func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.hold = ch
	f.mu.Unlock()
	return sync.OnceFunc(func() { close(ch) })
}

// closeGate makes new connections wait; the returned func lets them through.
func (f *fakeChat) closeGate() (open func()) {
	ch := make(chan struct{})
	f.mu.Lock()
	f.gate = ch
	f.mu.Unlock()
	return sync.OnceFunc(func() {
		f.mu.Lock()
		if f.gate == ch {
			f.gate = nil
		}
		f.mu.Unlock()
		close(ch)
	})
}

// dropAll closes every connection without a close handshake, as a crash would.
func (f *fakeChat) dropAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for c := range f.conns {
		c.ws.Close()
	}
}

// addHistory stores a message the client has not seen.
func (f *fakeChat) addHistory(role, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.history = append(f.history, map[string]any{"seq": f.seq, "role": role, "text": text, "at": now()})
}
