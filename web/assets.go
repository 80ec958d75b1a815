package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"sort"
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

// assets are widget.js and the files under /widget/<version>/.
type assets struct {
	version string
	loader  asset            // widget.js
	files   map[string]asset // by file name
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

// loadAssets reads the embedded files. The version is a hash over all of them, so a
// change to any file moves the whole set to a new path: a browser never mixes modules
// of two releases.
func loadAssets() *assets {
	a := &assets{files: map[string]asset{}}
	entries, _ := fs.ReadDir(staticFiles, "static/widget") // embedded: cannot fail
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		body, _ := staticFiles.ReadFile("static/widget/" + name)
		a.files[name] = newAsset(name, body)
		h.Write([]byte(name))
		h.Write(body)
	}
	js, _ := staticFiles.ReadFile("static/widget.js")
	h.Write(js)
	a.version = hex.EncodeToString(h.Sum(nil))[:12]
	a.loader = newAsset("widget.js", bytes.ReplaceAll(js, []byte(versionPlaceholder), []byte(a.version)))
	return a
}

func (a *assets) widgetJS(w http.ResponseWriter, r *http.Request) {
	serveAsset(w, r, a.loader, widgetJSCache)
}

// widgetFile serves /widget/<version>/<file>. A request for another version (a
// widget.js cached from before a release) gets the current file, not to be cached.
func (a *assets) widgetFile(w http.ResponseWriter, r *http.Request) {
	f, ok := a.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	cache := versionedCache
	if r.PathValue("version") != a.version {
		cache = "no-cache"
	}
	serveAsset(w, r, f, cache)
}

func serveAsset(w http.ResponseWriter, r *http.Request, f asset, cache string) {
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", cache)
	h.Set("ETag", f.etag)
	// Municipal sites load the modules from another origin, and module scripts are
	// fetched with CORS.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
