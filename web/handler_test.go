package web_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/web"
)

var testOptions = web.Options{
	Municipalities: map[string]string{"GM9001": "Bloemendijk", "GM9002": "Heuvelrade"},
	RetentionDays:  30,
}

// get requests path from h and returns the response with its body read.
func get(t *testing.T, h http.Handler, method, path string, header http.Header) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

var versionRE = regexp.MustCompile(`var version = "([0-9a-f]{12})"`)

// widgetVersion reads the version widget.js loads its modules under.
func widgetVersion(t *testing.T, h http.Handler) string {
	t.Helper()
	_, body := get(t, h, "GET", "/widget.js", nil)
	m := versionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("widget.js has no version: %.300s", body)
	}
	return m[1]
}

func TestRoutes(t *testing.T) {
	h := web.Handler(testOptions)
	v := widgetVersion(t, h)
	const csp = "script-src 'self'"
	tests := []struct {
		method, path string
		status       int
		contentType  string
		cache        string // Cache-Control, "" = not checked
		html         bool   // an HTML page: needs the CSP
		contains     string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", "no-cache", true, "Gemeente Bloemendijk"},
		{"GET", "/?municipality=GM9002", 200, "text/html; charset=utf-8", "no-cache", true, `data-municipality="GM9002"`},
		{"HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", true, ""},
		{"GET", "/privacy", 200, "text/html; charset=utf-8", "no-cache", true, "30 dagen"},
		{"GET", "/widget.js", 200, "text/javascript; charset=utf-8", "public, max-age=300", false, "document.currentScript"},
		{"GET", "/widget/" + v + "/main.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", false, "export function mount"},
		{"GET", "/widget/" + v + "/widget.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", false, ".vb-launcher"},
		{"GET", "/widget/000000000000/main.js", 200, "text/javascript; charset=utf-8", "no-cache", false, "export function mount"},
		{"GET", "/?municipality=GM0363", 404, "text/html; charset=utf-8", "", true, "Deze pagina bestaat niet"},
		{"GET", "/ws", 404, "text/html; charset=utf-8", "", true, ""},
		{"GET", "/privacy/", 404, "text/html; charset=utf-8", "", true, ""},
		{"GET", "/index.html", 404, "text/html; charset=utf-8", "", true, ""},
		{"GET", "/widget/", 404, "text/html; charset=utf-8", "", true, ""},
		{"GET", "/widget/" + v + "/nope.js", 404, "", "", false, ""},
		{"GET", "/static/widget.js", 404, "text/html; charset=utf-8", "", true, ""},
		{"POST", "/", 404, "text/html; charset=utf-8", "", true, ""},
		{"DELETE", "/widget.js", 404, "text/html; charset=utf-8", "", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res, body := get(t, h, tt.method, tt.path, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if tt.contentType != "" && res.Header.Get("Content-Type") != tt.contentType {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tt.contentType)
			}
			if tt.cache != "" && res.Header.Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control %q, want %q", res.Header.Get("Cache-Control"), tt.cache)
			}
			gotCSP := res.Header.Get("Content-Security-Policy")
			if tt.html && !strings.Contains(gotCSP, csp) {
				t.Errorf("Content-Security-Policy %q, want it to contain %q", gotCSP, csp)
			}
			if !tt.html && gotCSP != "" && tt.status == 200 {
				t.Errorf("an asset with Content-Security-Policy %q", gotCSP)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body does not contain %q: %.500s", tt.contains, body)
			}
			if tt.method == "HEAD" && body != "" {
				t.Errorf("HEAD with a body")
			}
		})
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	res, _ := get(t, web.Handler(testOptions), "GET", "/", nil)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self' ws: wss:", "frame-ancestors 'none'", "require-trusted-types-for 'script'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy %q allows inline code", csp)
	}
}

func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	h := web.Handler(testOptions)
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|<style|\son[a-z]+=|\sstyle=`)
	for _, path := range []string{"/", "/?municipality=GM9002", "/privacy", "/nergens"} {
		_, body := get(t, h, "GET", path, nil)
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s has inline script or style: %q", path, m)
		}
		if !strings.Contains(body, `<html lang="nl">`) {
			t.Errorf("%s lacks lang=nl", path)
		}
	}
}

func TestAssetCaching(t *testing.T) {
	h := web.Handler(testOptions)
	v := widgetVersion(t, h)
	for _, path := range []string{"/widget.js", "/widget/" + v + "/conversation.js"} {
		res, _ := get(t, h, "GET", path, nil)
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatalf("%s: no ETag", path)
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin %q: modules are loaded cross-origin with CORS", path, got)
		}
		res, body := get(t, h, "GET", path, http.Header{"If-None-Match": {etag}})
		if res.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with If-None-Match: status %d, body %d bytes; want 304", path, res.StatusCode, len(body))
		}
	}
	// The same options give the same version: every server of a deployment agrees.
	if v2 := widgetVersion(t, web.Handler(web.Options{})); v2 != v {
		t.Errorf("version %s, then %s", v, v2)
	}
}

func TestDemoPage(t *testing.T) {
	h := web.Handler(testOptions)
	_, body := get(t, h, "GET", "/", nil)
	for _, want := range []string{
		`<title>Gemeente Bloemendijk (voorbeeldwebsite)</title>`,
		`<script src="/widget.js" data-municipality="GM9001" data-name="Bloemendijk" defer></script>`,
		`href="/?municipality=GM9002"`,
		`href="/privacy"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("demo page lacks %s", want)
		}
	}
	_, body = get(t, h, "GET", "/?municipality=GM9002", nil)
	if !strings.Contains(body, "Gemeente Heuvelrade") || !strings.Contains(body, `href="/?municipality=GM9001"`) {
		t.Errorf("GM9002 demo page: %.1000s", body)
	}
	// Without municipalities: national sources only.
	_, body = get(t, web.Handler(web.Options{}), "GET", "/", nil)
	if !strings.Contains(body, `data-municipality=""`) {
		t.Errorf("demo page without municipalities: %.1000s", body)
	}
	// Names are escaped.
	_, body = get(t, web.Handler(web.Options{Municipalities: map[string]string{"GM9003": `<b>"Oost"</b>`}}), "GET", "/", nil)
	if strings.Contains(body, `<b>"Oost"`) {
		t.Errorf("municipality name not escaped: %.1000s", body)
	}
}

func TestPrivacyPage(t *testing.T) {
	tests := []struct {
		days int
		want string
	}{
		{30, "<strong>30 dagen</strong>"},
		{1, "<strong>1 dag</strong>"},
		{0, "bepaalt de gemeente"},
	}
	for _, tt := range tests {
		_, body := get(t, web.Handler(web.Options{RetentionDays: tt.days}), "GET", "/privacy", nil)
		if !strings.Contains(body, tt.want) {
			t.Errorf("RetentionDays %d: privacy page lacks %q", tt.days, tt.want)
		}
		for _, topic := range []string{"bronnen", "kan zich vergissen", "medewerker", "BSN", "IBAN", "telefoonnummer", "e-mailadres", "postcode", "geboortedatum", "taalmodel", "leggen we vast wie dat was en wanneer"} {
			if !strings.Contains(body, topic) {
				t.Errorf("privacy page does not mention %q", topic)
			}
		}
	}
}

// TestWidgetNeverParsesHTML guards the rule that server data goes in as text: no
// source of the widget may use an HTML sink.
func TestWidgetNeverParsesHTML(t *testing.T) {
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc|\beval\(|new Function`)
	err := filepath.WalkDir("static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if m := sinks.FindString(string(src)); m != "" {
			t.Errorf("%s uses %s", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
