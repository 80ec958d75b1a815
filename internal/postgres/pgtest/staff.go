package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// StaffAccount inserts an active staff account with role ("agent", "supervisor",
// "evaluator", …) that cannot log in (its password hash is no hash), and returns
// its ID.
func StaffAccount(t testing.TB, pool *pgxpool.Pool, email, name, municipality, role string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `INSERT INTO staff_accounts (email, name, municipality, role, password_hash)
		VALUES ($1, $2, $3, $4, 'x') RETURNING id`, email, name, municipality, role).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
