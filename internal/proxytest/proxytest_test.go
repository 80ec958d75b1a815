package proxytest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

// TestProxyAppendsForwardedFor checks what the trusted-proxy logic relies on: nginx
// appends the address it saw to whatever X-Forwarded-For the client sent.
func TestProxyAppendsForwardedFor(t *testing.T) {
	t.Parallel()
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.Header.Get("X-Forwarded-For")) // the client went away
	}))
	defer upstream.Close()
	p := Start(t, upstream.URL)

	req, _ := http.NewRequest("GET", p.URL+"/", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, err := ClientFrom("127.0.0.2").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if want := "203.0.113.9, 127.0.0.2"; string(got) != want {
		t.Fatalf("X-Forwarded-For at the upstream = %q, want %q", got, want)
	}
}

func TestProxyWebsocket(t *testing.T) {
	t.Parallel()
	up := websocket.Upgrader{}
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		_, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		_ = c.WriteMessage(websocket.TextMessage, []byte(strings.ToUpper(string(msg)))) // a failed echo fails the test's read
	}))
	defer upstream.Close()
	p := Start(t, upstream.URL)

	c, _, err := websocket.DefaultDialer.Dial("ws://"+p.Addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteMessage(websocket.TextMessage, []byte("hallo")); err != nil {
		t.Fatal(err)
	}
	_, msg, err := c.ReadMessage()
	if err != nil || string(msg) != "HALLO" {
		t.Fatalf("through nginx: %q, %v; want HALLO", msg, err)
	}
}
