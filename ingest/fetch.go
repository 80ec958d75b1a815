package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// errOutsideAllow stops a redirect that leaves the source's allow-list.
var errOutsideAllow = errors.New("redirect leaves the allowed URL prefixes")

// errTooManyRedirects stops redirect loops and long chains.
var errTooManyRedirects = errors.New("too many redirects")

// errTooLarge marks a response over the maximum page size.
var errTooLarge = errors.New("page too large")

type allowKey struct{}

// newHTTPClient returns the crawler's client: a timeout per request (body included), and
// redirects limited in number and kept inside the allow-list of the request's source.
func newHTTPClient(cfg Config) *http.Client {
	return &http.Client{
		Timeout: cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return errTooManyRedirects
			}
			if prefixes, ok := req.Context().Value(allowKey{}).([]string); ok && !allowed(prefixes, req.URL) {
				return fmt.Errorf("%w: %s", errOutsideAllow, req.URL)
			}
			return nil
		},
	}
}

// newRetryClient wraps the client with retries and exponential backoff on connection
// errors, 429 and 5xx, honouring Retry-After (capped at cfg.MaxRetryWait).
func newRetryClient(cfg Config, hc *http.Client) *retryablehttp.Client {
	rc := retryablehttp.NewClient()
	rc.HTTPClient = hc
	rc.Logger = nil
	rc.RetryMax = cfg.Retries
	rc.RetryWaitMin = cfg.RetryWait
	rc.RetryWaitMax = cfg.MaxRetryWait
	rc.Backoff = func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		return min(retryablehttp.DefaultBackoff(lo, hi, attempt, resp), hi)
	}
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if errors.Is(err, errOutsideAllow) || errors.Is(err, errTooManyRedirects) {
			return false, err
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	// Return the last response instead of an error when retries run out, so that the
	// caller sees the real status.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	return rc
}

// response is a fetched resource.
type response struct {
	Status       int
	URL          *url.URL // after redirects
	ContentType  string
	Body         []byte
	ETag         string
	LastModified string
}

// validators are what a conditional GET sends.
type validators struct {
	ETag, LastModified string
}

// get fetches u, politely: the host's delay and concurrency slot, robots.txt already
// checked by the caller. A body over the size limit is an error.
func (c *Crawler) get(ctx context.Context, u *url.URL, allow []string, cond validators) (*response, error) {
	ctx = context.WithValue(ctx, allowKey{}, allow)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5")
	req.Header.Set("Accept-Language", "nl,en;q=0.5")
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := &response{
		Status:       resp.StatusCode,
		URL:          resp.Request.URL,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return r, nil
	}
	if resp.ContentLength > c.cfg.MaxPageBytes {
		return r, fmt.Errorf("%w: %d bytes (limit %d)", errTooLarge, resp.ContentLength, c.cfg.MaxPageBytes)
	}
	r.Body, err = io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxPageBytes+1))
	if err != nil {
		return r, fmt.Errorf("read body: %w", err)
	}
	if int64(len(r.Body)) > c.cfg.MaxPageBytes {
		return r, fmt.Errorf("%w: over %d bytes", errTooLarge, c.cfg.MaxPageBytes)
	}
	return r, nil
}
