package staff

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters keeps one token bucket per key (a client address, or an email), forgetting
// keys that were left alone long enough for their bucket to be full again.
type limiters struct {
	mu        sync.Mutex
	limit     rate.Limit
	burst     int
	idle      time.Duration
	m         map[string]*limiterEntry
	lastSweep time.Time
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

// newLimiters allows perMinute events a minute per key, perMinute of them at once.
func newLimiters(perMinute float64) *limiters {
	burst := max(int(perMinute), 1)
	refill := time.Duration(float64(burst) / perMinute * float64(time.Minute))
	return &limiters{limit: rate.Limit(perMinute / 60), burst: burst, idle: max(refill, time.Minute), m: map[string]*limiterEntry{}}
}

func (l *limiters) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		for k, e := range l.m {
			if now.Sub(e.seen) > l.idle {
				delete(l.m, k)
			}
		}
		l.lastSweep = now
	}
	e := l.m[key]
	if e == nil {
		e = &limiterEntry{l: rate.NewLimiter(l.limit, l.burst)}
		l.m[key] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}
