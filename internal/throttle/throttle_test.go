package throttle_test

import (
	"net/http/httptest"
	"net/netip"
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
	for i, want := range []bool{true, true, false} {
		if got := k.Allow("a", later); got != want {
			t.Errorf("an hour later, event %d: %v, want %v (a forgotten key starts with exactly a full bucket)", i+1, got, want)
		}
	}
}

func TestClientIP(t *testing.T) {
	proxies, err := throttle.ParseProxies("10.0.0.0/8, 192.0.2.7 ::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		peer    string
		xff     []string // X-Forwarded-For headers, in order
		trusted throttle.Proxies
		want    string
	}{
		{name: "no proxies trusted: the header is ignored", peer: "10.0.0.7:5123", xff: []string{"203.0.113.9"}, want: "10.0.0.7"},
		{name: "direct client that is not a proxy forges the header", peer: "198.51.100.4:5123", xff: []string{"203.0.113.9"}, trusted: proxies, want: "198.51.100.4"},
		{name: "behind one proxy", peer: "10.0.0.7:5123", xff: []string{"203.0.113.9"}, trusted: proxies, want: "203.0.113.9"},
		{name: "forged entries left of the real client are ignored", peer: "10.0.0.7:5123", xff: []string{"1.2.3.4, 5.6.7.8, 203.0.113.9"}, trusted: proxies, want: "203.0.113.9"},
		{name: "two trusted proxies", peer: "10.0.0.7:5123", xff: []string{"6.6.6.6, 203.0.113.9, 192.0.2.7"}, trusted: proxies, want: "203.0.113.9"},
		{name: "several headers read as one list", peer: "10.0.0.7:5123", xff: []string{"6.6.6.6", "203.0.113.9, 10.1.2.3"}, trusted: proxies, want: "203.0.113.9"},
		{name: "forged trusted address on the left does not help", peer: "10.0.0.7:5123", xff: []string{"10.9.9.9, 203.0.113.9"}, trusted: proxies, want: "203.0.113.9"},
		{name: "garbage on the right stops at the proxy", peer: "10.0.0.7:5123", xff: []string{"203.0.113.9, not-an-address"}, trusted: proxies, want: "10.0.0.7"},
		{name: "garbage on the left is never reached", peer: "10.0.0.7:5123", xff: []string{"<script>, 203.0.113.9"}, trusted: proxies, want: "203.0.113.9"},
		{name: "entry with a port", peer: "10.0.0.7:5123", xff: []string{"203.0.113.9:4711"}, trusted: proxies, want: "203.0.113.9"},
		{name: "IPv6 proxy and client", peer: "[::1]:5123", xff: []string{"2001:db8::5"}, trusted: proxies, want: "2001:db8::5"},
		{name: "IPv4-mapped client", peer: "10.0.0.7:5123", xff: []string{"::ffff:203.0.113.9"}, trusted: proxies, want: "203.0.113.9"},
		{name: "only proxies: the first hop", peer: "10.0.0.7:5123", xff: []string{"10.0.0.1, 10.0.0.2"}, trusted: proxies, want: "10.0.0.1"},
		{name: "trusted proxy without the header", peer: "10.0.0.7:5123", trusted: proxies, want: "10.0.0.7"},
		{name: "loopback", peer: "127.0.0.1:5123", xff: []string{"9.9.9.9, 203.0.113.9"}, trusted: throttle.Loopback(), want: "203.0.113.9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, h := range tc.xff {
				r.Header.Add("X-Forwarded-For", h)
			}
			if got := throttle.ClientIP(r, tc.trusted); got != tc.want {
				t.Errorf("ClientIP = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestParseProxies(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.nl", "10.0.0"} {
		if _, err := throttle.ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
	ps, err := throttle.ParseProxies(" 10.1.0.0/16,,192.0.2.7 ")
	if err != nil || len(ps) != 2 {
		t.Fatalf("ParseProxies = %v, %v", ps, err)
	}
	if ps.Contains(netip.MustParseAddr("192.0.2.8")) || !ps.Contains(netip.MustParseAddr("10.1.255.1")) {
		t.Errorf("Contains is wrong for %v", ps)
	}
}

func TestBucket(t *testing.T) {
	for ip, want := range map[string]string{
		"203.0.113.9":          "203.0.113.9",
		"::ffff:203.0.113.9":   "203.0.113.9",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"not an address":       "not an address",
	} {
		if got := throttle.Bucket(ip); got != want {
			t.Errorf("Bucket(%s) = %s, want %s", ip, got, want)
		}
	}
}
