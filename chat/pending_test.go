package chat_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/answer/answertest"
	"github.com/vraagbaak/vraagbaak/chat"
)

// "Acknowledged means answered": every stored question gets exactly one answer, in
// order, however many arrive at once, after a disconnect and after the database was
// away.

const paspoortAnswer = "Een paspoort voor iemand van 18 jaar of ouder kost in 2026 maximaal € 88,15 [€ 88,15]. " +
	"Een paspoort voor een kind kost maximaal € 64,25 [€ 64,25]."

// newModelChatServer is a chat server whose answers a scripted model writes.
func newModelChatServer(t *testing.T, cfg chat.ServerConfig, script func(user string) answertest.Script) *chatServer {
	t.Helper()
	svc, _, db := answertest.NewService(t, answertest.ModelServer(t, script))
	convs := chat.NewConversations(db.Pool)
	in := startInstance(t, svc, convs, cfg, nil)
	return &chatServer{t: t, http: in.http, db: db, svc: svc, convs: convs, inst: in, stop: in.stop}
}

// burst sends n questions at once, without waiting for anything, and returns their ids.
func (c *wsClient) burst(prefix string, n int) []string {
	c.t.Helper()
	var ids []string
	for i := range n {
		id := fmt.Sprintf("%s%02d", prefix, i)
		ids = append(ids, id)
		c.send(map[string]any{"type": "question", "id": id, "text": "Wat kost een paspoort?"})
	}
	return ids
}

// answersOnce checks in the database that every citizen message of the conversations
// has exactly one answer, stored in the order of the questions.
func answersOnce(t *testing.T, cs *chatServer, questions int) {
	t.Helper()
	rows, _ := cs.db.Pool.Query(context.Background(), `SELECT q.seq, coalesce(array_agg(r.seq ORDER BY r.seq) FILTER (WHERE r.id IS NOT NULL), '{}')
		FROM messages q LEFT JOIN messages r ON r.reply_to = q.id AND r.role = 'bot'
		WHERE q.role = 'citizen' GROUP BY q.id, q.seq ORDER BY q.seq`)
	type pair struct {
		q       int
		replies []int
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (pair, error) {
		var p pair
		return p, r.Scan(&p.q, &p.replies)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != questions {
		t.Fatalf("%d questions stored, want %d", len(got), questions)
	}
	last := 0
	for _, p := range got {
		if len(p.replies) != 1 || p.replies[0] < last {
			t.Errorf("question %d has the answers %v (the answer before it: %d)", p.q, p.replies, last)
			continue
		}
		last = p.replies[0]
	}
}

func TestBurstIsAnsweredInOrder(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{ConversationRate: 600, IPRate: 600})
	c := cs.connect("")
	c.hello("")
	ids := c.burst("b", 20)
	acked := map[string]bool{}
	var answered []string
	for len(answered) < len(ids) {
		m := c.read()
		switch m.Type {
		case "ack":
			acked[m.ID] = true
		case "answer":
			if !acked[m.ID] {
				t.Errorf("answer to %s before its ack", m.ID)
			}
			answered = append(answered, m.ID)
		case "error":
			t.Fatalf("error %s for %s", m.Code, m.ID)
		}
	}
	if strings.Join(answered, " ") != strings.Join(ids, " ") {
		t.Errorf("answers came for\n%v, want\n%v", answered, ids)
	}
	answersOnce(t, cs, len(ids))
}

func TestBurstIsAnsweredAfterResume(t *testing.T) {
	t.Parallel()
	// The model holds its first answer until the citizen is back.
	back := make(chan struct{})
	cs := newModelChatServer(t, chat.ServerConfig{ConversationRate: 600, IPRate: 600}, func(user string) answertest.Script {
		return answertest.Script{Pieces: answertest.Chunks(answertest.Cite(user, paspoortAnswer), 4), Waits: map[int]<-chan struct{}{0: back}}
	})
	c := cs.connect("")
	w := c.hello("")
	ids := c.burst("r", 20)
	for range ids {
		if m := c.read(); m.Type != "ack" {
			t.Fatalf("want an ack, got %+v", m)
		}
	}
	c.conn.Close() // gone before any answer

	r := cs.connect("")
	rw := r.hello(w.Conversation)
	close(back)
	answered := map[string]int{}
	var order []string
	for _, h := range rw.History {
		if h.Role == chat.RoleBot {
			t.Errorf("answered before the citizen came back: %+v", h)
		}
	}
	for len(order) < len(ids) {
		m := r.read()
		switch m.Type {
		case "answer":
			answered[m.ID]++
			order = append(order, m.ID)
			if m.Outcome != answer.Answered || m.AnswerID == 0 {
				t.Errorf("answer %+v", m)
			}
		case "error":
			t.Fatalf("error %s for %s", m.Code, m.ID)
		}
	}
	if strings.Join(order, " ") != strings.Join(ids, " ") {
		t.Errorf("answers came for\n%v, want\n%v", order, ids)
	}
	answersOnce(t, cs, len(ids))
}

func TestQuestionAckedBeforeDatabaseGoesAway(t *testing.T) {
	t.Parallel()
	asked := make(chan struct{}, 1)
	gone := make(chan struct{})
	cs := newModelChatServer(t, chat.ServerConfig{}, func(user string) answertest.Script {
		select {
		case asked <- struct{}{}:
		default:
		}
		return answertest.Script{Pieces: answertest.Chunks(answertest.Cite(user, paspoortAnswer), 4), Waits: map[int]<-chan struct{}{0: gone}}
	})
	c := cs.connect("")
	c.hello("")
	c.send(map[string]any{"type": "question", "id": "acked", "text": "Wat kost een paspoort?"})
	if m := c.read(); m.Type != "ack" {
		t.Fatalf("want an ack, got %+v", m)
	}
	<-asked // the answer is being written

	// The database goes away: new connections refused, open ones ended.
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, strings.Replace(cs.db.URL, "/"+cs.db.Pool.Config().ConnConfig.Database+"?", "/postgres?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	dbName := cs.db.Pool.Config().ConnConfig.Database
	mustExec := func(sql string, args ...any) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`ALTER DATABASE ` + pgx.Identifier{dbName}.Sanitize() + ` ALLOW_CONNECTIONS false`)
	mustExec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, dbName)
	close(gone)

	// The answer cannot be stored: the citizen is told, and what was streamed of it
	// is to be dropped.
	for {
		m := c.read()
		if m.Type == "answer" {
			t.Fatalf("answered with the database away: %+v", m)
		}
		if m.Type == "error" {
			if m.Code != chat.ErrCodeUnavailable || m.ID != "acked" {
				t.Fatalf("error %+v, want unavailable for the question", m)
			}
			break
		}
	}
	// It comes back: the question is answered without being asked again.
	mustExec(`ALTER DATABASE ` + pgx.Identifier{dbName}.Sanitize() + ` ALLOW_CONNECTIONS true`)
	var streamed strings.Builder
	for {
		m := c.read()
		if m.Type == "answer.delta" {
			streamed.WriteString(m.Text)
			continue
		}
		if m.Type == "error" {
			streamed.Reset() // another try failed: it starts anew
			continue
		}
		if m.Type != "answer" {
			continue
		}
		if m.ID != "acked" || m.Outcome != answer.Answered || !strings.Contains(m.Text, "88,15") || streamed.String() != m.Text {
			t.Errorf("after the database returned: %+v (streamed %q)", m, streamed.String())
		}
		break
	}
	answersOnce(t, cs, 1)
}

// Pending is what the bot is to answer: not what a person had or answered.
func TestPendingQuestions(t *testing.T) {
	t.Parallel()
	cs := newChatServer(t, chat.ServerConfig{})
	ctx := context.Background()
	agent := addAgent(t, cs, "Sanne", "GM9001")
	conv, _, err := cs.convs.Create(ctx, "GM9001")
	if err != nil {
		t.Fatal(err)
	}
	ask := func(id string) chat.Message {
		t.Helper()
		m, _, err := cs.convs.AddMessage(ctx, conv.ID, chat.Message{Role: chat.RoleCitizen, ClientID: id, Text: "Wat kost een paspoort?"})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	check := func(after int, want ...string) {
		t.Helper()
		ms, err := cs.convs.Pending(ctx, conv.ID, after)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.ClientID)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("pending after seq %d: %v, want %v", after, got, want)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const all = 1000 // a history with every message so far

	q1 := ask("q1")
	ask("q2")
	reply, _, err := cs.convs.SaveAnswer(ctx, chat.LogEntry{ConversationID: conv.ID, Answer: answer.Answer{Outcome: answer.Answered, Text: "Antwoord [1]."}}, q1)
	must(err)
	check(0, "q1", "q2")           // q1's answer came after an empty history
	check(reply.Seq, "q2")         // a history with q1's answer
	check(reply.Seq-1, "q1", "q2") // one without it

	ask("q3")
	_, err = cs.convs.RequestHandoff(ctx, conv.ID, answer.Triage{Reason: answer.ReasonRequest, Priority: 4}, "vraag", "")
	must(err)
	check(all, "q2", "q3") // waiting for a person: the bot still answers
	must(cs.convs.Claim(ctx, conv.ID, agent))
	check(all) // a person has it
	ask("q4")
	_, err = cs.convs.AgentMessage(ctx, conv.ID, agent, "Ik help u verder.")
	must(err)
	ask("q5")
	must(cs.convs.EndHandoff(ctx, conv.ID, agent, "returned"))
	ask("q6")
	// q2 and q3 the person answered after them; q4 and q5 were asked while the person
	// had the conversation.
	check(all, "q6")
}
