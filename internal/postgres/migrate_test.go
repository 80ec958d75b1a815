package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	ms, err := postgres.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	// Numbers are handed out to parallel branches, so one may land before a lower one:
	// Migrate applies every version it has not seen, and the numbers only need to rise.
	prev := 0
	for _, m := range ms {
		if m.Version <= prev {
			t.Errorf("migration %s has version %d, want more than %d", m.Name, m.Version, prev)
		}
		prev = m.Version
	}
}

// Two instances starting at once must not both apply a migration: the advisory lock
// makes the second wait and then find nothing to do.
func TestMigrateConcurrentlyIsSafe(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	// Start from nothing: drop what the template brought.
	if _, err := db.Pool.Exec(ctx, `DO $$ DECLARE r record; BEGIN
		FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
			EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
		END LOOP; END $$`); err != nil {
		t.Fatal(err)
	}
	const instances = 4
	applied := make([]int, instances)
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = postgres.Migrate(ctx, db.URL)
		}()
	}
	wg.Wait()
	ms, _ := postgres.Migrations()
	total := 0
	for i := range instances {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	if total != len(ms) {
		t.Errorf("migrations applied %d times in all, want exactly %d", total, len(ms))
	}
	pending, err := postgres.Pending(ctx, db.Pool)
	if err != nil {
		t.Fatal(err)
	}
	if pending != 0 {
		t.Errorf("pending = %d after migrate, want 0", pending)
	}
}
