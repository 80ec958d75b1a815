package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
)

var (
	//go:embed static
	staticFiles embed.FS
	//go:embed pages
	pageFiles embed.FS
)

// versionPlaceholder in widget.js is replaced by the version of the widget's files.
const versionPlaceholder = "__VRAAGBAAK_VERSION__"

// Cache lifetimes. widget.js is the address municipalities embed, so it changes at
// its address and is cached briefly; the files it loads sit under a versioned path and
// never change there.
const (
	widgetJSCache  = "public, max-age=300"
	versionedCache = "public, max-age=31536000, immutable"
)

// asset is one embedded file, ready to serve.
type asset struct {
	body        []byte
	etag        string
	contentType string
}

func newAsset(name string, body []byte) asset {
	sum := sha256.Sum256(body)
	ct := "application/octet-stream"
	switch path.Ext(name) {
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".css":
		ct = "text/css; charset=utf-8"
	}
	return asset{body: body, etag: `"` + hex.EncodeToString(sum[:10]) + `"`, contentType: ct}
}

// fileSet is embedded files served under one versioned path: the version is a hash
// over all of them, so a change to any file moves the whole set to a new path and a
// browser never mixes modules of two releases.
type fileSet struct {
	version string
	files   map[string]asset // by file name
}

// loadFileSet reads the files of the embedded directories (their names must differ)
// and hashes extra into the version too.
func loadFileSet(extra []byte, dirs ...string) fileSet {
	type file struct{ name, path string }
	var list []file
	for _, dir := range dirs {
		entries, _ := fs.ReadDir(staticFiles, dir) // embedded: cannot fail
		for _, e := range entries {
			if !e.IsDir() {
				list = append(list, file{e.Name(), dir + "/" + e.Name()})
			}
		}
	}
	slices.SortFunc(list, func(a, b file) int { return strings.Compare(a.name, b.name) })
	s := fileSet{files: map[string]asset{}}
	h := sha256.New()
	for _, f := range list {
		body, _ := staticFiles.ReadFile(f.path)
		s.files[f.name] = newAsset(f.name, body)
		h.Write([]byte(f.name))
		h.Write(body)
	}
	h.Write(extra)
	s.version = hex.EncodeToString(h.Sum(nil))[:12]
	return s
}

// lookup finds the file of a request for /<prefix>/<version>/<file> and how long it
// may be cached. A request for another version (a page or loader cached from before a
// release) gets the current file, not to be cached.
func (s fileSet) lookup(r *http.Request) (asset, string, bool) {
	f, ok := s.files[r.PathValue("file")]
	if !ok {
		return f, "", false
	}
	cache := versionedCache
	if r.PathValue("version") != s.version {
		cache = "no-cache"
	}
	return f, cache, true
}

// assets are widget.js and the files under /widget/<version>/: the widget's own and
// the modules it shares with the staff console.
type assets struct {
	fileSet
	loader asset // widget.js
}

func loadAssets() *assets {
	js, _ := staticFiles.ReadFile("static/widget.js")
	a := &assets{fileSet: loadFileSet(js, "static/shared", "static/widget")}
	a.loader = newAsset("widget.js", bytes.ReplaceAll(js, []byte(versionPlaceholder), []byte(a.version)))
	return a
}

func (a *assets) widgetJS(w http.ResponseWriter, r *http.Request) {
	crossOrigin(w)
	serveAsset(w, r, a.loader, widgetJSCache)
}

// widgetFile serves /widget/<version>/<file>.
func (a *assets) widgetFile(w http.ResponseWriter, r *http.Request) {
	f, cache, ok := a.lookup(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	crossOrigin(w)
	serveAsset(w, r, f, cache)
}

// crossOrigin lets other origins load a widget file: municipal sites load the
// widget from our origin, and module scripts are fetched with CORS.
func crossOrigin(w http.ResponseWriter) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
}

func serveAsset(w http.ResponseWriter, r *http.Request, f asset, cache string) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", cache)
	h.Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
