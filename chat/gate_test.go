package chat

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
)

// A console whose open of a conversation is in progress when its right to follow it
// ends is not told "view_closed" for a view it never had: a refused open answers with
// its own error only, and an open that read the history in time gets the history and
// then view_closed. A console that already follows the conversation is told at once.
// (TestStaffOpenAccess saw view_closed where it opened a colleague's conversation: the
// state event of the colleague's claim reached the console in the middle of the open.)
func TestGateRevoke(t *testing.T) {
	t.Parallel()
	const topic = "watch:7"
	newC := func() *client {
		return &client{s: &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))},
			send: make(chan frame, 8), done: make(chan struct{}), gates: map[string]*gate{}}
	}
	sent := func(c *client) []string {
		var out []string
		for {
			select {
			case f := <-c.send:
				var m struct{ Type, Code string }
				if err := json.Unmarshal(f.data, &m); err != nil {
					t.Fatal(err)
				}
				out = append(out, m.Type+" "+m.Code)
			default:
				return out
			}
		}
	}
	tests := []struct {
		name        string
		opening     bool // the open is in progress when the right ends
		refused     bool // the open's own check refuses it
		wantOpening bool
		want        []string
	}{
		{"refused while opening", true, true, true, nil},
		{"read in time while opening", true, false, true, []string{"conversation ", "error " + ErrCodeViewClosed}},
		{"following (revokeWatchers then sends view_closed itself)", false, false, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newC()
			c.hold(topic)
			if !tt.opening {
				c.release(topic, []byte(`{"type":"conversation"}`), 3)
				sent(c)
			}
			c.deliver(delivery{topic: topic, msg: []byte(`{"type":"message"}`), seq: 4}) // held while opening
			if !tt.opening {
				sent(c)
			}
			if got := c.revoke(topic); got != tt.wantOpening {
				t.Fatalf("revoke reports opening %v, want %v", got, tt.wantOpening)
			}
			if tt.opening {
				if tt.refused {
					c.forget(topic)
				} else {
					c.release(topic, []byte(`{"type":"conversation"}`), 3)
				}
			}
			if got := sent(c); len(got) != len(tt.want) || (len(got) > 0 && got[len(got)-1] != tt.want[len(tt.want)-1]) || (len(got) > 0 && got[0] != tt.want[0]) {
				t.Errorf("sent %v, want %v", got, tt.want)
			}
			if _, ok := c.gates[topic]; ok {
				t.Error("the gate of a revoked topic is kept")
			}
		})
	}
}
