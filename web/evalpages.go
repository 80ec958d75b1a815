package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
)

// evalFiles are the evaluator workbench's page and modules, and the element helper it
// shares with the widget and the console.
//
//go:embed pages/evalui static/evalui static/shared/dom.js
var evalFiles embed.FS

// EvalHandler serves the evaluator workbench: GET /eval/ (the page; the caller puts it
// behind the staff session check for evaluators and supervisors) and GET
// /eval/static/<version>/<file> (its modules and CSS, public). Every other path, and
// every other method, is a 404.
//
// The page is plain JavaScript modules speaking the JSON API under /eval/api/
// (eval.Rounds.Handler); it reads who is logged in, and the CSRF token, from GET
// /staff/session. It runs under the same Content-Security-Policy as the other pages.
func EvalHandler() http.Handler {
	files := loadEvalFiles()
	tmpl, tmplErr := template.ParseFS(evalFiles, "pages/evalui/workbench.html")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /eval/{$}", func(w http.ResponseWriter, r *http.Request) {
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
			w.Write(buf.Bytes())
		}
	})
	mux.HandleFunc("GET /eval/static/{version}/{file}", func(w http.ResponseWriter, r *http.Request) {
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

// loadEvalFiles reads the workbench's static files into a fileSet versioned by their hash.
func loadEvalFiles() fileSet {
	var names []string
	fs.WalkDir(evalFiles, "static", func(p string, d fs.DirEntry, err error) error { //nolint:errcheck // embedded: cannot fail
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	slices.Sort(names)
	s := fileSet{files: map[string]asset{}}
	h := sha256.New()
	for _, p := range names {
		body, _ := evalFiles.ReadFile(p)
		s.files[path.Base(p)] = newAsset(p, body)
		h.Write([]byte(p))
		h.Write(body)
	}
	s.version = hex.EncodeToString(h.Sum(nil))[:12]
	return s
}
