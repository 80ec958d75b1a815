package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/staff"
)

func TestStaffCommand(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	vars := env(map[string]string{"DATABASE_URL": db.URL})
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pw := file("pw", "een lang wachtwoord\nwordt genegeerd\n")
	pw2 := file("pw2", "nog een lang wachtwoord\r\n")
	short := file("short", "kort\n")
	staffRun := func(args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"staff"}, args...), vars, &out, &errOut)
		return out.String(), err
	}

	for _, args := range [][]string{
		{"add", "--municipality", "GM0363", "--role", "agent", "--name", "An de Vries", "--password-file", pw, "an@amsterdam.nl"},
		{"add", "--municipality", "GM0344", "--role", "evaluator", "--password-file", pw, "bo@utrecht.nl"},
		{"add", "--municipality", "GM0363", "--role", "privacy", "--name", "Pim", "--password-file", pw, "pim@amsterdam.nl"},
	} {
		out, err := staffRun(args...)
		if err != nil || !strings.HasPrefix(out, "added ") {
			t.Fatalf("staff %v = %q, %v", args, out, err)
		}
	}
	store := staff.NewStore(db.Pool)
	acc, err := store.Authenticate(ctx, "an@amsterdam.nl", "een lang wachtwoord")
	if err != nil || acc.Name != "An de Vries" || acc.Role != staff.Agent || acc.Municipality != "GM0363" {
		t.Fatalf("the added account: %+v, %v", acc, err)
	}

	out, err := staffRun("list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"an@amsterdam.nl", "An de Vries", "GM0363", "agent", "bo@utrecht.nl", "evaluator", "pim@amsterdam.nl", "privacy"} {
		if !strings.Contains(out, want) {
			t.Errorf("staff list lacks %q:\n%s", want, out)
		}
	}
	out, err = staffRun("list", "--municipality", "GM0344")
	if err != nil || !strings.Contains(out, "bo@utrecht.nl") || strings.Contains(out, "an@amsterdam.nl") {
		t.Errorf("staff list --municipality GM0344 = %q, %v", out, err)
	}

	if out, err := staffRun("passwd", "--password-file", pw2, "AN@amsterdam.nl"); err != nil {
		t.Fatalf("staff passwd = %q, %v", out, err)
	}
	if _, err := store.Authenticate(ctx, "an@amsterdam.nl", "nog een lang wachtwoord"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if out, err := staffRun("disable", "bo@utrecht.nl"); err != nil {
		t.Fatalf("staff disable = %q, %v", out, err)
	}
	if out, _ := staffRun("list"); strings.Contains(out, "bo@utrecht.nl") {
		t.Errorf("a disabled account is listed:\n%s", out)
	}

	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{}, "add, list, passwd or disable"},
		{[]string{"remove", "x@y.nl"}, `unknown subcommand "remove"`},
		{[]string{"add", "--role", "agent", "--password-file", pw, "cor@amsterdam.nl"}, "--municipality is required"},
		{[]string{"add", "--municipality", "Amsterdam", "--role", "agent", "--password-file", pw, "cor@amsterdam.nl"}, "--municipality must be a CBS code"},
		{[]string{"add", "--municipality", "GM0363", "--password-file", pw, "cor@amsterdam.nl"}, "--role is required"},
		{[]string{"add", "--municipality", "GM0363", "--role", "admin", "--password-file", pw, "cor@amsterdam.nl"}, "--role must be"},
		{[]string{"add", "--municipality", "GM0363", "--role", "agent", "--password-file", pw}, "EMAIL"},
		{[]string{"add", "--municipality", "GM0363", "--role", "agent", "cor@amsterdam.nl", "--password-file", pw}, "flags go before the EMAIL"},
		{[]string{"add", "--municipality", "GM0363", "--role", "agent", "--password-file", filepath.Join(dir, "missing"), "cor@amsterdam.nl"}, "--password-file"},
		{[]string{"add", "--municipality", "GM0363", "--role", "agent", "--password-file", short, "cor@amsterdam.nl"}, "--password-file has 4 characters; it needs at least 12"},
		{[]string{"add", "--municipality", "GM0363", "--role", "agent", "--password-file", pw, "An@Amsterdam.nl"}, "already has an account"},
		{[]string{"passwd", "--password-file", pw, "niemand@amsterdam.nl"}, "no account has the email"},
		{[]string{"list", "--municipality", "0363"}, "--municipality must be a CBS code"},
	}
	for _, tc := range tests {
		if _, err := staffRun(tc.args...); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("staff %v: err = %v, want one with %q", tc.args, err, tc.wantErr)
		}
	}
}
