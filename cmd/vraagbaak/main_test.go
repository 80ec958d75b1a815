package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
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
	if err := os.WriteFile(keyFile, []byte("sk-geheim\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rules := writeRuleFiles(t)
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
		{name: "embedded rules", vars: map[string]string{}, check: func(c Config) bool {
			_, reason := c.Rules.Guard.Refuse("Op welke partij moet ik stemmen?")
			return reason == "voting_advice" && c.Rules.Handoff.Triage("ik wil niet meer leven", 0).Reason == answer.ReasonEmergencySuicide
		}},
		{name: "rule files from a path", vars: map[string]string{"VRAAGBAAK_GUARD_FILE": rules["guard"], "VRAAGBAAK_HANDOFF_FILE": rules["handoff"]}, check: func(c Config) bool {
			_, custom := c.Rules.Guard.Refuse("Waar staat de milieustraat?")
			_, embedded := c.Rules.Guard.Refuse("Op welke partij moet ik stemmen?")
			return custom == "out_of_domain" && embedded == "" && c.Rules.Handoff.Triage("Waar staat de milieustraat?", 0).Reason == answer.ReasonRequest
		}},
		{name: "broken handoff file", vars: map[string]string{"VRAAGBAAK_HANDOFF_FILE": rules["bad-handoff"]},
			wantErr: "config: VRAAGBAAK_HANDOFF_FILE: " + rules["bad-handoff"] + `:5: unknown reason "spoedd"`},
		{name: "guard file with bad syntax", vars: map[string]string{"VRAAGBAAK_GUARD_FILE": rules["bad-guard"]},
			wantErr: "config: VRAAGBAAK_GUARD_FILE: " + rules["bad-guard"] + `:3: pattern "... geld": ... must stand between two words`},
		{name: "handoff file as guard file", vars: map[string]string{"VRAAGBAAK_GUARD_FILE": rules["handoff"]},
			wantErr: "VRAAGBAAK_GUARD_FILE: " + rules["handoff"] + ": this is a hand-off rule file, not a guard rule file"},
		{name: "access log kept a year", vars: map[string]string{}, check: func(c Config) bool { return c.RetentionDays == 30 && c.AccessLogDays == 365 }},
		{name: "access log outlives long retention", vars: map[string]string{"VRAAGBAAK_RETENTION_DAYS": "400"}, check: func(c Config) bool { return c.AccessLogDays == 400 }},
		{name: "access log retention set", vars: map[string]string{"VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS": "730"}, check: func(c Config) bool { return c.AccessLogDays == 730 }},
		{name: "access log shorter than conversations", vars: map[string]string{"VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS": "7"}, wantErr: "VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS must be a whole number of days, at least VRAAGBAAK_RETENTION_DAYS (30)"},
		{name: "missing rule file", vars: map[string]string{"VRAAGBAAK_HANDOFF_FILE": "/nonexistent/handoff.txt"}, wantErr: "VRAAGBAAK_HANDOFF_FILE: open /nonexistent/handoff.txt"},
		// Only a loopback address is local; ":8080" listens on every interface.
		{name: "cookies secure on every interface", vars: map[string]string{"VRAAGBAAK_ADDR": ":8080"}, check: func(c Config) bool { return c.SecureCookies }},
		{name: "cookies secure on 0.0.0.0", vars: map[string]string{"VRAAGBAAK_ADDR": "0.0.0.0:8080"}, check: func(c Config) bool { return c.SecureCookies }},
		{name: "cookies secure on a host named 127.x", vars: map[string]string{"VRAAGBAAK_ADDR": "127.example.nl:8080"}, check: func(c Config) bool { return c.SecureCookies }},
		{name: "cookies not secure on localhost", vars: map[string]string{}, check: func(c Config) bool { return !c.SecureCookies }},
		{name: "cookies not secure on 127.0.0.2", vars: map[string]string{"VRAAGBAAK_ADDR": "127.0.0.2:8080"}, check: func(c Config) bool { return !c.SecureCookies }},
		{name: "cookies not secure on ::1", vars: map[string]string{"VRAAGBAAK_ADDR": "[::1]:8080"}, check: func(c Config) bool { return !c.SecureCookies }},
		{name: "metrics on loopback by default", vars: map[string]string{}, check: func(c Config) bool { return c.MetricsAddr == "127.0.0.1:9090" }},
		{name: "metrics off", vars: map[string]string{"VRAAGBAAK_METRICS_ADDR": "off"}, check: func(c Config) bool { return c.MetricsAddr == "" }},
		{name: "metrics empty", vars: map[string]string{"VRAAGBAAK_METRICS_ADDR": ""}, check: func(c Config) bool { return c.MetricsAddr == "" }},
		{name: "bad metrics address", vars: map[string]string{"VRAAGBAAK_METRICS_ADDR": "metrics"}, wantErr: "VRAAGBAAK_METRICS_ADDR"},
		{name: "trusted proxies", vars: map[string]string{"VRAAGBAAK_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7"}, check: func(c Config) bool { return len(c.TrustedProxies) == 2 }},
		{name: "bad trusted proxy", vars: map[string]string{"VRAAGBAAK_TRUSTED_PROXIES": "proxy.example.nl"}, wantErr: "VRAAGBAAK_TRUSTED_PROXIES"},
		{name: "trust proxy means loopback", vars: map[string]string{"VRAAGBAAK_TRUST_PROXY": "true"}, check: func(c Config) bool {
			return len(c.TrustedProxies) == 2 && c.TrustedProxies.Contains(netip.MustParseAddr("127.0.0.1")) && !c.TrustedProxies.Contains(netip.MustParseAddr("10.0.0.1"))
		}},
		{name: "connection limits", vars: map[string]string{"VRAAGBAAK_MAX_CONNECTIONS_PER_IP": "50", "VRAAGBAAK_MAX_CONNECTIONS": "900", "VRAAGBAAK_HELLO_TIMEOUT": "5s", "VRAAGBAAK_RATE_LIMIT_NEW_CONVERSATIONS": "60"},
			check: func(c Config) bool {
				return c.MaxConnectionsPerIP == 50 && c.MaxConnections == 900 && c.HelloTimeout == 5*time.Second && c.NewConversationRate == 60
			}},
		{name: "connection limit defaults", vars: map[string]string{}, check: func(c Config) bool {
			return c.MaxConnectionsPerIP == 200 && c.MaxConnections == 0 && c.HelloTimeout == 10*time.Second && c.NewConversationRate == 20
		}},
		{name: "bad connection cap", vars: map[string]string{"VRAAGBAAK_MAX_CONNECTIONS_PER_IP": "0"}, wantErr: "VRAAGBAAK_MAX_CONNECTIONS_PER_IP"},
		{name: "bad hello timeout", vars: map[string]string{"VRAAGBAAK_HELLO_TIMEOUT": "soon"}, wantErr: "VRAAGBAAK_HELLO_TIMEOUT"},
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

// writeRuleFiles writes rule files for the tests and returns their paths: "guard"
// and "handoff" good ones that know only the milieustraat, "bad-guard" and
// "bad-handoff" with a mistake.
func writeRuleFiles(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"guard":       "# Alleen de milieustraat\n[out_of_domain]\nmilieustraat\n",
		"handoff":     "[info]\nwat is\n\n[request milieustraat]\nmilieustraat\n",
		"bad-guard":   "[fraud]\nzwart werken\n... geld\n",
		"bad-handoff": "[info]\nwat is\n\n# spoed\n[spoedd zelfdoding]\nzelfmoord\n",
	}
	paths := map[string]string{}
	for name, src := range files {
		paths[name] = filepath.Join(dir, name+".txt")
		if err := os.WriteFile(paths[name], []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
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

	// On this index: rule files from a path are the ones used, by ask as by serve.
	rules := writeRuleFiles(t)
	question := "Wanneer is de milieustraat open?"
	for _, tc := range []struct {
		name                   string
		vars                   map[string]string
		question               string
		refusal, handoffReason string
		source                 string // the start of refusal_source or handoff_source
	}{
		{"embedded rules", nil, question, "", "", ""},
		{"custom guard", map[string]string{"VRAAGBAAK_GUARD_FILE": rules["guard"]}, question, "out_of_domain", "", "rules"},
		{"custom hand-off rules", map[string]string{"VRAAGBAAK_HANDOFF_FILE": rules["handoff"]}, question, "", "request", "rules "},
		// The guard rules let it through; the guard classifier refuses it.
		{"guard classifier", nil, "Maak een grappig versje over luie Polen", "discrimination", "", "classifier discrimination 0."},
	} {
		vars := map[string]string{"DATABASE_URL": db.URL}
		maps.Copy(vars, tc.vars)
		out.Reset()
		if err := run(context.Background(), []string{"ask", "--json", tc.question}, env(vars), &out, &errOut); err != nil {
			t.Fatalf("%s: ask: %v\n%s", tc.name, err, errOut.String())
		}
		var got askOutput
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, out.String())
		}
		if string(got.RefusalReason) != tc.refusal || got.HandoffReason != tc.handoffReason {
			t.Errorf("%s: ask %q = %s, refusal %q, hand-off %q; want refusal %q, hand-off %q",
				tc.name, tc.question, got.Outcome, got.RefusalReason, got.HandoffReason, tc.refusal, tc.handoffReason)
		}
		if source := got.RefusalSource + got.HandoffSource; !strings.HasPrefix(source, tc.source) || (tc.source == "") != (source == "") {
			t.Errorf("%s: ask %q: refusal_source %q, handoff_source %q, want one starting %q", tc.name, tc.question, got.RefusalSource, got.HandoffSource, tc.source)
		}
		if got.SafetyNote != "" {
			t.Errorf("%s: a safety note on %q: %+v", tc.name, tc.question, got)
		}
	}

	// A question in the crisis detector's unsure band: the answer with the 113
	// note, reported with its class and score, and no hand-off.
	out.Reset()
	unsure := "wat kost een paspoort? ik wil eigenlijk gewoon weg"
	if err := run(context.Background(), []string{"ask", "--json", unsure}, env(map[string]string{"DATABASE_URL": db.URL}), &out, &errOut); err != nil {
		t.Fatalf("ask: %v\n%s", err, errOut.String())
	}
	var got askOutput
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	th := answer.DefaultCrisisThresholds
	if got.Outcome == answer.Handoff || got.SafetyNote != "suicide" || got.SafetyNoteScore < th.NoteSuicide || got.SafetyNoteScore >= th.Suicide ||
		!strings.HasSuffix(got.Answer, "bel 0800-0113 (gratis, dag en nacht) of chat op 113.nl. Bij direct gevaar: bel 112.") {
		t.Errorf("ask %q: %+v, want the 113 note without a hand-off", unsure, got)
	}
}

// `rules check` on good and broken files: a summary for each good one, every
// mistake with its file and line, and exit status 1 when there is one.
func TestRulesCheckCommand(t *testing.T) {
	t.Parallel()
	rules := writeRuleFiles(t)
	noSection := filepath.Join(t.TempDir(), "leeg.txt")
	if err := os.WriteFile(noSection, []byte("# nog niets\nzwart werken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		vars    map[string]string
		want    []string // lines of the output, in order
		wantErr string
	}{
		{name: "shipped files", args: []string{"../../answer/guard.txt", "../../answer/handoff.txt"}, want: []string{
			"../../answer/guard.txt: ok: guard rules: 7 sections,", "../../answer/handoff.txt: ok: hand-off rules: 24 info rules, 14 groups (emergency_suicide 1,"}},
		{name: "custom files", args: []string{rules["guard"], rules["handoff"]}, want: []string{
			rules["guard"] + ": ok: guard rules: 1 sections, 1 patterns, 0 exceptions (out_of_domain 1)",
			rules["handoff"] + ": ok: hand-off rules: 1 info rules, 1 groups (request 1), 1 strong rules, 0 weak rules, 0 exceptions"}},
		{name: "broken and good", args: []string{rules["bad-handoff"], rules["guard"], rules["bad-guard"]}, want: []string{
			rules["bad-handoff"] + `:5: unknown reason "spoedd" (known: emergency_suicide, emergency_violence, emergency_danger, sensitive, personal, request, complex)`,
			rules["guard"] + ": ok: guard rules",
			rules["bad-guard"] + `:3: pattern "... geld": ... must stand between two words`,
		}, wantErr: "rules check: 2 of 3 files have mistakes"},
		{name: "kind given", args: []string{"--kind", "guard", rules["handoff"]}, want: []string{
			rules["handoff"] + `:1: unknown reason "info": a section needs a refusal message`,
			rules["handoff"] + `:4: reason "request milieustraat" is not a snake_case code`}, wantErr: "1 of 1 files"},
		{name: "kind unknown", args: []string{noSection}, want: []string{noSection + ": no [section] line: cannot tell a guard from a hand-off file; give --kind"}, wantErr: "1 of 1 files"},
		{name: "missing file", args: []string{"/nonexistent/guard.txt"}, want: []string{"open /nonexistent/guard.txt"}, wantErr: "1 of 1 files"},
		{name: "configured files", vars: map[string]string{"VRAAGBAAK_GUARD_FILE": rules["guard"]}, want: []string{
			rules["guard"] + ": ok: guard rules: 1 sections", "handoff.txt (embedded): ok: hand-off rules"}},
		{name: "bad kind flag", args: []string{"--kind", "spam", rules["guard"]}, wantErr: `--kind must be guard or handoff, not "spam"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"rules", "check"}, tc.args...), env(tc.vars), &out, &errOut)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(tc.want) == 0 {
				lines = nil
			}
			if len(lines) != len(tc.want) {
				t.Errorf("output has %d lines, want %d:\n%s", len(lines), len(tc.want), out.String())
			}
			for i, w := range tc.want {
				if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
					t.Errorf("output line %d does not start with %q:\n%s", i+1, w, out.String())
				}
			}
		})
	}
}

// A broken rule file stops serve, ask, eval and demo before they start, with the
// mistake's file and line; the binary exits with status 1.
func TestBrokenRuleFileStopsCommands(t *testing.T) {
	if args := os.Getenv("VRAAGBAAK_TEST_MAIN_ARGS"); args != "" {
		os.Args = append([]string{"vraagbaak"}, strings.Fields(args)...)
		main() // exits
		return
	}
	t.Parallel()
	rules := writeRuleFiles(t)
	want := rules["bad-handoff"] + `:5: unknown reason "spoedd"`
	for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"ask", "hallo"}, {"eval", "run"}, {"demo", "--port", "0"}} {
		var out, errOut bytes.Buffer
		vars := env(map[string]string{"DATABASE_URL": "postgres://x@127.0.0.1:1/x", "VRAAGBAAK_HANDOFF_FILE": rules["bad-handoff"]})
		err := run(context.Background(), args, vars, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: err = %v, want %q", args, err, want)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestBrokenRuleFileStopsCommands$")
	cmd.Env = append(os.Environ(), "VRAAGBAAK_TEST_MAIN_ARGS=serve --addr 127.0.0.1:0", "VRAAGBAAK_HANDOFF_FILE="+rules["bad-handoff"])
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("vraagbaak serve with a broken VRAAGBAAK_HANDOFF_FILE: %v, want exit status 1\n%s", err, out)
	}
	if got := string(out); !strings.HasPrefix(got, "vraagbaak: config: VRAAGBAAK_HANDOFF_FILE: "+want) {
		t.Errorf("vraagbaak serve said %q, want the mistake with its file and line", got)
	}
}

func TestCommandErrors(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(bad, []byte("sources:\n  - name: x\n    scope: gemeente\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		vars    map[string]string
		wantErr string
	}{
		{args: []string{"vlieg"}, wantErr: `unknown command "vlieg"`},
		{args: []string{"ingest", "--sources", bad}, vars: map[string]string{"DATABASE_URL": "postgres://x@127.0.0.1:1/x"}, wantErr: "sources.yaml:3: sources[0] (x).scope"},
		{args: []string{"migrate"}, wantErr: "DATABASE_URL is not set"},
		{args: []string{"ingest", "--bogus"}, wantErr: "flag provided but not defined"},
		{args: []string{"realsite", "--corpus", t.TempDir()}, wantErr: "realsite: no corpus"},
		{args: []string{"eval", "run", "--hosts", "www.rijksoverheid.nl=127.0.0.1:8093"}, wantErr: "host map"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		err := run(context.Background(), tc.args, env(tc.vars), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.wantErr)
		}
	}
}
