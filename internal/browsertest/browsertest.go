// Package browsertest runs tests in a real headless Chromium through chromedp: it finds
// the browser, starts one per test, watches the console for errors, checks pages with
// axe-core and waits for conditions in the page. Only tests import it.
//
// The browser is the one in VRAAGBAAK_CHROMIUM, else chromium, chromium-browser or
// google-chrome on PATH; axe-core is the file in VRAAGBAAK_AXE_JS, else
// <repo>/.cache/node_modules/axe-core/axe.min.js. scripts/browser.sh installs both and
// prints the two variables. When one is missing the test is skipped, unless
// VRAAGBAAK_REQUIRE_BROWSER=1, where it fails instead.
//
// A test:
//
//	ctx := browsertest.New(t)
//	browsertest.FailOnConsoleErrors(t, ctx)
//	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL))
//	browsertest.WaitFor(t, ctx, `document.querySelector("h1") !== null`)
//	browsertest.AssertAxe(t, ctx)
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// DefaultTimeout bounds one test's browser (less when the test binary's deadline is
// nearer).
const DefaultTimeout = 90 * time.Second

// Option changes how New starts the browser.
type Option func(*config)

type config struct {
	timeout       time.Duration
	width, height int
}

// Timeout replaces DefaultTimeout.
func Timeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WindowSize sets the browser window (default 1280×800 CSS pixels).
func WindowSize(width, height int) Option {
	return func(c *config) { c.width, c.height = width, height }
}

// missing skips the test, or fails it when VRAAGBAAK_REQUIRE_BROWSER=1.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("VRAAGBAAK_REQUIRE_BROWSER") == "1" {
		t.Fatalf("browsertest: %s, but VRAAGBAAK_REQUIRE_BROWSER=1", msg)
	}
	t.Skipf("browsertest: %s; run scripts/browser.sh and export what it prints", msg)
}

// Chromium returns the path of the browser, or skips (or fails) the test.
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VRAAGBAAK_CHROMIUM"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("browsertest: VRAAGBAAK_CHROMIUM=%s: %v", p, err)
		}
		return path
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	missing(t, "no Chromium (VRAAGBAAK_CHROMIUM is unset and chromium, chromium-browser, google-chrome are not on PATH)")
	return ""
}

// New starts a headless Chromium for t and returns the context of its first tab. The
// browser stops when t ends or the timeout passes, whichever is first.
func New(t testing.TB, opts ...Option) context.Context {
	t.Helper()
	cfg := config{timeout: DefaultTimeout, width: 1280, height: 800}
	for _, o := range opts {
		o(&cfg)
	}
	path := Chromium(t)

	deadline := time.Now().Add(cfg.timeout)
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if td, ok := d.Deadline(); ok && td.Add(-5*time.Second).Before(deadline) {
			deadline = td.Add(-5 * time.Second)
		}
	}
	base, cancelBase := context.WithDeadline(context.Background(), deadline)
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root in containers
		chromedp.DisableGPU,
		chromedp.WindowSize(cfg.width, cfg.height),
		chromedp.Flag("lang", "nl-NL"),
		chromedp.Flag("disable-search-engine-choice-screen", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(base, allocOpts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		cancelBase()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: start %s: %v", path, err)
	}
	return ctx
}

// NewContext opens a tab in a new browser context (its own cookies and storage, like a
// second visitor) of parent's browser. It closes when t ends.
func NewContext(t testing.TB, parent context.Context) context.Context {
	t.Helper()
	if err := chromedp.Do(parent); err != nil { // the parent must have a browser
		t.Fatalf("browsertest: parent context: %v", err)
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: new browser context: %v", err)
	}
	return ctx
}

// Do runs the actions and fails the test on the first error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// Eval evaluates a JavaScript expression (a promise is awaited) and decodes its
// JSON value into T; an error fails the test.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browsertest: eval %s: %v", short(expr), err)
	}
	return v
}

// pollInterval is how often Until evaluates its condition.
const pollInterval = 20 * time.Millisecond

// Until is an action that evaluates a JavaScript expression until it is true (a
// thrown exception counts as false), or fails with the expression and the last
// exception when the context ends.
func Until(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var last error
		for {
			ok, err := chromedp.Evaluate[bool]("Boolean("+expr+")")(ctx, t)
			if err == nil && ok {
				return nil
			}
			var exc *chromedp.ExceptionError
			if err != nil && !errors.As(err, &exc) && !navigating(err) {
				return fmt.Errorf("waiting for %s: %w", short(expr), err)
			}
			last = err
			select {
			case <-ctx.Done():
				if last != nil {
					return fmt.Errorf("waiting for %s: %w (last: %v)", short(expr), ctx.Err(), last)
				}
				return fmt.Errorf("waiting for %s: %w", short(expr), ctx.Err())
			case <-time.After(pollInterval):
			}
		}
	})
}

// navigating reports whether err only says that the page was being replaced while
// the expression ran (a click that navigates): the next try runs in the new page.
func navigating(err error) bool {
	msg := err.Error()
	for _, s := range []string{"Inspected target navigated or closed", "Execution context was destroyed", "Cannot find context with specified id"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// WaitFor waits until the JavaScript expression is true, at most d (default 10 s),
// and fails the test otherwise.
func WaitFor(t testing.TB, ctx context.Context, expr string, d ...time.Duration) {
	t.Helper()
	limit := 10 * time.Second
	if len(d) > 0 {
		limit = d[0]
	}
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if err := chromedp.Do(wctx, Until(expr)); err != nil {
		t.Fatalf("browsertest: %v", err)
	}
}

// TabUntil presses Tab until the JavaScript expression is true (typically: the
// focused element is the one wanted), at most max times, and fails the test if it
// never is. It returns how many times Tab was pressed.
func TabUntil(t testing.TB, ctx context.Context, expr string, max int) int {
	t.Helper()
	for i := 1; i <= max; i++ {
		Do(t, ctx, chromedp.KeyEvent("\t"))
		if Eval[bool](t, ctx, "Boolean("+expr+")") {
			return i
		}
	}
	t.Fatalf("browsertest: %s is not true after %d presses of Tab", short(expr), max)
	return 0
}

func short(expr string) string {
	expr = strings.Join(strings.Fields(expr), " ")
	if len(expr) > 200 {
		return expr[:200] + "…"
	}
	return expr
}

// repoRoot is the directory with go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
