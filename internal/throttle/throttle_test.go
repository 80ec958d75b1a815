package throttle_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

func TestKeyed(t *testing.T) {
	k := throttle.NewKeyed(6, 2) // one every 10 s, two at once
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for i, want := range []bool{true, true, false} {
		if got := k.Allow("a", now); got != want {
			t.Errorf("event %d: %v, want %v", i+1, got, want)
		}
	}
	if !k.Allow("b", now) {
		t.Error("another key shares the bucket")
	}
	if !k.Allow("a", now.Add(10*time.Second)) || k.Allow("a", now.Add(10*time.Second)) {
		t.Error("a bucket does not refill at the rate")
	}
	// Long after, the key was forgotten and starts with a full bucket.
	later := now.Add(time.Hour)
	if !k.Allow("a", later) || !k.Allow("a", later) || k.Allow("a", later) {
		t.Error("a forgotten key does not start with exactly a full bucket")
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.0.0.7:5123"
	r.Header.Set("X-Forwarded-For", "203.0.113.9, 10.0.0.1")
	if got := throttle.ClientIP(r, false); got != "10.0.0.7" {
		t.Errorf("untrusted proxy header used: %s", got)
	}
	if got := throttle.ClientIP(r, true); got != "203.0.113.9" {
		t.Errorf("behind a proxy: %s", got)
	}
}
