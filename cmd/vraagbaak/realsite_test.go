package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/ingest"
)

// realsite serves a corpus on loopback until stopped and writes a sources file that
// ingest accepts and that crawls the served pages.
func TestRealsiteCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("govbench-rijksoverheid-vac/cache_vacs_bzk/a.json", `{"canonical": "https://www.rijksoverheid.nl/onderwerpen/vliegeren/vraag-en-antwoord/hoe-hoog-mag-mijn-vlieger",
		"question": "Hoe hoog mag mijn vlieger?", "introduction": "<p>Een vlieger mag tot 100 meter hoog.</p>", "content": []}`)
	write("amsterdam-rag-belastingen/belastingen-heffingen_.txt", "[PAGE LINK: x](https://www.amsterdam.nl/belastingen-heffingen/)\n\nGemeentebelastingen\n\nDe vliegerbelasting is € 1,23 per vlieger.\n")
	sources := filepath.Join(dir, "sources.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"realsite", "--corpus", dir, "--port", "0", "--sources", sources}, env(nil), &out, &errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	var srcs []ingest.Source
	for {
		var err error
		if srcs, err = ingest.LoadSources(sources); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no sources file: %v (%s)", err, <-done)
		}
		time.Sleep(10 * time.Millisecond) // polling for the file, with a deadline
	}
	if len(srcs) != 2 || srcs[0].Name != "rijksoverheid" || srcs[0].Scope != "national" || srcs[1].Municipality != "GM0363" {
		t.Fatalf("sources = %+v", srcs)
	}
	for _, tc := range []struct {
		src        ingest.Source
		path, want string
	}{
		{srcs[0], "onderwerpen/vliegeren/vraag-en-antwoord/hoe-hoog-mag-mijn-vlieger", "100 meter"},
		{srcs[1], "belastingen-heffingen/", "€ 1,23"},
	} {
		resp, err := http.Get(tc.src.Allow[0] + tc.path) //nolint:noctx // loopback test server
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s%s: %d, page lacks %q", tc.src.Allow[0], tc.path, resp.StatusCode, tc.want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("realsite after stop: %v", err)
	}
	if !strings.Contains(out.String(), "host map: https://www.rijksoverheid.nl=http://127.0.0.1:") {
		t.Errorf("output lacks the host map:\n%s", out.String())
	}
}
