package chat_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/chat"
)

// TestSafetyNoteOverWebsocket asks, over the websocket, a question in the
// crisis detector's unsure band and one well below it. The first gets its
// answer (or refusal) with the 113 note after it: streamed with the answer,
// stored as shown (answer log and conversation), recorded with class and score
// in the answer log, with the offer of a person, and no hand-off. The second
// gets no note.
func TestSafetyNoteOverWebsocket(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	c := cs.connect("municipality=GM9001")
	c.hello("")
	ctx := context.Background()

	tests := []struct {
		id, q string
		note  string // class in the answer log, "" for none
	}{
		{"band", "wat kost een paspoort? ik wil eigenlijk gewoon weg", "suicide"},
		{"below", "wat kost een paspoort", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c.send(map[string]any{"type": "question", "id": tt.id, "text": tt.q})
			if ack := c.read(); ack.Type != "ack" || ack.ID != tt.id {
				t.Fatalf("want ack, got %+v", ack)
			}
			ans, before := c.until("answer")
			var streamed strings.Builder
			for _, d := range before {
				if d.Type != "answer.delta" || d.ID != tt.id {
					t.Fatalf("unexpected %+v before the answer", d)
				}
				streamed.WriteString(d.Text)
			}
			t.Logf("%s: %q", ans.Outcome, ans.Text)
			if ans.Outcome != answer.Answered {
				t.Fatalf("not answered (the test index has the passport's prices): %+v", ans)
			}
			if streamed.String() != ans.Text {
				t.Errorf("streamed %q, answer %q", streamed.String(), ans.Text)
			}
			shown := strings.Contains(ans.Text, "0800-0113") && strings.Contains(ans.Text, "113.nl")
			if shown != (tt.note != "") {
				t.Errorf("113 shown %v, want %v: %q", shown, tt.note != "", ans.Text)
			}
			if (ans.Offer != "") != (tt.note != "") {
				t.Errorf("offer %q for note %q", ans.Offer, tt.note)
			}
			var stored, note, message string
			var score *float64
			if err := cs.db.Pool.QueryRow(ctx, `SELECT a.answer, a.safety_note, a.safety_note_score, m.text
				FROM answers a JOIN messages m ON m.answer_id = a.id AND m.role = 'bot' WHERE a.id = $1`, ans.AnswerID).
				Scan(&stored, &note, &score, &message); err != nil {
				t.Fatal(err)
			}
			if stored != ans.Text || message != ans.Text {
				t.Errorf("stored %q and %q, shown %q", stored, message, ans.Text)
			}
			if note != tt.note || (score != nil) != (tt.note != "") {
				t.Errorf("answer log: safety note %q score %v, want %q", note, score, tt.note)
			}
			if score != nil && (*score < answer.DefaultCrisisThresholds.NoteSuicide || *score >= answer.DefaultCrisisThresholds.Suicide) {
				t.Errorf("score %.2f outside the band", *score)
			}
		})
	}
	var handoffs int
	// The test's own database: every hand-off is of this conversation.
	if err := cs.db.Pool.QueryRow(ctx, `SELECT count(*) FROM handoffs`).Scan(&handoffs); err != nil {
		t.Fatal(err)
	}
	if handoffs != 0 {
		t.Errorf("%d hand-offs for a safety note", handoffs)
	}
}
