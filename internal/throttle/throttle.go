// Package throttle limits how often a client may do something: a token bucket per key
// (golang.org/x/time/rate) for a client address, a conversation or an e-mail address,
// and the client address of a request. chat and staff import it.
package throttle

import (
	"net"
	"net/http"
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

// ClientIP is the address a request comes from: the first X-Forwarded-For entry when
// the service runs behind a trusted reverse proxy, else the connection's address.
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			first, _, _ := strings.Cut(f, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
