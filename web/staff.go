package web

import (
	"bytes"
	"html/template"
	"net/http"
)

// StaffHandler serves the staff console: GET /staff/ (the console page; the caller
// puts it behind the staff session check) and GET /staff/static/<version>/<file> (its
// modules and CSS, public). Every other path, and every other method, is a 404.
//
// The console is plain JavaScript modules (static/staff, plus the modules it shares
// with the widget in static/shared) speaking the staff part of docs/protocol.md over
// /staff/ws; it reads who is logged in, and the CSRF token for logging out, from GET
// /staff/session. It runs under the same Content-Security-Policy as the citizen pages.
func StaffHandler() http.Handler {
	return appHandler("/staff/", "pages/staff/console.html", "static/staff")
}

// appHandler serves a logged-in application at prefix: its page (a template given
// the version of its static files) at prefix itself, and its static files, from dir
// and static/shared, at prefix + "static/<version>/<file>". The page is never cached:
// it is only for logged-in staff.
func appHandler(prefix, page, dir string) http.Handler {
	files := loadFileSet(nil, "static/shared", dir)
	tmpl, tmplErr := template.ParseFS(pageFiles, page)
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+prefix+"{$}", func(w http.ResponseWriter, r *http.Request) {
		// A bug in the embedded template, which the tests render: a fixed message.
		var buf bytes.Buffer
		if tmplErr != nil || tmpl.Execute(&buf, struct{ Version string }{files.version}) != nil {
			http.Error(w, "Er ging iets mis. Probeer het later opnieuw.", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(buf.Bytes()) // the client went away
		}
	})
	mux.HandleFunc("GET "+prefix+"static/{version}/{file}", func(w http.ResponseWriter, r *http.Request) {
		f, cache, ok := files.lookup(r)
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
		serveAsset(w, r, f, cache)
	})
	mux.HandleFunc("/", http.NotFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		mux.ServeHTTP(w, r)
	})
}
