// Package web serves what runs in the browser: for citizens the chat widget (widget.js
// and the JavaScript modules and CSS it loads), a demo page that looks like a municipal
// website with the widget on it, and the privacy page the widget links to; for
// contact-centre staff the console (StaffHandler). Everything is embedded; there is no
// JavaScript build chain, and modules both use (static/shared) are served with each.
// cmd imports it, mounts Handler at "/" and StaffHandler under /staff/; the websockets
// (/ws and /staff/ws, docs/protocol.md), the staff login and the operational endpoints
// are mounted by cmd.
//
// A municipality puts the widget on its site with
//
//	<script src="https://vraagbaak.example/widget.js" data-municipality="GM0363" defer></script>
//
// (optional: data-name="Amsterdam" names the municipality in the panel's title). The
// site's Content-Security-Policy must allow that origin in script-src and style-src and
// its ws(s): URL in connect-src. The widget lives in an open shadow root on
// <div id="vraagbaak-widget">, so the site's CSS cannot change it; tests reach its
// elements through that shadow root (ids vb-launcher, vb-panel, vb-input, vb-log, …).
package web

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strings"
)

// Options for the pages.
type Options struct {
	// Municipalities the demo page offers: code → name, e.g. "GM9001" → "Bloemendijk".
	// The demo page shows the lowest code unless ?municipality= names another one.
	Municipalities map[string]string
	// RetentionDays is how long conversations are kept, shown on the privacy page.
	// Zero or less: the page says the municipality decides, without a number.
	RetentionDays int
}

// contentSecurityPolicy is sent with every HTML page: only our own scripts and styles
// (no inline script), websockets to anywhere the page's own script connects, and
// Trusted Types so that no string can reach an HTML sink such as innerHTML.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; " +
	"require-trusted-types-for 'script'; trusted-types 'none'"

// Handler serves GET /widget.js, /widget/<version>/<file> (the widget's modules and
// CSS), / (the demo page; ?municipality=GM9002 switches municipality) and /privacy.
// Every other path, and every other method, is a 404.
func Handler(opts Options) http.Handler {
	a := loadAssets()
	p := newPages(opts, a.version)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.demo)
	mux.HandleFunc("GET /privacy", p.privacy)
	mux.HandleFunc("GET /widget.js", a.widgetJS)
	mux.HandleFunc("GET /widget/{version}/{file}", a.widgetFile)
	mux.HandleFunc("/", p.notFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	})
}

// municipality is one entry of the demo page's list.
type municipality struct {
	Code, Name string
}

// pages renders the HTML pages.
type pages struct {
	tmpl           *template.Template
	err            error // parsing the embedded templates failed: every page is a 500
	version        string
	municipalities []municipality // sorted by code
	retentionDays  int
}

func newPages(opts Options, version string) *pages {
	p := &pages{version: version, retentionDays: opts.RetentionDays}
	for code, name := range opts.Municipalities {
		p.municipalities = append(p.municipalities, municipality{Code: code, Name: name})
	}
	slices.SortFunc(p.municipalities, func(a, b municipality) int { return strings.Compare(a.Code, b.Code) })
	p.tmpl, p.err = template.ParseFS(pageFiles, "pages/*.html")
	return p
}

// demoData is what demo.html shows.
type demoData struct {
	Title   string
	Version string
	Current municipality
	Others  []municipality
}

func (p *pages) demo(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("municipality")
	d := demoData{Version: p.version}
	found := false
	for i, m := range p.municipalities {
		if (code == "" && i == 0) || m.Code == code {
			d.Current, found = m, true
		} else {
			d.Others = append(d.Others, m)
		}
	}
	switch {
	case !found && code != "":
		p.notFound(w, r)
		return
	case !found:
		d.Current = municipality{Name: "Voorbeeld"} // no municipalities configured: national sources only
	}
	d.Title = "Gemeente " + d.Current.Name + " (voorbeeldwebsite)"
	p.render(w, r, http.StatusOK, "demo.html", d)
}

// privacyData is what privacy.html shows.
type privacyData struct {
	Title         string
	Version       string
	RetentionDays int
}

func (p *pages) privacy(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "privacy.html", privacyData{
		Title:         "Privacy en de digitale assistent",
		Version:       p.version,
		RetentionDays: p.retentionDays,
	})
}

func (p *pages) notFound(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusNotFound, "notfound.html", struct{ Title, Version string }{"Pagina niet gevonden", p.version})
}

func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	// Both errors are bugs in the embedded templates, which the tests render; the
	// citizen gets a fixed message.
	var buf bytes.Buffer
	if p.err != nil || p.tmpl.ExecuteTemplate(&buf, name, data) != nil {
		http.Error(w, "Er ging iets mis. Probeer het later opnieuw.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes()) // the client went away
	}
}
