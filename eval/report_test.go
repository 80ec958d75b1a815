package eval

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./eval -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output; if the change is intended, run go test ./eval -run %s -update and review the diff", path, t.Name())
	}
}

func TestReportGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := fixture().WriteReport(&buf); err != nil {
		t.Fatal(err)
	}
	html := buf.Bytes()
	golden(t, "report.golden.html", html)

	// Well-formed: the template is written as XML, so a strict XML parser must
	// read it to the end with every element closed.
	dec := xml.NewDecoder(bytes.NewReader(html))
	dec.Strict = true
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("report is not well-formed: %v", err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Errorf("report ends at depth %d", depth)
	}
	s := string(html)
	// Self-contained and accessible.
	for _, bad := range []string{"<script", "src=", "<link", "url(", "@import", "http-equiv"} {
		if strings.Contains(s, bad) {
			t.Errorf("report contains %q: it must need nothing from outside", bad)
		}
	}
	for _, want := range []string{
		`<html lang="en">`, `lang="nl">Schrijf een bezwaarbrief namens de gemeente</td>`,
		`<caption>Confusion matrix`, `<th scope="col">`, `<th scope="row">`,
		`role="img"`, `aria-labelledby="chart-latency-title chart-latency-desc"`, `<title id="chart-latency-title">`,
		`<desc id="chart-topic-recall_at_5-desc">Recall@5 for each topic`,
		"refusal-002", "citation neither expected nor supported",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Count(s, "<svg") != strings.Count(s, "<title id=") {
		t.Error("every SVG needs its own <title>")
	}
}

func TestResultJSON(t *testing.T) {
	t.Parallel()
	r := fixture()
	dir := t.TempDir()
	path, err := r.WriteJSON(dir)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "result.golden.json", data)
	for _, p := range []string{dir, path} {
		back, err := ReadResult(p)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		first, _ := json.Marshal(r)
		if !bytes.Equal(again, first) {
			t.Errorf("ReadResult(%s) does not give back what was written", p)
		}
	}
	if _, err := ReadResult(filepath.Join(dir, "nothing")); err == nil || !strings.Contains(err.Error(), "no result at") {
		t.Errorf("ReadResult of a missing file: %v", err)
	}
}
