// Package ingest fills the index: it reads the sources file, crawls each source's
// pages (host allow-list, robots.txt, sitemaps, per-host politeness, conditional GET,
// retries), has ingest/extract turn each page into sections and chunks, and keeps the
// chunks' vectors in step with the configured embedder (the built-in retrieval/lsa
// model, fitted on the corpus, or an embedding service). It runs no SQL of its own:
// everything is written through retrieval. cmd imports it; chat never does.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/vraagbaak/vraagbaak/ingest/extract"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Config bounds and paces the crawler.
type Config struct {
	UserAgent    string        // sent with every request
	Workers      int           // pages processed at once, over all hosts
	PerHost      int           // requests at once to one host
	Delay        time.Duration // minimum time between two requests to one host (robots.txt Crawl-delay may raise it)
	Timeout      time.Duration // per request, body included
	MaxPageBytes int64         // larger pages are skipped and counted as failed
	MaxRedirects int
	MaxPages     int // per source; the crawl stops queueing past it
	Retries      int // on connection errors, 429 and 5xx
	RetryWait    time.Duration
	MaxRetryWait time.Duration // cap on backoff and on Retry-After
	Chunk        extract.ChunkOptions
	Progress     io.Writer // live progress, or nil
}

// DefaultUserAgent says who crawls and where to read about it.
const DefaultUserAgent = "VraagbaakBot/1.0 (+https://github.com/vraagbaak/vraagbaak; crawls official pages for a municipal information assistant)"

// DefaultConfig is polite enough for public government sites.
func DefaultConfig() Config {
	return Config{
		UserAgent:    DefaultUserAgent,
		Workers:      4,
		PerHost:      2,
		Delay:        500 * time.Millisecond,
		Timeout:      20 * time.Second,
		MaxPageBytes: 5 << 20,
		MaxRedirects: 5,
		MaxPages:     20000,
		Retries:      3,
		RetryWait:    time.Second,
		MaxRetryWait: time.Minute,
	}
}

// robotsAgent is the product token robots.txt groups are matched against.
func (c Config) robotsAgent() string {
	if name, _, ok := strings.Cut(c.UserAgent, "/"); ok {
		return name
	}
	return c.UserAgent
}

// Crawler fetches the pages of sources and writes them to the index.
type Crawler struct {
	cfg    Config
	log    *slog.Logger
	store  *retrieval.Store
	embed  retrieval.Embedder // nil: chunks are stored without vectors, embedded later
	client *retryablehttp.Client
	plain  *http.Client // robots.txt: no retries, a 5xx there means "not now"
	hosts  hosts
}

// New returns a Crawler. embed may be nil when the embedder still has to learn from the
// corpus (the built-in one on a new database).
func New(cfg Config, store *retrieval.Store, embed retrieval.Embedder, log *slog.Logger) *Crawler {
	hc := newHTTPClient(cfg)
	return &Crawler{cfg: cfg, log: log, store: store, embed: embed, client: newRetryClient(cfg, hc), plain: hc}
}

// StartError says a source's start URL could not be fetched: the source is
// misconfigured or its site is down, and nothing of it was crawled.
type StartError struct {
	Source, URL string
	Err         error
}

func (e *StartError) Error() string {
	return fmt.Sprintf("ingest: source %s: start URL %s is unreachable: %v", e.Source, e.URL, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

// item is one URL in the crawl frontier.
type item struct {
	url   *url.URL
	start bool
}

// Crawl crawls one source: its start URLs (sitemaps and pages), every page they lead to
// inside the allow-list, and every address crawled before (so that removed pages are
// noticed). Bad pages are logged and counted; the crawl goes on.
func (c *Crawler) Crawl(ctx context.Context, src Source) (*Stats, error) {
	st := newStats(src.Name)
	defer st.finish()
	id, err := c.store.SaveSource(ctx, retrieval.Source{Name: src.Name, Scope: src.Scope, Municipality: src.Municipality})
	if err != nil {
		return st, err
	}
	rsrc := retrieval.Source{ID: id, Name: src.Name, Scope: src.Scope, Municipality: src.Municipality}
	known, err := c.store.CrawlURLs(ctx, id)
	if err != nil {
		return st, err
	}
	prev := make(map[string]retrieval.CrawlURL, len(known))
	for _, k := range known {
		prev[k.URL] = k
	}

	run := &crawl{c: c, src: src, rsrc: rsrc, prev: prev, stats: st, seen: map[string]bool{}, canonicals: map[string]bool{}}
	run.cond = sync.NewCond(&run.mu)
	stop := context.AfterFunc(ctx, func() {
		run.mu.Lock()
		run.cond.Broadcast()
		run.mu.Unlock()
	})
	defer stop()

	// Start URLs first, and each must answer: an unreachable start is a clear error.
	starts := make([]*url.URL, len(src.Start))
	for i, s := range src.Start {
		u, err := url.Parse(s)
		if err != nil {
			return st, &StartError{Source: src.Name, URL: s, Err: err}
		}
		starts[i] = normalize(u)
		run.seen[starts[i].String()] = true
	}
	for i, u := range starts {
		if err := run.process(ctx, item{url: u, start: true}); err != nil {
			return st, &StartError{Source: src.Name, URL: src.Start[i], Err: err}
		}
	}
	for _, k := range known {
		if u, err := url.Parse(k.URL); err == nil && !k.Gone {
			run.push(u, false)
		}
	}

	done := make(chan struct{})
	if c.cfg.Progress != nil {
		go st.report(c.cfg.Progress, run.queued, done)
	}
	var wg sync.WaitGroup
	for range max(c.cfg.Workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				it, ok := run.next(ctx)
				if !ok {
					return
				}
				if err := run.process(ctx, it); err != nil && ctx.Err() == nil {
					c.log.Debug("page not stored", "url", it.url.String(), "err", err)
				}
				run.finish()
			}
		}()
	}
	wg.Wait()
	close(done)
	if err := ctx.Err(); err != nil {
		return st, fmt.Errorf("ingest: source %s: %w", src.Name, err)
	}
	return st, nil
}

// crawl is the state of one source's crawl: the frontier and what was seen.
type crawl struct {
	c     *Crawler
	src   Source
	rsrc  retrieval.Source
	prev  map[string]retrieval.CrawlURL
	stats *Stats

	mu         sync.Mutex
	cond       *sync.Cond
	queue      []item
	active     int
	seen       map[string]bool // addresses queued
	canonicals map[string]bool // pages handled, by canonical URL
}

// claim reports whether this crawl has not handled the page with this canonical URL
// yet, and marks it handled: two addresses of one page are stored once.
func (r *crawl) claim(canonical string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.canonicals[canonical] {
		return false
	}
	r.canonicals[canonical] = true
	return true
}

// push queues u once, if it lies inside the allow-list and the page budget.
func (r *crawl) push(u *url.URL, start bool) {
	u = normalize(u)
	if !allowed(r.src.Allow, u) {
		return
	}
	key := u.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[key] {
		return
	}
	if len(r.seen) >= r.c.cfg.MaxPages {
		r.stats.skip("over --max-pages") // the operator must know the crawl was cut short
		return
	}
	r.seen[key] = true
	r.queue = append(r.queue, item{url: u, start: start})
	r.cond.Signal()
}

// next waits for an item; it reports false when the frontier is empty and no worker
// can add to it any more, or when ctx ends.
func (r *crawl) next(ctx context.Context) (item, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.queue) == 0 {
		if r.active == 0 || ctx.Err() != nil {
			r.cond.Broadcast()
			return item{}, false
		}
		r.cond.Wait()
	}
	if ctx.Err() != nil {
		return item{}, false
	}
	it := r.queue[0]
	r.queue = r.queue[1:]
	r.active++
	return it, true
}

func (r *crawl) finish() {
	r.mu.Lock()
	r.active--
	r.cond.Broadcast()
	r.mu.Unlock()
}

func (r *crawl) queued() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue)
}

// process fetches one URL and does what its response asks: store, touch or remove a
// page, queue its links or a sitemap's entries. The returned error says why nothing was
// stored; it has been counted already.
func (r *crawl) process(ctx context.Context, it item) error {
	c := r.c
	h := c.hosts.get(ctx, c, it.url)
	if !h.allows(it.url) {
		r.stats.skip("robots.txt")
		return errors.New("disallowed by robots.txt")
	}
	if err := h.acquire(ctx); err != nil {
		return err
	}
	var cond validators
	if p, ok := r.prev[it.url.String()]; ok && !it.start && p.DocumentID != 0 {
		cond = validators{ETag: p.ETag, LastModified: p.LastModified}
	}
	resp, err := c.get(ctx, it.url, r.src.Allow, cond)
	h.release()
	r.stats.count(&r.stats.Fetched)
	f := retrieval.Fetch{URL: it.url.String(), SourceID: r.rsrc.ID}
	if resp != nil {
		f.Status, f.ETag, f.LastModified = resp.Status, resp.ETag, resp.LastModified
	}
	switch {
	case err != nil:
		return r.fail(it, classify(err), err)
	case resp.Status == http.StatusNotModified:
		if err := c.store.Touch(ctx, f, ""); err != nil {
			return r.fail(it, "database", err)
		}
		r.stats.count(&r.stats.NotModified)
		return nil
	case resp.Status == http.StatusNotFound || resp.Status == http.StatusGone:
		if it.start {
			return r.fail(it, fmt.Sprintf("http %d", resp.Status), fmt.Errorf("HTTP %d", resp.Status))
		}
		removed, err := c.store.Gone(ctx, f)
		if err != nil {
			return r.fail(it, "database", err)
		}
		if removed {
			r.stats.count(&r.stats.Removed)
			c.log.Info("page removed from search", "url", f.URL, "status", resp.Status)
		} else {
			r.stats.skip(fmt.Sprintf("http %d", resp.Status))
		}
		return nil
	case resp.Status != http.StatusOK:
		return r.fail(it, fmt.Sprintf("http %d", resp.Status), fmt.Errorf("HTTP %d", resp.Status))
	}

	if isSitemap(resp.Body) {
		sm, err := parseSitemap(resp.Body)
		if err != nil {
			return r.fail(it, "bad sitemap", err)
		}
		for _, s := range append(sm.Sitemaps, sm.Pages...) {
			if u, err := resp.URL.Parse(s); err == nil {
				r.push(u, false)
			}
		}
		r.stats.count(&r.stats.Sitemaps)
		return nil
	}
	if !isHTML(resp.ContentType) {
		r.stats.skip("not html")
		if it.start {
			return fmt.Errorf("start URL is neither a sitemap nor an HTML page (%s)", resp.ContentType)
		}
		return nil
	}
	return r.page(ctx, it, resp, f)
}

// page extracts, chunks, embeds and stores an HTML page, unless its content did not change.
func (r *crawl) page(ctx context.Context, it item, resp *response, f retrieval.Fetch) error {
	c := r.c
	p, err := extract.Extract(bytes.NewReader(resp.Body), resp.URL, r.src.Extract)
	if p != nil {
		for _, l := range p.Links { // empty when the page says nofollow
			if u, err := url.Parse(l); err == nil {
				r.push(u, false)
			}
		}
	}
	switch {
	case errors.Is(err, extract.ErrNoContent):
		r.stats.skip("no content")
		return nil
	case err != nil:
		return r.fail(it, "unreadable html", err)
	}
	if p.NoIndex {
		r.stats.skip("noindex")
		return nil
	}
	canonical := normalize(resp.URL).String()
	if p.Canonical != "" {
		if cu, err := url.Parse(p.Canonical); err == nil && allowed(r.src.Allow, normalize(cu)) {
			canonical = normalize(cu).String()
		}
	}
	if !r.claim(canonical) {
		r.stats.skip("duplicate")
		err := c.store.Touch(ctx, f, canonical)
		if errors.Is(err, retrieval.ErrNotFound) { // the other address is still being stored
			err = c.store.RecordFetch(ctx, f)
		}
		if err != nil {
			return r.fail(it, "database", err)
		}
		return nil
	}
	text := p.Text()
	// The kind is in the hash, so that a page stored before it was decided is stored again.
	sum := sha256.Sum256([]byte(p.Title + "\x00" + string(p.Kind) + "\x00" + text))
	hash := sum[:]
	stored, err := c.store.StoredHash(ctx, canonical)
	switch {
	case err == nil && string(stored) == string(hash):
		if err := c.store.Touch(ctx, f, canonical); err != nil {
			return r.fail(it, "database", err)
		}
		r.stats.count(&r.stats.Unchanged)
		return nil
	case err != nil && !errors.Is(err, retrieval.ErrNotFound):
		return r.fail(it, "database", err)
	}
	isNew := err != nil

	parts := extract.Split(p, c.cfg.Chunk)
	if p.Kind == extract.KindOverview {
		// Followed for its links above, stored to know it, never searched nor cited.
		parts = nil
	} else if len(parts) == 0 {
		r.stats.skip("no content")
		return nil
	}
	chunks := make([]retrieval.Chunk, len(parts))
	texts := make([]string, len(parts))
	for i, part := range parts {
		chunks[i] = retrieval.Chunk{
			Ord:      part.Ord,
			Title:    p.Title,
			Headings: strings.Join(part.Headings, retrieval.HeadingSeparator),
			Anchor:   part.Anchor,
			Body:     part.Text,
			Lead:     part.Lead,
		}
		texts[i] = retrieval.EmbedText(chunks[i].Title, chunks[i].Headings, chunks[i].Body)
	}
	if c.embed != nil && len(texts) > 0 {
		vecs, err := c.embed.EmbedDocuments(ctx, texts)
		if err != nil {
			return r.fail(it, "embedding", err)
		}
		for i := range chunks {
			if i < len(vecs) {
				chunks[i].Embedding = vecs[i]
			}
		}
	}
	doc := retrieval.Document{
		Source:       r.rsrc,
		URL:          canonical,
		Title:        p.Title,
		Kind:         string(p.Kind),
		ModifiedAt:   p.Modified,
		FetchedAt:    time.Now(),
		ETag:         resp.ETag,
		LastModified: resp.LastModified,
		ContentHash:  hash,
	}
	if _, err := c.store.SaveDocument(ctx, doc, chunks, f); err != nil {
		return r.fail(it, "database", err)
	}
	if isNew {
		r.stats.count(&r.stats.New)
	} else {
		r.stats.count(&r.stats.Changed)
	}
	r.stats.addChunks(len(chunks))
	return nil
}

func (r *crawl) fail(it item, reason string, err error) error {
	if it.start {
		return err // the caller turns it into a StartError
	}
	r.stats.failure(reason)
	r.c.log.Warn("page failed", "source", r.src.Name, "url", it.url.String(), "reason", reason, "err", err)
	return err
}

// classify names a fetch error for the summary.
func classify(err error) string {
	var ue *url.Error
	switch {
	case errors.Is(err, errTooLarge):
		return "too large"
	case errors.Is(err, errTooManyRedirects):
		return "redirect loop"
	case errors.Is(err, errOutsideAllow):
		return "redirect outside allow-list"
	case errors.As(err, &ue) && ue.Timeout():
		return "timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	default:
		return "network"
	}
}

func isHTML(contentType string) bool {
	if contentType == "" {
		return true // many old servers send none; extraction decides
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// normalize gives a URL one spelling: lower-case scheme and host, no default port, no
// fragment, "/" for an empty path.
func normalize(u *url.URL) *url.URL {
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	n.Host = strings.ToLower(n.Host)
	if (n.Scheme == "http" && strings.HasSuffix(n.Host, ":80")) || (n.Scheme == "https" && strings.HasSuffix(n.Host, ":443")) {
		n.Host = n.Host[:strings.LastIndexByte(n.Host, ':')]
	}
	n.Fragment, n.RawFragment = "", ""
	if n.Path == "" {
		n.Path = "/"
	}
	return &n
}
