package browsertest_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
)

const goodPage = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Goed</title></head>
<body><main><h1>Goed</h1>
<button id="a" type="button">Eerste</button>
<button id="b" type="button">Tweede</button>
</main></body></html>`

const badPage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Fout</title></head>
<body><main><img src="/plaatje.png"><p style="color:#aaa;background:#fff">Te licht</p></main></body></html>`

const noisyPage = `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Lawaai</title></head>
<body><script>
console.log("dit is geen fout");
console.error("kapot", 42);
setTimeout(() => { throw new Error("onverwacht"); }, 0);
</script></body></html>`

func site(t *testing.T) *httptest.Server {
	t.Helper()
	pages := map[string]string{"/good": goodPage, "/bad": badPage, "/noisy": noisyPage}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page)) // the browser went away
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAxe(t *testing.T) {
	t.Parallel()
	srv := site(t)
	ctx := browsertest.New(t)

	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/good"))
	if vs := browsertest.Axe(t, ctx); len(vs) != 0 {
		t.Errorf("good page: violations %v", vs)
	}

	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/bad"))
	vs := browsertest.Axe(t, ctx)
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 || v.Help == "" {
			t.Errorf("violation %s without nodes or help: %+v", v.ID, v)
		}
	}
	for _, want := range []string{"image-alt", "html-has-lang", "color-contrast"} {
		if !slices.Contains(ids, want) {
			t.Errorf("bad page: violations %v, want %s among them", ids, want)
		}
	}
	if s := vs[0].String(); !strings.Contains(s, vs[0].Nodes[0].Target) {
		t.Errorf("String() = %q, want the target in it", s)
	}
}

func TestConsole(t *testing.T) {
	t.Parallel()
	srv := site(t)
	ctx := browsertest.New(t)
	c := browsertest.WatchConsole(t, ctx)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/noisy"))
	browsertest.WaitFor(t, ctx, `document.readyState === "complete"`)
	// The exception is thrown from a timer: wait for it.
	var errs []string
	for range 100 {
		if errs = c.Errors(ctx); len(errs) >= 2 {
			break
		}
		browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`new Promise((r) => setTimeout(r, 20))`, chromedp.EvalAwaitPromise))
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{"console.error: kapot 42", "onverwacht"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors %q, want %q among them", errs, want)
		}
	}
	if strings.Contains(all, "geen fout") {
		t.Errorf("errors %q hold a console.log", errs)
	}
}

func TestKeyboardAndWaiting(t *testing.T) {
	t.Parallel()
	srv := site(t)
	ctx := browsertest.New(t)
	browsertest.FailOnConsoleErrors(t, ctx)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/good"))
	if n := browsertest.TabUntil(t, ctx, `document.activeElement.id === "b"`, 5); n != 2 {
		t.Errorf("Tab pressed %d times to reach the second button, want 2", n)
	}
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.body.dataset.klaar = "ja", 50)`))
	browsertest.WaitFor(t, ctx, `document.body.dataset.klaar === "ja"`)
	if got := browsertest.Eval[string](t, ctx, `document.title`); got != "Goed" {
		t.Errorf("title %q", got)
	}
}

func TestNewContextIsolated(t *testing.T) {
	t.Parallel()
	srv := site(t)
	first := browsertest.New(t)
	browsertest.Do(t, first, chromedp.Navigate(srv.URL+"/good"))
	browsertest.Do(t, first, chromedp.Evaluate[chromedp.Void](`localStorage.setItem("wie", "eerste")`))

	second := browsertest.NewContext(t, first)
	browsertest.Do(t, second, chromedp.Navigate(srv.URL+"/good"))
	if got := browsertest.Eval[*string](t, second, `localStorage.getItem("wie")`); got != nil {
		t.Errorf("second browser context sees the first one's storage: %q", *got)
	}
	if got := browsertest.Eval[string](t, first, `localStorage.getItem("wie")`); got != "eerste" {
		t.Errorf("first context lost its storage: %q", got)
	}
}
