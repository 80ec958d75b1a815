package review_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/review"
)

// TestEvaluatorReadsAreLogged: every answer an evaluator reads (an item, the report's
// rows, the export) is recorded in the transcript access log with who, when and
// through what; the figures-only summary is not, and a read that cannot be logged is
// not served.
func TestEvaluatorReadsAreLogged(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	// Three answers of one conversation and one of `vraagbaak ask` (no conversation).
	var conv int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO conversations (token_hash, municipality) VALUES ('\x01', 'GM0363') RETURNING id`).Scan(&conv); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		c := any(conv)
		if i == 3 {
			c = nil
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO answers (conversation_id, municipality, question, search_text, passages, answer,
				citations, sentences, outcome, answerer, timings)
			VALUES ($1, 'GM0363', $2, $2, '[]', 'Antwoord.', '[]', '[]', 'answered', 'x', '{}')`, c, fmt.Sprintf("Vraag %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	ev := addEvaluator(t, db.Pool, "eva@amsterdam.nl", "GM0363")
	ev.Name, ev.Role = "Eva", "evaluator"
	rounds := review.NewRounds(db.Pool, slog.New(slog.DiscardHandler))
	rd, err := rounds.Sample(ctx, "GM0363", time.Now().Add(-time.Hour), 4, "Ronde", ev.ID)
	if err != nil {
		t.Fatal(err)
	}

	type row struct {
		Channel      string
		Conversation int64
		Answer       int64
	}
	logged := func() []row {
		t.Helper()
		rows, err := db.Pool.Query(ctx, `SELECT channel, coalesce(conversation_id, 0), coalesce(answer_id, 0)
			FROM transcript_access WHERE account_id = $1 AND account_name = 'Eva' AND role = 'evaluator'
			AND municipality = 'GM0363' AND accessed_at > now() - interval '1 minute' ORDER BY id`, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.Channel, &r.Conversation, &r.Answer); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		var all int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM transcript_access`).Scan(&all); err != nil {
			t.Fatal(err)
		}
		if all != len(out) {
			t.Errorf("%d access rows, %d of them Eva's as she is", all, len(out))
		}
		return out
	}
	answerConv := func(answer int64) int64 {
		var c int64
		if err := db.Pool.QueryRow(ctx, `SELECT coalesce(conversation_id, 0) FROM answers WHERE id = $1`, answer).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}

	// Each item read is one row (workbench) naming the answer and its conversation.
	var firstItem int64
	for range 4 {
		it, err := rounds.Next(ctx, ev, rd.ID)
		if err != nil {
			t.Fatal(err)
		}
		if firstItem == 0 {
			firstItem = it.ID
		}
		before := len(logged())
		again, err := rounds.Item(ctx, ev, rd.ID, it.ID)
		if err != nil || again.ID != it.ID {
			t.Fatal(again, err)
		}
		got := logged()
		if len(got) != before+1 {
			t.Fatalf("one item read wrote %d rows", len(got)-before)
		}
		if err := rounds.Save(ctx, ev, rd.ID, it.ID, review.Rating{Correct: 4, Complete: 4, PlainLanguage: 4, CitationsSupport: 4, Tone: 4}); err != nil {
			t.Fatal(err)
		}
	}
	reads := logged()
	if len(reads) != 8 {
		t.Fatalf("8 item reads wrote %d rows", len(reads))
	}
	withoutConv := 0
	for _, r := range reads {
		if r.Channel != "workbench" || r.Answer == 0 || r.Conversation != answerConv(r.Answer) {
			t.Errorf("item read logged as %+v", r)
		}
		if r.Conversation == 0 {
			withoutConv++
		}
	}
	if withoutConv != 2 {
		t.Errorf("%d reads of the answer outside a conversation, want 2", withoutConv)
	}

	// The summary (figures only) is not a read; the report (rows with questions) and
	// the export are, one row per answer.
	if rep, err := rounds.Summary(ctx, ev, rd.ID); err != nil || len(rep.Rows) != 0 || rep.Overall.Scores != 4 {
		t.Fatalf("summary: %d rows, %+v, %v", len(rep.Rows), rep.Overall, err)
	}
	if n := len(logged()); n != 8 {
		t.Errorf("the summary wrote %d rows", n-8)
	}
	if rep, err := rounds.Report(ctx, ev, rd.ID); err != nil || len(rep.Rows) != 4 {
		t.Fatalf("report: %d rows, %v", len(rep.Rows), err)
	}
	var buf bytes.Buffer
	if err := rounds.WriteCSV(ctx, ev, rd.ID, &buf); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, r := range logged()[8:] {
		count[r.Channel]++
	}
	if count["workbench"] != 4 || count["export"] != 4 || len(count) != 2 {
		t.Errorf("report and export logged %v, want 4 workbench and 4 export rows", count)
	}

	// A read that cannot be logged is not served.
	if _, err := db.Pool.Exec(ctx, `ALTER TABLE transcript_access ADD CONSTRAINT nothing_more CHECK (id < 0) NOT VALID`); err != nil {
		t.Fatal(err)
	}
	it, err := rounds.Item(ctx, ev, rd.ID, firstItem)
	if err == nil || it.Question != "" {
		t.Errorf("item read without a log: %+v, %v", it, err)
	}
	buf.Reset()
	if err := rounds.WriteCSV(ctx, ev, rd.ID, &buf); err == nil || buf.Len() > 0 {
		t.Errorf("export without a log: %d bytes, %v", buf.Len(), err)
	}
}
