// Package throttle limits how often a client may do something: a token bucket per key
// (golang.org/x/time/rate) for a client address, a conversation or an e-mail address,
// and the client address of a request. chat, staff and cmd (the trusted proxies of
// VRAAGBAAK_TRUSTED_PROXIES) import it.
package throttle

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Keyed keeps one token bucket per key, forgetting keys left alone long enough for
// their bucket to be full again (a forgotten key starts with a full bucket, so
// forgetting changes nothing). It is safe for concurrent use.
type Keyed struct {
	mu        sync.Mutex
	limit     rate.Limit
	burst     int
	idle      time.Duration
	m         map[string]*entry
	lastSweep time.Time
}

type entry struct {
	l    *rate.Limiter
	seen time.Time
}

// NewKeyed allows perMinute events a minute per key, burst of them at once.
func NewKeyed(perMinute float64, burst int) *Keyed {
	burst = max(burst, 1)
	refill := time.Duration(float64(burst) / perMinute * float64(time.Minute))
	return &Keyed{limit: rate.Limit(perMinute / 60), burst: burst, idle: max(refill, time.Minute), m: map[string]*entry{}}
}

// Allow reports whether the key may act at now, and counts it if so.
func (k *Keyed) Allow(key string, now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if now.Sub(k.lastSweep) > time.Minute {
		for key, e := range k.m {
			if now.Sub(e.seen) > k.idle {
				delete(k.m, key)
			}
		}
		k.lastSweep = now
	}
	e := k.m[key]
	if e == nil {
		e = &entry{l: rate.NewLimiter(k.limit, k.burst)}
		k.m[key] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}

// Proxies are the reverse proxies whose X-Forwarded-For header is believed: addresses
// and networks. The zero value trusts nobody.
type Proxies []netip.Prefix

// Loopback is 127.0.0.0/8 and ::1: a reverse proxy on the same machine.
func Loopback() Proxies {
	return Proxies{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// ParseProxies reads addresses and networks ("10.0.0.0/8 192.0.2.7, ::1"), separated
// by commas or spaces.
func ParseProxies(s string) (Proxies, error) {
	var ps Proxies
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("throttle: %q is not an IP address or a network such as 10.0.0.0/8", f)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// Contains reports whether a is one of the proxies.
func (ps Proxies) Contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP is the address a request comes from. When the connection comes from a
// trusted proxy, X-Forwarded-For is read from the right: each proxy appends the
// address it got the request from, so the rightmost address that is not a trusted
// proxy is the client; what stands left of it was written by the client and may be
// forged. Otherwise, or when the header holds nothing usable, it is the connection's
// address.
func ClientIP(r *http.Request, trusted Proxies) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		peer = host
	}
	addr, err := netip.ParseAddr(peer)
	if err != nil || !trusted.Contains(addr) {
		return peer
	}
	client := addr.Unmap()
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := forwardedAddr(hops[i])
		if !ok {
			break // not written by a proxy we trust: stop at the last address we can believe
		}
		client = a
		if !trusted.Contains(a) {
			break
		}
	}
	return client.String()
}

// forwardedAddr reads one X-Forwarded-For entry: an address, possibly with a port.
func forwardedAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// Bucket is the key a client address's limits are counted under: an IPv4 address
// itself, an IPv6 address its /64 network, since one household or site may use any
// address in its /64 (and so would escape a limit per address).
func Bucket(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil || a.Unmap().Is4() {
		if err == nil {
			return a.Unmap().String()
		}
		return ip
	}
	return netip.PrefixFrom(a.WithZone(""), 64).Masked().String()
}
