package chat_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

// from dials as a citizen behind the (loopback) proxy at address ip; forged, if given,
// is what the client itself wrote in X-Forwarded-For before the proxy appended ip.
func (cs *chatServer) from(ip, forged string) (*wsClient, *http.Response, error) {
	h := http.Header{}
	xff := ip
	if forged != "" {
		xff = forged + ", " + ip
	}
	h.Set("X-Forwarded-For", xff)
	return cs.dial("", h)
}

// closed reads until the server closes the connection and returns the close frame.
func closed(t testing.TB, c *wsClient) *websocket.CloseError {
	t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := c.conn.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("read: %v, want a close frame", err)
		}
		return ce
	}
}

// A flood of silent connections from one address is bounded: past the cap per address
// they are closed at once with 1013, and a citizen from another address is served
// meanwhile; past the total cap every address is refused.
func TestConnectionFlood(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{TrustedProxies: throttle.Loopback(), MaxConnectionsPerIP: 5, MaxConnections: 8, HelloTimeout: time.Minute})

	var flood []*wsClient
	for i := range 8 {
		// Forged entries left of the proxy's do not make the flood look like many addresses.
		c, _, err := cs.from("203.0.113.9", fmt.Sprintf("10.9.9.%d", i))
		if err != nil {
			t.Fatalf("flood connection %d: %v", i+1, err)
		}
		flood = append(flood, c)
	}
	for i, c := range flood[5:] {
		if ce := closed(t, c); ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "adres") {
			t.Errorf("flood connection %d past the cap: close %d %q, want 1013 about the address", 6+i, ce.Code, ce.Text)
		}
	}

	// Another address is still served while the flood holds its connections.
	other, _, err := cs.from("198.51.100.2", "")
	if err != nil {
		t.Fatal(err)
	}
	other.hello("")
	if a := other.ask("q1", "Wat kost een paspoort?"); a.Outcome != answer.Answered {
		t.Errorf("citizen from another address: %+v", a)
	}

	// 5 + 1 open; two more addresses reach the total cap of 8, the next is refused.
	for _, ip := range []string{"198.51.100.3", "198.51.100.4"} {
		c, _, err := cs.from(ip, "")
		if err != nil {
			t.Fatal(err)
		}
		c.hello("")
	}
	full, _, err := cs.from("198.51.100.5", "")
	if err != nil {
		t.Fatal(err)
	}
	if ce := closed(t, full); ce.Code != websocket.CloseTryAgainLater || !strings.Contains(ce.Text, "vol") {
		t.Errorf("past the total cap: close %d %q, want 1013", ce.Code, ce.Text)
	}

	// A connection that ends frees its place.
	flood[0].conn.Close()
	waitConnections(t, cs.inst, 7)
	again, _, err := cs.from("203.0.113.9", "")
	if err != nil {
		t.Fatal(err)
	}
	again.hello("")
}

// A connection that sends no hello in time is closed with 1008, also when it sends
// other messages; a citizen who said hello stays.
func TestHelloDeadline(t *testing.T) {
	t.Parallel()
	// Long enough for the citizen's hello on a loaded machine; the test waits it out once.
	cs := newChatServer(t, chat.ServerConfig{HelloTimeout: 2 * time.Second})
	citizen := cs.connect("")
	citizen.hello("")
	silent, chatty := cs.connect(""), cs.connect("")
	chatty.send(map[string]any{"type": "question", "id": "x", "text": "hoi"}) // answered with an error, which closed skips
	for name, c := range map[string]*wsClient{"silent": silent, "chatty": chatty} {
		if ce := closed(t, c); ce.Code != websocket.ClosePolicyViolation || !strings.Contains(ce.Text, "hello") {
			t.Errorf("%s connection: close %d %q, want 1008 about hello", name, ce.Code, ce.Text)
		}
	}
	// The citizen's deadline, which began earlier, has passed too.
	if a := citizen.ask("q1", "Wat kost een paspoort?"); a.Outcome != answer.Answered {
		t.Errorf("after the hello deadline: %+v", a)
	}
}

// Conversations, hand-off requests and call-back requests are limited per address and
// per conversation, and a conversation keeps at most one open call-back request.
func TestRequestFloods(t *testing.T) {
	t.Parallel()
	closedHours, err := chat.ParseOpeningHours("*=za 00:00-00:01")
	if err != nil {
		t.Fatal(err)
	}
	cs := newChatServer(t, chat.ServerConfig{TrustedProxies: throttle.Loopback(), OpeningHours: closedHours,
		// Slow rates, so that no token comes back during the test: the bursts are 3
		// new conversations, and 2 of everything else.
		NewConversationRate: 0.01, HandoffIPRate: 0.01, HandoffConvRate: 0.01, CallbackIPRate: 0.01, CallbackConvRate: 0.01})
	ctx := context.Background()
	count := func(query string) int {
		t.Helper()
		var n int
		if err := cs.db.Pool.QueryRow(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("conversations per address", func(t *testing.T) {
		var token string
		for range 3 { // the burst
			c, _, err := cs.from("203.0.113.1", "")
			if err != nil {
				t.Fatal(err)
			}
			token = c.hello("").Conversation
		}
		c, _, _ := cs.from("203.0.113.1", "10.1.1.1")
		c.send(map[string]any{"type": "hello", "v": 1})
		if m := c.read(); m.Type != "error" || m.Code != chat.ErrCodeRateLimited || !strings.Contains(m.Message, "gesprekken") {
			t.Fatalf("fourth new conversation: %+v", m)
		}
		if ce := closed(t, c); ce.Code != websocket.CloseTryAgainLater {
			t.Errorf("fourth new conversation closed with %d, want 1013", ce.Code)
		}
		// Resuming is not starting: it is not limited.
		r, _, _ := cs.from("203.0.113.1", "")
		if w := r.hello(token); !w.Resumed {
			t.Errorf("resume while limited: %+v", w)
		}
		other, _, _ := cs.from("203.0.113.2", "")
		other.hello("")
	})

	t.Run("hand-off requests per address", func(t *testing.T) {
		before := count(`SELECT count(*) FROM handoffs`)
		limited := 0
		for i := range 4 {
			c, _, _ := cs.from(fmt.Sprintf("203.0.113.%d", 20+i), "") // conversations started from several addresses …
			token := c.hello("").Conversation
			c.conn.Close()
			c, _, _ = cs.from("198.51.100.20", fmt.Sprintf("10.2.2.%d", i)) // … ask from one
			c.hello(token)
			c.send(map[string]any{"type": "handoff.request", "id": "h"})
			if m := c.read(); m.Type == "error" && m.Code == chat.ErrCodeRateLimited {
				limited++
			} else if m.Type != "handoff" {
				t.Fatalf("hand-off request %d: %+v", i+1, m)
			}
		}
		if got := count(`SELECT count(*) FROM handoffs`) - before; got != 2 || limited != 2 {
			t.Errorf("4 requests from one address: %d hand-offs stored, %d limited; want 2 and 2", got, limited)
		}
	})

	t.Run("hand-off requests per conversation", func(t *testing.T) {
		limited := 0
		var token string
		for i := range 3 {
			c, _, _ := cs.from(fmt.Sprintf("203.0.113.%d", 40+i), "") // a new address each time
			token = c.hello(token).Conversation
			c.send(map[string]any{"type": "handoff.request", "id": "h"})
			if m := c.read(); m.Type == "error" && m.Code == chat.ErrCodeRateLimited {
				limited++
			}
		}
		if limited != 1 {
			t.Errorf("3 requests in one conversation: %d limited, want 1", limited)
		}
	})

	t.Run("one open call-back per conversation", func(t *testing.T) {
		c, _, _ := cs.from("203.0.113.60", "")
		c.hello("")
		cb := func(contact string) msg {
			c.send(map[string]any{"type": "callback", "id": "cb", "name": "J. Jansen", "contact": contact, "question": "Bel mij", "consent": true})
			return c.read()
		}
		if m := cb("06-12345678"); m.Type != "callback.ok" || !strings.Contains(m.Text, "ontvangen") {
			t.Fatalf("first call-back: %+v", m)
		}
		if m := cb("06-87654321"); m.Type != "callback.ok" || !strings.Contains(m.Text, "al een terugbelverzoek") {
			t.Fatalf("second call-back: %+v", m)
		}
		if m := cb("06-11111111"); m.Type != "error" || m.Code != chat.ErrCodeRateLimited {
			t.Fatalf("third call-back: %+v", m)
		}
		cbs, err := cs.convs.Callbacks(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, cb := range cbs {
			if strings.HasPrefix(cb.Contact, "06-") {
				n++
				if cb.Contact != "06-12345678" {
					t.Errorf("the open call-back is %s, want the first one", cb.Contact)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d open call-backs, want 1", n)
		}
	})
}

// Client message ids are opaque tokens, and text PostgreSQL cannot store is refused
// at the edge, not reported as an outage.
func TestIDsAndUnstorableText(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	c := cs.connect("")
	c.hello("")
	for _, tc := range []struct {
		name string
		send map[string]any
		text string // in the error's message
	}{
		{"id with spaces", map[string]any{"type": "question", "id": "mijn bsn is 111222333", "text": "paspoort"}, "Vernieuw"},
		{"id that is a BSN", map[string]any{"type": "question", "id": "111222333", "text": "paspoort"}, "Vernieuw"},
		{"id that is a phone number", map[string]any{"type": "question", "id": "0612345678", "text": "paspoort"}, "Vernieuw"},
		{"id with an e-mail address", map[string]any{"type": "question", "id": "jan@example.nl", "text": "paspoort"}, "Vernieuw"},
		{"id too long", map[string]any{"type": "question", "id": strings.Repeat("a", 65), "text": "paspoort"}, "Vernieuw"},
		{"id with a NUL", map[string]any{"type": "question", "id": "a\x00b", "text": "paspoort"}, "tekens"},
		{"question with a NUL", map[string]any{"type": "question", "id": "n1", "text": "paspoort\x00"}, "tekens"},
		{"feedback comment with a NUL", map[string]any{"type": "feedback", "answer_id": 1, "useful": true, "comment": "goed\x00"}, "tekens"},
		{"call-back with a NUL", map[string]any{"type": "callback", "id": "cb", "name": "Jan\x00", "contact": "06-12345678", "question": "bel", "consent": true}, "tekens"},
		{"handoff id with an e-mail address", map[string]any{"type": "handoff.request", "id": "jan@example.nl"}, "Vernieuw"},
	} {
		c.send(tc.send)
		m := c.read()
		if m.Type != "error" || m.Code != chat.ErrCodeBadRequest || !strings.Contains(m.Message, tc.text) {
			t.Errorf("%s: %+v, want bad_request saying %q", tc.name, m, tc.text)
		}
		if m.ID != "" && m.ID != tc.send["id"] || strings.Contains(m.ID, "111222333") {
			t.Errorf("%s: error echoes id %q", tc.name, m.ID)
		}
	}
	// Nothing was stored, and the connection is still usable with a proper id.
	var n int
	if err := cs.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM messages`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages stored (%v), want 0", n, err)
	}
	if a := c.ask("c0123456789abcdef_-", "Wat kost een paspoort?"); a.Outcome != answer.Answered {
		t.Errorf("after bad input: %+v", a)
	}
}

// An IPv6 client may use any address of its /64: the network counts as one address.
func TestIPv6NetworkIsOneAddress(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{TrustedProxies: throttle.Loopback(), MaxConnectionsPerIP: 2, HelloTimeout: time.Minute})
	for i, tc := range []struct {
		ip      string
		refused bool
	}{{"2001:db8:1:2::1", false}, {"2001:db8:1:2::2", false}, {"2001:db8:1:2:ffff::3", true}, {"2001:db8:1:3::1", false}} {
		c, _, err := cs.from(tc.ip, "")
		if err != nil {
			t.Fatal(err)
		}
		if tc.refused {
			if ce := closed(t, c); ce.Code != websocket.CloseTryAgainLater {
				t.Errorf("connection %d from %s: close %d, want 1013", i+1, tc.ip, ce.Code)
			}
			continue
		}
		c.hello("")
	}
}

// The question limit of a conversation holds across reconnects.
func TestQuestionLimitSurvivesReconnect(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{ConversationRate: 0.01, IPRate: 1000}) // a burst of 3, no refill during the test
	c := cs.connect("")
	token := c.hello("").Conversation
	for i := range 3 {
		c.ask(fmt.Sprintf("q%d", i), "Wat kost een paspoort?")
	}
	c.conn.Close()
	c = cs.connect("")
	c.hello(token)
	c.send(map[string]any{"type": "question", "id": "q4", "text": "Wat kost een rijbewijs?"})
	if m := c.read(); m.Type != "error" || m.Code != chat.ErrCodeRateLimited {
		t.Errorf("fourth question after a reconnect: %+v, want rate_limited", m)
	}
}
