package main

import (
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/staff"
)

// TestDefaultsAgree checks that what an unset environment variable gives, the default
// of the package that uses it and the README's configuration table say the same.
func TestDefaultsAgree(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// A row of a configuration table: | `VRAAGBAAK_…` | `default` … | meaning |
	row := regexp.MustCompile("(?m)^\\| `(VRAAGBAAK_[A-Z_]+)` \\| `([^`]*)`")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = m[2]
	}
	d := chat.DefaultServerConfig()
	tests := []struct {
		env    string
		loaded any // what LoadConfig gives when env is unset
		owner  any // the default of the package that uses it
	}{
		{"VRAAGBAAK_RATE_LIMIT_IP", cfg.IPRate, d.IPRate},
		{"VRAAGBAAK_RATE_LIMIT_CONVERSATION", cfg.ConvRate, d.ConversationRate},
		{"VRAAGBAAK_QUEUE_TIMEOUT", cfg.QueueTimeout, d.QueueTimeout},
		{"VRAAGBAAK_HELLO_TIMEOUT", cfg.HelloTimeout, d.HelloTimeout},
		{"VRAAGBAAK_MAX_CONNECTIONS_PER_IP", cfg.MaxConnectionsPerIP, d.MaxConnectionsPerIP},
		{"VRAAGBAAK_RATE_LIMIT_NEW_CONVERSATIONS", cfg.NewConversationRate, d.NewConversationRate},
		{"VRAAGBAAK_STAFF_SESSION_TTL", cfg.SessionTTL, staff.DefaultSessionTTL},
	}
	for _, tc := range tests {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			if tc.loaded != tc.owner {
				t.Errorf("LoadConfig gives %v, the package's default is %v", tc.loaded, tc.owner)
			}
			text, ok := documented[tc.env]
			if !ok {
				t.Fatalf("README's configuration table has no row for %s with a default", tc.env)
			}
			var doc any
			var err error
			switch tc.owner.(type) {
			case float64:
				doc, err = strconv.ParseFloat(text, 64)
			case int:
				doc, err = strconv.Atoi(text)
			case time.Duration:
				doc, err = time.ParseDuration(text)
			default:
				t.Fatalf("no README parser for %T", tc.owner)
			}
			if err != nil || doc != tc.owner {
				t.Errorf("README says the default is %q, the package's default is %v", text, tc.owner)
			}
		})
	}
}
