package web_test

import (
	"encoding/json"
	"sync"
	"testing"
	"time"
)

// inbox keeps what a scripted server received from the page, for the test to wait on.
type inbox struct {
	name string // "fake chat", "fake staff": for failure messages
	mu   sync.Mutex
	got  []map[string]any
}

func (b *inbox) record(m map[string]any) {
	b.mu.Lock()
	b.got = append(b.got, m)
	b.mu.Unlock()
}

// messages returns the messages of a type received so far.
func (b *inbox) messages(typ string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, m := range b.got {
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// waitMessages polls until n messages of a type were received.
func (b *inbox) waitMessages(t *testing.T, typ string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ms := b.messages(typ)
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			j, _ := json.Marshal(ms)
			t.Fatalf("%s: %d %q messages after 10s, want %d: %s", b.name, len(ms), typ, n, j)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
