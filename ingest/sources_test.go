package ingest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/ingest"
)

func TestParseSources(t *testing.T) {
	t.Parallel()
	good := `sources:
  - name: rijksoverheid
    scope: national
    start: ["https://www.rijksoverheid.nl/sitemap.xml"]
    allow: ["https://www.rijksoverheid.nl/"]
  - name: amsterdam
    scope: municipality
    municipality: GM0363
    start: ["https://www.amsterdam.nl/"]
    allow: ["https://www.amsterdam.nl/"]
    extract:
      main: "#main"
      drop: [".banner"]
`
	srcs, err := ingest.ParseSources("good.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[1].Municipality != "GM0363" || srcs[1].Extract.Main != "#main" || srcs[1].Extract.Drop[0] != ".banner" {
		t.Errorf("parsed %+v", srcs)
	}

	tests := []struct {
		name, yaml string
		line       int
		field      string
	}{
		{"no municipality code", "sources:\n  - name: a\n    scope: municipality\n    start: [\"https://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 2, "municipality"},
		{"bad code", "sources:\n  - name: a\n    scope: municipality\n    municipality: 363\n    start: [\"https://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 4, "municipality"},
		{"bad scope", "sources:\n  - name: a\n    scope: provincie\n    start: [\"https://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 3, "scope"},
		{"start outside allow", "sources:\n  - name: a\n    scope: national\n    start: [\"https://b.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 4, "start"},
		{"ftp start", "sources:\n  - name: a\n    scope: national\n    start: [\"ftp://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 4, "start"},
		{"relative allow", "sources:\n  - name: a\n    scope: national\n    start: [\"https://a.nl/\"]\n    allow: [\"/pad\"]\n", 5, "allow"},
		{"missing allow", "sources:\n  - name: a\n    scope: national\n    start: [\"https://a.nl/\"]\n", 2, "allow"},
		{"unknown field", "sources:\n  - name: a\n    scope: national\n    stat: [\"https://a.nl/\"]\n", 4, "stat"},
		{"duplicate name", "sources:\n  - name: a\n    scope: national\n    start: [\"https://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n  - name: a\n    scope: national\n    start: [\"https://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 6, "name"},
		{"bad name", "sources:\n  - name: Gemeente A\n    scope: national\n    start: [\"https://a.nl/\"]\n    allow: [\"https://a.nl/\"]\n", 2, "name"},
		{"empty list", "sources: []\n", 1, "sources"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ingest.ParseSources("s.yaml", []byte(tc.yaml))
			var fe *ingest.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a FieldError", err)
			}
			if fe.Line != tc.line || !strings.HasSuffix(fe.Field, tc.field) {
				t.Errorf("error at line %d, field %q (%v); want line %d, field ending in %q", fe.Line, fe.Field, err, tc.line, tc.field)
			}
			if !strings.HasPrefix(err.Error(), "s.yaml:") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}

	if _, err := ingest.ParseSources("s.yaml", []byte("sources:\n  - name: [unclosed\n")); err == nil || !strings.Contains(err.Error(), "line") {
		t.Errorf("broken YAML: err = %v, want one naming the line", err)
	}
}

// The shipped sources file must stay valid.
func TestShippedSourcesFile(t *testing.T) {
	t.Parallel()
	srcs, err := ingest.LoadSources("../sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) < 3 {
		t.Errorf("sources.yaml lists %d sources", len(srcs))
	}
}
