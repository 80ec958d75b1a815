package chat_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/chat"
)

// openReply is what a console gets for "open": the conversation, or an error.
type openReply struct {
	Type         string         `json:"type"`
	Code         string         `json:"code"`
	Message      any            `json:"message"` // an error's Dutch text
	Conversation int64          `json:"conversation"`
	Messages     []chat.Message `json:"messages"`
}

// open asks for a conversation's transcript and returns the console's reply.
func (c *wsClient) open(convID int64) openReply {
	c.t.Helper()
	c.send(map[string]any{"type": "open", "conversation_id": convID})
	deadline := time.Now().Add(15 * time.Second)
	for {
		_ = c.conn.SetReadDeadline(deadline)
		var m openReply
		if err := c.conn.ReadJSON(&m); err != nil {
			c.t.Fatalf("waiting for the transcript of %d: %v", convID, err)
		}
		// A view_closed about another conversation the console followed is not the
		// reply to this open; one about this conversation is.
		if m.Type == "error" && m.Code == chat.ErrCodeViewClosed && m.Conversation != convID {
			continue
		}
		if m.Type == "error" || (m.Type == "conversation" && m.Conversation == convID) {
			return m
		}
	}
}

// accessRow is one row of the access log, as the test reads it.
type accessRow struct {
	Account      int64
	Name, Role   string
	Channel      string
	Conversation int64
	Municipality string
}

func accessRows(t *testing.T, cs *chatServer) []accessRow {
	t.Helper()
	rows, err := cs.db.Pool.Query(context.Background(), `SELECT account_id, account_name, role, channel,
			coalesce(conversation_id, 0), municipality, accessed_at > now() - interval '1 minute'
		FROM transcript_access ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []accessRow
	for rows.Next() {
		var r accessRow
		var recent bool
		if err := rows.Scan(&r.Account, &r.Name, &r.Role, &r.Channel, &r.Conversation, &r.Municipality, &recent); err != nil {
			t.Fatal(err)
		}
		if !recent {
			t.Errorf("access row %+v is not timestamped now", r)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStaffOpenAccess: staff open only conversations handed off to staff (queued,
// their own, a colleague's for supervisors), each open is logged exactly once, and a
// refusal says why in Dutch.
func TestStaffOpenAccess(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{})
	ctx := context.Background()
	anna := addAgent(t, cs, "Anna", "GM9001")
	bert := addAgent(t, cs, "Bert", "GM9001")
	sara := addSupervisor(t, cs, "Sara", "GM9001")
	newConv := func(text string) int64 {
		conv, _, err := cs.convs.Create(ctx, "GM9001")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := cs.convs.AddMessage(ctx, conv.ID, chat.Message{Role: chat.RoleCitizen, Text: text, ClientID: "m1"}); err != nil {
			t.Fatal(err)
		}
		return conv.ID
	}
	botOnly := newConv("Wat kost een paspoort?")
	queued := newConv("Ik wil iemand spreken")
	held := newConv("Mijn aanvraag is afgewezen")
	unavailable := newConv("Niemand is er")
	for _, id := range []int64{queued, held} {
		if _, err := cs.convs.RequestHandoff(ctx, id, answer.Triage{Reason: answer.ReasonRequest, Priority: 4}, "vraag", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := cs.convs.Claim(ctx, held, bert); err != nil {
		t.Fatal(err)
	}
	if err := cs.convs.RecordUnavailable(ctx, unavailable, answer.Triage{Reason: answer.ReasonRequest, Priority: 4}, "vraag"); err != nil {
		t.Fatal(err)
	}

	annaC, bertC, saraC := ins[0].agent(t, anna), ins[0].agent(t, bert), ins[0].agent(t, sara)
	// Bert's console reopens what he holds on connecting (and logs it): read that first.
	bertC.untilStaff("reopened", func(m staffMsg) bool { return m.Type == "conversation" && m.Conversation == held })

	tests := []struct {
		name   string
		who    *wsClient
		conv   int64
		code   string // "" when the transcript is sent
		dutch  string // part of the error's text
		logged string // the account name logged; "" when nothing is
	}{
		{"agent, never handed off", annaC, botOnly, chat.ErrCodeNotHandedOff, "niet aan een medewerker overgedragen", ""},
		{"supervisor, never handed off", saraC, botOnly, chat.ErrCodeNotHandedOff, "niet aan een medewerker overgedragen", ""},
		{"agent, queued", annaC, queued, "", "", "Anna"},
		{"agent, a colleague's", annaC, held, chat.ErrCodeForbidden, "niet van u", ""},
		{"agent, their own", bertC, held, "", "", "Bert"},
		{"supervisor, a colleague's", saraC, held, "", "", "Sara"},
		{"agent, nobody could take over", annaC, unavailable, chat.ErrCodeNotHandedOff, "overgedragen", ""},
		{"supervisor, nobody could take over", saraC, unavailable, "", "", "Sara"},
		{"agent, no such conversation", annaC, 999999, chat.ErrCodeNotFound, "bestaat niet", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(accessRows(t, cs))
			got := tt.who.open(tt.conv)
			if tt.code == "" {
				if got.Type != "conversation" || len(got.Messages) == 0 || got.Messages[0].Text == "" {
					t.Fatalf("got %+v, want the transcript", got)
				}
			} else {
				msg, _ := got.Message.(string)
				if got.Type != "error" || got.Code != tt.code || !strings.Contains(msg, tt.dutch) {
					t.Fatalf("got %+v, want error %s saying %q", got, tt.code, tt.dutch)
				}
			}
			rows := accessRows(t, cs)[before:]
			switch {
			case tt.logged == "" && len(rows) != 0:
				t.Errorf("a refused open was logged: %+v", rows)
			case tt.logged != "" && len(rows) != 1:
				t.Errorf("%d access rows for one open, want exactly 1: %+v", len(rows), rows)
			case tt.logged != "":
				r := rows[0]
				role := "agent"
				if tt.who == saraC {
					role = "supervisor"
				}
				if r.Name != tt.logged || r.Role != role || r.Channel != "console" || r.Conversation != tt.conv || r.Municipality != "GM9001" {
					t.Errorf("logged %+v, want %s (%s) reading %d through the console", r, tt.logged, role, tt.conv)
				}
			}
		})
	}

	// A hand-off the agent closed stays theirs to open; a colleague still may not.
	if err := cs.convs.EndHandoff(ctx, held, bert, "beantwoord"); err != nil {
		t.Fatal(err)
	}
	if got := bertC.open(held); got.Type != "conversation" {
		t.Errorf("bert opens the conversation he closed: %+v", got)
	}
	if got := annaC.open(held); got.Code != chat.ErrCodeForbidden {
		t.Errorf("anna opens a conversation bert closed: %+v", got)
	}
	// A waiting conversation Anna marked seen stays hers to open, not Bert's.
	if err := cs.convs.MarkSeen(ctx, queued, anna); err != nil {
		t.Fatal(err)
	}
	if got := annaC.open(queued); got.Type != "conversation" {
		t.Errorf("anna opens the conversation she marked seen: %+v", got)
	}
	if got := bertC.open(queued); got.Code != chat.ErrCodeForbidden {
		t.Errorf("bert opens a conversation anna marked seen: %+v", got)
	}
}

// TestOpenTranscriptUnloggedIsNotServed: when the read cannot be logged, the
// transcript is not read or sent.
func TestOpenTranscriptUnloggedIsNotServed(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{})
	ctx := context.Background()
	anna := addAgent(t, cs, "Anna", "GM9001")
	conv, _, err := cs.convs.Create(ctx, "GM9001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.convs.RequestHandoff(ctx, conv.ID, answer.Triage{Reason: answer.ReasonRequest, Priority: 4}, "vraag", "Ik zet u door."); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.convs.OpenTranscript(ctx, anna, conv.ID); err != nil {
		t.Fatalf("open with a working log: %v", err)
	}
	if _, err := cs.db.Pool.Exec(ctx, `ALTER TABLE transcript_access ADD CONSTRAINT nothing_more CHECK (id < 0) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	tr, err := cs.convs.OpenTranscript(ctx, anna, conv.ID)
	if err == nil || errors.Is(err, chat.ErrNotHandedOff) || errors.Is(err, chat.ErrNotYours) || len(tr.Messages) > 0 {
		t.Fatalf("open without a log: %v, %d messages; want an error and nothing", err, len(tr.Messages))
	}
	if got := ins[0].agent(t, anna).open(conv.ID); got.Type != "error" || got.Code != chat.ErrCodeUnavailable {
		t.Errorf("console open without a log: %+v, want error %s", got, chat.ErrCodeUnavailable)
	}
}

// TestWatchEndsWhenAColleagueClaims: an agent who opened a waiting conversation stops
// getting its messages when a colleague takes it over, and is told so; a supervisor
// following it goes on reading.
func TestWatchEndsWhenAColleagueClaims(t *testing.T) {
	t.Parallel()
	ins, cs := newInstances(t, 1, chat.ServerConfig{})
	ctx := context.Background()
	anna := addAgent(t, cs, "Anna", "GM9001")
	bert := addAgent(t, cs, "Bert", "GM9001")
	sara := addSupervisor(t, cs, "Sara", "GM9001")
	conv, _, err := cs.convs.Create(ctx, "GM9001")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.convs.RequestHandoff(ctx, conv.ID, answer.Triage{Reason: answer.ReasonRequest, Priority: 4}, "vraag", "Ik zet u door."); err != nil {
		t.Fatal(err)
	}
	annaC, bertC, saraC := ins[0].agent(t, anna), ins[0].agent(t, bert), ins[0].agent(t, sara)
	for _, c := range []*wsClient{annaC, saraC} {
		if got := c.open(conv.ID); got.Type != "conversation" {
			t.Fatalf("open of a waiting conversation: %+v", got)
		}
	}
	bertC.send(map[string]any{"type": "claim", "conversation_id": conv.ID, "id": "c1"})
	if m := annaC.untilStaff("view closed", func(m staffMsg) bool { return m.Type == "error" }); m.Code != chat.ErrCodeViewClosed {
		t.Fatalf("anna got %+v, want error %s", m, chat.ErrCodeViewClosed)
	}
	bertC.untilStaff("claimed", func(m staffMsg) bool { return m.Type == "ok" && m.ID == "c1" })
	bertC.send(map[string]any{"type": "reply", "conversation_id": conv.ID, "text": "Goedemiddag, ik help u verder.", "id": "r1"})
	saraC.untilStaff("bert's reply", func(m staffMsg) bool {
		return m.Type == "message" && m.Message.Text == "Goedemiddag, ik help u verder."
	})
	// Whatever reached Anna after the claim comes before the answer to this request.
	annaC.send(map[string]any{"type": "colleagues"})
	annaC.untilStaff("colleagues", func(m staffMsg) bool {
		if m.Type == "message" && m.Conversation == conv.ID {
			t.Errorf("anna still reads the conversation: %+v", m.Message)
		}
		return m.Type == "colleagues"
	})
}
