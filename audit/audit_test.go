package audit_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vraagbaak/vraagbaak/audit"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

func TestRecordAndRead(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	log := audit.NewLog(db.Pool)
	anna := audit.Reader{AccountID: 7, Name: "=Anna", Role: audit.RoleAgent, Municipality: "GM9001"}
	bob := audit.Reader{AccountID: 8, Name: "Bob", Role: audit.RoleAgent, Municipality: "GM9002"}

	bad := []struct {
		name string
		r    audit.Reader
		ch   audit.Channel
		want string
	}{
		{"no reader", audit.Reader{Municipality: "GM9001", Role: audit.RoleAgent}, audit.Console, "no reader"},
		{"unknown channel", anna, "telefoon", "unknown channel"},
		{"no municipality", audit.Reader{AccountID: 7, Role: audit.RoleAgent}, audit.Console, "audit: record"},
		{"unknown role", audit.Reader{AccountID: 7, Role: "privacy", Municipality: "GM9001"}, audit.Console, "audit: record"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if err := audit.Record(ctx, db.Pool, tt.r, tt.ch, audit.Ref{Conversation: 1}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Record = %v, want an error with %q", err, tt.want)
			}
		})
	}

	if err := audit.Record(ctx, db.Pool, anna, audit.Export, audit.Ref{Conversation: 1, Answer: 10}, audit.Ref{Answer: 11}); err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(ctx, db.Pool, bob, audit.Console, audit.Ref{Conversation: 2}); err != nil {
		t.Fatal(err)
	}
	list, err := log.List(ctx, audit.Filter{Municipality: "GM9001"})
	if err != nil || len(list) != 2 {
		t.Fatalf("List = %+v, %v; want Anna's two rows", list, err)
	}
	if e := list[1]; e.AccountID != 7 || e.Channel != audit.Export || e.Conversation != 1 || e.Answer != 10 || time.Since(e.At) > time.Minute {
		t.Errorf("row %+v", e)
	}
	if _, err := log.List(ctx, audit.Filter{}); err == nil {
		t.Error("List without a municipality did not fail")
	}
	members, err := log.Members(ctx, "GM9002")
	if err != nil || len(members) != 1 || members[0].Name != "Bob" {
		t.Errorf("Members(GM9002) = %+v, %v", members, err)
	}
	var buf bytes.Buffer
	if err := log.WriteCSV(ctx, &buf, audit.Filter{Municipality: "GM9001", Conversation: 1}, time.UTC); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], ",GM9001,7,'=Anna,agent,export,1,10") {
		t.Errorf("CSV:\n%s", buf.String())
	}
}
