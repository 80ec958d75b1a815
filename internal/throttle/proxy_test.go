package throttle

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/proxytest"
)

// TestForgedForwardedForBehindNginx sends requests through a real nginx, configured as
// in production ($proxy_add_x_forwarded_for), from one citizen address with a new forged
// X-Forwarded-For each time: they all land in that address's bucket, and another
// address keeps its own.
func TestForgedForwardedForBehindNginx(t *testing.T) {
	t.Parallel()
	trusted, err := ParseProxies("127.0.0.1/32")
	if err != nil {
		t.Fatal(err)
	}
	limit := NewKeyed(1, 3) // 3 at once, then one a minute
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := ClientIP(r, trusted)
		if !limit.Allow(ip, time.Now()) {
			w.WriteHeader(http.StatusTooManyRequests)
		}
		_, _ = io.WriteString(w, ip) // the client went away
	}))
	defer upstream.Close()
	proxy := proxytest.Start(t, upstream.URL)

	get := func(from, forged string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", proxy.URL+"/", nil)
		if forged != "" {
			req.Header.Set("X-Forwarded-For", forged)
		}
		resp, err := proxytest.ClientFrom(from).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	allowed := 0
	for i := range 10 {
		code, ip := get("127.0.0.2", fmt.Sprintf("198.51.100.%d, 127.0.0.1", i+1))
		if ip != "127.0.0.2" {
			t.Fatalf("request %d: client address %q, want 127.0.0.2 (the forged entries must be ignored)", i, ip)
		}
		if code == http.StatusOK {
			allowed++
		}
	}
	if allowed != 3 {
		t.Errorf("%d of 10 requests with forged addresses allowed, want the burst of 3", allowed)
	}
	if code, ip := get("127.0.0.3", ""); code != http.StatusOK || ip != "127.0.0.3" {
		t.Errorf("another citizen: %d %q, want 200 127.0.0.3", code, ip)
	}
}
