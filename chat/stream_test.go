package chat_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/answer/answertest"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/dutch"
)

// Through the websocket: what the citizen's widget receives.
func TestStreamingOverWebsocket(t *testing.T) {
	t.Parallel()
	var script answertest.Scripts
	gen := answertest.ModelServer(t, script.Run)
	svc, _, db := answertest.NewService(t, gen)
	convs := chat.NewConversations(db.Pool)
	in := startInstance(t, svc, convs, chat.ServerConfig{ConversationRate: 600}, nil)
	cs := &chatServer{t: t, http: in.http, db: db, svc: svc, convs: convs, inst: in, stop: in.stop}
	c := cs.connect("")
	c.hello("")

	tests := []struct {
		name    string
		text    string
		outcome answer.Outcome
		reason  string
		deltas  int    // how many
		never   string // in no delta and not in the answer
	}{
		{
			name: "a good answer in small pieces", outcome: answer.Answered, deltas: 3,
			text: "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
				"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25]. " +
				"Een identiteitskaart voor een volwassene kost maximaal € 81,05 [€ 81,05].",
		},
		{
			name: "an invented amount", outcome: answer.Answered, deltas: 2, never: "125",
			text: "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
				"Met spoed betaalt u € 125,00 extra voor uw paspoort [€ 88,15]. " +
				"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25].",
		},
		{name: "no answer", text: "GEEN ANTWOORD", outcome: answer.Refused, reason: "not_in_passages", never: "GEEN"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			script.Set(func(user string) answertest.Script {
				return answertest.Script{Pieces: answertest.Chunks(answertest.Cite(user, tc.text), 3)}
			})
			id := fmt.Sprintf("s%d", i)
			c.send(map[string]any{"type": "question", "id": id, "text": "wat kost een paspoort"})
			if ack := c.read(); ack.Type != "ack" || ack.ID != id {
				t.Fatalf("want ack, got %+v", ack)
			}
			ans, before := c.until("answer")
			var deltas []string
			for _, m := range before {
				if m.Type != "answer.delta" || m.ID != id {
					t.Fatalf("unexpected %+v before the answer", m)
				}
				deltas = append(deltas, m.Text)
			}
			if ans.Outcome != tc.outcome || ans.ID != id {
				t.Fatalf("answer %+v, want %s", ans, tc.outcome)
			}
			streamed := strings.Join(deltas, "")
			if len(deltas) != tc.deltas || !strings.HasPrefix(ans.Text, streamed) || tc.deltas > 0 && streamed != ans.Text {
				t.Errorf("deltas %q (want %d, sentence by sentence) for the answer %q", deltas, tc.deltas, ans.Text)
			}
			for _, d := range deltas {
				if len(dutch.Sentences(answer.StripMarkers(d))) != 1 {
					t.Errorf("delta %q is not one sentence", d)
				}
			}
			if tc.never != "" && strings.Contains(ans.Text+streamed, tc.never) {
				t.Errorf("%q reached the citizen: deltas %q, answer %q", tc.never, deltas, ans.Text)
			}
			var reason string
			if err := db.Pool.QueryRow(context.Background(), `SELECT coalesce(refusal_reason, '') FROM answers WHERE id = $1`, ans.AnswerID).Scan(&reason); err != nil {
				t.Fatal(err)
			}
			if reason != tc.reason {
				t.Errorf("refusal reason %q, want %q", reason, tc.reason)
			}
		})
	}
}
