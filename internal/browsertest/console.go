package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Console collects the errors of one tab: console.error and failed console.assert
// calls, uncaught exceptions and unhandled rejections, and error entries of the
// browser log (a resource that failed to load, a Content-Security-Policy violation).
// Not counted: a missing /favicon.ico (the browser asks for it on its own) and what
// axe-core itself causes while Axe runs (it sets inline styles, which a strict
// Content-Security-Policy reports).
type Console struct {
	mu     sync.Mutex
	errors []string
}

// WatchConsole starts collecting the errors of ctx's tab.
func WatchConsole(t testing.TB, ctx context.Context) *Console {
	t.Helper()
	c := &Console{}
	// Listen calls the func on the goroutine that reads the browser's messages, in
	// order, before the reply to any later command: after a command returns, every
	// error the page had before it has been collected.
	err := chromedp.Listen(ctx, func(ev any) {
		if msg, ok := consoleError(ev); ok {
			c.mu.Lock()
			c.errors = append(c.errors, msg)
			c.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("browsertest: watch console: %v", err)
	}
	return c
}

// Errors returns the errors so far, after a round trip to the browser so that none
// that happened before the call is missing.
func (c *Console) Errors(ctx context.Context) []string {
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void]("0")) // a closed tab has nothing more to say
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

// FailOnConsoleErrors fails t when ctx's tab has logged an error by the time t ends.
func FailOnConsoleErrors(t testing.TB, ctx context.Context) *Console {
	t.Helper()
	c := WatchConsole(t, ctx)
	t.Cleanup(func() {
		if errs := c.Errors(ctx); len(errs) > 0 {
			t.Errorf("browser console errors:\n  %s", strings.Join(errs, "\n  "))
		}
	})
	return c
}

func consoleError(ev any) (string, bool) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return "", false
		}
		parts := make([]string, 0, len(ev.Args))
		for _, a := range ev.Args {
			parts = append(parts, remoteText(a))
		}
		return fmt.Sprintf("console.%s: %s%s", ev.Type, strings.Join(parts, " "), stackPlace(ev.StackTrace)), true
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		if d == nil {
			return "exception", true
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		} else if d.Exception != nil {
			text += " " + remoteText(d.Exception)
		}
		if d.URL != "" {
			text += fmt.Sprintf(" (%s:%d:%d)", d.URL, d.LineNumber+1, d.ColumnNumber+1)
		}
		return "exception: " + text, true
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil || e.Level != log.EntryLevelError || isFavicon(e.URL) || fromAxe(e.StackTrace) {
			return "", false
		}
		text := fmt.Sprintf("%s: %s", e.Source, e.Text)
		if e.URL != "" {
			text += " (" + e.URL + ")"
		}
		return text, true
	}
	return "", false
}

// fromAxe reports whether the code at the top of the stack is axe-core's.
func fromAxe(st *runtime.StackTrace) bool {
	return st != nil && len(st.CallFrames) > 0 && st.CallFrames[0].URL == axeSourceURL
}

func isFavicon(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Path == "/favicon.ico"
}

func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if o.Type == "string" && len(o.Value) > 0 {
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
	}
	if o.Description != "" {
		return o.Description
	}
	if len(o.Value) > 0 {
		return string(o.Value)
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	return string(o.Type)
}

func stackPlace(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (%s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}
