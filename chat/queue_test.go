package chat_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// TestQueueRows reads the queue's rows back field by field (they are scanned by
// column name, so two fields of one type cannot swap), transfers a conversation only
// to an active colleague of its municipality, and lists the online colleagues with
// their names and roles.
func TestQueueRows(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	convs := chat.NewConversations(db.Pool)
	account := func(name, municipality, role string, disabled bool) chat.Agent {
		t.Helper()
		a := chat.Agent{Name: name, Municipality: municipality, Supervisor: role == "supervisor"}
		if err := db.Pool.QueryRow(ctx, `INSERT INTO staff_accounts (email, name, municipality, role, password_hash, disabled_at)
			VALUES ($1 || '@example.nl', $1, $2, $3, 'x', CASE WHEN $4 THEN now() END) RETURNING id`,
			name, municipality, role, disabled).Scan(&a.ID); err != nil {
			t.Fatal(err)
		}
		return a
	}
	ann := account("Ann", "GM9001", "agent", false)
	bea := account("Bea", "GM9001", "supervisor", false)
	cor := account("Cor", "GM9002", "agent", false)
	dik := account("Dik", "GM9001", "agent", true)

	conv, _, err := convs.Create(ctx, "GM9001")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := convs.RequestHandoff(ctx, conv.ID, answer.Triage{Reason: answer.ReasonRequest, Topic: "paspoort"}, "Wil een medewerker", ""); err != nil || !ok {
		t.Fatalf("request hand-off = %v, %v", ok, err)
	}
	if err := convs.Claim(ctx, conv.ID, ann); err != nil {
		t.Fatal(err)
	}
	q, err := convs.Queue(ctx, "GM9001")
	if err != nil || len(q) != 1 {
		t.Fatalf("queue = %+v, %v", q, err)
	}
	if it := q[0]; it.Conversation != conv.ID || it.Reason != "request" || it.Topic != "paspoort" || it.Summary != "Wil een medewerker" ||
		it.Priority < 1 || it.RequestedAt.IsZero() || it.ClaimedBy != ann.ID || it.AgentName != "Ann" {
		t.Errorf("queue item %+v", it)
	}

	for _, tc := range []struct {
		name    string
		from    chat.Agent
		to      chat.Agent
		wantErr error
	}{
		{"another municipality's agent", ann, cor, chat.ErrNotFound},
		{"a disabled account", ann, dik, chat.ErrNotFound},
		{"not held by the sender", bea, ann, chat.ErrNotFound},
		{"an active colleague", ann, bea, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := convs.Transfer(ctx, conv.ID, tc.from, tc.to.ID, tc.to.Name); !errors.Is(err, tc.wantErr) {
				t.Errorf("Transfer = %v, want %v", err, tc.wantErr)
			}
		})
	}
	it, err := convs.OpenHandoff(ctx, conv.ID)
	if err != nil || it.ClaimedBy != bea.ID || it.AgentName != "Bea" || it.Conversation != conv.ID {
		t.Errorf("after the transfer: %+v, %v", it, err)
	}

	for _, a := range []chat.Agent{ann, bea, cor} {
		if err := convs.SeeAgent(ctx, a, "i1", true); err != nil {
			t.Fatal(err)
		}
	}
	got, err := convs.Colleagues(ctx, "GM9001")
	if want := []chat.Agent{ann, bea}; err != nil || !slices.Equal(got, want) {
		t.Errorf("colleagues = %+v, %v; want %+v", got, err, want)
	}

	if _, err := convs.AddCallback(ctx, conv.ID, chat.Callback{Name: "J. Jansen", Contact: "06-12345678", Question: "Bel mij"}); err != nil {
		t.Fatal(err)
	}
	cbs, err := convs.Callbacks(ctx, "GM9001")
	if err != nil || len(cbs) != 1 {
		t.Fatalf("call-backs = %+v, %v", cbs, err)
	}
	if cb := cbs[0]; cb.ID == 0 || cb.Conversation != conv.ID || cb.Name != "J. Jansen" || cb.Contact != "06-12345678" ||
		cb.Question != "Bel mij" || cb.CreatedAt.IsZero() {
		t.Errorf("call-back %+v", cb)
	}
}

// TestNoSQLOverStaffAccounts: no string in chat's code names staff_accounts; the
// package reads accounts through staff's staff_directory view only.
func TestNoSQLOverStaffAccounts(t *testing.T) {
	t.Parallel()
	pgtest.NoSQLOver(t, "staff_accounts", "staff_directory")
}
