package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	}
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	keyFile := filepath.Join(t.TempDir(), "key")
	os.WriteFile(keyFile, []byte("sk-geheim\n"), 0o600)
	tests := []struct {
		name    string
		vars    map[string]string
		wantErr string
		check   func(Config) bool
	}{
		{name: "defaults", vars: map[string]string{}, check: func(c Config) bool { return c.Embedder == "builtin" && c.LogFormat == "text" }},
		{name: "ollama needs a model", vars: map[string]string{"VRAAGBAAK_EMBEDDER": "ollama"}, wantErr: "VRAAGBAAK_EMBEDDING_MODEL"},
		{name: "unknown embedder", vars: map[string]string{"VRAAGBAAK_EMBEDDER": "magic"}, wantErr: "VRAAGBAAK_EMBEDDER"},
		{name: "bad log format", vars: map[string]string{"VRAAGBAAK_LOG_FORMAT": "xml"}, wantErr: "VRAAGBAAK_LOG_FORMAT"},
		{name: "bad log level", vars: map[string]string{"VRAAGBAAK_LOG_LEVEL": "loud"}, wantErr: "VRAAGBAAK_LOG_LEVEL"},
		{name: "key from file", vars: map[string]string{"VRAAGBAAK_EMBEDDER": "openai", "VRAAGBAAK_EMBEDDING_MODEL": "m", "VRAAGBAAK_EMBEDDING_API_KEY_FILE": keyFile},
			check: func(c Config) bool { return c.EmbeddingKey == "sk-geheim" }},
		{name: "missing key file", vars: map[string]string{"VRAAGBAAK_EMBEDDING_API_KEY_FILE": "/nonexistent"}, wantErr: "VRAAGBAAK_EMBEDDING_API_KEY_FILE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := LoadConfig(env(tc.vars))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil || !tc.check(cfg) {
				t.Fatalf("LoadConfig = %+v, %v", cfg, err)
			}
		})
	}
}

// The demo, as `make demo` runs it: sample sites on loopback, crawled into the
// database, a summary printed.
func TestDemoCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"demo", "--port", "0"}, env(map[string]string{"DATABASE_URL": db.URL}), &out, &errOut)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"sample site bloemendijk", "rijk: ", "total", "embedder: builtin-lsa-v1, dimension 384"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"stats"}, env(map[string]string{"DATABASE_URL": db.URL}), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "GM9001") {
		t.Errorf("stats output:\n%s", out.String())
	}
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "sources.yaml")
	os.WriteFile(bad, []byte("sources:\n  - name: x\n    scope: gemeente\n"), 0o600)
	tests := []struct {
		args    []string
		vars    map[string]string
		wantErr string
	}{
		{args: []string{"vlieg"}, wantErr: `unknown command "vlieg"`},
		{args: []string{"ingest", "--sources", bad}, vars: map[string]string{"DATABASE_URL": "postgres://x@127.0.0.1:1/x"}, wantErr: "sources.yaml:3: sources[0] (x).scope"},
		{args: []string{"migrate"}, wantErr: "DATABASE_URL is not set"},
		{args: []string{"ingest", "--bogus"}, wantErr: "flag provided but not defined"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, env(tc.vars), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.wantErr)
		}
	}
}
