// Package pgtest gives each test its own PostgreSQL database, cloned from a migrated
// template, so that tests touching data run against the real thing and in parallel.
// Only tests import it.
//
// The server is the one in DATABASE_URL (the README's test command starts one). When it
// is unset the test is skipped, unless VRAAGBAAK_REQUIRE_DB=1 (set by the test command),
// where a missing database fails the test instead.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/internal/postgres"
)

// templateLock is the advisory lock key under which test binaries create the template.
const templateLock int64 = 0x7662746d706c // "vbtmpl"

var (
	once     sync.Once
	tmplName string
	tmplErr  error
)

// DB is one test's database.
type DB struct {
	Pool *pgxpool.Pool
	URL  string
}

// New creates a fresh, migrated database for t and drops it when t ends.
func New(t testing.TB) *DB {
	t.Helper()
	base := os.Getenv("DATABASE_URL")
	if base == "" {
		if os.Getenv("VRAAGBAAK_REQUIRE_DB") == "1" {
			t.Fatal("pgtest: DATABASE_URL is not set but VRAAGBAAK_REQUIRE_DB=1: the test database is missing")
		}
		t.Skip("pgtest: DATABASE_URL is not set; run the README's test command (make test)")
	}
	ctx := context.Background()
	once.Do(func() { tmplName, tmplErr = ensureTemplate(ctx, base) })
	if tmplErr != nil {
		t.Fatalf("pgtest: template database: %v", tmplErr)
	}

	name := tmplName[:len(tmplName)-len("tmpl")] + randomSuffix()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer admin.Close(ctx)
	if err := retryBusy(ctx, func() error {
		_, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{tmplName}.Sanitize()))
		return err
	}); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	dbURL, err := withDatabase(base, name)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := postgres.Connect(ctx, dbURL)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Errorf("pgtest: drop database: %v", err)
			return
		}
		defer conn.Close(context.Background())
		// An autovacuum worker (a superuser process) may be in the database; FORCE cannot
		// end it for us, but it finishes quickly: try again for a while.
		drop := fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pgx.Identifier{name}.Sanitize())
		deadline := time.Now().Add(15 * time.Second)
		for {
			_, err := conn.Exec(context.Background(), drop)
			var pe *pgconn.PgError
			if err == nil || !errors.As(err, &pe) || pe.Code != "42501" || time.Now().After(deadline) {
				if err != nil {
					t.Errorf("pgtest: drop database: %v", err)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	return &DB{Pool: pool, URL: dbURL}
}

// ensureTemplate creates, once per schema version, a migrated template database shared
// by all test binaries. Its name carries a hash of the migrations, so a changed schema
// gets a new template.
func ensureTemplate(ctx context.Context, base string) (string, error) {
	ms, err := postgres.Migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%d\x00%s\x00", m.Version, m.SQL)
	}
	name := "vbt_" + hex.EncodeToString(h.Sum(nil))[:12] + "_tmpl"

	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer admin.Exec(ctx, "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck // released on close too

	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("look up template: %w", err)
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := admin.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pgx.Identifier{building}.Sanitize())); err != nil {
		return "", fmt.Errorf("drop half-built template: %w", err)
	}
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s", pgx.Identifier{building}.Sanitize())); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	buildURL, err := withDatabase(base, building)
	if err != nil {
		return "", err
	}
	if _, err := postgres.Migrate(ctx, buildURL); err != nil {
		return "", err
	}
	// Renaming last means a crashed run never leaves a half-migrated template behind.
	err = retryBusy(ctx, func() error {
		_, err := admin.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", pgx.Identifier{building}.Sanitize(), pgx.Identifier{name}.Sanitize()))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("rename template: %w", err)
	}
	return name, nil
}

// retryBusy retries f while PostgreSQL says the template is still in use by a session
// that is closing (SQLSTATE 55006), for up to ten seconds.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := f()
		var pgErr *pgconn.PgError
		if err == nil || !errors.As(err, &pgErr) || pgErr.Code != "55006" || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("pgtest: parse DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
