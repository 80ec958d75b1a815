package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/retrieval"
)

func TestDeriveTopic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		expected []Expected
		want     string
	}{
		{"site path", []Expected{{Site: "heuvelrade", Path: "/onderwerpen/wmo"}}, "wmo"},
		{"deeper path", []Expected{{Site: "rijk", Path: "/onderwerpen/verhuizen/vraag-en-antwoord/x"}}, "verhuizen"},
		{"no container segment", []Expected{{Site: "bloemendijk", Path: "/burgerzaken/paspoort"}}, "burgerzaken"},
		{"first page counts", []Expected{{Site: "bloemendijk", Path: "/afval"}, {Site: "rijk", Path: "/onderwerpen/x"}}, "afval"},
		{"full URL", []Expected{{URL: "https://www.example.nl/Belastingen/kwijtschelding"}}, "belastingen"},
		{"only the container", []Expected{{Site: "rijk", Path: "/onderwerpen"}}, "onderwerpen"},
		{"home page", []Expected{{Site: "rijk", Path: "/"}}, "other"},
		{"no pages", nil, "other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := deriveTopic(tc.expected); got != tc.want {
				t.Errorf("deriveTopic = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLoadGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.jsonl", `# a comment
{"id": "a", "question": "Wat kost een paspoort?", "municipality": "GM9001", "expected": [{"site": "bloemendijk", "path": "/burgerzaken/paspoort"}], "expected_outcome": "answered", "key_facts": ["€ 88,15"], "topic": "paspoort"}
{"id": "b", "question": "Hoe vraag ik huurtoeslag aan?", "municipality": "", "expected": [{"site": "rijk", "path": "/onderwerpen/huurtoeslag/aanvragen"}], "expected_outcome": "answered"}

{"id": "c", "question": "Ik wil een medewerker spreken", "expected_outcome": "handoff"}
`)
	qs, err := LoadGolden(good)
	if err != nil {
		t.Fatal(err)
	}
	var topics []string
	for _, q := range qs {
		topics = append(topics, q.Topic)
	}
	if got := strings.Join(topics, ","); got != "paspoort,huurtoeslag,other" {
		t.Errorf("topics = %s", got)
	}
	if got := qs[0].Expected[0].String(); got != "bloemendijk:/burgerzaken/paspoort" {
		t.Errorf("expected page = %s", got)
	}
	bad := []struct{ text, wantErr string }{
		{`{"id": "a", "question": "x", "expected_outcome": "maybe"}`, "bad.jsonl:1: expected_outcome"},
		{`{"id": "a", "question": "x", "expected_outcome": "answered"}`, "at least one expected page"},
		{"{\"id\": \"a\", \"question\": \"x\", \"expected_outcome\": \"refused\"}\n{\"id\": \"a\", \"question\": \"y\", \"expected_outcome\": \"refused\"}", "bad.jsonl:2: id \"a\" is already used on line 1"},
		{`{"id": "a"`, "bad.jsonl:1:"},
	}
	for _, tc := range bad {
		_, err := LoadGolden(write("bad.jsonl", tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("LoadGolden(%s) = %v, want an error with %q", tc.text, err, tc.wantErr)
		}
	}
}

// Every question set in testdata loads: the held-out sets are checked for format
// without being scored.
func TestGoldenSetsLoad(t *testing.T) {
	files, err := filepath.Glob("testdata/*.jsonl")
	if err != nil || len(files) < 5 {
		t.Fatalf("question sets: %v, %v", files, err)
	}
	for _, f := range files {
		qs, err := LoadGolden(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		// The sets over the real pages (real_*.jsonl, scripts/eval-real.sh) may be
		// small development sets; the sets over the sample sites are not.
		want := 70
		if strings.HasPrefix(filepath.Base(f), "real_") {
			want = 20
		}
		if len(qs) < want {
			t.Errorf("%s: %d questions, want at least %d", f, len(qs), want)
		}
	}
}

// An expected page named by its real URL matches the page crawled from the local copy
// of its site; site/path pages and URLs on other hosts are left alone.
func TestHostsLocal(t *testing.T) {
	t.Parallel()
	hosts, err := ParseHosts("https://www.rijksoverheid.nl=http://127.0.0.1:8093, https://www.amsterdam.nl/=http://127.0.0.1:8094")
	if err != nil {
		t.Fatal(err)
	}
	sites := Sites{"rijk": ""}
	tests := []struct {
		name string
		e    Expected
		hit  retrieval.Hit
		want bool
	}{
		{"real URL on the local copy", Expected{URL: "https://www.rijksoverheid.nl/onderwerpen/x/vraag-en-antwoord/y"},
			retrieval.Hit{URL: "http://127.0.0.1:8093/onderwerpen/x/vraag-en-antwoord/y"}, true},
		{"trailing slash ignored", Expected{URL: "https://www.amsterdam.nl/belastingen-heffingen/ozb/"},
			retrieval.Hit{URL: "http://127.0.0.1:8094/belastingen-heffingen/ozb"}, true},
		{"other local site", Expected{URL: "https://www.amsterdam.nl/belastingen-heffingen/ozb/"},
			retrieval.Hit{URL: "http://127.0.0.1:8093/belastingen-heffingen/ozb/"}, false},
		{"other path", Expected{URL: "https://www.rijksoverheid.nl/onderwerpen/x"},
			retrieval.Hit{URL: "http://127.0.0.1:8093/onderwerpen/y"}, false},
		{"unmapped host stays real", Expected{URL: "https://www.utrecht.nl/afval"},
			retrieval.Hit{URL: "https://www.utrecht.nl/afval"}, true},
		{"site and path unchanged", Expected{Site: "rijk", Path: "/onderwerpen/x"},
			retrieval.Hit{URL: "http://127.0.0.1:9999/onderwerpen/x"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := hosts.Local(tc.e).matches(tc.hit, sites); got != tc.want {
				t.Errorf("matches = %v, want %v (local %s)", got, tc.want, hosts.Local(tc.e))
			}
		})
	}
	for _, bad := range []string{"https://www.rijksoverheid.nl", "www.x.nl=http://127.0.0.1:1", "https://a.nl/path=http://127.0.0.1:1"} {
		if _, err := ParseHosts(bad); err == nil {
			t.Errorf("ParseHosts(%q) = nil error", bad)
		}
	}
}

// The development set over the real pages names every page by its real URL on one of
// the two sites vraagbaak realsite serves, so that --hosts can map it.
func TestRealDevSet(t *testing.T) {
	t.Parallel()
	qs, err := LoadGolden("testdata/real_dev.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 20 {
		t.Errorf("%d questions, want at least 20", len(qs))
	}
	for _, q := range qs {
		for _, e := range q.Expected {
			if !strings.HasPrefix(e.URL, "https://www.rijksoverheid.nl/onderwerpen/") && !strings.HasPrefix(e.URL, "https://www.amsterdam.nl/belastingen-heffingen/") {
				t.Errorf("%s: expected page %s is not a real URL of the corpus's sites", q.ID, e)
			}
		}
		if len(q.Expected) > 0 && strings.HasPrefix(q.Expected[0].URL, "https://www.amsterdam.nl/") != (q.Municipality == "GM0363") {
			t.Errorf("%s: an Amsterdam page is expected exactly when the question is asked in Amsterdam (GM0363)", q.ID)
		}
	}
}
