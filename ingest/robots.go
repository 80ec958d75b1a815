package ingest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// host is the politeness state of one host: its robots.txt rules, a rate limiter for
// the delay between requests and a semaphore for concurrent requests. A host whose
// robots.txt asks for a Crawl-delay gets one request at a time, each starting the
// delay after the previous one ended (serial), so that a slow response or a busy
// network cannot bring two requests closer together than the host asked.
type host struct {
	once    sync.Once
	robots  *robotstxt.Group // nil allows everything
	limiter *rate.Limiter
	slots   chan struct{}

	serial chan struct{} // with a Crawl-delay: held from acquire to release
	delay  time.Duration // with a Crawl-delay: the pause after a request ends
	ended  time.Time     // with a Crawl-delay: when the last request ended; guarded by serial
}

// hosts hands out one host state per scheme+host, fetching robots.txt the first time.
type hosts struct {
	mu sync.Mutex
	m  map[string]*host
}

func (hs *hosts) get(ctx context.Context, c *Crawler, u *url.URL) *host {
	key := u.Scheme + "://" + u.Host
	hs.mu.Lock()
	if hs.m == nil {
		hs.m = map[string]*host{}
	}
	h, ok := hs.m[key]
	if !ok {
		h = &host{slots: make(chan struct{}, max(c.cfg.PerHost, 1))}
		hs.m[key] = h
	}
	hs.mu.Unlock()
	h.once.Do(func() {
		h.robots = c.fetchRobots(ctx, key)
		delay := c.cfg.Delay
		if h.robots != nil && h.robots.CrawlDelay > delay {
			delay = h.robots.CrawlDelay
		}
		if h.robots != nil && h.robots.CrawlDelay > 0 {
			h.serial, h.delay = make(chan struct{}, 1), delay
		}
		if delay <= 0 {
			h.limiter = rate.NewLimiter(rate.Inf, 1)
		} else {
			h.limiter = rate.NewLimiter(rate.Every(delay), 1)
		}
	})
	return h
}

// allows reports whether robots.txt lets us fetch u.
func (h *host) allows(u *url.URL) bool {
	if h.robots == nil {
		return true
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return h.robots.Test(p)
}

// acquire waits for the host's delay and a free slot; release gives the slot back.
func (h *host) acquire(ctx context.Context) error {
	if h.serial != nil {
		select {
		case h.serial <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		if wait := time.Until(h.ended.Add(h.delay)); !h.ended.IsZero() && wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				<-h.serial
				return ctx.Err()
			}
		}
	}
	if err := h.limiter.Wait(ctx); err != nil {
		h.releaseSerial()
		return err
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		h.releaseSerial()
		return ctx.Err()
	}
}

func (h *host) release() {
	<-h.slots
	if h.serial != nil {
		h.ended = time.Now()
		<-h.serial
	}
}

func (h *host) releaseSerial() {
	if h.serial != nil {
		<-h.serial
	}
}

// fetchRobots reads robots.txt following the usual rules: a missing file (4xx) allows
// everything; a server error or an unreachable host disallows everything for now.
func (c *Crawler) fetchRobots(ctx context.Context, origin string) *robotstxt.Group {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/robots.txt", nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	resp, err := c.plain.Do(req)
	if err != nil {
		c.log.Warn("robots.txt unreachable; not crawling this host", "host", origin, "err", err)
		return disallowAll()
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return disallowAll()
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		c.log.Warn("robots.txt unreadable; following what could be parsed", "host", origin, "err", err)
		if data == nil {
			return nil
		}
	}
	return data.FindGroup(c.cfg.robotsAgent())
}

func disallowAll() *robotstxt.Group {
	data, _ := robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
	g := data.FindGroup("*")
	g.CrawlDelay = time.Duration(0)
	return g
}
