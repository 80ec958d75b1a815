package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// freeAddr returns a loopback address with a port nobody listens on just now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// `vraagbaak serve` (here after `demo` has indexed the sample sites) as deployed: metrics only on their own address, and a flood of
// silent websockets from one address (behind the trusted proxy) neither takes
// /healthz down nor keeps a citizen from another address out.
func TestServe(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	vars := env(map[string]string{"DATABASE_URL": db.URL, "VRAAGBAAK_LOG_LEVEL": "warn", "VRAAGBAAK_METRICS_ADDR": metricsAddr,
		"VRAAGBAAK_TRUSTED_PROXIES": "127.0.0.1", "VRAAGBAAK_MAX_CONNECTIONS_PER_IP": "20"})
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan struct{})
	var serveErr error
	go func() {
		serveErr = run(ctx, []string{"demo", "--port", "0", "--serve", addr}, vars, stdout, stderr)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		if serveErr != nil {
			t.Errorf("serve: %v", serveErr)
		}
		if t.Failed() {
			t.Logf("log:\n%s", stderr.String())
		}
	})
	base := "http://" + addr
	for deadline := time.Now().Add(2 * time.Minute); ; { // the sample sites are crawled first
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		select {
		case <-done:
			t.Fatalf("serve stopped: %v\n%s", serveErr, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not up: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	if status, body := get(t, base+"/metrics"); status == http.StatusOK || strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics on the public address: %d\n%.200s", status, body)
	}
	if status, body := get(t, "http://"+metricsAddr+"/metrics"); status != http.StatusOK || !strings.Contains(body, "vraagbaak_websocket_connections") {
		t.Errorf("/metrics on the metrics address: %d\n%.200s", status, body)
	}
	if status, body := get(t, base+"/readyz"); status != http.StatusOK || body != "ready\n" {
		t.Errorf("/readyz: %d %q", status, body)
	}

	dial := func(ip string) *websocket.Conn {
		t.Helper()
		h := http.Header{"X-Forwarded-For": {ip}}
		c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws?v=1", h)
		if err != nil {
			t.Fatalf("dial from %s: %v", ip, err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	for i := range 30 {
		c := dial("203.0.113.9")
		if i < 20 {
			continue // admitted: silent until the hello deadline
		}
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, _, err := c.ReadMessage()
		if ce := (*websocket.CloseError)(nil); !errors.As(err, &ce) || ce.Code != websocket.CloseTryAgainLater {
			t.Errorf("silent connection %d from one address with a cap of 20: %v, want close 1013", i+1, err)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		_, body := get(t, "http://"+metricsAddr+"/metrics")
		if strings.Contains(body, "vraagbaak_websocket_connections 20\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the flood does not hold 20 connections:\n%s", body)
		}
	}
	if status, _ := get(t, base+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz during the flood: %d", status)
	}
	c := dial("198.51.100.2")
	if err := c.WriteJSON(map[string]any{"type": "hello", "v": 1}); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var welcome struct{ Type, Conversation string }
	if err := c.ReadJSON(&welcome); err != nil || welcome.Type != "welcome" || welcome.Conversation == "" {
		t.Errorf("citizen from another address during the flood: %+v %v", welcome, err)
	}
}

// /readyz says why the service is not ready only in the log: the error names the
// database's user, host and port.
func TestReadyzSaysNoMore(t *testing.T) {
	t.Parallel()
	pool, err := pgxpool.New(context.Background(), "postgres://geheimegebruiker:wachtwoord@127.0.0.1:1/vraagbaak?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	log := &lockedBuffer{}
	srv := &http.Server{Handler: readyHandler(pool, slog.New(slog.NewTextHandler(log, nil)))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	defer srv.Close()
	status, body := get(t, "http://"+ln.Addr().String()+"/readyz")
	if status != http.StatusServiceUnavailable || strings.TrimSpace(body) != "not ready" {
		t.Errorf("/readyz with the database away: %d %q, want 503 \"not ready\"", status, body)
	}
	if !strings.Contains(log.String(), "geheimegebruiker") {
		t.Errorf("the log does not say why: %s", log.String())
	}
}

func TestConnectionBudget(t *testing.T) {
	for _, tc := range []struct {
		limit uint64
		want  int
	}{{0, 0}, {1024, 896}, {20000, 18000}, {100, 50}, {1 << 40, 0}} {
		if got := connectionBudget(tc.limit); got != tc.want {
			t.Errorf("connectionBudget(%d) = %d, want %d", tc.limit, got, tc.want)
		}
	}
	if descriptorLimit() == 0 {
		t.Error("RLIMIT_NOFILE not read")
	}
}
